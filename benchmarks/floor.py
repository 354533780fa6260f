"""The floor: the kratom handout drawn by hand with bare ReportLab, no brochure code.

In: the English kratom content, its locale and a layout file, read once with plain
``yaml.safe_load`` (not timed: a hand-written script would have its text inline). Out:
PDF bytes of the same story brochure draws — title, draft box, key points, sections,
benefits table, side effects, safety (emergency box, interactions table, lists), contact
and notes boxes, sources, disclaimer — in the same fonts, sizes, colours and columns,
with the same running header and footer ("Page N of M"). No validation, glyph checks,
PDF finishing, tagging or outline, and parts added to the layouts after this script was
written (such as the QR code) are left out: what is left is the cost of ReportLab laying
out and writing this story, the floor any ReportLab-based tool pays.

    python -m benchmarks.floor            # renders both layouts to ./floor-*.pdf
"""

from __future__ import annotations

import importlib.util
import io
import re
from pathlib import Path
from xml.sax.saxutils import escape

import yaml
from reportlab.lib import colors
from reportlab.lib.fonts import addMapping
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BalancedColumns,
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

ROOT = Path(__file__).resolve().parent.parent
FONT_FILES = {"R": "Regular", "B": "Bold", "I": "Italic", "BI": "BoldItalic"}
CLINIC = {"name": "Riverside Community Health Center",
          "address": ["120 Example Street, Suite 4", "Springfield, ST 00000"],
          "phone": "(555) 010-0199", "website": "www.example.org/riverside",
          "email": "care@example.org", "hours": "Mon–Fri 8:00–17:00",
          "notes": "Bring this handout and all your medicines and supplements to your next "
                   "visit."}


def register_fonts() -> None:
    """Atkinson Hyperlegible from its Python package, as brochure uses it."""
    if "Floor-R" in pdfmetrics.getRegisteredFontNames():
        return
    spec = importlib.util.find_spec("fontpkg_atkinson_hyperlegible")
    assert spec and spec.submodule_search_locations
    folder = Path(next(iter(spec.submodule_search_locations))) / "files"
    for key, style in FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(f"Floor-{key}",
                                       str(folder / f"AtkinsonHyperlegible-{style}.ttf")))
    addMapping("Floor", 0, 0, "Floor-R")
    addMapping("Floor", 1, 0, "Floor-B")
    addMapping("Floor", 0, 1, "Floor-I")
    addMapping("Floor", 1, 1, "Floor-BI")


def _length(value: str | float) -> float:
    if isinstance(value, int | float):
        return float(value)
    number, unit = re.fullmatch(r"([0-9.]+)(pt|mm|cm|in)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"pt": 1, "mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72}[unit]


class Setup:
    """Everything read from files, once."""

    def __init__(self, layout: str) -> None:
        register_fonts()
        self.lay = yaml.safe_load((ROOT / "layouts" / f"{layout}.yaml").read_text("utf-8"))
        self.c = yaml.safe_load((ROOT / "content" / "kratom" / "en.yaml").read_text("utf-8"))
        self.labels = yaml.safe_load(
            (ROOT / "content" / "locales" / "en.yaml").read_text("utf-8"))
        self.mode = self.lay["wording"]
        self.margins = {k: _length(v) for k, v in self.lay["margins"].items()}


