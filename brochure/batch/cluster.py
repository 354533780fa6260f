"""Batch on a Dask cluster: the same jobs as the local pool, on workers anywhere.

In: the jobs of a run (`Job`, with the `Inputs` they were hashed from) and a Dask
scheduler (``tcp://HOST:8786``, or ``local:N`` for a `LocalCluster` of N worker
processes). Out: one `Outcome` per job, handed to the same recorder as the local pool's,
so the manifest, progress bar, summary and exit codes are the same.

Workers need no shared filesystem. The client reads each group of input files once
(content + locale + translation source; layout + the layouts it extends; clinic + logo),
keyed by the digest the fingerprints already give it, and sends it to the cluster once
as a task of its own (not scattered data, which the scheduler cannot make again when the
worker holding it dies); a job carries only the keys of its three groups. A worker
unpacks a group into its own scratch folder once per digest, under the client's paths,
so relative references (``base:``, ``logo:``, the locale beside the content) resolve as
they do on the client, and messages name the client's files. `WorkerSetup`, a worker
plugin, registers every font and warms the caches once per worker process.

On connect the client checks that every worker runs the same brochure (version, code,
the libraries that write the bytes, the font table) and refuses otherwise. PDFs come
back to the client, which writes them atomically; with an output URL (fsspec) workers
write them and return only path, size and SHA-256. At most a few jobs per worker thread
are in flight, and each result is recorded as it arrives, so the client's memory does
not grow with the plan. A worker that dies has its jobs rescheduled by Dask; a job that
kills workers repeatedly comes back as `KilledWorker` (the scheduler's
``distributed.scheduler.allowed-failures``). Innocent jobs that shared those workers come
back so too, so each such job is run once more on its own, as the local pool does, and
only one that still kills its workers is recorded failed.
"""

from __future__ import annotations

import importlib.metadata
import logging
import os
import threading
import uuid
import warnings
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from pathlib import Path, PurePath
from typing import Any

from ..errors import BrochureError
from ..output import write_atomic
from .inputs import Inputs, engine, sha256_file
from .worker import Job, Outcome, build

# What is sent of each input group: not the font table and fonts, which every worker has
# (the version check makes sure they are the same).
SENT = {"content": ("content", "locale", "vocabulary", "source"), "layout": ("layout",),
        "clinic": ("clinic", "logo")}
WORKER_KILLED = ("its worker process died each time it was building it (killed, or out "
                 "of memory), so the cluster gave up on it")
# No dashboard, and the scheduler's HTTP endpoint on a free port (not 8787, which
# another cluster on this machine may hold).
LOCAL_QUIET: dict[str, Any] = {"dashboard_address": None,
                               "scheduler_kwargs": {"dashboard_address": ":0"}}
SLOW_SCRATCH = "Creating scratch directories is taking a surprisingly long time"
INSTALL_HINT = "install the same brochure on the client and every worker"


class ClusterError(BrochureError):
    """The cluster cannot be reached, has no workers, or runs a different brochure."""


# -- the client: connecting ---------------------------------------------------------------

