"""What must stay together on a page: parts kept whole, headings kept with what follows.

In: flowables of the story. Out: the same flowables, grouped. ReportLab's own
``KeepTogether`` gives up on its promise when its content is taller than the frame (it
splits anyway) and reports a height that forces a split, which a table cell or a column
cannot measure; these groups report their true height and draw their content in order
(ReportLab's ``_Container``), so they work in frames, table cells and balanced columns:

- `Whole`: never split. It moves on to the next frame (or cell part, or column) as a
  whole; taller than a whole frame, it raises `Overfull` naming the part and by how much.
- `WithNext`: a heading and the flowable after it. It splits only where the heading keeps
  at least the first piece of what follows; otherwise it moves on whole, so no heading is
  ever the last thing in a frame, panel, column or box part.

Both are ``KeepTogether`` subclasses, so the structure tree (`tagging.structure`) reads
their content as it reads any kept group.
"""

from __future__ import annotations

import copy

from reportlab.platypus import (
    BalancedColumns,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    Spacer,
)
from reportlab.platypus.doctemplate import ActionFlowable
from reportlab.platypus.flowables import _Container, _listWrapOn, cdeepcopy

_FUZZ = 1e-6


class Overfull(Exception):  # noqa: N818 - a condition, reported by `render` as an error
    """A part that must stay whole is taller than any frame of the layout.

    (ReportLab re-raises some exceptions as a new one of the same class made from a
    message alone; `original` finds the one with the figures.)"""

    part, height, room, frame = "", 0.0, 0.0, ""

    def __init__(self, message: str, part: str = "", height: float = 0.0, room: float = 0.0,
                 frame: str = "") -> None:
        super().__init__(message)
        if part:
            self.part, self.height, self.room, self.frame = part, height, room, frame

    @property
    def over(self) -> float:
        return self.height - self.room


class Group(_Container, KeepTogether):
    """Flowables drawn one under the other at their true height (see the module)."""

    def __init__(self, flowables: list[Flowable]) -> None:
        KeepTogether.__init__(self, flowables)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        canvas = getattr(self, "canv", None)
        doc = getattr(canvas, "_doctemplate", None)
        frame = getattr(doc, "frame", None)
        if type(frame) is Frame:  # measured against a copy of the frame, cheaply made
            doc.frame = _CheaplyCopied.of(frame)
            try:
                _, height = _listWrapOn(self._content, available_width, canvas)
            finally:
                doc.frame = frame
        else:
            _, height = _listWrapOn(self._content, available_width, canvas)
        self.width, self.height = available_width, height
        self._wrapInfo = (available_width, available_height)
        return self.width, self.height

    def deepcopy(self) -> Group:
        twin = self.__class__.__new__(self.__class__)
        twin.__dict__.update(self.__dict__)
        twin._content = [cdeepcopy(f) for f in self._content]
        return twin

    def _room(self) -> tuple[float, str] | None:
        """The height of the frame being filled (None inside a table cell or column)."""
        frame = getattr(self, "_frame", None)
        if frame is None or getattr(frame, "_height", None) is None:
            return None
        return frame._height - frame._topPadding - frame._bottomPadding, str(frame.id)


class Whole(Group):
    """A part that is never split: the emergency box, a figure with its caption, any part
    a layout names in ``keep_together``. *part* names it in the error."""

    def __init__(self, flowables: list[Flowable], part: str) -> None:
        super().__init__(flowables)
        self.part = part

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        if getattr(self, "_wrapInfo", None) != (available_width, available_height):
            self.wrap(available_width, available_height)
        room = self._room()
        if room is not None and self.height > room[0] + _FUZZ:
            raise Overfull(f"{self.part} is taller than the {room[1]} frame", self.part,
                           self.height, room[0], room[1])
        return []  # moves on whole


