"""Content-stream bytes → operations: ``(operands, operator)`` pairs, as pypdf gives them.

In: the decoded bytes of a page's or a Form XObject's content stream. Out: a list of
``(operands, operator)`` with numbers as ``float`` (integers too), names as ``str``
(``"/F1"``), strings (literal and hex) as ``bytes``, arrays as lists, dictionaries as
dicts and ``true``/``false``/``null`` as ``True``/``False``/``None``; an inline image
is one ``([{"settings": ..., "data": ...}], b"INLINE IMAGE")``.

One compiled pattern splits a stream into tokens in a single C-level pass; pypdf's own
parser reads a stream byte by byte in Python and costs more than everything else the
checks do. Streams the single pass cannot split safely — inline images (binary data),
literal strings nested deeper than the pattern follows, stray delimiters — are read
token by token instead, with the same results.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

Operation = tuple[list[Any], bytes]

_WS = b"\x00\t\n\x0c\r "
_REGULAR = rb"[^\x00\t\n\x0c\r ()<>\[\]{}/%]"
# A literal string with balanced parentheses nested up to three deep (deeper: see
# `_string_end`). Alternatives start on different bytes and runs are possessive, so
# matching never backtracks.
_NESTED = rb"(?:[^()\\]++|\\.)*+"
for _ in range(3):
    _NESTED = rb"(?:[^()\\]++|\\.|\(" + _NESTED + rb"\))*+"
_NUMBER = rb"[+-]?+(?:\d++\.?+\d*+|\.\d++)(?!" + _REGULAR + rb")"
_TOKEN = re.compile(
    rb"(?:" + _NUMBER + rb"[\x00\t\n\x0c\r ]*+)++"  # numbers in a row: one token
    + rb"|" + _REGULAR + rb"++"  # operator, keyword (or a malformed number)
    + rb"|/" + _REGULAR + rb"*+"  # name
    + rb"|\(" + _NESTED + rb"\)"  # literal string
    + rb"|<<|>>|<[0-9A-Fa-f\x00\t\n\x0c\r ]*+>|\[|\]"
    + rb"|%[^\r\n]*+"  # comment
    + rb"|[^\x00\t\n\x0c\r ]",  # anything else: a delimiter out of place
    re.DOTALL)
_STRAY = frozenset((b"(", b")", b"<", b">", b"{", b"}"))
_INLINE_IMAGE = re.compile(rb"(?:^|[\x00\t\n\x0c\r ])BI(?=[\x00\t\n\x0c\r ]|$)")
_NUMBER_START = frozenset(b"+-.0123456789")
_KEYWORDS: dict[bytes, Any] = {b"true": True, b"false": False, b"null": None}
# An escape, or an end-of-line marker that is not escaped (read as LF).
_ESCAPE = re.compile(rb"\\(?:([0-7]{1,3})|(\r\n|\r|\n)|(.))|(\r\n?)", re.DOTALL)
# Escapes Python's own escape codec reads as PDF does (octal up to \377, \n \r \t \b \f \\);
# a string with any other (or a bare CR, read as LF) goes through `_ESCAPE`.
_OTHER_ESCAPE = re.compile(rb"\\(?:[^0-7nrtbf\\]|[4-7][0-7]{2}|\Z)|\r", re.DOTALL)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_EI = re.compile(rb"[\x00\t\n\x0c\r ]EI(?=[\x00\t\n\x0c\r ]|$)")


def operations(data: bytes, known: dict[bytes, Any] | None = None) -> list[Operation]:
    """The operations of a content stream, in order. *known* keeps the tokens read so far
    (pass the same dict for the streams of one document: its pages repeat them)."""
    tokens = _TOKEN.findall(data)
    if _STRAY.isdisjoint(tokens) and not (b"BI" in data and _INLINE_IMAGE.search(data)):
        return _build(tokens, known)
    images: list[dict[str, Any]] = []
    return _build(list(_careful_tokens(data, images)), known, images)


_NEW = object()
_OPERATOR = object()  # `_build`'s cache holds these for operators and delimiters
_OPEN_ARRAY, _OPEN_DICT, _CLOSE, _COMMENT = object(), object(), object(), object()
_DELIMITERS = {b"[": _OPEN_ARRAY, b"<<": _OPEN_DICT, b"]": _CLOSE, b">>": _CLOSE}


def _build(tokens: list[bytes], known: dict[bytes, Any] | None = None,
           images: list[dict[str, Any]] | None = None) -> list[Operation]:
    """Group tokens into operations; *images* hold the inline images, in order, that
    `_careful_tokens` marked with an ``INLINE IMAGE`` token."""
    out: list[Operation] = []
    operands: list[Any] = []
    nesting: list[tuple[list[Any], bool]] = []  # enclosing arrays/dicts: (items, is_dict)
    # Numbers, names, strings and operators repeat: read each once. Values are immutable;
    # a run of numbers is a tuple.
    if known is None:
        known = {}
    if b"[" not in known:
        known.update(_DELIMITERS)
    for token in tokens:
        value = known.get(token, _NEW)
        if value is _NEW:
            value = known[token] = _read(token)
        if value is _OPERATOR:
            if nesting:  # an operator inside an array is malformed: keep it as a value
                operands.append(token)
            elif token == b"INLINE IMAGE" and images:
                out.append(([images.pop(0)], token))
                operands = []
            else:
                out.append((operands, token))
                operands = []
        elif value.__class__ is tuple:
            operands.extend(value)
        elif value is _OPEN_ARRAY or value is _OPEN_DICT:
            nesting.append((operands, value is _OPEN_DICT))
            operands = []
        elif value is _CLOSE:
            if nesting:
                items = operands
                operands, is_dict = nesting.pop()
                operands.append(_dict(items) if is_dict else items)
        elif value is not _COMMENT:
            operands.append(value)
    return out


def _read(token: bytes) -> Any:
    """The value of a token first seen (numbers as a tuple), or a marker."""
    first = token[0]
    if first in _NUMBER_START:
        return _numbers(token)
    if first == 47:  # /
        return _name(token)
    if first == 40:  # (
        return _literal(token[1:-1])
    if first == 60:  # <
        return _hex(token[1:-1])
    if first == 37:  # %
        return _COMMENT
    if token in _KEYWORDS:
        return _KEYWORDS[token]
    return _OPERATOR


def _numbers(token: bytes) -> tuple[float, ...]:
    """A run of numbers (numbers are all floats, as arithmetic on them needs)."""
    try:
        return tuple(map(float, token.split()))
    except ValueError:  # malformed ("--1", "1.2.3"): readers take it as zero
        return (0.0,)


def _careful_tokens(data: bytes, images: list[dict[str, Any]]) -> Iterator[bytes]:
    """Tokens one at a time, reading deeply nested strings and inline image data: each
    image goes to *images* and is marked by an ``INLINE IMAGE`` token."""
    pos, end = 0, len(data)
    match = _TOKEN.match
    pending: list[bytes] | None = None  # tokens since BI: the image's settings
    while pos < end:
        if data[pos] in _WS:
            pos += 1
            continue
        m = match(data, pos)
        assert m is not None  # the last alternative takes any non-space byte
        token, pos = m.group(), m.end()
        if token == b"(":  # nested deeper than the pattern follows, or unclosed
            close = _string_end(data, pos)
            token, pos = b"(" + data[pos:close] + b")", close + 1
        elif token in _STRAY:
            continue
        if pending is None:
            if token == b"BI":
                pending = []
            else:
                yield token
        elif token == b"ID":
            image, pos = _inline_image(data, pos, pending)
            images.append(image)
            yield b"INLINE IMAGE"
            pending = None
        else:
            pending.append(token)


def _string_end(data: bytes, pos: int) -> int:
    """Index of the parenthesis closing a literal string whose body starts at *pos*."""
    depth = 1
    while pos < len(data):
        byte = data[pos]
        if byte == 92:  # backslash: the next byte is escaped
            pos += 2
            continue
        if byte == 40:
            depth += 1
        elif byte == 41:
            depth -= 1
            if depth == 0:
                return pos
        pos += 1
    return len(data)  # unclosed: the string runs to the end


def _inline_image(data: bytes, pos: int, settings_tokens: list[bytes]
                  ) -> tuple[dict[str, Any], int]:
    """The inline image whose data starts after the ``ID`` ending at *pos* (as pypdf
    gives it: settings and data), and where reading resumes after its ``EI``."""
    ops = _build([*settings_tokens, b"ID"])  # the settings as the operands of "ID"
    settings = _dict(ops[-1][0]) if ops else {}  # (an unclosed array swallows "ID")
    start = pos + 1 if pos < len(data) and data[pos] in _WS else pos
    end, ei = _image_end(data, start, settings)
    return {"settings": settings, "data": data[start:end]}, min(ei + 2, len(data))


def _image_end(data: bytes, start: int, settings: dict[str, Any]) -> tuple[int, int]:
    """Where an inline image's data ends and its ``EI`` is: after its stated or computed
    length when an ``EI`` follows there, else at the first ``EI`` followed by text rather
    than binary data (or the end of the stream)."""
    length = _whole(settings.get("/L", settings.get("/Length")))
    if length is None:
        length = _unfiltered_length(settings)
    if length is not None:
        at = start + length
        while at < len(data) and data[at] in _WS:
            at += 1
        if data[at:at + 2] == b"EI" and (at + 2 == len(data) or data[at + 2] in _WS):
            return start + length, at
    first = None
    for m in _EI.finditer(data, start):
        at = m.start() + 1
        first = at if first is None else first
        if all(32 <= b < 127 or b in _WS for b in data[at + 2:at + 34]):
            return m.start(), at
    return (first - 1, first) if first is not None else (len(data), len(data))


def _unfiltered_length(settings: dict[str, Any]) -> int | None:
    """Bytes of an inline image without a filter: rows × bytes per row."""
    if settings.get("/F", settings.get("/Filter")):
        return None
    width = _whole(settings.get("/W", settings.get("/Width")))
    height = _whole(settings.get("/H", settings.get("/Height")))
    if settings.get("/IM", settings.get("/ImageMask")):
        bits, components = 1, 1
    else:
        bits = _whole(settings.get("/BPC", settings.get("/BitsPerComponent", 8.0)))
        space = settings.get("/CS", settings.get("/ColorSpace", "/G"))
        components = {"/G": 1, "/DeviceGray": 1, "/RGB": 3, "/DeviceRGB": 3, "/CMYK": 4,
                      "/DeviceCMYK": 4}.get(space, 1) if isinstance(space, str) else 1
    if width is None or height is None or bits is None:
        return None
    return (width * components * bits + 7) // 8 * height


def _whole(value: object) -> int | None:
    """A count from an operand (numbers are floats); None if it is not one."""
    if isinstance(value, float) and value.is_integer() and value >= 0:
        return int(value)
    return None


def _dict(items: list[Any]) -> dict[Any, Any]:
    """Alternating keys and values; a key that is not a name (malformed) is dropped."""
    if all(key.__class__ is str for key in items[::2]):  # the usual: built in C
        return dict(zip(items[::2], items[1::2], strict=False))
    return {k: v for k, v in zip(items[::2], items[1::2], strict=False) if isinstance(k, str)}


def _name(token: bytes) -> str:
    if b"#" in token:
        token = _NAME_ESCAPE.sub(lambda m: bytes((int(m.group(1), 16),)), token)
    try:
        return token.decode("utf-8")
    except UnicodeDecodeError:
        return token.decode("latin-1")


def _literal(body: bytes) -> bytes:
    """A literal string's bytes: escapes resolved, end-of-line markers read as LF."""
    if b"\\" not in body and b"\r" not in body:
        return body
    if _OTHER_ESCAPE.search(body) is None:  # one pass in C (glyph codes are often octal)
        return body.decode("unicode_escape").encode("latin-1")
    return _ESCAPE.sub(_unescape, body)


def _unescape(m: re.Match[bytes]) -> bytes:
    octal, newline, char, bare_eol = m.groups()
    if bare_eol:
        return b"\n"
    if octal:
        return bytes((int(octal, 8) & 0xFF,))
    if newline:
        return b""  # a backslash at the end of a line continues the string
    return _ESCAPES.get(char, char)


def _hex(body: bytes) -> bytes:
    digits = body.translate(None, _WS)
    if len(digits) % 2:
        digits += b"0"
    return bytes.fromhex(digits.decode("ascii"))