@contextmanager
def connect(address: str) -> Iterator[Any]:
    """A Dask client for *address* (``tcp://…`` or ``local:N``), checked and set up;
    a local cluster started here is closed, worker processes and all, on the way out."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ClusterError("--cluster needs Dask distributed: pip install "
                           "'brochure[cluster]'") from None
    cluster = None
    try:
        if address.startswith("local:"):
            count = address.partition(":")[2]
            if not count.isdigit() or int(count) < 1:
                raise ClusterError(f"--cluster {address}: write local:N with N worker "
                                   "processes, e.g. local:2")
            try:
                with warnings.catch_warnings():  # a busy machine's slow disk is no news
                    warnings.filterwarnings("ignore", SLOW_SCRATCH, UserWarning)
                    cluster = LocalCluster(n_workers=int(count), threads_per_worker=1,
                                           processes=True, silence_logs=logging.ERROR,
                                           **LOCAL_QUIET)
            except (OSError, RuntimeError) as exc:
                raise ClusterError(f"--cluster {address}: could not start the worker "
                                   f"processes ({exc})") from None
            client = Client(cluster)
        else:
            try:
                client = Client(address, timeout="20s")
            except (OSError, TimeoutError, ValueError) as exc:
                raise ClusterError(f"--cluster {address}: cannot reach a Dask scheduler "
                                   f"there ({exc})") from None
        try:
            try:
                client.wait_for_workers(1, timeout=60)
            except TimeoutError:
                raise ClusterError(f"--cluster {address}: the scheduler has no workers "
                                   "(start some with 'dask worker "
                                   f"{address}')") from None
            check_versions(client)
            client.register_plugin(WorkerSetup(), name="brochure-setup")
            yield client
        finally:
            client.close()
    finally:
        if cluster is not None:
            cluster.close()


def identity() -> dict[str, str]:
    """What must be equal on the client and on every worker for equal bytes."""
    from ..typeset import fonts

    return {**engine(), "font table": (sha256_file(fonts.table_file()) or "")[:16]}


def _brochure_version() -> str:
    try:
        return importlib.metadata.version("brochure")
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def check_versions(client: Any) -> None:
    """Refuse workers whose brochure differs from this client's, naming each."""
    mine = identity()
    # First with a function every worker can unpickle, brochure installed or not.
    versions = client.run(importlib.metadata.version, "brochure", on_error="return")
    problems = []
    for worker, version in sorted(versions.items()):
        if isinstance(version, BaseException):
            problems.append(f"worker {worker}: brochure is not installed there")
        elif version != mine["brochure"]:
            problems.append(f"worker {worker} runs brochure {version}, this client "
                            f"{mine['brochure']}")
    if not problems:
        theirs = client.run(identity, on_error="return")
        for worker, ident in sorted(theirs.items()):
            if isinstance(ident, BaseException):
                problems.append(f"worker {worker} could not say what it runs ({ident})")
                continue
            differ = [f"{k} {ident.get(k)} there, {v} here" for k, v in mine.items()
                      if ident.get(k) != v]
            if differ:
                problems.append(f"worker {worker} runs a different brochure: "
                                + "; ".join(differ))
    if problems:
        raise ClusterError("the cluster runs a different brochure from this client, so "
                           "its PDFs would not be the same; " + INSTALL_HINT + ":\n  "
                           + "\n  ".join(problems))


# -- the worker ---------------------------------------------------------------------------

try:
    from distributed import WorkerPlugin as _PluginBase
except ImportError:  # the extra is not installed: the class is never sent anywhere
    _PluginBase = object  # type: ignore[assignment,misc]


class WorkerSetup(_PluginBase):  # type: ignore[misc,valid-type]
    """Once per worker process: register every font of the font table, warm the
    renderer, and make the scratch folder inputs are unpacked into."""

    def setup(self, worker: Any) -> None:
        warm()
        _scratch(worker.local_directory)


def warm() -> None:
    """Register the fonts of every language the font table knows (fonts register once
    per process) and import the renderer."""
    from .. import api  # noqa: F401  (imports the whole rendering pipeline)
    from ..typeset import fonts

    for language in fonts._table()["languages"]:
        with suppress(BrochureError):
            fonts.font_set(language, allow_unfinished=True)


_lock = threading.Lock()
_unpacked: dict[str, Path] = {}  # group digest → its folder, in this worker process
_roots: dict[str, Path] = {}


def _scratch(local_directory: str) -> Path:
    if local_directory not in _roots:
        root = Path(local_directory).resolve() / "brochure-inputs"
        root.mkdir(parents=True, exist_ok=True)
        _roots[local_directory] = root
    return _roots[local_directory]


