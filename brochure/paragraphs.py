"""Text runs → ReportLab paragraphs, with what each script needs.

In: *runs*, a list of (plain text, bold) pieces of user text, a paragraph style and the
edition's `Styles`. Out: a flowable. User text is escaped here, so nothing a content file
says can become ReportLab markup. Thai paragraphs break lines between words
(`scripts.thai`); right-to-left paragraphs are laid out by ReportLab's bidi path
(`scripts.bidi`), which only works on plain, single-style text, so there a paragraph
whose runs are all bold is set in the bold font instead of with ``<b>``.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph

from .styles import Styles
from .tagging import Tagged

Runs = list[tuple[str, bool]]


def esc(text: str) -> str:
    """User text made safe for ReportLab's paragraph markup (``<``, ``&`` and quotes)."""
    return escape(text, {'"': "&quot;"})


def make(runs: Runs, style: ParagraphStyle, styles: Styles, bullet: str | None = None
         ) -> Paragraph:
    """One paragraph of *runs* in *style*, laid out as the edition's script requires."""
    if styles.rtl:
        from .scripts.bidi import rtl_paragraph

        text = "".join(text for text, _ in runs)
        if runs and all(bold for _, bold in runs) and style.fontName != styles.fonts.bold:
            style = _bold(style, styles)
        return rtl_paragraph(text, style, bulletText=bullet)
    markup = "".join(f"<b>{esc(text)}</b>" if bold else esc(text) for text, bold in runs)
    if styles.script == "thai":
        from .scripts.thai import ThaiParagraph

        return ThaiParagraph(markup, style, bulletText=bullet)
    return Paragraph(markup, style, bulletText=bullet)


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
        return "".join(text for text, _ in runs)
    return None


def tagged(runs: Runs, style: ParagraphStyle, styles: Styles, bullet: str | None = None,
           role: str = "P", group: int | None = None) -> Tagged:
    """A paragraph of *runs* marked as structure element *role* (P, or LI in a list)."""
    return Tagged(make(runs, style, styles, bullet), role, group=group,
                  actual_text=logical_text(runs, styles))


class Heading(Tagged):
    """A heading (H1 for level 0, H2, H3): a structure element and an outline entry.

    The outline entry is added when the heading is drawn, so headings nested in tables
    or columns are in the outline too, on the page where they land.
    """

    def __init__(self, text: str, style: ParagraphStyle, level: int, styles: Styles) -> None:
        runs = [(text, False)]
        super().__init__(make(runs, style, styles), f"H{min(level, 2) + 1}",
                         actual_text=logical_text(runs, styles))
        self.outline_text = text
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
        canvas.addOutlineEntry(self.outline_text, key, level=self.outline_level, closed=False)
        super().draw()
