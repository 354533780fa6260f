"""Two languages' stories → one bilingual story and its structure tree.

In: a `StoryBuilder` per language, the patient's language first, and the bilingual
layout's arrangement. Out: the flowables to draw and a `StructTree` in which each
language's part is a Sect of its own, every element saying its language (/Lang), so a
screen reader reads one language's part, then the other's, never the two mixed.

- **parallel**: each part side by side, the first language in the column a reader of it
  starts with (the right one for a right-to-left language). The two parts are paired
  block by block (heading with heading, list item with list item), and two data tables
  of the same rows become one table, row beside row, so the rows line up. Each pair is
  drawn as one row that never splits; a heading's row keeps with the row after it.
- **sequential**: the whole handout in the first language, then, from a new page, in
  the second.

In both, the emergency box stands in both languages together, side by side, and is never
split.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from difflib import SequenceMatcher

from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer, Table, TableStyle

from .keeping import Overfull, Whole, keep_with_next
from .paragraphs import Heading
from .story import StoryBuilder
from .tagging import StructTree, Tagged, assign

Cells = tuple[list[Flowable], list[Flowable]]


class Row(Table):
    """One row of the two languages' blocks side by side (a layout grid: no element)."""

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        parts = super().split(available_width, available_height)
        frame = getattr(self, "_frame", None)
        if parts or frame is None:
            return parts
        room = frame._height - frame._topPadding - frame._bottomPadding
        if available_height >= room - 1e-6 and self._height > room + 1e-6:
            # At the top of an empty frame and still no split: no page will hold it.
            kept = [f for row in self._cellvalues for cell in row
                    for f in (cell if isinstance(cell, list | tuple) else [cell])
                    if isinstance(f, Whole)]
            part = kept[0].part if kept else "pair of the two languages' blocks"
            raise Overfull(f"{part} is taller than the {frame.id} frame", part,
                           self._height, room, str(frame.id))
        return parts


class HeadingRow(Row):
    """A row of headings: kept with the row after it."""


# canvas attribute: the page a sequential edition's second language starts on (from
# there the renderer's running footer and header are in that language)
SECOND_LANGUAGE_FROM = "_brochure_second_language_from"


class SecondLanguage(Flowable):
    """Where a sequential edition's second language starts (`SECOND_LANGUAGE_FROM`)."""

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        canvas = self.canv
        if not hasattr(canvas, SECOND_LANGUAGE_FROM):
            setattr(canvas, SECOND_LANGUAGE_FROM, canvas.getPageNumber())


def arrange(first: StoryBuilder, second: StoryBuilder, arrangement: str, width: float,
            gutter: float, halves: Callable[[], tuple[StoryBuilder, StoryBuilder]]
            ) -> tuple[list[Flowable], StructTree]:
    """The story and structure tree of a bilingual handout (see the module). *first* and
    *second* are set at the width each language gets (half of *width* less *gutter*
    when parallel, *width* when sequential); *halves* makes a new pair at half width,
    for the emergency box of a sequential handout."""
    pair = _Pair(first, second, width, gutter)
    if arrangement == "parallel":
        return pair.parallel()
    return pair.sequential(halves)


class _Pair:
    def __init__(self, first: StoryBuilder, second: StoryBuilder, width: float,
                 gutter: float) -> None:
        self.first, self.second = first, second
        self.width, self.gutter = width, gutter
        self.rtl = first.s.rtl  # the first language starts where its readers start
        self.tree = StructTree()

    def languages(self) -> tuple[str, str]:
        return self.first.content.language, self.second.content.language

    def section(self, flowables: list[Flowable], builder: StoryBuilder) -> None:
        """*flowables* as one Sect of the tree, in *builder*'s language."""
        lang = builder.content.language
        sect = self.tree.add("Sect", lang=lang)
        assign(self.tree, flowables, sect, builder.s.rtl, lang)

    # -- parallel ------------------------------------------------------------------------
    def parallel(self) -> tuple[list[Flowable], StructTree]:
        story: list[Flowable] = []
        for name in self.first.layout.order:
            a, b = self.first.part(name), self.second.part(name)
            if not a and not b:
                continue
            self.section(a, self.first)
            self.section(b, self.second)
            story += [self.row(cells) for cells in paired(a, b)]
        return keep_with_next(story, HeadingRow), self.tree

    def row(self, cells: Cells) -> Flowable:
        a, b = cells
        if all(isinstance(f, Spacer) for f in a + b):  # space on both sides: one space
            return Spacer(1, max(f.height for f in a + b))
        if len(a) == len(b) == 1 and _data_table(a[0]) and _data_table(b[0]):
            table = aligned_table(a[0], b[0], self.gutter, self.rtl)
            if table is not None:
                return table
        return self.grid(a, b, HeadingRow if _only_headings(a + b) else Row)

    def grid(self, a: list[Flowable], b: list[Flowable], kind: type[Row] = Row) -> Row:
        column = (self.width - self.gutter) / 2
        # ReportLab's KeepTogether cannot be measured in a cell that splits: ours can.
        a, b = ([Whole(f._content, "kept") if type(f) is KeepTogether else f for f in cell]
                for cell in (a, b))
        for flowable in a + b:
            _walk(flowable, _unbroken)
        row = [a, "", b] if not self.rtl else [b, "", a]
        grid = kind([row], colWidths=[column, self.gutter, column], splitInRow=1)
        grid.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, -1), self.first.s.fonts.regular),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ]))
        return grid

    # -- sequential ----------------------------------------------------------------------
    def sequential(self, halves: Callable[[], tuple[StoryBuilder, StoryBuilder]]
                   ) -> tuple[list[Flowable], StructTree]:
        story: list[Flowable] = []
        for builder in (self.first, self.second):
            builder.emergency_in_both = lambda: self.emergency_in_both(halves)
            own = builder.build()
            self.section(own, builder)
            story += ([PageBreak(), SecondLanguage()] if story else []) + own
        return story, self.tree

    def emergency_in_both(self, halves: Callable[[], tuple[StoryBuilder, StoryBuilder]]
                          ) -> list[Flowable]:
        first, second = halves()
        boxes = []
        for builder in (first, second):
            box = builder.emergency_box()
            if box is not None:
                _say_language(box, builder.content.language)
                boxes.append(box)
        if len(boxes) < 2:
            return [self.first.gap(0.3), *boxes, self.first.gap(0.3)]
        both = Whole([self.grid([boxes[0]], [boxes[1]])], "emergency")
        return [self.first.gap(0.3), both, self.first.gap(0.3)]


