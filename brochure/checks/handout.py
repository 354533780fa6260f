"""Content + layout → the text a reader meets, part by part, in the layout's order.

In: a validated `Content`, its `Layout` and the clinic (if any). Out: a list of `Part`s —
title, key points, each free-text section, benefits, side effects, safety, sources, … in
the order the layout's ``order`` (and ``safety``, ``side_effects``, benefit ``columns``)
sets them — each with its `Unit`s: every heading, paragraph, list item and table cell,
in the wording the layout prints, in reading order (tables row by row).

This is what the handout *should* say and in which order, stated independently of the
story builder, so the checks can hold the PDF to it: readability scores the running text
of each part (`Unit.prose`), and the reading-order check looks for every unit, in order,
in the PDF's text layer.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..source import howto
from ..source import review_lines as review
from ..source.layouts import Layout
from ..source.model import PRECAUTION_LABELS, Clinic, Content, Section, Wording
from ..source.yamlsource import Node


@dataclass(frozen=True)
class Unit:
    """One piece of printed text."""

    text: str  # as printed
    prose: bool = True  # running text that readability counts (not a heading or label)
    read: str | None = None  # what readability counts, when it differs from the print

    @property
    def readable(self) -> str:
        return self.text if self.read is None else self.read


@dataclass(frozen=True)
class Part:
    """A part of the handout with its own heading."""

    key: str  # key path in the content file: key_points, sections[2], benefits, ...
    title: str  # the heading a reader sees
    units: tuple[Unit, ...]
    node: Node | None = None  # where the part is written, for messages

    @property
    def prose(self) -> list[str]:
        return [u.readable for u in self.units if u.prose]


def parts(content: Content, layout: Layout, clinic: Clinic | None = None,
          logical: bool = False) -> list[Part]:
    """The parts of one edition, in the order its pages show them (a tri-fold: panel by
    panel); with *logical*, in its reading order (`Layout.reading_order`), as its
    structure tree reads them."""
    return _Parts(content, layout, clinic).build(logical)


def table_headers(content: Content, layout: Layout) -> list[str]:
    """The heading rows of the edition's tables, cell texts joined in reading order. A
    table split over two pages repeats its heading row, so the reading-order check does
    not count one as breaking the text of the cell it lands in."""
    labels = content.labels
    heads = {"benefit": "col_benefit", "mechanism": "col_mechanism",
             "evidence": "col_evidence"}
    rows = [[heads[c] for c in layout.benefit_columns], ["col_substance", "col_risk"]]
    rows.append(["common", "serious"] if layout.side_effects == "side-by-side"
                else ["col_side_effect", "col_description"])
    return [" ".join(str(labels[key]) for key in row) for row in rows]


class _Parts:
    def __init__(self, content: Content, layout: Layout, clinic: Clinic | None) -> None:
        self.c, self.layout, self.clinic = content, layout, clinic
        self.mode = layout.wording
        self.labels = content.labels
        self.tree = content.trees[0] if content.trees else None

    def t(self, wording: Wording | None) -> str:
        return wording.get(self.mode) if wording else ""

    def label(self, key: str) -> Unit:
        return Unit(str(self.labels[key]), prose=False)

    def node(self, *keys: str | int) -> Node | None:
        return self.tree.find(keys) if self.tree else None

    def build(self, logical: bool = False) -> list[Part]:
        makers = {
            "title": self.title, "key_points": self.key_points,
            "intro": lambda: self.sections("intro"),
            "benefits": lambda: [*self.benefits(), *self.sections("benefits")],
            "side_effects": lambda: [*self.side_effects(), *self.sections("side_effects")],
            "safety": lambda: [self.safety(), *self.sections("safety")],
            "how_to_use": lambda: [*self.how_to_use(), *self.sections("how_to_use")],
            "end": lambda: self.sections("end"),
            "sources": self.sources, "contact": self.contact, "notes": self.notes,
            "contact_and_notes": lambda: self.contact() + self.notes(),
            "disclaimer": self.disclaimer,
            "qr": lambda: [],  # a picture and its address: no prose to read in order
            "help_lines": lambda: [Part("help_lines", str(self.labels["help_lines"]),
                                        tuple(self.help_lines()), self.node("safety"))]
            if self.c.safety.help_lines else [],
        }
        order = self.layout.order
        if logical:
            order = self.layout.reading_order
        elif self.layout.panels:  # a folded sheet is filled panel by panel
            order = tuple(name for panel in ("cover", "flap", "back", "inside")
                          for name in self.layout.panels[panel])
        out: list[Part] = []
        for name in order:
            out.extend(makers[name]())
        return out

    def title(self) -> list[Part]:
        units = [Unit(self.t(self.c.title), prose=False)]
        if self.c.subtitle:
            units.append(Unit(self.t(self.c.subtitle), prose=False))
        return [Part("title", self.t(self.c.title), tuple(units), self.node("title"))]

    def key_points(self) -> list[Part]:
        units = [self.label("key_points"), *(Unit(self.t(p)) for p in self.c.key_points)]
        return [Part("key_points", str(self.labels["key_points"]), tuple(units),
                     self.node("key_points"))]

    def sections(self, position: str) -> list[Part]:
        out = []
        for i, section in enumerate(self.c.sections):
            if section.position == position and section.audience in ("all", self.mode):
                out.append(self.section(i, section))
        return out

    def section(self, index: int, section: Section) -> Part:
        heading = self.t(section.heading)
        units = [Unit(heading, prose=False)]
        for block in section.blocks:
            if block.text:
                units.append(Unit(self.t(block.text)))
            for item in block.items:
                lead = f"{self.t(item.term)}: " if item.term else ""
                units.append(Unit(lead + self.t(item.text)))
        return Part(f"sections[{index}]", heading, tuple(units), self.node("sections", index))

    def benefits(self) -> list[Part]:
        b = self.c.benefits
        if b is None:
            return []
        units = [self.label("benefits")]
        if b.intro:
            units.append(Unit(self.t(b.intro)))
        for row in b.rows:  # a table reads row by row
            for column in self.layout.benefit_columns:
                units.append(Unit(self.t(getattr(row, column))))
        return [Part("benefits", str(self.labels["benefits"]), tuple(units),
                     self.node("benefits"))]

    def side_effects(self) -> list[Part]:
        se = self.c.side_effects
        if se is None:
            return []
        units = [self.label("side_effects")]
        if se.intro:
            units.append(Unit(self.t(se.intro)))
        if self.layout.side_effects == "side-by-side":
            # One table: all common effects (one cell), then all serious ones (the next
            # cell) — the groups must not interleave. Its heading row is in table_headers.
            for effect in (*se.common, *se.serious):
                units.append(Unit(f"{self.t(effect.name)}. {self.t(effect.description)}"))
        else:
            for key, effects in (("common", se.common), ("serious", se.serious)):
                units.append(self.label(key))
                for effect in effects:
                    units += [Unit(self.t(effect.name)), Unit(self.t(effect.description))]
        return [Part("side_effects", str(self.labels["side_effects"]), tuple(units),
                     self.node("side_effects"))]

    def safety(self) -> Part:
        sf = self.c.safety
        units = [self.label("safety")]
        if sf.intro:
            units.append(Unit(self.t(sf.intro)))
        for name in self.layout.safety_order:
            if name == "emergency" and sf.emergency_signs:
                units.append(self.label("get_help_now"))
                units += [Unit(self.t(sign)) for sign in sf.emergency_signs]
                units.append(Unit(self.t(sf.emergency_action)))
            elif name == "warnings" and sf.warnings:
                units.append(self.label(name))
                units += [Unit(self.t(w)) for w in sf.warnings]
            elif name in ("avoid_if", "precautions"):
                for group in sf.precautions:
                    units.append(self.label(PRECAUTION_LABELS[group.level]))
                    units += [Unit(self.t(item)) for item in group.items]
            elif name == "interactions" and sf.interactions:
                units.append(self.label("interactions"))
                for item in sf.interactions:
                    units += [Unit(self.t(item.substance)), Unit(self.t(item.risk))]
            elif (name == "help_lines" and sf.help_lines
                  and "help_lines" not in self.layout.parts):
                units += self.help_lines()  # (else the layout places them on their own)
        return Part("safety", str(self.labels["safety"]), tuple(units), self.node("safety"))

    def help_lines(self) -> list[Unit]:
        units = [self.label("help_lines")]
        for line in self.c.safety.help_lines:
            note = self.t(line.note)
            printed = f"{self.t(line.name)}: {line.phone}" + (f" — {note}" if note else "")
            # Readability counts the note: the name and number are not prose.
            units.append(Unit(printed, prose=bool(note), read=note))
        return units

    def sources(self) -> list[Part]:
        units = [self.label("sources")]
        for src in self.c.sources:  # a reference list: checked for order, not scored
            pieces = [src.title] + [p for p in (src.publisher, src.url) if p]
            text = ". ".join(pieces) + "."
            if src.note:
                text += f" {self.t(src.note)}"
            units.append(Unit(text, prose=False))
        return [Part("sources", str(self.labels["sources"]), tuple(units),
                     self.node("sources"))]

    def contact(self) -> list[Part]:
        if self.clinic is None:
            return []
        units = (self.label("contact"), Unit(self.clinic.name, prose=False))
        return [Part("contact", str(self.labels["contact"]), units)]

    def notes(self) -> list[Part]:
        return [Part("notes", str(self.labels["notes"]), (self.label("notes"),))]

    def how_to_use(self) -> list[Part]:
        how = self.c.how_to_use
        if how is None:
            return []
        units = [self.label("how_to_use")]
        if how.intro:
            units.append(Unit(self.t(how.intro)))
        if how.steps:
            units.append(self.label("steps"))
            units += [Unit(self.t(step)) for step in how.steps]
        if how.doses:
            units.append(self.label("doses"))
            for dose in how.doses:
                text = howto.dose_text(dose, self.mode, self.labels)  # type: ignore[arg-type]
                units.append(Unit(f"{self.t(dose.who)}: {text}"))
        if how.device:
            units.append(Unit(f"{self.labels['device']}: {self.t(how.device)}",
                              read=self.t(how.device)))
        return [Part("how_to_use", str(self.labels["how_to_use"]), tuple(units),
                     self.node("how_to_use"))]

    def disclaimer(self) -> list[Part]:
        units = (self.label("about"), Unit(self.t(self.c.disclaimer)),
                 *(Unit(line, prose=False) for line in review.date_lines(self.c)))
        return [Part("disclaimer", str(self.labels["about"]), units, self.node("disclaimer"))]
