"""The page's builds skip the read-back checks and start shrink-to-fit where the edition
without the personal line ended: the PDF a counselor downloads is still, byte for byte,
the one ``brochure build`` makes."""

from __future__ import annotations

import pytest

import brochure
from brochure.typeset.geometry import PrintOptions
from brochure.web.workers import Job, build_unchecked
from tests.conftest import EXAMPLE_CLINIC, KRATOM, pdf_text


@pytest.mark.parametrize(("lang", "layout", "clinic", "name", "note", "gray", "qr"), [
    ("es", "general", False, "Ana López", "Llámenos antes de su visita.", False, None),
    ("en", "clinic", True, "محمد علي", None, True, "https://example.org/kratom"),
    ("ar", "general", False, "สมชาย ใจดี", "Call us on Monday.", False, None),
])
def test_the_page_gets_the_bytes_the_command_line_builds(
        lang: str, layout: str, clinic: bool, name: str, note: str | None, gray: bool,
        qr: str | None) -> None:
    profile = EXAMPLE_CLINIC if clinic else None
    [built] = brochure.build(KRATOM, languages=lang, layouts=layout, clinic=profile,
                             out_dir=None, prepared_for=name, note=note,
                             options=PrintOptions(grayscale=gray, qr=qr))
    job = Job(KRATOM, lang, layout, profile, None, name, note, gray, qr)
    assert build_unchecked(job) == (built.pdf, built.pages)


@pytest.mark.parametrize(("pair", "layout", "name"), [("es+en", "general", "Ana López"),
                                                      ("ar+en", "clinic", None)])
def test_a_bilingual_edition_from_the_page_is_the_command_lines(
        pair: str, layout: str, name: str | None) -> None:
    [built] = brochure.build(KRATOM, languages=pair, layouts=layout, clinic=EXAMPLE_CLINIC,
                             out_dir=None, prepared_for=name)
    first, second = pair.split("+")
    job = Job(KRATOM, first, layout, EXAMPLE_CLINIC, None, name, None, False, None,
              also=second)
    assert build_unchecked(job) == (built.pdf, built.pages)


def test_after_a_personalised_preview_the_edition_without_the_name_is_ready() -> None:
    """Clearing the name shows it at once, and the next previews start shrink-to-fit at
    its scale: it is built in the background, once, holding no personal data."""
    import time

    from brochure import paths
    from brochure.web.catalogue import load_catalogue
    from brochure.web.choice import parse_choice
    from brochure.web.editions import Editions

    catalogue = load_catalogue(paths.builtin("content"), [EXAMPLE_CLINIC])
    editions = Editions(catalogue)
    fields = {"topic": "kratom", "lang": "en", "layout": "clinic", "clinic": "example"}
    editions.preview(parse_choice({**fields, "name": "Ana López"}, catalogue))
    plain = parse_choice(fields, catalogue)
    deadline = time.monotonic() + 60
    while editions._priming and time.monotonic() < deadline:
        time.sleep(0.05)
    cached = [key for key in editions._cache if key[0] == plain.key]
    assert cached, "the edition without the name was not built"
    assert all("Ana" not in repr(key) for key in editions._cache)
    built = editions._cache[cached[0]]
    assert "Ana" not in pdf_text(built.pdf) and "Prepared for" not in pdf_text(built.pdf)
