"""Atomic writes: a complete file or none, and no temporary files left behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from brochure.output import write_atomic


def test_writes_complete_file(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b.pdf"
    write_atomic(target, b"%PDF-1.4 data")
    assert target.read_bytes() == b"%PDF-1.4 data"
    assert [p.name for p in target.parent.iterdir()] == ["b.pdf"]


def test_interrupted_write_leaves_old_file_and_no_temp(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "b.pdf"
    target.write_bytes(b"old")

    def boom(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    monkeypatch.setattr("os.replace", boom)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["b.pdf"]


def test_written_file_is_readable_by_others_like_any_file(tmp_path: Path) -> None:
    import os

    target = write_atomic(tmp_path / "c.pdf", b"%PDF")
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask
