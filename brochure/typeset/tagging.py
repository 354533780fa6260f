"""Tagged PDF: a structure tree for screen readers, which ReportLab does not write.

In: the story's flowables, where text is wrapped in `Tagged` (a role such as P, H2, LI,
Figure) and tables are marked as data tables or boxes. Out: a `StructTree` of elements in
reading order, and, while the pages are drawn, marked-content sequences in the page
streams that tie each element to what was drawn (its MCIDs per page).

How the page stream is marked: every page opens in *artifact* mode
(``/Artifact BMC``); a tagged flowable closes it, opens ``/Role <</MCID n>> BDC``, draws,
and reopens artifact mode. So everything not drawn by a tagged flowable — running header
and footer, page numbers, rules, table grids and backgrounds, the draft mark — is an
artifact, and every piece of text is in exactly one element. A paragraph split across
pages stays one element with two marked-content references. `finish_structure` (a pypdf
finisher in `finish`) writes the tree into the PDF.
"""

from __future__ import annotations

import copy
import itertools
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from reportlab.platypus import BalancedColumns, Flowable, KeepTogether, Table
from reportlab.platypus import paragraph as rl_paragraph

from . import linebreaks

LANG_CALLBACK = "brochure_lang"  # drawn where a run in another language starts and ends
# PDF/UA needs standard structure types; custom ones go through the role map.
ROLE_MAP = {"Aside": "Div"}
WHOLE_LINES = 6  # the longest paragraph kept whole when asked to be


@dataclass(eq=False)
class Elem:
    """One structure element: its role, its children (elements or marked content)."""

    role: str
    parent: Elem | None = None
    kids: list[Elem | MarkedContent] = field(default_factory=list)
    alt: str | None = None  # alternate text (figures)
    actual_text: str | None = None  # the logical text, where the drawn glyphs differ
    scope: str | None = None  # TH: Column or Row
    lang: str | None = None
    text: str | None = None  # the content's text, as a reader should get it


@dataclass(frozen=True)
class MarkedContent:
    page: int  # 1-based page number
    mcid: int


class StructTree:
    """The elements of one document, under a Document element."""

    def __init__(self) -> None:
        self.root = Elem("Document")

    def add(self, role: str, parent: Elem | None = None, **attrs: str | None) -> Elem:
        parent = parent or self.root
        elem = Elem(role, parent, **attrs)  # type: ignore[arg-type]
        parent.kids.append(elem)
        return elem

    def walk(self) -> list[Elem]:
        """Every element, depth first, in reading order."""
        out: list[Elem] = []
        stack = [self.root]
        while stack:
            elem = stack.pop()
            out.append(elem)
            stack.extend(reversed([k for k in elem.kids if isinstance(k, Elem)]))
        return out


