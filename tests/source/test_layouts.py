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


# -- range validation: a layout that cannot work is refused at validate, with file:line ---

def test_nan_and_infinity_are_refused_with_their_place(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.yaml", """
        description: "x"
        base: general
        type: {body: .nan}
        margins: {left: .inf}
    """)
    with pytest.raises(LayoutError) as caught:
        layouts.load_layout(str(bad))
    assert str(caught.value).splitlines() == [
        f"{bad}:4:17: margins.left: is inf; it must be a length from 0 to 1440 pt (20 in)",
        f"{bad}:3:14: type.body: is nan; it must be a finite number",
    ]


def test_margins_wider_than_the_page_are_refused(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.yaml", """
        description: "x"
        base: general
        margins: {left: 5in, right: 4in}
    """)
    with pytest.raises(LayoutError) as caught:
        layouts.load_layout(str(bad))
    assert str(caught.value) == (
        f"{bad}:3:10: margins: leave a text frame -36 pt wide in the page on letter paper; "
        "it must be at least 96 pt (8 ems of the 12 pt body type, and at least 1 in)")


def test_trifold_panels_too_narrow_for_the_type_are_refused(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.yaml", """
        description: "x"
        base: trifold
        type: {body: 40}
    """)
    with pytest.raises(LayoutError) as caught:
        layouts.load_layout(str(bad))
    assert str(caught.value) == (
        f"{bad}:3:14: type.body: is 40 pt, too large for the margins, which leave a text "
        "frame 223 pt wide in each panel on letter paper; it must be at least 320 pt (8 ems "
        "of the 40 pt body type, and at least 1 in)")


def test_a_layout_needs_a_page_budget(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.yaml", """
        description: "x"
        base: general
        max_pages: null
        target_pages: null
    """)
    with pytest.raises(LayoutError) as caught:
        layouts.load_layout(str(bad))
    assert str(caught.value) == (
        f"{bad}:3:12: max_pages: is missing: a layout needs a page budget, max_pages (hard: "
        "an error past it) or target_pages (soft: a warning)")


def test_a_soft_target_above_the_hard_limit_is_refused(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.yaml", """
        description: "x"
        base: general
        target_pages: 9
    """)
    general = layouts.find("general")
    with pytest.raises(LayoutError) as caught:
        layouts.load_layout(str(bad))
    assert str(caught.value) == (
        f"{bad}:3:15: target_pages: is 9, more than max_pages (8, at {general}:43); the "
        "soft target must be within the hard limit")


def test_keep_together_names_parts_that_exist(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.yaml", """
        description: "x"
        base: general
        keep_together: [emergency, sides]
    """)
    with pytest.raises(LayoutError) as caught:
        layouts.load_layout(str(bad))
    assert str(caught.value).startswith(
        f"{bad}:3:28: keep_together[1]: is 'sides'; it must be one of: title, key_points")


def test_every_shipped_layout_says_why_its_budget_is_hard_or_soft() -> None:
    for name, file in layouts.available([layouts.paths.builtin("layouts")]).items():
        text = file.read_text("utf-8")
        layout = layouts.load_layout(name)
        assert layout.max_pages is not None, name  # every build stops somewhere
        assert "# Page budget" in text, f"{file} does not say why"


def test_a_part_the_layout_keeps_together_moves_whole(tmp_path: Path) -> None:
    path = write(tmp_path, "kept.yaml", """
        description: "General layout keeping the warnings whole"
        base: general
        keep_together: [warnings]
    """)
    [result] = brochure.build(KRATOM, layouts=str(path), out_dir=None)
    from tests.typeset.generated import pages

    found, _, _ = pages(result.pdf)
    on = [p.number for p in found if "Warnings" in pdf_text_of_page(result.pdf, p.number)]
    assert len(on) == 1


def pdf_text_of_page(pdf: bytes, number: int) -> str:
    from tests.conftest import reader

    return reader(pdf).pages[number - 1].extract_text()
