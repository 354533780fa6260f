"""A rendered PDF → checks of what a reader gets: type size, contrast, reading order and
the document's accessibility basics.

In: the PDF (a `pypdf.PdfReader` and its `pdfscan.Scan`), the `Layout` whose limits
apply, and for reading order the `handout.Part`s the edition should show. Out: `Check`s.
Everything is measured from the document itself, not from the layout file: a style that
ReportLab did not apply, or a colour drawn over another, shows up here.

- Type size: the body size is the size most characters of body text are set in —
  paragraphs and list items outside tables, told apart by the structure tree
  (`structure`), or all text in a PDF without one; the message says which was measured.
  It must be at least the layout's ``min_body_size``. The smallest size of any text is
  reported too, and checked against ``min_text_size`` where the layout sets one.
- Contrast: every text colour against the colour under it (WCAG 2 contrast ratio, sRGB
  luminance), each pair at least the layout's ``min_contrast``. The layout's minimum
  applies to all text, large or small.
- Reading order: the text layer as pypdf's text extraction reads it (characters through
  each font's /ToUnicode map, in content-stream order; collected by `pdfscan` in its one
  pass over the page, pypdf asked only for a page with a font the scan cannot read),
  without what lies in the page margins (running header and footer) and without table
  heading rows repeated on a new page, must hold every block of the handout, whole and
  in the layout's order. A block broken by other text means columns are read across
  instead of down; a whole part read elsewhere is named as such.
  Combining marks are not compared (Thai tone marks placed by HarfBuzz copy as
  private-use characters, which `text_characters` reports); right-to-left editions are
  not compared at all (pypdf's text of them is in visual order).
- Basics: a title, shown in the viewer's title bar (DisplayDocTitle), the document
  language, an outline, and a text layer on every page (text drawn as an image or as
  outlines leaves a page without one; text missing from the layer fails reading order).
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any, TypeVar

from ..finish.pdfread import Document
from ..source.layouts import Layout
from .handout import Part, Unit
from .pdfscan import RGB, Scan, TextRun, scan
from .report import Check
from .structure import Element, Key

K = TypeVar("K")


def _hex(color: RGB) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, c)) * 255):02x}" for c in color)


def luminance(color: RGB) -> float:
    """WCAG 2 relative luminance of an sRGB colour (components 0–1)."""
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(c) for c in color)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: RGB, b: RGB) -> float:
    """WCAG 2 contrast ratio of two colours, from 1 (none) to 21 (black on white)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _pages(numbers: set[int]) -> str:
    ordered = sorted(numbers)
    return ("page " if len(ordered) == 1 else "pages ") + ", ".join(map(str, ordered))


def _size(value: float) -> str:
    return f"{value:g} pt"


# -- type size ---------------------------------------------------------------------------

def _tally(keyed: Iterable[tuple[K, int, int]]) -> tuple[Counter[K], dict[K, set[int]]]:
    """Characters and pages per key, from (key, characters, page) of each visible run.
    Neighbouring runs mostly share their key (a page of Thai has a run per word), so a
    run of equal keys is added up before it is counted."""
    counts: Counter[K] = Counter()
    pages: dict[K, set[int]] = defaultdict(set)
    last: tuple[K, int] | None = None
    total = 0
    for key, glyphs, page in keyed:
        if last is not None and last == (key, page):
            total += glyphs
            continue
        if last is not None:
            counts[last[0]] += total
            pages[last[0]].add(last[1])
        last, total = (key, page), glyphs
    if last is not None:
        counts[last[0]] += total
        pages[last[0]].add(last[1])
    return counts, pages


BODY_ROLES = frozenset({"P", "LBody", "Lbl"})  # running text and list items
NOT_BODY = frozenset({"Table", "TH", "TD", "TR", "Artifact"})  # table cells are not body


def _is_body(run: TextRun, owners: dict[Key, Element] | None) -> bool:
    """Whether *run* is body text: a paragraph or list item outside any table."""
    if owners is None:
        return True
    elem = owners.get((run.page, run.mcid)) if run.mcid is not None else None
    if elem is None:
        return False
    roles = elem.roles
    return roles[0] in BODY_ROLES and not NOT_BODY.intersection(roles)


