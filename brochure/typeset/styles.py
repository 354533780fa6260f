"""Layout + fonts → ReportLab paragraph styles.

In: a `Layout`, a `FontSet` and the writing direction. Out: a `Styles` object with one
`ParagraphStyle` per role (body, title, h1, table cells, ...). Nothing here knows about
any topic; sizes and colours come from the layout file.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

from ..source.layouts import Layout
from .fonts import FontSet


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    bullet: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    table: ParagraphStyle
    table_head: ParagraphStyle
    serious_head: ParagraphStyle
    small: ParagraphStyle
    urgent_head: ParagraphStyle
    urgent: ParagraphStyle
    draft: ParagraphStyle
    fonts: FontSet
    layout: Layout
    rtl: bool
    script: str
    variants: dict = field(default_factory=dict)  # derived styles, made once

    def color(self, name: str) -> colors.Color:
        return colors.HexColor(self.layout.colors[name])


# Scripts whose glyphs HarfBuzz picks (stacked Thai marks); others are drawn unshaped.
SHAPED_SCRIPTS = frozenset({"thai"})

_made: OrderedDict[tuple, Styles] = OrderedDict()
_MADE_KEPT = 16


def make_styles(layout: Layout, fonts: FontSet, rtl: bool = False, script: str = "latin"
                ) -> Styles:
    """Every paragraph style of a layout for text of *script*. Styles are never changed
    once made, so editions of one layout (a batch renders hundreds) share them, and the
    fragments and variants made from them (`Styles.variants`)."""
    key = (id(layout), fonts.names(), rtl, script)
    made = _made.get(key)
    if made is not None and made.layout is layout and made.fonts == fonts:
        _made.move_to_end(key)
        return made
    made = _make_styles(layout, fonts, rtl, script)
    _made[key] = made  # holds the layout, so its id is not reused while kept
    if len(_made) > _MADE_KEPT:
        _made.popitem(last=False)
    return made


def _make_styles(layout: Layout, fonts: FontSet, rtl: bool, script: str) -> Styles:
    t = layout.type
    c = {name: colors.HexColor(value) for name, value in layout.colors.items()}
    lead = t["leading"]
    align = TA_RIGHT if rtl else TA_LEFT
    # Thai needs HarfBuzz shaping to stack its marks; ReportLab's right-to-left path
    # works only without shaping (it joins Arabic letters itself, see scripts.bidi).
    extra: dict[str, object] = {"wordWrap": "RTL", "shaping": 0} if rtl else (
        {"shaping": 1} if script in SHAPED_SCRIPTS else {})

    def style(name: str, size: float, font: str, color: str = "text", **kw: object
              ) -> ParagraphStyle:
        params = {
            "fontName": font,
            "fontSize": size,
            "leading": round(size * lead, 2),
            "textColor": c[color],
            "alignment": align,
            "splitLongWords": 1,
            # ReportLab would draw bullets in Helvetica, an unembedded font, by default.
            "bulletFontName": font,
            "bulletFontSize": size,
            **extra,
        }
        params.update(kw)
        return ParagraphStyle(name, **params)  # type: ignore[arg-type]

    body = t["body"]
    sp = layout.space  # scales the space around paragraphs and headings
    indent = body * 1.3
    side = {"rightIndent": indent, "bulletIndent": 0} if rtl else {
        "leftIndent": indent, "bulletIndent": body * 0.2}
    return Styles(
        body=style("body", body, fonts.regular, spaceAfter=body * 0.5 * sp),
        bullet=style("bullet", body, fonts.regular, spaceAfter=body * 0.3 * sp, **side),
        title=style("title", t["title"], fonts.bold, "heading", leading=t["title"] * 1.15,
                    spaceAfter=t["title"] * 0.25),
        subtitle=style("subtitle", t["subtitle"], fonts.regular, "muted",
                       spaceAfter=t["subtitle"] * 0.6),
        h1=style("h1", t["h1"], fonts.bold, "heading", leading=t["h1"] * 1.2,
                 spaceBefore=t["h1"] * 0.7 * sp, spaceAfter=t["h1"] * 0.3 * sp),
        h2=style("h2", t["h2"], fonts.bold, "heading", leading=t["h2"] * 1.2,
                 spaceBefore=t["h2"] * 0.5 * sp, spaceAfter=t["h2"] * 0.2 * sp),
        table=style("table", t["table"], fonts.regular),
        table_head=style("table_head", t["table"], fonts.bold, "table_header_text"),
        serious_head=style("serious_head", t["table"], fonts.bold, "urgent_text"),
        small=style("small", t["small"], fonts.regular, "muted", spaceAfter=t["small"] * 0.3),
        urgent_head=style("urgent_head", t["h2"], fonts.bold, "urgent_text",
                          leading=t["h2"] * 1.2, spaceAfter=t["h2"] * 0.3),
        urgent=style("urgent", body, fonts.bold, "urgent_text", spaceAfter=body * 0.25,
                     **side),
        draft=style("draft", body, fonts.bold, "draft", spaceAfter=body * 0.2),
        fonts=fonts,
        layout=layout,
        rtl=rtl,
        script=script,
    )
