"""YAML that is valid but hostile, or broken: a file:line message, never a traceback."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from brochure import api
from brochure.errors import ContentError
from brochure.source.yamlsource import MAX_FILE_BYTES, load_yaml, parse_yaml


def message(text: str) -> str:
    with pytest.raises(ContentError) as err:
        parse_yaml(text, Path("f.yaml"))
    return str(err.value)


def test_merge_key_is_refused_at_its_line() -> None:
    assert message("base: {a: 1}\nother:\n  <<: {b: 2}\n") == (
        "f.yaml:3:3: other: merge keys (<<) are not allowed in brochure files; write the "
        "keys out")


@pytest.mark.parametrize("text", ["!!python/name:os.system : 1\n", "? !custom key\n: 1\n",
                                  "!!str [1]: x\n"])
def test_tag_on_a_key_is_refused_at_its_line(text: str) -> None:
    assert message(text).startswith("f.yaml:1:")
    assert "the YAML tag" in message(text) and "is not allowed" in message(text)


def test_tag_on_a_value_is_refused() -> None:
    assert message("a:\n  b: !!int x\n") == (
        "f.yaml:2:6: the YAML tag 'tag:yaml.org,2002:int' is not allowed")


@pytest.mark.parametrize("text", ["[1, 2]: x\n", "{a: 1}: x\n"])
def test_a_list_or_mapping_as_a_key_is_refused(text: str) -> None:
    assert message(text) == ("f.yaml:1:1: a key must be a plain word or text, not a list "
                             "or a mapping")


def test_unclosed_bracket_is_reported_where_it_opens() -> None:
    text = "title: x\nkey_points: [one, two\nbenefits: 3\nsources: 4\n"
    assert message(text) == (
        "f.yaml:2:13: is not valid YAML: this [ is never closed with ] (at line 3, "
        "column 9: expected ',' or ']', but got ':')")


def test_unclosed_quote_is_reported_where_it_opens() -> None:
    assert message('a: 1\nb: "never closed\nc: 2\n').startswith(
        "f.yaml:2:4: is not valid YAML: this quote is never closed")


def test_value_that_cannot_be_what_it_looks_like_is_refused() -> None:
    assert message("review:\n  last_reviewed: 2024-02-30\n") == (
        "f.yaml:2:18: review.last_reviewed: '2024-02-30' cannot be read as a value; put it "
        "in quotes to mean the text")


def test_control_character_yaml_refuses_is_reported_at_its_line() -> None:
    assert message("a: 1\nb: x\x1fy\n") == (
        "f.yaml:2:5: has the invisible control character U+001F, which a handout cannot "
        "print; delete it (it often comes with text pasted from another program)")


def test_ten_megabyte_file_is_refused_at_once_by_validate(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("topic: x\nnote: " + "x" * 10_000_000 + "\n", "utf-8")
    start = time.perf_counter()
    with pytest.raises(ContentError) as err:
        api.validate([big])
    took = time.perf_counter() - start
    assert str(err.value) == (f"{big}: is 10,000,016 bytes; the limit is "
                              f"{MAX_FILE_BYTES:,} bytes for one brochure file")
    assert took < 0.5, f"took {took:.2f} s"


@pytest.mark.parametrize(("where", "says"), [
    ("/dev/zero", "is a device or pipe, not a regular file"),
    (".", "is a folder, not a file"),
    ("missing.yaml", "does not exist"),
])
def test_a_path_that_is_not_a_file_says_what_it_is(tmp_path: Path, where: str,
                                                   says: str) -> None:
    path = Path(where) if where.startswith("/") else tmp_path / where
    with pytest.raises(ContentError) as err:
        load_yaml(path)
    assert str(err.value) == f"{path}: {says}"


def test_a_list_where_a_colour_belongs_is_named_as_a_list(tmp_path: Path) -> None:
    from brochure.errors import LayoutError
    from brochure.source.layouts import load_layout
    from tests.conftest import write

    layout = write(tmp_path, "odd.yaml", "base: clinic\ncolors: {accent: [1, 2]}\n")
    with pytest.raises(LayoutError) as err:
        load_layout(str(layout))
    assert str(err.value) == (f"{layout}:2:18: colors.accent: is a list; it must be a "
                              "colour written #rrggbb")
