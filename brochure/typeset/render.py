"""A ReportLab story → PDF bytes.

In: an `Edition` (content, layout, fonts, clinic, paper). Out: the PDF as bytes and its
page count. Nothing here touches the filesystem. Each page gets its running footer
("Page N of M" from the locale), the draft mark on draft editions and, where the layout
asks for it, the clinic's running header. Headings become the PDF outline.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Frame,
    FrameBreak,
    NextPageTemplate,
    PageTemplate,
)
from reportlab.platypus.doctemplate import LayoutError as RLLayoutError

from ..errors import RenderError
from ..source import review_lines as review
from ..source.layouts import Layout, grayscale, scaled
from ..source.model import Clinic, Content, Personal
from ..source.normalize import without_break_marks
from . import fitmemory
from .fonts import FontSet, script_of
from .geometry import MARK_GAP, Geometry, Panel, PrintOptions, geometry
from .keeping import Overfull, original
from .panels import PanelDoc, PanelMark, PanelOverflow, Stop, TooManyPages, overflow_points
from .pdfa import REGISTRATION
from .personal import PersonalFonts
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
    personal_font: PersonalFonts | None = None  # for a personal line the edition's font lacks
    # Called before each layout shrink-to-fit tries; raises to stop an edition nobody
    # wants any more (the counselor page's superseded previews).
    still_wanted: Callable[[], None] | None = None
    # A bilingual edition: the second language's content and fonts (the layout is then
    # a bilingual one, `Layout.arrangement` set); `content` is the patient's language.
    second: Content | None = None
    second_fonts: FontSet | None = None
    # Set by `render_to_fit` for a trial layout asked only whether the edition fits its
    # page budget: the layout stops as soon as a page past it would begin.
    stop_after: int | None = None
    # Set for a trial whose pages are never kept (asked only how many there are): the
    # paragraphs take their room but draw no text.
    probe: bool = False

    @property
    def font_sets(self) -> list[tuple[Content, FontSet]]:
        """Each language's content with the fonts it is set in."""
        pairs = [(self.content, self.fonts)]
        if self.second is not None and self.second_fonts is not None:
            pairs.append((self.second, self.second_fonts))
        return pairs

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
    last_page_filled: float = 1.0  # how much of the last frame's height is used (0–1)


def _paged_canvas(decorate, tagged: bool = True, probe: bool = False):  # type: ignore[no-untyped-def]
    """A canvas class that holds back each page until the total page count is known
    (for a *probe*, one whose paragraphs draw nothing: `tagging.Tagged.draw`)."""

    class PagedCanvas(Canvas):
        def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
            super().__init__(*args, **kwargs)
            self.brochure_probe = probe
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
    marks = _page_marks(edition, width - m["left"] - m["right"], small * 1.15)
    languages = edition.font_sets
    second_from_attribute = None
    if edition.second is not None:
        from .bilingual import SECOND_LANGUAGE_FROM as second_from_attribute

    def draw_text(canvas: Canvas, x_left: float, x_right: float, y: float, text: str,
                  font: str, size: float, at_start: bool, text_rtl: bool | None = None
                  ) -> None:
        canvas.setFont(font, size)
        text = without_break_marks(text)  # one line, drawn whole: no break here
        options = {}
        if text_rtl if text_rtl is not None else rtl:
            from .scripts.bidi import isolate_ltr

            text, options = isolate_ltr(text), {"direction": "RTL"}
        # "start" is the left edge in left-to-right editions, the right edge in RTL ones.
        if at_start != rtl:
            canvas.drawString(x_left, y, text, **options)
        else:
            canvas.drawRightString(x_right, y, text, **options)

    def decorate(canvas: Canvas, page: int, total: int) -> None:
        nonlocal content, fonts, rtl, labels, title
        # A sequential bilingual edition's pages in its second language say so there.
        second_from = (getattr(canvas, second_from_attribute, None)
                       if second_from_attribute else None)
        content, fonts = languages[1 if second_from and page >= second_from else 0]
        rtl, labels = content.direction == "rtl", content.labels
        title = content.title.get(layout.wording)
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
            room = right - left  # a long clinic name stops short of the draft mark
            if marks:
                room -= _marks_width(marks, small * 1.15) + small * 2
            draw_text(canvas, left, right, top_y,
                      _fit("  ·  ".join(parts), fonts.bold, small, room), fonts.bold, small,
                      True)
        if marks:  # the draft and/or machine-assisted mark, on every page
            canvas.setFillColor(styles.color("draft"))
            size, room = small * 1.15, 0.0  # from the end edge: the last mark first
            for text, font, text_rtl in reversed(marks):
                draw_text(canvas, left + room, right - room, top_y, text, font, size, False,
                          text_rtl)
                room += stringWidth(without_break_marks(text), font, size) + size * MARK_SEP
        canvas.restoreState()

    return decorate


