"""A tagged PDF's structure tree → which element each piece of marked content belongs to.

In: a reader (`finish.pdfobjects.Document`, or a `pypdf.PdfReader`). Out: for every
(page, MCID) the roles of its element and that
element's ancestors, innermost first (``("P", "TD", "TR", "Table", "Document")``), and the
elements themselves with the pages their content is on. The checks use it to measure body
text only (not table cells), and the layout tests to find where a part landed.
"""

from __future__ import annotations

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
