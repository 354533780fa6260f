"""Word → its hyphenation pieces, by Liang's algorithm over the patterns pyphen ships.

The syllable counts behind the readability scores come from hyphenation points. pyphen
finds them, but importing it and parsing a language's pattern file costs about 0.15 s on
every start: more than laying out a handout, for the few hundred words of one edition.
Here the patterns are parsed once (with pyphen itself, so they are the same) and kept in
the user cache folder as marshal data named by the pattern file's digest; later runs
read them back in a few milliseconds. The lookup is pyphen's own algorithm (its
``HyphDict.positions`` and ``Pyphen.inserted`` with the default two-letter minimums),
and a test holds the two to the same answers.
"""

from __future__ import annotations

import hashlib
import importlib.util
import marshal
from functools import cache, lru_cache
from pathlib import Path

from .. import paths
from ..errors import OutputError
from ..output import write_atomic

DICTIONARIES = {"en": "en_US", "es": "es"}
LEFT = RIGHT = 2  # pyphen's defaults: no piece shorter than two letters at either end
_FORMAT = 1  # bump when the cached data's shape changes


def dictionary(language: str) -> Path:
    """pyphen's pattern file for *language*, found without importing pyphen."""
    spec = importlib.util.find_spec("pyphen")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("pyphen is not installed")
    folder = Path(next(iter(spec.submodule_search_locations))) / "dictionaries"
    return folder / f"hyph_{DICTIONARIES[language]}.dic"


@cache
def patterns(language: str) -> tuple[dict[str, tuple[int, tuple[int, ...]]], int]:
    """The language's patterns (letters → first position and values) and the longest."""
    source = dictionary(language)
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:16]
    cached = paths.user_cache("hyphenation") / f"{source.stem}-{digest}-{_FORMAT}.marshal"
    try:
        table = marshal.loads(cached.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        table = _parse(source)
        try:
            write_atomic(cached, marshal.dumps(table))
        except (OSError, OutputError):
            pass  # a read-only cache folder only costs the parse next time
    return table, max(map(len, table))


def _parse(source: Path) -> dict[str, tuple[int, tuple[int, ...]]]:
    import pyphen

    parsed = pyphen.HyphDict(source).patterns
    table = {}
    for letters, (start, values) in parsed.items():
        if not all(type(v) is int for v in values):
            # Nonstandard hyphenation (e.g. "ck=k-k"), which these dictionaries lack.
            raise RuntimeError(f"{source.name}: nonstandard hyphenation is not supported")
        table[letters] = (start, tuple(values))
    return table


@lru_cache(maxsize=20000)
def points(word: str, language: str) -> tuple[int, ...]:
    """Where *word* may be hyphenated (indexes into the word), as pyphen finds them."""
    table, longest = patterns(language)
    dotted = f".{word.lower()}."
    scores = [0] * (len(dotted) + 1)
    for i in range(len(dotted) - 1):
        for j in range(i + 1, min(i + longest, len(dotted)) + 1):
            found = table.get(dotted[i:j])
            if found:
                start, values = found
                for k, value in enumerate(values, i + start):
                    if value > scores[k]:
                        scores[k] = value
    last = len(word) - RIGHT
    return tuple(i - 1 for i, score in enumerate(scores)
                 if score % 2 and LEFT <= i - 1 <= last)


def pieces(word: str, language: str) -> list[str]:
    """*word* cut at its hyphenation points."""
    cuts = (0, *points(word, language), len(word))
    return [word[a:b] for a, b in zip(cuts, cuts[1:], strict=False)]
