"""Names that try to escape: whatever folders and files are called, a batch writes only
inside its output folder, and never through a link planted there."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from brochure.batch import run as batch
from brochure.batch.plan import PlanError, load_plan, safe_part
from brochure.errors import BrochureError
from brochure.source.topics import find_topics
from tests.conftest import KRATOM, write


def profile(folder: Path, file_name: str) -> Path:
    return write(folder / "clinics", file_name, 'name: "Clinic"\n')


def plan(folder: Path, clinics: str, name: str = "{clinic}/{topic}.pdf") -> Path:
    return write(folder, "plan.yaml", f"""
        topics: [kratom]
        layouts: [clinic]
        clinics: {clinics}
        output: out
        name: "{name}"
    """)


def inside(path: Path, folder: Path) -> bool:
    return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(folder))


def test_dot_named_profile_is_never_one_of_all_clinics(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    profile(tmp_path / "content", "...yaml")
    profile(tmp_path / "content", "a.yaml")
    editions = load_plan(plan(tmp_path, "all")).editions
    names = [spec.clinic.name for spec in editions if spec.clinic]
    assert "a.yaml" in names and "...yaml" not in names


def test_profile_named_dot_dot_writes_inside_the_output_folder(tmp_path: Path) -> None:
    profile(tmp_path, "...yaml")  # its stem is ".."
    [spec] = load_plan(plan(tmp_path, "[clinics/...yaml]")).editions
    assert inside(spec.output, tmp_path / "out")
    assert spec.output.relative_to(tmp_path / "out").parts == ("_", "kratom.pdf")


def test_topic_folder_named_with_separators_and_dots_writes_inside(tmp_path: Path) -> None:
    topic = tmp_path / "..\\..:evil\t"
    topic.mkdir()
    (topic / "en.yaml").write_text((KRATOM / "en.yaml").read_text("utf-8"), "utf-8")
    plan_file = tmp_path / "plan.yaml"
    plan_file.write_text(f"topics: [{json.dumps(str(topic / 'en.yaml'))}]\n"
                         "layouts: [clinic]\noutput: out\nname: '{topic}/{lang}.pdf'\n",
                         "utf-8")
    [spec] = load_plan(plan_file).editions
    assert inside(spec.output, tmp_path / "out")
    assert spec.output.relative_to(tmp_path / "out").parts == ("_.._evil_", "en.pdf")


def test_output_through_a_linked_folder_outside_is_refused(tmp_path: Path) -> None:
    (tmp_path / "outside").mkdir()
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "linked").symlink_to(tmp_path / "outside")
    plan_file = write(tmp_path, "plan.yaml", "topics: [kratom]\nlayouts: [clinic]\n"
                                             "output: out\nname: 'linked/{topic}.pdf'\n")
    with pytest.raises(PlanError) as err:
        load_plan(plan_file)
    assert "outside the output folder" in str(err.value)
    assert not any((tmp_path / "outside").iterdir())


def test_journal_link_planted_in_the_output_folder_is_not_followed(tmp_path: Path) -> None:
    target = tmp_path / "precious.txt"
    target.write_text("keep me\n", "utf-8")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / ".manifest.json.journal").symlink_to(target)
    plan_file = write(tmp_path, "plan.yaml", "topics: [kratom]\nlayouts: [clinic]\n"
                                             "output: out\n")
    with pytest.raises(BrochureError) as err:
        batch.run(load_plan(plan_file), jobs=1)
    assert "is a symbolic link" in str(err.value)
    assert target.read_text("utf-8") == "keep me\n"
    assert not list((tmp_path / "out").glob("*.pdf"))


def test_hidden_topic_folder_is_not_a_topic(tmp_path: Path) -> None:
    for name in (".hidden", "visible"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "en.yaml").write_text("topic: x\n", "utf-8")
    (tmp_path / "visible" / ".en.yaml").write_text("topic: x\n", "utf-8")
    assert list(find_topics([tmp_path])) == ["visible"]


@given(st.text(max_size=40))
def test_a_substituted_value_is_always_one_plain_file_name_part(value: str) -> None:
    part = safe_part(value)
    assert part and not part.startswith(".") and Path(part).parts == (part,)
    assert not any(c in part for c in "/\\\x00") and part.isprintable()
    assert part.upper().split(".")[0] not in ("CON", "PRN", "AUX", "NUL", "COM1", "LPT1")


def test_pdf_link_planted_at_an_output_path_is_replaced_not_followed(tmp_path: Path) -> None:
    target = tmp_path / "precious.txt"
    target.write_text("keep me\n", "utf-8")
    plan_file = write(tmp_path, "plan.yaml", "topics: [kratom]\nlayouts: [clinic]\n"
                                             "output: out\nname: '{topic}.pdf'\n")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "kratom.pdf").symlink_to(target)
    batch.run(load_plan(plan_file), jobs=1)
    assert target.read_text("utf-8") == "keep me\n"
    written = tmp_path / "out" / "kratom.pdf"
    assert not written.is_symlink() and written.read_bytes().startswith(b"%PDF-")
