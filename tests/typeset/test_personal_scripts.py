"""A name and note in another script than the edition's (an Arabic or Thai name on an
English handout, a Latin or Thai one on an Arabic handout) are printed in a shipped font
that has their letters, shaped, and read back from the PDF as they were typed."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

import brochure
from brochure.checks import structtext
from brochure.errors import ContentError
from brochure.source.content import load_content
from tests.conftest import KRATOM, reader

LATIN = "abcdefghijklmnopqrstuvwxyzéñü"
VIETNAMESE = "aăâđêôơưếặữồ"
ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
THAI_CONSONANTS = "กขคงจฉชซญดตถทนบปผพฟมยรลวศสหอฮ"
THAI_MARKS = ["", "\u0e34", "\u0e35", "\u0e38", "\u0e48", "\u0e49", "\u0e31\u0e49"]


def words(alphabet: str) -> st.SearchStrategy[str]:
    return st.text(alphabet, min_size=2, max_size=8)


THAI_WORD = st.lists(st.tuples(st.sampled_from(THAI_CONSONANTS), st.sampled_from(THAI_MARKS)),
                     min_size=2, max_size=5).map(lambda s: "".join(c + m for c, m in s))
NAMES = st.one_of(
    st.lists(words(LATIN), min_size=1, max_size=3).map(lambda w: " ".join(w).title()),
    st.lists(words(VIETNAMESE), min_size=1, max_size=3).map(" ".join),
    st.lists(words(ARABIC), min_size=1, max_size=3).map(" ".join),
    st.lists(THAI_WORD, min_size=1, max_size=2).map(" ".join),
)


def label(lang: str) -> str:
    return str(load_content(KRATOM / f"{lang}.yaml").labels["prepared_for"])


def read_back(pdf: bytes) -> list[str]:
    """What a screen reader gets for each paragraph of the first page."""
    return [structtext.normal(e.text) for e in structtext.elements(reader(pdf))
            if e.role == "/P" and e.page == 1]


def first_page_fonts(pdf: bytes) -> set[str]:
    return {str(f.get_object()["/BaseFont"]).split("+")[-1]
            for f in reader(pdf).pages[0]["/Resources"]["/Font"].values()}


@given(name=NAMES, lang=st.sampled_from(["en", "ar", "th"]))
def test_a_name_in_any_shipped_script_reads_back_as_typed_on_any_edition(
        name: str, lang: str) -> None:
    [result] = brochure.build(KRATOM, languages=lang, layouts="general", out_dir=None,
                              prepared_for=name)
    texts = read_back(result.pdf)
    line = structtext.normal(label(lang).replace("{name}", name))
    before = structtext.normal(label(lang).split("{name}")[0])
    # on one line with its label, or (no font has both) on its own line after it
    assert line in texts or (before in texts and structtext.normal(name) in texts), texts


@given(note=st.lists(NAMES, min_size=1, max_size=4).map(" ".join),
       lang=st.sampled_from(["en", "es", "ar", "th", "vi"]))
def test_a_note_in_any_shipped_script_reads_back_as_typed(note: str, lang: str) -> None:
    if len({script(ch) for ch in note if ch != " "} - {"latin"}) > 1:
        return  # two non-Latin scripts in one note: no one shipped font has both
    [result] = brochure.build(KRATOM, languages=lang, layouts="general", out_dir=None,
                              note=note)
    assert structtext.normal(note) in read_back(result.pdf)


def script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return "arabic" if "ARABIC" in name else "thai" if "THAI" in name else (
        "vietnamese" if ch in VIETNAMESE and ch not in LATIN else "latin")


def drawn_text(pdf: bytes) -> str:
    """The first page's glyphs left to right as poppler reads them (NFKC: presentation
    forms as the letters), without the direction marks it adds."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        out = subprocess.run(["pdftotext", "-raw", "-f", "1", "-l", "1", handle.name, "-"],
                             capture_output=True, text=True, check=True).stdout
    return "".join(ch for ch in unicodedata.normalize("NFKC", out)
                   if unicodedata.category(ch) != "Cf")


@pytest.mark.skipif(shutil.which("pdftotext") is None,
                    reason="pdftotext (poppler-utils) is not installed")
def test_an_arabic_name_on_an_english_handout_is_joined_and_right_to_left() -> None:
    name = "محمد علي"
    [en] = brochure.build(KRATOM, layouts="general", out_dir=None, prepared_for=name)
    [elem] = [e for e in structtext.elements(reader(en.pdf))
              if e.role == "/P" and e.actual_text and name in e.actual_text]
    assert elem.actual_text == f"Prepared for {name}"
    # drawn as joined forms (presentation forms), and right to left: the glyphs from
    # left to right are the name's letters last to first
    assert any("\ufe70" <= ch <= "\ufeff" for ch in reader(en.pdf).pages[0].extract_text())
    drawn = drawn_text(en.pdf)
    assert "Prepared for " + name[::-1] in drawn, drawn
    assert any(font.startswith("NotoSansArabic") for font in first_page_fonts(en.pdf))


def test_a_thai_name_on_an_english_handout_is_in_the_thai_font_and_reads_back() -> None:
    name = "สมชาย ใจดี"
    [en] = brochure.build(KRATOM, layouts="general", out_dir=None, prepared_for=name,
                          note="โทรหาเราก่อนมาพบครั้งหน้า")
    texts = read_back(en.pdf)
    assert f"Prepared for {name}" in texts and "โทรหาเราก่อนมาพบครั้งหน้า" in texts
    assert any(font.startswith("Sarabun-Bold") for font in first_page_fonts(en.pdf))


def test_a_latin_name_on_an_arabic_handout_keeps_its_letters_in_order() -> None:
    [ar] = brochure.build(KRATOM, languages="ar", layouts="general", out_dir=None,
                          prepared_for="Nguyễn Văn An", note="Call us on Monday.")
    texts = read_back(ar.pdf)
    assert "Nguyễn Văn An" in texts and "Call us on Monday." in texts
    assert structtext.normal(label("ar").split("{name}")[0]) in texts


def test_a_name_no_shipped_font_draws_is_refused_naming_the_letter() -> None:
    with pytest.raises(ContentError) as err:
        brochure.build(KRATOM, languages="ar", layouts="general", out_dir=None,
                       prepared_for="王小明")
    assert "prepared-for: the character '王' (U+738B" in str(err.value)
    with pytest.raises(ContentError, match="note: the character 'ก'"):
        brochure.build(KRATOM, layouts="general", out_dir=None, note="محمد ก")
