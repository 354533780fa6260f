"""PDF bytes → finished PDF bytes, with pypdf.

In: the rendered PDF and its `Edition`. Out: the same document with the finishing steps
applied in order. Each finisher is a small function ``(edition, writer) -> None``; the
renderer knows nothing of them, and later work (imposition, tagging) adds its own.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

from pypdf import PdfReader, PdfWriter
from pypdf.generic import BooleanObject, DictionaryObject, NameObject, TextStringObject

from .render import Edition

Finisher = Callable[[Edition, PdfWriter], None]


def _pdf_date(day: dt.date) -> str:
    return f"D:{day:%Y%m%d}000000Z"


def document_info(edition: Edition, writer: PdfWriter) -> None:
    """Title, subject, keywords and dates from the content (dates from the review date,
    so output stays reproducible)."""
    content, mode = edition.content, edition.layout.wording
    stamp = _pdf_date(content.review.last_reviewed)
    info = {
        "/Title": content.title.get(mode),
        "/Subject": content.subtitle.get(mode) if content.subtitle else "",
        "/Keywords": ", ".join(content.keywords),
        "/Creator": "brochure",
        "/Producer": "brochure (ReportLab, pypdf)",
        "/CreationDate": stamp,
        "/ModDate": stamp,
    }
    if edition.clinic:
        info["/Author"] = edition.clinic.name
    writer.add_metadata({k: v for k, v in info.items() if v})


def language(edition: Edition, writer: PdfWriter) -> None:
    """The document language, for screen readers and text extraction."""
    writer._root_object[NameObject("/Lang")] = TextStringObject(edition.content.language)


def viewer_preferences(edition: Edition, writer: PdfWriter) -> None:
    """Show the title (not the file name) in the window; open with the outline visible."""
    prefs = DictionaryObject({NameObject("/DisplayDocTitle"): BooleanObject(True)})
    if edition.content.direction == "rtl":
        prefs[NameObject("/Direction")] = NameObject("/R2L")
    writer._root_object[NameObject("/ViewerPreferences")] = prefs
    writer._root_object[NameObject("/PageMode")] = NameObject("/UseOutlines")


FINISHERS: list[Finisher] = [document_info, language, viewer_preferences]


def finish(pdf: bytes, edition: Edition, finishers: list[Finisher] | None = None) -> bytes:
    """Apply *finishers* (default: `FINISHERS`) to *pdf* and return the new bytes."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    for step in finishers if finishers is not None else FINISHERS:
        step(edition, writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
