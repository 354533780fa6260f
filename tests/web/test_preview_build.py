"""The page's builds skip the read-back checks and start shrink-to-fit where the edition
without the personal line ended: the PDF a counselor downloads is still, byte for byte,
the one ``brochure build`` makes."""

from __future__ import annotations

import pytest

import brochure
from brochure.typeset.geometry import PrintOptions
from brochure.web.workers import Job, build_unchecked
from tests.conftest import EXAMPLE_CLINIC, KRATOM


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
