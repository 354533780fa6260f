"""The personal line ("Prepared for NAME" and a note) in any script a shipped font draws.

A name or note typed for one reader need not be in the edition's script: an Arabic name
on an English handout, a Thai note on a Spanish one, a Latin name on an Arabic one.
`personal_fonts` picks, for the name line and for the note, the first shipped font family
that has every character (the edition's own first); `personal_flowables` sets each
paragraph as its text needs, whatever the edition's script:

- text with right-to-left letters goes through ReportLab's bidi path (`scripts.bidi`:
  Arabic joined into presentation forms, words in visual order), with the edition's
  direction as the paragraph's base direction, in one font (that path takes one style);
- Thai text is shaped by HarfBuzz and broken between words (`scripts.thai`);
- other text is an ordinary paragraph.

Where no one font has both the label and the name (a Thai name on an Arabic handout),
the label keeps the edition's font and the name follows on a line of its own, in the font
that has it. Shaped and reordered paragraphs carry the logical text as ActualText, so
copying and screen readers get the name as typed.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph

from ..source.model import Personal
from ..source.normalize import ZERO_WIDTH_SPACE
from .fonts import FontSet, covering_family, missing_glyphs, shipped_scripts
from .markup import escape
from .styles import Styles
from .tagging import Tagged

NAME = "{name}"


@dataclass(frozen=True)
class PersonalFonts:
    """Which fonts draw a personal line the edition's fonts cannot draw whole."""

    edition: FontSet
    line: FontSet  # the "Prepared for NAME" line (the edition's when it has the letters)
    name: FontSet | None  # set when no font has label and name: the name's own line
    note: FontSet  # the note

    @property
    def name_font(self) -> FontSet:
        """The font the name's letters are drawn in."""
        return self.name or self.line


def covers(text: str, fonts: FontSet) -> bool:
    return not (missing_glyphs(text, fonts.regular) or missing_glyphs(text, fonts.bold))


def _first_covering(text: str, fonts: FontSet) -> FontSet | None:
    if covers(text, fonts):
        return fonts
    return covering_family(text, shipped_scripts())


def personal_fonts(personal: Personal, fonts: FontSet, label: str) -> PersonalFonts | None:
    """The fonts of *personal*'s name line (*label* with ``{name}``) and note; None when
    the edition's *fonts* draw both. A part no shipped font draws keeps the edition's
    font, so its glyph check names the characters missing there."""
    line_font: FontSet = fonts
    name_font: FontSet | None = None
    if personal.name:
        line = label.replace(NAME, personal.name)
        found = _first_covering(line, fonts)
        if found is not None:
            line_font = found
        else:
            name_font = _first_covering(personal.name, fonts)
    note_font = (_first_covering(personal.note, fonts) if personal.note else None) or fonts
    if line_font is fonts and name_font is None and note_font is fonts:
        return None
    return PersonalFonts(fonts, line_font, name_font, note_font)


def personal_flowables(personal: Personal, label: str, styles: Styles,
                       fonts: PersonalFonts) -> list[Flowable]:
    """The name line (bold) and the note (regular), each set as its script needs."""
    out: list[Flowable] = []
    body = styles.body
    if personal.name:
        if fonts.name is None:
            out.append(paragraph(label.replace(NAME, personal.name), fonts.line.bold,
                                 body, styles))
        else:  # the label in the edition's font, the name on its own line
            before, _, after = label.partition(NAME)
            for text, font in ((before, fonts.edition.bold), (personal.name, fonts.name.bold),
                               (after, fonts.edition.bold)):
                if text.strip():
                    out.append(paragraph(text.strip(), font, body, styles))
    if personal.note:
        out.append(paragraph(personal.note, fonts.note.regular, body, styles))
    return out


def has_rtl(text: str) -> bool:
    """Does *text* hold right-to-left letters (Arabic, Hebrew, ...)?"""
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


def has_thai(text: str) -> bool:
    return any("\u0e01" <= ch <= "\u0e5b" for ch in text)


def paragraph(text: str, font_name: str, parent: ParagraphStyle, styles: Styles) -> Tagged:
    """One paragraph of plain *text* in font *font_name*, aligned as the edition's text
    (*parent*), laid out as its own script needs; tagged P with its logical text."""
    settings: dict[str, object] = {"fontName": font_name, "wordWrap": None, "shaping": 0}
    shown = text.replace(ZERO_WIDTH_SPACE, "")  # a break mark (`source.normalize`)
    if has_rtl(text):
        from .scripts.bidi import enable_rtl, isolate_ltr

        enable_rtl()
        # ReportLab's bidi path, based in the edition's direction
        settings["wordWrap"] = "RTL" if styles.rtl else "LTR"
        style = _style(parent, styles, settings)
        para: Flowable = Paragraph(escape(isolate_ltr(shown)), style)
        actual: str | None = shown
    elif has_thai(text):
        from .scripts.thai import BREAK_MARKUP, ThaiParagraph

        settings["shaping"] = 1  # HarfBuzz stacks Thai marks
        para = ThaiParagraph(escape(text).replace(ZERO_WIDTH_SPACE, BREAK_MARKUP),
                             _style(parent, styles, settings))
        actual = shown
    else:
        para = Paragraph(escape(shown), _style(parent, styles, settings))
        actual = None
    return Tagged(para, "P", actual_text=actual, text=shown)


def _style(parent: ParagraphStyle, styles: Styles, settings: dict[str, object]
           ) -> ParagraphStyle:
    """*parent* with *settings*, made once per edition's styles (ReportLab styles are
    kept by identity in the paragraph caches)."""
    key = ("personal", parent.name, tuple(sorted(settings.items(), key=lambda kv: kv[0])))
    cache = styles.variants
    if key not in cache:
        name = f"personal-{len([k for k in cache if isinstance(k, tuple)])}"
        cache[key] = parent.clone(name, **settings)
    return cache[key]
