"""Content + layout → a ReportLab story (a list of flowables).

In: a validated `Content`, a `Layout`, its `Styles`, an optional `Clinic` and the frame
width. Out: the flowables of the handout in reading order. The layout's ``order`` decides
which parts appear and where; its ``wording`` decides plain or clinical text.

Text is handed to `paragraphs.make` as *runs* (text, bold) of plain user text, never as
markup: that module escapes it for ReportLab and picks what each script needs (Thai line
breaking, right-to-left order for Arabic).
"""

from __future__ import annotations

from collections.abc import Callable

from reportlab.lib.units import inch
from reportlab.platypus import (
    Flowable,
    Image,
    KeepTogether,
    Spacer,
    Table,
    TableStyle,
)

from ..errors import ContentError, Problem
from ..source import howto, images
from ..source import review_lines as review
from ..source.model import PRECAUTION_LABELS, Clinic, Content, Dose, Personal, Section, Wording
from .checklist import CheckItem
from .columns import RememberedColumns
from .keeping import Whole, keep_with_next
from .paragraphs import Heading, Runs, in_language, logical_text, make, tagged
from .personal import PersonalFonts, personal_flowables
from .styles import Styles
from .tagging import Tagged, new_group

SHORT_ITEM = 70  # characters: a list item this short can share a line with another
GRID_ITEMS = 24  # a longer list is not set side by side: the grid could not split


class RuledLines(Flowable):
    """Empty ruled lines for hand-written notes."""

    def __init__(self, width: float, lines: int, spacing: float, color) -> None:  # type: ignore[no-untyped-def]
        super().__init__()
        self.width, self.lines, self.spacing, self.color = width, lines, spacing, color

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.lines * self.spacing

    def draw(self) -> None:
        self.canv.setStrokeColor(self.color)
        self.canv.setLineWidth(0.5)
        for i in range(self.lines):
            y = i * self.spacing
            self.canv.line(0, y, self.width, y)


