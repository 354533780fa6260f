"""A page's content and resources → a digest: two pages with the same digest draw the same.

In: a page's number, size, decoded content stream and resources dictionary (of a
`finish.pdfread.Document` or a `pypdf.PdfReader`). Out: a SHA-256 digest of all of them,
resources followed through every reference (fonts with their widths, ToUnicode maps and
font files, graphics states, images and forms with their data); None for a value of a
kind it does not know. The scan (`pdfscan.scan`) reads a page once per digest: editions
of one content differ in a page or two (a clinic's name, a patient's line), and the
others are byte for byte the pages already read.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

MAX_DEPTH = 16  # resources nest a few levels (form → resources → font → descriptor)


class _Unknown(Exception):  # noqa: N818 - a condition: no digest for this page
    pass


def page_key(number: int, size: tuple[float, float], data: bytes, resources: Any,
             digests: dict[tuple[int, int], bytes]) -> bytes | None:
    """The page's digest; *digests* keeps those of the document's objects (pass the
    same dict for the pages of one document: they share fonts)."""
    h = hashlib.sha256(repr((number, size, len(data))).encode())
    h.update(data)
    try:
        h.update(_digest(resources, 0, digests, ()))
    except _Unknown:
        return None
    return h.digest()


_REFERENCE = re.compile(rb"(\d+) (\d+) R")


def _raw_digest(ref: Any, depth: int, digests: dict[tuple[int, int], bytes],
                path: tuple[tuple[int, int], ...]) -> bytes | None:
    """The digest of an object read as its bytes (no parsing: a font's hundreds of
    widths cost a parse each), and of the objects it refers to; None when the bytes
    cannot be trusted to be the whole object — a stream (whose data may hold any
    bytes) or anything with a string in it — or the reader keeps no bytes."""
    raw = getattr(ref.pdf, "raw", None)
    data = raw(ref.idnum) if raw is not None else None
    if data is None or b"stream" in data or b"(" in data or b"<" in data.replace(b"<<", b""):
        return None
    h = hashlib.sha256(b"raw:" + data)
    for found in _REFERENCE.finditer(data[data.find(b"obj"):]):
        h.update(_digest(type(ref)(int(found[1]), int(found[2]), ref.pdf), depth + 1,
                         digests, path))
    return h.digest()


def _digest(value: Any, depth: int, digests: dict[tuple[int, int], bytes],
            path: tuple[tuple[int, int], ...]) -> bytes:
    if depth > MAX_DEPTH:
        raise _Unknown
    if hasattr(value, "idnum") and hasattr(value, "generation"):  # a reference
        ident = (value.idnum, value.generation)
        if ident in path:
            raise _Unknown  # a loop: not something a page's resources should hold
        if ident not in digests:
            digests[ident] = (_raw_digest(value, depth, digests, (*path, ident))
                              or _digest(value.get_object(), depth + 1, digests,
                                         (*path, ident)))
        return digests[ident]
    h = hashlib.sha256(type(value).__name__.encode() + b":")
    if isinstance(value, dict):
        for name in sorted(value):
            h.update(str(name).encode("utf-8", "surrogatepass") + b"=")
            h.update(_digest(value[name], depth + 1, digests, path))
        if hasattr(value, "get_data"):  # a stream: its data as stored
            raw = getattr(value, "_data", None)
            if not isinstance(raw, bytes):
                raise _Unknown
            h.update(b"stream%d:" % len(raw) + raw)
    elif isinstance(value, list):
        for item in value:
            h.update(_digest(item, depth + 1, digests, path))
    elif isinstance(value, bytes):
        h.update(b"%d:" % len(value) + value)
    elif isinstance(value, str | int | float | bool) or value is None or type(
            value).__name__ in ("NullObject", "BooleanObject"):
        text = repr(value).encode("utf-8", "surrogatepass")
        h.update(b"%d:" % len(text) + text)
    else:
        raise _Unknown
    return h.digest()