@dataclass(frozen=True)
class Parcel:
    """Input files sent as data: (role, the client's name for it, its absolute path,
    bytes) each."""

    digest: str
    files: tuple[tuple[str, str, str, bytes], ...]


def _unpack(group: Parcel) -> Path:
    """The folder holding *group*'s files under the client's paths (written once)."""
    with _lock:
        if group.digest in _unpacked:
            return _unpacked[group.digest]
        try:
            from distributed import get_worker

            base = _scratch(get_worker().local_directory)
        except (ImportError, ValueError):
            import tempfile

            base = _scratch(tempfile.gettempdir())
        folder = base / group.digest
        for _, _, absolute, data in group.files:
            write_atomic(_under(folder, absolute), data)
        _unpacked[group.digest] = folder
        return folder


def _under(folder: Path, absolute: str | Path) -> Path:
    """*absolute* (a client path) placed inside *folder*."""
    path = PurePath(absolute)
    return folder.joinpath(*path.parts[1:]) if path.is_absolute() else folder / path


def run_job(job: Job, groups: tuple[Parcel | None, Parcel | None, Parcel | None],
            output_url: str | None) -> Outcome:
    """Build one edition on a worker: unpack its inputs (once per digest), build it, and
    either return the PDF or write it to *output_url* and return its path and hash."""
    content, layout, clinic = groups
    names: list[tuple[str, str]] = []  # worker path → the client's name, for messages

    def local(group: Parcel | None, path: Path | None) -> Path | None:
        if path is None:
            return None
        if group is None:
            return path
        folder = _unpack(group)
        for _, name, absolute, _ in group.files:
            names.append((str(_under(folder, absolute)), name))
        names.append((str(folder), ""))
        return _under(folder, os.path.abspath(path))

    locale_dirs = job.locale_dirs
    if content is not None:
        locale_dirs = tuple(_under(_unpack(content), Path(absolute).parent)
                            for role, _, absolute, _ in content.files if role == "locale")
    mapped = replace(
        job, content_file=local(content, job.content_file),
        also_file=local(content, job.also_file),
        layout_file=local(layout, job.layout_file),
        layout_dirs=tuple(_under(_unpack(layout), os.path.abspath(d))
                          for d in job.layout_dirs) if layout else job.layout_dirs,
        clinic=local(clinic, job.clinic), locale_dirs=locale_dirs)
    kept: dict[str, bytes] = {}

    def keep(_: Job, pdf: bytes) -> None:
        if output_url is None:
            kept["pdf"] = pdf
        else:
            write_url(output_url, pdf)

    outcome = build(mapped, keep)
    names.sort(key=lambda pair: len(pair[0]), reverse=True)

    def tell(text: str) -> str:
        for worker_path, name in names:
            text = text.replace(worker_path, name)
        return text

    return replace(outcome, pdf=kept.get("pdf"),
                   error=tell(outcome.error) if outcome.error else None,
                   warnings=tuple(tell(w) for w in outcome.warnings))


def write_url(url: str, data: bytes) -> None:
    """Write *data* to *url* with fsspec: atomically on a local or mounted folder (a
    temporary file, then a rename); an object store's single upload is atomic itself."""
    import fsspec

    fs, path = fsspec.core.url_to_fs(url)
    if "file" in _protocols(fs):
        write_atomic(Path(path), data)
    else:
        fs.pipe_file(path, data)


def _protocols(fs: Any) -> tuple[str, ...]:
    protocol = fs.protocol
    return (protocol,) if isinstance(protocol, str) else tuple(protocol)


# -- the client: running the jobs -----------------------------------------------------------