def type_size(scan: Scan, layout: Layout, source: str,
              owners: dict[Key, Element] | None = None) -> list[Check]:
    """The body text size (the size most characters of body text have) and the smallest
    size of any text. With the PDF's structure tree (*owners*: the element of each
    marked content), body text is paragraphs and list items outside tables; without it,
    all text."""
    visible = [run for run in scan.runs if run.visible]
    glyphs, pages = _tally((run.size, run.glyphs, run.page) for run in visible)
    if not glyphs:
        return [Check("body text size", "whole document", "n/a — no text", "", "n/a")]
    what = ("body text (paragraphs and list items outside tables)" if owners
            else "text (all of it: the PDF has no structure tree to tell body text by)")
    body_glyphs, _ = _tally((run.size, run.glyphs, run.page) for run in visible
                            if _is_body(run, owners or None))
    if not body_glyphs:
        body_glyphs, what = glyphs, "text (all of it: no paragraphs outside tables)"
    total = sum(body_glyphs.values())
    body, body_count = max(body_glyphs.items(), key=lambda item: (item[1], -item[0]))
    minimum = layout.min_body_size
    ok = body >= minimum - 0.01
    checks = [Check(
        "body text size", "size of most body text", f"{_size(body)} ({body_count:,} of "
        f"{total:,} characters)", f"≥ {_size(minimum)}", "pass" if ok else "fail",
        "" if ok else (f"{source}: {what} is set in {_size(body)} ({body_count:,} of "
                       f"{total:,} characters, measured in the PDF); the layout asks for at "
                       f"least {_size(minimum)} (min_body_size in {layout.file})"),
        {"size": body, "characters": body_count, "total_characters": total,
         "min_body_size": minimum, "sizes": {f"{k:g}": v for k, v in sorted(glyphs.items())}})]
    smallest = min(glyphs)
    floor = layout.min_text_size
    small_ok = floor is None or smallest >= floor - 0.01
    where = f"{glyphs[smallest]:,} characters, {_pages(pages[smallest])}"
    checks.append(Check(
        "smallest text size", "any text", f"{_size(smallest)} ({where})",
        f"≥ {_size(floor)}" if floor is not None else "none set",
        "info" if floor is None else "pass" if small_ok else "fail",
        "" if small_ok else (f"{source}: some text is set in {_size(smallest)} ({where}); "
                             f"the layout allows no text under {_size(floor)} "  # type: ignore[arg-type]
                             f"(min_text_size in {layout.file})"),
        {"size": smallest, "characters": glyphs[smallest], "min_text_size": floor}))
    return checks


# -- contrast ----------------------------------------------------------------------------

def contrast(scan: Scan, layout: Layout, source: str) -> list[Check]:
    """One check per pair of text colour and background colour, lowest ratio first."""
    counts, pages = _tally(((run.color, run.background), run.glyphs, run.page)
                           for run in scan.runs if run.visible)
    minimum = layout.min_contrast
    rows = []
    for (fg, bg), n in counts.items():
        where = f"{n:,} characters, {_pages(pages[(fg, bg)])}"
        if fg is None or bg is None:
            rows.append((0.0, Check("contrast", "unknown colour", f"n/a — drawn with a "
                                    f"pattern, shading or colour space this check does "
                                    f"not follow ({where})", f"≥ {minimum:g}:1", "n/a")))
            continue
        ratio = contrast_ratio(fg, bg)
        ok = ratio >= minimum - 0.005
        subject = f"{_hex(fg)} on {_hex(bg)}"
        rows.append((ratio, Check(
            "contrast", subject, f"{ratio:.1f}:1 ({where})", f"≥ {minimum:g}:1",
            "pass" if ok else "fail",
            "" if ok else (f"{source}: text in {_hex(fg)} on {_hex(bg)} has a contrast of "
                           f"{ratio:.1f}:1 ({where}); the layout asks for at least "
                           f"{minimum:g}:1 (min_contrast in {layout.file})"),
            {"text": _hex(fg), "background": _hex(bg), "ratio": round(ratio, 2),
             "characters": n, "pages": sorted(pages[(fg, bg)])})))
    rows.sort(key=lambda item: item[0])
    return [check for _, check in rows]


# -- reading order -----------------------------------------------------------------------

PRIVATE_USE = re.compile("[\ue000-\uf8ff\U000f0000-\U0010ffff]")


