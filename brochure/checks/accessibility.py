"""Accessibility audit of a PDF: is it a tagged PDF a screen reader can use, and is it
the PDF/A-2a and PDF/UA-1 file it says it is?

In: PDF bytes (any PDF, not only brochure's) and, optionally, the content's texts in
reading order (`content_texts`). Out: a list of `Finding`s, each a failed check with the
page and place where it fails:

- untagged content: text, paths or images drawn outside both a tagged element (marked
  content with an MCID) and an artifact;
- a structure tree, /MarkInfo, a document language and a title shown in the title bar;
- headings that skip a level (H1 then H3);
- tables without header cells (TH), and header cells read more than once (a header row
  repeated on a continuation page must be an artifact);
- figures without alternate text;
- ActualText on every fragment of an element that has one (a paragraph split across
  columns or pages keeps its logical text in each part);
- the PDF/UA-1 identification (``pdfuaid:part`` 1) and a ``dc:title`` in the XMP;
- with the content's texts: every paragraph, heading, list item and cell reads (white
  space normalised) exactly as the content says — no words glued at line breaks, no
  space added where the script writes none (Thai) — and in the content's order;
- every PDF/A-2a rule `pdfa` checks (fonts embedded among them).

What a screen reader reads for an element is taken as assistive technology takes it
(`structtext`): the element's /ActualText, else its marked content's text.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

from pypdf import PdfReader
from pypdf.generic import ContentStream, DictionaryObject

from ..source.layouts import Layout
from ..source.model import Clinic, Content
from . import handout, pdfa, structtext
from .findings import Finding

PAINT = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh"}
TEXT = {"Tj", "TJ", "'", '"'}
HEADINGS = {f"/H{n}": n for n in range(1, 7)}


__all__ = ["Finding", "audit", "content_texts"]

LEAVES = frozenset({"/P", "/H", "/H1", "/H2", "/H3", "/H4", "/H5", "/H6", "/LBody",
                    "/TD", "/TH", "/Caption", "/Span", "/Link", "/Code", "/Quote"})


def content_texts(content: Content, layout: Layout, clinic: Clinic | None = None
                  ) -> list[str]:
    """What the handout says, piece by piece, in the layout's reading order (`handout`;
    a tri-fold read in its ``order``, not in the order its panels are filled)."""
    return [unit.text for part in handout.parts(content, layout, clinic, logical=True)
            for unit in part.units]


def audit(pdf: bytes, expected: Sequence[str] | None = None) -> list[Finding]:
    """Every accessibility failure found in *pdf* (an empty list: it passes); with
    *expected* (`content_texts`), the structure's text is held to the content's."""
    reader = PdfReader(io.BytesIO(pdf))
    catalog = reader.trailer["/Root"]
    findings: list[Finding] = []
    for number, page in enumerate(reader.pages, 1):
        findings += _untagged(page, number)
        if "/StructParents" not in page:
            findings.append(Finding("structure", "the page has no /StructParents", number))
        if page.get("/Tabs") != "/S":
            findings.append(Finding("tab order", "the page's /Tabs is not /S (structure "
                                                 "order)", number))
    if "/Lang" not in catalog or not str(catalog["/Lang"]).strip():
        findings.append(Finding("language", "the document has no /Lang"))
    title = reader.metadata.title if reader.metadata else None
    if not title:
        findings.append(Finding("title", "the document has no title"))
    prefs = catalog.get("/ViewerPreferences")
    if not (prefs and pdfa.is_true(prefs.get_object().get("/DisplayDocTitle"))):
        findings.append(Finding("title", "the viewer is not told to show the title "
                                         "(DisplayDocTitle)"))
    mark = catalog.get("/MarkInfo")
    if not (mark and pdfa.is_true(mark.get_object().get("/Marked"))):
        findings.append(Finding("structure", "the catalog's /MarkInfo is not Marked"))
    root = catalog.get("/StructTreeRoot")
    marked = structtext.marked_text(reader)
    if root is None:
        findings.append(Finding("structure", "the document has no structure tree"))
    else:
        findings += _tree(root.get_object(), reader)
        elements = structtext.elements(reader, marked)
        findings += _repeated_headers(elements)
        findings += _fragments_actual_text(elements, marked)
        if expected is not None:
            findings += _against_content(elements, expected)
    findings += _pdfua_identification(catalog)
    findings += pdfa.check(pdf, reader, marked)
    return findings


def _pdfua_identification(catalog) -> list[Finding]:  # type: ignore[no-untyped-def]
    stream = catalog.get("/Metadata")
    xmp = stream.get_object().get_data().decode("utf-8", "replace") if stream else ""
    out = []
    if not re.search(r"<pdfuaid:part>\s*1\s*</pdfuaid:part>|pdfuaid:part=\"1\"", xmp):
        out.append(Finding("PDF/UA identification", "the XMP does not declare PDF/UA-1 "
                                                    "(pdfuaid:part 1)"))
    if not re.search(r"<dc:title>.*?<rdf:li[^>]*>\s*\S", xmp, re.DOTALL):
        out.append(Finding("PDF/UA identification", "the XMP has no dc:title"))
    return out


def _subtree_marked(elem: structtext.Element) -> list[tuple[int, int]]:
    out = list(elem.marked)
    for kid in elem.kids:
        if isinstance(kid, structtext.Element):
            out += _subtree_marked(kid)
    return out


def _repeated_headers(elements: list[structtext.Element]) -> list[Finding]:
    """A header cell whose content is marked on more than one page is read again on
    each: a header row repeated atop a continuation must be an artifact."""
    out = []
    for elem in elements:
        if elem.role == "/TH":
            pages = sorted({page for page, _ in _subtree_marked(elem)})
            if len(pages) > 1:
                out.append(Finding("repeated header", f"the header cell "
                                   f"{structtext.normal(elem.text)[:40]!r} is tagged again on "
                                   f"page {pages[1]} (a repeated header row must be an "
                                   "artifact)", pages[1]))
    return out


def _fragments_actual_text(elements: list[structtext.Element],
                           marked: structtext.MarkedText) -> list[Finding]:
    """An element whose glyphs need ActualText (it has one) keeps it in every fragment:
    each of its marked-content sequences is covered by an ActualText span, and the
    spans read, joined, as the element's ActualText."""
    out = []
    for elem in elements:
        if elem.actual_text is None or len(elem.marked) < 2:
            continue
        missing = [key for key in elem.marked if key not in marked.spans]
        if missing:
            page, _ = missing[0]
            out.append(Finding("ActualText", f"a fragment of {elem.role[1:]} "
                               f"{structtext.normal(elem.actual_text)[:40]!r} has no "
                               "ActualText", page))
            continue
        joined = "".join(text for key in elem.marked for text in marked.spans[key])
        if structtext.normal(joined) != structtext.normal(elem.actual_text):
            out.append(Finding("ActualText", f"the fragments of {elem.role[1:]} "
                               f"{structtext.normal(elem.actual_text)[:40]!r} read "
                               f"{structtext.normal(joined)[:60]!r} together", elem.page))
    return out


