"""The batch manifest: one JSON record per edition, and what makes reruns incremental.

In: the records of a run (`Record`: the edition, its inputs with their hashes, and the
output's path, SHA-256, pages, bytes and warnings, or its error). Out: ``manifest.json``
(by default in the output folder), written atomically and only when its content changes.

The format (2) is made for plans of 100,000 editions: input files are listed once, in
groups (``inputs``: group id → role, path and SHA-256 of each file; a language's content
and locale, a layout with its fonts, a clinic with its logo), and each edition names its
groups; each edition is one line of JSON, so the file is read and written by the JSON
module's C code and still diffs line by line. An output whose size and modification time
are those recorded is taken to be the file that was written (as git and make do);
otherwise it is hashed and compared. Format 1 manifests (inputs inside each edition) are
still read.

While a run goes on, each finished edition is appended as one line to a journal beside
the manifest, so a run that is interrupted or killed still knows what it finished: the
next run reads the manifest, then the journal, and builds only what is missing, failed
or out of date. The output folder is locked (advisory ``flock``) while a run writes to
it, so two runs cannot interleave their files.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, TextIO

from ..errors import BrochureError
from ..output import write_atomic

FORMAT = 2


@dataclass
class Record:
    """What one edition was made from and what came out (or what went wrong)."""

    output: str  # relative to the manifest's folder, with forward slashes
    status: str  # "ok" or "failed"
    topic: str
    language: str
    layout: str
    paper: str | None
    clinic: str | None
    key: str  # `Inputs.key`: equal keys, equal bytes
    inputs: list[Any] = field(default_factory=list)  # ids of the manifest's input groups
    sha256: str | None = None
    bytes: int | None = None
    pages: int | None = None
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    mtime_ns: int | None = None  # the output's modification time when it was recorded

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Record:
        try:
            return cls(**data)
        except TypeError:  # a field this version does not know
            return cls(**{k: v for k, v in data.items() if k in _FIELDS})

    def to_json(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _FIELDS}


_FIELDS = tuple(Record.__dataclass_fields__)


def relative(path: Path, folder: Path) -> str:
    """*path* relative to *folder* if inside it, else absolute; forward slashes."""
    absolute = os.path.abspath(path)
    inside = _folder_prefix(str(folder), os.getcwd())
    if absolute.startswith(inside):  # string work: this runs once per edition
        absolute = absolute[len(inside):]
    return Path(absolute).as_posix() if os.sep != "/" else absolute


@lru_cache(maxsize=64)
def _folder_prefix(folder: str, cwd: str) -> str:
    return os.path.join(os.path.abspath(folder), "")


def display(path: Path) -> str:
    """A path for people and manifests: relative to the working directory when inside."""
    return _display(path, os.getcwd())


@lru_cache(maxsize=1 << 16)
def _display(path: Path, cwd: str) -> str:
    return relative(path, Path(cwd))


class Manifest:
    """The records of one manifest file and its journal, keyed by output path."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.folder = path.parent
        self._folder = os.fspath(self.folder)
        self.journal = path.with_name(f".{path.name}.journal")
        self.records: dict[str, Record] = {}
        self.groups: dict[str, list[dict[str, str | None]]] = {}  # input groups by id
        self.extra: dict[str, Any] = {}
        self.unreadable: str | None = None  # why an existing manifest could not be read
        self._journal: TextIO | None = None
        self._as_read: tuple[Any, ...] | None = None  # what the file held, to skip rewrites
        self.changed = False  # a record differs from the file's

    def load(self) -> Manifest:
        """Read the manifest, then replay the journal of a run that did not finish."""
        if self.path.is_file():
            try:
                data = json.loads(self.path.read_text("utf-8"))
                for item in data["editions"]:
                    record = Record.from_json(item)
                    self.records[record.output] = record
                self.groups = dict(data.get("inputs") or {})
                self.extra = {k: v for k, v in data.items()
                              if k not in ("format", "editions", "engine", "inputs")}
                self._as_read = (data["format"], data["engine"], dict(self.extra),
                                 list(self.records))
            except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
                self.records, self.groups = {}, {}
                self.unreadable = f"{self.path} could not be read ({exc}); rebuilding all"
        if self.journal.is_symlink():  # planted: neither read nor appended to
            raise BrochureError(f"{self.journal}: is a symbolic link; brochure does not "
                                "write through links: remove it")
        if self.journal.is_file():
            self.changed = True
            for line in self.journal.read_text("utf-8", errors="replace").splitlines():
                try:
                    item = json.loads(line)
                    self.groups.update(item.pop("groups", None) or {})
                    record = Record.from_json(item)
                except (ValueError, TypeError, AttributeError):
                    continue  # the last line of a killed run may be cut short
                self.records[record.output] = record
        return self

    def keep(self, record: Record, groups: dict[str, list[dict[str, str | None]]]
             | None = None) -> None:
        """Record an edition found unchanged (the record may say it anew)."""
        held = self.records.get(record.output)
        if groups or (held is not record and held != record):
            self.changed = True
        self.groups.update(groups or {})
        self.records[record.output] = record

    def output_path(self, record: Record) -> Path:
        return self.folder / record.output

    def is_current(self, output: str, key: str) -> bool:
        """Whether the edition written to *output* with inputs *key* needs no rebuild:
        recorded as built from the same inputs, and the file is still what was written."""
        record = self.records.get(output)
        if record is None or record.status != "ok" or record.key != key:
            return False
        path = os.path.join(self._folder, output)
        try:
            stat = os.stat(path)
        except OSError:
            return False
        if stat.st_size != record.bytes:
            return False
        if stat.st_mtime_ns == record.mtime_ns:
            return True  # as written; a file whose time moved is hashed
        if file_sha256(Path(path)) != record.sha256:
            return False
        record.mtime_ns = stat.st_mtime_ns
        self.changed = True
        return True

    # -- writing ------------------------------------------------------------------------
    @contextmanager
    def journaling(self) -> Iterator[None]:
        """Keep the journal open for a run (it is opened by the first `add`, and removed
        once the manifest is written)."""
        try:
            yield
        finally:
            if self._journal is not None:
                self._journal.close()
                self._journal = None

    def add(self, record: Record, groups: dict[str, list[dict[str, str | None]]]
            | None = None) -> None:
        """Record a finished edition, in memory and in the journal, with the input
        *groups* it names that the manifest does not hold yet."""
        self.records[record.output] = record
        self.changed = True
        new = {k: v for k, v in (groups or {}).items() if k not in self.groups}
        self.groups.update(new)
        if self._journal is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._journal = _open_appending(self.journal)
        line = record.to_json() | ({"groups": new} if new else {})
        self._journal.write(json.dumps(line, ensure_ascii=False) + "\n")
        self._journal.flush()

    def save(self, order: list[str], engine: dict[str, str], extra: dict[str, Any]
             ) -> bool:
        """Write the records of *order* (this run's editions, in plan order); return
        whether the file changed. The journal is removed afterwards."""
        if (not self.changed and self._as_read == (FORMAT, engine, extra, order)
                and self.path.is_file()):
            self.journal.unlink(missing_ok=True)
            return False  # a rerun that changed nothing does not rewrite 100,000 lines
        records = [self.records[o] for o in order if o in self.records]
        used = {g for r in records for g in r.inputs if isinstance(g, str)}
        head = {"format": FORMAT, "engine": engine, **extra,
                "inputs": {g: v for g, v in self.groups.items() if g in used}}
        text = json.dumps(head, indent=2, ensure_ascii=False)[:-2]  # without "\n}"
        lines = [json.dumps(r.to_json(), ensure_ascii=False) for r in records]
        text += ',\n  "editions": [\n' + ",\n".join(lines) + "\n  ]\n}\n"
        changed = True
        try:
            changed = self.path.read_text("utf-8") != text
        except OSError:
            pass
        if changed:
            write_atomic(self.path, text.encode("utf-8"))
        self.journal.unlink(missing_ok=True)
        return changed


