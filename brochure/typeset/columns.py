"""Balanced columns that remember how they balanced: the same columns are not searched twice.

In: the flowables of two (or more) balanced columns. Out: a ReportLab ``BalancedColumns``
whose search for the column height is replayed from memory when the same content meets
the same room again — the next edition of a batch or the counselor page with another
clinic or patient line.

ReportLab balances columns by trying column heights (a golden-section search, some 40
heights × 2 columns of trial splits per block of columns), and only the last height
tried decides what is drawn. Every decision of that search depends on what
``_findSplit`` answers (widths, heights, whether something was left over), and those
answers depend on the columns' content, their width and the room — which is the key.
A replay answers from the record, and lets only the calls whose split content is drawn
(one column height) really split the flowables. Nothing is trusted blindly: a really
made call must answer as recorded, and nothing made up may reach the page; otherwise
the full search runs, as without the memory.
"""

from __future__ import annotations

import contextlib
from collections import OrderedDict
from typing import Any

from reportlab.platypus import BalancedColumns, Flowable, Paragraph, Spacer
from reportlab.platypus.flowables import KeepInFrame

from .frozen import frozen
from .keeping import Group
from .linebreaks import layout_key
from .tagging import Tagged

_KEPT = 256  # column blocks remembered (a few hundred tuples each)
_REMEMBERED: OrderedDict[tuple, tuple[list[tuple], int]] = OrderedDict()
_MADE_UP = Spacer(0, 0)  # stands in for flowables in a replayed answer; never drawn


class _Diverged(Exception):  # noqa: N818 - a condition: the replay did not hold
    pass


class RememberedColumns(BalancedColumns):
    """``BalancedColumns`` with its height search remembered (see the module)."""

    def _generated_content(self, aW: float, aH: float) -> Any:  # noqa: N803 - ReportLab's
        made = self._balanced(aW, aH)
        for g in made[1]:  # what runs over to the next page is balanced the same way
            if type(g) is BalancedColumns:
                g.__class__ = RememberedColumns
        return made

    def _balanced(self, aW: float, aH: float) -> Any:  # noqa: N803
        key = self._memory_key(aW, aH)
        if key is None:
            return super()._generated_content(aW, aH)
        known = _REMEMBERED.get(key)
        if known is not None:
            try:
                made = self._replayed(aW, aH, *known)
            except _Diverged:
                _REMEMBERED.pop(key, None)
            else:
                with contextlib.suppress(KeyError):  # (evicted meanwhile by another thread)
                    _REMEMBERED.move_to_end(key)
                return made
        return self._recorded(aW, aH, key)

    def _memory_key(self, aW: float, aH: float) -> tuple | None:  # noqa: N803
        content = fingerprint(self._content)
        if content is None:
            return None
        frame = getattr(self, "_frame", None)
        room = tuple(getattr(frame, name, None) for name in (
            "_leftPadding", "_rightPadding", "_topPadding", "_bottomPadding",
            "_leftExtraIndent", "_rightExtraIndent"))
        own = frozen(sorted((name, value) for name, value in self.__dict__.items()
                            if name not in ("_content", "_frame", "canv", "name")))
        # (name: made from id(), never drawn)
        return None if own is None else (content, aW, aH, room, own)

    def _recorded(self, aW: float, aH: float, key: tuple) -> Any:  # noqa: N803
        answers: list[tuple] = []  # (width, height, len(first), len(rest), first, rest)
        find = self._findSplit

        def recording(canv, availWidth, availHeight, mergeSpace=1, obj=None,  # type: ignore[no-untyped-def]  # noqa: N803
                      content=None, paraFix=True):  # noqa: N803
            answer = find(canv, availWidth, availHeight, mergeSpace, obj, content, paraFix)
            w, h, first, rest = answer
            answers.append((w, h, len(first), len(rest), first, rest))
            return answer

        self._findSplit = recording  # type: ignore[method-assign]
        try:
            made = super()._generated_content(aW, aH)
        finally:
            del self._findSplit
        drawn = _drawn_first_column(made[1], answers)
        if drawn is not None:
            _REMEMBERED[key] = ([a[:4] for a in answers], drawn)
            while len(_REMEMBERED) > _KEPT:
                _REMEMBERED.popitem(last=False)
        return made

    def _replayed(self, aW: float, aH: float, answers: list[tuple],  # noqa: N803
                  drawn: int) -> Any:
        find = self._findSplit
        calls = iter(range(len(answers) + 1))
        real_rests: list[list] = []

        def replaying(canv, availWidth, availHeight, mergeSpace=1, obj=None,  # type: ignore[no-untyped-def]  # noqa: N803
                      content=None, paraFix=True):  # noqa: N803
            index = next(calls)
            if index >= len(answers):
                raise _Diverged
            w, h, n_first, n_rest = answers[index]
            if index == drawn or any(content is rest for rest in real_rests):
                answer = find(canv, availWidth, availHeight, mergeSpace, obj, content,
                              paraFix)
                if (answer[0], answer[1], len(answer[2]), len(answer[3])) != answers[index]:
                    raise _Diverged
                real_rests.append(answer[3])
                return answer
            return w, h, [_MADE_UP] * n_first, [_MADE_UP] * n_rest

        self._findSplit = replaying  # type: ignore[method-assign]
        try:
            made = super()._generated_content(aW, aH)
        finally:
            del self._findSplit
        if next(calls) != len(answers) or _holds_made_up(made[1]):
            raise _Diverged
        return made


def _drawn_first_column(generated: list, answers: list[tuple]) -> int | None:
    """Which recorded call split off the first column that is drawn (its list of
    flowables is the one in the first ``KeepInFrame``); None when it cannot be told."""
    kept = [g for g in generated if isinstance(g, KeepInFrame)]
    if not kept:
        return None
    first = kept[0]._content  # the very list a call returned (``KeepInFrame`` keeps it)
    found = [i for i, answer in enumerate(answers) if answer[4] is first]
    return found[-1] if found else None


def _holds_made_up(generated: list) -> bool:
    for g in generated:
        if isinstance(g, KeepInFrame | BalancedColumns) and any(
                f is _MADE_UP for f in g._content):
            return True
    return False


def fingerprint(flowables: list[Flowable]) -> tuple | None:
    """What decides how *flowables* measure and split, as a hashable value; None when a
    flowable is of a kind this does not know (its columns are then always searched)."""
    out = []
    for f in flowables:
        one = _fingerprint(f)
        if one is None:
            return None
        out.append(one)
    return tuple(out)


def _fingerprint(f: Flowable) -> tuple | None:
    kind = type(f)
    if isinstance(f, Tagged):
        inner = _fingerprint(f.inner)
        return None if inner is None else (kind, inner, f.whole, f.whole_lines)
    if isinstance(f, Paragraph):
        own = layout_key(f)
        return None if own is None else (kind, *own)
    if isinstance(f, Group):  # kept groups: their kind and content say how they split
        content = fingerprint(list(f._content))
        return None if content is None else (kind, content)
    if kind is Spacer:
        return (kind, f.width, f.height)
    return None
