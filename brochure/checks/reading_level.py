"""Handout parts + layout → readability checks, per part and for the whole handout.

In: the `handout.Part`s of an edition (in the wording its layout prints), the edition's
language and the `Layout`, whose ``readability`` setting holds its targets per language
(e.g. ``en: {flesch_kincaid: 8, smog: 8}``). Out: one `Check` per part that has running
text, and one for the whole handout. A part past a target fails, naming the part, where
it is written, its scores and its three longest sentences.

The formulas score prose: sentences that end as sentences do. Table cells and list
entries without sentence punctuation ("Alcohol", "Liver damage") are fragments: a
"fragments" row after each part's readability row reports their count and words (and, in
JSON, their texts); they never move a score.

SMOG is scored only on text of at least `SMOG_MIN_SENTENCES` sentences, the sample its
author specified: in a part of three sentences one long word moves it by a grade or
more. Shorter text — most parts, and a short handout as a whole — is held to the other
formula(s) only.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import Problem
from ..source.layouts import Layout
from .handout import Part
from .readability import (
    FORMULAS,
    SHORT_NAMES,
    Formula,
    Scores,
    formulas_for,
    score,
)
from .report import Check

SMOG_MIN_SENTENCES = 30


def targets_for(layout: Layout, language: str) -> dict[str, float]:
    """The layout's targets for *language* (exact tag first, then its primary subtag)."""
    targets = layout.readability.get(language)
    if targets is None:
        targets = layout.readability.get(language.split("-")[0], {})
    return dict(targets)


def checks(parts: list[Part], language: str, layout: Layout, file: Path | None
           ) -> list[Check]:
    """Readability of each part with running text, then of the whole handout."""
    formulas = formulas_for(language)
    if not formulas:
        whole = score([], language)
        return [Check("readability", "whole handout", f"n/a — {whole.reason}", "", "n/a")]
    targets = targets_for(layout, language)
    out = []
    everything: list[str] = []
    for part in parts:
        if part.prose:
            everything += part.prose
            out += _part_checks(part.title, part.key, part, score(part.prose, language),
                                formulas, targets, layout, file)
    out += _part_checks("whole handout", "", None, score(everything, language), formulas,
                        targets, layout, file)
    return out


def _part_checks(subject: str, key: str, part: Part | None, scores: Scores,
                 formulas: list[Formula], targets: dict[str, float], layout: Layout,
                 file: Path | None) -> list[Check]:
    """The readability of a part's prose, then its fragments on a row of their own."""
    out = []
    if scores.stats is not None:
        out.append(_check(subject, key, part, scores, formulas, targets, layout, file))
    else:  # a list of signs, a table of names: nothing for the formulas to score
        out.append(Check("readability", subject, "n/a — no prose sentences", "", "n/a"))
    if scores.fragments:
        out.append(fragments_check(subject, scores))
    return out


def fragments_check(subject: str, scores: Scores) -> Check:
    """Table cells and list entries that are not sentences: counted, never scored."""
    n = len(scores.fragments)
    figure = f"{n} fragment{'s' if n != 1 else ''}, {scores.fragment_words} words"
    values: dict[str, object] = {"fragments": n, "words": scores.fragment_words,
                                 "texts": list(scores.fragments)}
    return Check("fragments", subject, figure, "not scored", "info", "", values)


def _usable(formula: Formula, scores: Scores) -> bool:
    stats = scores.stats
    return stats is not None and (formula.key != "smog"
                                  or len(stats.sentences) >= SMOG_MIN_SENTENCES)


def _check(subject: str, key: str, part: Part | None, scores: Scores,
           formulas: list[Formula], targets: dict[str, float], layout: Layout,
           file: Path | None) -> Check:
    stats = scores.stats
    assert stats is not None
    figures, limits, missed = [], [], []
    for formula in formulas:
        short = SHORT_NAMES[formula.key]
        target = targets.get(formula.key)
        if target is not None:
            limits.append(f"{short} {formula.limit_text(target)}")
        if not _usable(formula, scores):
            figures.append(f"{short} n/a (<{SMOG_MIN_SENTENCES} sent.)")
            continue
        value = scores.values[formula.key]
        figures.append(f"{short} {value:.1f}")
        if target is not None and not formula.meets(round(value, 1), target):
            missed.append(f"{formula.name} {value:.1f}, target {formula.limit_text(target)}")
    values: dict[str, object] = {k: round(v, 2) for k, v in scores.values.items()
                                 if _usable(FORMULAS[k], scores)}
    values.update(sentences=len(stats.sentences), words=stats.words,
                  syllables=stats.syllables, polysyllables=stats.polysyllables)
    longest = scores.longest(3)
    values["longest"] = [{"words": n, "sentence": s} for n, s in longest]
    figure = " · ".join([*figures, f"{len(stats.sentences)} sentences, {stats.words} words"])
    limit = " · ".join(limits) if limits else "none set"
    status = "info" if not limits else "fail" if missed else "pass"
    message = ""
    if missed:
        node = part.node if part else None
        where = Problem(file, node.line if node else None, node.column if node else None,
                        key, "")
        quoted = "; ".join(f'"{s}" ({n} words)' for n, s in longest)
        what = f'"{subject}"' if part else "the handout as a whole"
        message = (f"{str(where).rstrip()} {what} reads above the {layout.name!r} layout's "
                   f"target: {'; '.join(missed)}. Longest sentences: {quoted}")
    return Check("readability", subject, figure, limit, status, message, values)
