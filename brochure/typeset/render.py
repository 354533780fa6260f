"""A ReportLab story → PDF bytes.

In: an `Edition` (content, layout, fonts, clinic, paper). Out: the PDF as bytes and its
page count. Nothing here touches the filesystem. Each page gets its running footer
("Page N of M" from the locale), the draft mark on draft editions and, where the layout
asks for it, the clinic's running header. Headings become the PDF outline.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    FrameBreak,
    NextPageTemplate,
    PageTemplate,
)
from reportlab.platypus.doctemplate import LayoutError as RLLayoutError

from ..errors import RenderError
from ..source.layouts import Layout, grayscale, scaled
from ..source.model import Clinic, Content, Personal
from ..source.normalize import without_break_marks
from .fonts import FontSet, script_of
from .geometry import MARK_GAP, Geometry, Panel, PrintOptions, geometry
from .story import StoryBuilder
from .styles import Styles, make_styles
from .tagging import StructTree, Tagger, structure


@dataclass
class Edition:
    """Everything one PDF is made from."""

    content: Content
    layout: Layout
    fonts: FontSet
    clinic: Clinic | None = None
    paper: str | None = None  # None: the layout's default
    warnings: list[str] = field(default_factory=list)
    structure: StructTree | None = None  # filled in by `render`, written by `finish`
    outline_entries: int = 0  # filled in by `render`: the headings in the outline
    personal: Personal | None = None  # printed on the first page only
    print: PrintOptions = field(default_factory=PrintOptions)
    tagged: bool = True  # write the structure tree (off only to measure what it costs)
    personal_font: FontSet | None = None  # for a personal line the edition's font lacks

    @property
    def geometry(self) -> Geometry:
        return geometry(self.layout, self.paper, self.print)

    @property
    def page_size(self) -> tuple[float, float]:
        """The trimmed page (what the reader holds)."""
        return self.geometry.trim


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int


def _paged_canvas(decorate, tagged: bool = True):  # type: ignore[no-untyped-def]
    """A canvas class that holds back each page until the total page count is known."""

    class PagedCanvas(Canvas):
        def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
            super().__init__(*args, **kwargs)
            self._held_pages: list[dict] = []
            self.tagger = Tagger() if tagged else _NoTagger()
            self.tagger.start_page(self)

        def showPage(self) -> None:  # noqa: N802 - ReportLab's name
            self._held_pages.append(dict(self.__dict__))
            self._startPage()
            self.tagger.start_page(self)

        def save(self) -> None:
            total = len(self._held_pages)
            for state in self._held_pages:
                self.__dict__.update(state)
                decorate(self, self._pageNumber, total)  # in artifact mode: decoration
                self.tagger.end_page(self)
                super().showPage()
            super().save()

    return PagedCanvas


def _decorator(edition: Edition, styles: Styles):  # type: ignore[no-untyped-def]
    layout, content, fonts = styles.layout, edition.content, edition.fonts
    geo = edition.geometry
    width, height = geo.trim
    m = layout.margins
    small = layout.type["small"]
    rtl = content.direction == "rtl"
    labels = content.labels
    title = content.title.get(layout.wording)

    def draw_text(canvas: Canvas, x_left: float, x_right: float, y: float, text: str,
                  font: str, size: float, at_start: bool) -> None:
        canvas.setFont(font, size)
        text = without_break_marks(text)  # one line, drawn whole: no break here
        options = {}
        if rtl:
            from .scripts.bidi import isolate_ltr

            text, options = isolate_ltr(text), {"direction": "RTL"}
        # "start" is the left edge in left-to-right editions, the right edge in RTL ones.
        if at_start != rtl:
            canvas.drawString(x_left, y, text, **options)
        else:
            canvas.drawRightString(x_right, y, text, **options)

    def decorate(canvas: Canvas, page: int, total: int) -> None:
        canvas.saveState()
        canvas.translate(geo.offset, geo.offset)  # draw in trim coordinates
        left, right = m["left"], width - m["right"]
        if layout.footer:
            footer_y = m["bottom"] * 0.45
            canvas.setStrokeColor(styles.color("rule"))
            canvas.setLineWidth(0.5)
            canvas.line(left, footer_y + small * 1.5, right, footer_y + small * 1.5)
            canvas.setFillColor(styles.color("muted"))
            page_text = str(labels["page_of"]).replace("{page}", str(page)).replace(
                "{pages}", str(total))
            room = (right - left) - stringWidth(page_text, fonts.bold, small) - small * 2
            draw_text(canvas, left, right, footer_y, _fit(title, fonts.regular, small, room),
                      fonts.regular, small, True)
            draw_text(canvas, left, right, footer_y, page_text, fonts.bold, small, False)
        _printer_marks(canvas, geo, edition.print.crop_marks, page)
        top_y = height - m["top"] * 0.5 - (layout.band[1] if layout.band else 0)
        if edition.clinic and layout.running_header:
            clinic = edition.clinic
            parts = [clinic.name] + [p for p in (clinic.phone, clinic.website) if p]
            canvas.setFillColor(styles.color("accent"))
            draw_text(canvas, left, right, top_y, "  ·  ".join(parts), fonts.bold, small,
                      True)
        if content.is_draft:
            canvas.setFillColor(styles.color("draft"))
            draw_text(canvas, left, right, top_y, str(labels["draft_mark"]), fonts.bold,
                      small * 1.15, False)
        canvas.restoreState()

    return decorate


def _fit(text: str, font: str, size: float, width: float) -> str:
    """*text*, shortened with an ellipsis to fit *width* (large type in a footer)."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…" if text else ""