class Story:
    """The flowables of one edition, written out by hand."""

    def __init__(self, s: Setup, width: float) -> None:
        self.s, self.width, self.mode = s, width, s.mode
        t, self.col = s.lay["type"], {k: colors.HexColor(v) for k, v in s.lay["colors"].items()}
        self.t, self.sp = t, s.lay.get("space", 1.0)
        lead, body = t["leading"], t["body"]

        def style(name: str, size: float, font: str, color: str = "text", **kw: object
                  ) -> ParagraphStyle:
            params: dict[str, object] = {
                "fontName": font, "fontSize": size, "leading": round(size * lead, 2),
                "textColor": self.col[color], "splitLongWords": 1, "bulletFontName": font,
                "bulletFontSize": size, **kw}
            return ParagraphStyle(name, **params)  # type: ignore[arg-type]

        self.body = style("body", body, "Floor-R", spaceAfter=body * 0.5 * self.sp)
        self.bullet = style("bullet", body, "Floor-R", spaceAfter=body * 0.3 * self.sp,
                            leftIndent=body * 1.3, bulletIndent=body * 0.2)
        self.title = style("title", t["title"], "Floor-B", "heading",
                           leading=t["title"] * 1.15, spaceAfter=t["title"] * 0.25)
        self.subtitle = style("subtitle", t["subtitle"], "Floor-R", "muted",
                              spaceAfter=t["subtitle"] * 0.6)
        self.h1 = style("h1", t["h1"], "Floor-B", "heading", leading=t["h1"] * 1.2,
                        spaceBefore=t["h1"] * 0.7 * self.sp, spaceAfter=t["h1"] * 0.3 * self.sp)
        self.h2 = style("h2", t["h2"], "Floor-B", "heading", leading=t["h2"] * 1.2,
                        spaceBefore=t["h2"] * 0.5 * self.sp, spaceAfter=t["h2"] * 0.2 * self.sp)
        self.table_s = style("table", t["table"], "Floor-R")
        self.table_head = style("table_head", t["table"], "Floor-B", "table_header_text")
        self.serious_head = style("serious_head", t["table"], "Floor-B", "urgent_text")
        self.small = style("small", t["small"], "Floor-R", "muted",
                           spaceAfter=t["small"] * 0.3)
        self.urgent_head = style("urgent_head", t["h2"], "Floor-B", "urgent_text",
                                 leading=t["h2"] * 1.2, spaceAfter=t["h2"] * 0.3)
        self.urgent = style("urgent", body, "Floor-B", "urgent_text", spaceAfter=body * 0.25,
                            leftIndent=body * 1.3, bulletIndent=body * 0.2)
        self.draft = style("draft", body, "Floor-B", "draft", spaceAfter=body * 0.2)

    def w(self, value: object) -> str:
        text = value.get(self.mode) or value.get("plain") if isinstance(value, dict) else value
        return escape(str(text))

    def label(self, key: str) -> str:
        return escape(self.s.labels["labels"][key])

    def p(self, markup: str, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(markup, style or self.body)

    def bullets(self, items: list[str], style: ParagraphStyle | None = None) -> list:
        paras = [Paragraph(i, style or self.bullet, bulletText="•") for i in items]
        if self.s.lay.get("list_columns") == 2 and len(items) >= 4 and all(
                len(i) <= 70 for i in items):
            half = (len(paras) + 1) // 2
            grid = Table([[paras[:half], paras[half:]]], colWidths=[self.width / 2 - 6] * 2,
                         hAlign="LEFT")
            grid.setStyle(self.ts([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                   ("TOPPADDING", (0, 0), (-1, -1), 0),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
            return [grid]
        return paras

    def ts(self, commands: list) -> TableStyle:
        return TableStyle([("FONT", (0, 0), (-1, -1), "Floor-R"), *commands])

    def table(self, rows: list, widths: list[float], header_bg: str = "table_header_bg",
              stripe: bool = True) -> Table:
        table = Table(rows, colWidths=widths, repeatRows=1, splitInRow=1)
        pad = self.t["table"] * 0.45
        commands = [("BACKGROUND", (0, 0), (-1, 0), self.col[header_bg]),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("GRID", (0, 0), (-1, -1), 0.5, self.col["rule"]),
                    ("LEFTPADDING", (0, 0), (-1, -1), pad),
                    ("RIGHTPADDING", (0, 0), (-1, -1), pad),
                    ("TOPPADDING", (0, 0), (-1, -1), pad * 0.8 * self.sp),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), pad * 1.1 * self.sp)]
        if stripe:
            commands += [("BACKGROUND", (0, i), (-1, i), self.col["table_stripe"])
                         for i in range(2, len(rows), 2)]
        table.setStyle(self.ts(commands))
        return table

    def boxed(self, flowables: list, bg: str, border: str, width: float = 1,
              box_width: float | None = None) -> Table:
        box = Table([[flowables]], colWidths=[box_width or self.width], splitInRow=1)
        pad = self.t["body"] * 0.8
        box.setStyle(self.ts([("BACKGROUND", (0, 0), (-1, -1), self.col[bg]),
                              ("BOX", (0, 0), (-1, -1), width, self.col[border]),
                              ("LEFTPADDING", (0, 0), (-1, -1), pad),
                              ("RIGHTPADDING", (0, 0), (-1, -1), pad),
                              ("TOPPADDING", (0, 0), (-1, -1), pad * 0.7),
                              ("BOTTOMPADDING", (0, 0), (-1, -1), pad * 0.5)]))
        return box

    def gap(self, factor: float = 0.6) -> Spacer:
        return Spacer(1, self.t["body"] * factor * self.sp)

    def columns(self, flowables: list) -> list:
        return [BalancedColumns(flowables, nCols=2, innerPadding=self.t["body"] * 1.4)]

    def two(self, part: str, flowables: list) -> list:
        two = flowables and part in self.s.lay.get("two_columns", [])
        return self.columns(flowables) if two else flowables

    # -- parts ----------------------------------------------------------------------
    def build(self) -> list:
        c = self.c = self.s.c
        checked = c["review"].get("checked_on") or c["review"].get("last_reviewed")
        parts = {
            "title": lambda: [self.p(self.w(c["title"]), self.title),
                              self.p(self.w(c["subtitle"]), self.subtitle),
                              self.boxed([self.p(self.label("draft_mark"), self.draft),
                                          self.p(self.label("draft_note"), self.small)],
                                         "box_bg", "draft", 1.5), self.gap()],
            "key_points": lambda: [self.boxed(
                [self.p(self.label("key_points"), self.h2),
                 *self.bullets([self.w(k) for k in c["key_points"]])],
                "box_bg", "rule"), self.gap()],
            "intro": lambda: self.sections("intro"),
            "benefits": lambda: self.benefits() + self.sections("benefits"),
            "side_effects": lambda: self.side_effects() + self.sections("side_effects"),
            "safety": lambda: self.safety() + self.sections("safety"),
            "end": lambda: self.sections("end"),
            "sources": self.sources,
            "contact": lambda: [self.gap(), KeepTogether(self.contact_box(self.width))],
            "notes": lambda: [],
            "contact_and_notes": self.contact_and_notes,
            "disclaimer": lambda: [self.gap(), self.p(self.label("about"), self.h2),
                                   self.p(self.w(c["disclaimer"]), self.small),
                                   self.p(f"Information checked on {checked}", self.small)],
        }
        story: list = []
        for name in self.s.lay["order"]:
            story += parts.get(name, list)()  # parts added to layouts since: not drawn
        room = self.t["body"] * self.t["leading"] * 5
        out = []
        for flowable in story:  # no heading alone at the foot of a page
            if isinstance(flowable, Paragraph) and flowable.style.name in ("h1", "h2"):
                out.append(CondPageBreak(room))
            out.append(flowable)
        return out

    def sections(self, position: str) -> list:
        out: list = []
        for sec in self.c.get("sections", []):
            if sec.get("position", "intro") == position and sec.get(
                    "audience", "all") in ("all", self.mode):
                out.append(self.p(self.w(sec["heading"]), self.h1))
                for block in sec["body"]:
                    if isinstance(block, dict) and "bullets" in block:
                        out += self.bullets([
                            (f"<b>{self.w(b['term'])}:</b> {self.w(b['text'])}"
                             if isinstance(b, dict) and "term" in b else self.w(b))
                            for b in block["bullets"]])
                    else:
                        out.append(self.p(self.w(block)))
        return self.two("sections", out)

    def benefits(self) -> list:
        b, cols = self.c["benefits"], self.s.lay["benefits"]["columns"]
        heads = {"benefit": "col_benefit", "mechanism": "col_mechanism",
                 "evidence": "col_evidence"}
        rows = [[self.p(self.label(heads[col]), self.table_head) for col in cols]]
        levels = self.s.labels["evidence_levels"]
        for row in b["rows"]:
            cells = {"benefit": self.p(f"<b>{self.w(row['benefit'])}</b>", self.table_s),
                     "mechanism": self.p(self.w(row["mechanism"]), self.table_s),
                     "evidence": [self.p(f"<b>{self.label('evidence_level')}: "
                                         f"{escape(levels[row['evidence_level']])}</b>",
                                         self.table_s),
                                  self.p(self.w(row["evidence"]), self.table_s)]}
            rows.append([cells[col] for col in cols])
        widths = [w * self.width for w in self.s.lay["benefits"]["widths"]]
        out = [self.p(self.label("benefits"), self.h1)]
        if b.get("intro"):
            out.append(self.p(self.w(b["intro"])))
        return out + [self.table(rows, widths), self.gap()]

    def side_effects(self) -> list:
        se = self.c["side_effects"]
        out = [self.p(self.label("side_effects"), self.h1)]
        if se.get("intro"):
            out.append(self.p(self.w(se["intro"])))

        def lines(items: list) -> list[str]:
            return [f"<b>{self.w(e['name'])}.</b> {self.w(e['description'])}" for e in items]

        if self.s.lay["side_effects"] == "side-by-side":
            table = self.table([[self.p(self.label("common"), self.table_head),
                                 self.p(self.label("serious"), self.serious_head)],
                                [[self.p(x, self.table_s) for x in lines(se["common"])],
                                 [self.p(x, self.table_s) for x in lines(se["serious"])]]],
                               [self.width / 2] * 2, stripe=False)
            table.setStyle(self.ts([("BACKGROUND", (1, 0), (1, 0), self.col["urgent_bg"])]))
            out.append(table)
        else:
            for key, bg in (("common", "table_header_bg"), ("serious", "urgent_bg")):
                head = self.table_head if key == "common" else self.serious_head
                rows = [[self.p(self.label("col_side_effect"), head),
                         self.p(self.label("col_description"), head)]]
                rows += [[self.p(f"<b>{self.w(e['name'])}</b>", self.table_s),
                          self.p(self.w(e["description"]), self.table_s)] for e in se[key]]
                out += [self.p(self.label(key), self.h2),
                        self.table(rows, [self.width * 0.32, self.width * 0.68], bg)]
        return out + [self.gap()]

    def safety(self) -> list:
        sf = self.c["safety"]
        out = [self.p(self.label("safety"), self.h1)]
        if sf.get("intro"):
            out.append(self.p(self.w(sf["intro"])))
        for part in self.s.lay["safety"]:
            if part == "emergency":
                inner = [self.p(self.label("get_help_now"), self.urgent_head),
                         *self.bullets([self.w(x) for x in sf["emergency_signs"]],
                                       self.urgent),
                         Spacer(1, 3), self.p(f"<b>{self.w(sf['emergency_action'])}</b>")]
                out += [self.gap(0.3), self.boxed(inner, "urgent_bg", "urgent_border", 2.5),
                        self.gap(0.3)]
            elif part == "interactions":
                rows = [[self.p(self.label("col_substance"), self.table_head),
                         self.p(self.label("col_risk"), self.table_head)]]
                rows += [[self.p(f"<b>{self.w(i['substance'])}</b>", self.table_s),
                          self.p(self.w(i["risk"]), self.table_s)]
                         for i in sf["interactions"]]
                out += [self.p(self.label("interactions"), self.h2),
                        self.table(rows, [self.width * 0.45, self.width * 0.55]),
                        self.gap(0.3)]
            elif part == "warnings":
                out += [self.p(self.label(part), self.h2),
                        *self.bullets([self.w(x) for x in sf.get(part, [])])]
            elif part in ("avoid_if", "precautions"):  # one list per precaution level
                groups = sf.get("precautions") or [{"level": "do-not-use",
                                                     "items": sf.get("avoid_if", [])}]
                for group in groups:
                    key = "do_not_use_if" if group["level"] == "do-not-use" else "ask_first_if"
                    out += [self.p(self.label(key), self.h2),
                            *self.bullets([self.w(x) for x in group["items"]])]
            else:
                items = [f"<b>{self.w(h['name'])}: {escape(h['phone'])}</b>"
                         + (f" — {self.w(h['note'])}" if h.get("note") else "")
                         for h in sf["help_lines"]]
                out += [self.p(self.label("help_lines"), self.h2), *self.bullets(items)]
        return out

    def sources(self) -> list:
        items = []
        for i, src in enumerate(self.c["sources"], 1):
            text = ". ".join(escape(x) for x in (src["title"], src.get("publisher"),
                                                 src.get("url")) if x) + "."
            if src.get("note"):
                text += " " + self.w(src["note"])
            items.append(Paragraph(text, self.small, bulletText=f"{i}."))
        return [self.p(self.label("sources"), self.h2), *self.two("sources", items)]

    def contact_box(self, width: float) -> Table:
        lines = [f"<b>{escape(CLINIC['name'])}</b>", *map(escape, CLINIC["address"]),
                 f"Phone: {CLINIC['phone']}", f"Web: {CLINIC['website']}",
                 f"Email: {CLINIC['email']}", f"Hours: {escape(CLINIC['hours'])}"]
        return self.boxed([self.p(self.label("contact"), self.h2),
                           self.p("<br/>".join(lines)), self.p(escape(CLINIC["notes"]))],
                          "box_bg", "accent", 1.5, width)

    def contact_and_notes(self) -> list:
        gutter = self.t["body"]
        half = (self.width - gutter) / 2
        contact = self.contact_box(half)
        ruled = Table([[""]] * self.s.lay.get("notes_lines", 5),
                      colWidths=[half - 2 * self.t["body"] * 0.8],
                      rowHeights=self.t["body"] * 2.2)
        ruled.setStyle(self.ts([("LINEBELOW", (0, 0), (-1, -1), 0.5, self.col["rule"])]))
        notes = self.boxed([self.p(self.label("notes"), self.h2), ruled], "box_bg", "rule",
                           1, half)
        pair = Table([[contact, "", notes]], colWidths=[half, gutter, half],
                     spaceBefore=self.t["body"] * 0.6)
        pair.setStyle(self.ts([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 0),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
        return [KeepTogether(pair)]


def render(setup: Setup) -> tuple[bytes, int]:
    """Lay out and write one edition; return the PDF and its page count."""
    width, height = LETTER
    m = setup.margins
    small = setup.lay["type"]["small"]
    title = setup.c["title"][setup.mode] if isinstance(setup.c["title"], dict) \
        else setup.c["title"]
    page_of = setup.labels["labels"]["page_of"]

    class PagedCanvas(Canvas):
        """Holds pages back until the page count is known, for "Page N of M"."""

        def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
            super().__init__(*args, **kwargs)
            self._held: list[dict] = []

        def showPage(self) -> None:  # noqa: N802
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            for state in self._held:
                self.__dict__.update(state)
                self.saveState()
                self.setFont("Floor-R", small)
                self.drawString(m["left"], m["bottom"] * 0.45, title)
                self.setFont("Floor-B", small)
                self.drawRightString(width - m["right"], m["bottom"] * 0.45, page_of.replace(
                    "{page}", str(self._pageNumber)).replace("{pages}", str(len(self._held))))
                top = height - m["top"] * 0.5
                if setup.lay.get("running_header") == "clinic":
                    self.setFillColor(colors.HexColor(setup.lay["colors"]["accent"]))
                    self.drawString(m["left"], top, "  ·  ".join(
                        (CLINIC["name"], CLINIC["phone"], CLINIC["website"])))
                self.setFillColor(colors.HexColor(setup.lay["colors"]["draft"]))
                self.setFont("Floor-B", small * 1.15)
                self.drawRightString(width - m["right"], top,
                                     setup.labels["labels"]["draft_mark"])
                self.restoreState()
                super().showPage()
            super().save()

    frame = Frame(m["left"], m["bottom"], width - m["left"] - m["right"],
                  height - m["top"] - m["bottom"], 0, 0, 0, 0, id="body")
    story = Story(setup, frame._width).build()
    buffer = io.BytesIO()
    doc = BaseDocTemplate(buffer, pagesize=LETTER, invariant=1, pageCompression=1,
                          initialFontName="Floor-R",
                          pageTemplates=[PageTemplate(id="page", frames=[frame])])
    doc.build(story, canvasmaker=PagedCanvas)
    return buffer.getvalue(), doc.page


if __name__ == "__main__":
    for name in ("clinic", "general"):
        pdf, pages = render(Setup(name))
        Path(f"floor-{name}.pdf").write_bytes(pdf)
        print(f"floor-{name}.pdf: {pages} pages, {len(pdf):,} bytes")
