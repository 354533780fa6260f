"""Shaping remembered (typeset.scripts.shaping): the same shaped words, and the same PDF,
as ReportLab's own shaping gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.lib.abag import ABag
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import paragraph as rl_paragraph

import brochure
from brochure.typeset.fonts import font_set
from brochure.typeset.scripts import shaping
from tests.typeset.generated import words


def _word(pieces: list[tuple[str, float, str]]) -> list:
    width = sum(pdfmetrics.stringWidth(text, font, size) for font, size, text in pieces)
    return [width, *((ABag(fontName=font, fontSize=size, textColor=None), text)
                     for font, size, text in pieces)]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(words("th")), st.sampled_from([8.4, 9.5, 12.0]),
                          st.booleans()), min_size=1, max_size=3))
def test_a_remembered_word_is_the_word_reportlab_shapes(pieces) -> None:  # type: ignore[no-untyped-def]
    fonts = font_set("th")
    spec = [(fonts.bold if bold else fonts.regular, size, text) for text, size, bold in pieces]
    for _ in range(2):  # shaped, then from the memo
        word = _word(spec)
        got = shaping.shape_frag_word(word)
        want = shaping._shape(_word(spec))
        assert type(got) is type(want)
        # The pieces are the caller's own fragments, the text and glyph data ReportLab's.
        assert [str(t) for _, t in got[1:]] == [str(t) for _, t in want[1:]]
        assert [getattr(t, "__shapeData__", None) for _, t in got[1:]] == \
            [getattr(t, "__shapeData__", None) for _, t in want[1:]]
        assert got[0] == want[0]
        assert all(any(f is g for g, _ in word[1:]) for f, _ in got[1:]) or got is word


def test_a_thai_handout_is_the_same_with_and_without_the_memo() -> None:
    built = {}
    for remembered in (True, False):
        rl_paragraph.shapeFragWord = (shaping.shape_frag_word if remembered
                                      else shaping._shape)
        try:
            [result] = brochure.build("kratom", languages="th", layouts="clinic",
                                      out_dir=None, prepared_for="สมชาย")
        finally:
            shaping.install()
        built[remembered] = result.pdf
    assert built[True] == built[False]
