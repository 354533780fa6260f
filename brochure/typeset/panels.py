"""The page budget and a tri-fold's panels as limits the layout run stops at.

In: the story with `PanelMark`s around each panel's parts, how many frames each panel
may fill, and the most pages the document may have. Out: a document template that lays
the story out as ReportLab's does, but stops (`Stop`) as soon as a panel's content runs
into a frame that is not its own, or a page past the budget would begin: a build that
cannot fit ends at once instead of laying out hundreds of pages. `overflow_points`
measures, for the error message, how much of a panel's content lies beyond its frames.
"""

from __future__ import annotations

import io

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, NextPageTemplate, PageTemplate
from reportlab.platypus.doctemplate import ActionFlowable


class Stop(Exception):  # noqa: N818 - a condition the renderer turns into an error
    """The layout run stopped: the edition does not fit its layout."""


class PanelOverflow(Stop):
    panel = ""

    def __init__(self, message: str, panel: str = "") -> None:
        super().__init__(message)
        self.panel = panel or self.panel


class TooManyPages(Stop):
    pages = 0

    def __init__(self, message: str, pages: int = 0) -> None:
        super().__init__(message)
        self.pages = pages or self.pages


class PanelMark(ActionFlowable):
    """Where a panel's content starts or ends (draws nothing, takes no room)."""

    def __init__(self, panel: str, start: bool) -> None:
        super().__init__()
        self.panel, self.start = panel, start

    def apply(self, doc) -> None:  # type: ignore[no-untyped-def]
        if isinstance(doc, PanelDoc):
            doc.panel_mark(self)


class PanelDoc(BaseDocTemplate):
    """A document template holding each panel to its frames and the page count to
    *ceiling*."""

    def __init__(self, frames_per_panel: dict[str, int], ceiling: int, *args, **kwargs
                 ) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.frames_per_panel = frames_per_panel
        self.ceiling = ceiling
        self.panel: str | None = None
        self.frames_used = 0

    def panel_mark(self, mark: PanelMark) -> None:
        self.panel = mark.panel if mark.start else None
        self.frames_used = 1

    def handle_pageBegin(self) -> None:  # noqa: N802 - ReportLab's name
        if self.page + 1 > self.ceiling:
            if self.panel:
                raise PanelOverflow(f"the {self.panel} panel overflows", self.panel)
            raise TooManyPages(f"page {self.page + 1} would begin", self.page + 1)
        super().handle_pageBegin()

    def handle_frameBegin(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        if self.panel is not None:
            self.frames_used += 1
            if self.frames_used > self.frames_per_panel.get(self.panel, 1):
                raise PanelOverflow(f"the {self.panel} panel overflows", self.panel)
        super().handle_frameBegin(*args, **kwargs)


class _Scratch(Canvas):
    """A canvas for measuring: headings drawn on it add no outline entries."""

    def addOutlineEntry(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        pass


_TALL = 20000.0  # points: a frame no panel's content could fill


class _Measure(BaseDocTemplate):
    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 - ReportLab's name
        if self.page >= 2:
            used = (self.page - 2) * _TALL + (self.frame._y1 + self.frame._height
                                               - self.frame._y)
            self.overflow = max(getattr(self, "overflow", 0.0), used)


def overflow_points(story: list[Flowable], width: float, height: float, frames: int
                    ) -> float:
    """How many points of *story* lie beyond *frames* frames of *width* × *height*."""
    panel = [Frame(i * width, 0, width, height, leftPadding=0, rightPadding=0,
                   topPadding=0, bottomPadding=0, id=f"panel{i}") for i in range(frames)]
    rest = Frame(0, 0, width, _TALL, leftPadding=0, rightPadding=0, topPadding=0,
                 bottomPadding=0, id="beyond")
    doc = _Measure(io.BytesIO(), pagesize=(width * frames, height), invariant=1,
                   pageTemplates=[PageTemplate("panel", panel, pagesize=(width * frames,
                                                                          height)),
                                  PageTemplate("beyond", [rest], pagesize=(width, _TALL))])
    doc.build([NextPageTemplate("beyond"), *story], canvasmaker=_Scratch)
    return float(getattr(doc, "overflow", 0.0))
