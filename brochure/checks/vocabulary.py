"""Handout parts + a word list → plain-wording checks: medical terms explained on first use.

In: the `handout.Part`s of an edition (the text a reader meets, in the layout's order),
the edition's content and layout, and the language's word list
(`source.vocabulary`). Out: one failing `Check` per listed term whose first use in the
running text is not explained right there, naming the part, the file and line, and an
everyday explanation to use where the list has one; then one row summing up.

A term counts as explained at its first use when, somewhere in the paragraph, list item
or cell of that first use, it is followed by one of the list's ``explained_by`` cues
("withdrawal (feeling sick when you stop)", "benzodiazepines, such as Xanax", "Opioids
are strong pain medicines") or preceded by one of its ``introduced_by`` cues ("sleep
pills called benzodiazepines", "Food and Drug Administration (FDA)"). The cues are
surface patterns: they find a missing explanation, not a poor one. Headings and labels
are not running text and are skipped. Only plain wording is checked: a clinical edition
is written for readers who know the terms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import Problem
from ..source.layouts import Layout
from ..source.model import Content
from ..source.vocabulary import Term, Vocabulary, load_vocabulary, vocabulary_file
from ..source.yamlsource import Node
from .handout import Part
from .report import Check


@dataclass(frozen=True)
class FirstUse:
    term: Term
    spelling: str  # as written in the text
    part: Part
    text: str  # the paragraph, item or cell it is in
    explained: bool


def _pattern(term: Term, whole_words: bool) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(s) for s in term.spellings)
    if whole_words:
        return re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])", re.IGNORECASE)
    return re.compile(rf"(?:{alternatives})", re.IGNORECASE)


def _explained_at(text: str, start: int, end: int, vocabulary: Vocabulary) -> bool:
    after = text[end:].lstrip().lower()
    before = text[:start].rstrip().lower()
    return (any(after.startswith(cue.lstrip().lower()) for cue in vocabulary.explained_by)
            or any(before.endswith(cue.rstrip().lower()) for cue in vocabulary.introduced_by))


def _explained(text: str, pattern: re.Pattern[str], vocabulary: Vocabulary) -> bool:
    """Is any use of the term in *text* followed or preceded by an explaining cue?"""
    return any(_explained_at(text, m.start(), m.end(), vocabulary)
               for m in pattern.finditer(text))


def first_uses(parts: list[Part], vocabulary: Vocabulary) -> list[FirstUse]:
    """The first use of every listed term in the running text, in reading order."""
    patterns = [(term, _pattern(term, vocabulary.match == "words"))
                for term in vocabulary.terms]
    found: dict[str, FirstUse] = {}
    for part in parts:
        for unit in part.units:
            if not unit.prose:
                continue
            for term, pattern in patterns:
                if term.term in found:
                    continue
                match = pattern.search(unit.text)
                if match:
                    found[term.term] = FirstUse(
                        term, match.group(0), part, unit.text,
                        _explained(unit.text, pattern, vocabulary))
    return sorted(found.values(), key=lambda u: _order(parts, u))


def _order(parts: list[Part], use: FirstUse) -> tuple[int, int]:
    index = parts.index(use.part)
    texts = [u.text for u in use.part.units]
    return index, texts.index(use.text)


def checks(parts: list[Part], content: Content, layout: Layout) -> list[Check]:
    """Every listed term's first use, checked for an explanation (plain wording only)."""
    if layout.wording != "plain":
        return [Check("plain words", "medical terms", "n/a — clinical wording, written for "
                      "readers who know the terms", "", "n/a")]
    vocabulary = load_vocabulary(content.file, content.language)
    if vocabulary is None:
        where = vocabulary_file(content.file, content.language)
        return [Check("plain words", "medical terms", f"n/a — no word list for "
                      f"{content.language!r} ({where.parent.name}/{where.name})", "", "n/a")]
    uses = first_uses(parts, vocabulary)
    out = [_unexplained(use, content) for use in uses if not use.explained]
    figure = (f"{len(uses)} of {len(vocabulary.terms)} listed terms used; "
              f"{len(out)} not explained at first use")
    # (each unexplained term is its own failing row, with the message to act on)
    out.append(Check("plain words", "medical terms", figure, "explained on first use",
                     "info" if out else "pass", values={
                         "used": [u.term.term for u in uses],
                         "unexplained": [c.subject for c in out]}))
    return out


def _unexplained(use: FirstUse, content: Content) -> Check:
    node, key = _where(use)
    where = Problem(content.file, node.line if node else None,
                    node.column if node else None, key, "")
    hint = (f', e.g. "{use.spelling} ({use.term.plain})"' if use.term.plain else "")
    message = (f'{str(where).rstrip()} "{use.spelling}" is first used in "{use.part.title}" '
               f"without an explanation; explain it right there{hint}, or use everyday "
               "words")
    return Check("plain words", use.term.term, f'first used in "{use.part.title}"',
                 "explained on first use", "fail", message,
                 {"part": use.part.key, "text": use.text})


def _where(use: FirstUse) -> tuple[Node | None, str]:
    """The content file's text node the first use is in (or the part's, if not found)."""
    part = use.part
    needle = use.spelling.lower()
    for key, node in _leaves(part.node, part.key):
        text = str(node.value)
        if needle in text.lower() and text in use.text:
            return node, key
    return part.node, part.key


def _leaves(node: Node | None, path: str) -> list[tuple[str, Node]]:
    if node is None:
        return []
    if isinstance(node.value, dict):
        return [leaf for key, child in node.value.items()
                for leaf in _leaves(child, f"{path}.{key}" if path else key)]
    if isinstance(node.value, list):
        return [leaf for i, child in enumerate(node.value)
                for leaf in _leaves(child, f"{path}[{i}]")]
    return [(path, node)] if isinstance(node.value, str) else []
