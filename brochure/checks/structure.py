"""A tagged PDF's structure tree → which element each piece of marked content belongs to.

In: a reader (`finish.pdfread.Document`, or a `pypdf.PdfReader`). Out: for every
(page, MCID) the roles of its element and that
element's ancestors, innermost first (``("P", "TD", "TR", "Table", "Document")``), and the
elements themselves with the pages their content is on. The checks use it to measure body
text only (not table cells), and the layout tests to find where a part landed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

Key = tuple[int, int]  # (1-based page, MCID)


@dataclass(eq=False)
class Element:
    role: str
    parent: Element | None
    kids: list[Element] = field(default_factory=list)
    content: list[Key] = field(default_factory=list)  # its own marked content

    @property
    def roles(self) -> tuple[str, ...]:
        out, elem = [], self
        while elem is not None:
            out.append(elem.role)
            elem = elem.parent
        return tuple(out)

    def all_content(self) -> list[Key]:
        keys = list(self.content)
        for kid in self.kids:
            keys += kid.all_content()
        return keys

    def walk(self) -> list[Element]:
        out = [self]
        for kid in self.kids:
            out += kid.walk()
        return out


# A structure element as brochure's finishing writes it (`finish.steps.structure_tree`):
# role, parent, page, kids (elements and marked-content references) and optional Alt,
# ActualText and table scope. Read straight from its bytes, the hundreds of elements of a
# handout cost a fraction of parsing each as an object; any other shape is parsed.
_STRING = rb"\((?:[^()\\]|\\.)*\)"
_ELEMENT = re.compile(
    rb"\s*\d+\s+\d+\s+obj\s*<</Type/StructElem/S/([A-Za-z0-9]+)/P \d+ \d+ R"
    rb"(?:/Pg (\d+) \d+ R)?/K\[((?:\d+ \d+ R|<</Type/MCR/Pg \d+ \d+ R/MCID \d+>>| )*)\]"
    rb"(?:/Alt" + _STRING + rb")?(?:/ActualText" + _STRING + rb")?"
    rb"(?:/A<</O/Table/Scope/[A-Za-z]+>>)?>>\s*$", re.DOTALL)
_KID = re.compile(rb"(\d+) (\d+) R|<</Type/MCR/Pg (\d+) \d+ R/MCID (\d+)>>")


def _element_bytes(kid: object) -> bytes | None:
    """The bytes of the object *kid* refers to, when its reader keeps them
    (`finish.pdfread.Document`) and it has not been read as an object yet."""
    document = getattr(kid, "pdf", None)
    raw = getattr(document, "raw", None)
    if raw is None or not isinstance(getattr(kid, "idnum", None), int):
        return None
    if kid.idnum in getattr(document, "resolved", {}):  # type: ignore[attr-defined]
        return None
    return raw(kid.idnum)  # type: ignore[attr-defined]


def read(reader: Any) -> tuple[Element | None, dict[Key, Element]]:
    """The root element and the element of each (page, MCID); (None, {}) if untagged."""
    root_dict = reader.trailer["/Root"].get_object().get("/StructTreeRoot")
    if root_dict is None:
        return None, {}
    pages = {page.indirect_reference.idnum: n
             for n, page in enumerate(reader.pages, 1) if page.indirect_reference}
    owners: dict[Key, Element] = {}
    root = Element("StructTreeRoot", None)

    def page_of(obj: object, inherited: int | None) -> int | None:
        ref = obj.get("/Pg") if isinstance(obj, dict) else None
        return pages.get(ref.idnum) if ref is not None else inherited

    def visit(kid: object, elem: Element, page: int | None, depth: int) -> None:
        raw = _element_bytes(kid)
        found = _ELEMENT.match(raw) if raw is not None else None
        if found is not None:
            if depth >= 64:
                return
            child = Element(found[1].decode("ascii"), elem)
            elem.kids.append(child)
            own_page = pages.get(int(found[2])) if found[2] else page
            for ref in _KID.finditer(found[3]):
                if ref[1] is not None:
                    visit(type(kid)(int(ref[1]), int(ref[2]), kid.pdf), child, own_page,  # type: ignore[attr-defined]
                          depth + 1)
                else:
                    where = pages.get(int(ref[3]))
                    if where is not None:
                        child.content.append((where, int(ref[4])))
                        owners[(where, int(ref[4]))] = child
            return
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(kid, int):
            if page is not None:
                elem.content.append((page, int(kid)))
                owners[(page, int(kid))] = elem
        elif isinstance(kid, list):
            for item in kid:
                visit(item, elem, page, depth)
        elif isinstance(kid, dict):
            if kid.get("/Type") == "/MCR":
                where = page_of(kid, page)
                if where is not None:
                    elem.content.append((where, int(kid["/MCID"])))
                    owners[(where, int(kid["/MCID"]))] = elem
            elif "/S" in kid and depth < 64:
                child = Element(str(kid["/S"])[1:], elem)
                elem.kids.append(child)
                visit(kid.get("/K"), child, page_of(kid, page), depth + 1)

    visit(root_dict.get_object().get("/K"), root, None, 0)
    return root, owners
