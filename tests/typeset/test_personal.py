"""Personalised editions: the name and note are printed, escaped, limited, and kept out of
the metadata."""

from __future__ import annotations

import pytest

import brochure
from brochure.errors import ContentError
from tests.conftest import KRATOM, pdf_text, reader


def test_name_and_note_on_the_first_page_not_in_metadata() -> None:
    name = 'Ana <b>López</b> & "family"'
    [result] = brochure.build(KRATOM, languages="es", layouts="general", out_dir=None,
                              prepared_for=name, note="Llámenos antes de su próxima visita.")
    pdf = reader(result.pdf)
    first = " ".join(pdf.pages[0].extract_text().split())
    assert f"Preparado para {name}" in first  # markup printed literally
    assert "Llámenos antes de su próxima visita." in first
    assert "López" not in " ".join(p.extract_text() for p in pdf.pages[1:])
    meta = str(dict(pdf.metadata)) + pdf.trailer["/Root"]["/Metadata"].get_object(
        ).get_data().decode("utf-8")
    assert "López" not in meta and "Llámenos" not in meta


def test_personal_limits_and_glyphs() -> None:
    with pytest.raises(ContentError, match="the note is 501 characters; at most 500"):
        brochure.build(KRATOM, layouts="general", out_dir=None, note="x" * 501)
    [vi] = brochure.build(KRATOM, languages="vi", layouts="general", out_dir=None,
                          prepared_for="Nguyễn")
    assert "Chuẩn bị cho Nguyễn" in pdf_text(vi.pdf)


def test_a_name_the_handout_font_lacks_gets_a_shipped_font_that_has_it() -> None:
    # A Vietnamese name on an English handout: Atkinson Hyperlegible has no 'ễ', so the
    # personal line is set in the Vietnamese family of the font table.
    [en] = brochure.build(KRATOM, layouts="general", out_dir=None,
                          prepared_for="Nguyễn Thị Hoa")
    assert "Prepared for Nguyễn Thị Hoa" in pdf_text(en.pdf)
    fonts = {str(f.get_object()["/BaseFont"]) for f in
             reader(en.pdf).pages[0]["/Resources"]["/Font"].values()}
    assert any("BeVietnamPro-Bold" in name for name in fonts), fonts
    # a name no shipped font can draw is refused, naming the character
    with pytest.raises(ContentError) as err:
        brochure.build(KRATOM, layouts="general", out_dir=None, prepared_for="王小明")
    assert "prepared-for: the character '王' (U+738B" in str(err.value)


def test_unpersonalised_build_is_unchanged() -> None:
    [plain] = brochure.build(KRATOM, layouts="clinic", out_dir=None)
    [again] = brochure.build(KRATOM, layouts="clinic", out_dir=None, prepared_for=None)
    assert plain.pdf == again.pdf
