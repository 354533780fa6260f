"""Bilingual editions in a batch: plans list language pairs, the manifest and file names
say both languages, the bytes are those `brochure build` writes, and a change to either
language's file rebuilds the pair."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

import brochure
from brochure import paths
from brochure.batch import run as batch
from brochure.batch.plan import load_plan
from brochure.cli import main
from tests.conftest import write


def run_cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def topic_with(tmp_path: Path, *languages: str) -> Path:
    """A copy of the shipped kratom topic in *languages*, with the locales beside it."""
    root = tmp_path / "content"
    shutil.copytree(paths.builtin("content") / "locales", root / "locales")
    (root / "kratom").mkdir(parents=True)
    for lang in languages:
        shutil.copy(paths.builtin("content") / "kratom" / f"{lang}.yaml", root / "kratom")
    return root / "kratom"


def test_a_plan_of_pairs_names_both_languages_and_writes_what_build_writes(
        tmp_path: Path) -> None:
    topic = topic_with(tmp_path, "en", "es", "vi")
    plan = write(tmp_path, "plan.yaml", f"""
        topics: [{topic}]
        languages: [es+en, vi+en]
        layouts: [general]
        output: out
    """)
    report = batch.run(load_plan(plan), jobs=1)
    assert sorted(r.output for r in report.built) == ["kratom-es+en-general.pdf",
                                                       "kratom-vi+en-general.pdf"]
    assert {r.language for r in report.built} == {"es+en", "vi+en"}
    [built] = brochure.build(topic, languages="es+en", layouts="general", out_dir=None)
    assert (tmp_path / "out" / "kratom-es+en-general.pdf").read_bytes() == built.pdf


def test_a_change_to_the_second_language_rebuilds_the_pair(tmp_path: Path) -> None:
    topic = topic_with(tmp_path, "en", "es")
    plan = write(tmp_path, "plan.yaml", f"""
        topics: [{topic}]
        languages: [en, en+es]
        layouts: [general]
        output: out
    """)
    batch.run(load_plan(plan), jobs=1)
    spanish = topic / "es.yaml"
    spanish.write_text(spanish.read_text("utf-8").replace("Kratom", "Kratom (mitragyna)", 1),
                       "utf-8")
    again = batch.run(load_plan(plan), jobs=1)
    assert [r.output for r in again.built] == ["kratom-en+es-general.pdf"]
    assert [r.output for r in again.unchanged] == ["kratom-en-general.pdf"]


def test_pairs_in_layouts_that_refuse_them_stop_the_plan_with_the_reason(
        tmp_path: Path) -> None:
    code, out, err = run_cli("batch", "kratom", "--lang", "es+en", "--layout",
                             "general,trifold", "-o", str(tmp_path / "out"))
    assert code == 1 and out == ""
    assert "--layout: es+en: the tri-fold" in err
    assert not (tmp_path / "out").exists()


def test_a_pair_with_a_missing_language_names_what_exists(tmp_path: Path) -> None:
    code, _, err = run_cli("batch", "kratom", "--lang", "es+fr", "--layout", "general",
                           "-o", str(tmp_path / "out"))
    assert code == 1
    assert "no 'fr' edition" in err and "languages found:" in err
