"""A tagged PDF → its structure elements with the text a screen reader gets from each.

In: a `PdfReader`. Out: the structure tree as `Element`s in reading (tree) order, each
with its role (role-mapped to a standard type), language, alternate and actual text, the
pages and MCIDs of its marked content and its *text*: what assistive technology reads
for it — the element's own /ActualText if it has one, else its marked content's text in
/K order, where a marked-content span with /ActualText reads as that text (ISO 32000-1
§14.9.4) and glyphs read through their font's /ToUnicode map. No space is invented
between lines or marked-content sequences: a word break must be in the file
(§14.8.2.5), and this is how the audit finds words glued together.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from . import pdftext
from .pdfscan import _data
from .pdftokens import operations

TEXT_SHOWS = {b"Tj", b"'", b'"', b"TJ"}


@dataclass(eq=False)
class Element:
    role: str  # standard type, after the role map ("/P", "/LBody", "/TH", ...)
    page: int | None  # 1-based page of its first marked content (or its /Pg)
    lang: str | None = None
    alt: str | None = None
    actual_text: str | None = None
    marked: list[tuple[int, int]] = field(default_factory=list)  # (page, MCID), in order
    kids: list[Element | tuple[int, int]] = field(default_factory=list)
    parent: Element | None = None
    text: str = ""  # what a screen reader reads for it (see the module doc)
    scope: str | None = None  # TH: /Column or /Row


@dataclass
class MarkedText:
    """The text of every marked-content sequence, by (page, MCID); the ActualText
    spans in each; artifacts' text per page; per page, how many characters read as
    private-use code points outside any ActualText span, and how many read as U+0000,
    U+FEFF or U+FFFE."""

    text: dict[tuple[int, int], str] = field(default_factory=dict)
    spans: dict[tuple[int, int], list[str]] = field(default_factory=dict)
    artifacts: dict[int, list[str]] = field(default_factory=dict)
    private_use: dict[int, int] = field(default_factory=dict)
    bad_unicode: dict[int, int] = field(default_factory=dict)  # U+0000, U+FEFF, U+FFFE shown


def pdf_text_string(data: bytes) -> str:
    """A PDF text string's characters (UTF-16BE with its byte order mark, or
    PDFDocEncoding, which agrees with Latin-1 for the characters brochure writes)."""
    if data[:2] == b"\xfe\xff":
        return data[2:].decode("utf-16-be", "replace")
    return data.decode("latin-1")


def marked_text(reader: PdfReader) -> MarkedText:
    """Read every page's content stream once (see `MarkedText`)."""
    out = MarkedText()
    known: dict = {}
    for number, page in enumerate(reader.pages, 1):
        data = _data(page.get("/Contents"))
        if not data:
            continue
        resources = page.get("/Resources")
        resources = resources.get_object() if resources is not None else DictionaryObject()
        fonts = resources.get("/Font")
        fonts = fonts.get_object() if fonts is not None else DictionaryObject()
        decoders: dict[str, pdftext.Decoder | None] = {}
        decoder: pdftext.Decoder | None = None
        # the open marked-content sequences: (MCID or None, artifact?, span ActualText)
        stack: list[tuple[int | None, bool, str | None]] = []
        for operands, op in operations(data, known):
            if op in (b"BDC", b"BMC"):
                tag = operands[0] if operands else ""
                props = operands[1] if op == b"BDC" and len(operands) > 1 else {}
                props = props if isinstance(props, dict) else {}
                mcid = props.get("/MCID")
                actual = props.get("/ActualText")
                actual = pdf_text_string(actual) if isinstance(actual, bytes) else None
                stack.append((int(mcid) if isinstance(mcid, float) else None,
                              tag == "/Artifact", actual))
                if actual is not None:
                    owner = _owner(stack)
                    if owner is not None:
                        key = (number, owner)
                        out.text[key] = out.text.get(key, "") + actual
                        out.spans.setdefault(key, []).append(actual)
            elif op == b"EMC":
                if stack:
                    stack.pop()
            elif op == b"Tf" and operands:
                name = operands[0]
                if name not in decoders:
                    font = fonts.get(name)
                    decoders[name] = pdftext.decoder(font.get_object()) if font else None
                decoder = decoders[name]
            elif op in TEXT_SHOWS and operands:
                shown = operands[-1]
                pieces = shown if isinstance(shown, list) else [shown]
                raw = b"".join(p for p in pieces if isinstance(p, bytes))
                text = (decoder.decode(raw) if decoder else None) or ""
                bad = text.count("\x00") + text.count("\ufeff") + text.count("\ufffe")
                if bad:
                    out.bad_unicode[number] = out.bad_unicode.get(number, 0) + bad
                if any(actual is not None for _, _, actual in stack):
                    continue  # the span's ActualText stands for these glyphs
                private = sum(1 for ch in text if "\ue000" <= ch <= "\uf8ff")
                if private:
                    out.private_use[number] = out.private_use.get(number, 0) + private
                owner = _owner(stack)
                if owner is not None:
                    key = (number, owner)
                    out.text[key] = out.text.get(key, "") + text
                elif any(artifact for _, artifact, _ in stack):
                    out.artifacts.setdefault(number, []).append(text)
    return out


