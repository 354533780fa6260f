"""A PDF font → the characters its glyph codes stand for, as pypdf's text extraction reads
them, so the scan can collect the text layer in the same pass as the drawing.

In: a font dictionary. Out: a `Decoder` that turns the bytes of a text show into text,
or None where this module cannot tell the characters the way pypdf would; the checks
then take that page's text from pypdf instead.

- A /ToUnicode CMap (``bfchar`` and ``bfrange``, 1- and 2-byte codes) gives the
  characters of the codes it maps. A simple font (one byte a code) showing a code its
  CMap leaves out has no decoder: pypdf would go to the font's encoding for it.
- A Type0 font with the Identity-H or Identity-V encoding has 2-byte codes; a code its
  CMap leaves out (or every code, without a CMap) reads as the character of that number.
- A simple font without a CMap is read by its /WinAnsiEncoding or /MacRomanEncoding; any
  other encoding (/Differences, a Type1 font's built-in encoding) has no decoder.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from itertools import repeat

IDENTITY_ENCODINGS = ("/Identity-H", "/Identity-V")
SIMPLE_FONTS = ("/TrueType", "/Type1", "/MMType1")
NAMED_ENCODINGS = {"/WinAnsiEncoding": "cp1252", "/MacRomanEncoding": "mac_roman"}
MAX_CMAP_ENTRIES = 100_000  # pypdf's limit; real CMaps map at most 65,536 codes

_BLOCK = re.compile(rb"begin(bfchar|bfrange)(.*?)end\1", re.DOTALL)
_CMAP_TOKEN = re.compile(rb"<([^<>]*)>|([\[\]])")


@dataclass(frozen=True)
class Decoder:
    """Bytes of a text show → text."""

    two_byte: bool
    table: dict[int, str]  # code → its characters (for str.translate); others read as-is
    known: frozenset[str] | None  # codes (as characters) with known text; None: every code

    def decode(self, data: bytes) -> str | None:
        """The text of *data*; None if it shows a code whose characters are not known."""
        if self.two_byte:
            try:
                raw = data.decode("utf-16-be", "surrogatepass")
            except UnicodeDecodeError:  # an odd byte at the end: pypdf reads it as U+FFFD
                raw = data.decode("utf-16-be", "replace")
        else:
            raw = data.decode("latin-1")
        if self.known is not None and not self.known.issuperset(raw):
            return None
        return raw.translate(self.table)

    def codes_for(self, text: str) -> list[int]:
        """The codes whose text is *text* (to find the space glyph)."""
        return [code for code, chars in self.table.items() if chars == text]


def _get(font: dict, key: str) -> object:
    value = font.get(key)
    return value.get_object() if hasattr(value, "get_object") else value


def decoder(font: object) -> Decoder | None:
    """How to read the text shown in *font*; None when pypdf must read it."""
    if not isinstance(font, dict):
        return None
    subtype = _get(font, "/Subtype")
    to_unicode = _get(font, "/ToUnicode")
    cmap: dict[int, str] | None = {}
    if to_unicode is not None:
        cmap = _cmap(to_unicode)
    if cmap is None:
        return None
    if subtype == "/Type0":
        if _get(font, "/Encoding") not in IDENTITY_ENCODINGS:
            return None
        return Decoder(True, cmap, None)
    if subtype not in SIMPLE_FONTS:
        return None  # Type3: glyph procedures, read by pypdf
    if to_unicode is not None:
        return Decoder(False, cmap, frozenset(map(chr, cmap)))
    return _named_encoding(font)


def _cmap(stream: object) -> dict[int, str] | None:
    if not (isinstance(stream, dict) and hasattr(stream, "get_data")):
        return None  # a CMap name (/Identity-H): pypdf reads that its own way
    try:
        data = stream.get_data()
    except Exception:  # noqa: BLE001 - a stream pypdf cannot decode: pypdf reads the page
        return None
    return parse_to_unicode(data)


def _named_encoding(font: dict) -> Decoder | None:
    """A simple font without a CMap, read by its named encoding (as pypdf does: a code
    the encoding leaves undefined reads as the character of that number)."""
    codec = NAMED_ENCODINGS.get(str(_get(font, "/Encoding")))
    descriptor = _get(font, "/FontDescriptor")
    embedded = isinstance(descriptor, dict) and any(
        key in descriptor for key in ("/FontFile", "/FontFile3"))
    if codec is None or (_get(font, "/Subtype") != "/TrueType" and embedded):
        return None  # pypdf reads an embedded Type1 font's own encoding
    return Decoder(False, _encoding_table(codec), None)


@functools.cache
def _encoding_table(codec: str) -> dict[int, str]:
    """The codes a named encoding reads as another character than their number."""
    table = {}
    for code in range(256):
        try:
            char = bytes((code,)).decode(codec)
        except UnicodeDecodeError:
            continue
        if char != chr(code):
            table[code] = char
    return table


def parse_to_unicode(data: bytes) -> dict[int, str] | None:
    """The code → characters map of a /ToUnicode CMap; None if it is malformed."""
    out: dict[int, str] = {}
    try:
        for kind, body in _BLOCK.findall(data):
            tokens = _cmap_tokens(body)
            if kind == b"bfchar":
                _bfchar(tokens, out)
            else:
                _bfrange(tokens, out)
            if len(out) > MAX_CMAP_ENTRIES:
                return None
    except ValueError:  # odd or non-hex digits, a range without its destination
        return None
    return out


def _cmap_tokens(body: bytes) -> list[bytes]:
    """Hex strings (their digits) and array brackets (``[``, ``]``)."""
    return [bracket or digits.translate(None, b" \t\r\n\x0c\x00")
            for digits, bracket in _CMAP_TOKEN.findall(body)]


def _bfchar(tokens: list[bytes], out: dict[int, str]) -> None:
    if len(tokens) % 2:
        raise ValueError("bfchar entries come in pairs")
    sources, targets = tokens[::2], tokens[1::2]
    codes = list(map(int, sources, repeat(16)))
    if all(len(t) == 4 for t in targets):  # the usual: one UTF-16 unit each, decoded at once
        units = bytes.fromhex(b"".join(targets).decode("ascii")).decode(
            "utf-16-be", "surrogatepass")
        if len(units) == len(codes):  # (a surrogate pair would decode as one character)
            out.update(zip(codes, units, strict=True))
            return
    out.update(zip(codes, map(_chars, targets), strict=True))


def _bfrange(tokens: list[bytes], out: dict[int, str]) -> None:
    i = 0
    while i < len(tokens):
        low, high, target = tokens[i:i + 3]
        first, last = int(low, 16), int(high, 16)  # a bracket here: ValueError
        if last - first > MAX_CMAP_ENTRIES:
            raise ValueError("bfrange too large")
        if target == b"[":  # one destination per code
            close = tokens.index(b"]", i + 3)
            for offset, each in enumerate(tokens[i + 3:close]):
                out[first + offset] = _chars(each)
            i = close + 1
            continue
        # One destination, incremented for each code (as a whole number, like pypdf).
        start, digits = int(target, 16), max(4, len(target))
        for offset in range(last - first + 1):
            out[first + offset] = _chars(b"%0*X" % (digits, start + offset))
        i += 3


def _chars(hex_digits: bytes) -> str:
    """A destination's characters: UTF-16BE, or one byte as Latin-1 (as pypdf reads a
    destination shorter than four digits)."""
    raw = bytes.fromhex(hex_digits.decode("ascii"))
    if len(hex_digits) < 4:
        return raw.decode("latin-1")
    return raw.decode("utf-16-be", "surrogatepass")
