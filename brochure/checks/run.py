"""Editions and PDF files → check reports.

In: an edition just built (its content, layout, clinic and PDF bytes), or a PDF file on
disk, or what the ``check`` command was given (topic names, content files, topic folders,
PDF files). Out: one `Report` per edition.

A topic or content file is built in memory (`brochure.build` with ``out_dir=None``, which
runs these checks on every edition it makes). A PDF file is checked as it is; to hold it
to a layout's limits and to its content's reading order the checks must know what it was
built from: ``--layout``, or brochure's own file naming (``<topic>-<lang>-<layout>….pdf``),
names the layout, and the topic of that name, if there is one, gives the content.
Without content, readability and reading order are reported as not checked.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from .. import paths
from ..errors import BrochureError, Problem
from ..finish.pdfobjects import Unsupported
from ..finish.pdfread import Document
from ..source import layouts as layouts_mod
from ..source.content import load_content, topic_file
from ..source.layouts import Layout, load_layout
from ..source.model import Clinic, Content
from ..source.topics import find_topics
from . import handout, pdfcheck, reading_level, structure, vocabulary
from .pdfscan import scan
from .report import Check, Report


def check_edition(content: Content, layout: Layout, pdf: bytes, clinic: Clinic | None = None,
                  source: str | None = None) -> Report:
    """Every check of one built edition."""
    reader = _read_built(pdf)
    return _report(reader, layout, content, clinic, source or str(content.file),
                   source or f"{content.file} ({layout.name} layout)")


def _read_built(pdf: bytes) -> Any:
    """A PDF brochure has just written, read by `finish.pdfread` (the finishing's own
    reader: no pypdf to import, and a few times faster to open). A file of another shape
    than brochure writes is opened by pypdf, as any PDF."""
    try:
        return Document(pdf)
    except Unsupported:
        pass
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(pdf), strict=True)
    except PdfReadError:
        return PdfReader(io.BytesIO(pdf))
    reader.strict = False
    return reader


def check_pdf(path: Path, layout: str | None = None, content_file: Path | None = None
              ) -> Report:
    """Every check that can be made of a PDF file (see the module's notes)."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(path)
        len(reader.pages)
    except (OSError, PdfReadError) as exc:
        raise BrochureError(problems=[Problem(path, None, None, "",
                                              f"cannot be read as a PDF ({exc})")]) from None
    guess = guess_from_name(path)
    name = layout or (guess[2] if guess else None)
    if name is None:
        raise BrochureError(f"{path}: cannot tell which layout it was built with; name "
                            "it with --layout (see 'brochure layouts')")
    content = None
    if content_file is None and guess:
        content_file = guess[3]
    if content_file is not None:
        content = load_content(content_file, [paths.builtin("content") / "locales"])
    return _report(reader, load_layout(name), content, None, str(path), str(path))


def _report(reader: Any, layout: Layout, content: Content | None,
            clinic: Clinic | None, source: str, measured: str) -> Report:
    """*source* names the edition in the report; *measured* names it in messages about
    what the PDF shows."""
    found = scan(reader)
    language = content.language if content else str(
        reader.trailer["/Root"].get_object().get("/Lang", "") or "?")
    checks: list[Check] = []
    if content is not None:
        parts = handout.parts(content, layout, clinic)
        checks += reading_level.checks(parts, content.language, layout, content.file)
        checks += vocabulary.checks(parts, content, layout)
    else:
        checks.append(Check("readability", "whole handout", "n/a — not checked: the "
                            "content this PDF was built from is not known", "", "n/a"))
    checks += pdfcheck.type_size(found, layout, measured, structure.read(reader)[1])
    checks += pdfcheck.contrast(found, layout, measured)
    texts = pdfcheck.page_texts(reader, layout, found)
    if content is not None:
        checks.append(pdfcheck.reading_order(
            texts, parts, layout, content.direction, measured,
            tuple(handout.table_headers(content, layout))))
    else:
        checks.append(Check("reading order", "text layer", "n/a — not checked: the content "
                            "this PDF was built from is not known", "", "n/a"))
    checks.append(pdfcheck.text_characters(texts, measured))
    checks += pdfcheck.document(reader, found, content.language if content else None,
                                measured)
    return Report(source, layout.name, language, found.pages, checks)


def guess_from_name(pdf: Path) -> tuple[str, str, str, Path | None] | None:
    """(topic, language, layout, content file) from brochure's output file name
    ``<topic>-<lang>-<layout>[-<clinic>][-<paper>].pdf``; None if it does not fit."""
    pieces = pdf.stem.split("-")
    known_layouts = layouts_mod.available()
    known_topics = find_topics()
    for i in range(1, len(pieces) - 1):
        topic, language, layout = "-".join(pieces[:i]), pieces[i], pieces[i + 1]
        if layout in known_layouts:
            folder = known_topics.get(topic)
            file = topic_file(folder, language) if folder else None
            return topic, language, layout, file if file and file.is_file() else None
    return None
