"""Page geometry: trim, bleed, slug and panels, in points.

In: a layout, a paper size and the print options. Out: a `Geometry` that says how big the
PDF page (MediaBox) is, where the trimmed page sits on it, how far backgrounds bleed,
and, for folded layouts, where each panel is. Everything else draws in trim coordinates
after translating by `offset`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.lib.pagesizes import A4, LETTER, landscape

from ..source.layouts import Layout

PAPER_SIZES = {"letter": LETTER, "a4": A4}
MARK_GAP = 2.0  # points between the bleed edge and a printer's mark
SLUG_FOR_MARKS = 24.0  # room outside the bleed for crop and fold marks (~8.5 mm)


@dataclass(frozen=True)
class PrintOptions:
    """How a file is prepared for a printer (all off: a file to read on screen)."""

    bleed: float = 0.0  # points the page grows by on every side
    crop_marks: bool = False
    grayscale: bool = False
    booklet: bool = False
    qr: str | None = None  # a URL for the QR code, overriding the content's own


@dataclass(frozen=True)
class Panel:
    name: str  # cover, flap, back, inside
    x: float  # left edge in trim coordinates
    width: float


@dataclass(frozen=True)
class Geometry:
    trim: tuple[float, float]
    bleed: float
    slug: float
    panels: dict[str, list[Panel]] = field(default_factory=dict)  # page kind → panels

    @property
    def offset(self) -> float:
        """Where the trim box starts on the media box, on both axes."""
        return self.bleed + self.slug

    @property
    def media(self) -> tuple[float, float]:
        return (self.trim[0] + 2 * self.offset, self.trim[1] + 2 * self.offset)


def geometry(layout: Layout, paper: str | None, options: PrintOptions) -> Geometry:
    size = PAPER_SIZES[paper or layout.paper]
    if layout.format == "trifold":
        size = landscape(size)
    slug = max(layout.slug, SLUG_FOR_MARKS if options.crop_marks else 0.0)
    panels: dict[str, list[Panel]] = {}
    if layout.format == "trifold":
        # A roll fold: the panel that folds in is a little narrower so it clears the fold.
        width, inset = size[0], layout.fold_in_inset
        full = (width + inset) / 3
        narrow = full - inset
        panels = {
            # outside, left to right: fold-in flap, back panel, front cover
            "outside": [Panel("flap", 0, narrow), Panel("back", narrow, full),
                        Panel("cover", narrow + full, full)],
            # inside: three reading panels, the fold-in one on the right
            "inside": [Panel("inside", 0, full), Panel("inside", full, full),
                       Panel("inside", 2 * full, narrow)],
        }
    return Geometry(size, options.bleed, slug, panels)
