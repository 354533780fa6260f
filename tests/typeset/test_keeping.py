"""What stays together, page budgets and bounded work, on hand-written cases: the
second topic (an over-the-counter medicine with long tables), kratom with a long
personal note in every layout and language, and content made too long on purpose."""

from __future__ import annotations

import io
import itertools
import os
import re
import time
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

import brochure
from brochure.errors import BrochureError, RenderError
from brochure.typeset.geometry import PrintOptions
from tests.conftest import EXAMPLE_CLINIC, KRATOM, write
from tests.typeset.generated import LANGUAGES, LAYOUTS, PANEL_MESSAGE, pages

DATA = Path(__file__).parent / "data"
PAIN_RELIEVER = DATA / "pain-reliever" / "en.yaml"
NOTE = ("Call us before your next visit and bring every medicine you take, with its box. "
        * 8)[:500]
LONG = os.environ.get("BROCHURE_HYPOTHESIS") == "long"


def emergency_pages(pdf: bytes) -> set[int]:
    """The pages the emergency box's tagged content is on (an Aside holding an H3)."""
    _, root, _ = pages(pdf)
    [box] = [e for e in root.walk() if e.role == "Aside" and any(k.role == "H3"
                                                                    for k in e.kids)]
    return {page for page, _ in box.all_content()}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_second_topic_builds_in_every_layout_with_the_emergency_box_whole(layout: str
                                                                          ) -> None:
    [result] = brochure.build(PAIN_RELIEVER, layouts=layout, clinic=EXAMPLE_CLINIC,
                              out_dir=None)
    assert len(emergency_pages(result.pdf)) == 1
    assert result.pages <= {"trifold": 2}.get(layout, result.pages)


# Every layout and language in the long run; in CI each language once and each layout
# at least once.
PAIRS = (list(itertools.product(LANGUAGES, LAYOUTS)) if LONG
         else [(lang, LAYOUTS[i % len(LAYOUTS)]) for i, lang in enumerate(LANGUAGES)])


@pytest.mark.parametrize(("lang", "layout"), PAIRS)
def test_kratom_with_a_500_character_note_keeps_the_emergency_box_whole(lang: str,
                                                                       layout: str) -> None:
    try:
        [result] = brochure.build(KRATOM, languages=lang, layouts=layout, out_dir=None,
                                  clinic=EXAMPLE_CLINIC, prepared_for="Ana", note=NOTE)
    except RenderError as exc:  # a tri-fold may not fit: then it says which panel
        assert layout == "trifold" and PANEL_MESSAGE.search(str(exc)), exc
        return
    assert len(emergency_pages(result.pdf)) == 1


def test_help_lines_sit_on_the_trifold_back_panel_next_to_the_contact() -> None:
    [result] = brochure.build(KRATOM, layouts="trifold", clinic=EXAMPLE_CLINIC,
                              out_dir=None)
    outside = PdfReader(io.BytesIO(result.pdf)).pages[0]
    left, right = float(outside.trimbox.left), float(outside.trimbox.right)
    found: dict[str, float] = {}

    def visit(text, cm, tm, font, size):  # type: ignore[no-untyped-def]
        found.setdefault(text.strip(), tm[4] * cm[0] + cm[4])

    outside.extract_text(visitor_text=visit)
    panel = {label: int((found[label] - left) / (right - left) * 3)
             for label in ("Where to get help", "Questions? Contact")}
    assert set(panel.values()) == {1}  # the middle panel outside: the back


def _kratom(tmp_path: Path, change) -> Path:  # type: ignore[no-untyped-def]
    data = yaml.safe_load((KRATOM / "en.yaml").read_text("utf-8"))
    change(data)
    file = tmp_path / "kratom" / "en.yaml"
    file.parent.mkdir(parents=True)
    file.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return file


def test_an_emergency_box_taller_than_a_panel_is_an_error_saying_by_how_much(
        tmp_path: Path) -> None:
    file = _kratom(tmp_path, lambda d: d["safety"].update(emergency_signs=[
        "Slow, shallow or stopped breathing, or blue lips, or cannot be woken up"] * 40))
    with pytest.raises(RenderError) as caught:
        brochure.build(file, layouts="trifold", out_dir=None)
    assert re.fullmatch(
        rf"{re.escape(str(file))}: the 'trifold' layout keeps the 'emergency' part whole, "
        r"and it is \d+ pt \(about \d+ lines of body text\) taller than a whole inside "
        r"panel \(\d+ pt\) even with type and space shrunk to 88% \(shrink_to_fit in "
        r".*trifold\.yaml:\d+\); shorten it by at least that much", str(caught.value))


