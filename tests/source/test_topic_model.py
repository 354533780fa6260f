"""The content model for any health topic: what the loader accepts and the messages it
gives for what it refuses (file, line, field, what would be right)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

import brochure
from brochure.errors import ContentError
from brochure.source.content import load_content
from tests.source.test_content import line_of
from tests.typeset.topic_data import content, translated, write_topic

DOSE = {"who": "Adults", "amount": 4, "unit": "mg", "every_hours": 4, "max_per_day": 12}


def _topic(tmp_path: Path, **changes: object) -> Path:
    tree = content({"warnings", "doses"}, [dict(DOSE)], dt.date(2026, 12, 1))
    for dotted, value in changes.items():
        node = tree
        *path, last = dotted.split("__")
        for key in path:
            node = node[key]
        if value is None:
            node.pop(last, None)
        else:
            node[last] = value
    return write_topic(tmp_path, [tree]) / "en.yaml"


def _problems(file: Path) -> list[str]:
    with pytest.raises(ContentError) as err:
        load_content(file)
    return [str(p) for p in err.value.problems]


def test_a_translation_that_changes_a_dose_number_is_refused_naming_both_lines(
        tmp_path: Path) -> None:
    source = content({"warnings", "doses"}, [dict(DOSE)], dt.date(2026, 12, 1))
    es = translated(source, "es")
    es["how_to_use"]["doses"][0]["amount"] = 8
    topic = write_topic(tmp_path, [source, es])
    with pytest.raises(ContentError) as err:
        brochure.build(topic / "es.yaml", layouts="general", out_dir=None)
    es_line = line_of(topic / "es.yaml", "amount: 8")
    en_line = line_of(topic / "en.yaml", "amount: 4")
    assert str(err.value) == (
        f"{topic / 'es.yaml'}:{es_line}:13: how_to_use.doses[0].amount: is 8, but the source "
        f"({topic / 'en.yaml'}:{en_line}) has 4; dose numbers and units are copied from "
        "the source unchanged")


def test_a_translation_that_changes_a_unit_is_refused(tmp_path: Path) -> None:
    source = content({"warnings", "doses"}, [dict(DOSE)], dt.date(2026, 12, 1))
    es = translated(source, "es")
    es["how_to_use"]["doses"][0]["unit"] = "g"
    topic = write_topic(tmp_path, [source, es])
    with pytest.raises(ContentError, match=r"doses\[0\]\.unit: is 'g', but the source"):
        brochure.build(topic / "es.yaml", layouts="general", out_dir=None)


def test_emergency_signs_without_an_action_say_what_is_missing(tmp_path: Path) -> None:
    file = _topic(tmp_path, safety__emergency_signs=["Slow breathing"])
    line = line_of(file, "safety:")
    assert f"{file}:{line + 1}:3: safety.emergency_signs: needs 'emergency_action' beside " \
           "it: what to do when the signs appear, e.g. 'Call 911'" in _problems(file)


def test_a_topic_without_warnings_or_emergency_signs_is_refused(tmp_path: Path) -> None:
    file = _topic(tmp_path, safety__warnings=None,
                  safety__precautions=[{"level": "ask-first", "items": ["You are pregnant."]}])
    assert any("safety: needs 'warnings' or 'emergency_signs' (or both)" in p
               for p in _problems(file))


def test_avoid_if_and_precautions_together_are_refused(tmp_path: Path) -> None:
    file = _topic(tmp_path, safety__avoid_if=["You are pregnant."],
                  safety__precautions=[{"level": "ask-first", "items": ["You drink."]}])
    line = line_of(file, "avoid_if:")
    assert (f"{file}:{line + 1}:3: safety.avoid_if: is the older name of a do-not-use group; "
            "with 'precautions' present, move these items into a precautions entry with "
            "'level: do-not-use'") in _problems(file)


def test_avoid_if_is_read_as_one_do_not_use_group(tmp_path: Path) -> None:
    file = _topic(tmp_path, safety__avoid_if=["You are pregnant."])
    safety = load_content(file).safety
    assert [(p.level, [i.plain for i in p.items]) for p in safety.precautions] == [
        ("do-not-use", ["You are pregnant."])]


def test_an_unknown_precaution_level_lists_the_levels(tmp_path: Path) -> None:
    file = _topic(tmp_path, safety__precautions=[{"level": "maybe", "items": ["x"]}])
    assert any("safety.precautions[0].level: is 'maybe'; it must be one of: do-not-use, "
               "ask-first" in p for p in _problems(file))


def test_a_review_needs_the_date_the_information_was_checked(tmp_path: Path) -> None:
    file = _topic(tmp_path, review__checked_on=None)
    line = line_of(file, "review:")
    assert (f"{file}:{line + 1}:3: review: needs 'checked_on': the date the information was "
            "checked, written YYYY-MM-DD") in _problems(file)


def test_a_next_review_before_the_check_is_refused(tmp_path: Path) -> None:
    file = _topic(tmp_path, review__next_review=dt.date(2026, 1, 1))
    assert any("review.next_review: is 2026-01-01, not after checked_on (2026-12-01)" in p
               for p in _problems(file))


def test_last_reviewed_still_stands_for_checked_on(tmp_path: Path) -> None:
    file = _topic(tmp_path, review__checked_on=None, review__last_reviewed="2026-11-25")
    assert load_content(file).review.checked == dt.date(2026, 11, 25)


def test_an_empty_how_to_use_is_refused(tmp_path: Path) -> None:
    file = _topic(tmp_path, how_to_use={"steps": None})
    assert any("how_to_use: is empty; give at least one of intro, steps, doses, device" in p
               for p in _problems(file))


def test_a_dose_amount_must_be_a_number(tmp_path: Path) -> None:
    file = _topic(tmp_path, how_to_use={"doses": [dict(DOSE, amount="four")]})
    assert any("how_to_use.doses[0].amount: must be a number, not text" in p
               for p in _problems(file))


def test_every_locale_has_the_new_evidence_levels_and_labels() -> None:
    from brochure import paths
    from brochure.source.content import LABELS

    for file in sorted((paths.builtin("content") / "locales").glob("*.yaml")):
        data = yaml.safe_load(file.read_text("utf-8"))
        assert {"guidelines", "expert-consensus"} <= set(data["evidence_levels"]), file
        assert set(LABELS) == set(data["labels"]), file