class _NoTagger:
    """Stands in for the `Tagger` when no structure is wanted: writes nothing."""

    def start_page(self, canvas) -> None:  # type: ignore[no-untyped-def]
        pass

    end_page = start_page


def _printer_marks(canvas: Canvas, geo: Geometry, crop_marks: bool, page: int) -> None:
    """Crop marks at the trim corners and fold marks at the panel edges, all outside the
    bleed, in registration black (they print on every plate)."""
    width, height = geo.trim
    start = geo.bleed + MARK_GAP
    length = max(geo.slug - MARK_GAP * 2, 0)
    if length <= 0:
        return
    canvas.saveState()
    canvas.setStrokeColorCMYK(1, 1, 1, 1)
    canvas.setLineWidth(0.25)
    if crop_marks:
        for x, sx in ((0, -1), (width, 1)):
            for y, sy in ((0, -1), (height, 1)):
                canvas.line(x + sx * start, y, x + sx * (start + length), y)
                canvas.line(x, y + sy * start, x, y + sy * (start + length))
    kind = "outside" if page % 2 == 1 else "inside"
    edges = [p.x for p in geo.panels.get(kind, [])][1:]
    if edges:
        canvas.setDash(3, 2)
        for x in edges:
            canvas.line(x, height + start, x, height + start + length)
            canvas.line(x, -start, x, -start - length)
    canvas.restoreState()


def _background(edition: Edition, styles: Styles):  # type: ignore[no-untyped-def]
    """What every page gets before its content: the layout's colour band, which runs
    into the bleed so no white edge shows after trimming."""
    geo, layout = edition.geometry, styles.layout

    def on_page(canvas: Canvas, doc) -> None:  # type: ignore[no-untyped-def]
        if not layout.band:
            return
        colour, band_height = layout.band
        width, height = geo.trim
        canvas.saveState()
        canvas.translate(geo.offset, geo.offset)
        canvas.setFillColor(styles.color(colour))
        b = geo.bleed
        canvas.rect(-b, height - band_height, width + 2 * b, band_height + b, stroke=0,
                    fill=1)
        canvas.restoreState()

    return on_page


def _frame(x: float, y: float, width: float, height: float, name: str) -> Frame:
    return Frame(x, y, width, height, leftPadding=0, rightPadding=0, topPadding=0,
                 bottomPadding=0, id=name)


