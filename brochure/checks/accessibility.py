"""Accessibility audit of a PDF: is it a tagged PDF a screen reader can use?

In: PDF bytes (any PDF, not only brochure's). Out: a list of `Finding`s, each a failed
check with the page and place where it fails:

- untagged content: text, paths or images drawn outside both a tagged element (marked
  content with an MCID) and an artifact;
- a structure tree, /MarkInfo, a document language and a title shown in the title bar;
- headings that skip a level (H1 then H3);
- tables without header cells (TH);
- figures without alternate text.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.generic import ContentStream, DictionaryObject

PAINT = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh"}
TEXT = {"Tj", "TJ", "'", '"'}
HEADINGS = {f"/H{n}": n for n in range(1, 7)}


@dataclass(frozen=True)
class Finding:
    check: str
    message: str
    page: int | None = None  # 1-based

    def __str__(self) -> str:
        where = f"page {self.page}: " if self.page else ""
        return f"{self.check}: {where}{self.message}"


def audit(pdf: bytes) -> list[Finding]:
    """Every accessibility failure found in *pdf* (an empty list: it passes)."""
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
    if not (prefs and prefs.get_object().get("/DisplayDocTitle")):
        findings.append(Finding("title", "the viewer is not told to show the title "
                                         "(DisplayDocTitle)"))
    mark = catalog.get("/MarkInfo")
    if not (mark and mark.get_object().get("/Marked")):
        findings.append(Finding("structure", "the catalog's /MarkInfo is not Marked"))
    root = catalog.get("/StructTreeRoot")
    if root is None:
        findings.append(Finding("structure", "the document has no structure tree"))
    else:
        findings += _tree(root.get_object(), reader)
    return findings


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