class StoryBuilder:
    """Builds the flowables of one edition."""

    def __init__(self, content: Content, styles: Styles, width: float,
                 clinic: Clinic | None = None, personal: Personal | None = None,
                 qr_url: str | None = None, personal_font: PersonalFonts | None = None
                 ) -> None:
        self.content = content
        self.s = styles
        self.layout = styles.layout
        self.mode = styles.layout.wording
        self.width = width
        self.clinic = clinic
        self.personal = personal
        self.personal_font = personal_font
        self.qr_url = qr_url or content.url
        self.labels = content.labels
        # A bilingual handout sets the emergency box in both languages at once: this
        # gives the flowables that stand in for this edition's own box.
        self.emergency_in_both: Callable[[], list[Flowable]] | None = None

    # -- helpers ---------------------------------------------------------------------
    def w(self, wording: Wording | None) -> str:
        """The wording this layout prints (plain text)."""
        return wording.get(self.mode) if wording else ""

    def label(self, key: str, **values: str) -> str:
        text = str(self.labels[key])
        for name, value in values.items():
            text = text.replace("{" + name + "}", value)
        return text

    def para(self, runs: Runs | str, style=None, bullet: str | None = None) -> Flowable:  # type: ignore[no-untyped-def]
        if isinstance(runs, str):
            runs = [(runs, False)]
        return tagged(runs, style or self.s.body, self.s, bullet)

    def heading(self, text: str, style, level: int) -> Flowable:  # type: ignore[no-untyped-def]
        return Heading(text, style, level, self.s)

    def bullets(self, items: list[Runs], style=None, columns: bool = False  # type: ignore[no-untyped-def]
                ) -> list[Flowable]:
        style = style or self.s.bullet
        group = new_group()
        paras: list[Flowable] = [tagged(item, style, self.s, "•", role="LI", group=group)
                                 for item in items]
        short = all(sum(len(t) for t, _ in item) <= SHORT_ITEM for item in items)
        if columns or (self.layout.list_columns == 2 and 4 <= len(items) <= GRID_ITEMS
                       and short):
            # Short items side by side save height; the first half fills the first
            # column, so text extraction keeps the list's order.
            half = (len(paras) + 1) // 2
            grid = Table([self.cols([paras[:half], paras[half:]])],
                         colWidths=[self.width / 2 - 6] * 2,
                         hAlign="RIGHT" if self.s.rtl else "LEFT")
            grid.setStyle(self.table_style(self.flush()))
            return [grid]
        return paras

    def cols(self, row: list) -> list:
        """Table columns run right to left in right-to-left editions."""
        return list(reversed(row)) if self.s.rtl else row

    def flush(self) -> list:
        """Table commands for a grid that only places things: no padding, top-aligned."""
        return [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]

    def table(self, rows: list[list], widths: list[float], header_bg: str = "table_header_bg",
              border: str = "rule", stripe: bool = True) -> Table:
        table = Table([self.cols(r) for r in rows], colWidths=self.cols(widths), repeatRows=1,
                      splitInRow=1)
        pad = self.layout.type["table"] * 0.45
        commands = [
            ("BACKGROUND", (0, 0), (-1, 0), self.s.color(header_bg)),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("GRID", (0, 0), (-1, -1), 0.5, self.s.color(border)),
            ("LEFTPADDING", (0, 0), (-1, -1), pad),
            ("RIGHTPADDING", (0, 0), (-1, -1), pad),
            ("TOPPADDING", (0, 0), (-1, -1), pad * 0.8 * self.layout.space),
            ("BOTTOMPADDING", (0, 0), (-1, -1), pad * 1.1 * self.layout.space),
        ]
        if stripe:
            for i in range(2, len(rows), 2):
                commands.append(("BACKGROUND", (0, i), (-1, i), self.s.color("table_stripe")))
        self.style_table(table, commands)
        table.struct_role = "Table"  # a data table: TH header cells, TD cells
        return table

    def style_table(self, table: Table, commands: list) -> None:
        """Style a data table, keeping what it was made of: a bilingual handout sets two
        languages' tables as one, row beside row (`bilingual.aligned_table`)."""
        spec = getattr(table, "made_of", None)
        if spec is None:
            table.made_of = spec = ([list(row) for row in table._cellvalues],
                                    list(table._argW), [])
            commands = [("FONT", (0, 0), (-1, -1), self.s.fonts.regular), *commands]
        spec[2].extend(commands)
        table.setStyle(TableStyle(commands))

    def boxed(self, flowables: list[Flowable], bg: str, border: str, border_width: float = 1
              ) -> Table:
        box = Table([[keep_with_next(flowables, Heading)]], colWidths=[self.width],
                    splitInRow=1)
        box.struct_role = "Aside"  # a callout: its content is grouped, not a table
        pad = self.layout.type["body"] * 0.8
        box.setStyle(self.table_style([
            ("BACKGROUND", (0, 0), (-1, -1), self.s.color(bg)),
            ("BOX", (0, 0), (-1, -1), border_width, self.s.color(border)),
            ("LEFTPADDING", (0, 0), (-1, -1), pad),
            ("RIGHTPADDING", (0, 0), (-1, -1), pad),
            ("TOPPADDING", (0, 0), (-1, -1), pad * 0.7),
            ("BOTTOMPADDING", (0, 0), (-1, -1), pad * 0.5),
        ]))
        return box

    def table_style(self, commands: list) -> TableStyle:
        """A table style that also sets the edition's font: a table's default font is
        Helvetica, which would otherwise be added to the PDF unembedded."""
        return TableStyle([("FONT", (0, 0), (-1, -1), self.s.fonts.regular), *commands])

    def gap(self, factor: float = 0.6) -> Spacer:
        return Spacer(1, self.layout.type["body"] * factor * self.layout.space)

    # -- the story ---------------------------------------------------------------------
    def build(self, order: tuple[str, ...] | None = None) -> list[Flowable]:
        """The flowables of the parts named in *order* (default: the layout's order)."""
        story: list[Flowable] = []
        for name in order or self.layout.order:
            story.extend(self.part(name))
        return keep_with_next(story, Heading)

    def part(self, name: str) -> list[Flowable]:
        """The flowables of one part, its headings not yet kept with what follows."""
        blocks: dict[str, Callable[[], list[Flowable]]] = {
            "title": self.title,
            "key_points": self.key_points,
            "intro": lambda: self.sections("intro"),
            "benefits": lambda: self.benefits() + self.sections("benefits"),
            "side_effects": lambda: self.side_effects() + self.sections("side_effects"),
            "safety": lambda: self.safety() + self.sections("safety"),
            "how_to_use": lambda: self.how_to_use() + self.sections("how_to_use"),
            "end": lambda: self.sections("end"),
            "sources": self.sources,
            "contact": self.contact,
            "notes": self.notes,
            "contact_and_notes": self.contact_and_notes,
            "disclaimer": self.disclaimer,
            "qr": self.qr,
            "help_lines": self.help_lines,  # its own part where a layout places it so
        }
        flowables = blocks[name]()
        if name == "sources" and "sources" in self.layout.two_columns:
            flowables = flowables[:1] + self.columns(flowables[1:])
        return self.kept(name, flowables)

    def kept(self, name: str, flowables: list[Flowable]) -> list[Flowable]:
        """A part the layout keeps together, as one unsplittable group."""
        if name in self.layout.keep_together and flowables:
            return [Whole(flowables, name)]
        return flowables

    def title(self) -> list[Flowable]:
        c = self.content
        out: list[Flowable] = [self.heading(self.w(c.title), self.s.title, 0)]
        if c.subtitle:
            out.append(self.para(self.w(c.subtitle), self.s.subtitle))
        out += self.notice()
        personal = self.personal
        if personal and (personal.name or personal.note):
            inner: list[Flowable] = []
            if self.personal_font:  # letters the edition's font lacks: `personal`
                inner = personal_flowables(personal, self.label("prepared_for"), self.s,
                                           self.personal_font)
            if personal.name and not self.personal_font:
                inner.append(self.para([(self.label("prepared_for", name=personal.name),
                                         True)]))
            if personal.note and not self.personal_font:
                inner.append(self.para(personal.note))
            out += [self.boxed(inner, "box_bg", "accent", 1.5), self.gap()]
        return out

    def key_points(self) -> list[Flowable]:
        items = [[(self.w(point), False)] for point in self.content.key_points]
        inner: list[Flowable] = [self.heading(self.label("key_points"), self.s.h2, 1)]
        inner += self.bullets(items, columns="key_points" in self.layout.two_columns)
        return [self.boxed(inner, "box_bg", "rule"), self.gap()]

    def columns(self, flowables: list[Flowable]) -> list[Flowable]:
        """Two balanced columns, filled first column first, so reading order is kept.

        Right-to-left editions keep one column: ReportLab fills columns left to right,
        which would put the first column on the wrong side for their readers.
        """
        if not flowables or self.s.rtl:
            return flowables
        # A list set side by side (a grid table, which cannot split) would be a block no
        # column can hold: within columns its items flow like any others.
        flat: list[Flowable] = []
        for f in flowables:
            if isinstance(f, Table) and getattr(f, "struct_role", None) is None:
                flat += [x for cell in f._cellvalues[0] for x in cell]
            else:
                flat.append(f)
        flowables = flat
        return [RememberedColumns(keep_with_next(flowables, Heading), nCols=2,
                                innerPadding=self.layout.type["body"] * 1.4)]

    def sections(self, position: str) -> list[Flowable]:
        out: list[Flowable] = []
        for section in self.content.sections:
            if section.position == position and section.audience in ("all", self.mode):
                out.extend(self.section(section))
        return self.columns(out) if "sections" in self.layout.two_columns else out

    def section(self, section: Section) -> list[Flowable]:
        out: list[Flowable] = [self.heading(self.w(section.heading), self.s.h1, 1)]
        for block in section.blocks:
            if block.text:
                out.append(self.para(self.w(block.text)))
            else:
                items = []
                for item in block.items:
                    lead = [(f"{self.w(item.term)}: ", True)] if item.term else []
                    items.append([*lead, (self.w(item.text), False)])
                if section.kind == "checklist":
                    out.extend(self.checklist(items))
                else:
                    out.extend(self.bullets(items))
        return out

    def opening(self, label: str, intro: Wording | None) -> list[Flowable]:
        """A main part's heading and, when the content has one, its introduction."""
        out: list[Flowable] = [self.heading(self.label(label), self.s.h1, 1)]
        if intro:
            out.append(self.para(self.w(intro)))
        return out

    def benefits(self) -> list[Flowable]:
        b = self.content.benefits
        if b is None:
            return []
        out = self.opening("benefits", b.intro)
        heads = {"benefit": "col_benefit", "mechanism": "col_mechanism",
                 "evidence": "col_evidence"}
        columns = self.layout.benefit_columns
        rows: list[list] = [[self.para(self.label(heads[col]), self.s.table_head)
                             for col in columns]]
        levels = self.labels["evidence_levels"]
        for row in b.rows:
            cells = []
            for col in columns:
                if col == "benefit":
                    cells.append(self.para([(self.w(row.benefit), True)], self.s.table))
                elif col == "mechanism":
                    cells.append(self.para(self.w(row.mechanism), self.s.table))
                else:
                    level = str(levels[row.level])  # type: ignore[index]
                    cells.append([
                        self.para([(f"{self.label('evidence_level')}: {level}", True)],
                                  self.s.table),
                        self.para(self.w(row.evidence), self.s.table),
                    ])
            rows.append(cells)
        widths = [w * self.width for w in self.layout.benefit_widths]
        out.append(self.table(rows, widths))
        out.append(self.gap())
        return out

    def effect_runs(self, effects) -> list[Runs]:  # type: ignore[no-untyped-def]
        return [[(f"{self.w(e.name)}. ", True), (self.w(e.description), False)]
                for e in effects]

    def side_effects(self) -> list[Flowable]:
        se = self.content.side_effects
        if se is None:
            return []
        out = self.opening("side_effects", se.intro)
        if self.layout.side_effects == "side-by-side":
            head = [self.para(self.label("common"), self.s.table_head),
                    self.para(self.label("serious"), self.s.serious_head)]
            body = [[self.para(runs, self.s.table) for runs in self.effect_runs(se.common)],
                    [self.para(runs, self.s.table) for runs in self.effect_runs(se.serious)]]
            table = self.table([head, body], [self.width / 2, self.width / 2], stripe=False)
            # The serious group's heading is set in the urgent colours.
            serious_col = 0 if self.s.rtl else 1
            self.style_table(table, [
                ("BACKGROUND", (serious_col, 0), (serious_col, 0), self.s.color("urgent_bg")),
            ])
            out.append(table)
        else:
            for key, effects, bg in (("common", se.common, "table_header_bg"),
                                     ("serious", se.serious, "urgent_bg")):
                out.append(self.heading(self.label(key), self.s.h2, 2))
                head_style = self.s.table_head if key == "common" else self.s.serious_head
                rows: list[list] = [[self.para(self.label("col_side_effect"), head_style),
                                     self.para(self.label("col_description"), head_style)]]
                for e in effects:
                    rows.append([self.para([(self.w(e.name), True)], self.s.table),
                                 self.para(self.w(e.description), self.s.table)])
                out.append(self.table(rows, [self.width * 0.32, self.width * 0.68],
                                      header_bg=bg))
        out.append(self.gap())
        return out

    def safety(self) -> list[Flowable]:
        sf = self.content.safety
        out = self.opening("safety", sf.intro)
        parts = {
            "emergency": self.emergency,
            "warnings": self.warnings,
            "interactions": self.interactions,
            "avoid_if": self.precautions,
            "precautions": self.precautions,
            "help_lines": self.help_lines,
        }
        for name in self.layout.safety_order:
            if name == "help_lines" and "help_lines" in self.layout.parts:
                continue  # the layout places them elsewhere (a tri-fold's back panel)
            out.extend(self.kept(name, parts[name]()))
        return out

    def emergency(self) -> list[Flowable]:
        box = self.emergency_box()
        if box is None:
            return []
        if self.emergency_in_both is not None:
            return self.emergency_in_both()
        return [self.gap(0.3), box, self.gap(0.3)]

    def emergency_box(self) -> Whole | None:
        """The signs that need help now and what to do, in one box never split."""
        sf = self.content.safety
        if not sf.emergency_signs:
            return None
        inner: list[Flowable] = [self.heading(self.label("get_help_now"),
                                              self.s.urgent_head, 2)]
        inner += self.bullets([[(self.w(sign), True)] for sign in sf.emergency_signs],
                              self.s.urgent)
        inner.append(Spacer(1, 3))
        inner.append(self.para([(self.w(sf.emergency_action), True)]))
        # Never split: a reader must find the signs and what to do together.
        return Whole([self.boxed(inner, "urgent_bg", "urgent_border", 2.5)], "emergency")

    def interactions(self) -> list[Flowable]:
        sf = self.content.safety
        if not sf.interactions:
            return []
        rows: list[list] = [[self.para(self.label("col_substance"), self.s.table_head),
                             self.para(self.label("col_risk"), self.s.table_head)]]
        for item in sf.interactions:
            rows.append([self.para([(self.w(item.substance), True)], self.s.table),
                         self.para(self.w(item.risk), self.s.table)])
        return [self.heading(self.label("interactions"), self.s.h2, 2),
                self.table(rows, [self.width * 0.45, self.width * 0.55]), self.gap(0.3)]

    def help_lines(self) -> list[Flowable]:
        if not self.content.safety.help_lines:
            return []
        items = []
        for line in self.content.safety.help_lines:
            note = [(f" — {self.w(line.note)}", False)] if line.note else []
            items.append([(f"{self.w(line.name)}: {line.phone}", True), *note])
        return [self.heading(self.label("help_lines"), self.s.h2, 2), *self.bullets(items)]

    def sources(self) -> list[Flowable]:
        out: list[Flowable] = [self.heading(self.label("sources"), self.s.h2, 1)]
        group = new_group()
        style = self.s.small
        if self.s.rtl:  # ReportLab sets no room for a right-hand number: give it some
            style = self.s.variants.setdefault("source-rtl", style.clone(
                "source-rtl", rightIndent=style.fontSize * 1.8, bulletIndent=0))
        for i, src in enumerate(self.content.sources, 1):
            rest = [part for part in (src.publisher, src.url) if part]
            runs = [(in_language(f"{src.title}.", src.lang, self.content.language), True)]
            if rest:
                runs.append((" " + ". ".join(rest) + ".", False))
            if src.note:
                runs.append((f" {self.w(src.note)}", False))
            # A reference reads best unbroken (and balancing columns of unbreakable items
            # is much cheaper than trying where to break each one).
            out.append(tagged(runs, style, self.s, f"{i}.", role="LI", group=group,
                              whole=True))
        return out

    def contact_box(self) -> Table:
        clinic = self.clinic
        assert clinic is not None
        tight = self.s.body.clone("contact_line", spaceAfter=0)
        inner: list[Flowable] = [self.heading(self.label("contact"), self.s.h2, 1),
                                 self.para([(clinic.name, True)], tight)]
        lines = list(clinic.address)
        for key, value in (("phone", clinic.phone), ("website", clinic.website),
                           ("email", clinic.email), ("hours", clinic.hours)):
            if value:
                lines.append(f"{self.label(key)}: {value}")
        inner += [self.para(line, tight) for line in lines]
        if clinic.notes:
            inner += [Spacer(1, self.layout.type["body"] * 0.4), self.para(clinic.notes)]
        if clinic.logo:
            try:  # checked and downscaled when the profile was loaded: a cache hit
                prepared = images.prepare(clinic.logo)
            except images.ImageProblem as exc:  # changed on disk since it was loaded
                raise ContentError(problems=[Problem(clinic.file, None, None, "logo",
                                                     f"{str(clinic.logo)!r} {exc}")]) from None
            logo = Image(prepared.source())
            box_width, box_height = images.LOGO_BOX
            scale = min(box_height * inch / logo.imageHeight, box_width * inch / logo.imageWidth)
            logo.drawWidth, logo.drawHeight = logo.imageWidth * scale, logo.imageHeight * scale
            logo.hAlign = "RIGHT" if self.s.rtl else "LEFT"
            inner.insert(1, Tagged(logo, "Figure", alt=clinic.logo_alt or clinic.name))
        return self.boxed(inner, "box_bg", "accent", 1.5)

    def contact(self) -> list[Flowable]:
        if self.clinic is None:
            return []  # no clinic, no empty box
        return [self.gap(), KeepTogether(self.contact_box())]

    def contact_and_notes(self) -> list[Flowable]:
        """The clinic's contact box and the notes box side by side (notes alone without
        a clinic)."""
        if self.clinic is None:
            return self.notes()
        gutter = self.layout.type["body"]
        half = (self.width - gutter) / 2
        contact = StoryBuilder(self.content, self.s, half, self.clinic).contact_box()
        notes = StoryBuilder(self.content, self.s, half, self.clinic).notes_box()
        pair = Table([self.cols([contact, "", notes])], colWidths=[half, gutter, half],
                     spaceBefore=self.layout.type["body"] * 0.6)
        pair.setStyle(self.table_style(self.flush()))
        pair.hAlign = "CENTER"
        return [KeepTogether(pair)]

    def notes_box(self) -> Table:
        spacing = self.layout.type["body"] * 2.2
        inner = [self.heading(self.label("notes"), self.s.h2, 1),
                 RuledLines(self.width - 2 * self.layout.type["body"] * 0.8,
                            self.layout.notes_lines, spacing, self.s.color("rule"))]
        return self.boxed(inner, "box_bg", "rule")

    def notes(self) -> list[Flowable]:
        return [self.gap(), KeepTogether(self.notes_box())]

    def qr(self) -> list[Flowable]:
        """A QR code linking to the online (or another language's) edition, with its
        address printed under it for people who cannot scan it."""
        if not self.qr_url:
            return []
        # Only editions with a web address draw one: the barcode module loads on demand.
        from reportlab.graphics.barcode.qr import QrCodeWidget
        from reportlab.graphics.shapes import Drawing

        side = max(0.9 * inch, min(1.3 * inch, self.width * 0.45))
        widget = QrCodeWidget(self.qr_url, barLevel="M")
        x0, y0, x1, y1 = widget.getBounds()
        drawing = Drawing(side, side, transform=[side / (x1 - x0), 0, 0, side / (y1 - y0),
                                                 0, 0])
        drawing.add(widget)
        # The drawing's text state would start in Helvetica (unembedded), though it draws
        # no text: start it in the edition's font.
        drawing.initialFontName = self.s.fonts.regular
        drawing.hAlign = "RIGHT" if self.s.rtl else "LEFT"
        alt = self.label("qr_alt", url=self.qr_url)
        return [self.gap(), Whole([Tagged(drawing, "Figure", alt=alt),
                                   self.para(self.qr_url, self.s.small)], "qr")]

    def disclaimer(self) -> list[Flowable]:
        return [
            self.gap(),
            self.heading(self.label("about"), self.s.h2, 1),
            self.para(self.w(self.content.disclaimer), self.s.small),
            *(self.para(line, self.s.small) for line in review.date_lines(self.content)),
        ] + self.signed_off()

    def signed_off(self) -> list[Flowable]:
        """"Reviewed by … on …", while the edition's sign-off record holds."""
        sign_off = self.content.review.sign_off
        if sign_off is None or self.content.is_draft:
            return []
        name = f"{sign_off.reviewer}, {sign_off.credential}"
        return [self.para(self.label("reviewed_by", name=name, date=sign_off.date.isoformat()),
                          self.s.small)]

    # -- parts of the content model for any health topic (issue 16) --------------------
    def notice(self) -> list[Flowable]:
        """The box under the title of a draft or machine-assisted edition."""
        lines = review.notice_lines(self.content)
        if not lines:
            return []
        first_style = self.s.draft if self.content.is_draft else self.s.small
        inner = [self.para(lines[0], first_style)]
        inner += [self.para(line, self.s.small) for line in lines[1:]]
        return [self.boxed(inner, "box_bg", "draft", 1.5), self.gap()]

    def warnings(self) -> list[Flowable]:
        sf = self.content.safety
        if not sf.warnings:
            return []
        return [self.heading(self.label("warnings"), self.s.h2, 2),
                *self.bullets([[(self.w(w), False)] for w in sf.warnings])]

    def precautions(self) -> list[Flowable]:
        """One list per precaution level, each under its own heading ("Do not use if",
        "Ask a doctor or pharmacist first if")."""
        out: list[Flowable] = []
        for group in self.content.safety.precautions:
            out.append(self.heading(self.label(PRECAUTION_LABELS[group.level]), self.s.h2, 2))
            out.extend(self.bullets([[(self.w(item), False)] for item in group.items]))
        return out

    def checklist(self, items: list[Runs]) -> list[Flowable]:
        """Items with an empty tick box each, for the reader to mark."""
        group = new_group()
        out: list[Flowable] = []
        for runs in items:
            paragraph = make(runs, self.s.bullet, self.s)
            out.append(CheckItem(paragraph, group=group, rtl=self.s.rtl,
                                 color=self.s.color("text"),
                                 actual_text=logical_text(runs, self.s)))
        return out

    def numbered(self, items: list[Runs]) -> list[Flowable]:
        group = new_group()
        return [tagged(runs, self.s.bullet, self.s, f"{i}.", role="LI", group=group)
                for i, runs in enumerate(items, 1)]

    def how_to_use(self) -> list[Flowable]:
        how = self.content.how_to_use
        if how is None:
            return []
        out = self.opening("how_to_use", how.intro)
        if how.steps:
            out.append(self.heading(self.label("steps"), self.s.h2, 2))
            out.extend(self.numbered([[(self.w(step), False)] for step in how.steps]))
        if how.doses:
            out.append(self.heading(self.label("doses"), self.s.h2, 2))
            out.extend(self.bullets([self.dose_runs(dose) for dose in how.doses]))
        if how.device:
            out.append(self.para([(f"{self.label('device')}: ", True),
                                  (self.w(how.device), False)]))
        out.append(self.gap())
        return out

    def dose_runs(self, dose: Dose) -> Runs:
        return [(f"{self.w(dose.who)}: ", True),
                (howto.dose_text(dose, self.mode, self.labels), False)]

