"""Errors people can act on.

Every problem found in an input file is a `Problem` (file, line, column, key path,
message). Loaders collect all problems of a file and raise them together in one
`BrochureError` subclass, so a user fixes everything in one pass. The CLI turns a
`BrochureError` into a message and a non-zero exit in exactly one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one place of an input file."""

    file: Path | None
    line: int | None  # 1-based, as editors show it
    column: int | None  # 1-based
    field: str  # key path such as "benefits[2].evidence"; "" for the whole file
    message: str

    def __str__(self) -> str:
        where = str(self.file) if self.file else "<input>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"


class BrochureError(Exception):
    """Base of every error brochure raises on purpose."""

    exit_code = 1

    def __init__(self, message: str = "", problems: list[Problem] | None = None) -> None:
        self.problems = list(problems or [])
        if not message:
            message = "\n".join(str(p) for p in self.problems)
        super().__init__(message)


class ContentError(BrochureError):
    """A content, locale or clinic file is malformed or incomplete."""


class LayoutError(BrochureError):
    """A layout file is malformed, unknown or its inheritance is broken."""


class FontError(BrochureError):
    """A font is missing, or cannot draw a character the edition needs."""


class RenderError(BrochureError):
    """ReportLab could not lay out the story (e.g. an element bigger than the page)."""


class OutputError(BrochureError):
    """The PDF could not be written to its destination."""
