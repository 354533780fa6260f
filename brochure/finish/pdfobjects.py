"""A PDF brochure rendered → its objects, read and written back as pypdf would, without pypdf.

In: the bytes ReportLab wrote for an edition (and the finished file: the same plus an
incremental update). Out: a `Document` whose objects are the pypdf-like classes below —
dictionaries, arrays, names, numbers, strings, streams and references — each written
back (``write_to_stream``) byte for byte as pypdf writes the object it would have read.

Why: importing pypdf costs about as much as rendering a handout (it brings fontTools and
Pillow with it), and finishing and the on-build checks only need to read a few dozen
objects of a file whose shape brochure knows. Anything outside that shape — a
cross-reference stream, an encrypted file, a name with ``#`` escapes, a string whose
encoding pypdf would guess — raises `Unsupported`, so callers can hand the file to pypdf
instead of guessing.
"""

from __future__ import annotations

import binascii
import codecs
import re
import zlib
from collections.abc import Sequence
from math import log10
from typing import Any


class Unsupported(ValueError):
    """The file (or an object) is not of the shape this module reads exactly."""


# -- objects -------------------------------------------------------------------------------

class PdfObject:
    """What every object offers: itself as the object it stands for."""

    def get_object(self) -> Any:
        return self

    def write_to_stream(self, stream: Any) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


class NullObject(PdfObject):
    def write_to_stream(self, stream: Any) -> None:
        stream.write(b"null")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NullObject) or other is None

    def __hash__(self) -> int:
        return hash(None)

    def __bool__(self) -> bool:
        return False


class BooleanObject(PdfObject):
    def __init__(self, value: bool) -> None:
        self.value = bool(value)

    def write_to_stream(self, stream: Any) -> None:
        stream.write(b"true" if self.value else b"false")

    def __bool__(self) -> bool:
        return self.value

    def __eq__(self, other: object) -> bool:
        if isinstance(other, BooleanObject):
            return self.value == other.value
        return isinstance(other, bool) and self.value == other

    def __hash__(self) -> int:
        return hash(self.value)


class NumberObject(int, PdfObject):
    def write_to_stream(self, stream: Any) -> None:
        stream.write(int.__repr__(self).encode())


class FloatObject(float, PdfObject):
    def myrepr(self) -> str:
        """pypdf's way of writing a real number: eight significant digits, trailing zeros
        dropped, zero as ``0.0``."""
        if self == 0:
            return "0.0"
        digits = 8 - int(log10(abs(self)))
        return f"{self:.{max(1, digits)}f}".rstrip("0").rstrip(".")

    def write_to_stream(self, stream: Any) -> None:
        stream.write(self.myrepr().encode())


_NAME_TABLE = {**{chr(i): f"#{i:02X}" for i in b"#()<>[]{}/%"},
               **{chr(i): f"#{i:02X}" for i in range(33)}}
_PLAIN_NAME = re.compile(r"/[!-~]*")


class NameObject(str, PdfObject):
    """A name, with its slash (``"/Type"``)."""

    def write_to_stream(self, stream: Any) -> None:
        stream.write(name_bytes(self))


def name_bytes(name: str) -> bytes:
    """A name as pypdf writes it: delimiters, spaces, controls and ``#`` as ``#XX``, other
    characters past ``~`` as the ``#XX`` of their UTF-8 bytes."""
    if not name.startswith("/"):
        raise ValueError(f"a name starts with '/': {name!r}")
    if _PLAIN_NAME.fullmatch(name) and not any(c in _NAME_TABLE for c in name[1:]):
        return name.encode("ascii")
    parts = ["/"]
    for char in name[1:]:
        if char > "~":
            parts.extend(f"#{b:02X}" for b in char.encode("utf-8"))
        else:
            parts.append(_NAME_TABLE.get(char, char))
    return "".join(parts).encode("ascii")


