"""Shaped words, shaped once: HarfBuzz's result for a word kept for the next time.

In: a ReportLab fragment word (its width, then (fragment, text) pairs). Out: the word as
`reportlab.pdfbase.ttfonts.shapeFragWord` shapes it, the same value, built from the
caller's own fragments.

ReportLab shapes every word of a paragraph each time it breaks the paragraph into lines,
and a paragraph is broken at every width it is tried at (frames, table cells, the trial
layouts of shrink-to-fit): one Thai clinic handout shaped about 43,000 words for a few
thousand distinct ones, a fifth of its time. What HarfBuzz returns depends only on the
text, font and size of each piece of the word, so the result is kept under those: the
shaped strings (immutable, with their glyph data) are shared; the list and its
(fragment, text) pairs are made anew from the caller's fragments, which carry everything
else (colour, links, language marks). Words holding a callback (a language mark, a
bullet anchor) and calls with other features are shaped as ReportLab does.
"""

from __future__ import annotations

from typing import Any

from reportlab.pdfbase import ttfonts
from reportlab.platypus import paragraph as rl_paragraph

MEMO_SIZE = 50_000  # words; a long batch starts afresh rather than growing without end

_shape = ttfonts.shapeFragWord
_memo: dict[tuple, tuple | None] = {}


def shape_frag_word(w: Any, *options: Any, **named: Any) -> Any:
    """`ttfonts.shapeFragWord`, remembered (see the module) for the call ReportLab's
    line breaking makes: the word alone, default features."""
    if options or named or isinstance(w, ttfonts.ShapedFragWord):
        return _shape(w, *options, **named)
    pieces = w[1:]
    if any(hasattr(frag, "cbDefn") for frag, _ in pieces):
        return _shape(w)
    key = (type(w), w[0], tuple((frag.fontName, frag.fontSize, text) for frag, text in pieces))
    if key in _memo:
        kept = _memo[key]
        if kept is None:
            return w
        kind, width, parts = kept
        return kind([width, *((pieces[i][0], text) for i, text in parts)])
    shaped = _shape(w)
    if shaped is w:
        kept = None
    else:
        frags = [frag for frag, _ in pieces]
        parts = tuple((_index(frags, frag), text) for frag, text in shaped[1:])
        kept = (type(shaped), shaped[0], parts)
    if len(_memo) >= MEMO_SIZE:
        _memo.clear()
    _memo[key] = kept
    return shaped


def _index(frags: list, frag: object) -> int:
    for i, candidate in enumerate(frags):
        if candidate is frag:
            return i
    raise LookupError("a shaped piece's fragment is not one of the word's")


def install() -> None:
    """Have ReportLab's line breaking shape through the memo (once per process)."""
    if rl_paragraph.shapeFragWord is not shape_frag_word:
        rl_paragraph.shapeFragWord = shape_frag_word
