"""Building one edition of a batch, in a worker process (or in this one with ``-j 1``).

In: a `Job`: the edition's files, options, output path, and digests of its inputs.
Out: an `Outcome`: the output's SHA-256, size, pages and warnings, or its error. The
worker writes the PDF itself, atomically, so PDF bytes never travel between processes
and a worker killed mid-write leaves nothing at the output path.

What editions share is loaded once per process: fonts are registered once (the `fonts`
module keeps them), and content, layouts and clinic profiles are kept in small caches
keyed by file and input digest, so 400 editions parse each file once per worker rather
than once per edition. Load errors are kept too: a broken clinic file fails each of its
editions without being read again for each.
"""

from __future__ import annotations

import hashlib
import signal
import time
import traceback
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import paths
from ..api import bilingual_layout, render_loaded, translation_findings
from ..errors import BrochureError
from ..output import write_atomic
from ..source.clinics import load_clinic
from ..source.content import load_content
from ..source.layouts import load_layout


@dataclass(frozen=True)
class Job:
    """One edition to build, as sent to a worker."""

    index: int
    content_file: Path
    layout_file: Path
    layout_dirs: tuple[Path, ...]
    clinic: Path | None
    paper: str | None
    strict: bool
    output: Path
    content_digest: str = ""
    layout_digest: str = ""
    clinic_digest: str = ""
    # Where locales are looked up after the content's own folder; None: the built-in
    # ones (a cluster worker is given the folder it unpacked the client's locale into).
    locale_dirs: tuple[Path, ...] | None = None
    also_file: Path | None = None  # a bilingual edition: the second language's content


@dataclass(frozen=True)
class Outcome:
    """What became of one job."""

    index: int
    ok: bool
    sha256: str | None = None
    bytes: int | None = None
    pages: int | None = None
    warnings: tuple[str, ...] = ()
    error: str | None = None
    seconds: float = 0.0
    pdf: bytes | None = None  # only when the PDF goes back to the client (a cluster run)


class _Cache:
    """A small least-recently-used cache that also keeps a loader's `BrochureError`."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[Any, Any] = OrderedDict()

    def get(self, key: Any, load: Callable[[], Any]) -> Any:
        if key in self.items:
            self.items.move_to_end(key)
            value = self.items[key]
        else:
            try:
                value = load()
            except BrochureError as exc:
                value = exc
            self.items[key] = value
            if len(self.items) > self.size:
                self.items.popitem(last=False)
        if isinstance(value, BrochureError):
            raise value
        return value


_contents = _Cache(32)
_layouts = _Cache(32)
_clinics = _Cache(256)


def init_worker() -> None:
    """Set up a worker process: Ctrl-C is for the main process, which lets the editions
    in progress finish (each takes a fraction of a second) before it stops."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _load_content(job: Job, file: Path) -> tuple[Any, list[str]]:
    search = (list(job.locale_dirs) if job.locale_dirs is not None
              else [paths.builtin("content") / "locales"])
    content = load_content(file, search)
    return content, translation_findings(content, job.strict)


def write_file(job: Job, pdf: bytes) -> None:
    """Write the PDF to the job's output path, atomically."""
    write_atomic(job.output, pdf)


def build(job: Job, write: Callable[[Job, bytes], None] = write_file) -> Outcome:
    """Load (from the caches), render, finish and *write* one edition."""
    start = time.perf_counter()
    try:
        content, warnings = _contents.get(
            (job.content_file, job.content_digest, job.strict),
            lambda: _load_content(job, job.content_file))
        layout = _layouts.get((job.layout_file, job.layout_digest, job.layout_dirs),
                              lambda: load_layout(str(job.layout_file), list(job.layout_dirs)))
        second = None
        if job.also_file is not None:
            also = job.also_file
            second, more = _contents.get((also, job.content_digest, job.strict),
                                         lambda: _load_content(job, also))
            warnings = warnings + more
            layout = bilingual_layout(layout, content, second)
        clinic = None
        if job.clinic is not None:
            clinic_file = job.clinic
            clinic = _clinics.get((clinic_file, job.clinic_digest),
                                  lambda: load_clinic(clinic_file))
        result = render_loaded(content, layout, clinic, job.paper, job.strict, warnings,
                               second=second)
        write(job, result.pdf)
    except BrochureError as exc:
        return Outcome(job.index, False, error=str(exc), seconds=time.perf_counter() - start)
    except Exception as exc:  # a bug, not a content problem: report it, keep going
        where = traceback.extract_tb(exc.__traceback__)[-1]
        return Outcome(job.index, False, seconds=time.perf_counter() - start,
                       error=f"internal error (please report it): {type(exc).__name__}: "
                             f"{exc} (at {Path(where.filename).name}:{where.lineno})")
    return Outcome(job.index, True, hashlib.sha256(result.pdf).hexdigest(), len(result.pdf),
                   result.pages, tuple(result.warnings), seconds=time.perf_counter() - start)
