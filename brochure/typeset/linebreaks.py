"""A paragraph and a width → its line breaks, worked out once for every edition that sets it.

In: a ReportLab ``Paragraph`` about to be wrapped at a width. Out: the paragraph wrapped
— its lines, width and height — as ``Paragraph.wrap`` leaves it.

The editions of a batch set the same paragraphs in the same styles at the same widths
(only the clinic's lines or a patient's name differ), and one edition asks for a
paragraph's lines at several widths (table columns, trial splits). ReportLab breaks the
lines anew each time. Here the result is kept under everything the breaking reads —
the paragraph's fragments by value, its style (styles are shared and never changed,
`typeset.styles`), its other attributes and the width — for paragraphs without
pictures, callbacks (a language span's marks), shaping or right-to-left text, whose
lines are lists of words (one style, ReportLab's "kind 0") or of word fragments (several
styles, "kind 1"). Each paragraph gets its own copy of its lines and words, so nothing a
later split or drawing does to them reaches another paragraph.
"""

from __future__ import annotations

import contextlib
import copy
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
    state = paragraph.__dict__
    known = _REMEMBERED.get(key)
    if known is not None:
        with contextlib.suppress(KeyError):  # (evicted meanwhile by another thread)
            _REMEMBERED.move_to_end(key)
        for name, value in known.items():
            state[name] = _copied(value)
        _after_wrap(state, key)
        return paragraph.width, paragraph.height
    before = dict(state)
    size = paragraph.wrap(width, height)
    made = {name: value for name, value in state.items()
            if before.get(name, _MISSING) is not value and name != _KEY}
    if _rememberable(made) and size == (paragraph.width, paragraph.height):
        _REMEMBERED[key] = {name: _copied(value) for name, value in made.items()}
        while len(_REMEMBERED) > _KEPT:
            _REMEMBERED.popitem(last=False)
        _after_wrap(state, key)
    return size


def made_from(paragraph: Paragraph, recipe: tuple) -> Paragraph:
    """*paragraph*, marked as made from *recipe* — hashable values that decide its
    fragments and attributes wholly (`paragraphs.make`: the runs, style and bullet) — so
    its key is the recipe instead of a walk through its fragments."""
    state = paragraph.__dict__
    if _text_length(state.get("frags") or []) >= WORTH_REMEMBERING:
        eligible = type(paragraph) is Paragraph and _eligible(paragraph)
        state[_KEY] = (_inputs(state), ("made of", recipe) if eligible else None,
                       _kinds(state))
    return paragraph


def _after_wrap(state: dict, key: tuple) -> None:
    """A paragraph whose wrap replaced its fragments (ReportLab keeps a two-style
    paragraph's words once broken up) is keyed from now on by what it was before and
    the width it was broken at: that decides the words exactly, and costs nothing to
    tell (the words themselves would cost a walk through every one)."""
    known, inputs = state.get(_KEY), _inputs(state)
    if known is None or _same(known, inputs, state):
        return
    state[_KEY] = (inputs, ("broken at", key), _kinds(state))


def _same(known: tuple, inputs: tuple, state: dict) -> bool:
    """Whether the paragraph is as it was when its key was made: the same objects, and
    its broken-up words of the same classes (a split re-classes the last word it keeps)."""
    return (len(known[0]) == len(inputs)
            and all(a is b for (_, a), (_, b) in zip(known[0], inputs, strict=True))
            and known[2] == _kinds(state))


def _kinds(state: dict) -> tuple:
    return tuple(map(type, state.get("frags") or ()))


def _inputs(state: dict) -> tuple:
    return tuple((name, value) for name, value in state.items()
                 if name not in _OUTPUTS and name != _KEY)


