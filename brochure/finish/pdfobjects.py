"""PDF objects as pypdf models them, written byte for byte as pypdf writes them, without pypdf.

In: values the finishers make (names, numbers, text, dictionaries, streams) and values
`pdfread` reads from a rendered file. Out: the pypdf-like classes below — dictionaries,
arrays, names, numbers, strings, streams and references — whose ``write_to_stream``
writes what pypdf writes for the same object, so finishing gives the same bytes as it
did with pypdf.

Why: importing pypdf costs about as much as rendering a handout (it brings fontTools and
Pillow with it), and finishing and the on-build checks only need a few dozen objects of
a file whose shape brochure knows. What this module cannot do exactly as pypdf does
raises `Unsupported`.
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
