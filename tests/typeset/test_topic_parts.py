"""The content model for any health topic, read back from the PDFs: optional parts,
precaution levels, how to use it (dose numbers), review dates in each language's own
format, the draft and machine-assisted lines, checklists with drawn tick boxes."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import brochure
from brochure import paths
from brochure.checks.accessibility import audit
from brochure.source.howto import number_text
from tests.conftest import pdf_text, reader
from tests.typeset.test_tagging import tree_of
from tests.typeset.topic_data import OPTIONAL, content, doses, topics, translated, write_topic

LANGUAGES = ["en", "es", "vi", "th", "ar"]
LABELS = {lang: yaml.safe_load((paths.builtin("content") / "locales" / f"{lang}.yaml")
                               .read_text("utf-8"))["labels"] for lang in LANGUAGES}
EN = LABELS["en"]

# The heading each optional part prints (English), for the parts that have one.
HEADINGS = {"benefits": EN["benefits"], "side_effects": EN["side_effects"],
            "emergency": EN["get_help_now"], "interactions": EN["interactions"],
            "do_not_use": EN["do_not_use_if"], "ask_first": EN["ask_first_if"],
            "help_lines": EN["help_lines"], "steps": EN["steps"], "doses": EN["doses"],
            "checklist": "What to tell your pharmacist"}


def readable(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def build(folder: Path, trees: list[dict], language: str = "en", layouts: str = "all"
          ) -> list[brochure.BuildResult]:
    topic = write_topic(folder, trees)
    return brochure.build(topic / f"{language}.yaml", layouts=layouts, out_dir=None)


def printed(pdf: bytes, language: str) -> str:
    """What a reader gets from the page: the text layer, or for right-to-left editions
    (whose numbers pypdf places out of order) the logical text the tags carry."""
    if language == "ar":
        return readable(" ".join(str(e.get("/ActualText", "")) for _, _, e in tree_of(pdf)))
    return readable(pdf_text(pdf))


@given(topics())
def test_any_combination_of_parts_builds_in_every_layout_with_only_what_it_has(tree: dict
                                                                                ) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        results = build(Path(folder), [tree])
    parts = present_parts(tree)
    assert {r.layout for r in results} == {"clinic", "general", "large-print", "trifold"}
    for result in results:
        text = readable(pdf_text(result.pdf))
        for part, heading in HEADINGS.items():
            assert (heading in text) == (part in parts), (result.layout, part)
        assert (EN["how_to_use"] in text) == ("how_to_use" in tree)


def present_parts(tree: dict) -> set[str]:
    safety, how = tree["safety"], tree.get("how_to_use", {})
    levels = {p["level"] for p in safety.get("precautions", [])}
    found = {name for name in ("benefits", "side_effects") if name in tree}
    found |= {name for name in ("interactions", "help_lines") if name in safety}
    found |= {"emergency"} if "emergency_signs" in safety else set()
    found |= {"do_not_use"} if "do-not-use" in levels else set()
    found |= {"ask_first"} if "ask-first" in levels else set()
    found |= {name for name in ("steps", "doses") if name in how}
    found |= {"checklist"} if "sections" in tree else set()
    return found


def dose_figures(dose: dict) -> list[str]:
    """The numbers of a dose as the page must print them, with their unit."""
    unit = dose["unit"]
    out = [f"{number_text(dose['amount'])} {unit}"]
    if "max_per_day" in dose:
        out.append(f"{number_text(dose['max_per_day'])} {unit}")
    return out


@given(doses(), st.sampled_from(["es", "vi"]))
def test_dose_numbers_print_unchanged_in_a_translation(dose_list: list[dict], lang: str
                                                       ) -> None:
    import tempfile

    source = content({"doses", "warnings"}, dose_list, dt.date(2026, 12, 1))
    with tempfile.TemporaryDirectory() as folder:
        results = build(Path(folder), [source, translated(source, lang)], lang,
                        layouts="general")
    text = readable(pdf_text(results[0].pdf))
    for dose in dose_list:
        for figure in dose_figures(dose):
            assert figure in text, figure
        if "every_hours" in dose:
            hours = LABELS[lang]["dose_every_hours"].replace(
                "{hours}", number_text(dose["every_hours"]))
            assert hours in text


def _in_language(lang: str, review: dict) -> dict:
    """A small topic whose every text is one of its language's own labels (so its font
    has every letter)."""
    labels = LABELS[lang]
    return {"topic": "sample", "language": lang, "title": labels["safety"], "review": review,
            "key_points": [labels["key_points"]], "safety": {"warnings": [labels["warnings"]]},
            "sources": [{"title": labels["sources"]}], "disclaimer": labels["about"]}


# The long date format of each language in CLDR, written out: a change of Babel's data or
# of how brochure calls it shows here.
CHECKED = {"en": "December 1, 2026", "es": "1 de diciembre de 2026",
           "vi": "1 tháng 12, 2026", "th": "1 ธันวาคม ค.ศ. 2026", "ar": "1 ديسمبر 2026"}
NEXT = {"en": "June 1, 2027", "es": "1 de junio de 2027", "vi": "1 tháng 6, 2027",
        "th": "1 มิถุนายน ค.ศ. 2027", "ar": "1 يونيو 2027"}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_review_dates_print_in_the_languages_own_date_format(tmp_path: Path, lang: str
                                                             ) -> None:
    review = {"status": "draft", "checked_on": "2026-12-01", "next_review": "2027-06-01"}
    [result] = build(tmp_path, [_in_language(lang, review)], lang, layouts="general")
    text = printed(result.pdf, lang)
    labels = LABELS[lang]
    assert readable(labels["checked_on"].replace("{date}", CHECKED[lang])) in text
    assert readable(labels["next_review"].replace("{date}", NEXT[lang])) in text


# A reviewed edition needs a sign-off record: tests/source/test_review.py builds those and
# reads their "Reviewed by" line; here every generated review is a draft.
@given(st.sampled_from(["draft"]), st.sampled_from(LANGUAGES[:3]),
       st.dates(dt.date(2020, 1, 1), dt.date(2035, 12, 31)))
def test_a_draft_never_says_it_was_reviewed(status: str, lang: str, day: dt.date) -> None:
    import tempfile

    from brochure.source.review_lines import long_date

    review = {"status": status, "checked_on": day.isoformat()}
    with tempfile.TemporaryDirectory() as folder:
        [result] = build(Path(folder), [_in_language(lang, review)], lang,
                         layouts="general")
    text = printed(result.pdf, lang)
    labels = LABELS[lang]
    reviewed_line = readable(labels["last_reviewed"].replace("{date}", long_date(day, lang)))
    checked_line = readable(labels["checked_on"].replace("{date}", long_date(day, lang)))
    if status == "draft":
        assert readable(labels["draft_mark"]) in text and checked_line in text
        assert readable(labels["last_reviewed"].split("{date}")[0]) not in text
    else:
        assert reviewed_line in text and readable(labels["draft_mark"]) not in text


@pytest.mark.parametrize("lang", ["es", "th"])
def test_machine_assisted_edition_says_so_on_every_page(tmp_path: Path, lang: str) -> None:
    review = {"status": "draft", "checked_on": "2026-12-01", "machine_assisted": True}
    tree = _in_language(lang, review)
    tree["safety"]["warnings"] = [LABELS[lang]["draft_note"]] * 12  # several pages
    [result] = build(tmp_path, [tree], lang, layouts="large-print")
    pages = reader(result.pdf).pages
    assert len(pages) >= 2
    mark = readable(LABELS[lang]["machine_assisted_mark"])
    for page in pages:
        assert mark in readable(page.extract_text())
    # (Thai lines break between words without a space: compare without spaces.)
    sentence = "".join(readable(LABELS[lang]["machine_assisted"]).split())
    assert sentence in "".join(readable(pdf_text(result.pdf)).split())


def test_an_edition_without_machine_help_does_not_claim_it(tmp_path: Path) -> None:
    review = {"status": "draft", "checked_on": "2026-12-01"}
    [result] = build(tmp_path, [_in_language("es", review)], "es", layouts="general")
    assert readable(LABELS["es"]["machine_assisted_mark"]) not in readable(pdf_text(result.pdf))


def _every_part() -> dict:
    dose = [{"who": "Adults", "amount": 4, "unit": "mg", "form": "1 spray",
             "every_hours": 4, "max_per_day": 12}]
    return content(set(OPTIONAL), dose, dt.date(2026, 12, 1))


@pytest.mark.parametrize("layout", ["clinic", "general", "large-print", "trifold"])
def test_every_new_part_is_tagged_for_screen_readers(tmp_path: Path, layout: str) -> None:
    [result] = build(tmp_path, [_every_part()], layouts=layout)
    assert audit(result.pdf) == []


@pytest.mark.parametrize("layout", ["clinic", "general", "large-print", "trifold"])
def test_every_new_part_is_read_in_the_layouts_order(tmp_path: Path, layout: str) -> None:
    [result] = build(tmp_path, [_every_part()], layouts=layout)
    [order] = [c for c in result.checks.checks if c.name == "reading order"]
    assert order.status == "pass", order.message


def _squares(pdf: bytes, page_index: int = 0) -> list[tuple[float, float, float, float]]:
    """Square outlines drawn on a page (path objects as wide as they are tall)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    document = pdfium.PdfDocument(io.BytesIO(pdf))
    try:
        page = document[page_index]
        out = []
        for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH], max_depth=3):
            left, bottom, right, top = obj.get_bounds()
            width, height = right - left, top - bottom
            if 4 < width < 20 and abs(width - height) < 1:
                out.append((left, bottom, right, top))
        page.close()
    finally:
        document.close()
    return out


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_checklist_items_each_get_a_drawn_tick_box_not_a_glyph(tmp_path: Path, lang: str
                                                               ) -> None:
    labels = LABELS[lang]
    tree = _in_language(lang, {"status": "draft", "checked_on": "2026-12-01"})
    items = [labels["warnings"], labels["sources"], labels["notes"]]
    tree["sections"] = [{"id": "tell", "heading": labels["notes"], "kind": "checklist",
                         "body": [{"bullets": items}]}]
    [result] = build(tmp_path, [tree], lang, layouts="general")
    boxes = _squares(result.pdf)
    assert len(boxes) == len(items)
    assert "☐" not in pdf_text(result.pdf)
    page_width = float(reader(result.pdf).pages[0].mediabox.width)
    # Each box stands at the start of its line: the left margin, the right one in Arabic.
    for left, _, right, _ in boxes:
        assert (right > page_width * 0.85) if lang == "ar" else (left < page_width * 0.15)