def _squeezed(text: str) -> str:
    return "".join(text.split())


def _against_content(elements: list[structtext.Element], expected: Sequence[str]
                     ) -> list[Finding]:
    """Each piece of content, in order, must be the text of a structure element."""
    leaves = [e for e in elements if e.role in LEAVES and (e.marked or e.actual_text)]
    by_letters: dict[str, list[int]] = {}
    for index, elem in enumerate(leaves):
        by_letters.setdefault(_squeezed(elem.text), []).append(index)
    out, last = [], -1
    for text in expected:
        want = structtext.normal(text)
        found = by_letters.get(_squeezed(text), [])
        later = [i for i in found if i > last]
        if not found:
            out.append(Finding("structure text", f"{want[:60]!r} is not the text of any "
                                                 "structure element"))
            continue
        if not later:
            out.append(Finding("reading order", f"{want[:60]!r} comes before what precedes "
                               "it in the content", leaves[found[0]].page))
            index = found[0]
        else:
            index = later[0]
            last = index
        got = structtext.normal(leaves[index].text)
        if got != want:
            out.append(Finding("word breaks", f"{_word_break_diff(want, got)} (the content "
                               f"reads {want[:50]!r}…)", leaves[index].page))
    return out


def _word_break_diff(want: str, got: str) -> str:
    """The first place the screen-reader text's word breaks differ from the content's."""
    i = j = 0
    while i < len(want) and j < len(got) and want[i] == got[j]:
        i, j = i + 1, j + 1
    if i < len(want) and want[i] == " ":
        start = want.rfind(" ", 0, i) + 1
        end = want.find(" ", i + 1)
        words = want[start:end if end > 0 else None]
        return f"words glued together: {words.replace(' ', '')!r} for {words!r}"
    start = got.rfind(" ", 0, j) + 1
    end = got.find(" ", j + 1)
    return f"a space the content does not have: {got[start:end if end > 0 else None]!r}"