class Tagged(Flowable):
    """A flowable whose drawing is marked as the content of one structure element.

    *role* is the element's type (P, H1, H2, H3, LI, Figure). List items (LI) get a Lbl
    element for the bullet and a LBody element for the text. *group* ties list items
    that belong to one list.
    """

    def __init__(self, inner: Flowable, role: str, *, group: int | None = None,
                 alt: str | None = None, actual_text: str | None = None,
                 whole: bool = False, text: str | None = None,
                 lang: str | None = None) -> None:
        super().__init__()
        self.inner = inner
        self.text = text  # the content's text (what the structure must read as)
        self.lang = lang  # where the text is in another language than the document
        # Is this (a part of a split paragraph) followed by a word break in the text?
        self.break_after = False
        # A table's header cell: drawn again atop each continuation, where it is an
        # artifact (the header is read once).
        self.repeats = False
        # The logical text, words apart by spaces or by _MARK (no space), for cutting
        # the ActualText of a split (read now: laying out replaces the fragments with
        # shaped glyphs).
        self.logical = _marked_words(getattr(inner, "frags", None)) if actual_text else None
        self.whole = whole  # not split (up to WHOLE_LINES): moves on to the next column whole
        self.whole_lines = WHOLE_LINES
        self.role = role
        self.group = group
        self.alt = alt
        self.actual_text = actual_text
        self.elem: Elem | None = None
        self.label: Elem | None = None  # LI only
        self.body: Elem | None = None  # LI only
        self.hAlign = getattr(inner, "hAlign", "LEFT")

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        # Anything a container asks of the paragraph (style, minWidth, ...) is its own.
        if name == "inner":
            raise AttributeError(name)
        return getattr(self.inner, name)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        inner = self.inner
        # ReportLab asks a paragraph for its size many times at one width (frames, table
        # cells, trial splits of balanced columns); its line breaks depend on the width
        # alone, so they are worked out once per width.
        # (A failed split drops the line breaks, so they must still be there.)
        state = inner.__dict__
        if (state.get("_wrapped_at") == available_width == state.get("width")
                and "blPara" in state and type(inner).wrap is rl_paragraph.Paragraph.wrap):
            self.width, self.height = available_width, inner.height
            return self.width, self.height
        self.width, self.height = linebreaks.wrap(inner, available_width, available_height)
        inner._wrapped_at = available_width
        return self.width, self.height

    def minWidth(self) -> float:  # noqa: N802 - ReportLab's name
        return self.inner.minWidth()

    def getSpaceBefore(self) -> float:  # noqa: N802 - ReportLab's name
        return self.inner.getSpaceBefore()

    def getSpaceAfter(self) -> float:  # noqa: N802 - ReportLab's name
        return self.inner.getSpaceAfter()

    def deepcopy(self) -> Tagged:
        """The copy ReportLab's containers make (through ``cdeepcopy``) before each trial
        split, e.g. balanced columns trying column heights. A paragraph's copy needs its own
        fragments only (a split may change a fragment's class); the line breaks are dropped
        and worked out again on demand, which costs a fraction of copying them deeply."""
        inner = self.inner
        if not (type(inner).split is rl_paragraph.Paragraph.split
                and type(inner).wrap is rl_paragraph.Paragraph.wrap):
            return copy.deepcopy(self)
        paragraph = copy.copy(inner)
        paragraph.frags = [copy.copy(frag) for frag in inner.frags]
        for stale in ("blPara", "_wrapped_at"):
            paragraph.__dict__.pop(stale, None)
        twin = copy.copy(self)
        twin.inner = paragraph
        return twin

    def __deepcopy__(self, memo: dict) -> Tagged:
        # ReportLab deep-copies flowables (BalancedColumns tries several splits). The copy
        # must point at the same structure elements, not at a copy of the whole tree.
        twin = copy.copy(self)
        # Styles are shared, never changed while laying out: the copy can share them too.
        style = getattr(self.inner, "style", None)
        if style is not None:
            memo.setdefault(id(style), style)
        twin.inner = copy.deepcopy(self.inner, memo)
        return twin

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        if self.whole and self.height <= self.whole_lines * self.inner.style.leading:
            return []  # (a longer one is split after all, or it might fit nowhere)
        parts = self.inner.split(available_width, available_height)
        if len(parts) < 2:
            return [self._sibling(part) for part in parts]
        siblings = [self._sibling(part) for part in parts]
        siblings[-1].break_after = self.break_after
        if self.actual_text:
            # Shaped glyphs (Thai, Arabic) do not read back as the text: the parts' text
            # is cut from the logical text, word for word.
            cut = _cut_words(self.logical, _word_count(getattr(parts[0], "frags", None)))
            if cut is None:
                return siblings
            first, space, rest = cut
            siblings[0].break_after = space
            siblings[0].actual_text = first + (" " if space else "")
            siblings[-1].logical = rest
            siblings[-1].actual_text = rest.replace(_MARK, "") + (
                " " if self.break_after else "")
            return siblings
        # The text breaks between the parts at a space (most scripts) or inside a word:
        # the first part must say which.
        whole = frags_text(getattr(self.inner, "frags", None))
        first = frags_text(getattr(parts[0], "frags", None))
        at = _after(whole, first) if whole and first else None
        siblings[0].break_after = at is not None and at < len(whole) and whole[at].isspace()
        return siblings

    def _sibling(self, part: Flowable) -> Tagged:
        # A part of a split paragraph carries the logical text of its own lines only.
        actual = _part_text(part) if self.actual_text else None
        twin = Tagged(part, self.role, group=self.group, alt=self.alt, actual_text=actual,
                      text=self.text, lang=self.lang)
        twin.elem, twin.label, twin.body = self.elem, self.label, self.body
        twin.break_after, twin.repeats = self.break_after, self.repeats
        twin.whole, twin.whole_lines = self.whole, self.whole_lines
        return twin

    def draw(self) -> None:
        canvas = self.canv
        if getattr(canvas, "brochure_probe", False):
            return  # a layout asked only how many pages it takes (`render.attempt`)
        if canvas.getNamedCB(LANG_CALLBACK) is None:
            canvas.setNamedCB(LANG_CALLBACK, lang_mark)
        tagger = getattr(canvas, "tagger", None)
        if not isinstance(tagger, Tagger) or self.elem is None or (
                self.repeats and any(isinstance(k, MarkedContent) for k in self.elem.kids)):
            self._draw_inner(canvas)  # (in artifact mode, where the tagger is)
            return
        if self.role == "LI":
            has_bullet = bool(getattr(self.inner, "bulletText", None))
            assert self.label is not None and self.body is not None
            if has_bullet:
                tagger.begin(canvas, self.label)
                tagger.after_bullet = (self.body, self.actual_text)
            else:
                tagger.begin(canvas, self.body, self.actual_text)
        else:
            tagger.begin(canvas, self.elem, self.actual_text)
        try:
            self._draw_inner(canvas)
        finally:
            tagger.after_bullet = None
            tagger.end(canvas)

    def _draw_inner(self, canvas) -> None:  # type: ignore[no-untyped-def]
        inner = self.inner
        # A language span must end in the text object it began in: a paragraph part
        # that holds only one end of a run in another language marks none.
        canvas._brochure_lang_off = not _marks_balanced(inner)
        with explicit_word_breaks(inner, self.break_after):
            if type(inner).drawOn is Flowable.drawOn:
                # This flowable's own drawOn has saved the graphics state and moved to
                # its place; the inner one's would save and move (by nothing) once more.
                inner._drawOn(canvas)
            else:
                inner.drawOn(canvas, 0, 0)