# PDFDocEncoding (ISO 32000-1 Annex D): Latin-1 but for these codes; None: undefined.
_PDFDOC_CHANGES: dict[int, str | None] = {
    0x16: None, 0x18: "˘", 0x19: "ˇ", 0x1A: "ˆ", 0x1B: "˙", 0x1C: "˝", 0x1D: "˛", 0x1E: "˚",
    0x1F: "˜", 0x7F: None, 0x80: "•", 0x81: "†", 0x82: "‡", 0x83: "…", 0x84: "—", 0x85: "–",
    0x86: "ƒ", 0x87: "⁄", 0x88: "‹", 0x89: "›", 0x8A: "−", 0x8B: "‰", 0x8C: "„", 0x8D: "“",
    0x8E: "”", 0x8F: "‘", 0x90: "’", 0x91: "‚", 0x92: "™", 0x93: "ﬁ", 0x94: "ﬂ", 0x95: "Ł",
    0x96: "Œ", 0x97: "Š", 0x98: "Ÿ", 0x99: "Ž", 0x9A: "ı", 0x9B: "ł", 0x9C: "œ", 0x9D: "š",
    0x9E: "ž", 0x9F: None, 0xA0: "€", 0xAD: None,
}
_PDFDOC = [_PDFDOC_CHANGES.get(code, chr(code)) if code in _PDFDOC_CHANGES else chr(code)
           for code in range(256)]
_PDFDOC_ENCODE = {char: code for code, char in enumerate(_PDFDOC) if char is not None}
_PDFDOC_DECODE = {code: char for code, char in enumerate(_PDFDOC)
                  if char is not None and char != chr(code)}
_LITERAL_PLAIN = re.compile(rb"[A-Za-z0-9 ]*")


def pdfdoc_encode(text: str) -> bytes:
    """*text* in PDFDocEncoding; UnicodeEncodeError if a character is not in it."""
    try:
        return bytes(_PDFDOC_ENCODE[char] for char in text)
    except KeyError:
        raise UnicodeEncodeError("pdfdocencoding", text, 0, 1, "not in PDFDocEncoding"
                                 ) from None


def literal_bytes(data: bytes) -> bytes:
    """A string's bytes as pypdf writes a text string: letters, digits and spaces as they
    are, every other byte as a three-digit octal escape."""
    if _LITERAL_PLAIN.fullmatch(data):
        return b"(" + data + b")"
    return b"(" + b"".join(bytes((c,)) if (c == 32 or chr(c).isalnum() and c < 128)
                           else b"\\%03o" % c for c in data) + b")"


class TextStringObject(str, PdfObject):
    """A text string; written in PDFDocEncoding when it fits, else UTF-16BE with its byte
    order mark; a string read from a file is written back as the bytes it was read from."""

    original: bytes | None = None

    def encoded(self) -> bytes:
        if self.original is not None:
            return self.original
        try:
            return pdfdoc_encode(self)
        except UnicodeEncodeError:
            return codecs.BOM_UTF16_BE + self.encode("utf-16be")

    def write_to_stream(self, stream: Any) -> None:
        stream.write(literal_bytes(self.encoded()))


class ByteStringObject(bytes, PdfObject):
    """A string that is not text in any of PDF's encodings (written in hex)."""

    def write_to_stream(self, stream: Any) -> None:
        stream.write(b"<" + binascii.hexlify(self) + b">")


def create_string_object(value: str | bytes) -> TextStringObject | ByteStringObject:
    """A string object for text given by us, or for bytes read from a file: what pypdf's
    function of that name gives for them (its guesses included: a byte order mark, or a
    zero first or second byte, means UTF-16; else PDFDocEncoding; else bytes)."""
    if isinstance(value, str):
        return TextStringObject(value)
    try:
        decoded: str | None = None
        if value.startswith(codecs.BOM_UTF8):
            try:
                decoded = value[len(codecs.BOM_UTF8):].decode("utf-8")
            except UnicodeDecodeError:
                decoded = None
        elif value.startswith((codecs.BOM_UTF16_BE, codecs.BOM_UTF16_LE)):
            decoded = value.decode("utf-16")
        elif value.startswith(b"\x00"):
            decoded = value.decode("utf-16be")
        elif value[1:2] == b"\x00":
            decoded = value.decode("utf-16le")
        if decoded is None:
            decoded = value.decode("latin-1").translate(_PDFDOC_DECODE)
            if any(_PDFDOC[b] is None for b in set(value)) or "\x00" in decoded:
                raise UnicodeDecodeError("pdfdocencoding", value, 0, 1, "undefined")
    except UnicodeDecodeError:
        return ByteStringObject(value)
    text = TextStringObject(decoded)
    text.original = value
    return text


