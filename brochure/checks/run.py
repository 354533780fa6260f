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
from dataclasses import replace
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
                  source: str | None = None, second: Content | None = None) -> Report:
    """Every check of one built edition; with *second*, of a bilingual one: the checks
    of the content (readability, words, reading order) are made for each language."""
    reader = _read_built(pdf)
    return _report(reader, layout, content, clinic, source or str(content.file),
                   source or f"{content.file} ({layout.name} layout)", second)


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
    content = second = None
    if content_file is None and guess:
        content_file = guess[3]
    if content_file is not None:
        content = load_content(content_file, [paths.builtin("content") / "locales"])
    if guess and "+" in guess[1] and content is not None:  # a bilingual edition
        folder = find_topics().get(guess[0])
        other = topic_file(folder, guess[1].split("+")[1]) if folder else None
        if other is not None and other.is_file():
            second = load_content(other, [paths.builtin("content") / "locales"])
    chosen = load_layout(name)
    if second is not None and chosen.bilingual is not None:
        chosen = chosen.bilingual
    return _report(reader, chosen, content, None, str(path), str(path), second)


def _report(reader: Any, layout: Layout, content: Content | None,
            clinic: Clinic | None, source: str, measured: str,
            second: Content | None = None) -> Report:
    """*source* names the edition in the report; *measured* names it in messages about
    what the PDF shows."""
    found = scan(reader)
    language = content.language if content else str(
        reader.trailer["/Root"].get_object().get("/Lang", "") or "?")
    if content is not None and second is not None:
        language = f"{content.language}+{second.language}"
    checks: list[Check] = []
    languages = [c for c in (content, second) if c is not None]
    each = {c.language: handout.parts(c, layout, clinic) for c in languages}
    for c in languages:
        found_here = reading_level.checks(each[c.language], c.language, layout, c.file)
        found_here += vocabulary.checks(each[c.language], c, layout)
        checks += _in_language(found_here, c.language, second is not None)
    if content is None:
        checks.append(Check("readability", "whole handout", "n/a — not checked: the "
                            "content this PDF was built from is not known", "", "n/a"))
    checks += pdfcheck.type_size(found, layout, measured, structure.read(reader)[1])
    checks += pdfcheck.contrast(found, layout, measured)
    texts = pdfcheck.page_texts(reader, layout, found)
    if content is not None:
        headers = tuple(h for c in languages for h in handout.table_headers(c, layout))
        for c in languages:  # each language's blocks in order, wherever the other's are
            checks += _in_language([pdfcheck.reading_order(
                texts, each[c.language], layout, c.direction, measured, headers)],
                c.language, second is not None)
    else:
        checks.append(Check("reading order", "text layer", "n/a — not checked: the content "
                            "this PDF was built from is not known", "", "n/a"))
    checks.append(pdfcheck.text_characters(texts, measured))
    checks += pdfcheck.document(reader, found, content.language if content else None,
                                measured)
    return Report(source, layout.name, language, found.pages, checks)


def _in_language(checks: list[Check], language: str, bilingual: bool) -> list[Check]:
    """In a bilingual edition, each language's checks say which language they measured."""
    if not bilingual:
        return checks
    return [replace(c, subject=f"{language}: {c.subject}",
                    message=c.message and f"[{language}] {c.message}") for c in checks]


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
            # a bilingual edition (es+en): the first language's file
            file = topic_file(folder, language.split("+")[0]) if folder else None
            return topic, language, layout, file if file and file.is_file() else None
    return None
