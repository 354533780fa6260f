"""Progress of a batch run, for people watching it.

In: one call per finished edition. Out, on a terminal: a single line redrawn in place
with a bar, the count, the rate (editions per second) and the time left; failures are
printed above it as they happen. Anywhere else (a log file, CI): one plain line per
built or failed edition, with the count, so logs read well.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from typing import TextIO


def clock_text(seconds: float) -> str:
    """12.3 s, 4:05 or 1:02:03."""
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(int(round(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class Progress:
    """Counts editions as they finish and shows it on *stream*."""

    def __init__(self, total: int, stream: TextIO, live: bool | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.total, self.stream, self.clock = total, stream, clock
        self.live = stream.isatty() if live is None else live
        self.done = 0
        self.start = clock()
        self._drawn = 0.0
        self._shown = False

    def note(self, line: str) -> None:
        """Print a line of its own (above the bar on a terminal)."""
        if self.live:
            self._clear()
        self.stream.write(line + "\n")
        self.stream.flush()
        if self.live and self.done:
            self._draw(force=True)

    def advance(self, line: str) -> None:
        """One more edition finished; *line* says which and how it went."""
        self.done += 1
        if self.live:
            self._draw(force=self.done == self.total)
        else:
            width = len(str(self.total))
            self.stream.write(f"[{self.done:>{width}}/{self.total}] {line}\n")
            self.stream.flush()

    def close(self) -> None:
        if self.live:
            self._clear()

    def status(self) -> str:
        """``[######----]  120/400  9.8/s  ETA 0:28``."""
        elapsed = max(self.clock() - self.start, 1e-9)
        rate = self.done / elapsed
        left = (self.total - self.done) / rate if rate else 0.0
        cells = 24
        filled = cells * self.done // max(self.total, 1)
        bar = "#" * filled + "-" * (cells - filled)
        eta = f"ETA {clock_text(left)}" if self.done < self.total else clock_text(elapsed)
        return f"[{bar}] {self.done}/{self.total}  {rate:.1f}/s  {eta}"

    def _draw(self, force: bool = False) -> None:
        now = self.clock()
        if not force and now - self._drawn < 0.1:
            return
        self._drawn = now
        columns = shutil.get_terminal_size((80, 24)).columns
        self.stream.write("\r" + self.status()[:columns - 1] + "\x1b[K")
        self.stream.flush()
        self._shown = True

    def _clear(self) -> None:
        if self._shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._shown = False


def summary(built: int, unchanged: int, failed: int, seconds: float, workers: int,
            not_run: int = 0) -> list[str]:
    """The table printed at the end of a run::

        built  unchanged  failed  total  time   rate
           10          2       1     13  1.3 s  7.7/s on 2 workers
    """
    total = built + unchanged + failed + not_run
    rate = f"{built / seconds:.1f}/s" if built and seconds > 0 else "-"
    heads = ["built", "unchanged", "failed"] + (["not run"] if not_run else [])
    heads += ["total", "time", "rate"]
    values = [str(built), str(unchanged), str(failed)] + ([str(not_run)] if not_run else [])
    values += [str(total), clock_text(seconds), rate]
    widths = [max(len(h), len(v)) for h, v in zip(heads, values, strict=True)]
    head = "  ".join(h.rjust(w) if i < len(heads) - 2 else h.ljust(w)
                     for i, (h, w) in enumerate(zip(heads, widths, strict=True)))
    row = "  ".join(v.rjust(w) if i < len(values) - 2 else v.ljust(w)
                    for i, (v, w) in enumerate(zip(values, widths, strict=True)))
    worker_text = f" on {workers} worker{'s' if workers != 1 else ''}" if built else ""
    return [head.rstrip(), row.rstrip() + worker_text]


def grouped(items: list[tuple[str, str]], limit: int = 4) -> list[str]:
    """Messages shared by many editions, once each: ``(output, message)`` pairs →
    "message" lines, each followed by the editions it concerns (the first *limit*)."""
    by_message: dict[str, list[str]] = {}
    for output, message in items:
        by_message.setdefault(message, []).append(output)
    lines = []
    for message, outputs in by_message.items():
        shown = ", ".join(outputs[:limit])
        more = f" and {len(outputs) - limit} more" if len(outputs) > limit else ""
        count = f"{len(outputs)} editions: " if len(outputs) > 1 else ""
        lines.append(f"{count}{shown}{more}")
        lines += ["  " + line for line in message.splitlines()]
    return lines
