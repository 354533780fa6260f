"""Text runs → ReportLab paragraphs, with what each script needs.

In: *runs*, a list of (plain text, bold) pieces of user text, a paragraph style and the
edition's `Styles`. Out: a flowable. User text is escaped here, so nothing a content file
says can become ReportLab markup. Thai paragraphs break lines between words
(`scripts.thai`); right-to-left paragraphs are laid out by ReportLab's bidi path
(`scripts.bidi`), which only works on plain, single-style text, so there a paragraph
whose runs are all bold is set in the bold font instead of with ``<b>``.

A zero-width space (kept by `source.normalize` as a break opportunity) becomes the Thai
paragraph's break mark, a space too small to see that drawing leaves out; in
right-to-left paragraphs, which break at spaces, it is left out. Soft hyphens are
ReportLab's own: drawn as "-" only where a line breaks at one.
"""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph
from reportlab.platypus.paragraph import cleanBlockQuotedText, textTransformFrags

from ..source.normalize import ZERO_WIDTH_SPACE, without_break_marks
from . import linebreaks
from .markup import escape
from .scripts.thai import BREAK_MARKUP, ThaiParagraph
from .styles import Styles
from .tagging import LANG_CALLBACK, Tagged

Runs = list[tuple[str, bool]]


class Foreign(str):
    """Run text in another language than the edition's: its glyphs are marked as a
    ``/Span <</Lang ...>>`` sequence (ISO 32000-1 §14.9.2.2) for screen readers. (Not
    in Thai and right-to-left paragraphs, whose text is shaped as a whole and read from
    its ActualText.)"""

    lang: str

    def __new__(cls, text: str, lang: str) -> Foreign:
        self = super().__new__(cls, text)
        self.lang = lang
        return self


def in_language(text: str, lang: str | None, edition_lang: str) -> str:
    """*text*, marked as written in *lang* where that is not the edition's language."""
    return Foreign(text, lang) if lang and lang != edition_lang else text


def _lang_of(text: str) -> str | None:
    return getattr(text, "lang", None)


def esc(text: str) -> str:
    """User text made safe for ReportLab's paragraph markup (``<``, ``&`` and quotes)."""
    return escape(text, quotes=True)


def make(runs: Runs, style: ParagraphStyle, styles: Styles, bullet: str | None = None
         ) -> Paragraph:
    """One paragraph of *runs* in *style*, laid out as the edition's script requires."""
    if styles.rtl:
        from .scripts.bidi import rtl_paragraph

        text = "".join(text for text, _ in runs).replace(ZERO_WIDTH_SPACE, "")
        if runs and all(bold for _, bold in runs) and style.fontName != styles.fonts.bold:
            style = _bold(style, styles)
        return rtl_paragraph(text, style, bulletText=bullet)
    if styles.script == "thai" or any(ZERO_WIDTH_SPACE in text for text, _ in runs):
        # the Thai paragraph draws its break marks as nothing; outside Thai text it adds
        # none of its own, so only the zero-width spaces' marks are there
        return ThaiParagraph(_markup(runs), style, bulletText=bullet)
    frags = _frags(runs, style, styles)
    if not frags:
        return Paragraph(_markup(runs), style, bulletText=bullet)
    # (the runs, style and bullet decide the paragraph: they key its line breaks)
    recipe = (style, bullet, tuple((type(t), t, _lang_of(t), b) for t, b in runs))
    return linebreaks.made_from(
        Paragraph("".join(f.text for f in frags), style, bulletText=bullet, frags=frags),
        recipe)


def _markup(runs: Runs) -> str:
    return "".join(f"<b>{esc(text)}</b>" if bold else esc(text)
                   for text, bold in runs).replace(ZERO_WIDTH_SPACE, BREAK_MARKUP)


_RUN_BREAK = "\x00"  # cannot occur in content text (YAML does not allow it)


