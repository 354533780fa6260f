"""A paragraph and a width → its line breaks, worked out once for every edition that sets it.

In: a ReportLab ``Paragraph`` about to be wrapped at a width. Out: the paragraph wrapped
— its lines, width and height — as ``Paragraph.wrap`` leaves it.

The editions of a batch set the same paragraphs in the same styles at the same widths
(only the clinic's lines or a patient's name differ), and one edition asks for a
paragraph's lines at several widths (table columns, trial splits). ReportLab breaks the
lines anew each time. Here the result is kept under everything the breaking reads —
the paragraph's fragments by value, its style (styles are shared and never changed,
`typeset.styles`), its other attributes and the width — for single-style paragraphs
(ReportLab's "kind 0": one fragment, no shaping, no right-to-left text), whose lines are
plain lists of words. Each paragraph gets its own copy of the lists, so nothing a later
split or drawing does to them reaches another paragraph.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from reportlab.platypus import Paragraph
from reportlab.platypus.paragraph import _processed_frags

from .frozen import frozen

# What `Paragraph.wrap` sets (and `Tagged.wrap`'s own mark): not part of the key.
_OUTPUTS = frozenset({"width", "height", "_wrapWidths", "_width_max", "blPara",
                      "_splitLongWordCount", "_hyphenations", "_wrapped_at"})
WORTH_REMEMBERING = 100  # characters: shorter paragraphs are broken afresh
_KEPT = 2048  # paragraph × width results (a few hundred bytes each)
_REMEMBERED: OrderedDict[tuple, dict[str, Any]] = OrderedDict()
_MISSING = object()
_KEY = "_brochure_line_key"  # a paragraph's own part of the key, with what it was made of


def wrap(paragraph: Paragraph, width: float, height: float) -> tuple[float, float]:
    """``paragraph.wrap(width, height)``, its line breaks remembered (see the module)."""
    key = _key(paragraph, width)
    if key is None:
        return paragraph.wrap(width, height)
    known = _REMEMBERED.get(key)
    if known is not None:
        _REMEMBERED.move_to_end(key)
        state = paragraph.__dict__
        for name, value in known.items():
            state[name] = _copied(value)
        return paragraph.width, paragraph.height
    before = dict(paragraph.__dict__)
    size = paragraph.wrap(width, height)
    made = {name: value for name, value in paragraph.__dict__.items()
            if before.get(name, _MISSING) is not value and name != _KEY}
    if _rememberable(made) and size == (paragraph.width, paragraph.height):
        _REMEMBERED[key] = {name: _copied(value) for name, value in made.items()}
        while len(_REMEMBERED) > _KEPT:
            _REMEMBERED.popitem(last=False)
    return size


def _key(paragraph: Paragraph, width: float) -> tuple | None:
    if type(paragraph) is not Paragraph or width < 1:
        return None
    state = paragraph.__dict__
    frags = state.get("frags")
    if not frags or len(getattr(frags[0], "text", "") or "") < WORTH_REMEMBERING:
        return None  # (a short one is broken sooner than its key is made)
    inputs = tuple((name, value) for name, value in state.items()
                   if name not in _OUTPUTS and name != _KEY)
    known = state.get(_KEY)
    # The paragraph's part of the key, kept while its inputs are the same objects
    # (ReportLab replaces a single-style paragraph's fragment, it never edits it).
    if known is not None and len(known[0]) == len(inputs) and all(
            a is b for (_, a), (_, b) in zip(known[0], inputs, strict=True)):
        own = known[1]
    else:
        own = _own_key(paragraph)
        state[_KEY] = (inputs, own)
    return None if own is None else (width, *own)


def _own_key(paragraph: Paragraph) -> tuple | None:
    """What of the paragraph decides its lines, or None when it is not a single-style
    paragraph or holds a value that cannot be compared."""
    frags, style = paragraph.__dict__.get("frags"), paragraph.style
    if (not frags or len(frags) != 1 or hasattr(frags[0], "cbDefn")
            or hasattr(frags[0], "backColor") or _processed_frags(frags)
            or getattr(style, "endDots", None) or getattr(style, "shaping", 0)
            or (style.wordWrap or "").upper() in ("CJK", "RTL", "LTR")):
        return None  # not ReportLab's single-style case
    fragment = frozen(frags[0])
    rest = frozen(sorted((name, value) for name, value in paragraph.__dict__.items()
                         if name not in _OUTPUTS and name not in ("frags", "style", _KEY)))
    if fragment is None or rest is None:
        return None
    return style, fragment, rest


def _rememberable(made: dict[str, Any]) -> bool:
    lines = made.get("blPara")
    return (lines is not None and getattr(lines, "kind", None) == 0
            and all(type(line) is tuple and len(line) == 2 and type(line[1]) is list
                    for line in lines.lines)
            and all(isinstance(value, int | float | list) for name, value in made.items()
                    if name != "blPara"))


def _copied(value: Any) -> Any:
    """A copy of a wrap's output that shares nothing that can be changed."""
    if isinstance(value, list):
        return list(value)
    if hasattr(value, "lines"):  # the line breaks: a fragment holding (space, words) lines
        twin = value.clone()
        twin.lines = [(space, list(words)) for space, words in value.lines]
        return twin
    return value