def paired(a: list[Flowable], b: list[Flowable]) -> list[Cells]:
    """The blocks of one part in two languages, paired by kind and position; a block
    with no partner (a notice only one language has) gets a row of its own."""
    matcher = SequenceMatcher(None, [_kind(f) for f in a], [_kind(f) for f in b],
                              autojunk=False)
    rows: list[Cells] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows += [([x], [y]) for x, y in zip(a[i1:i2], b[j1:j2], strict=True)]
        else:
            rows.append((a[i1:i2], b[j1:j2]))
    # Spacers pair with spacers; a row of nothing but space adds it on both sides.
    return [row for row in rows if row[0] or row[1]]


def _kind(flowable: Flowable) -> tuple[str, str | None]:
    role = getattr(flowable, "struct_role", None) or getattr(flowable, "role", None)
    return type(flowable).__name__, role


def _only_headings(flowables: list[Flowable]) -> bool:
    return bool(flowables) and all(isinstance(f, Heading | Spacer) for f in flowables) \
        and any(isinstance(f, Heading) for f in flowables)


def _data_table(flowable: Flowable) -> bool:
    return isinstance(flowable, Table) and getattr(flowable, "struct_role", None) == "Table" \
        and getattr(flowable, "made_of", None) is not None


def aligned_table(a: Table, b: Table, gutter: float, rtl: bool) -> Table | None:
    """Two languages' data tables of the same rows as one drawn table, *a*'s columns at
    the reading start, an empty column between: each row's height is the taller
    language's, so the rows line up. The cells are the tables' own flowables, whose
    structure elements come from each language's table (a drawn grid adds none). None
    when the tables differ in rows."""
    rows_a, widths_a, commands_a = a.made_of
    rows_b, widths_b, commands_b = b.made_of
    if len(rows_a) != len(rows_b):
        return None
    left, right = ((rows_a, widths_a, commands_a), (rows_b, widths_b, commands_b))
    if rtl:
        left, right = right, left
    shift = len(left[1]) + 1
    rows = [[*x, "", *y] for x, y in zip(left[0], right[0], strict=True)]
    # (The gutter's empty cells too: a table's default font is an unembedded Helvetica.)
    commands = [("FONT", (0, 0), (-1, -1), commands_a[0][3])]
    commands += [_within(c, len(left[1]), 0) for c in left[2]]
    commands += [_within(c, len(right[1]), shift) for c in right[2]]
    table = Table(rows, colWidths=[*left[1], gutter, *right[1]], repeatRows=a.repeatRows)
    table.setStyle(TableStyle(commands))
    return table


def _within(command: tuple, columns: int, shift: int) -> tuple:
    """A table style command for a table of *columns* columns, moved *shift* columns to
    the right (negative column numbers counted from that table's own end)."""
    name, (c0, r0), (c1, r1), *rest = command
    c0, c1 = (c % columns if c < 0 else c for c in (c0, c1))
    return (name, (c0 + shift, r0), (c1 + shift, r1), *rest)


UNBROKEN_LINES = 30  # a paragraph this long may still be split, or it might fit nowhere


def _unbroken(paragraph: Tagged) -> None:
    """A row of two languages splits between blocks, never inside a paragraph: a split
    paragraph's halves would be read with the other language's text between them."""
    paragraph.whole, paragraph.whole_lines = True, UNBROKEN_LINES


def _say_language(flowable: Flowable, lang: str) -> None:
    """Mark *flowable* and everything inside it (boxes, tables, paragraphs) as written
    in *lang*: the structure elements made of them say so."""
    flowable.lang = lang
    for inner in _inside(flowable):
        _say_language(inner, lang)


def _walk(flowable: Flowable, visit: Callable[[Tagged], None]) -> None:
    """*visit* every tagged flowable inside *flowable* (table cells, kept groups)."""
    if isinstance(flowable, Tagged):
        visit(flowable)
        return
    for inner in _inside(flowable):
        _walk(inner, visit)


def _inside(flowable: Flowable) -> Iterator[Flowable]:
    """The flowables *flowable* holds: a table's cells', a kept group's."""
    if isinstance(flowable, Table):
        for row in flowable._cellvalues:
            for cell in row:
                for inner in cell if isinstance(cell, list | tuple) else [cell]:
                    if isinstance(inner, Flowable):
                        yield inner
    yield from getattr(flowable, "_content", ())
