"""Many editions → one PDF, for print shops that want a single file.

In: the editions' titles and files, in plan order. Out: the bytes of one PDF (pypdf)
with every page of every edition and an outline entry per edition at its first page,
each edition's own outline (its headings) nested under its entry.

Merging rebuilds the document without the editions' structure trees, so the merged file
is an untagged print file, and says so in its metadata: the single editions are the
files to share with readers.
"""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

UNTAGGED_NOTE = ("Merged print file; untagged: share the single editions with readers, "
                 "which are tagged for screen readers.")


def merge_pdfs(items: list[tuple[str, Path]], title: str) -> tuple[bytes, int]:
    """The merged PDF of *items* (outline title, file) and its page count."""
    writer = PdfWriter()
    for name, path in items:
        writer.append(PdfReader(io.BytesIO(path.read_bytes())), outline_item=name)
    for page in writer.pages:  # the structure trees they pointed into are not carried over
        for key in ("/StructParents", "/Tabs"):
            if key in page:
                del page[NameObject(key)]
    writer.add_metadata({"/Title": title, "/Creator": "brochure",
                         "/Subject": UNTAGGED_NOTE,
                         "/Producer": "brochure (ReportLab, pypdf)"})
    writer._root_object[NameObject("/PageMode")] = NameObject("/UseOutlines")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), len(writer.pages)