def run_jobs(client: Any, work: list[tuple[Job, Inputs]], finish: Callable[[Job, Outcome],
             None], output_urls: dict[int, str] | None = None,
             per_thread: int = 3) -> bool:
    """Run *work* on the cluster; call *finish* for each job as its result arrives
    (the PDF already written when it came back). True if interrupted (Ctrl-C).

    *output_urls* maps a job's index to the URL its worker writes to; without it the
    PDFs come back here. At most *per_thread* jobs per worker thread are in flight.
    """
    from distributed import KilledWorker, as_completed

    threads = max(1, sum(client.nthreads().values()))
    limit = max(4, per_thread * threads)
    groups: dict[str, Any] = {}  # digest → the future of its parcel

    def group(job: Job, inputs: Inputs, kind: str) -> Any:
        roles = SENT[kind]
        digest = inputs.groups.get(kind) or inputs.digest(*roles)
        if digest not in groups:
            files = tuple((f.role, str(f.path), os.path.abspath(f.path), data)
                          for f in inputs.files if f.role in roles
                          for data in [_read(f.path)] if data is not None)
            # A task holding the data rather than scattered data: the scheduler keeps
            # the task, so when the worker holding the group dies it is made again.
            groups[digest] = client.submit(_given, Parcel(digest, files), pure=False,
                                           key=f"brochure-inputs-{kind}-{digest}")
        return groups[digest]

    pending = iter(work)
    inflight: dict[Any, tuple[Job, Inputs, bool]] = {}  # future → job, inputs, alone
    suspects: deque[tuple[Job, Inputs]] = deque()
    results = as_completed()

    def submit(job: Job, inputs: Inputs, alone: bool) -> None:
        sent = (group(job, inputs, "content"), group(job, inputs, "layout"),
                group(job, inputs, "clinic") if job.clinic else None)
        url = output_urls.get(job.index) if output_urls else None
        future = client.submit(run_job, job, sent, url, pure=False,
                               key=f"brochure-{job.output.stem}-{uuid.uuid4().hex[:8]}")
        inflight[future] = (job, inputs, alone)
        results.add(future)

    def refill() -> None:
        if suspects:  # one at a time, once the others are done
            if not inflight:
                submit(*suspects.popleft(), alone=True)
            return
        while len(inflight) < limit:
            item = next(pending, None)
            if item is None:
                return
            submit(*item, alone=False)

    try:
        refill()
        for future in results:
            job, inputs, alone = inflight.pop(future)
            try:
                outcome = future.result()
            except KilledWorker:
                # Every edition on a worker that died is suspected, the innocent too:
                # run each again alone, and fail only one that kills its worker so.
                if not alone:
                    suspects.append((job, inputs))
                    refill()
                    continue
                outcome = Outcome(job.index, False, error=WORKER_KILLED)
            except Exception as exc:  # the cluster, not the edition: say so, go on
                outcome = Outcome(job.index, False, error=f"the cluster could not run it: "
                                  f"{type(exc).__name__}: {exc}")
            del future
            if outcome.pdf is not None:
                outcome = _write_back(job, outcome)
            finish(job, outcome)
            refill()
    except KeyboardInterrupt:
        client.cancel(list(inflight))  # what has not started never will
        return True
    return False


def _given(group: Parcel) -> Parcel:
    return group


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None  # the worker's loader reports the missing file by its name


def _write_back(job: Job, outcome: Outcome) -> Outcome:
    """Write a PDF that came back from a worker, atomically, and drop the bytes."""
    assert outcome.pdf is not None
    try:
        write_atomic(job.output, outcome.pdf)
    except BrochureError as exc:
        return Outcome(job.index, False, error=str(exc), seconds=outcome.seconds)
    return replace(outcome, pdf=None)


def list_outputs(url: str) -> dict[str, int]:
    """The files under *url* (fsspec) and their sizes, in one listing: how a rerun
    tells which editions written there are still present."""
    import fsspec

    fs, root = fsspec.core.url_to_fs(url)
    try:
        found = fs.find(root, detail=True)
    except (OSError, FileNotFoundError):
        return {}
    prefix = url.rstrip("/")
    root = root.rstrip("/")
    return {prefix + path[len(root):]: int(info.get("size") or 0)
            for path, info in found.items() if path.startswith(root)}
