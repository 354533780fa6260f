"""The on-build checks read an edition with brochure's own reader (`finish.pdfread`),
not pypdf: they must read the same figures from the same bytes as pypdf does."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from pypdf import PdfReader

import brochure
from brochure.checks import run
from brochure.finish.pdfread import Document
from brochure.source.layouts import load_layout
from tests.conftest import EXAMPLE_CLINIC, KRATOM, reader


def reports_both_ways(pdf: bytes, layout: str, content, clinic=None):  # type: ignore[no-untyped-def]
    lay = load_layout(layout)
    source = str(content.file)
    ours = run._report(run._read_built(pdf), lay, content, clinic, source, source)
    theirs = run._report(reader(pdf), lay, content, clinic, source, source)
    return ours, theirs


@pytest.mark.parametrize("language", ["en", "es", "vi", "th", "ar"])
def test_every_check_reads_the_same_from_our_reader_as_from_pypdf(language: str) -> None:
    from brochure.source.clinics import load_clinic

    clinic = load_clinic(EXAMPLE_CLINIC)
    result = brochure.build(KRATOM, languages=language, layouts="clinic",
                            clinic=EXAMPLE_CLINIC, out_dir=None)[0]
    from brochure import paths
    from brochure.source.content import load_content, topic_file

    content = load_content(topic_file(KRATOM, language),
                           [paths.builtin("content") / "locales"])
    assert isinstance(run._read_built(result.pdf), Document)
    ours, theirs = reports_both_ways(result.pdf, "clinic", content, clinic)
    assert ours.checks == theirs.checks


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf is not installed")
def test_a_pdf_of_another_shape_is_still_checked_through_pypdf(built, tmp_path) -> None:  # type: ignore[no-untyped-def]
    source, target = tmp_path / "in.pdf", tmp_path / "out.pdf"
    source.write_bytes(built["general"].pdf)
    subprocess.run(["qpdf", "--object-streams=generate", str(source), str(target)],
                   check=True)
    opened = run._read_built(target.read_bytes())
    assert isinstance(opened, PdfReader)
    report = run.check_edition(_content(), load_layout("general"), target.read_bytes())
    assert report.checks == built["general"].checks.checks


def _content():  # type: ignore[no-untyped-def]
    from brochure import paths
    from brochure.source.content import load_content, topic_file

    return load_content(topic_file(KRATOM, "en"), [paths.builtin("content") / "locales"])


@pytest.mark.parametrize("edition", ["clinic", "general", "clinic+clinic"])
def test_the_structure_tree_reads_the_same_from_its_bytes_as_through_pypdf(built, edition
                                                                           ) -> None:  # type: ignore[no-untyped-def]
    from brochure.checks import structure

    def shape(read):  # type: ignore[no-untyped-def]
        root, owners = read
        return ([(e.roles, e.content) for e in root.walk()],
                sorted((key, elem.roles) for key, elem in owners.items()))

    pdf = built[edition].pdf
    assert shape(structure.read(Document(pdf))) == shape(structure.read(reader(pdf)))