class Tagger:
    """Writes the marked-content operators into a canvas's page streams."""

    def __init__(self) -> None:
        self.next_mcid: dict[int, int] = {}
        self.span = False  # is an ActualText span open inside the current element?
        self.after_bullet: tuple[Elem, str | None] | None = None

    def start_page(self, canvas) -> None:  # type: ignore[no-untyped-def]
        canvas.addLiteral("/Artifact BMC")

    def end_page(self, canvas) -> None:  # type: ignore[no-untyped-def]
        canvas.addLiteral("EMC")

    def begin(self, canvas, elem: Elem, actual_text: str | None = None  # type: ignore[no-untyped-def]
              ) -> None:
        """Close what is open (artifact mode or a list label) and open *elem*'s next
        marked-content sequence. With *actual_text*, a nested Span carries it: that is
        where text extractors (poppler, Acrobat) look for the logical text of glyphs
        drawn in visual order or as shaped forms."""
        page = canvas.getPageNumber()
        mcid = self.next_mcid.get(page, 0)
        self.next_mcid[page] = mcid + 1
        elem.kids.append(MarkedContent(page, mcid))
        close = "EMC EMC" if self.span else "EMC"
        literal = f"{close} /{elem.role} <</MCID {mcid}>> BDC"
        self.span = bool(actual_text)
        if actual_text:
            literal += f" /Span <</ActualText {_pdf_text(actual_text)}>> BDC"
        canvas.addLiteral(literal)

    def end(self, canvas) -> None:  # type: ignore[no-untyped-def]
        canvas.addLiteral(("EMC EMC" if self.span else "EMC") + " /Artifact BMC")
        self.span = False

    def bullet_drawn(self, canvas) -> None:  # type: ignore[no-untyped-def]
        """After a list item's bullet: the rest of the paragraph is its body."""
        if self.after_bullet is not None:
            (body, actual_text), self.after_bullet = self.after_bullet, None
            self.begin(canvas, body, actual_text)