MARK_SEP = 1.5  # ems between the two languages' marks


def _page_marks(edition: Edition, room: float, size: float
                ) -> list[tuple[str, str, bool]]:
    """The page mark (draft, machine-assisted) as (text, font) pieces: one, or in a
    bilingual edition one per language, each in its own words and font, when either
    language is a draft (or machine-assisted). Where both languages' marks are wider
    than *room*, the draft marks alone (the notices under the titles still say which
    translation had machine help). Each piece: (text, font, right to left)."""
    pairs = edition.font_sets
    marks: list[tuple[str, str, bool]] = []
    for machine in (True, False):
        marks = []
        for content, fonts in pairs:
            others = [c for c, _ in pairs if c is not content]
            mark = review.page_mark(content, also=others, machine=machine)
            if mark:
                marks.append((mark, fonts.bold, content.direction == "rtl"))
        if len(marks) < 2 or _marks_width(marks, size) <= room:
            break
    return marks


def _marks_width(marks: list[tuple[str, str, bool]], size: float) -> float:
    widths = [stringWidth(without_break_marks(text), font, size) for text, font, _ in marks]
    return sum(widths) + size * MARK_SEP * (len(widths) - 1)


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
    bleed, in registration colour (they print on every plate)."""
    width, height = geo.trim
    start = geo.bleed + MARK_GAP
    length = max(geo.slug - MARK_GAP * 2, 0)
    if length <= 0:
        return
    canvas.saveState()
    canvas.addLiteral(REGISTRATION)  # (not DeviceCMYK, which PDF/A with sRGB forbids)
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


def _body_frame(geo: Geometry, m: dict[str, float]) -> Frame:
    """The one text frame of a page (layouts without panels)."""
    width, height = geo.trim
    return _frame(geo.offset + m["left"], geo.offset + m["bottom"],
                  width - m["left"] - m["right"], height - m["bottom"] - m["top"], "body")


def _templates(edition: Edition, styles: Styles, builder_for) -> tuple[list[PageTemplate],  # type: ignore[no-untyped-def]
                                                                       list[Flowable],
                                                                       list[Flowable]]:
    """The page templates, the story (one frame per page, or a tri-fold's panels) and
    the same flowables in reading order (a tri-fold fills its panels in another)."""
    geo, layout, m = edition.geometry, styles.layout, styles.layout.margins
    o = geo.offset
    width, height = geo.trim
    on_page = _background(edition, styles)
    top = m["top"] + (layout.band[1] if layout.band else 0)
    if not geo.panels:
        frame = _body_frame(geo, m)
        story = builder_for(frame._width).build()
        return [PageTemplate(id="page", frames=[frame], onPage=on_page)], story, story

    def panel_frame(panel: Panel) -> Frame:
        return _frame(o + panel.x + m["left"], o + m["bottom"],
                      panel.width - m["left"] - m["right"], height - m["bottom"] - top,
                      panel.name)

    outside = {p.name: panel_frame(p) for p in geo.panels["outside"]}
    inside = [panel_frame(p) for p in geo.panels["inside"]]
    narrowest = min(f._width for f in inside)
    story: list[Flowable] = []
    parts: dict[str, list[Flowable]] = {}  # each part's flowables, wherever it is placed

    def fill(panel: str, width: float) -> None:
        # Each panel's parts stay in that panel: the marks tell the document where a
        # panel's content starts and ends, and it stops at the first that runs out of its
        # frames.
        builder = builder_for(width)
        story.append(PanelMark(panel, start=True))
        for part in layout.panels[panel]:
            parts[part] = builder.build((part,))
            story.extend(parts[part])
        story.append(PanelMark(panel, start=False))

    for name in ("cover", "flap", "back"):
        fill(name, outside[name]._width)
        story.append(FrameBreak() if name != "back" else NextPageTemplate("inside"))
    story.append(FrameBreak())
    fill("inside", narrowest)
    # A reader (and a screen reader) follows the layout's order, not the panels'.
    reading = [f for part in layout.reading_order for f in parts[part]]
    templates = [
        # Frames are filled in list order: the cover first, though it is printed on the
        # right; the flap and the back panel follow.
        PageTemplate(id="outside", frames=[outside["cover"], outside["flap"],
                                           outside["back"]], onPage=on_page),
        PageTemplate(id="inside", frames=inside, onPage=on_page),
    ]
    return templates, story, reading


def _bilingual_templates(edition: Edition, layout: Layout, styles: Styles
                         ) -> tuple[list[PageTemplate], list[Flowable], StructTree]:
    """The page template, story and structure tree of a bilingual edition (*styles*: the
    first language's, for the page background)."""
    from dataclasses import replace

    from .bilingual import arrange

    second, second_fonts = edition.second, edition.second_fonts
    assert second is not None and second_fonts is not None
    where = f"{edition.content.file}: the {layout.name!r} layout"
    if edition.geometry.panels:
        raise RenderError(f"{where} is a tri-fold, whose panels hold one language: give its "
                          "bilingual settings a reason to refuse instead of an arrangement")
    if layout.arrangement is None:
        raise RenderError(f"{where} makes no bilingual editions: "
                          + (layout.bilingual_refusal or "it has no bilingual settings"))
    frame = _body_frame(edition.geometry, layout.margins)
    parallel = layout.arrangement == "parallel"
    if parallel:  # columns are already half the page: none inside them
        layout = replace(layout, two_columns=(), list_columns=1)
    column = (frame._width - layout.gutter) / 2

    def builders(width: float) -> tuple[StoryBuilder, StoryBuilder]:
        made = []
        for content, fonts, personal, personal_font in (
                (edition.content, edition.fonts, edition.personal, edition.personal_font),
                (second, second_fonts, None, None)):
            rtl = content.direction == "rtl"
            styles = make_styles(layout, fonts, rtl=rtl, script=script_of(content.language))
            made.append(StoryBuilder(content, styles, width, edition.clinic, personal,
                                     edition.print.qr, personal_font))
        return made[0], made[1]

    first, other = builders(column if parallel else frame._width)
    story, tree = arrange(first, other, layout.arrangement, frame._width, layout.gutter,
                          lambda: builders(column))
    template = PageTemplate(id="page", frames=[frame], onPage=_background(edition, styles))
    return [template], story, tree


def render(edition: Edition) -> Rendered:
    """Lay out one edition and return its PDF bytes."""
    layout, content = edition.layout, edition.content
    rtl = content.direction == "rtl"
    if any(c.direction == "rtl" for c, _ in edition.font_sets):
        from .scripts.bidi import enable_rtl

        enable_rtl()
    if edition.print.grayscale:
        layout = grayscale(layout)
    styles = make_styles(layout, edition.fonts, rtl=rtl, script=script_of(content.language))

    def builder_for(width: float) -> StoryBuilder:
        return StoryBuilder(content, styles, width, edition.clinic, edition.personal,
                            edition.print.qr, edition.personal_font)

    if edition.second is not None:
        templates, story, tree = _bilingual_templates(edition, layout, styles)
        edition.structure = tree if edition.tagged else None
    else:
        templates, story, reading = _templates(edition, styles, builder_for)
        edition.structure = structure(reading, rtl=rtl) if edition.tagged else None
    buffer = io.BytesIO()
    frames_per_panel = {"cover": 1, "flap": 1, "back": 1, "inside": 3}
    doc = PanelDoc(
        frames_per_panel if edition.geometry.panels else {},
        min(layout.page_ceiling, edition.stop_after or layout.page_ceiling),
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
                                                   edition.tagged, edition.probe))
    except Stop:
        raise
    except RLLayoutError as exc:
        raise RenderError(f"{content.file}: the {layout.name!r} layout cannot place part of "
                          f"the content on a page: {exc}") from None
    pages = doc.page
    edition.outline_entries = getattr(doc.canv, "_brochure_outline_count", 0)
    frame = doc.frame
    filled = (frame._y1 + frame._height - frame._y) / frame._height if frame._height else 1.0
    return Rendered(buffer.getvalue(), pages, max(0.0, min(1.0, filled)))


SHRINK_TRIES = 5  # at most this many smaller settings are tried (each a full layout)


def render_to_fit(edition: Edition) -> Rendered:
    """Render within the layout's page budget and, for a tri-fold, each panel's frames.

    If the edition is over its budget (or a panel overflows) and the layout allows
    shrinking, smaller type and space are tried down to ``shrink_to_fit`` (never under
    the layout's minimum sizes): the smallest first, then a binary search for the
    largest that fits, so at most 1 + log2(`SHRINK_TRIES`) more layouts. What still
    does not fit is a `RenderError` saying what must go: a panel and how much, a part
    kept whole that is taller than a frame, or a hard page budget. A soft budget
    (``target_pages``) not met is a warning on the edition.
    """
    base = edition.layout
    scales = _scales(base.shrink_to_fit)
    failures: list[Stop | Overfull] = []
    trials: list[Stop | Overfull] = []  # why trial layouts stopped
    shrinks = len(scales) > 1
    key = (fitmemory.edition_key(edition.content, base, edition.clinic, edition.paper,
                                  edition.print, edition.fonts.names(), edition.second)
           if shrinks else "")
    # the same edition with any clinic profile: its scale is a guess, checked below
    shared = (fitmemory.edition_key("any clinic", edition.content, base, edition.paper,
                                     edition.print, edition.fonts.names(), edition.second)
              if shrinks else "")
    personal = edition.personal is not None
    found: dict[int, float] = {}  # id of an attempt's result -> its scale

    def attempt(scale: float, trial: bool = False, probe: bool = False
                ) -> tuple[Rendered, Layout, StructTree | None, int] | None:
        """A layout at *scale*; a *trial* one, kept only if it fits, stops as soon as
        it is past the page budget (then None, as for any edition that stops); a
        *probe* is a trial whose pages are not drawn (when it fits, the layout at its
        scale is made again, drawn)."""
        if edition.still_wanted is not None:
            edition.still_wanted()
        edition.layout = base if scale == 1.0 else scaled(base, scale)
        edition.stop_after = base.page_budget if trial or probe else None
        edition.probe = probe
        try:
            rendered = render(edition)
        except (Stop, Overfull) as raised:
            (trials if trial or probe else failures).append(original(raised))  # type: ignore[arg-type]
            return None
        finally:
            edition.stop_after, edition.probe = None, False
        if probe and rendered.pages <= base.page_budget:
            return attempt(scale)  # it fits after all: the layout that is kept, drawn
        result = rendered, edition.layout, edition.structure, edition.outline_entries
        found[id(result)] = scale
        return result

    def meets(result: tuple | None) -> bool:
        return result is not None and result[0].pages <= base.page_budget

    def keep(best: tuple) -> Rendered:
        if key and not personal and meets(best):
            fitmemory.remember(key, found[id(best)])
            fitmemory.remember(shared, found[id(best)])
        return _fitted(edition, base, best)

    hint = fitmemory.recall(key) if key and personal else None
    if hint is not None and hint in scales:
        # the scale the edition without its personal line needed (1.0 included), then
        # the next smaller one: the first that fits is what the full search would find
        # (see `fitmemory`)
        for scale in [hint, *[s for s in scales if s < hint][:1]]:
            # trial layouts: one that fits ran to the end, one that does not stops at
            # the first page past the budget (the personal line's usual case for hint)
            tried = attempt(scale, trial=True)
            if meets(tried):
                return _fitted(edition, base, tried)  # type: ignore[arg-type]
        failures.clear()  # not found so: the full search, with its own failures
    guess = fitmemory.recall(shared) if shared else None
    if hint is None and guess is not None and guess < 1.0 and guess in scales:
        guessed = _from_guess(scales, scales.index(guess), attempt, meets, trials, base)
        if guessed is not None:
            return keep(guessed)
        failures.clear()  # not found so: the full search, with its own failures
    first = attempt(1.0)
    best = first
    candidates = scales[1:]
    # Every candidate scale stays in the search (none is left out by an estimate of the
    # area it would need), so the search finds the largest scale that fits: what
    # `fitmemory` relies on to give a personalised edition the same bytes either way.
    if first is None and failures and not _worth_shrinking(failures[0], base):
        candidates = []
    if not meets(first) and candidates:
        # kept when it fits, or when 1.0 stopped: else a probe (drawn again if it fits)
        smallest = attempt(candidates[-1], probe=first is not None)
        if meets(smallest):
            best = smallest
            low, high = 0, len(candidates) - 1  # candidates[high] is known to fit
            while low < high:
                middle = (low + high) // 2
                tried = attempt(candidates[middle], trial=True)  # kept only if it fits
                if meets(tried):
                    best, high = tried, middle
                else:
                    low = middle + 1
        elif first is None:
            best = smallest  # within the hard limits at least (a soft budget unmet)
    if best is None:
        edition.layout = base
        raise _failure(edition, failures[0] if failures else None, scales[-1])
    return keep(best)


def _from_guess(scales: list[float], at: int, attempt, meets,  # type: ignore[no-untyped-def]
                trials: list[Stop | Overfull], base: Layout) -> tuple | None:
    """The attempt at the largest scale that fits, found from a guess (``scales[at]``,
    the scale the same edition needed with another clinic profile) in as few layouts as
    the guess allows; None when the guess does not fit (the full search then runs).

    The answer is the full search's: a guess that fits, with the next larger scale not
    fitting, is the largest that fits (the search takes "fits" to hold for every scale
    below one that fits). The larger scales are probes (trial layouts that draw no
    text), stopped at the page budget; a 1.0 that stopped so is what the full search lays
    out first, and when the search would not shrink after it (`_worth_shrinking`), the
    full search runs to say so.
    """
    best = attempt(scales[at])
    if not meets(best):
        return None
    while at > 0:
        tried = attempt(scales[at - 1], probe=True)  # (usually it does not fit)
        if meets(tried):
            best, at = tried, at - 1
            continue
        if at - 1 == 0 and tried is None and not _would_shrink(trials[-1], base):
            return None
        break
    return best


def _would_shrink(stopped: Stop | Overfull, base: Layout) -> bool:
    """Whether the full search shrinks after a 1.0 that stopped so in a trial layout (a
    trial stops at the page budget: the full layout may have gone on to the ceiling)."""
    past_ceiling = TooManyPages("", base.page_ceiling + 1)
    return _worth_shrinking(stopped, base) and _worth_shrinking(past_ceiling, base)


def _fitted(edition: Edition, base: Layout, best: tuple) -> Rendered:
    """*edition* set to the chosen attempt *best*, warned if over its soft budget."""
    rendered, edition.layout, edition.structure, edition.outline_entries = best
    if base.target_pages and rendered.pages > base.target_pages:
        edition.warnings.append(
            f"{edition.content.file}: the {base.name!r} layout is meant to fit on "
            f"{base.target_pages} page(s) (target_pages in {base.at('target_pages')}); "
            f"this edition needs {rendered.pages}")
    return rendered


def _scales(smallest: float) -> list[float]:
    """1.0, then evenly spaced smaller scales down to *smallest* (3% steps, or fewer,
    larger steps when the range is wide)."""
    if smallest >= 1.0 - 1e-9:
        return [1.0]
    steps = min(SHRINK_TRIES, max(1, round((1.0 - smallest) / 0.03)))
    return [1.0] + [round(1.0 - (1.0 - smallest) * i / steps, 4) for i in range(1, steps + 1)]


def _worth_shrinking(exc: Stop | Overfull, base: Layout) -> bool:
    """Whether smaller type could still help: not when the page count ran far past the
    budget (area shrinks with the square of the scale)."""
    if isinstance(exc, TooManyPages):
        return exc.pages * base.shrink_to_fit ** 2 <= base.page_ceiling + 1
    return True


def _failure(edition: Edition, exc: Stop | Overfull | None, smallest: float) -> RenderError:
    """The error for an edition that fits at no scale tried, saying what must go."""
    layout, content = edition.layout, edition.content
    line = layout.type["body"] * layout.type["leading"]
    shrunk = (f" even with type and space shrunk to {smallest:.0%} (shrink_to_fit in "
              f"{layout.at('shrink_to_fit')})" if smallest < 1.0 else "")
    where = f"{content.file}: the {layout.name!r} layout"
    if isinstance(exc, Overfull):
        frame = "page's text frame" if exc.frame == "body" else f"{exc.frame} panel"
        return RenderError(
            f"{where} keeps the {exc.part!r} part whole, and it is {exc.over:.0f} pt "
            f"(about {_lines(exc.over, line)} lines of body text) taller than a whole "
            f"{frame} ({exc.room:.0f} pt){shrunk}; shorten it by at least that much")
    if isinstance(exc, TooManyPages):
        return RenderError(
            f"{where} allows at most {layout.max_pages} page(s) (max_pages in "
            f"{layout.at('max_pages')}); this edition needs more than {exc.pages - 1}"
            f"{shrunk}; shorten the content or choose a layout with more room")
    if isinstance(exc, PanelOverflow):
        over = _panel_overflow(edition, scaled(layout, smallest), exc.panel)
        parts = ", ".join(layout.panels[exc.panel])
        return RenderError(
            f"{where}: the {exc.panel} panel ({parts}) does not fit{shrunk}: about "
            f"{over:.0f} pt ({_lines(over, line)} lines of body text) must go, or move "
            f"a part to another panel (panels in {layout.at('panels')})")
    return RenderError(f"{where} cannot place the content")


def _lines(points: float, line: float) -> int:
    return max(1, -(-int(points) // max(int(line), 1)))


def _panel_overflow(edition: Edition, layout: Layout, panel: str) -> float:
    """How much of *panel*'s content lies beyond its frames, set with *layout*."""
    geo = edition.geometry
    styles = make_styles(layout, edition.fonts, rtl=edition.content.direction == "rtl",
                         script=script_of(edition.content.language))
    m = layout.margins
    top = m["top"] + (layout.band[1] if layout.band else 0)
    kind = "inside" if panel == "inside" else "outside"
    widths = [p.width - m["left"] - m["right"] for p in geo.panels[kind] if p.name == panel]
    height = geo.trim[1] - m["bottom"] - top
    builder = StoryBuilder(edition.content, styles, min(widths), edition.clinic,
                           edition.personal, edition.print.qr, edition.personal_font)
    return overflow_points(builder.build(layout.panels[panel]), min(widths), height,
                           len(widths))
