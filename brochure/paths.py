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


def user_cache(kind: str) -> Path:
    """Where brochure keeps what it derives once and reuses between runs (font cuts,
    parsed hyphenation patterns, long dates): ``$BROCHURE_CACHE_DIR``, else the user cache
    folder."""
    import os

    base = os.environ.get("BROCHURE_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "brochure")
    return Path(base) / kind