def lang_mark(canvas, kind: str, label: str | None) -> None:  # type: ignore[no-untyped-def]
    """ReportLab's callback where a run in another language starts (``+en``) or ends
    (``-``): a ``/Span <</Lang (en)>> BDC`` … ``EMC`` inside the paragraph's text object
    (so it nests in the element's marked content). Nothing on an untagged canvas."""
    if not isinstance(getattr(canvas, "tagger", None), Tagger) or getattr(
            canvas, "_brochure_lang_off", False) or not label:
        return
    text_object = canvas._curr_tx_info["tx"]
    if label.startswith("+"):
        text_object._code.append(f"/Span <</Lang {_pdf_text(label[1:])}>> BDC")
    else:
        text_object._code.append("EMC")


def _marks_balanced(paragraph: Flowable) -> bool:
    """Does every language span the paragraph draws end where it draws it?"""
    blpara = getattr(paragraph, "__dict__", {}).get("blPara")
    if blpara is None or blpara.kind != 1:
        return True  # (a simple paragraph has no callbacks)
    depth = 0
    for line in blpara.lines:
        for word in getattr(line, "words", ()):
            label = getattr(getattr(word, "cbDefn", None), "label", None)
            if getattr(getattr(word, "cbDefn", None), "name", None) != LANG_CALLBACK:
                continue
            depth += 1 if str(label).startswith("+") else -1
            if depth < 0:
                return False
    return depth == 0


def _part_text(part: Flowable) -> str | None:
    """The logical text of a split paragraph part: its fragments' text, without the
    near-zero-size spaces that mark Thai break opportunities."""
    return frags_text(getattr(part, "frags", None)).strip() or None


def _shown(frag: object) -> bool:
    """Not one of the near-zero-size spaces that mark Thai break opportunities."""
    return getattr(frag, "fontSize", 1) > 0.5


def frags_text(frags: list | None) -> str:
    """The text of a paragraph's fragments in logical order. A split part's fragments
    are ReportLab's word lists (``[width, (frag, text), ...]``, a `_HSFrag` followed by
    a space) or a fragment with ``words`` rather than fragments with a ``text``."""
    if not frags:
        return ""
    if rl_paragraph._processed_frags(frags):
        out = []
        for word in frags:
            if not any(_shown(frag) for frag, _ in word[1:]):
                continue  # a Thai break mark: a break between words, without a space
            out.append("".join(text for frag, text in word[1:] if _shown(frag)))
            if isinstance(word, rl_paragraph._HSFrag):
                out.append(" ")
        return "".join(out)
    # (A simple paragraph's split part holds its words, not its text.)
    return "".join(f.text if hasattr(f, "text") else " ".join(getattr(f, "words", ()))
                   for f in frags if _shown(f))


_MARK = "\x00"  # a break between two words written without a space (not in any text)
_WORDS = re.compile(r"((?:\s|\x00)+)")


def _marked_words(frags: list | None) -> str | None:
    """A paragraph's logical text (from its unsplit fragments), with _MARK where a Thai
    break mark lets a line break between words; None for fragments already split."""
    if not frags or rl_paragraph._processed_frags(frags) or not all(
            hasattr(f, "text") for f in frags):
        return None
    return "".join(f.text if _shown(f) else _MARK for f in frags)


def _word_count(frags: list | None) -> int | None:
    """How many words ReportLab put in a split part (break marks are not words)."""
    if not frags:
        return None
    if rl_paragraph._processed_frags(frags):
        if any(isinstance(w, rl_paragraph._SplitFrag) for w in frags):
            return None  # a word cut in two: the count says nothing
        return sum(1 for w in frags if any(_shown(frag) for frag, _ in w[1:]))
    if len(frags) == 1 and not hasattr(frags[0], "text"):
        return len(getattr(frags[0], "words", ()))
    return None


