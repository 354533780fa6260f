"""A failed check of a PDF: which check, what is wrong, on which page."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    check: str
    message: str
    page: int | None = None  # 1-based

    def __str__(self) -> str:
        where = f"page {self.page}: " if self.page else ""
        return f"{self.check}: {where}{self.message}"
