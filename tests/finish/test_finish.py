"""Finishing appends an incremental update to the rendered PDF: the original bytes stay,
only changed and new objects follow, and every reader sees the finished document."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader
from pypdf.generic import (
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    TextStringObject,
)
from reportlab.pdfgen.canvas import Canvas

import brochure
from brochure.finish.pdfupdate import IncrementalUpdate
from tests.conftest import KRATOM


def plain_pdf(pages: int = 2) -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, invariant=1)
    for number in range(pages):
        canvas.drawString(72, 720, f"page {number + 1}")
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def finished(pdf: bytes) -> bytes:
    update = IncrementalUpdate(pdf)
    for index, page in enumerate(update.pages):
        page[NameObject("/StructParents")] = NumberObject(index)
    update._root_object[NameObject("/Lang")] = TextStringObject("es")
    note = update._add_object(DictionaryObject({NameObject("/Note"): TextStringObject("ñ")}))
    update._root_object[NameObject("/Extra")] = note
    reserved = update.reserve()
    update.set_body(reserved, "<</Text(café)>>".encode("latin-1"))
    update._root_object[NameObject("/Raw")] = IndirectObject(reserved, 0, update)
    update.add_metadata({"/Title": "Título"})
    out = io.BytesIO()
    update.write(out)
    return out.getvalue()


def test_the_update_keeps_the_original_bytes_and_adds_only_what_changed() -> None:
    original = plain_pdf()
    result = finished(original)
    assert result.startswith(original)
    appended = result[len(original):]
    # catalog, info, two pages, and two new objects; fonts and page streams are not repeated
    assert appended.count(b" obj\n") == 6
    assert b"/Prev" in appended


def test_readers_see_the_finished_document() -> None:
    reader = PdfReader(io.BytesIO(finished(plain_pdf())))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "es"
    assert root["/Extra"].get_object()["/Note"] == "ñ"
    assert root["/Raw"].get_object()["/Text"] == "café"
    assert reader.metadata.title == "Título"
    assert [page["/StructParents"] for page in reader.pages] == [0, 1]
    assert "page 2" in reader.pages[1].extract_text()


def test_a_reserved_object_without_a_body_is_an_error() -> None:
    update = IncrementalUpdate(plain_pdf(1))
    update.reserve()
    with pytest.raises(ValueError, match="never given a body"):
        update.write(io.BytesIO())


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf is not installed")
def test_qpdf_finds_no_structural_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "finished.pdf"
    path.write_bytes(finished(plain_pdf()))
    run = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_a_strict_reader_reads_the_update_without_complaint(caplog) -> None:  # type: ignore[no-untyped-def]
    data = finished(plain_pdf())
    with caplog.at_level("WARNING"):
        reader = PdfReader(io.BytesIO(data), strict=True)
        assert reader.trailer["/Root"]["/Lang"] == "es"
        assert len(reader.pages) == 2
    assert caplog.records == []
    assert b"xref\n0 1\n0000000000 65535 f\r\n" in data[len(plain_pdf()):]


def test_the_outline_count_is_the_number_of_entries() -> None:
    """ReportLab's /Count is off (19 for 17 entries); finishing writes the real one."""

    for layout in ("clinic", "general"):
        result = brochure.build(KRATOM, languages="es", layouts=layout, out_dir=None)[0]
        reader = PdfReader(io.BytesIO(result.pdf))

        def entries(items: list) -> int:
            return sum(entries(i) if isinstance(i, list) else 1 for i in items)

        assert reader.trailer["/Root"]["/Outlines"]["/Count"] == entries(reader.outline) > 10
