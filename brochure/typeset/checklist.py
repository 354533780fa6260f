"""Checklist items: a list item with an empty tick box drawn beside it.

The box is a drawn square, not a glyph ("☐" is missing from several of the fonts, and a
glyph would be read aloud as a symbol name). It is the content of the item's label (Lbl),
as a bullet is; the text is its body (LBody).
"""

from __future__ import annotations

from reportlab.platypus import Flowable

from .tagging import Tagged, Tagger


class CheckItem(Tagged):
    """A list item (LI) of a checklist: its paragraph, with a tick box in the bullet's
    place (at the start of the line: left, or right in right-to-left editions)."""

    def __init__(self, inner: Flowable, *, group: int, rtl: bool, color,  # type: ignore[no-untyped-def]
                 actual_text: str | None = None) -> None:
        super().__init__(inner, "LI", group=group, actual_text=actual_text)
        self.rtl, self.color = rtl, color

    def _sibling(self, part: Flowable) -> Tagged:
        # The second part of an item split over a page has no box of its own.
        return Tagged._sibling(self, part)

    def draw(self) -> None:
        canvas = self.canv
        tagger = getattr(canvas, "tagger", None)
        if not isinstance(tagger, Tagger) or self.elem is None:
            self.draw_box()
            self._draw_inner(canvas)
            return
        assert self.label is not None and self.body is not None
        tagger.begin(canvas, self.label)
        self.draw_box()
        tagger.begin(canvas, self.body, self.actual_text)
        try:
            self._draw_inner(canvas)
        finally:
            tagger.end(canvas)

    def draw_box(self) -> None:
        style = self.inner.style
        size = style.fontSize
        side, gap = size * 0.75, size * 0.45  # the box, and the space before the text
        top = self.height - (style.leading - size) / 2 - size * 0.15
        if self.rtl:
            x = self.width - style.rightIndent + gap
        else:
            x = max(0.0, style.leftIndent - gap - side)
        canvas = self.canv
        canvas.saveState()
        canvas.setStrokeColor(self.color)
        canvas.setLineWidth(max(0.8, size * 0.07))
        canvas.rect(x, top - side, side, side, stroke=1, fill=0)
        canvas.restoreState()