def test_a_trifold_with_too_many_key_points_fails_naming_the_cover(tmp_path: Path) -> None:
    long_point = "Kratom can slow your breathing or make it stop when mixed with opioids. " * 4
    file = _kratom(tmp_path, lambda d: d.update(key_points=[long_point] * 8))
    started = time.perf_counter()
    with pytest.raises(RenderError) as caught:
        brochure.build(file, layouts="trifold", out_dir=None)
    assert time.perf_counter() - started < 10
    assert re.fullmatch(
        rf"{re.escape(str(file))}: the 'trifold' layout: the cover panel \(title, "
        r"key_points\) does not fit even with type and space shrunk to 88% \(shrink_to_fit "
        r"in .*trifold\.yaml:\d+\): about \d+ pt \(\d+ lines of body text\) must go, or "
        r"move a part to another panel \(panels in .*trifold\.yaml:\d+\)", str(caught.value))


def test_a_hard_page_budget_is_an_error(tmp_path: Path) -> None:
    layout = write(tmp_path, "one-page.yaml", """
        description: "General layout that must fit one page"
        base: general
        max_pages: 1
        target_pages: null
    """)
    with pytest.raises(RenderError) as caught:
        brochure.build(KRATOM, layouts=str(layout), out_dir=None)
    assert str(caught.value) == (
        f"{KRATOM / 'en.yaml'}: the 'one-page' layout allows at most 1 page(s) (max_pages "
        f"in {layout}:3); this edition needs more than 1; shorten the content or choose a "
        "layout with more room")


def test_a_soft_page_budget_warns_and_strict_makes_it_an_error(tmp_path: Path) -> None:
    layout = write(tmp_path, "short.yaml", """
        description: "General layout meant to fit two pages"
        base: general
        target_pages: 2
    """)
    [result] = brochure.build(KRATOM, layouts=str(layout), out_dir=None)
    warning = (f"{KRATOM / 'en.yaml'}: the 'short' layout is meant to fit on 2 page(s) "
               f"(target_pages in {layout}:3); this edition needs {result.pages}")
    assert warning in result.warnings
    with pytest.raises(BrochureError) as caught:
        brochure.build(KRATOM, layouts=str(layout), out_dir=None, strict=True)
    assert warning in str(caught.value)


def test_a_48_point_body_ends_within_seconds(tmp_path: Path) -> None:
    layout = write(tmp_path, "huge.yaml", """
        description: "General layout with 48 pt body text"
        base: general
        type: {body: 48}
    """)
    started = time.perf_counter()
    try:
        [result] = brochure.build(KRATOM, layouts=str(layout), out_dir=None)
        assert result.pages <= 8
    except RenderError as exc:  # a clear error: the file, the layout, what does not fit
        assert str(exc).startswith(f"{KRATOM / 'en.yaml'}: the 'huge' layout "), exc
    assert time.perf_counter() - started < 10


def test_a_qr_code_stays_on_the_page_of_its_address() -> None:
    for layout in LAYOUTS:
        [result] = brochure.build(KRATOM, layouts=layout, out_dir=None,
                                  options=PrintOptions(qr="https://example.org/kratom"))
        _, root, _ = pages(result.pdf)
        elements = root.walk()
        [figure] = [e for e in elements if e.role == "Figure"]
        caption = elements[elements.index(figure) + 1]
        assert {p for p, _ in figure.all_content()} == {p for p, _ in caption.all_content()}


@pytest.mark.parametrize("count", [20, 80])
def test_a_long_list_of_short_items_in_two_column_sections_builds(tmp_path: Path,
                                                                 count: int) -> None:
    """A list set side by side cannot split; in balanced columns (the clinic layout's
    sections) or past a page it must flow item by item instead of failing."""
    items = [{"term": f"Item {i}", "text": "Short text."} for i in range(count)]
    file = _kratom(tmp_path, lambda d: d["sections"].append(
        {"id": "many", "heading": "Many short items", "body": [{"bullets": items}]}))
    for layout in ("clinic", "general"):
        [result] = brochure.build(file, layouts=layout, out_dir=None)
        assert len(emergency_pages(result.pdf)) == 1