def _owner(stack: list[tuple[int | None, bool, str | None]]) -> int | None:
    """The MCID of the innermost open tagged sequence (None inside an artifact)."""
    for mcid, artifact, _ in reversed(stack):
        if artifact:
            return None
        if mcid is not None:
            return mcid
    return None


def elements(reader: PdfReader, marked: MarkedText | None = None) -> list[Element]:
    """Every structure element below the StructTreeRoot, depth first in tree order."""
    root = reader.trailer["/Root"].get("/StructTreeRoot")
    if root is None:
        return []
    root = root.get_object()
    role_map = root.get("/RoleMap")
    role_map = role_map.get_object() if role_map is not None else {}
    marked = marked if marked is not None else marked_text(reader)
    pages = {p.indirect_reference.idnum: n for n, p in enumerate(reader.pages, 1)}
    out: list[Element] = []
    seen: set[int] = set()

    def visit(obj: DictionaryObject, parent: Element | None, inherited: int | None) -> Element:
        role = str(obj.get("/S", ""))
        for _ in range(8):  # role maps may chain; a cycle is the audit's to report
            if role in role_map:
                role = str(role_map[role])
        pg = obj.raw_get("/Pg") if "/Pg" in obj else None
        page = pages.get(pg.idnum) if pg is not None and hasattr(pg, "idnum") else inherited
        elem = Element(role, page, parent=parent)
        for key, attr in (("/Lang", "lang"), ("/Alt", "alt"), ("/ActualText", "actual_text")):
            if key in obj:
                setattr(elem, attr, str(obj[key]))
        attributes = obj.get("/A")
        if isinstance(attributes, DictionaryObject) and "/Scope" in attributes:
            elem.scope = str(attributes["/Scope"])
        out.append(elem)
        kids = obj.get("/K")
        kids = kids.get_object() if kids is not None else []
        for kid in (kids if isinstance(kids, ArrayObject | list) else [kids]):
            ref = kid
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, int | float) and page is not None:
                key = (page, int(kid))
                elem.marked.append(key)
                elem.kids.append(key)
            elif isinstance(kid, DictionaryObject) and "/MCID" in kid:
                kpg = kid.raw_get("/Pg") if "/Pg" in kid else None
                kpage = pages.get(kpg.idnum) if kpg is not None else page
                if kpage is not None:
                    key = (kpage, int(kid["/MCID"]))
                    elem.marked.append(key)
                    elem.kids.append(key)
            elif isinstance(kid, DictionaryObject) and "/S" in kid:
                number = getattr(getattr(ref, "indirect_reference", None) or ref, "idnum",
                                 None)
                if number is not None:
                    if number in seen:
                        continue
                    seen.add(number)
                elem.kids.append(visit(kid, elem, page))
        parts = []
        for kid in elem.kids:
            parts.append(kid.text if isinstance(kid, Element) else marked.text.get(kid, ""))
        elem.text = elem.actual_text if elem.actual_text is not None else "".join(parts)
        return elem

    top = root.get("/K")
    top = top.get_object() if top is not None else []
    for kid in (top if isinstance(top, ArrayObject | list) else [top]):
        kid = kid.get_object()
        if isinstance(kid, DictionaryObject):
            visit(kid, None, None)
    return out


def normal(text: str) -> str:
    """Whitespace normalised: runs of white space as one space, none at the ends."""
    return " ".join(text.split())
