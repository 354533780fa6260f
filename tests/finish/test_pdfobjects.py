"""brochure's own PDF objects (`finish.pdfobjects`, read by `finish.pdfread`) read and
write what pypdf would: the finished bytes must not change because finishing no longer
imports pypdf."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader, PdfWriter
from pypdf.generic import FloatObject as PypdfFloat
from pypdf.generic import NameObject as PypdfName
from pypdf.generic import NumberObject as PypdfNumber
from pypdf.generic import TextStringObject as PypdfText

from brochure.finish import pdfobjects as own
from brochure.finish.pdfread import Document
from tests.conftest import reader

# Text a handout's metadata may hold: any script, punctuation, PDFDocEncoding's specials.
TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
               max_size=40)
NAMES = st.text(st.characters(min_codepoint=33, max_codepoint=0x2FFF,
                              blacklist_categories=("Cs",)), min_size=1, max_size=12)


def pypdf_bytes(obj) -> bytes:  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    obj.write_to_stream(out)
    return out.getvalue()


@given(TEXT)
def test_a_title_in_any_script_is_written_as_pypdf_writes_it(text: str) -> None:
    assert own.serialized(own.create_string_object(text)) == pypdf_bytes(PypdfText(text))


@given(NAMES)
def test_a_name_with_any_characters_is_written_as_pypdf_writes_it(name: str) -> None:
    assert own.serialized(own.NameObject("/" + name)) == pypdf_bytes(PypdfName("/" + name))


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).filter(lambda v: v == 0 or
                                                                         abs(v) > 1e-6),
       st.integers(min_value=-10**9, max_value=10**9))
def test_page_box_numbers_are_written_as_pypdf_writes_them(real: float, whole: int) -> None:
    assert own.serialized(own.FloatObject(real)) == pypdf_bytes(PypdfFloat(real))
    assert own.serialized(own.NumberObject(whole)) == pypdf_bytes(PypdfNumber(whole))


def pdf_with_info(values: dict[str, str]) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_metadata(values)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@given(st.lists(TEXT, min_size=1, max_size=4))
def test_strings_read_from_a_file_are_written_back_as_pypdf_writes_them(texts: list[str]
                                                                        ) -> None:
    """The document information dictionary of a file, read by both and written again,
    gives the same bytes (strings keep the bytes they were read from)."""
    pdf = pdf_with_info({f"/K{i}": text for i, text in enumerate(texts)})
    try:
        document = Document(pdf)
    except own.Unsupported:
        return  # a file of another shape is pypdf's to read (checked below)
    ours = document.trailer["/Info"].get_object()
    theirs = reader(pdf).trailer["/Info"].get_object()
    assert own.serialized(ours) == pypdf_bytes(theirs)


def test_a_finished_handout_reads_the_same_as_pypdf_reads_it(built) -> None:  # type: ignore[no-untyped-def]
    """Every page, the catalog and the document information of a finished edition (with
    its incremental update) are the objects pypdf reads there."""
    pdf = built["clinic+clinic"].pdf
    document, theirs = Document(pdf), reader(pdf)
    assert len(document.pages) == len(theirs.pages)
    for ours_page, their_page in zip(document.pages, theirs.pages, strict=True):
        assert own.serialized(ours_page) == pypdf_bytes(their_page)
        assert ours_page.mediabox.width == float(their_page.mediabox.width)
    assert own.serialized(document.root) == pypdf_bytes(theirs.trailer["/Root"].get_object())
    assert document.metadata.title == theirs.metadata.title


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf is not installed")
def test_a_file_with_a_cross_reference_stream_is_left_to_pypdf(built, tmp_path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "in.pdf"
    source.write_bytes(built["general"].pdf)
    target = tmp_path / "out.pdf"
    subprocess.run(["qpdf", "--object-streams=generate", str(source), str(target)],
                   check=True)
    with pytest.raises(own.Unsupported):
        Document(target.read_bytes())
    assert len(PdfReader(target).pages) == built["general"].pages


@given(st.binary(max_size=24))
def test_string_bytes_read_from_a_file_are_written_back_as_pypdf_writes_them(data: bytes
                                                                              ) -> None:
    """A document id or any string's bytes, however pypdf guesses their encoding (a zero
    first byte, say, reads as UTF-16), are written back as pypdf writes them."""
    from pypdf.generic import create_string_object

    assert own.serialized(own.create_string_object(data)) == pypdf_bytes(
        create_string_object(data))


@pytest.mark.parametrize("data", [b"\x00\x9c\x13", b"\x00\x9c\x13\xff", b"a\x00b\x00",
                                  b"\xef\xbb\xbfok", b"\xef\xbb\xbf\xff", b"\xfe\xff\xd8\x00",
                                  b"\x7f", b""])
def test_strings_pypdf_reads_by_guessing_are_written_back_as_it_writes_them(data: bytes
                                                                            ) -> None:
    from pypdf.generic import create_string_object

    assert own.serialized(own.create_string_object(data)) == pypdf_bytes(
        create_string_object(data))