def page_texts(reader: Any, layout: Layout, found: Scan | None = None
               ) -> list[tuple[str, str]]:
    """The text of each page as pypdf's text extraction reads it: (all of it, without what
    lies in the page margins — the running header and footer). From *found* (the scan of
    *reader*, made here if not given) where it could read every font of a page."""
    found = found or scan(reader)
    out = []
    m = layout.margins
    for number, pieces in enumerate(found.texts):
        height = found.page_sizes[number][1]
        low, high = m["bottom"] - 1, height - m["top"] + 1
        if pieces is None:
            out.append(_pypdf_text(_pypdf_reader(reader).pages[number], low, high))
            continue
        body = [text for text, y in pieces if low <= y <= high or not text.strip()]
        out.append(("".join(text for text, _ in pieces), "".join(body)))
    return out


def _pypdf_reader(reader: Any) -> Any:
    """pypdf's reader of the same file (a `pdfread.Document` holds only its bytes):
    for a page whose text the scan cannot read, which brochure's own editions never
    have, so pypdf is imported only then."""
    if not isinstance(reader, Document):
        return reader
    import io

    from pypdf import PdfReader

    return PdfReader(io.BytesIO(reader.data))


def _pypdf_text(page: Any, low: float, high: float) -> tuple[str, str]:
    """pypdf's text of a page the scan could not read, and of its part between *low*
    and *high* (baselines); empty if pypdf cannot read it either."""
    body: list[str] = []

    def visit(text, cm, tm, font, size):  # type: ignore[no-untyped-def]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if low <= y <= high or not text.strip():
            body.append(text)

    try:
        full = page.extract_text(visitor_text=visit)
    except Exception:  # noqa: BLE001 - a page pypdf cannot read has no text to check
        return "", ""
    return full, "".join(body)


def _kept(ch: str) -> bool:
    """Whether matching looks at *ch*: not whitespace, soft hyphens or zero-width spaces
    (break opportunities, never drawn), and not combining
    marks or private-use characters — HarfBuzz-placed Thai marks copy as the latter (the
    `text_characters` check reports them), and the base letters carry the order."""
    return not (ch.isspace() or ch in "\u00ad\u200b" or unicodedata.category(ch) == "Mn"
                or PRIVATE_USE.match(ch))


def _dropped(text: str) -> dict[int, None]:
    """A `str.translate` table leaving out the characters of *text* that matching does
    not look at (each distinct character is judged once)."""
    return {ord(ch): None for ch in set(text) if not _kept(ch)}


class _Squeezed:
    """Text reduced to the characters matching looks at (NFKC, see `_kept`), remembering
    where each came from, so messages can quote the original. Every occurrence of each
    of *skip* (table heading rows) is left out."""

    def __init__(self, text: str, skip: tuple[str, ...] = ()) -> None:
        self.original = unicodedata.normalize("NFKC", text)
        self._drop = _dropped(self.original)
        squeezed = self.original.translate(self._drop)
        self._skipped = sorted(  # squeezed spans of heading rows, left out
            match.span() for row in filter(None, (squeeze(s) for s in skip))
            for match in re.finditer(re.escape(row), squeezed))
        pieces, at = [], 0
        for start, end in self._skipped:
            pieces.append(squeezed[at:max(at, start)])
            at = max(at, end)
        self.text = "".join(pieces) + squeezed[at:]
        self._index: list[int] | None = None

    @property
    def index(self) -> list[int]:
        """Where each character of `text` is in the original (worked out only for the
        messages of a failed check)."""
        if self._index is None:
            kept = [i for i, ch in enumerate(self.original) if ord(ch) not in self._drop]
            skipped = {n for start, end in self._skipped for n in range(start, end)}
            self._index = [i for n, i in enumerate(kept) if n not in skipped]
        return self._index

    def between(self, start: int, end: int) -> str:
        """The original text from squeezed position *start* up to *end*."""
        return " ".join(self.original[self.index[start]:self.index[end - 1] + 1].split())

    def quote(self, start: int, length: int = 60) -> str:
        if start >= len(self.index):
            return "(end of text)"
        begin = self.index[start]
        return " ".join(self.original[begin:begin + length].split())


# The same blocks are squeezed for every edition of a content file.
@functools.lru_cache(maxsize=4096)
def squeeze(text: str) -> str:
    normal = unicodedata.normalize("NFKC", text)
    return normal.translate(_dropped(normal))


