"""Review sign-off: a reviewer's approval lifts the draft mark; a later change brings it
back; the status cannot claim a review that no record supports."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

import brochure
from brochure import api
from brochure.cli import main
from brochure.errors import BrochureError, ContentError
from tests.conftest import pdf_text
from tests.source.test_content import line_of, replace
from tests.source.test_translate import topic_with

DAY = dt.date(2026, 12, 1)
DRAFT_MARK = "BORRADOR — sin revisar"


def build(file: Path) -> brochure.BuildResult:
    [result] = brochure.build(file, layouts="general", out_dir=None)
    return result


def xmp(pdf: bytes) -> str:
    root = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    return root["/Metadata"].get_object().get_data().decode("utf-8")


def test_approval_lifts_the_draft_mark_and_prints_who_reviewed_it(tmp_path: Path) -> None:
    topic = topic_with(tmp_path, "es")
    assert DRAFT_MARK in pdf_text(build(topic / "es.yaml").pdf)
    api.review_approve(topic / "es.yaml", "Ana Pérez, MD", DAY)
    text = pdf_text(build(topic / "es.yaml").pdf)
    assert DRAFT_MARK not in text
    assert "Revisado por Ana Pérez, MD el 2026-12-01" in text


def test_a_reviewed_pdf_carries_reviewer_and_version_in_xmp(tmp_path: Path) -> None:
    topic = topic_with(tmp_path, "es")
    record = api.review_approve(topic / "es.yaml", "Ana Pérez, MD", DAY)
    packet = xmp(build(topic / "es.yaml").pdf)
    assert "<brochure:reviewer>Ana Pérez</brochure:reviewer>" in packet
    assert "<brochure:reviewerCredential>MD</brochure:reviewerCredential>" in packet
    assert f"<brochure:reviewedVersion>{record['version']}</brochure:reviewedVersion>" in packet


def test_a_later_english_change_brings_the_draft_mark_back(tmp_path: Path) -> None:
    topic = topic_with(tmp_path, "es")
    api.review_approve(topic / "es.yaml", "Ana Pérez, MD", DAY)
    replace(topic / "en.yaml", "hepatitis and liver failure reported",
            "hepatitis and acute liver failure reported")
    result = build(topic / "es.yaml")
    text = pdf_text(result.pdf)
    assert DRAFT_MARK in text and "Revisado por" not in text
    assert "brochure:reviewer" not in xmp(result.pdf)
    assert (f"{topic / 'es.yaml'}: review.status: the review by Ana Pérez, MD on 2026-12-01 "
            "no longer holds: the source edition's strings changed since; the edition is "
            "printed as a draft until 'brochure review approve' records a new review"
            ) in result.warnings


def test_a_changed_locale_label_returns_the_edition_to_draft(tmp_path: Path) -> None:
    topic = topic_with(tmp_path, "es")
    api.review_approve(topic / "es.yaml", "Ana Pérez, MD", DAY)
    replace(topic.parent / "locales" / "es.yaml", '"Puntos clave"', '"Lo esencial"')
    assert DRAFT_MARK in pdf_text(build(topic / "es.yaml").pdf)


def test_reviewed_by_hand_without_a_record_is_an_error(tmp_path: Path) -> None:
    topic = topic_with(tmp_path, "es")
    replace(topic / "es.yaml", "  status: draft", "  status: reviewed")
    with pytest.raises(ContentError) as err:
        build(topic / "es.yaml")
    line = line_of(topic / "es.yaml", "status: reviewed")
    assert str(err.value) == (
        f"{topic / 'es.yaml'}:{line}:11: review.status: is 'reviewed', but no sign-off "
        "records a review of this edition; the status follows the record: run 'brochure "
        "review approve FILE --by \"Name, credential\"'")


def test_approval_is_refused_while_the_translation_is_stale(tmp_path: Path) -> None:
    topic = topic_with(tmp_path, "es")
    replace(topic / "en.yaml", "hepatitis and liver failure reported",
            "hepatitis and acute liver failure reported")
    before = (topic / "es.yaml").read_bytes()
    with pytest.raises(ContentError, match="side_effects.serious\\[0\\].description.clinical: "
                                           "is stale"):
        api.review_approve(topic / "es.yaml", "Ana Pérez, MD", DAY)
    assert (topic / "es.yaml").read_bytes() == before


def test_a_reviewer_must_give_a_credential(tmp_path: Path) -> None:
    topic = topic_with(tmp_path, "es")
    with pytest.raises(BrochureError, match="give the reviewer's name and credential"):
        api.review_approve(topic / "es.yaml", "Ana Pérez", DAY)


def test_the_english_source_can_be_approved_too(tmp_path: Path) -> None:
    topic = topic_with(tmp_path)
    api.review_approve(topic / "en.yaml", "Sam Lee, PharmD", DAY)
    text = pdf_text(build(topic / "en.yaml").pdf)
    assert "DRAFT" not in text and "Reviewed by Sam Lee, PharmD on 2026-12-01" in text


def test_cli_export_edit_import_approve(tmp_path: Path) -> None:
    """The commands as a translator and a reviewer type them (wiring only)."""
    topic = topic_with(tmp_path, "es")
    runner = CliRunner()
    po = tmp_path / "es.po"
    done = runner.invoke(main, ["translate", "export", str(topic), "--lang", "es", "-o",
                                str(po)])
    assert done.exit_code == 0 and po.is_file(), done.output
    done = runner.invoke(main, ["translate", "import", str(po), "--topic", str(topic)])
    assert done.exit_code == 0 and "no file changed" in done.output, done.output
    done = runner.invoke(main, ["translate", "status", str(topic)])
    assert done.exit_code == 0 and "es" in done.output.splitlines()[1]
    done = runner.invoke(main, ["review", "approve", str(topic / "es.yaml"), "--by",
                                "Ana Pérez, MD", "--date", "2026-12-01"])
    assert done.exit_code == 0 and "approved" in done.output, done.output
    done = runner.invoke(main, ["review", "approve", str(topic / "es.yaml"), "--by", "Ana"])
    assert done.exit_code == 2 and "credential" in done.output
