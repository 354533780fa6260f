"""Batch runs: many editions in one command, on every core, safe to rerun.

In: a `Plan` (`batch_plan`: from a plan file or the command line). Out: the PDFs in
the plan's output folder, a JSON manifest with one record per edition, optionally one
merged PDF, and a `Report` (built, unchanged, failed, time) for the summary.

A run, step by step:

1. Lock the output folder, and remove temporary files an interrupted write left there.
2. Hash every edition's inputs (`batch_inputs`). An edition the manifest records as
   built from the same inputs, whose file is still the one written, is *unchanged*.
3. Build the rest on worker processes (`batch_worker`; ``-j 1`` builds here). Each
   worker writes its PDFs atomically and loads shared inputs once. One failing edition
   is recorded with its error and the others go on. When a worker dies (killed, out of
   memory) the pool is replaced and the editions that were in progress are run again,
   one at a time, so only the one that kills its worker is reported failed. With
   ``--cluster`` the same jobs run on a Dask cluster instead (`batch_cluster`), and their
   results come back to the same recorder.
4. Record each finished edition in the journal as it comes (`batch_manifest`), so an
   interrupted run keeps what it finished; on Ctrl-C the editions in progress finish
   (a fraction of a second), nothing new starts, and the manifest is written.
5. Merge (``--merge``) and write the manifest, each only if it changed.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from ..output import write_atomic
from .inputs import GROUPS, Fingerprinter, Inputs, engine
from .manifest import (
    Manifest,
    Record,
    display,
    file_sha256,
    folder_lock,
    relative,
    sweep_partial_files,
)
from .plan import EditionSpec, Plan
from .progress import Progress
from .worker import Job, Outcome, build, init_worker

WORKER_DIED = ("its worker process ended abruptly (killed, or out of memory) while "
               "building it")


@dataclass
class Report:
    """What a batch run did."""

    total: int
    workers: int
    manifest: Path
    built: list[Record] = field(default_factory=list)
    unchanged: list[Record] = field(default_factory=list)
    failed: list[Record] = field(default_factory=list)
    not_run: int = 0  # left over when the run was interrupted
    interrupted: bool = False
    seconds: float = 0.0
    manifest_written: bool = False
    merge: Path | None = None
    merged: int = 0  # editions in the merged PDF
    merge_written: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed and not self.interrupted


def available_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def run(plan: Plan, jobs: int | None = None, force: bool = False,
        log: TextIO | None = None, live: bool | None = None, cluster: str | None = None,
        output_url: str | None = None) -> Report:
    """Build the editions of *plan* that are not current; see the module docstring.

    *jobs* is the number of worker processes (default: every core). *force* rebuilds
    every edition. Progress goes to *log* (a bar if it is a terminal, or *live*).
    With *cluster* (``tcp://HOST:8786`` or ``local:N``) the editions build on a Dask
    cluster (`batch_cluster`); with *output_url* (fsspec) its workers write the PDFs
    there, under the names they would have in the output folder.
    """
    start = time.monotonic()
    workers = max(1, jobs or available_cores())
    manifest = Manifest(plan.manifest)
    report = Report(len(plan.editions), workers, plan.manifest, merge=plan.merge)
    with ExitStack() as stack:
        folders = {manifest.folder.resolve()} | ({plan.output.resolve()}
                                                 if output_url is None else set())
        for folder in sorted(folders):
            stack.enter_context(folder_lock(folder))
        manifest.load()
        if manifest.unreadable:
            report.notes.append(manifest.unreadable)
        if output_url is None:
            sweep_partial_files([spec.output for spec in plan.editions])
        where = _Outputs(plan, manifest, output_url)
        todo, order = _plan_work(plan, manifest, force, report, where)
        client = stack.enter_context(_cluster(cluster)) if cluster and todo else None
        if client is not None:
            workers = sum(client.nthreads().values())
        report.workers = workers = min(workers, max(len(todo), 1))
        progress = Progress(len(todo), log, live) if log is not None and todo else None
        merge_record = manifest.extra.get("merge") if plan.merge else None
        try:
            with manifest.journaling():
                done = _Recorder(manifest, report, progress, where)
                specs = {job.index: (s, i) for job, s, i in todo}
                if client is not None:
                    from .cluster import run_jobs

                    report.interrupted = run_jobs(
                        client, [(job, i) for job, _, i in todo],
                        lambda job, outcome: done(job, outcome, *specs[job.index]),
                        where.urls(todo) if output_url else None)
                else:
                    report.interrupted = _execute([job for job, _, _ in todo], workers,
                                                  done, specs)
            report.not_run = len(todo) - len(report.built) - len(report.failed)
            place = {output: i for i, output in enumerate(order)}
            for records in (report.built, report.failed):
                records.sort(key=lambda r: place[r.output])
            if plan.merge and not report.interrupted:
                merge_record = _merge(plan, manifest, order, merge_record, report)
        finally:
            if progress:
                progress.close()
            extra = {"plan": display(plan.file) if plan.file else None}
            if plan.merge:
                extra["merge"] = merge_record
            report.manifest_written = manifest.save(order, engine(), extra)
    report.seconds = time.monotonic() - start
    return report


@contextmanager
def _cluster(address: str) -> Iterator[Any]:
    from .cluster import connect  # Dask is only needed here

    with connect(address) as client:
        yield client


class _Outputs:
    """Where each edition's file goes, as the manifest names it: relative to the
    manifest's folder, or with an output URL that URL and the edition's file name."""

    def __init__(self, plan: Plan, manifest: Manifest, url: str | None) -> None:
        self.plan, self.manifest = plan, manifest
        self.url = url.rstrip("/") if url else None
        self._sizes: dict[str, int] | None = None
        self._folders: dict[str, str] = {}

    def name(self, spec: EditionSpec) -> str:
        folder, name = os.path.split(spec.output)
        if folder not in self._folders:  # once per folder, not per edition
            inside = relative(Path(folder, "_"), self.manifest.folder if self.url is None
                              else self.plan.output)[:-1]
            self._folders[folder] = f"{self.url}/{inside}" if self.url else inside
        return self._folders[folder] + name

    def urls(self, todo: list[tuple[Job, EditionSpec, Inputs]]) -> dict[int, str]:
        return {job.index: self.name(spec) for job, spec, _ in todo}

    def is_current(self, output: str, key: str) -> bool:
        if self.url is None:
            return self.manifest.is_current(output, key)
        record = self.manifest.records.get(output)
        if record is None or record.status != "ok" or record.key != key:
            return False
        if self._sizes is None:  # one listing of the URL, not one request per edition
            from .cluster import list_outputs

            self._sizes = list_outputs(self.url)
        return self._sizes.get(output) == record.bytes


def _plan_work(plan: Plan, manifest: Manifest, force: bool, report: Report,
               where: _Outputs) -> tuple[list[tuple[Job, EditionSpec, Inputs]], list[str]]:
    """Hash inputs, keep what is current, and make a job of everything else."""
    fingerprints = Fingerprinter(plan.layout_dirs, plan.strict)
    todo, order = [], []
    for index, spec in enumerate(plan.editions):
        inputs = fingerprints.inputs(spec)
        output = where.name(spec)
        order.append(output)
        if not force and where.is_current(output, inputs.key):
            record = manifest.records[output]
            ids = [digest[:GROUP_ID] for digest in inputs.groups.values()]
            clinic = display(spec.clinic) if spec.clinic else None
            if record.inputs != ids or record.clinic != clinic:  # else it says it already
                record = _record(spec, inputs, output, Outcome(
                    index, True, record.sha256, record.bytes, record.pages,
                    tuple(record.warnings)), record.mtime_ns)
            manifest.keep(record, _new_groups(inputs, manifest))
            report.unchanged.append(record)
            continue
        job = Job(index, spec.content_file, spec.layout_file, plan.layout_dirs,
                  spec.clinic, spec.paper, plan.strict, spec.output,
                  inputs.digest("content", "locale", "vocabulary", "source"),
                  inputs.digest("layout", "font table", "font"),
                  inputs.digest("clinic", "logo"), also_file=spec.also)
        todo.append((job, spec, inputs))
    return todo, order


def _record(spec: EditionSpec, inputs: Inputs, output: str, outcome: Outcome,
            mtime_ns: int | None = None) -> Record:
    return Record(
        output=output, status="ok" if outcome.ok else "failed", topic=spec.topic,
        language=spec.language, layout=spec.layout, paper=spec.paper,
        clinic=display(spec.clinic) if spec.clinic else None, key=inputs.key,
        inputs=[digest[:GROUP_ID] for digest in inputs.groups.values()],
        sha256=outcome.sha256, bytes=outcome.bytes, pages=outcome.pages,
        warnings=list(outcome.warnings), error=outcome.error, mtime_ns=mtime_ns)


GROUP_ID = 16  # hex digits of a group's digest that name it in the manifest


def _new_groups(inputs: Inputs, manifest: Manifest) -> dict[str, list[dict[str, str | None]]]:
    """The input groups of *inputs* the manifest does not list yet, as it lists them."""
    new = {}
    for name, digest in inputs.groups.items():
        if digest[:GROUP_ID] not in manifest.groups:
            new[digest[:GROUP_ID]] = [
                {"role": f.role, "path": display(f.path), "sha256": f.sha256}
                for f in inputs.files if f.role in GROUPS[name]]
    return new


class _Recorder:
    """Turns each finished job into a manifest record, a journal line and progress."""

    def __init__(self, manifest: Manifest, report: Report, progress: Progress | None,
                 where: _Outputs) -> None:
        self.manifest, self.report, self.progress = manifest, report, progress
        self.where = where

    def __call__(self, job: Job, outcome: Outcome, spec: EditionSpec, inputs: Inputs
                 ) -> None:
        output = self.where.name(spec)
        mtime_ns = None
        if outcome.ok and self.where.url is None:
            with suppress(OSError):
                mtime_ns = os.stat(spec.output).st_mtime_ns
        record = _record(spec, inputs, output, outcome, mtime_ns)
        self.manifest.add(record, _new_groups(inputs, self.manifest))
        (self.report.built if outcome.ok else self.report.failed).append(record)
        if self.progress is None:
            return
        name = output if self.where.url else display(spec.output)
        if outcome.ok:
            self.progress.advance(f"built {name} ({outcome.pages} pages, "
                                  f"{outcome.bytes:,} bytes, {outcome.seconds:.2f} s)")
        else:
            first = (outcome.error or "").splitlines()[0] if outcome.error else ""
            if self.progress.live:
                self.progress.note(f"failed {name}: {first}")
            self.progress.advance(f"failed {name}: {first}")


Done = Callable[[Job, Outcome, EditionSpec, Inputs], None]


def _execute(jobs: list[Job], workers: int, done: Done,
             specs: dict[int, tuple[EditionSpec, Inputs]]) -> bool:
    """Run *jobs*; call *done* for each as it finishes. True if interrupted (Ctrl-C)."""

    def finish(job: Job, outcome: Outcome) -> None:
        done(job, outcome, *specs[job.index])

    if workers == 1 or len(jobs) <= 1:
        for job in jobs:
            try:
                outcome = build(job)
            except KeyboardInterrupt:
                return True
            finish(job, outcome)
        return False
    return _Pool(workers, finish).run(jobs)


def _start_method() -> multiprocessing.context.BaseContext:
    """Fork where it is safe (Linux): workers start at once with everything imported.
    Elsewhere the platform's default (spawn), where each worker imports brochure once."""
    if sys.platform == "linux":
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


class _Pool:
    """Worker processes with at most one job each in flight.

    When a worker dies, every job in flight is lost with it, and any of them may be the
    cause. Those jobs are then run again one at a time: one that kills its worker when
    running alone is reported failed, and the others are built as usual.
    """

    def __init__(self, workers: int, finish: Callable[[Job, Outcome], None]) -> None:
        self.workers, self.finish = workers, finish
        self.suspects: deque[Job] = deque()

    def run(self, jobs: list[Job]) -> bool:
        pending = deque(jobs)
        interrupted = False
        while (pending or self.suspects) and not interrupted:
            with ProcessPoolExecutor(self.workers, mp_context=_start_method(),
                                     initializer=init_worker) as pool:
                interrupted = self._drain(pool, pending)
        return interrupted

    def _drain(self, pool: ProcessPoolExecutor, pending: deque[Job]) -> bool:
        """Feed *pool* until the work is done, the pool breaks or Ctrl-C is pressed."""
        inflight: dict[Future[Outcome], tuple[Job, bool]] = {}  # job, running alone
        broken = interrupted = False
        while True:
            if not broken and not interrupted:
                try:  # a job leaves its queue once it is submitted
                    if self.suspects:
                        if not inflight:
                            future = pool.submit(build, self.suspects[0])
                            inflight[future] = (self.suspects.popleft(), True)
                    else:
                        while pending and len(inflight) < self.workers:
                            future = pool.submit(build, pending[0])
                            inflight[future] = (pending.popleft(), False)
                except BrokenProcessPool:
                    broken = True
            if not inflight:
                return interrupted
            try:
                finished, _ = wait(inflight, return_when=FIRST_COMPLETED)
            except KeyboardInterrupt:
                if interrupted:
                    raise  # a second Ctrl-C: stop waiting
                interrupted = True  # let the editions in progress finish
                continue
            for future in finished:
                job, alone = inflight.pop(future)
                try:
                    outcome = future.result()
                except BrokenProcessPool:
                    broken = True
                    if not alone:
                        self.suspects.append(job)
                        continue
                    outcome = Outcome(job.index, False, error=WORKER_DIED)
                self.finish(job, outcome)


def _merge(plan: Plan, manifest: Manifest, order: list[str], previous: dict | None,
           report: Report) -> dict:
    """Write the merged PDF unless the one on disk was made from the same editions."""
    from .merge import merge_pdfs  # pypdf is only needed here

    assert plan.merge is not None
    items = []
    for output in order:
        record = manifest.records.get(output)
        if record and record.status == "ok":
            items.append((Path(output).stem, manifest.output_path(record), record.sha256))
    key = hashlib.sha256(json.dumps([engine(), [(t, s) for t, _, s in items]]
                                    ).encode()).hexdigest()
    report.merged = len(items)
    if not items:
        report.notes.append(f"{display(plan.merge)} not written: no edition was built")
        return previous or {}
    if (previous and previous.get("key") == key
            and file_sha256(plan.merge) == previous.get("sha256")):
        return previous
    data, pages = merge_pdfs([(t, p) for t, p, _ in items],
                             f"{len(items)} editions, merged by brochure")
    write_atomic(plan.merge, data)
    report.merge_written = True
    return {"path": display(plan.merge), "key": key, "editions": len(items), "pages": pages,
            "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