class ArrayObject(list, PdfObject):
    def write_to_stream(self, stream: Any) -> None:
        stream.write(b"[")
        for item in self:
            stream.write(b" ")
            item.write_to_stream(stream)
        stream.write(b" ]")


class RectangleObject(ArrayObject):
    """A page box; numbers that are not yet PDF numbers become reals, as in pypdf."""

    def __init__(self, values: Sequence[Any]) -> None:
        if len(values) != 4:
            raise ValueError(f"a rectangle has four numbers, not {len(values)}")
        super().__init__(v if isinstance(v, NumberObject | FloatObject) else FloatObject(v)
                         for v in values)

    @property
    def width(self) -> float:
        return float(self[2]) - float(self[0])

    @property
    def height(self) -> float:
        return float(self[3]) - float(self[1])


class DictionaryObject(dict, PdfObject):
    def write_to_stream(self, stream: Any) -> None:
        stream.write(b"<<\n")
        for key, value in self.items():
            if len(key) > 2 and key[1] == "%" and key[-1] == "%":
                continue  # (pypdf leaves such keys out)
            stream.write(name_bytes(key))
            stream.write(b" ")
            value.write_to_stream(stream)
            stream.write(b"\n")
        stream.write(b">>")


try:  # ReportLab's C accelerator (a dependency), for ASCII85
    from _rl_accel import asciiBase85Decode as _a85decode
except ImportError:  # pragma: no cover
    import base64

    def _a85decode(data: bytes) -> bytes:  # type: ignore[misc]
        return base64.a85decode(data.strip(), adobe=True)


class StreamObject(DictionaryObject):
    """A stream: its dictionary and its (encoded) data."""

    _data: bytes = b""

    def get_data(self) -> bytes:
        """The decoded data (Flate and ASCII85, the filters brochure writes)."""
        filters = self.get("/Filter")
        names = [] if filters is None else [filters] if isinstance(filters, str) else filters
        if self.get("/DecodeParms") not in (None, NullObject()):
            raise Unsupported("a stream with decode parameters")
        data = self._data
        for name in names:
            if name == "/FlateDecode":
                data = zlib.decompress(data)
            elif name == "/ASCII85Decode":
                data = _a85decode(data)
            else:
                raise Unsupported(f"a stream encoded with {name}")
        return data

    def set_data(self, data: bytes) -> None:
        """New data: compressed again when the stream is Flate-encoded (as pypdf does)."""
        filters = self.get("/Filter")
        if filters is None:
            self._data = data
        elif filters in ("/FlateDecode", ["/FlateDecode"]):
            self._data = zlib.compress(data, -1)
        else:
            raise Unsupported(f"new data for a stream encoded with {filters}")

    def flate_encode(self, level: int = -1) -> StreamObject:
        """A copy of this (unencoded) stream, Flate-compressed."""
        if "/Filter" in self:
            raise Unsupported("compressing an encoded stream again")
        out = StreamObject(self)
        out[NameObject("/Filter")] = NameObject("/FlateDecode")
        out._data = zlib.compress(self._data, level)
        return out

    def write_to_stream(self, stream: Any) -> None:
        self[NameObject("/Length")] = NumberObject(len(self._data))
        DictionaryObject.write_to_stream(self, stream)
        del self["/Length"]
        stream.write(b"\nstream\n")
        stream.write(self._data)
        stream.write(b"\nendstream")


