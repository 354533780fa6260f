"""Where brochure's built-in layouts and sample content live.

An installed wheel carries them in ``brochure/_builtin/``; a source checkout (editable
install, tests) has them at the top of the repository.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def builtin(kind: str) -> Path:
    """The built-in folder of *kind* ("layouts" or "content")."""
    packaged = _PACKAGE / "_builtin" / kind
    if packaged.is_dir():
        return packaged
    return _PACKAGE.parent / kind
