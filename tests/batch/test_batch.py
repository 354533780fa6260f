"""Batch runs: plans, the manifest against the disk, incremental reruns, failures that
stop nothing else, interrupted and killed runs, merging, and the progress display."""

from __future__ import annotations

import hashlib
import io
import json
import os
import signal
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import brochure
from brochure.batch import run as batch
from brochure.batch import worker as batch_worker
from brochure.batch.inputs import Fingerprinter
from brochure.batch.manifest import Manifest
from brochure.batch.plan import PlanError, load_plan
from brochure.batch.progress import Progress, grouped, summary
from brochure.cli import main
from brochure.source.topics import find_topics
from tests.conftest import KRATOM, pdf_text, reader, write

needs_fork = pytest.mark.skipif(sys.platform != "linux", reason="kills a forked worker")


def run_cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def clinic(folder: Path, name: str, phone: str = "555-0100") -> Path:
    return write(folder / "clinics", f"{name}.yaml", f"""
        name: "Clinic {name.upper()}"
        phone: "{phone}"
    """)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A folder with two clinic profiles and a plan: en × 2 layouts × 2 clinics."""
    clinic(tmp_path, "a")
    clinic(tmp_path, "b")
    return write(tmp_path, "plan.yaml", """
        topics: [kratom]
        languages: [en]
        layouts: [clinic, general]
        clinics: [clinics/*.yaml]
        output: out
        name: "{topic}-{lang}-{layout}-{clinic}.pdf"
    """)


def stamps(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in sorted(folder.iterdir())}


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


# -- a plan builds every edition, and the manifest says what is on disk -----------------

def test_plan_of_12_editions_matches_the_manifest(tmp_path: Path) -> None:
    clinic(tmp_path, "a")
    clinic(tmp_path, "b")
    plan = write(tmp_path, "plan.yaml", """
        topics: [kratom]
        languages: [en, es, vi]
        layouts: [clinic, general]
        clinics: [clinics/a.yaml, clinics/b.yaml]
        output: out
        name: "{topic}-{lang}-{layout}-{clinic}.pdf"
    """)
    code, out, err = run_cli("batch", str(plan), "-j", "2")
    assert code == 0, err
    folder = tmp_path / "out"
    pdfs = sorted(p.name for p in folder.glob("*.pdf"))
    assert pdfs == sorted(f"kratom-{lang}-{layout}-{c}.pdf" for lang in ("en", "es", "vi")
                          for layout in ("clinic", "general") for c in "ab")
    assert out.splitlines()[0].split() == ["built", "unchanged", "failed", "total", "time",
                                           "rate"]
    assert out.splitlines()[1].split()[:4] == ["12", "0", "0", "12"]
    assert out.splitlines()[1].endswith("on 2 workers")
    assert f"manifest: {folder / 'manifest.json'}" in out
    assert "[12/12] built" in err

    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    records = manifest["editions"]
    assert sorted(r["output"] for r in records) == pdfs
    assert manifest["engine"]["brochure"] and manifest["engine"]["reportlab"]
    for r in records:
        path = folder / r["output"]
        pdf = path.read_bytes()
        assert r["status"] == "ok" and r["error"] is None
        assert r["sha256"] == sha(path) and r["bytes"] == len(pdf)
        assert r["pages"] == len(reader(pdf).pages)
        assert f"Clinic {Path(r['clinic']).stem.upper()}" in pdf_text(pdf)
        inputs = {i["role"]: i for group in r["inputs"] for i in manifest["inputs"][group]}
        assert inputs["content"]["path"].endswith(f"kratom/{r['language']}.yaml")
        assert inputs["content"]["sha256"] == sha(KRATOM / f"{r['language']}.yaml")
        assert inputs["locale"]["path"].endswith(f"locales/{r['language']}.yaml")
        assert inputs["layout"]["path"].endswith(f"layouts/{r['layout']}.yaml")
        assert inputs["clinic"]["sha256"] == sha(Path(r["clinic"]))
        assert ("source" in inputs) == (r["language"] != "en")
        assert {"font table", "font"} <= set(inputs)
    assert leftovers(folder) == []


def test_short_form_takes_clinic_files_as_a_shell_glob_gives_them(tmp_path: Path) -> None:
    a, b = clinic(tmp_path, "a"), clinic(tmp_path, "b")
    out_dir = tmp_path / "out"
    code, out, err = run_cli("batch", "kratom", "--layout", "clinic", "--clinic", str(a),
                             str(b), "-o", str(out_dir), "-j", "1")
    assert code == 0, err
    assert sorted(p.name for p in out_dir.glob("*.pdf")) == [
        "kratom-en-clinic-a.pdf", "kratom-en-clinic-b.pdf"]  # the names 'build' gives
    assert out.splitlines()[1].split()[:4] == ["2", "0", "0", "2"]


def test_batch_writes_the_same_bytes_as_build(tmp_path: Path) -> None:
    code, _, err = run_cli("batch", "kratom", "--layout", "clinic", "-o", str(tmp_path))
    assert code == 0, err
    [built] = brochure.build(KRATOM, layouts="clinic", out_dir=None)
    assert (tmp_path / "kratom-en-clinic.pdf").read_bytes() == built.pdf


def test_short_form_mistakes_name_the_option(tmp_path: Path) -> None:
    code, out, err = run_cli("batch", "kratom", "--layout", "clinic,glossy", "--paper", "a3",
                             "--clinic", str(tmp_path / "none.yaml"), "-o", str(tmp_path))
    assert code == 1 and out == ""
    layout_line, paper_line, clinic_line = err.splitlines()
    assert layout_line.startswith("error: --layout: unknown layout 'glossy'; available "
                                  "layouts: clinic, general")
    assert paper_line == "--paper: 'a3' is not a paper size; use one of: letter, a4, all"
    assert clinic_line == f"--clinic: clinic profile '{tmp_path / 'none.yaml'}' not found"


def test_plan_file_refuses_short_form_options(project: Path) -> None:
    code, _, err = run_cli("batch", str(project), "--lang", "es")
    assert code == 2
    assert f"--lang cannot be used with a plan file; set 'languages' in {project}" in err


# -- reruns -------------------------------------------------------------------------------

def test_rerun_rebuilds_nothing_and_rewrites_nothing(project: Path) -> None:
    plan = load_plan(project)
    first = batch.run(plan, jobs=1)
    assert (len(first.built), len(first.unchanged), len(first.failed)) == (4, 0, 0)
    before = stamps(project.parent / "out")
    again = batch.run(load_plan(project), jobs=1)
    assert (len(again.built), len(again.unchanged), len(again.failed)) == (0, 4, 0)
    assert not again.manifest_written
    assert stamps(project.parent / "out") == before


def test_changing_one_clinic_rebuilds_only_its_editions(project: Path) -> None:
    batch.run(load_plan(project), jobs=1)
    clinic(project.parent, "b", phone="555-0199")
    report = batch.run(load_plan(project), jobs=1)
    assert sorted(r.output for r in report.built) == ["kratom-en-clinic-b.pdf",
                                                       "kratom-en-general-b.pdf"]
    assert len(report.unchanged) == 2 and report.manifest_written
    assert "555-0199" in pdf_text((project.parent / "out" / "kratom-en-clinic-b.pdf")
                                  .read_bytes())


def test_an_edited_or_deleted_output_is_rebuilt(project: Path) -> None:
    batch.run(load_plan(project), jobs=1)
    out = project.parent / "out"
    (out / "kratom-en-clinic-a.pdf").write_bytes(b"%PDF-1.4 edited by hand")
    (out / "kratom-en-general-b.pdf").unlink()
    report = batch.run(load_plan(project), jobs=1)
    assert [r.output for r in report.built] == ["kratom-en-clinic-a.pdf",
                                                "kratom-en-general-b.pdf"]


def test_an_output_rewritten_with_the_same_size_is_rebuilt(project: Path) -> None:
    batch.run(load_plan(project), jobs=1)
    pdf = project.parent / "out" / "kratom-en-clinic-a.pdf"
    original = pdf.read_bytes()
    pdf.write_bytes(original[:-8] + b"%edited\n")  # same size, a new modification time
    report = batch.run(load_plan(project), jobs=1)
    assert [r.output for r in report.built] == ["kratom-en-clinic-a.pdf"]
    assert pdf.read_bytes() == original


def test_manifest_gives_each_edition_its_inputs_and_one_line(project: Path) -> None:
    plan = load_plan(project)
    batch.run(plan, jobs=1)
    text = (project.parent / "out" / "manifest.json").read_text("utf-8")
    manifest = json.loads(text)
    lines = [line for line in text.splitlines() if line.startswith('{"output": ')]
    assert [json.loads(line.rstrip(",")) for line in lines] == manifest["editions"]
    fingerprints = Fingerprinter()
    for spec, record in zip(plan.editions, manifest["editions"], strict=True):
        listed = [(f["role"], f["sha256"]) for g in record["inputs"]
                  for f in manifest["inputs"][g]]
        assert listed == [(f.role, f.sha256) for f in fingerprints.inputs(spec).files]


def test_a_format_1_manifest_is_read_and_its_editions_are_not_rebuilt(project: Path) -> None:
    batch.run(load_plan(project), jobs=1)
    path = project.parent / "out" / "manifest.json"
    manifest = json.loads(path.read_text("utf-8"))
    for record in manifest["editions"]:  # as format 1 wrote it: inputs in each edition
        record["inputs"] = [f for g in record["inputs"] for f in manifest["inputs"][g]]
        del record["mtime_ns"]
    del manifest["inputs"]
    path.write_text(json.dumps({**manifest, "format": 1}, indent=2), "utf-8")
    report = batch.run(load_plan(project), jobs=1)
    assert (len(report.built), len(report.unchanged)) == (0, 4)
    assert json.loads(path.read_text("utf-8"))["format"] == 2


def test_edition_key_is_the_hash_of_its_documented_json_text(project: Path) -> None:
    from brochure.batch.inputs import engine

    fingerprints = Fingerprinter()
    for spec in load_plan(project).editions:
        inputs = fingerprints.inputs(spec)
        text = json.dumps({"engine": engine(), "options": inputs.options,
                           "inputs": [[f.role, f.sha256] for f in inputs.files]},
                          sort_keys=True)
        assert inputs.key == hashlib.sha256(text.encode()).hexdigest()


def test_a_worker_loads_shared_inputs_once(topic_copy: Path, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    for name in ("load_content", "load_layout", "load_clinic"):
        real = getattr(batch_worker, name)
        monkeypatch.setattr(batch_worker, name, lambda *a, _real=real, _name=name, **k: (
            calls.append(_name), _real(*a, **k))[1])
    for cache in ("_contents", "_layouts", "_clinics"):
        monkeypatch.setattr(batch_worker, cache, batch_worker._Cache(8))
    clinic(tmp_path, "a")
    clinic(tmp_path, "b")
    plan = write(tmp_path, "plan.yaml", f"""
        topics: [{topic_copy}]
        layouts: [clinic, general]
        clinics: [clinics/a.yaml, clinics/b.yaml]
    """)
    report = batch.run(load_plan(plan), jobs=1)
    assert len(report.built) == 4
    assert sorted(calls) == ["load_clinic"] * 2 + ["load_content"] + ["load_layout"] * 2


# -- failures -------------------------------------------------------------------------------

def test_a_broken_clinic_fails_its_editions_and_the_rest_are_built(project: Path) -> None:
    bad = write(project.parent / "clinics", "b.yaml", "name: [x]\n")
    code, out, err = run_cli("batch", str(project), "-j", "2")
    assert code == 1
    folder = project.parent / "out"
    assert sorted(p.name for p in folder.glob("*.pdf")) == [
        "kratom-en-clinic-a.pdf", "kratom-en-general-a.pdf"]
    assert out.splitlines()[1].split()[:4] == ["2", "0", "2", "4"]
    assert (f"failed:\n  2 editions: {folder / 'kratom-en-clinic-b.pdf'}, "
            f"{folder / 'kratom-en-general-b.pdf'}\n"
            f"    {bad}:1:7: name: must be text, not a list\n") in err
    assert err.endswith("error: 2 of 4 editions failed\n")
    records = {r["output"]: r for r in json.loads(
        (folder / "manifest.json").read_text("utf-8"))["editions"]}
    assert records["kratom-en-clinic-b.pdf"]["status"] == "failed"
    assert records["kratom-en-clinic-b.pdf"]["error"] == (
        f"{bad}:1:7: name: must be text, not a list")
    assert records["kratom-en-clinic-a.pdf"]["status"] == "ok"

    clinic(project.parent, "b")  # fixed: the next run builds just the two that failed
    code, out, _ = run_cli("batch", str(project), "-j", "1")
    assert code == 0 and out.splitlines()[1].split()[:4] == ["2", "2", "0", "4"]


@needs_fork
def test_an_edition_killed_mid_write_leaves_no_file_at_its_path(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker writing one edition is killed between writing its temporary file and
    renaming it, every time: that edition fails, the others are built (including those
    that were in progress beside it), and the next run completes it."""
    parent, real_replace = os.getpid(), os.replace

    def dying_replace(src, dst, *args, **kwargs):  # type: ignore[no-untyped-def]
        if os.getpid() != parent and str(dst).endswith("kratom-en-general-a.pdf"):
            os.kill(os.getpid(), signal.SIGKILL)
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", dying_replace)
    report = batch.run(load_plan(project), jobs=2)
    folder = project.parent / "out"
    assert not (folder / "kratom-en-general-a.pdf").exists()
    assert [r.output for r in report.failed] == ["kratom-en-general-a.pdf"]
    assert report.failed[0].error == batch.WORKER_DIED
    assert sorted(r.output for r in report.built) == [
        "kratom-en-clinic-a.pdf", "kratom-en-clinic-b.pdf", "kratom-en-general-b.pdf"]

    monkeypatch.setattr(os, "replace", real_replace)
    again = batch.run(load_plan(project), jobs=2)
    assert [r.output for r in again.built] == ["kratom-en-general-a.pdf"]
    assert len(again.unchanged) == 3
    assert leftovers(folder) == []  # the killed write's temporary file is gone too


def test_ctrl_c_keeps_what_was_finished_and_the_next_run_completes(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real, calls = batch_worker.render_loaded, []

    def interrupted_on_the_second(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(batch_worker, "render_loaded", interrupted_on_the_second)
    report = batch.run(load_plan(project), jobs=1)
    assert report.interrupted and not report.ok
    assert (len(report.built), report.not_run) == (1, 3)
    folder = project.parent / "out"
    assert [p.name for p in folder.glob("*.pdf")] == ["kratom-en-clinic-a.pdf"]
    assert leftovers(folder) == []
    monkeypatch.setattr(batch_worker, "render_loaded", real)
    again = batch.run(load_plan(project), jobs=1)
    assert (len(again.built), len(again.unchanged)) == (3, 1)


def test_a_killed_run_is_resumed_from_its_journal(project: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A run killed before it wrote its manifest (simulated: the manifest is never
    saved) still recorded each finished edition in its journal."""
    monkeypatch.setattr(Manifest, "save", lambda self, *a: False)
    batch.run(load_plan(project), jobs=1)
    folder = project.parent / "out"
    journal = folder / ".manifest.json.journal"
    assert not (folder / "manifest.json").exists() and journal.is_file()
    with journal.open("a") as handle:
        handle.write('{"output": "kratom-en-cli')  # a line cut short by the kill
    monkeypatch.undo()
    report = batch.run(load_plan(project), jobs=1)
    assert (len(report.built), len(report.unchanged)) == (0, 4)
    assert (folder / "manifest.json").is_file() and not journal.exists()


def test_a_second_run_on_the_same_folder_is_refused(project: Path) -> None:
    from brochure.batch.manifest import folder_lock
    from brochure.errors import BrochureError

    folder = project.parent / "out"
    with folder_lock(folder), pytest.raises(BrochureError) as err:
        batch.run(load_plan(project), jobs=1)
    assert str(err.value) == (f"{folder}: another 'brochure batch' is writing to this "
                              "folder; wait for it to finish")


# -- merge ----------------------------------------------------------------------------------

def test_merge_writes_one_pdf_with_an_outline_entry_per_edition(project: Path) -> None:
    merged = project.parent / "print" / "all.pdf"
    code, out, err = run_cli("batch", str(project), "-j", "1", "--merge", str(merged))
    assert code == 0, err
    assert f"merged: {merged} (4 of 4 editions)" in out
    pdf = reader(merged.read_bytes())
    folder = project.parent / "out"
    assert len(pdf.pages) == sum(len(reader(p.read_bytes()).pages)
                                 for p in folder.glob("*.pdf"))
    top = [item.title for item in pdf.outline if not isinstance(item, list)]
    assert top == ["kratom-en-clinic-a", "kratom-en-clinic-b", "kratom-en-general-a",
                   "kratom-en-general-b"]
    assert isinstance(pdf.outline[1], list)  # each edition's own headings nested
    assert "untagged" in pdf.metadata["/Subject"]  # a print file, and it says so
    assert all("/StructParents" not in page for page in pdf.pages)
    before = merged.stat().st_mtime_ns
    code, out, _ = run_cli("batch", str(project), "-j", "1", "--merge", str(merged))
    assert code == 0 and "(4 of 4 editions, unchanged)" in out
    assert merged.stat().st_mtime_ns == before


# -- plans: every mistake with its file and line -------------------------------------------

@pytest.mark.parametrize("text, message", [
    ("topic: kratom\n",
     "{plan}:1:1: topic: is not a field of batch plan; did you mean 'topics'?\n"
     "{plan}:1:1: (top level): is missing the required field 'topics' (topic names, topic "
     "folders or content files)"),
    ("topics: [kratom]\nclinics: [clinics/*.yml]\n",
     "{plan}:2:11: clinics: 'clinics/*.yml' matches no file"),
    ("topics: [kratom]\nclinics: nowhere.yaml\n",
     "{plan}:2:10: clinics: clinic profile 'nowhere.yaml' not found"),
    ("topics: [kratom]\npapers: [a3]\n",
     "{plan}:2:10: papers[0]: is 'a3'; it must be one of: letter, a4"),
    ("topics: [kratom]\nname: '{topic}-{colour}.pdf'\n",
     "{plan}:2:7: name: {colour} is not a field of file names; use {topic}, {lang}, "
     "{layout}, {clinic}, {paper}"),
    ("topics: [kratom]\nname: '{topic}-{lang}-{clinic}.pdf'\n",
     "{plan}:2:7: name: uses {clinic}, but no clinics are given"),
    ("topics: [kratom]\nlayouts: [clinic, general]\nname: '{topic}-{lang}.pdf'\n",
     "{plan}:3:7: name: two editions would be written to the same file 'kratom-en.pdf' "
     "(kratom en clinic and kratom en general); add {layout} to the name pattern"),
    ("topics: [nosuch]\n",
     "{plan}:1:10: topics: no topic or file 'nosuch'; topics found: "
     + ", ".join(find_topics())),
])
def test_plan_mistakes_name_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    plan = write(tmp_path, "plan.yaml", text)
    with pytest.raises(PlanError) as err:
        load_plan(plan)
    assert str(err.value) == message.replace("{plan}", str(plan))


def test_unknown_layout_lists_those_found(tmp_path: Path) -> None:
    plan = write(tmp_path, "plan.yaml", "topics: [kratom]\nlayouts: [clinic, glossy]\n")
    with pytest.raises(PlanError) as err:
        load_plan(plan)
    assert str(err.value).startswith(f"{plan}:2:19: layouts: unknown layout 'glossy'; "
                                     "available layouts: clinic, general")


def test_unknown_language_lists_those_found(tmp_path: Path) -> None:
    plan = write(tmp_path, "plan.yaml", "topics: [kratom]\nlanguages: [en, xx]\n")
    with pytest.raises(PlanError) as err:
        load_plan(plan)
    assert str(err.value).startswith(f"{plan}:2:17: languages: kratom has no 'xx' edition; "
                                     "languages found: en, ")


# -- what counts as an input -----------------------------------------------------------

def test_inputs_follow_translation_source_layout_base_and_logo(tmp_path: Path) -> None:
    logo = tmp_path / "clinics" / "logo.png"
    logo.parent.mkdir()
    logo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 16)
    profile = write(tmp_path / "clinics", "c.yaml", "name: C\nlogo: logo.png\n")
    write(tmp_path / "layouts", "mine.yaml", "description: mine\nbase: general\n")
    plan = write(tmp_path, "plan.yaml", f"""
        topics: [kratom]
        languages: [es]
        layouts: [layouts/mine.yaml]
        clinics: [{profile}]
    """)
    [spec] = load_plan(plan).editions
    inputs = Fingerprinter().inputs(spec)
    roles = [(f.role, f.path.name) for f in inputs.files if f.role != "font"]
    assert roles == [("content", "es.yaml"), ("locale", "es.yaml"),
                     ("vocabulary", "es.yaml"), ("source", "en.yaml"),
                     ("layout", "mine.yaml"), ("layout", "general.yaml"),
                     ("font table", "fonts.yaml"), ("clinic", "c.yaml"), ("logo", "logo.png")]
    assert all(f.sha256 for f in inputs.files)
    logo.write_bytes(logo.read_bytes() + b"\0")
    assert Fingerprinter().inputs(spec).key != inputs.key


def test_a_changed_word_list_changes_the_editions_key(tmp_path: Path, topic_copy: Path
                                                      ) -> None:
    words = write(topic_copy.parent.parent / "vocabulary", "en.yaml",
                  "language: en\nexplained_by: ['(']\nterms: [{term: withdrawal}]\n")
    plan = write(tmp_path, "plan.yaml", f"topics: [{topic_copy}]\nlayouts: [general]\n")
    [spec] = load_plan(plan).editions
    before = Fingerprinter().inputs(spec)
    assert ("vocabulary", words) in [(f.role, f.path) for f in before.files]
    words.write_text(words.read_text("utf-8") + "  # a new term soon\n", "utf-8")
    assert Fingerprinter().inputs(spec).key != before.key


# -- what people see -------------------------------------------------------------------

class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_progress_on_a_terminal_is_one_line_with_rate_and_eta() -> None:
    stream, clock = io.StringIO(), FakeClock()
    progress = Progress(4, stream, live=True, clock=clock)
    clock.now += 2.0
    progress.advance("built a.pdf")
    assert stream.getvalue() == "\r[######------------------] 1/4  0.5/s  ETA 6.0 s\x1b[K"
    clock.now += 0.01
    progress.advance("built b.pdf")  # redrawn at most ten times a second
    assert stream.getvalue().count("\r[") == 1
    progress.note("failed c.pdf: no")
    assert stream.getvalue().endswith("\r\x1b[Kfailed c.pdf: no\n\r[############------------]"
                                      " 2/4  1.0/s  ETA 2.0 s\x1b[K")


def test_progress_elsewhere_is_plain_lines() -> None:
    stream = io.StringIO()
    progress = Progress(12, stream, live=False, clock=FakeClock())
    progress.advance("built a.pdf")
    progress.advance("failed b.pdf: bad clinic")
    assert stream.getvalue() == "[ 1/12] built a.pdf\n[ 2/12] failed b.pdf: bad clinic\n"


def test_summary_table_and_grouped_messages() -> None:
    assert summary(10, 2, 1, 1.3, 2) == [
        "built  unchanged  failed  total  time   rate",
        "   10          2       1     13  1.3 s  7.7/s on 2 workers"]
    assert summary(0, 13, 0, 0.2, 1) == [
        "built  unchanged  failed  total  time   rate",
        "    0         13       0     13  0.2 s  -"]
    lines = grouped([(f"{n}.pdf", "bad logo") for n in "abcdef"] + [("g.pdf", "x\ny")])
    assert lines == ["6 editions: a.pdf, b.pdf, c.pdf, d.pdf and 2 more", "  bad logo",
                     "g.pdf", "  x", "  y"]