class IndirectObject(PdfObject):
    """A reference to object *idnum* of *pdf* (a `Document` or an update being written)."""

    __slots__ = ("idnum", "generation", "pdf")

    def __init__(self, idnum: int, generation: int, pdf: Any) -> None:
        self.idnum, self.generation, self.pdf = idnum, generation, pdf

    def get_object(self) -> Any:
        return self.pdf.get_object(self)

    def write_to_stream(self, stream: Any) -> None:
        stream.write(f"{self.idnum} {self.generation} R".encode())

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, IndirectObject) and other.idnum == self.idnum
                and other.generation == self.generation and other.pdf is self.pdf)

    def __hash__(self) -> int:
        return hash((self.idnum, self.generation))

    def __repr__(self) -> str:
        return f"IndirectObject({self.idnum}, {self.generation})"

    # As pypdf's references do: what is asked of the reference is asked of its object.
    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in IndirectObject.__slots__:
            raise AttributeError(name)  # (a copy being made: its own slots are not set yet)
        return getattr(self.get_object(), name)

    def __getitem__(self, key: Any) -> Any:
        return self.get_object()[key]


def serialized(obj: PdfObject) -> bytes:
    """*obj* in PDF syntax, as `write_to_stream` writes it."""
    out = _Buffer()
    obj.write_to_stream(out)
    return b"".join(out)


class _Buffer(list):
    write = list.append


# -- reading -------------------------------------------------------------------------------

_DELIM = rb"()<>\[\]{}/%"
_TOKEN = re.compile(
    rb"[\x00\t\n\x0c\r ]*+(?:"
    rb"(?P<num>[+-]?(?:\d+\.?\d*|\.\d+))(?![^\x00\t\n\x0c\r " + _DELIM + rb"])"
    rb"|(?P<name>/[^\x00\t\n\x0c\r " + _DELIM + rb"]*)"
    rb"|(?P<str>\((?:[^()\\]|\\.)*\))"  # literal strings without nested parentheses
    rb"|(?P<hex><[0-9A-Fa-f\x00\t\n\x0c\r ]*>)"
    rb"|(?P<open><<|\[)|(?P<close>>>|\])"
    rb"|(?P<word>[A-Za-z]+)"
    rb"|(?P<comment>%[^\r\n]*))", re.DOTALL)
# The tokens of an object without literal strings or comments; every byte that is not
# white space belongs to one (the last alternative takes a stray one, refused later).
_FAST_TOKEN = re.compile(
    rb"/[^\x00\t\n\x0c\r " + _DELIM + rb"]*|<<|>>|\[|\]|<[0-9A-Fa-f\x00\t\n\x0c\r ]*>"
    rb"|[^\x00\t\n\x0c\r " + _DELIM + rb"]+|[^\x00\t\n\x0c\r ]")
_NEW, _REF, _NEW_OBJECT = object(), object(), object()
_OPEN_ARRAY, _OPEN_DICT, _CLOSE_ARRAY, _CLOSE_DICT = object(), object(), object(), object()
_MARKS = {b"[": _OPEN_ARRAY, b"<<": _OPEN_DICT, b"]": _CLOSE_ARRAY, b">>": _CLOSE_DICT,
          b"R": _REF, b"true": _NEW_OBJECT, b"false": _NEW_OBJECT, b"null": _NEW_OBJECT}
_NUMBER = re.compile(rb"[+-]?(?:\d+\.?\d*|\.\d+)")


def _fast_value(token: bytes) -> Any:
    """The value of a token of `_FAST_TOKEN` (a marker for brackets and keywords)."""
    mark = _MARKS.get(token)
    if mark is not None:
        return mark
    first = token[:1]
    if first == b"/":
        if b"#" in token:
            raise Unsupported("a name with # escapes")
        return NameObject(token.decode("ascii"))
    if first == b"<":
        digits = re.sub(rb"[\x00\t\n\x0c\r ]", b"", token[1:-1])
        return create_string_object(binascii.unhexlify(digits + b"0" * (len(digits) % 2)))
    if _NUMBER.fullmatch(token):
        return FloatObject(token) if b"." in token else NumberObject(token)
    raise Unsupported(f"an unexpected token {token[:20]!r}")