def _cut_words(logical: str | None, count: int | None) -> tuple[str, bool, str] | None:
    """*logical* cut after its *count*-th word: (the first words as a reader should
    get them, whether a space follows, the rest with its marks); None if it has fewer."""
    if logical is None or not count:
        return None
    tokens = _WORDS.split(logical.strip(" \t\n" + _MARK))
    words, gaps = tokens[0::2], tokens[1::2]
    if count >= len(words):
        return None
    first = "".join(words[i] + (" " if any(ch.isspace() for ch in gaps[i]) else "")
                    for i in range(count - 1)) + words[count - 1]
    space = any(ch.isspace() for ch in gaps[count - 1])
    rest = "".join(w + g for w, g in zip(words[count:], [*gaps[count:], ""], strict=False))
    return first, space, rest


def _line_text(kind: int, line: object) -> str:
    if kind == 0:
        return " ".join(line[1])  # type: ignore[index]
    return "".join(getattr(w, "text", "") for w in getattr(line, "words", ()) if _shown(w))


def _after(text: str, part: str, start: int = 0) -> int | None:
    """Where *text* goes on after the characters of *part* (white space aside) that it
    holds from *start*; None if they differ."""
    i = start
    if part and not part[0].isspace() and not part[-1].isspace():
        # Usually the line is the text's next characters as they are: one comparison.
        j = start
        while j < len(text) and text[j].isspace():
            j += 1
        if text.startswith(part, j):
            return j + len(part)
    for ch in part:
        if ch.isspace():
            continue
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text) or text[i] != ch:
            return None
        i += 1
    return i


@contextmanager
def explicit_word_breaks(paragraph: Flowable, break_after: bool = False) -> Iterator[None]:
    """While *paragraph* is drawn, end each line that breaks at a space with that space.

    ReportLab drops the space where it breaks a line, so the text of the page — what a
    screen reader and copy-and-paste get — glues the last word of a line to the first
    of the next; ISO 32000-1 §14.8.2.5 asks for the word break in the content. The
    space is drawn after the line's last glyph, where it shows nothing. A line broken
    between two words written without a space (Thai) or inside a word gets nothing.
    *break_after*: the paragraph is the first part of a split one, and the text goes on
    after a space. Right-to-left lines are drawn in visual order (their logical text is
    the ActualText): left as they are.
    """
    blpara = getattr(paragraph, "__dict__", {}).get("blPara")
    frags = getattr(paragraph, "frags", None)
    style = getattr(paragraph, "style", None)
    if blpara is None or not frags or getattr(style, "wordWrap", None) == "RTL":
        yield
        return
    text, lines, kind = frags_text(frags), blpara.lines, blpara.kind
    restore: list = []
    at: int | None = 0
    for index, line in enumerate(lines):
        at = _after(text, _line_text(kind, line), at or 0)
        if at is None:
            break  # the lines do not read as the text: better nothing than a wrong space
        last = index == len(lines) - 1
        if not (break_after if last else at < len(text) and text[at].isspace()):
            continue
        if kind == 0:
            extra, words = line
            if words:
                restore.append((index, line))
                lines[index] = (extra, [*words[:-1], words[-1] + " "])
        else:
            shown = [w for w in line.words if _shown(w) and hasattr(w, "text")]
            if shown:
                restore.append((shown[-1], shown[-1].text))
                shown[-1].text += " "
    try:
        yield
    finally:
        for target, old in reversed(restore):
            if isinstance(target, int):
                lines[target] = old
            else:
                target.text = old


