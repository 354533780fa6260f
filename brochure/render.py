"""A ReportLab story → PDF bytes.

In: an `Edition` (content, layout, fonts, clinic, paper). Out: the PDF as bytes and its
page count. Nothing here touches the filesystem. Each page gets its running footer
("Page N of M" from the locale), the draft mark on draft editions and, where the layout
asks for it, the clinic's running header. Headings become the PDF outline.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate
from reportlab.platypus.doctemplate import LayoutError as RLLayoutError

from .errors import RenderError
from .fonts import FontSet, script_of
from .layouts import Layout
from .model import Clinic, Content
from .story import StoryBuilder
from .styles import Styles, make_styles
from .tagging import StructTree, Tagger, structure

PAPER_SIZES = {"letter": LETTER, "a4": A4}


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

    @property
    def page_size(self) -> tuple[float, float]:
        return PAPER_SIZES[self.paper or self.layout.paper]


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int


def _paged_canvas(decorate):  # type: ignore[no-untyped-def]
    """A canvas class that holds back each page until the total page count is known."""

    class PagedCanvas(Canvas):
        def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
            super().__init__(*args, **kwargs)
            self._held_pages: list[dict] = []
            self.tagger = Tagger()
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
    layout, content, fonts = edition.layout, edition.content, edition.fonts
    width, height = edition.page_size
    m = layout.margins
    small = layout.type["small"]
    rtl = content.direction == "rtl"
    labels = content.labels
    title = content.title.get(layout.wording)

    def draw_text(canvas: Canvas, x_left: float, x_right: float, y: float, text: str,
                  font: str, size: float, at_start: bool) -> None:
        canvas.setFont(font, size)
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
        left, right = m["left"], width - m["right"]
        footer_y = m["bottom"] * 0.45
        canvas.setStrokeColor(styles.color("rule"))
        canvas.setLineWidth(0.5)
        canvas.line(left, footer_y + small * 1.5, right, footer_y + small * 1.5)
        canvas.setFillColor(styles.color("muted"))
        page_text = str(labels["page_of"]).replace("{page}", str(page)).replace(
            "{pages}", str(total))
        draw_text(canvas, left, right, footer_y, title, fonts.regular, small, True)
        draw_text(canvas, left, right, footer_y, page_text, fonts.bold, small, False)
        top_y = height - m["top"] * 0.5
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


def render(edition: Edition) -> Rendered:
    """Lay out one edition and return its PDF bytes."""
    layout, content = edition.layout, edition.content
    rtl = content.direction == "rtl"
    if rtl:
        from .scripts.bidi import enable_rtl

        enable_rtl()
    styles = make_styles(layout, edition.fonts, rtl=rtl, script=script_of(content.language))
    width, height = edition.page_size
    m = layout.margins
    frame = Frame(m["left"], m["bottom"], width - m["left"] - m["right"],
                  height - m["top"] - m["bottom"], leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0, id="body")
    story = StoryBuilder(content, styles, frame._width, edition.clinic).build()
    edition.structure = structure(story, rtl=rtl)
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=(width, height),
        pageTemplates=[PageTemplate(id="page", frames=[frame])],
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
        doc.build(story, canvasmaker=_paged_canvas(_decorator(edition, styles)))
    except RLLayoutError as exc:
        raise RenderError(f"{content.file}: the {layout.name!r} layout cannot place part of "
                          f"the content on a page: {exc}") from None
    pages = doc.page
    return Rendered(buffer.getvalue(), pages)