_OBJ_HEAD = re.compile(rb"[\x00\t\n\x0c\r ]*(\d+)\s+(\d+)\s+obj")
_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_XREF_HEAD = re.compile(rb"\s*(\d+) (\d+)[ \t]*\r?\n|\s*trailer")
_XREF_ROW = re.compile(rb"(\d{10}) (\d{5}) ([nf])(?: \r| \n|\r\n)")  # 20 bytes each
_ESCAPE = re.compile(rb"\\([0-7]{1,3}|.)", re.DOTALL)
_PLAIN_ESCAPES = re.compile(rb"(?:[^\\]|\\(?:[0-7]{1,3}|[nrtbf\\()]))*")
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _unescape(match: re.Match[bytes]) -> bytes:
    code = match.group(1)
    if code[0] in b"01234567":
        return bytes((int(code, 8) & 0xFF,))
    return _ESCAPES.get(code, code)


def _literal(body: bytes) -> bytes:
    """A literal string's bytes: the escapes ReportLab and pypdf write; anything else (a
    line continued, a bare carriage return) is left to pypdf."""
    if b"\r" in body or not _PLAIN_ESCAPES.fullmatch(body):
        raise Unsupported("a string with escapes pypdf reads its own way")
    return _ESCAPE.sub(_unescape, body) if b"\\" in body else body


