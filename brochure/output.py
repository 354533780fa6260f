"""Atomic writes: a PDF appears at its path complete, or not at all.

The bytes go to a temporary file in the target's own folder (so the final rename stays
on one filesystem), are flushed to disk, then `os.replace` moves them into place. On any
failure, or an interrupt, the temporary file is removed. Neither step follows a link:
the temporary file is created new (``O_EXCL``), and the rename replaces a symbolic link
at *path* rather than writing to its target.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import OutputError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes) -> Path:
    """Write *data* to *path* atomically and return *path*."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write here ({exc.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            # mkstemp makes the file private (0600); a handout is an ordinary file.
            os.fchmod(handle.fileno(), 0o666 & ~_umask())
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(f"{path}: cannot write here ({exc.strerror})") from None
        raise
    return path