def _open_appending(path: Path) -> TextIO:
    """*path* opened to append, never through a symbolic link planted in its place."""
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, 0o666)
    except OSError as exc:
        why = ("is a symbolic link; brochure does not write through links: remove it"
               if os.path.islink(path) else f"cannot be written ({exc.strerror})")
        raise BrochureError(f"{path}: {why}") from None
    return os.fdopen(fd, "a", encoding="utf-8")


def file_sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


@contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold an advisory lock on *folder* (created if missing) for one batch run.

    Raises `BrochureError` at once if another run holds it. Where ``fcntl`` is missing
    (Windows) runs are not locked.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BrochureError(f"{folder}: cannot write here ({exc.strerror})") from None
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BrochureError(f"{folder}: another 'brochure batch' is writing to this "
                                "folder; wait for it to finish") from None
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def sweep_partial_files(outputs: list[Path]) -> int:
    """Remove temporary files that an interrupted write of one of *outputs* left behind
    (``.name.XXXX.part`` beside it); return how many. Call it with the lock held."""
    by_folder: dict[Path, set[str]] = {}
    for output in outputs:
        by_folder.setdefault(output.parent, set()).add(output.name)
    removed = 0
    for folder, names in by_folder.items():
        try:
            entries = os.listdir(folder)
        except OSError:
            continue
        for entry in entries:
            if not (entry.startswith(".") and entry.endswith(".part")):
                continue
            stem = entry[1:-len(".part")].rpartition(".")[0]  # drop the random part
            if stem in names:
                (folder / entry).unlink(missing_ok=True)
                removed += 1
    return removed