def _untagged(page, number: int) -> list[Finding]:  # type: ignore[no-untyped-def]
    contents = page.get_contents()
    if contents is None:
        return []
    findings: list[Finding] = []
    stack: list[bool] = []  # for each open marked-content sequence: tagged or artifact?
    for index, (operands, operator) in enumerate(ContentStream(contents, None).operations):
        op = operator.decode("latin-1") if isinstance(operator, bytes) else str(operator)
        if op == "BMC":
            stack.append(str(operands[0]) == "/Artifact")
        elif op == "BDC":
            props = operands[1] if len(operands) > 1 else None
            has_mcid = isinstance(props, DictionaryObject) and "/MCID" in props
            stack.append(str(operands[0]) == "/Artifact" or has_mcid)
        elif op == "EMC":
            if stack:
                stack.pop()
        elif op in TEXT or op in PAINT or op == "Do":
            if not any(stack):
                what = "text" if op in TEXT else "an image or form" if op == "Do" else "a path"
                sample = ""
                if op == "Tj" and operands:
                    sample = f" ({str(operands[0])[:30]!r})"
                findings.append(Finding("untagged content", f"{what} drawn outside any tagged "
                                        f"element or artifact (operator {index} "
                                        f"'{op}'){sample}", number))
    return findings


def _tree(root, reader: PdfReader) -> list[Finding]:  # type: ignore[no-untyped-def]
    findings: list[Finding] = []
    page_numbers = {page.indirect_reference.idnum: n
                    for n, page in enumerate(reader.pages, 1)}
    role_map = root.get("/RoleMap", {})
    last_heading = 0

    def page_of(elem) -> int | None:  # type: ignore[no-untyped-def]
        pg = elem.get("/Pg")
        return page_numbers.get(pg.idnum) if pg is not None else None

    def visit(elem) -> None:  # type: ignore[no-untyped-def]
        nonlocal last_heading
        role = str(elem.get("/S", ""))
        role = str(role_map.get(role, role))
        if role in HEADINGS:
            level = HEADINGS[role]
            if level > last_heading + 1:
                before = f"H{last_heading}" if last_heading else "no heading"
                findings.append(Finding("heading levels", f"{role[1:]} follows {before} "
                                        "(a level is skipped)", page_of(elem)))
            last_heading = level
        if role == "/Table" and not _has_role(elem, "/TH", role_map):
            findings.append(Finding("table headers", "a table has no header cells (TH)",
                                    page_of(elem)))
        if role == "/Figure" and not elem.get("/Alt"):
            findings.append(Finding("alternate text", "a figure has no alternate text (/Alt)",
                                    page_of(elem)))
        for kid in _kids(elem):
            visit(kid)

    for kid in _kids(root):
        visit(kid)
    return findings


def _kids(elem) -> list:  # type: ignore[no-untyped-def]
    kids = elem.get("/K")
    if kids is None:
        return []
    kids = kids.get_object()
    items = kids if isinstance(kids, list) else [kids]
    out = []
    for item in items:
        item = item.get_object()
        if isinstance(item, DictionaryObject) and item.get("/Type") != "/MCR" and "/S" in item:
            out.append(item)
    return out


def _has_role(elem, role: str, role_map) -> bool:  # type: ignore[no-untyped-def]
    for kid in _kids(elem):
        kid_role = str(kid.get("/S", ""))
        if str(role_map.get(kid_role, kid_role)) == role or _has_role(kid, role, role_map):
            return True
    return False
