"""Many editions → one PDF, for print shops that want a single file.

In: the editions' titles and files, in plan order. Out: the bytes of one PDF (pypdf)
with every page of every edition and an outline entry per edition at its first page,
each edition's own outline (its headings) nested under its entry.
"""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject


def merge_pdfs(items: list[tuple[str, Path]], title: str) -> tuple[bytes, int]:
    """The merged PDF of *items* (outline title, file) and its page count."""
    writer = PdfWriter()
    for name, path in items:
        writer.append(PdfReader(io.BytesIO(path.read_bytes())), outline_item=name)
    writer.add_metadata({"/Title": title, "/Creator": "brochure",
                         "/Producer": "brochure (ReportLab, pypdf)"})
    writer._root_object[NameObject("/PageMode")] = NameObject("/UseOutlines")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), len(writer.pages)
