"""Generated health topics for the tests: any combination of the optional parts.

`topic` draws a content tree (a dict, written to YAML by `write_topic`) with some of
the optional parts present and the others absent; `translated` makes a translation of
it that copies every number and rewords every text.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from hypothesis import strategies as st

from brochure import paths

# Parts a topic may have or not; a topic always has warnings or emergency signs.
OPTIONAL = ("benefits", "side_effects", "emergency", "warnings", "interactions",
            "do_not_use", "ask_first", "help_lines", "intro", "steps", "doses", "device",
            "checklist", "next_review", "machine_assisted")
# (A reviewed edition needs a sign-off record: tests/source/test_review.py builds those.)
UNITS = ("mg", "mL", "g", "mcg")

# A dose number as a source file may write it: whole, or with one decimal.
dose_numbers = st.one_of(st.integers(1, 5000), st.integers(1, 99).map(lambda n: n / 10))


@st.composite
def doses(draw: st.DrawFn) -> list[dict]:
    out = []
    for i in range(draw(st.integers(1, 3))):
        dose: dict = {"who": f"People in group {i + 1}", "amount": draw(dose_numbers),
                      "unit": draw(st.sampled_from(UNITS))}
        if draw(st.booleans()):
            dose["form"] = f"{i + 1} tablets"
        if draw(st.booleans()):
            dose["every_hours"] = draw(st.integers(1, 24))
        if draw(st.booleans()):
            dose["max_per_day"] = draw(dose_numbers)
        if draw(st.booleans()):
            dose["note"] = "Ask a pharmacist if you are not sure."
        out.append(dose)
    return out


def content(parts: set[str], dose_list: list[dict], checked_on: dt.date) -> dict:
    """The content tree of an English topic with *parts* present."""
    if not parts & {"warnings", "emergency"}:
        parts = parts | {"warnings"}
    review: dict = {"status": "reviewed" if "reviewed" in parts else "draft",
                    "checked_on": checked_on}
    if "next_review" in parts:
        review["next_review"] = checked_on + dt.timedelta(days=180)
    if "machine_assisted" in parts:
        review["machine_assisted"] = True
    safety: dict = {}
    if "emergency" in parts:
        safety["emergency_signs"] = ["Slow or no breathing", "Cannot be woken up"]
        safety["emergency_action"] = "Call 911 now."
    if "warnings" in parts:
        safety["warnings"] = ["Keep it where children cannot reach it."]
    if "interactions" in parts:
        safety["interactions"] = [{"substance": "Alcohol", "risk": "It can slow breathing."}]
    precautions = []
    if "do_not_use" in parts:
        precautions.append({"level": "do-not-use", "items": ["You are allergic to it."]})
    if "ask_first" in parts:
        precautions.append({"level": "ask-first", "items": ["You have liver disease."]})
    if precautions:
        safety["precautions"] = precautions
    if "help_lines" in parts:
        safety["help_lines"] = [{"name": "Poison Help", "phone": "1-800-222-1222"}]
    tree: dict = {
        "topic": "sample", "language": "en", "title": "A sample medicine",
        "review": review, "key_points": ["Read the label before you use it."],
        "safety": safety,
        "sources": [{"title": "A public label"}],
        "disclaimer": "This handout gives general facts. It is not medical advice.",
    }
    if "benefits" in parts:
        tree["benefits"] = {"rows": [{"benefit": "Pain relief", "mechanism": "It blocks pain.",
                                      "evidence": "Guidelines support it.",
                                      "evidence_level": "guidelines"}]}
    if "side_effects" in parts:
        tree["side_effects"] = {
            "common": [{"name": "Upset stomach", "description": "It is mild."}],
            "serious": [{"name": "Rash", "description": "Stop and call a doctor."}]}
    how: dict = {}
    if "intro" in parts:
        how["intro"] = "Use it as the label says."
    if "steps" in parts:
        how["steps"] = ["Wash your hands.", "Measure the dose.", "Take it with water."]
    if "doses" in parts:
        how["doses"] = dose_list
    if "device" in parts:
        how["device"] = "the cup in the box"
    if how:
        tree["how_to_use"] = how
    if "checklist" in parts:
        tree["sections"] = [{"id": "tell", "heading": "What to tell your pharmacist",
                             "kind": "checklist", "position": "how_to_use",
                             "body": [{"bullets": ["Every medicine you take.",
                                                   "If you are pregnant."]}]}]
    return tree


@st.composite
def topics(draw: st.DrawFn) -> dict:
    parts = draw(st.sets(st.sampled_from(OPTIONAL)))
    day = draw(st.dates(dt.date(2020, 1, 1), dt.date(2035, 12, 31)))
    return content(set(parts), draw(doses()), day)


def _reworded(value: object, language: str) -> object:
    """Every text of a tree reworded (marked with the language), numbers and keys kept."""
    if isinstance(value, dict):
        return {k: (v if k in ("unit", "level", "kind", "position", "id", "evidence_level",
                               "phone", "status") else _reworded(v, language))
                for k, v in value.items()}
    if isinstance(value, list):
        return [_reworded(v, language) for v in value]
    if isinstance(value, str):
        return f"({language}) {value}"
    return value


def translated(tree: dict, language: str) -> dict:
    out = {k: _reworded(v, language) if k not in ("topic", "review") else v
           for k, v in tree.items()}
    out["language"] = language
    out["translation"] = {"source": "en"}
    return out


def write_topic(folder: Path, trees: list[dict]) -> Path:
    """Write the trees as ``folder/content/sample/<lang>.yaml`` with the shipped locales;
    return the topic folder."""
    topic = folder / "content" / "sample"
    locales = folder / "content" / "locales"
    topic.mkdir(parents=True, exist_ok=True)
    locales.mkdir(exist_ok=True)
    for tree in trees:
        lang = tree["language"]
        (topic / f"{lang}.yaml").write_text(yaml.safe_dump(tree, allow_unicode=True,
                                                           sort_keys=False), "utf-8")
        shipped = paths.builtin("content") / "locales" / f"{lang}.yaml"
        (locales / f"{lang}.yaml").write_text(shipped.read_text("utf-8"), "utf-8")
    return topic