def _frags(runs: Runs, style: ParagraphStyle, styles: Styles) -> list:
    """The fragments ReportLab's markup parser would make of *runs*, made directly: each
    run is a copy of the style's plain or bold fragment with the run's text. This skips
    parsing markup (a good part of building the story), and user text is never markup.
    Whitespace is cleaned as the parser's input is (runs of spaces and line breaks
    become one space; the ends are stripped)."""
    cleaned = cleanBlockQuotedText(_RUN_BREAK.join(text for text, _ in runs))
    pieces = cleaned.split(_RUN_BREAK)
    if len(pieces) != len(runs):
        return []
    plain, bold = _templates(style, styles)
    frags = []
    for text, (run, is_bold) in zip(pieces, runs, strict=True):
        if text:
            model = bold if is_bold else plain
            lang = _lang_of(run)
            if lang:
                frags.append(_lang_mark(model, "+" + lang))
            frags.append(model.clone(text=text, link=list(model.link),
                                     us_lines=list(model.us_lines)))
            if lang:
                frags.append(_lang_mark(model, "-"))
    textTransformFrags(frags, style)
    return frags


def _lang_mark(model, label: str):  # type: ignore[no-untyped-def]
    """A zero-width fragment that calls `tagging.lang_mark` where it is drawn, as
    ReportLab's ``<onDraw>`` does."""
    from reportlab.lib.abag import ABag

    return model.clone(text="", link=[], us_lines=[],
                       cbDefn=ABag(kind="onDraw", name=LANG_CALLBACK, label=label))


def _templates(style: ParagraphStyle, styles: Styles) -> tuple:
    """The parser's fragment of plain and of bold text in *style*, parsed once per style."""
    cache = styles.variants
    key = ("frags", id(style))
    if key not in cache:
        plain = Paragraph("x", style).frags[0]
        bold = Paragraph("<b>x</b>", style).frags[0]
        cache[key] = (style, plain, bold)  # the style is kept so its id stays its own
    return cache[key][1:]


def _bold(style: ParagraphStyle, styles: Styles) -> ParagraphStyle:
    cache = styles.variants
    key = f"{style.name}-bold"
    if key not in cache:
        cache[key] = style.clone(key, fontName=styles.fonts.bold)
    return cache[key]


def logical_text(runs: Runs, styles: Styles) -> str | None:
    """The text a reader should get when glyphs drawn differ from the characters:
    right-to-left lines (drawn in visual order, as joined forms) and Thai (HarfBuzz
    moves some marks to private-use glyphs). None where extraction is already right."""
    if styles.rtl or styles.script == "thai":
        return without_break_marks("".join(text for text, _ in runs))
    return None


def tagged(runs: Runs, style: ParagraphStyle, styles: Styles, bullet: str | None = None,
           role: str = "P", group: int | None = None, whole: bool = False) -> Tagged:
    """A paragraph of *runs* marked as structure element *role* (P, or LI in a list);
    a *whole* one is never split between columns or pages."""
    return Tagged(make(runs, style, styles, bullet), role, group=group,
                  actual_text=logical_text(runs, styles), whole=whole,
                  text="".join(text for text, _ in runs))


class Heading(Tagged):
    """A heading (H1 for level 0, H2, H3): a structure element and an outline entry.

    The outline entry is added when the heading is drawn, so headings nested in tables
    or columns are in the outline too, on the page where they land.
    """

    def __init__(self, text: str, style: ParagraphStyle, level: int, styles: Styles) -> None:
        runs = [(text, False)]
        super().__init__(make(runs, style, styles), f"H{min(level, 2) + 1}",
                         actual_text=logical_text(runs, styles), text=text)
        self.outline_text = without_break_marks(text)
        self.outline_level = level

    def _sibling(self, part: Flowable) -> Tagged:
        twin = super()._sibling(part)
        twin.role = self.role
        return twin

    def draw(self) -> None:
        canvas = self.canv
        count = getattr(canvas, "_brochure_outline_count", 0) + 1
        canvas._brochure_outline_count = count
        key = f"h{count}"
        canvas.bookmarkHorizontal(key, 0, self.height)
        # an outline cannot skip a level (a layout whose order leaves out the title
        # starts at H2): go at most one deeper than the entry before
        level = min(self.outline_level, getattr(canvas, "_brochure_outline_level", -1) + 1)
        canvas._brochure_outline_level = level
        canvas.addOutlineEntry(self.outline_text, key, level=level, closed=False)
        super().draw()
