"""Builds in worker processes: an edition's choices in, its PDF bytes and page count out.

One Python process builds one edition at a time (ReportLab is pure Python and holds the
interpreter lock), so a room of counselors waits in line unless the builds run in
several processes: one per core here. The workers are started fresh (``spawn``: a copy of
a threaded server made by ``fork`` could inherit a held lock), warm their fonts and
word-break dictionaries once, and receive the name and note through a pipe, in memory;
nothing is written to disk.

Builds for the page skip `checks.check_edition`, which `api.build` ends with (readability,
contrast, structure, pre-flight): the page shows none of its findings (warnings), and the
edition without the personal line is checked where it is made (``brochure build``,
``brochure check``, the test suite). That is a third of a preview's time; the PDF is the
same, byte for byte (tested), as the checks only read it. Everything that can refuse an
edition still runs: the translation check, glyph coverage of content, clinic and personal
line, the page budget.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

POLL_SECONDS = 0.05  # how often a waiting build asks whether it is still wanted


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
    # The text scales shrink-to-fit found for editions without a personal line, by
    # digest (`typeset.fitmemory`): whichever process built those, this one starts there.
    scales: tuple[tuple[str, float], ...] = ()
    ticket: int = -1  # this build's flag in the workers' shared array (set: stop it)
    pictures: bool = False  # also draw the page pictures (a preview)
    also: str | None = None  # a bilingual edition's second language


# In a worker: the flags the server sets to stop a build (`Builders`), one per ticket.
_stops: Any = None


def _check(job: Job) -> Callable[[], None] | None:
    """The check a worker's build calls between layouts: raises once the server has
    flagged the build's ticket (its preview was superseded)."""
    if _stops is None or job.ticket < 0:
        return None
    from .cancel import Superseded

    def still_wanted() -> None:
        if _stops[job.ticket]:
            raise Superseded

    return still_wanted


def build(job: Job) -> tuple[bytes, int, dict[str, float], tuple[bytes, ...]]:
    """Build *job* in this process: its PDF bytes, page count, the text scales this
    process knows (to share with the others) and, if asked for, the page pictures."""
    from ..typeset import fitmemory
    from .pictures import page_pictures

    fitmemory.learn(dict(job.scales))
    check = _check(job)
    pdf, pages = build_unchecked(job, check)
    pictures = page_pictures(pdf, still_wanted=check) if job.pictures else ()
    return pdf, pages, fitmemory.entries(), pictures


def build_unchecked(job: Job, still_wanted: Callable[[], None] | None = None
                    ) -> tuple[bytes, int]:
    """*job*'s finished PDF bytes and page count, as `api.build` makes them but without
    its checks (raises `BrochureError` as it does); *still_wanted* is called between
    the layouts shrink-to-fit tries and stops the build by raising."""
    from .. import api, paths
    from ..source.clinics import load_clinic
    from ..source.content import load_content, topic_file
    from ..source.layouts import load_layout
    from ..source.model import Personal
    from ..typeset.geometry import PrintOptions

    locales = [paths.builtin("content") / "locales"]
    content = load_content(topic_file(job.folder, job.lang), locales)
    api.translation_findings(content)  # raises on a broken translation; warnings unused
    layout = load_layout(job.layout)
    second = None
    if job.also:  # a bilingual edition
        second = load_content(topic_file(job.folder, job.also), locales)
        api.translation_findings(second)
        layout = api.bilingual_layout(layout, content, second)
    clinic = load_clinic(job.clinic) if job.clinic else None
    personal = Personal(job.name, job.note) if (job.name or job.note) else None
    result = api.render_loaded(content, layout, clinic, job.paper, personal=personal,
                               options=PrintOptions(grayscale=job.grayscale, qr=job.qr),
                               second=second, checks=False, still_wanted=still_wanted)
    return result.pdf, result.pages


def _orphaned(parent: int) -> None:
    """End this worker once the server that started it is gone (killed, not stopped)."""
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)


def _warm(jobs: tuple[Job, ...], stops: Any = None) -> None:
    """Keep the server's stop flags; load fonts, shaping and dictionaries for every
    language before the first request (Thai takes seconds the first time); a failure is
    left for the request that meets it."""
    from ..errors import BrochureError

    global _stops
    _stops = stops
    threading.Thread(target=_orphaned, args=(os.getppid(),), daemon=True).start()
    for job in jobs:
        try:
            build(job)
        except BrochureError:
            continue


class Builders:
    """A pool of *count* worker processes, each warmed with *warm* at its start."""

    def __init__(self, count: int, warm: tuple[Job, ...] = ()) -> None:
        context = multiprocessing.get_context("spawn")
        # One stop flag per build that can run at once (a ticket), shared with the
        # workers: set, the build stops before its next layout.
        self._stops = context.Array("b", count, lock=False)
        self._tickets = list(range(count))
        self._tickets_lock = threading.Lock()
        self._pool = context.Pool(count, initializer=_warm, initargs=(warm, self._stops))
        # A build waits here for a free worker, not in the pool's queue, so that it can
        # be dropped when superseded while it waits (`still_wanted`).
        self._free = threading.Semaphore(count)

    def build(self, job: Job, still_wanted: Callable[[], None],
              scales: Callable[[], tuple[tuple[str, float], ...]] | None = None
              ) -> tuple[bytes, int, dict[str, float], tuple[bytes, ...]]:
        """Build *job* in the next free worker; *still_wanted* is called when one is free
        and stops the build (by raising) before it starts; *scales*, called then too,
        gives the text scales known by then (a build that waited sees those found by the
        builds it waited for)."""
        with self._free:
            still_wanted()
            with self._tickets_lock:
                ticket = self._tickets.pop()
            self._stops[ticket] = 0
            try:
                job = replace(job, scales=scales() if scales else job.scales, ticket=ticket)
                running = self._pool.apply_async(build, (job,))
                while not running.ready():  # a superseded build is told to stop
                    running.wait(POLL_SECONDS)
                    try:
                        still_wanted()
                    except Exception:
                        self._stops[ticket] = 1
                return running.get()
            finally:
                with self._tickets_lock:
                    self._tickets.append(ticket)

    def close(self) -> None:
        """Stop the workers now, whatever they are doing (the server is stopping)."""
        self._pool.terminate()
        self._pool.join()
