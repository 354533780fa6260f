"""Checks: PDF bytes → reports (health literacy, type, contrast, accessibility, pre-flight).

Run on every build and by ``brochure check``; everything is read back from the PDF.

In: an edition (content, layout, the rendered PDF) or a PDF file. Out: a `Report` of
`Check`s, each a figure against a limit from the layout:

- readability per part and for the whole handout (`readability`, `reading_level`), in
  the wording the layout prints, with the formula recognised for the language;
- the body text size, the smallest size and the contrast of every text colour, measured
  from the PDF's own drawing operations (`pdfscan`, `pdfcheck`);
- reading order of the text layer against the content, in the layout's order (`handout`
  says what that order is), and no private-use characters in that text — the text as
  pypdf's text extraction reads it, collected by the scan (`pdftokens` splits content
  streams, `pdftext` reads fonts' /ToUnicode maps);
- a title shown in the title bar, the document language, an outline, a text layer.

`accessibility.audit` reports what a tagged-PDF reader would miss (untagged content,
headings, table headers read once, alternate text, ActualText, title and language, the
structure's text against the content's: word breaks and order) and, through `pdfa`,
every machine-checkable PDF/A-2a rule; `structtext` reads what a screen reader gets from
each structure element; `preflight` is the print shop's look at a finished file (boxes,
fonts, metadata) for ``brochure inspect``.

A failed check is a warning of the build (an error with ``--strict``); `report` prints
the table and the JSON of the ``check`` command.
"""

from __future__ import annotations

from .report import Check, Report, format_table, to_json
from .run import check_edition, check_pdf

__all__ = ["Check", "Report", "check_edition", "check_pdf",
           "format_table", "to_json"]