def _short(text: str, words: int = 8) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def reading_order(texts: list[tuple[str, str]], parts: list[Part], layout: Layout,
                  direction: str, source: str, table_headers: tuple[str, ...] = ()) -> Check:
    """Every unit of every part, whole and in order, in the PDF's text layer (*texts*
    from `page_texts`); the *table_headers* rows, repeated where a table continues on a
    new page, are left out of the text."""
    name, limit = "reading order", "all, in layout order"
    if direction == "rtl":
        return Check(name, "text layer", "n/a — right-to-left text: pypdf's text of it "
                     "mirrors brackets and misplaces numbers and Latin words, so it is not "
                     "compared with the content", limit, "n/a")
    units: list[Unit] = [u for p in parts for u in p.units if u.text]
    hay = _Squeezed("\n".join(body for _, body in texts), table_headers)
    cursor, matched = 0, 0
    out_of_order: list[str] = []
    broken: list[str] = []
    previous: Unit | None = None
    for unit in units:
        needle = squeeze(unit.text)
        found = hay.text.find(needle, cursor)
        if found >= 0:
            cursor, matched, previous = found + len(needle), matched + 1, unit
        elif hay.text.find(needle) >= 0:
            after = f'"{_short(previous.text)}"' if previous else "the start"
            out_of_order.append(f'"{_short(unit.text)}" is read before {after}, which the '
                                "layout puts first")
        else:
            broken.append(_broken(hay, needle, unit, cursor))
    # Whole parts out of place explain the blocks read "before" their predecessors.
    moved = _moved_parts(hay, parts)
    problems = (moved or out_of_order) + broken
    ok = not problems
    figure = f"{matched} of {len(units)} text blocks whole and in order"
    message = ""
    if not ok:
        shown = "; ".join(problems[:3]) + (f"; and {len(problems) - 3} more"
                                           if len(problems) > 3 else "")
        message = f"{source}: reading order: {shown}"
    return Check(name, "text layer", figure, limit, "pass" if ok else "fail", message,
                 {"blocks": len(units), "in_order": matched, "problems": problems})


def _moved_parts(hay: _Squeezed, parts: list[Part]) -> list[str]:
    """Parts the text layer reads elsewhere than the layout puts them: each part is placed
    by its first block that occurs once in the text; the longest run of parts in layout
    order stays, the others are named with the part they follow in the text."""
    placed: list[tuple[Part, int]] = []
    for part in parts:
        for unit in part.units:
            needle = squeeze(unit.text)
            if needle and hay.text.count(needle) == 1:
                placed.append((part, hay.text.find(needle)))
                break
    n = len(placed)
    best = [1] * n  # longest increasing run of positions ending at each part
    back = [-1] * n
    for i in range(n):
        for j in range(i):
            if placed[j][1] < placed[i][1] and best[j] + 1 > best[i]:
                best[i], back[i] = best[j] + 1, j
    keep: set[int] = set()
    i = max(range(n), key=lambda k: best[k]) if n else -1
    while i >= 0:
        keep.add(i)
        i = back[i]
    out = []
    for i, (part, position) in enumerate(placed):
        if i in keep:
            continue
        earlier = [(q, pos) for q, pos in placed if pos < position]
        read_after = f'"{max(earlier, key=lambda t: t[1])[0].title}"' if earlier else \
            "nothing (it comes first)"
        layout_after = f'"{placed[i - 1][0].title}"' if i else "nothing (it comes first)"
        out.append(f'the part "{part.title}" is read after {read_after}; the layout puts it '
                   f"after {layout_after}")
    return out


def _broken(hay: _Squeezed, needle: str, unit: Unit, cursor: int) -> str:
    """Why a block is not in the text whole: broken up by other text, different
    characters, or missing."""
    for start in (cursor, 0):
        low, high = 0, len(needle)
        while low < high:  # the longest beginning of the block found
            mid = (low + high + 1) // 2
            if hay.text.find(needle[:mid], start) >= 0:
                low = mid
            else:
                high = mid - 1
        if low >= min(12, len(needle)):
            begin = hay.text.find(needle[:low], start)
            at = begin + low
            head = hay.between(begin, at)
            rest, seen = needle[low:low + 30], hay.text[at:at + 30]
            if difflib.SequenceMatcher(None, rest, seen).ratio() >= 0.6:
                return (f'"{_short(unit.text)}" reads differently in the text layer: after '
                        f'"{head}" it has "{hay.quote(at, 30)}" where the content has '
                        f'"{rest}" (glyphs that copy as the wrong characters)')
            return (f'"{_short(unit.text)}" is broken up: after "{head}" the text layer reads '
                    f'"{hay.quote(at, 40)}" (side-by-side columns or cells read across '
                    "instead of down?)")
    return (f'"{_short(unit.text)}" is missing from the text layer (drawn as an image or '
            f'as outlines, or not drawn at all)')


