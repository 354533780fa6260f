"""Builds in worker processes: an edition's choices in, its PDF bytes and page count out.

One Python process builds one edition at a time (ReportLab is pure Python and holds the
interpreter lock), so a room of counselors waits in line unless the builds run in
several processes: one per core here. The workers are started fresh (``spawn``: a copy of
a threaded server made by ``fork`` could inherit a held lock), warm their fonts and
word-break dictionaries once, and receive the name and note through a pipe, in memory;
nothing is written to disk.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Job:
    """What a worker needs to build one edition (plain values: it crosses a pipe)."""

    folder: Path
    lang: str
    layout: str
    clinic: Path | None
    paper: str | None
    name: str | None
    note: str | None
    grayscale: bool
    qr: str | None


def build(job: Job) -> tuple[bytes, int]:
    """Build *job* in this process: its PDF bytes and page count."""
    from .. import api
    from ..typeset.geometry import PrintOptions

    [result] = api.build(job.folder, languages=[job.lang], layouts=[job.layout],
                         clinic=job.clinic, paper=job.paper, out_dir=None,
                         prepared_for=job.name, note=job.note,
                         options=PrintOptions(grayscale=job.grayscale, qr=job.qr))
    return result.pdf, result.pages


def _orphaned(parent: int) -> None:
    """End this worker once the server that started it is gone (killed, not stopped)."""
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)


def _warm(jobs: tuple[Job, ...]) -> None:
    """Load fonts, shaping and dictionaries for every language before the first request
    (Thai takes seconds the first time); a failure is left for the request that meets it."""
    from ..errors import BrochureError

    threading.Thread(target=_orphaned, args=(os.getppid(),), daemon=True).start()
    for job in jobs:
        try:
            build(job)
        except BrochureError:
            continue


class Builders:
    """A pool of *count* worker processes, each warmed with *warm* at its start."""

    def __init__(self, count: int, warm: tuple[Job, ...] = ()) -> None:
        self._pool = multiprocessing.get_context("spawn").Pool(count, initializer=_warm,
                                                               initargs=(warm,))
        # A build waits here for a free worker, not in the pool's queue, so that it can
        # be dropped when superseded while it waits (`still_wanted`).
        self._free = threading.Semaphore(count)

    def build(self, job: Job, still_wanted: Callable[[], None]) -> tuple[bytes, int]:
        """Build *job* in the next free worker; *still_wanted* is called when one is free
        and stops the build (by raising) before it starts."""
        with self._free:
            still_wanted()
            return self._pool.apply(build, (job,))

    def close(self) -> None:
        """Stop the workers now, whatever they are doing (the server is stopping)."""
        self._pool.terminate()
        self._pool.join()
