"""Booklet imposition: pages → sheets for saddle-stitch printing.

In: a finished PDF. Out: a PDF whose pages are sheet sides, each twice as wide as a page
and holding two pages in booklet order: for 8 pages, sides (8, 1), (2, 7), (6, 3),
(4, 5). The page count is padded with blank pages to a multiple of four. Imposition
rebuilds the pages, so the result is a print file without a structure tree, which claims
neither PDF/UA nor PDF/A (no XMP identification, no output intent): it says so in its
metadata, and the unimposed PDF stays the one to share with readers.
"""

from __future__ import annotations

import io

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.generic import NameObject, RectangleObject

UNTAGGED_NOTE = ("Imposed print file (booklet); untagged, neither PDF/UA nor PDF/A: share "
                 "the unimposed PDF with readers.")


def booklet_order(pages: int) -> list[tuple[int, int]]:
    """Pairs of 1-based page numbers (left, right) for each sheet side; 0 is a blank."""
    total = -(-pages // 4) * 4
    sides = []
    for i in range(total // 2):
        low, high = i + 1, total - i
        sides.append((high, low) if i % 2 == 0 else (low, high))
    return [(a if a <= pages else 0, b if b <= pages else 0) for a, b in sides]


def impose_booklet(pdf: bytes) -> bytes:
    """The saddle-stitch imposition of *pdf* (see module doc)."""
    reader = PdfReader(io.BytesIO(pdf))
    pages = list(reader.pages)
    width = float(pages[0].mediabox.width)
    height = float(pages[0].mediabox.height)
    writer = PdfWriter()
    for left, right in booklet_order(len(pages)):
        sheet = PageObject.create_blank_page(width=2 * width, height=height)
        for number, dx in ((left, 0.0), (right, width)):
            if number:
                sheet.merge_transformed_page(pages[number - 1],
                                             Transformation().translate(dx, 0))
        sheet.trimbox = RectangleObject([0, 0, 2 * width, height])
        writer.add_page(sheet)
    info = dict(reader.metadata or {})
    info["/Subject"] = UNTAGGED_NOTE
    writer.add_metadata(info)
    lang = reader.trailer["/Root"].get("/Lang")
    if lang:
        writer._root_object[NameObject("/Lang")] = lang
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
