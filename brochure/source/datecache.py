"""Long dates in each language, kept between runs so a build need not load Babel's CLDR data.

Formatting one date with Babel loads and merges the language's CLDR locale data (about
60 ms on every start, more than rendering a handout) for the two or three dates an
edition prints. The dates written are kept in the user cache folder, one small JSON file
per language, named by the identity of the Babel data they came from (paths, sizes and
modification times of Babel's package and the locale files), so upgrading Babel starts
afresh. A miss is formatted by Babel and added; an unreadable or read-only cache only
costs the formatting.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from collections.abc import Callable
from functools import cache
from pathlib import Path

from .. import paths
from ..errors import OutputError
from ..output import write_atomic

_FORMAT = 1  # bump when what is kept changes


@cache
def _babel_identity(language: str) -> str | None:
    """A digest naming the Babel data *language*'s dates come from; None without Babel."""
    spec = importlib.util.find_spec("babel")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations)))
    parts = [str(folder), str(_FORMAT)]
    primary = language.split("-")[0]
    for file in (folder / "__init__.py", folder / "locale-data" / "root.dat",
                 folder / "locale-data" / f"{language.replace('-', '_')}.dat",
                 folder / "locale-data" / f"{primary}.dat"):
        try:
            stat = file.stat()
            parts.append(f"{file.name}:{stat.st_size}:{stat.st_mtime_ns}")
        except OSError:
            parts.append(f"{file.name}:-")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


_kept: dict[str, dict[str, str]] = {}


def _file(language: str, identity: str) -> Path:
    return paths.user_cache("dates") / f"{language}-{identity}.json"


def kept_date(iso: str, language: str, make: Callable[[], str]) -> str:
    """The long date of day *iso* in *language*: from the cache, else ``make()`` (Babel),
    which is then kept."""
    identity = _babel_identity(language)
    if identity is None:
        return make()
    table = _kept.get(language)
    if table is None:
        try:
            table = json.loads(_file(language, identity).read_text(encoding="utf-8"))
            if not isinstance(table, dict):
                table = {}
        except (OSError, ValueError):
            table = {}
        _kept[language] = table
    found = table.get(iso)
    if isinstance(found, str):
        return found
    table[iso] = text = make()
    try:
        kept = dict(table)  # a copy: another thread may be adding a date
        write_atomic(_file(language, identity),
                     json.dumps(kept, ensure_ascii=False, sort_keys=True).encode("utf-8"))
    except (OSError, OutputError):
        pass  # a read-only cache folder only costs the formatting next time
    return text