class Document:
    """A PDF of the shape brochure renders, open for reading: cross-reference tables (one
    or more, newest first through /Prev), objects parsed when first asked for."""

    def __init__(self, pdf: bytes) -> None:
        self.data = pdf
        match = _STARTXREF.search(pdf[-64:])
        if match is None:
            raise Unsupported("no startxref at the end")
        self.startxref = int(match.group(1))
        self.offsets: dict[int, tuple[int, int]] = {}  # number → (offset, generation)
        self.trailer = self._read_xref(self.startxref)
        if "/Encrypt" in self.trailer:
            raise Unsupported("an encrypted file")
        self.resolved: dict[int, Any] = {}
        self._known: dict[bytes, Any] = {}  # token → value (numbers and names)
        self._pages: list[DictionaryObject] | None = None

    def _read_xref(self, offset: int) -> DictionaryObject:
        trailer: DictionaryObject | None = None
        seen = set()
        while offset not in seen:
            seen.add(offset)
            data = self.data
            if data[offset:offset + 4] != b"xref":
                raise Unsupported("a cross-reference stream")
            pos = offset + 4
            while True:
                m = _XREF_HEAD.match(data, pos)
                if m is None:
                    raise Unsupported("a malformed cross-reference table")
                pos = m.end()
                if m.group(1) is None:
                    break
                first, count = int(m.group(1)), int(m.group(2))
                rows = _XREF_ROW.findall(data, pos, pos + 20 * count)
                if len(rows) != count:
                    raise Unsupported("a malformed cross-reference section")
                pos += 20 * count
                offsets = self.offsets
                for number, (where, generation, kind) in enumerate(rows, first):
                    if kind == b"n" and number not in offsets:
                        offsets[number] = (int(where), int(generation))
            value, _ = self._value(pos, None)
            if not isinstance(value, DictionaryObject):
                raise Unsupported("a malformed trailer")
            if trailer is None:
                trailer = value
            prev = value.get("/Prev")
            if prev is None or "/XRefStm" in value:
                if "/XRefStm" in value:
                    raise Unsupported("a hybrid cross-reference")
                break
            offset = int(prev)
        assert trailer is not None
        return trailer

    # objects

    def get_object(self, ref: IndirectObject | int) -> Any:
        number = ref if isinstance(ref, int) else ref.idnum
        if number in self.resolved:
            return self.resolved[number]
        where = self.offsets.get(number)
        if where is None:
            obj: Any = NullObject()
        else:
            obj = self._parse_at(number, *where)
        self.resolved[number] = obj
        return obj

    def reference(self, number: int, generation: int = 0) -> IndirectObject:
        return IndirectObject(number, generation, self)

    def raw(self, number: int) -> bytes | None:
        """The bytes of object *number* up to its ``endobj`` (for readers of one shape)."""
        where = self.offsets.get(number)
        if where is None:
            return None
        end = self.data.find(b"endobj", where[0])
        return self.data[where[0]:end] if end > 0 else None

    def _parse_at(self, number: int, offset: int, generation: int) -> Any:
        data = self.data
        head = _OBJ_HEAD.match(data, offset)
        if head is None or int(head.group(1)) != number or int(head.group(2)) != generation:
            raise Unsupported(f"object {number} is not where the table says")
        end = data.find(b"endobj", head.end())
        body = data[head.end():end] if end > 0 else b""
        if end > 0 and not any(mark in body for mark in (b"(", b"%", b"stream")):
            # The usual small object (a structure element, a page, a font's widths):
            # tokens in one C-level pass, each distinct token read once per document.
            return self._build(_FAST_TOKEN.findall(body))
        value, after = self._value(head.end(), b"endobj")
        if after == b"stream":
            if not isinstance(value, DictionaryObject):
                raise Unsupported("stream data after something else than a dictionary")
            length = value.get("/Length")
            if isinstance(length, IndirectObject):
                length = self.get_object(length)
            if not isinstance(length, int):
                raise Unsupported("a stream without a length")
            start = self._stream_start
            stream = StreamObject(value)
            del stream["/Length"]
            stream._data = data[start:start + int(length)]
            return stream
        return value

    def _build(self, tokens: list[bytes]) -> Any:
        """One object from its tokens (no literal strings, comments or stream data)."""
        known = self._known
        stack: list[tuple[list[Any], bool]] = []
        items: list[Any] = []
        for token in tokens:
            value = known.get(token, _NEW)
            if value is _NEW:
                value = known[token] = _fast_value(token)
            if value is _OPEN_ARRAY or value is _OPEN_DICT:
                stack.append((items, value is _OPEN_DICT))
                items = []
            elif value is _CLOSE_ARRAY or value is _CLOSE_DICT:
                if not stack:
                    raise Unsupported("an unbalanced bracket")
                inner = items
                items, is_dict = stack.pop()
                if is_dict != (value is _CLOSE_DICT):
                    raise Unsupported("mismatched brackets")
                if is_dict:
                    if len(inner) % 2 or not all(k.__class__ is NameObject
                                                 for k in inner[::2]):
                        raise Unsupported("a malformed dictionary")
                    items.append(DictionaryObject(zip(inner[::2], inner[1::2],
                                                      strict=True)))
                else:
                    items.append(ArrayObject(inner))
            elif value is _REF:
                if len(items) < 2:
                    raise Unsupported("a reference without numbers")
                generation, number = items.pop(), items.pop()
                items.append(IndirectObject(int(number), int(generation), self))
            elif value is _NEW_OBJECT:
                items.append(BooleanObject(token == b"true") if token != b"null"
                             else NullObject())
            else:
                items.append(value)
        if stack or len(items) != 1:
            raise Unsupported("an object of more than one value")
        return items[0]

    def _value(self, pos: int, end: bytes | None) -> tuple[Any, bytes | None]:
        """Read one object starting at *pos*; also which keyword followed it (``endobj``,
        ``stream``) when *end* is asked for."""
        stack: list[tuple[list[Any], bool]] = []
        items: list[Any] = []
        for m in _TOKEN.finditer(self.data, pos):
            if m.start() != pos:
                raise Unsupported(f"something unreadable at byte {pos}")
            pos = m.end()
            kind = m.lastgroup
            if kind == "comment":
                continue
            text = m.group(kind)  # type: ignore[arg-type]
            if kind == "num":
                items.append(FloatObject(text) if b"." in text else NumberObject(text))
            elif kind == "name":
                if b"#" in text:
                    raise Unsupported("a name with # escapes")
                items.append(NameObject(text.decode("ascii")))
            elif kind == "str":
                items.append(create_string_object(_literal(text[1:-1])))
            elif kind == "hex":
                digits = re.sub(rb"[\x00\t\n\x0c\r ]", b"", text[1:-1])
                if len(digits) % 2:
                    digits += b"0"
                items.append(create_string_object(binascii.unhexlify(digits)))
            elif kind == "open":
                stack.append((items, text == b"<<"))
                items = []
            elif kind == "close":
                if not stack:
                    raise Unsupported("an unbalanced bracket")
                inner = items
                items, is_dict = stack.pop()
                if is_dict != (text == b">>"):
                    raise Unsupported("mismatched brackets")
                if is_dict:
                    if len(inner) % 2 or not all(isinstance(k, NameObject)
                                                 for k in inner[::2]):
                        raise Unsupported("a malformed dictionary")
                    items.append(DictionaryObject(zip(inner[::2], inner[1::2],
                                                      strict=True)))
                else:
                    items.append(ArrayObject(inner))
            else:  # a keyword
                if text == b"R":
                    if len(items) < 2:
                        raise Unsupported("a reference without numbers")
                    generation, number = items.pop(), items.pop()
                    items.append(IndirectObject(int(number), int(generation), self))
                elif text == b"true" or text == b"false":
                    items.append(BooleanObject(text == b"true"))
                elif text == b"null":
                    items.append(NullObject())
                elif text in (b"endobj", b"stream") and not stack and end is not None:
                    if text == b"stream":
                        after = m.end()
                        after += 2 if self.data[after:after + 2] == b"\r\n" else 1
                        self._stream_start = after
                    if len(items) != 1:
                        raise Unsupported("an object of more than one value")
                    return items[0], text
                else:
                    raise Unsupported(f"an unexpected keyword {text!r}")
            if not stack and end is None and items:
                return items[0], None
        raise Unsupported("an object that does not end")

    # the document

    @property
    def root(self) -> DictionaryObject:
        return self.trailer["/Root"].get_object()

    @property
    def pages(self) -> list[DictionaryObject]:
        """The page dictionaries in order, each knowing its ``indirect_reference``."""
        if self._pages is None:
            pages: list[DictionaryObject] = []
            self._flatten(self.root["/Pages"], pages, set())
            self._pages = pages
        return self._pages

    def _flatten(self, ref: Any, out: list[DictionaryObject], seen: set[int]) -> None:
        if not isinstance(ref, IndirectObject) or ref.idnum in seen:
            raise Unsupported("a page tree with direct or repeated nodes")
        seen.add(ref.idnum)
        node = ref.get_object()
        if node.get("/Type") == "/Pages":
            if any(key in node for key in ("/Resources", "/MediaBox", "/CropBox",
                                           "/Rotate")):
                raise Unsupported("inherited page attributes")  # pypdf would copy them
            for kid in node["/Kids"]:
                self._flatten(kid, out, seen)
        else:
            page = Page(node)
            page.indirect_reference = ref
            self.resolved[ref.idnum] = page
            out.append(page)

    @property
    def metadata(self) -> DocumentInfo | None:
        info = self.trailer.get("/Info")
        return DocumentInfo(info.get_object()) if info is not None else None


class Page(DictionaryObject):
    """A page dictionary, with pypdf's names for its boxes."""

    indirect_reference: IndirectObject

    def _box(self, key: str) -> RectangleObject:
        value = self.get(key)
        value = value.get_object() if value is not None else self.get("/MediaBox")
        return RectangleObject(value.get_object())

    @property
    def mediabox(self) -> RectangleObject:
        return self._box("/MediaBox")

    @property
    def trimbox(self) -> RectangleObject:
        return self._box("/TrimBox")

    @trimbox.setter
    def trimbox(self, value: RectangleObject) -> None:
        self[NameObject("/TrimBox")] = value

    @property
    def bleedbox(self) -> RectangleObject:
        return self._box("/BleedBox")

    @bleedbox.setter
    def bleedbox(self, value: RectangleObject) -> None:
        self[NameObject("/BleedBox")] = value


class DocumentInfo:
    """The document information dictionary's title, as pypdf's ``metadata`` gives it."""

    def __init__(self, info: DictionaryObject) -> None:
        self.info = info

    @property
    def title(self) -> str | None:
        value = self.info.get("/Title")
        return None if value is None else str(value.get_object())