def text_characters(texts: list[tuple[str, str]], source: str) -> Check:
    """Private-use characters in the text layer: glyphs that copy (and are read aloud)
    as no character at all."""
    pages = {n for n, (full, _) in enumerate(texts, 1) if PRIVATE_USE.search(full)}
    count = sum(len(PRIVATE_USE.findall(full)) for full, _ in texts)
    ok = count == 0
    return Check("text layer characters", "document", f"{count} private-use characters"
                 + (f" ({_pages(pages)})" if pages else ""), "0", "pass" if ok else "fail",
                 "" if ok else (f"{source}: the text layer holds {count} private-use "
                                f"characters ({_pages(pages)}) where the content has letters "
                                "or marks; copy-paste and screen readers get those wrong"),
                 {"private_use": count, "pages": sorted(pages)})


# -- document basics ---------------------------------------------------------------------

PLACEHOLDER_TITLES = ("untitled", "untitled document", "document")  # tools' defaults


def document(reader: Any, scan: Scan, language: str | None, source: str
             ) -> list[Check]:
    """Title, title bar, language, outline and a text layer on every page."""
    root = reader.trailer["/Root"].get_object()
    checks = []
    title = ((reader.metadata.title if reader.metadata else None) or "").strip()
    placeholder = title.lower() in PLACEHOLDER_TITLES
    checks.append(_basic("document title", title or "none", "set",
                         bool(title) and not placeholder,
                         f"{source}: the document has no title (Info /Title is "
                         f"{repr(title) if title else 'empty'})"))
    prefs = root.get("/ViewerPreferences")
    shown = bool(prefs and prefs.get_object().get("/DisplayDocTitle"))
    checks.append(_basic("title in title bar", "yes" if shown else "no (file name shown)",
                         "DisplayDocTitle", shown,
                         f"{source}: viewers show the file name, not the title "
                         "(ViewerPreferences /DisplayDocTitle is not set)"))
    lang = str(root.get("/Lang", "") or "")
    lang_ok = bool(lang) and (language is None or lang.lower() == language.lower())
    expected = f"= {language}" if language else "set"
    problem = (f"{source}: the document language is not set (/Lang)" if not lang else
               f"{source}: the document language is {lang!r}, but the edition is "
               f"{language!r}")
    checks.append(_basic("document language", lang or "none", expected, lang_ok, problem))
    entries = _outline_entries(root)
    checks.append(_basic("outline", f"{entries} entries", "≥ 1", entries > 0,
                         f"{source}: the document has no outline (bookmarks)"))
    with_text = {run.page for run in scan.runs if run.visible and run.glyphs}
    missing = [n for n in range(1, scan.pages + 1) if n not in with_text]
    images = len(scan.images)
    figure = (f"{scan.pages - len(missing)} of {scan.pages} pages have text; "
              f"{images} image{'s' if images != 1 else ''}")
    verb = "has" if len(missing) == 1 else "have"
    checks.append(_basic("text layer", figure, "every page", not missing,
                         f"{source}: {_pages(set(missing))} {verb} no text layer: the text "
                         "is drawn as an image or as outlines, which screen readers cannot "
                         "read"))
    return checks


def _basic(name: str, figure: str, limit: str, ok: bool, problem: str) -> Check:
    return Check(name, "document", figure, limit, "pass" if ok else "fail",
                 "" if ok else problem)


def _outline_entries(root: dict) -> int:
    """Entries of the document outline (bookmarks), nested ones too: the number the
    outline declares (/Count, all entries open) when it has a first entry, else counted
    through /First and /Next (pypdf's outline also resolves every destination: slower).
    brochure's finishing writes the right /Count; ReportLab's own is off (19 for 17)."""
    outlines = _resolved(root.get("/Outlines"))
    if not isinstance(outlines, dict):
        return 0
    declared = outlines.get("/Count")
    if isinstance(declared, int) and declared > 0 and outlines.get("/First") is not None:
        return int(declared)
    count, seen = 0, set()
    firsts = [outlines.get("/First")]
    while firsts:
        node = _resolved(firsts.pop())
        while isinstance(node, dict) and id(node) not in seen:
            seen.add(id(node))  # a loop in a broken outline ends here
            count += 1
            if "/First" in node:
                firsts.append(node.get("/First"))
            node = _resolved(node.get("/Next"))
    return count


def _resolved(value: object) -> object:
    return value.get_object() if value is not None else None  # type: ignore[attr-defined]
