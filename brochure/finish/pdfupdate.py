"""PDF bytes + the finishers' changes → the same bytes with an incremental update appended.

Finishing touches few objects of a rendered PDF (the catalog, the pages, the document
info) and adds others (the structure tree, XMP). Cloning the document into pypdf's
`PdfWriter` and writing it out again re-serialises every object — font widths, outlines,
page streams — which costs more than finishing itself. An incremental update (ISO 32000
§7.5.6) keeps the original bytes and appends only the objects that changed or are new,
with a cross-reference section of its own that points back at the original one; readers
see one document, and the same input still gives the same bytes.

`IncrementalUpdate` offers the part of pypdf's `PdfWriter` the finishers use (``pages``,
``_root_object``, ``_add_object``, ``add_metadata``), on `pdfread.Document` and the
objects of `pdfobjects`, which read and write as pypdf does without importing it. It
notes the bytes of every object when it is first read, so at the end it knows which of
the objects the finishers looked at they also changed.
"""

from __future__ import annotations

import io
from typing import Any

from .pdfobjects import (
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
    create_string_object,
    serialized,
)
from .pdfread import Document


class _FingerprintingDocument(Document):
    """A document that notes each object's bytes as it is read, before anyone changes it."""

    def __init__(self, pdf: bytes) -> None:
        self.fingerprints: dict[int, bytes] = {}
        super().__init__(pdf)

    def get_object(self, ref: IndirectObject | int) -> Any:
        number = ref if isinstance(ref, int) else ref.idnum
        known = number in self.resolved
        obj = super().get_object(ref)
        if not known and isinstance(obj, PdfObject):
            self.fingerprints[number] = serialized(obj)
        return obj


class IncrementalUpdate:
    """A rendered PDF open for finishing; `write` gives the original plus the update."""

    def __init__(self, pdf: bytes) -> None:
        self.original = pdf
        self.reader = _FingerprintingDocument(pdf)
        self.previous_xref = self.reader.startxref
        self._root_object = self.reader.trailer["/Root"].get_object()
        self._next_number = int(self.reader.trailer["/Size"])
        self._new: dict[int, PdfObject | bytes | None] = {}

    @property
    def pages(self) -> list:
        return self.reader.pages

    def _add_object(self, obj: PdfObject) -> IndirectObject:
        """Add a new object; its reference, as `PdfWriter._add_object` returns it."""
        number = self._next_number
        self._next_number += 1
        self._new[number] = obj
        ref = IndirectObject(number, 0, self)
        obj.indirect_reference = ref
        return ref

    def reserve(self) -> int:
        """The number of a new object whose body `set_body` gives later, so objects can
        refer to each other before they are written (a structure tree's parents and
        kids); ``IndirectObject(number, 0, update)`` refers to it from pypdf objects."""
        number = self._next_number
        self._next_number += 1
        self._new[number] = None
        return number

    def set_body(self, number: int, body: bytes) -> None:
        """The body of reserved object *number*, already in PDF syntax: for many small
        objects made from our own data, which pypdf would serialise far more slowly."""
        self._new[number] = body

    def get_object(self, ref: int | IndirectObject) -> PdfObject | None:
        """Resolve *ref* (pypdf calls this for references made by `_add_object`); objects
        given as bytes are not objects to pypdf and resolve to None."""
        number = ref if isinstance(ref, int) else ref.idnum
        if number in self._new:
            new = self._new[number]
            return new if isinstance(new, PdfObject) else None
        return self.reader.get_object(ref)

    def add_metadata(self, infos: dict[str, Any]) -> None:
        """Set document information entries, as `PdfWriter.add_metadata` does."""
        ref = self.reader.trailer.get("/Info")
        info = ref.get_object() if ref is not None else None
        if info is None:
            info = DictionaryObject()
            self.reader.trailer[NameObject("/Info")] = self._add_object(info)
        for key, value in infos.items():
            info[NameObject(key)] = create_string_object(str(value))

    def _changed(self) -> list[tuple[int, int, PdfObject | bytes | None]]:
        reader = self.reader
        out = []
        for number, obj in reader.resolved.items():
            if isinstance(obj, PdfObject) and serialized(obj) != reader.fingerprints.get(
                    number):
                where = reader.offsets.get(number)
                out.append((number, where[1] if where else 0, obj))
        return sorted(out, key=lambda item: item[0])

    def write(self, stream: io.BytesIO) -> None:
        """The original bytes, then the changed and new objects, their cross-reference
        section and a trailer whose /Prev points at the original section."""
        stream.write(self.original)
        if not self.original.endswith(b"\n"):
            stream.write(b"\n")
        start = stream.tell()
        body = io.BytesIO()
        offsets: dict[int, tuple[int, int]] = {}
        objects = self._changed() + [(n, 0, obj) for n, obj in self._new.items()]
        for number, generation, obj in objects:
            if obj is None:
                raise ValueError(f"object {number} was reserved but never given a body")
            offsets[number] = (start + body.tell(), generation)
            body.write(f"{number} {generation} obj\n".encode())
            if isinstance(obj, bytes):
                body.write(obj)
            else:
                obj.write_to_stream(body)
            body.write(b"\nendobj\n")
        stream.write(body.getvalue())
        xref = stream.tell()
        stream.write(b"xref\n" + _xref_sections(offsets))
        trailer = DictionaryObject({
            key: value for key, value in self.reader.trailer.items()
            if key in ("/Root", "/Info", "/ID")})
        trailer[NameObject("/Size")] = NumberObject(self._next_number)
        trailer[NameObject("/Prev")] = NumberObject(self.previous_xref)
        stream.write(b"trailer\n")
        trailer.write_to_stream(stream)
        stream.write(f"\nstartxref\n{xref}\n%%EOF\n".encode())


def _xref_sections(offsets: dict[int, tuple[int, int]]) -> bytes:
    """Cross-reference subsections: one per run of consecutive object numbers. The
    section starts with object 0, the head of the free list, as a first section does:
    readers such as pypdf take a section that starts elsewhere for a misnumbered one."""
    out = io.BytesIO()
    offsets = {0: (0, 65535), **offsets}
    numbers = sorted(offsets)
    i = 0
    while i < len(numbers):
        j = i
        while j + 1 < len(numbers) and numbers[j + 1] == numbers[j] + 1:
            j += 1
        out.write(f"{numbers[i]} {j - i + 1}\n".encode())
        for number in numbers[i:j + 1]:
            offset, generation = offsets[number]
            kind = "f" if number == 0 else "n"
            out.write(f"{offset:010d} {generation:05d} {kind}\r\n".encode())
        i = j + 1
    return out.getvalue()
