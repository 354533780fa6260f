"""PDF/A-2a with PDF/UA-1 in one file: what an archive's validator and a print shop read."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import tempfile
import xml.etree.ElementTree as ET

import pytest

import brochure
from brochure.checks import pdfa as pdfa_checks
from brochure.checks.accessibility import audit
from brochure.finish.imposition import UNTAGGED_NOTE
from brochure.finish.pdfa import srgb_profile
from brochure.typeset.geometry import PrintOptions
from tests.conftest import EXAMPLE_CLINIC, KRATOM, reader

LAYOUTS = ["clinic", "general", "large-print", "trifold"]
NS = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
      "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
      "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
      "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
      "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#"}
PRINT_OPTIONS = {
    "qr": PrintOptions(qr="https://example.org/k"),
    "bleed": PrintOptions(bleed=9.0),
    "crop-marks": PrintOptions(crop_marks=True),
    "booklet": PrintOptions(booklet=True),
    "grayscale": PrintOptions(grayscale=True),
    "all": PrintOptions(qr="https://example.org/k", bleed=9.0, crop_marks=True,
                        booklet=True, grayscale=True),
}


@pytest.fixture(scope="module")
def editions() -> dict[str, bytes]:
    return {r.layout: r.pdf for r in brochure.build(KRATOM, layouts=LAYOUTS,
                                                    clinic=EXAMPLE_CLINIC, out_dir=None)}


def xmp_of(pdf: bytes) -> ET.Element:
    data = reader(pdf).trailer["/Root"]["/Metadata"].get_object().get_data()
    return ET.fromstring(re.sub(rb"<\?xpacket[^>]*\?>", b"", data).strip())


@pytest.mark.parametrize("layout", LAYOUTS)
def test_xmp_declares_pdfa_2a_and_pdfua_1(editions, layout: str) -> None:
    xmp = xmp_of(editions[layout])
    assert [e.text for e in xmp.iter(f"{{{NS['pdfaid']}}}part")] == ["2"]
    assert [e.text for e in xmp.iter(f"{{{NS['pdfaid']}}}conformance")] == ["A"]
    assert [e.text for e in xmp.iter(f"{{{NS['pdfuaid']}}}part")] == ["1"]


def test_pdfua_identification_is_described_by_an_extension_schema(editions) -> None:
    xmp = xmp_of(editions["general"])
    [schema] = [li for li in xmp.iter(f"{{{NS['rdf']}}}li")
                if li.findtext(f"{{{NS['pdfaSchema']}}}namespaceURI") == NS["pdfuaid"]]
    assert schema.findtext(f"{{{NS['pdfaSchema']}}}prefix") == "pdfuaid"
    [prop] = [p for p in schema.iter(f"{{{NS['rdf']}}}li")
              if p.findtext(f"{{{NS['pdfaProperty']}}}name")]
    assert prop.findtext(f"{{{NS['pdfaProperty']}}}name") == "part"
    assert prop.findtext(f"{{{NS['pdfaProperty']}}}valueType") == "Integer"
    assert prop.findtext(f"{{{NS['pdfaProperty']}}}category") == "internal"


def test_colours_go_through_the_shipped_srgb_output_intent(editions) -> None:
    catalog = reader(editions["clinic"]).trailer["/Root"]
    [intent] = [i.get_object() for i in catalog["/OutputIntents"]]
    assert intent["/S"] == "/GTS_PDFA1"
    assert intent["/OutputConditionIdentifier"] == "sRGB IEC61966-2.1"
    profile = intent["/DestOutputProfile"].get_object()
    assert profile["/N"] == 3
    assert profile.get_data() == srgb_profile()


def test_shipped_profile_is_little_cms_srgb() -> None:
    """The shipped file is what Pillow's Little CMS makes for sRGB (header date aside):
    a display (mntr) RGB profile, ICC version 4, with sRGB's primaries and curve."""
    from PIL import ImageCms

    made = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    shipped = srgb_profile()
    assert shipped[12:20] == made[12:20] == b"mntrRGB "
    assert shipped[8] == 4

    def tags(profile: bytes) -> dict[bytes, bytes]:
        count = struct.unpack(">I", profile[128:132])[0]
        out = {}
        for i in range(count):
            sig, offset, size = struct.unpack(">4sII", profile[132 + 12 * i:144 + 12 * i])
            out[sig] = profile[offset:offset + size]
        return out

    for tag in (b"rXYZ", b"gXYZ", b"bXYZ", b"wtpt", b"rTRC", b"gTRC", b"bTRC"):
        assert tags(shipped)[tag] == tags(made)[tag], tag
    assert b"N\x00o\x00 \x00c\x00o\x00p\x00y\x00r\x00i\x00g\x00h\x00t" in tags(shipped)[b"cprt"]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_stream_ends_with_a_line_end_before_endstream(editions, layout: str) -> None:
    pdf = editions[layout]
    ends = [m.start() for m in re.finditer(rb"endstream", pdf)]
    assert ends
    assert all(pdf[at - 1:at] in (b"\n", b"\r") for at in ends)


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf is not installed")
@pytest.mark.parametrize("layout", LAYOUTS)
def test_qpdf_finds_no_fault(editions, layout: str) -> None:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(editions[layout])
        handle.flush()
        done = subprocess.run(["qpdf", "--check", handle.name], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No syntax or stream encoding errors" in done.stdout


@pytest.fixture(scope="module")
def print_files() -> dict[str, bytes]:
    out = {}
    for name, options in PRINT_OPTIONS.items():
        [result] = brochure.build(KRATOM, layouts="trifold", clinic=EXAMPLE_CLINIC,
                                  out_dir=None, options=options)
        out[name] = result.pdf
    return out


@pytest.mark.skipif(shutil.which("pdffonts") is None,
                    reason="pdffonts (poppler-utils) is not installed")
@pytest.mark.parametrize("option", list(PRINT_OPTIONS))
def test_pdffonts_shows_every_font_embedded(print_files, option: str) -> None:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(print_files[option])
        handle.flush()
        out = subprocess.run(["pdffonts", handle.name], capture_output=True, text=True,
                             check=True).stdout
    rows = out.splitlines()[2:]
    assert rows
    for row in rows:
        emb = row.split()[-5]  # name type encoding emb sub uni object ID
        assert emb == "yes", row


@pytest.mark.parametrize("option", ["qr", "bleed", "crop-marks", "grayscale"])
def test_print_files_for_readers_stay_pdfa(print_files, option: str) -> None:
    """Crop and fold marks are in a Separation colour, not DeviceCMYK; the QR drawing
    adds no unembedded font."""
    pdf = print_files[option]
    assert [str(f) for f in pdfa_checks.check(pdf, reader(pdf))] == []
    assert [str(f) for f in audit(pdf)] == []


def test_booklet_says_it_is_neither_pdfa_nor_pdfua(print_files) -> None:
    pdf = reader(print_files["booklet"])
    catalog = pdf.trailer["/Root"]
    assert pdf.metadata["/Subject"] == UNTAGGED_NOTE
    assert "neither PDF/UA nor PDF/A" in UNTAGGED_NOTE
    assert "/OutputIntents" not in catalog and "/Metadata" not in catalog
    assert "/StructTreeRoot" not in catalog
