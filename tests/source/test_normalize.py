"""Text pasted from Word, web pages or macOS: what a reader gets from the PDF."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import brochure
from brochure.errors import ContentError
from brochure.source.content import load_content
from brochure.source.normalize import normalize
from tests.conftest import pdf_text, reader

FIRST_POINT = "Kratom can slow your breathing"


def replace(path: Path, old: str, new: str) -> Path:
    text = path.read_text("utf-8")
    assert old in text, f"test setup: {old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")
    return path


def first_page(topic_file: Path, layout: str = "general") -> str:
    [result] = brochure.build(topic_file, layouts=layout, out_dir=None)
    return reader(result.pdf).pages[0].extract_text()


def test_decomposed_accent_prints_as_the_precomposed_letter(topic_copy: Path) -> None:
    replace(topic_copy, FIRST_POINT, "Cafe\u0301 au lait. " + FIRST_POINT)
    text = first_page(topic_copy)
    assert "Caf\u00e9 au lait" in text
    assert "e\u0301" not in text


def test_zero_width_space_in_footer_and_text_is_never_drawn(topic_copy: Path) -> None:
    replace(topic_copy, FIRST_POINT, "zero\u200bwidth\u200bspace " + FIRST_POINT)
    locale = topic_copy.parent.parent / "locales" / "en.yaml"
    replace(locale, 'page_of: "Page', 'page_of: "Pa\u200bge')
    [result] = brochure.build(topic_copy, layouts="general", out_dir=None)
    text = reader(result.pdf).pages[0].extract_text()
    assert "zerowidthspace" in text and "Page 1 of" in text
    assert "\x00" not in text and "\u200b" not in text  # no box, no stray glyph
    assert not [w for w in result.warnings if "reading order" in w]


def test_zero_width_space_lets_a_long_run_break_between_lines(topic_copy: Path) -> None:
    run = "\u200b".join(["Break"] * 40)
    replace(topic_copy, FIRST_POINT, run + " " + FIRST_POINT)
    lines = first_page(topic_copy).splitlines()
    held = [line for line in lines if "BreakBreak" in line]
    assert len(held) >= 2, "the run must wrap"
    for line in held:  # whole words on every line: wrapped at the zero-width spaces
        assert re.fullmatch(r"(• )?(Break)+( .*)?", line.strip()), line


def test_soft_hyphen_is_not_drawn_where_the_line_does_not_break(topic_copy: Path) -> None:
    # the title is drawn whole in every page's running footer
    replace(topic_copy, 'title: "Kratom:', 'title: "Kra\u00adtom:')
    replace(topic_copy, FIRST_POINT, "co\u00adop " + FIRST_POINT)
    text = pdf_text(brochure.build(topic_copy, layouts="general", out_dir=None)[0].pdf)
    assert "Kra-tom" not in text and "co-op" not in text
    assert "coop" in text and text.count("Kratom: possible benefits") >= 2


def test_control_character_is_refused_with_code_point_field_file_and_line(
        topic_copy: Path) -> None:
    replace(topic_copy, FIRST_POINT, "\u202eKratom can slow your breathing")
    line = next(n for n, text in enumerate(topic_copy.read_text("utf-8").splitlines(), 1)
                if "\u202e" in text)
    with pytest.raises(ContentError) as err:
        load_content(topic_copy)
    assert str(err.value) == (
        f"{topic_copy}:{line}:5: key_points[0]: has the invisible control character "
        "U+202E RIGHT-TO-LEFT OVERRIDE, which a handout cannot print; delete it (it often "
        "comes with text pasted from another program)")


def test_joiners_are_kept_in_arabic_and_dropped_in_latin() -> None:
    arabic = "\u0644\u200d\u0627"
    assert normalize(arabic) == (arabic, [])
    assert normalize("wo\u200drd\u200c") == ("word", [])


def test_no_break_soft_hyphen_and_zero_width_space_are_kept() -> None:
    text = "10\u00a0mg co\u00adop a\u200bb"
    assert normalize(text) == (text, [])


@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60))
def test_normalised_text_is_nfc_and_has_no_refused_character(text: str) -> None:
    out, refused = normalize(text)
    assert unicodedata.is_normalized("NFC", out)
    assert not any(unicodedata.category(c) == "Cc" and c not in "\t\n\r" for c in out)
    assert set(refused).isdisjoint(out)


def test_soft_hyphen_is_drawn_as_a_hyphen_where_the_line_breaks_there(
        topic_copy: Path) -> None:
    word = "\u00ad".join(["Abra"] * 6)  # may break every four letters
    replace(topic_copy, FIRST_POINT, " ".join([word] * 30))
    lines = [line for line in first_page(topic_copy).splitlines() if "Abra" in line]
    assert any(line.endswith("-") for line in lines), "no line broke at a soft hyphen"
    for line in lines:  # a hyphen only at the end of a line, and whole pieces around it
        assert "-" not in line[:-1], f"a hyphen drawn where the line goes on: {line!r}"
        assert re.fullmatch(r"(• )?(Abra| )+-?( .*)?", line.strip()), line


def test_personal_line_is_normalised_and_refuses_control_characters() -> None:
    from brochure.source.model import Personal

    personal = Personal("Jose\u0301", "Call\u200bus \u202eback")
    assert personal.name == "Jos\u00e9"
    assert personal.problems() == [
        "the note has the invisible control character U+202E RIGHT-TO-LEFT OVERRIDE, "
        "which a handout cannot print; delete it (it often comes with text pasted from "
        "another program)"]
