"""The batch manifest: one JSON record per edition, and what makes reruns incremental.

In: the records of a run (`Record`: the edition, its inputs with their hashes, and the
output's path, SHA-256, pages, bytes and warnings, or its error). Out: ``manifest.json``
(by default in the output folder), written atomically and only when its content changes.

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
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, TextIO

from ..errors import BrochureError
from ..output import write_atomic

FORMAT = 1


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
    inputs: list[dict[str, str | None]] = field(default_factory=list)
    sha256: str | None = None
    bytes: int | None = None
    pages: int | None = None
    warnings: list[str] = field(default_factory=list)
    error: str | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Record:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


def relative(path: Path, folder: Path) -> str:
    """*path* relative to *folder* if inside it, else absolute; forward slashes."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(os.path.abspath(folder)).as_posix()
    except ValueError:
        return absolute.as_posix()


def display(path: Path) -> str:
    """A path for people and manifests: relative to the working directory when inside."""
    return _display(path, os.getcwd())


@lru_cache(maxsize=4096)
def _display(path: Path, cwd: str) -> str:
    return relative(path, Path(cwd))


class Manifest:
    """The records of one manifest file and its journal, keyed by output path."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.folder = path.parent
        self.journal = path.with_name(f".{path.name}.journal")
        self.records: dict[str, Record] = {}
        self.extra: dict[str, Any] = {}
        self.unreadable: str | None = None  # why an existing manifest could not be read
        self._journal: TextIO | None = None

    def load(self) -> Manifest:
        """Read the manifest, then replay the journal of a run that did not finish."""
        if self.path.is_file():
            try:
                data = json.loads(self.path.read_text("utf-8"))
                for item in data["editions"]:
                    record = Record.from_json(item)
                    self.records[record.output] = record
                self.extra = {k: v for k, v in data.items()
                              if k not in ("format", "editions", "engine")}
            except (OSError, ValueError, KeyError, TypeError) as exc:
                self.records = {}
                self.unreadable = f"{self.path} could not be read ({exc}); rebuilding all"
        if self.journal.is_symlink():  # planted: neither read nor appended to
            raise BrochureError(f"{self.journal}: is a symbolic link; brochure does not "
                                "write through links: remove it")
        if self.journal.is_file():
            for line in self.journal.read_text("utf-8", errors="replace").splitlines():
                try:
                    record = Record.from_json(json.loads(line))
                except (ValueError, TypeError):
                    continue  # the last line of a killed run may be cut short
                self.records[record.output] = record
        return self

    def output_path(self, record: Record) -> Path:
        return self.folder / record.output

    def is_current(self, output: str, key: str) -> bool:
        """Whether the edition written to *output* with inputs *key* needs no rebuild:
        recorded as built from the same inputs, and the file is still what was written."""
        record = self.records.get(output)
        if record is None or record.status != "ok" or record.key != key:
            return False
        return file_sha256(self.folder / output) == record.sha256

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

    def add(self, record: Record) -> None:
        """Record a finished edition, in memory and in the journal."""
        self.records[record.output] = record
        if self._journal is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._journal = _open_appending(self.journal)
        self._journal.write(json.dumps(asdict(record), ensure_ascii=False) + "\n")
        self._journal.flush()

    def save(self, order: list[str], engine: dict[str, str], extra: dict[str, Any]
             ) -> bool:
        """Write the records of *order* (this run's editions, in plan order); return
        whether the file changed. The journal is removed afterwards."""
        data = {"format": FORMAT, "engine": engine, **extra,
                "editions": [asdict(self.records[o]) for o in order if o in self.records]}
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
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
