"""A rendered PDF's bytes → its objects (`pdfobjects`), as pypdf would read them.

In: the bytes ReportLab wrote for an edition, or the finished file (the same plus an
incremental update). Out: a `Document`: the trailer, the page dictionaries in order, the
document information, and any object by number, parsed when first asked for. Finishing
changes and writes back what it read (`pdfupdate`); the on-build checks read everything
from one `Document`. Small objects without literal strings (structure elements, pages,
font widths) are tokenized in one pass, each distinct token read once per document.

Anything outside the shape brochure writes — a cross-reference stream, encryption, a
name with ``#`` escapes, a string with escapes pypdf reads its own way, inherited page
attributes — raises `Unsupported`; callers then use pypdf.
"""

from __future__ import annotations

import binascii
import re
from typing import Any

from .pdfobjects import (
    ArrayObject,
    BooleanObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    RectangleObject,
    StreamObject,
    Unsupported,
    create_string_object,
)

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
        # number → (offset, generation); None: freed by a later section
        self.offsets: dict[int, tuple[int, int] | None] = {}
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
                    if number not in offsets:  # the newest section's entry holds
                        offsets[number] = (int(where), int(generation)) if kind == b"n" \
                            else None
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
                items.append(_container(inner, is_dict))
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
                items.append(_container(inner, is_dict))
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

    trimbox = property(lambda self: self._box("/TrimBox"),
                       lambda self, value: self._set_box("/TrimBox", value))
    bleedbox = property(lambda self: self._box("/BleedBox"),
                        lambda self, value: self._set_box("/BleedBox", value))

    def _set_box(self, name: str, value: RectangleObject) -> None:
        self[NameObject(name)] = value


class DocumentInfo:
    """The document information dictionary's title, as pypdf's ``metadata`` gives it."""

    def __init__(self, info: DictionaryObject) -> None:
        self.info = info

    @property
    def title(self) -> str | None:
        value = self.info.get("/Title")
        return None if value is None else str(value.get_object())


def _container(inner: list, is_dict: bool) -> DictionaryObject | ArrayObject:
    """The dictionary (keys and values alternating in *inner*) or array just closed."""
    if not is_dict:
        return ArrayObject(inner)
    if len(inner) % 2 or not all(isinstance(k, NameObject) for k in inner[::2]):
        raise Unsupported("a malformed dictionary")
    return DictionaryObject(zip(inner[::2], inner[1::2], strict=True))

