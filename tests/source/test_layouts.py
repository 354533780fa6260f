"""Layouts are data: listing, inheritance, cycles and validation messages."""

from __future__ import annotations

from pathlib import Path

import pytest

import brochure
from brochure.errors import LayoutError
from brochure.source import layouts
from tests.conftest import KRATOM, pdf_text, write


def test_builtin_layouts_are_listed() -> None:
    names = layouts.available()
    assert {"clinic", "general"} <= set(names)
    for name in names:
        assert layouts.load_layout(name).description


def test_unknown_layout_lists_the_known_ones() -> None:
    with pytest.raises(LayoutError) as err:
        layouts.load_layout("glossy")
    assert str(err.value).startswith("unknown layout 'glossy'; available layouts: ")
    assert "clinic" in str(err.value) and "general" in str(err.value)


def test_a_new_layout_is_a_new_file(tmp_path: Path) -> None:
    """A layout that extends 'general' changes only what it names, and builds."""
    write(tmp_path / "layouts", "big.yaml", """
        description: General layout with larger body text
        base: general
        type:
          body: 14
    """)
    layout = layouts.load_layout("big", [tmp_path / "layouts", *layouts.search_dirs()])
    assert layout.type["body"] == 14 and layout.type["h1"] == 17  # h1 inherited
    assert layout.wording == "plain" and layout.name == "big"


def test_layout_file_path_builds(tmp_path: Path) -> None:
    path = write(tmp_path, "mine.yaml", """
        description: Clinic layout with no notes box
        base: clinic
        order: [title, benefits, side_effects, safety]
    """)
    [result] = brochure.build(KRATOM, layouts=str(path), out_dir=None)
    text = pdf_text(result.pdf)
    assert "Possible benefits" in text and "Notes" not in text


def test_inheritance_cycle_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "layouts"
    write(folder, "a.yaml", "base: b\n")
    write(folder, "b.yaml", "base: a\n")
    with pytest.raises(LayoutError) as err:
        layouts.load_layout("a", [folder])
    assert "layouts extend each other in a cycle: a → b → a" in str(err.value)


def test_layout_problems_name_file_line_and_allowed_values(tmp_path: Path) -> None:
    path = write(tmp_path / "layouts", "bad.yaml", """
        description: Broken
        base: general
        wording: fancy
        benefits:
          columns: [benefit, evidence]
          widths: [0.5, 0.6]
    """)
    with pytest.raises(LayoutError) as err:
        layouts.load_layout(str(path))
    problems = [str(p) for p in err.value.problems]
    assert f"{path}:3:10: wording: is 'fancy'; it must be one of: plain, clinical" in problems
    assert any(p.endswith("benefits.widths: adds up to 1.10; the widths are fractions of "
                          "the text width and must add up to 1") for p in problems)


def test_schema_help_is_generated() -> None:
    text = layouts.schema_help()
    assert "wording: one of plain, clinical (required)" in text
