"""Check results → a report: a terminal table, JSON, and warning lines for `build`.

In: the `Check`s of one or more editions, each with its figure, its limit and whether it
passed. Out: `format_table` (one block per edition, one row per check), `to_json`
(the same, machine-readable) and `Report.warnings` (one line per failed check, naming
the file and place to fix, for the build's warnings; ``--strict`` makes them errors). A
report may carry the build's other warnings (page budget, stale translations) as notes.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

Status = Literal["pass", "fail", "info", "n/a"]


@dataclass(frozen=True)
class Check:
    """One measured figure against its limit.

    *status* is ``pass`` or ``fail`` against a limit, ``info`` when the layout sets no
    limit for it, ``n/a`` when it cannot be measured (the *figure* then says why).
    """

    name: str  # readability, body text size, contrast, reading order, ...
    subject: str  # what was measured: a section, "whole handout", a colour pair
    figure: str
    limit: str
    status: Status
    message: str = ""  # for a failure: what is wrong and where, as a warning line
    values: dict[str, object] = field(default_factory=dict)  # figures for --json


@dataclass
class Report:
    """The checks of one edition (a built topic edition or a PDF file)."""

    source: str  # content file or PDF path
    layout: str
    language: str
    pages: int
    checks: list[Check] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # the build's other warnings

    @property
    def failures(self) -> list[Check]:
        return [c for c in self.checks if c.status == "fail"]

    def warnings(self) -> list[str]:
        return [c.message for c in self.failures]

    def as_dict(self) -> dict[str, object]:
        return {"source": self.source, "layout": self.layout, "language": self.language,
                "pages": self.pages, "passed": not self.failures,
                "checks": [asdict(c) for c in self.checks], "notes": self.notes}


def to_json(reports: list[Report]) -> str:
    import json  # only the check command prints JSON

    return json.dumps({"editions": [r.as_dict() for r in reports]}, ensure_ascii=False,
                      indent=2)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def format_table(reports: list[Report]) -> str:
    """One block per edition: a heading line, then check · subject · figure · limit ·
    result, then the failures' messages in full."""
    blocks = []
    for report in reports:
        head = (f"{report.source} · layout {report.layout} · {report.language} · "
                f"{report.pages} page{'s' if report.pages != 1 else ''}")
        rows = [("check", "subject", "figure", "limit", "result")]
        for c in report.checks:
            rows.append((c.name, _cut(c.subject, 34), _cut(c.figure, 56), c.limit,
                         c.status.upper() if c.status == "fail" else c.status))
        widths = [max(len(r[i]) for r in rows) for i in range(4)]
        lines = [head]
        for row in rows:
            cells = [cell.ljust(widths[i]) for i, cell in enumerate(row[:4])]
            lines.append("  " + "  ".join([*cells, row[4]]).rstrip())
        failed = report.failures
        summary = (f"  {len(failed)} of {len(report.checks)} checks failed" if failed
                   else f"  all {len(report.checks)} checks passed or informational")
        lines.append(summary)
        for c in failed:
            lines.append(f"  - {c.message}")
        if report.notes:
            lines.append("  other warnings of the build:")
            lines += [f"  - {note}" for note in report.notes]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