def _templates(edition: Edition, styles: Styles, builder_for) -> tuple[list[PageTemplate],  # type: ignore[no-untyped-def]
                                                                       list[Flowable]]:
    """The page templates and the story: one frame per page, or a tri-fold's panels."""
    geo, layout, m = edition.geometry, styles.layout, styles.layout.margins
    o = geo.offset
    width, height = geo.trim
    on_page = _background(edition, styles)
    top = m["top"] + (layout.band[1] if layout.band else 0)
    if not geo.panels:
        frame = _frame(o + m["left"], o + m["bottom"], width - m["left"] - m["right"],
                       height - m["bottom"] - m["top"], "body")
        story = builder_for(frame._width).build()
        return [PageTemplate(id="page", frames=[frame], onPage=on_page)], story

    def panel_frame(panel: Panel) -> Frame:
        return _frame(o + panel.x + m["left"], o + m["bottom"],
                      panel.width - m["left"] - m["right"], height - m["bottom"] - top,
                      panel.name)

    outside = {p.name: panel_frame(p) for p in geo.panels["outside"]}
    inside = [panel_frame(p) for p in geo.panels["inside"]]
    narrowest = min(f._width for f in inside)
    story: list[Flowable] = []
    for name in ("cover", "flap", "back"):
        story += builder_for(outside[name]._width).build(layout.panels[name])
        story.append(FrameBreak() if name != "back" else NextPageTemplate("inside"))
    story.append(FrameBreak())
    story += builder_for(narrowest).build(layout.panels["inside"])
    templates = [
        # Frames are filled in list order: the cover first, though it is printed on the
        # right; the flap and the back panel follow.
        PageTemplate(id="outside", frames=[outside["cover"], outside["flap"],
                                           outside["back"]], onPage=on_page),
        PageTemplate(id="inside", frames=inside, onPage=on_page),
    ]
    return templates, story


def render(edition: Edition) -> Rendered:
    """Lay out one edition and return its PDF bytes."""
    layout, content = edition.layout, edition.content
    rtl = content.direction == "rtl"
    if rtl:
        from .scripts.bidi import enable_rtl

        enable_rtl()
    if edition.print.grayscale:
        layout = grayscale(layout)
    styles = make_styles(layout, edition.fonts, rtl=rtl, script=script_of(content.language))

    def builder_for(width: float) -> StoryBuilder:
        return StoryBuilder(content, styles, width, edition.clinic, edition.personal,
                            edition.print.qr, edition.personal_font)

    templates, story = _templates(edition, styles, builder_for)
    edition.structure = structure(story, rtl=rtl) if edition.tagged else None
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=edition.geometry.media,
        pageTemplates=templates,
        title=content.title.get(layout.wording),
        subject=content.subtitle.get(layout.wording) if content.subtitle else "",
        keywords=list(content.keywords),
        author=edition.clinic.name if edition.clinic else "",
        creator="brochure",
        lang=content.language,
        invariant=1,  # fixed dates and document id: same input, same bytes
        initialFontName=edition.fonts.regular,  # no stray Helvetica resource
        initialFontSize=layout.type["body"],
        pageCompression=1,
    )
    try:
        doc.build(story, canvasmaker=_paged_canvas(_decorator(edition, styles),
                                                   edition.tagged))
    except RLLayoutError as exc:
        raise RenderError(f"{content.file}: the {layout.name!r} layout cannot place part of "
                          f"the content on a page: {exc}") from None
    pages = doc.page
    edition.outline_entries = getattr(doc.canv, "_brochure_outline_count", 0)
    return Rendered(buffer.getvalue(), pages)


def render_to_fit(edition: Edition) -> Rendered:
    """Render; if the edition needs more pages than its layout allows and the layout
    permits shrinking, try smaller type and space in 3% steps until it fits."""
    first = render(edition)
    base, first_structure, first_entries = edition.layout, edition.structure, \
        edition.outline_entries
    rendered, scale = first, 1.0
    while rendered.pages > base.max_pages and scale - 0.03 >= base.shrink_to_fit - 1e-9:
        scale -= 0.03
        edition.layout = scaled(base, scale)
        rendered = render(edition)
    if rendered.pages > base.max_pages and scale < 1.0:
        # Shrinking did not help: keep the layout as designed, and its first rendering.
        edition.layout, edition.structure = base, first_structure
        edition.outline_entries = first_entries
        return first
    return rendered
