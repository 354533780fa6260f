"""Content loading and every content error path: file, line, field and what is right."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import brochure
from brochure.errors import ContentError
from brochure.source import yamlsource
from brochure.source.clinics import load_clinic
from brochure.source.content import load_content
from brochure.source.yamlsource import parse_yaml
from tests.conftest import KRATOM, pdf_text, write


def replace(path: Path, old: str, new: str) -> Path:
    text = path.read_text("utf-8")
    assert old in text, f"test setup: {old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")
    return path


def line_of(path: Path, fragment: str) -> int:
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if fragment in line:
            return number
    raise AssertionError(fragment)


def test_sample_topic_loads_with_every_part() -> None:
    c = load_content(KRATOM / "en.yaml")
    assert c.topic == "kratom" and c.language == "en"
    assert c.benefits is not None and c.side_effects is not None
    assert c.benefits.rows and c.side_effects.common and c.side_effects.serious
    substances = " ".join(i.substance.plain for i in c.safety.interactions)
    for needed in ("Opioids", "Benzodiazepines", "Alcohol", "sleepy"):
        assert needed in substances
    assert "pregnant" in " ".join(a.plain for a in c.safety.avoid_if)
    assert any(h.phone == "1-800-222-1222" for h in c.safety.help_lines)
    assert c.safety.emergency_signs and c.safety.emergency_action is not None
    assert {s.id for s in c.sections} >= {"what-is-it"}
    assert c.is_draft and c.labels["page_of"] == "Page {page} of {pages}"


def test_the_old_field_names_still_load(topic_copy: Path) -> None:
    c = load_content(topic_copy)  # last_reviewed and avoid_if, as written before
    assert c.review.checked == c.review.last_reviewed is not None
    assert [p.level for p in c.safety.precautions] == ["do-not-use"]


def test_source_biography_is_not_an_authority() -> None:
    text = (KRATOM / "en.yaml").read_text("utf-8")
    for claim in ("Thompson", "Harvard", "renowned", "Ph.D"):
        assert claim not in text


def test_malformed_yaml_names_file_and_line(topic_copy: Path) -> None:
    replace(topic_copy, 'title: "Kratom', 'title: [unclosed "Kratom')
    with pytest.raises(ContentError) as err:
        load_content(topic_copy)
    message = str(err.value)
    assert message.startswith(f"{topic_copy}:")
    assert "is not valid YAML" in message


def test_missing_required_field(topic_copy: Path) -> None:
    replace(topic_copy, "disclaimer:\n", "not_a_disclaimer:\n")
    with pytest.raises(ContentError) as err:
        load_content(topic_copy)
    problems = [str(p) for p in err.value.problems]
    top = line_of(topic_copy, "topic: kratom")
    assert f"{topic_copy}:{top}:1: (top level): is missing the required field 'disclaimer' " \
           "(what this handout is not (e.g. not medical advice))" in problems
    line = line_of(topic_copy, "not_a_disclaimer")
    assert any(p.startswith(f"{topic_copy}:{line}:1: not_a_disclaimer: is not a field")
               for p in problems)


def test_wrong_type_and_closed_choice(topic_copy: Path) -> None:
    replace(topic_copy, "evidence_level: anecdotal", "evidence_level: proven")
    replace(topic_copy, "  - id: what-is-it\n    heading:",
            "  - id: what-is-it\n    heading: [1, 2]\n    old_heading:")
    with pytest.raises(ContentError) as err:
        load_content(topic_copy)
    problems = [str(p) for p in err.value.problems]
    line = line_of(topic_copy, "evidence_level: proven")
    assert (f"{topic_copy}:{line}:23: benefits.rows[1].evidence_level: is 'proven'; it must "
            "be one of: anecdotal, case-reports, laboratory, limited-studies, clinical-trials, "
            "systematic-reviews, guidelines, expert-consensus") in problems
    assert any("sections[0].heading: must be text, or a mapping with 'plain' and/or "
               "'clinical' text, not a list" in p for p in problems)


def test_all_problems_are_reported_at_once(topic_copy: Path) -> None:
    replace(topic_copy, "evidence_level: anecdotal", "evidence_level: proven")
    replace(topic_copy, "status: draft", "status: done")
    with pytest.raises(ContentError) as err:
        load_content(topic_copy)
    assert len(err.value.problems) == 2


def test_empty_table_is_refused(topic_copy: Path) -> None:
    text = topic_copy.read_text("utf-8")
    start = text.index("  rows:\n")
    end = text.index("side_effects:\n")
    topic_copy.write_text(text[:start] + "  rows: []\n\n" + text[end:], "utf-8")
    with pytest.raises(ContentError) as err:
        load_content(topic_copy)
    assert "benefits.rows: has 0 entries; it needs at least 1" in str(err.value)


def test_aliases_and_alias_bombs_are_refused() -> None:
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n"
    with pytest.raises(ContentError) as err:
        parse_yaml(bomb, Path("bomb.yaml"))
    assert "bomb.yaml:1:4: is not valid YAML: anchors and aliases" in str(err.value)


def test_yaml_tags_cannot_construct_objects() -> None:
    with pytest.raises(ContentError) as err:
        parse_yaml("x: !!python/object/apply:os.system ['true']\n", Path("evil.yaml"))
    assert str(err.value) == ("evil.yaml:1:4: the YAML tag "
                              "'tag:yaml.org,2002:python/object/apply:os.system' is not allowed")


def test_duplicate_keys_are_reported() -> None:
    with pytest.raises(ContentError) as err:
        parse_yaml("a: 1\nb: 2\na: 3\n", Path("d.yaml"))
    assert str(err.value) == "d.yaml:3:1: a: appears twice (first at line 1)"


def test_too_long_cell_is_an_error(topic_copy: Path) -> None:
    replace(topic_copy, '"Nausea, constipation, dry mouth"', '"' + "word " * 700 + '"')
    with pytest.raises(ContentError) as err:
        load_content(topic_copy)
    assert "side_effects.common[0].name: is 3,499 characters long; at most 3,000 fit" \
        in str(err.value)


def test_markup_in_content_is_printed_literally(topic_copy: Path, tmp_path: Path) -> None:
    hostile = 'Pain <font size=99>relief</font> & <b>more</b> "x" <unclosed'
    replace(topic_copy, 'plain: "Pain relief"', f"plain: '{hostile}'")
    [result] = brochure.build(topic_copy, layouts="general", out_dir=None)
    assert hostile in pdf_text(result.pdf)


def test_long_cell_and_long_word_wrap_instead_of_overflowing(topic_copy: Path) -> None:
    long_cell = ("This cell is long. " * 157).strip()[:2500]
    word = "x" * 200
    url = "https://example.org/" + "a" * 120
    replace(topic_copy, 'clinical: "Most commonly reported gastrointestinal',
            f'clinical: "{long_cell} {word} {url} Most commonly reported gastrointestinal')
    [result] = brochure.build(topic_copy, layouts="clinic", out_dir=None)
    text = pdf_text(result.pdf).replace(" ", "")
    assert word in text and ("example.org/" + "a" * 120) in text
    # Every glyph stays inside the page: the page's text never starts left of the margin
    # nor ends past the right edge.
    from tests.typeset.test_render import text_positions

    width = 612
    for page_xs in text_positions(result.pdf):
        assert all(0 <= x <= width for x in page_xs)


def test_clinic_with_missing_logo(tmp_path: Path) -> None:
    clinic = write(tmp_path, "c.yaml", """
        name: Test Clinic
        logo: images/logo.png
    """)
    with pytest.raises(ContentError) as err:
        load_clinic(clinic)
    assert str(err.value) == (f"{clinic}:2:7: logo: 'images/logo.png' does not exist; give a "
                              f"PNG or JPEG file relative to {tmp_path}")


def test_unknown_label_override(topic_copy: Path) -> None:
    replace(topic_copy, "disclaimer:\n", "labels:\n  no_such_label: x\ndisclaimer:\n")
    with pytest.raises(ContentError) as err:
        load_content(topic_copy)
    assert "labels.no_such_label: is not a known label" in str(err.value)


def test_locale_missing_placeholder(topic_copy: Path) -> None:
    locale = topic_copy.parent.parent / "locales" / "en.yaml"
    replace(locale, 'page_of: "Page {page} of {pages}"', 'page_of: "Page {page}"')
    with pytest.raises(ContentError) as err:
        load_content(topic_copy)
    line = line_of(locale, "page_of")
    assert f"{locale}:{line}:12: labels.page_of: must contain {{pages}}" in str(err.value)


def test_safe_loader_only() -> None:
    # The loader must stay a SafeLoader subclass: no Python object construction.
    from brochure.source.yamlsource import _NoAliasLoader

    assert issubclass(_NoAliasLoader, yaml.SafeLoader)


def _positions(node):  # type: ignore[no-untyped-def]
    """Every value of a node tree with its line and column, depth first."""
    if isinstance(node.value, dict):
        yield node.line, node.column, "{"
        for key, child in node.value.items():
            yield key, node.key_lines[key]
            yield from _positions(child)
    elif isinstance(node.value, list):
        yield node.line, node.column, "["
        for child in node.value:
            yield from _positions(child)
    else:
        yield node.line, node.column, node.value


@pytest.mark.skipif(yamlsource._FastLoader is None, reason="PyYAML was built without libyaml")
def test_libyaml_and_pure_python_loading_agree_on_every_shipped_file(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    root = Path(brochure.__file__).parent.parent
    files = sorted([*root.glob("content/**/*.yaml"), *root.glob("layouts/**/*.yaml")])
    assert len(files) > 10
    fast = {f: list(_positions(parse_yaml(f.read_text("utf-8"), f))) for f in files}
    monkeypatch.setattr(yamlsource, "_FastLoader", None)
    for f in files:
        assert list(_positions(parse_yaml(f.read_text("utf-8"), f))) == fast[f], f
