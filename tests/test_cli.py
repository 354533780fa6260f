"""The CLI as wiring: options reach the library, errors become messages and exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from brochure.cli import main
from tests.conftest import EXAMPLE_CLINIC, KRATOM, reader, write


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_build_defaults_write_every_layout(tmp_path: Path) -> None:
    code, out, err = run("build", "kratom", "-o", str(tmp_path))
    assert code == 0, err
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == ["kratom-en-clinic.pdf", "kratom-en-general.pdf",
                       "kratom-en-large-print.pdf", "kratom-en-trifold.pdf"]
    assert f"wrote {tmp_path / 'kratom-en-clinic.pdf'} (2 pages," in out
    assert err == ""


def test_build_with_clinic_and_paper(tmp_path: Path) -> None:
    code, out, err = run("build", str(KRATOM / "en.yaml"), "--layout", "general", "--paper",
                         "a4", "--clinic", str(EXAMPLE_CLINIC), "-o", str(tmp_path))
    assert code == 0, err
    [pdf] = tmp_path.iterdir()
    assert pdf.name == "kratom-en-general-example-a4.pdf"
    assert round(float(reader(pdf.read_bytes()).pages[0].mediabox.height)) == 842


def test_content_error_exits_1_and_writes_nothing(tmp_path: Path) -> None:
    topic = write(tmp_path / "content" / "t", "en.yaml", "topic: t\nlanguage: en\ntitle: [\n")
    out_dir = tmp_path / "out"
    code, out, err = run("build", str(topic), "-o", str(out_dir))
    assert code == 1
    assert err.startswith(f"error: {topic}:4:1: is not valid YAML")
    assert "Traceback" not in err and out == ""
    assert not out_dir.exists() or not any(out_dir.iterdir())


def test_unknown_layout_and_bad_paper(tmp_path: Path) -> None:
    code, _, err = run("build", "kratom", "--layout", "glossy", "-o", str(tmp_path))
    assert code == 1 and "unknown layout 'glossy'; available layouts: clinic" in err
    code, _, err = run("build", "kratom", "--paper", "a3")
    assert code == 2 and "'a3' is not one of 'letter', 'a4'" in err


def test_missing_language_names_what_exists(tmp_path: Path) -> None:
    code, _, err = run("build", "kratom", "--lang", "xx", "-o", str(tmp_path))
    assert code == 1 and "no 'xx' edition of this topic; languages found: en" in err


def test_validate_reports_ok_and_problems(tmp_path: Path) -> None:
    code, out, err = run("validate", str(KRATOM / "en.yaml"), str(EXAMPLE_CLINIC))
    assert code == 0, err
    assert "content file OK" in out and "clinic file OK" in out
    bad = write(tmp_path, "clinic.yaml", "name: [x]\n")
    code, out, err = run("validate", str(bad))
    assert code == 1
    assert f"{bad}:1:7: name: must be text, not a list" in err


def test_layouts_lists_one_line_each() -> None:
    code, out, _ = run("layouts")
    assert code == 0
    lines = out.splitlines()
    assert any(line.startswith("clinic ") for line in lines)
    assert any(line.startswith("general ") for line in lines)


def test_every_command_has_help_with_an_example() -> None:
    for command in ([], ["build"], ["validate"], ["layouts"]):
        code, out, _ = run(*command, "--help")
        assert code == 0 and "Example" in out


def test_one_broken_layout_file_does_not_hide_the_others(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    (tmp_path / "layouts").mkdir()
    (tmp_path / "layouts" / "broken.yaml").write_text("wording: [plain\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["layouts"])
    assert result.exit_code == 1
    assert "broken       (cannot be used: see below)" in result.stdout
    assert any(line.startswith("clinic ") for line in result.stdout.splitlines())
    assert "broken.yaml:1:10: is not valid YAML: this [ is never closed" in result.stderr