class WithNext(Group):
    """A heading and the flowable that follows it (which may itself be a `WithNext`)."""

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        heading, follower = self._content
        canv, frame = getattr(self, "canv", None), getattr(self, "_frame", None)
        _, head = heading.wrapOn(canv, available_width, available_height)
        space = max(heading.getSpaceAfter(), follower.getSpaceBefore())
        rest = available_height - head - space
        parts: list[Flowable] = []
        if rest > _FUZZ:
            follower.wrapOn(canv, available_width, rest)
            if frame is not None:  # a part kept whole measures itself against it
                follower._frame = frame
            try:
                parts = follower.splitOn(canv, available_width, rest)
            finally:
                follower.__dict__.pop("_frame", None)
        if len(parts) >= 2 and not isinstance(parts[0], ActionFlowable):
            return [WithNext([heading, parts[0]]), *parts[1:]]
        room = self._room()
        if room is not None and available_height >= room[0] - _FUZZ \
                and head <= available_height:
            # At the top of an empty frame and still nothing fits under the heading: what
            # follows is taller than a frame and cannot be split (an error of its own).
            return [heading, follower]
        return []  # moves on whole


_ATOMS = (int, float, str, bool, type(None))


class _CheaplyCopied(Frame):
    """A frame whose deep copy — which ReportLab makes each time a group is measured, to
    catch what its content would add to the frame — copies only what can change.

    A frame holds numbers, strings and a few lists (backgrounds): the copy shares the
    former, copies the latter deeply and leaves out the content generated so far, which
    ReportLab deletes from the copy first thing. The copy is a plain ``Frame``."""

    @classmethod
    def of(cls, frame: Frame) -> _CheaplyCopied:
        stand_in = cls.__new__(cls)
        stand_in.__dict__.update(frame.__dict__)  # (a frame's __setattr__ is its own)
        return stand_in

    def __deepcopy__(self, memo: dict) -> Frame:
        twin = Frame.__new__(Frame)
        twin.__dict__.update({name: value if isinstance(value, _ATOMS)
                              else copy.deepcopy(value, memo)
                              for name, value in self.__dict__.items()
                              if name != "_generated_content"})
        return twin


class RoomFor(CondPageBreak):
    """Before a heading followed by balanced columns: a new frame unless the heading and
    the columns' first block fit (at most half a frame, so it never breaks forever)."""

    def __init__(self, before: list[Flowable], columns: BalancedColumns) -> None:
        super().__init__(0)
        self.before, self.columns = before, columns

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        need = 0.0
        for flowable in self.before:
            need += flowable.wrap(available_width, available_height)[1]
            need += flowable.getSpaceAfter()
        content = self.columns._content
        if content:
            width = (available_width - self.columns._innerPadding) / self.columns._nCols
            need += content[0].wrap(width, available_height)[1]
        frame = self._doctemplateAttr("frame")
        if frame is not None:
            need = min(need, frame._height / 2)
        self.height = need
        return super().wrap(available_width, available_height)


def original(exc: BaseException) -> BaseException:
    """The first exception of *exc*'s class in its chain: the one raised with its
    figures, before ReportLab re-raised it with a longer message."""
    found = exc
    while isinstance(found.__context__, type(exc)):
        found = found.__context__
    return found


def keep_with_next(story: list[Flowable], is_heading: type) -> list[Flowable]:
    """*story* with every heading (an instance of *is_heading*) grouped with the
    flowable after it; spacers between them join the group. Balanced columns lay
    themselves out through the frame and cannot be held in a group: a heading before
    them starts a new frame unless it fits with their first block (`RoomFor`)."""
    out: list[Flowable] = []
    pending: list[Flowable] = []  # headings (and spacers) waiting for what follows
    for flowable in story:
        if isinstance(flowable, is_heading) or (pending and isinstance(flowable, Spacer)):
            pending.append(flowable)
            continue
        if isinstance(flowable, BalancedColumns) and pending:
            out += [RoomFor(pending, flowable), *pending]
            pending = []
        while pending:
            flowable = WithNext([pending.pop(), flowable])
        out.append(flowable)
    out.extend(pending)  # a heading at the very end has nothing to keep with
    return out