def _key(paragraph: Paragraph, width: float) -> tuple | None:
    if type(paragraph) is not Paragraph or width < 1:
        return None
    state = paragraph.__dict__
    frags = state.get("frags")
    if not frags or _text_length(frags) < WORTH_REMEMBERING:
        return None  # (a short one is broken sooner than its key is made)
    inputs = _inputs(state)
    known = state.get(_KEY)
    # The paragraph's part of the key, kept while its inputs are the same objects
    # (ReportLab replaces a paragraph's fragments when it breaks them, it never edits
    # them in place).
    if known is not None and _same(known, inputs, state):
        own = known[1]
    else:
        own = _own_key(paragraph)
        state[_KEY] = (inputs, own, _kinds(state))
    return None if own is None else (width, *own)


def _text_length(frags: list) -> int:
    if _processed_frags(frags):  # words: [width, (fragment, text), ...]
        return sum(len(piece[1]) for word in frags for piece in word[1:])
    return sum(len(getattr(f, "text", "") or "") for f in frags)


def _fragments(frags: list) -> list:
    if _processed_frags(frags):
        return [piece[0] for word in frags for piece in word[1:]]
    return frags


def layout_key(paragraph: Paragraph) -> tuple | None:
    """What decides how *paragraph* measures and splits, as a hashable value (the recipe
    or the breaking it was made by, when known; else its style, fragments and other
    attributes by value), or None when it holds a value that cannot be compared. The
    balanced columns' memory (`columns`) keys paragraphs by it too."""
    state = paragraph.__dict__
    known = state.get(_KEY)
    if known is not None and known[1] is not None and _same(known, _inputs(state), state):
        return known[1]
    return _values_key(paragraph)


def _own_key(paragraph: Paragraph) -> tuple | None:
    """What of the paragraph decides its lines, or None when it is a paragraph this does
    not remember (pictures or callbacks in it, shaped or right-to-left text) or holds a
    value that cannot be compared."""
    return _values_key(paragraph) if _eligible(paragraph) else None


def _values_key(paragraph: Paragraph) -> tuple | None:
    state = paragraph.__dict__
    fragments = frozen(state.get("frags"))
    rest = frozen(sorted((name, value) for name, value in state.items()
                         if name not in _OUTPUTS and name not in ("frags", "style", _KEY)))
    if fragments is None or rest is None:
        return None
    return paragraph.style, fragments, rest


def _eligible(paragraph: Paragraph) -> bool:
    frags, style = paragraph.__dict__.get("frags") or [], paragraph.style
    return not (any(hasattr(f, "cbDefn") or hasattr(f, "backColor")
                    for f in _fragments(frags))
                or getattr(style, "endDots", None) or getattr(style, "shaping", 0)
                or (style.wordWrap or "").upper() in ("CJK", "RTL", "LTR"))


def _rememberable(made: dict[str, Any]) -> bool:
    lines = made.get("blPara")
    if lines is None or getattr(lines, "kind", None) not in (0, 1):
        return False
    if lines.kind == 0:  # (space left, [words]) per line
        shaped = all(type(line) is tuple and len(line) == 2 and type(line[1]) is list
                     for line in lines.lines)
    else:  # a fragment per line, holding its words as fragments
        shaped = all(type(getattr(line, "words", None)) is list and all(
            hasattr(word, "clone") for word in line.words) for line in lines.lines)
    return shaped and all(isinstance(value, int | float | list)
                          for name, value in made.items() if name != "blPara")


def _copied(value: Any) -> Any:
    """A copy of a wrap's output that shares nothing that can be changed: the lines and
    their word lists and word fragments (a split or a drawn word break edits those), and
    the paragraph's broken-up words (a split changes a word's class)."""
    if isinstance(value, list):
        return [copy.copy(item) if isinstance(item, list) else item for item in value]
    if hasattr(value, "lines"):
        twin = value.clone()
        if value.kind == 0:
            twin.lines = [(space, list(words)) for space, words in value.lines]
        else:
            twin.lines = [line.clone(words=[word.clone() for word in line.words])
                          for line in value.lines]
        return twin
    return value
