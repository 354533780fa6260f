"""Thai line breaking for ReportLab.

Thai puts no spaces between words, and ReportLab breaks lines only at whitespace: a Thai
sentence is one long "word" that `splitLongWords` cuts wherever the line is full, in the
middle of a word. ReportLab 5.1 has no zero-width break opportunity: U+200B splits
words only in a fragment that also holds a NO-BREAK SPACE, and the words are then drawn
joined by a full space; soft hyphens add a "-"; the hyphenation hooks take Latin letters
only; wordWrap="CJK" breaks between any two characters and does not shape.

What works: a space set in a tiny font between two words, `<font size="0.01"> </font>`.
ReportLab breaks there and the gap is 0.003 pt wide. `ThaiParagraph` inserts these marks
at the word boundaries found by PyThaiNLP's dictionary tokenizer (newmm) and leaves the
tiny spaces out when it draws, so they do not end up in copied or extracted text.
A boundary is never put inside a cluster: not before a combining mark (U+0E31,
U+0E34-U+0E3A, U+0E47-U+0E4E) or a following vowel (U+0E30, U+0E32, U+0E33, U+0E45),
not before ๆ or ฯ, not after a leading vowel (U+0E40-U+0E44).

PyThaiNLP is imported on first use, so this module imports without it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from ..markup import escape
from . import shaping

shaping.install()  # Thai words are shaped at every width a paragraph is tried at: once

__all__ = [
    "BREAK_MARKUP",
    "ThaiParagraph",
    "add_thai_breaks",
    "break_points",
    "insert_break_opportunities",
    "is_cluster_boundary",
    "segment",
    "thai_paragraph",
    "thai_style",
]

# The font size that marks a break frag; no real text is set this small.
_BREAK_SIZE = 0.01
BREAK_MARKUP = f'<font size="{_BREAK_SIZE}"> </font>'

_THAI_LETTER = re.compile("[\u0e01-\u0e4e]")
_COMBINING = frozenset("\u0e31" + "".join(map(chr, range(0x0E34, 0x0E3B)))
                       + "".join(map(chr, range(0x0E47, 0x0E4F))))
# Spacing vowels that follow their consonant, and the repetition/abbreviation signs.
_NEVER_FIRST = frozenset("\u0e30\u0e32\u0e33\u0e45\u0e46\u0e2f")
_NEVER_LAST = frozenset("\u0e40\u0e41\u0e42\u0e43\u0e44")  # vowels written before
_TAG = re.compile(r"(<[^>]*>)")


def is_cluster_boundary(text: str, index: int) -> bool:
    """May a line end between text[index - 1] and text[index]?

    In: a string and a position inside it (0 < index < len(text)). Out: False where
    the break would split a Thai cluster or syllable as described in the module doc,
    True elsewhere (including non-Thai text: the caller decides about that).
    """
    if not 0 < index < len(text):
        return False
    before, after = text[index - 1], text[index]
    return not (after in _COMBINING or after in _NEVER_FIRST or before in _NEVER_LAST)


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    try:
        from pythainlp.tokenize import word_tokenize
    except ImportError as error:
        raise ImportError("Thai word breaking needs PyThaiNLP: pip install pythainlp") from error
    return word_tokenize


def segment(text: str) -> list[str]:
    """Split text into words with PyThaiNLP's newmm dictionary tokenizer.

    In: any text. Out: tokens whose concatenation is exactly `text`; whitespace and
    non-Thai runs come back as their own tokens. Tokens are merged where newmm's
    boundary would split a cluster (see is_cluster_boundary).
    """
    if not _THAI_LETTER.search(text):
        return [text] if text else []
    tokens = _tokenizer()(text, engine="newmm", keep_whitespace=True)
    if "".join(tokens) != text:  # never lose or change a character
        return [text]
    words: list[str] = []
    position = 0
    for token in tokens:
        if words and not is_cluster_boundary(text, position):
            words[-1] += token
        else:
            words.append(token)
        position += len(token)
    return words


def break_points(text: str) -> list[int]:
    """Where a line may break inside Thai text.

    In: text. Out: sorted indices i such that a break between text[i - 1] and text[i]
    falls between two Thai words (both sides contain Thai letters and no whitespace).
    Spaces already are break opportunities, so they are not listed.
    """
    points: list[int] = []
    position = 0
    words = segment(text)
    for left, right in pairwise(words):
        position += len(left)
        if (_THAI_LETTER.search(left) and _THAI_LETTER.search(right)
                and not left[-1].isspace() and not right[0].isspace()):
            points.append(position)
    return points


def insert_break_opportunities(text: str, marker: str = "\u200b") -> str:
    """Put `marker` (default ZERO WIDTH SPACE) between Thai words.

    In: plain text and the marker. Out: the text with the marker at each break_points
    position. Useful for renderers that honour U+200B; ReportLab does not (use
    ThaiParagraph or add_thai_breaks there).
    """
    pieces: list[str] = []
    start = 0
    for point in break_points(text):
        pieces.append(text[start:point])
        start = point
    pieces.append(text[start:])
    return marker.join(pieces)


def add_thai_breaks(markup: str) -> str:
    """Insert ReportLab break marks between Thai words of paragraph markup.

    In: ReportLab paragraph markup (plain text must be XML-escaped first). Out: the same
    markup with BREAK_MARKUP between Thai words. Tags are left alone; no break is added
    across a tag (a word may continue after <b>), so text inside one tag pair is
    segmented on its own.
    """
    out: list[str] = []
    for chunk in _TAG.split(markup):
        if not chunk or chunk.startswith("<"):
            out.append(chunk)
        else:
            out.append(insert_break_opportunities(chunk, BREAK_MARKUP))
    return "".join(out)


def _is_break_frag(frag: Any) -> bool:
    text = getattr(frag, "text", None)
    return (isinstance(text, str) and not text.strip()
            and abs(getattr(frag, "fontSize", 0) - _BREAK_SIZE) < 1e-9)


class ThaiParagraph(Paragraph):
    """A Paragraph that wraps Thai between words, never inside a word or cluster.

    In: the same arguments as Paragraph; `text` is markup (escape plain text). Thai
    break marks are added to it. Drawing leaves the marks' tiny spaces out, so text
    copied from the PDF has no spaces between words. Split parts stay ThaiParagraphs.
    """

    def __init__(self, text: str | None, style: ParagraphStyle | None = None,
                 *args: Any, **kwargs: Any) -> None:
        # Split parts are rebuilt from frags with text=None: nothing to add then.
        if isinstance(text, str):
            text = add_thai_breaks(text)
        super().__init__(text, style, *args, **kwargs)

    def draw(self) -> None:
        """Draw without the break marks' spaces, then put the lines back as they were
        (split() reuses them)."""
        lines = getattr(self.blPara, "lines", [])
        saved = []
        for line in lines:
            words = getattr(line, "words", None)
            if not isinstance(words, list):
                continue  # a kind-0 line: one frag, no marks
            kept = [frag for frag in words if not _is_break_frag(frag)]
            if kept and len(kept) != len(words):
                saved.append((line, words))
                line.words = kept
        try:
            super().draw()
        finally:
            for line, words in saved:
                line.words = words


def thai_style(name: str, font_name: str, parent: ParagraphStyle | None = None,
               **attributes: Any) -> ParagraphStyle:
    """A ParagraphStyle for Thai.

    In: style name, a registered TrueType font with Thai (Noto Sans Thai), an optional
    parent and any other ParagraphStyle attributes. Out: the style with shaping=1 (so
    HarfBuzz stacks tone marks over upper vowels) unless the attributes say otherwise.
    """
    settings: dict[str, Any] = {"shaping": 1}
    settings.update(attributes)
    return ParagraphStyle(name, parent=parent, fontName=font_name, **settings)


def thai_paragraph(text: str, style: ParagraphStyle, **kwargs: Any) -> ThaiParagraph:
    """A ThaiParagraph from plain text. In: text (escaped here), style, other Paragraph
    arguments. Out: the paragraph."""
    return ThaiParagraph(escape(text), style, **kwargs)