def _pdf_text(text: str) -> str:
    """A PDF text string (UTF-16BE with byte order mark, as hex) for content streams."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


_original_draw_bullet = rl_paragraph._drawBullet


def _draw_bullet(canvas, *args, **kwargs):  # type: ignore[no-untyped-def]
    result = _original_draw_bullet(canvas, *args, **kwargs)
    tagger = getattr(canvas, "tagger", None)
    if isinstance(tagger, Tagger):
        tagger.bullet_drawn(canvas)
    return result


# ReportLab draws a paragraph's bullet in its own text object before the text: marking it
# as the list item's label needs a hook there. Harmless where no tagger is attached.
rl_paragraph._drawBullet = _draw_bullet

_groups = itertools.count(1)


def new_group() -> int:
    """A fresh id for the items of one list."""
    return next(_groups)


def structure(story: list[Flowable], rtl: bool = False) -> StructTree:
    """Assign a structure element to every `Tagged` flowable of *story*, in reading order.

    Tables marked ``struct_role = "Table"`` become Table/TR/TH/TD (header rows are the
    table's ``repeatRows``); ``struct_role`` set to another role makes a box (e.g.
    Aside) holding the cells' content; unmarked tables are layout grids and add nothing.
    Right-to-left tables are read from their rightmost column.
    """
    tree = StructTree()
    assign(tree, story, tree.root, rtl)
    return tree


def assign(tree: StructTree, story: list[Flowable], parent: Elem, rtl: bool = False,
           lang: str | None = None) -> None:
    """`structure`'s work for *story* under *parent*. With *lang* every element made
    says it is in that language (a flowable's own ``lang`` wins): a bilingual handout's
    parts."""

    def cells(table: Table) -> list[list[list[Flowable]]]:
        rows = []
        for row in table._cellvalues:
            ordered = list(reversed(row)) if rtl else list(row)
            rows.append([_as_list(cell) for cell in ordered])
        return rows

    def walk(flowables: list[Flowable], parent: Elem, lang: str | None) -> None:
        group: int | None = None
        lst: Elem | None = None  # the list that consecutive items of one group share
        for f in flowables:
            own = getattr(f, "lang", None) if isinstance(f, Tagged) else None
            here = own or lang
            if isinstance(f, Tagged) and f.role == "LI":
                if lst is None or group != f.group:
                    lst, group = tree.add("L", parent, lang=here), f.group
                f.elem = tree.add("LI", lst, lang=here)
                f.label = tree.add("Lbl", f.elem, lang=here)
                f.body = tree.add("LBody", f.elem, actual_text=f.actual_text, lang=here)
                continue
            lst = None
            if isinstance(f, Tagged):
                f.elem = tree.add(f.role, parent, alt=f.alt, actual_text=f.actual_text,
                                  lang=here)
            elif isinstance(f, Table):
                role = getattr(f, "struct_role", None)
                here = getattr(f, "lang", None) or lang
                if role == "Table":
                    table = tree.add("Table", parent, lang=here)
                    for r, row in enumerate(cells(f)):
                        tr = tree.add("TR", table, lang=here)
                        for cell in row:
                            header = r < f.repeatRows
                            td = tree.add("TH" if header else "TD", tr,
                                          scope="Column" if header else None, lang=here)
                            walk(cell, td, here)
                            if header:
                                for flowable in cell:
                                    _mark_repeats(flowable)
                else:
                    # A box (struct_role such as "Aside") groups its content; a layout
                    # grid (no struct_role) adds nothing of its own.
                    holder = tree.add(role, parent, lang=here) if role else parent
                    walk([x for row in cells(f) for cell in row for x in cell], holder,
                         here)
            elif isinstance(f, BalancedColumns | KeepTogether):
                walk(list(f._content), parent, lang)
            # anything else (spacers, rules, page-break hints) draws no content

    walk(story, parent, lang)


def _mark_repeats(flowable: Flowable) -> None:
    if isinstance(flowable, Tagged):
        flowable.repeats = True
    elif isinstance(flowable, BalancedColumns | KeepTogether):
        for inner in flowable._content:
            _mark_repeats(inner)


def _as_list(cell: object) -> list[Flowable]:
    if isinstance(cell, list | tuple):
        return list(cell)
    return [cell] if isinstance(cell, Flowable) else []
