"""The text scale shrink-to-fit found for an edition, remembered for its personal copies.

A personal line (a name, a note) only adds to an edition, so the largest scale that fits
the personalised edition is never larger than the one found for the same edition without
it. `render.render_to_fit` tries that scale first for a personalised edition, then the
next smaller one: the first that fits is the answer the full search would give (which
keeps every candidate scale and, as any binary search, takes "fits" to hold for every
scale below one that fits), in one or two layouts instead of up to five (the counselor
page lays out a preview at every pause in typing). When neither fits, the full search
runs as before. Under a key without the clinic it also keeps the scale the same edition
needed with the latest clinic profile: a guess for an edition with another clinic, which
`render_to_fit` takes only once it fits and the next larger scale does not (in the
200-edition batch an English clinic edition is laid out twice instead of four times).
The memory is per process, holds no personal data (it is filled by editions without a
personal line only) and keeps the latest `SIZE` editions.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

SIZE = 256
_found: OrderedDict[str, float] = OrderedDict()
_lock = threading.Lock()


def edition_key(*parts: object) -> str:
    """A digest of what decides an edition's layout apart from its personal line (its
    content, layout, clinic, paper, print options and fonts: their values' reprs)."""
    text = repr(parts)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def remember(key: str, scale: float) -> None:
    with _lock:
        _found[key] = scale
        _found.move_to_end(key)
        while len(_found) > SIZE:
            _found.popitem(last=False)


def recall(key: str) -> float | None:
    """The scale found for the edition of *key* without a personal line, if built here."""
    with _lock:
        return _found.get(key)


def entries() -> dict[str, float]:
    """Everything remembered, newest last (for a process that builds for another: the
    keys are digests, with no personal data)."""
    with _lock:
        return dict(_found)


def learn(known: dict[str, float]) -> None:
    """Remember what another process found."""
    for key, scale in known.items():
        remember(key, scale)
