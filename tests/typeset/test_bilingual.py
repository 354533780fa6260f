"""Bilingual editions (--lang es+en), read back from the PDF: both languages' text, each
element's /Lang, one language's part read before the other's, the patient's language in
the reading-start column, the emergency box whole and in both languages on one page.

The shipped kratom editions are built once per language pair and arrangement; generated
pairs of handouts (Hypothesis, of unequal lengths and counts) hold the same guarantees.
"""

from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

import brochure
from brochure import paths
from brochure.errors import BrochureError
from tests.conftest import LONG_HYPOTHESIS, pdf_text
from tests.typeset.generated import handouts

KRATOM = paths.builtin("content") / "kratom"
PAIRS = ("es+en", "ar+en", "vi+en", "th+en")


@dataclass
class Elem:
    role: str
    lang: str | None
    pages: set[int] = field(default_factory=set)
    kids: list[Elem] = field(default_factory=list)
    actual_text: str | None = None

    def walk(self) -> list[Elem]:
        out = [self]
        for kid in self.kids:
            out += kid.walk()
        return out

    def all_pages(self) -> set[int]:
        return set().union(*(e.pages for e in self.walk()))


def tree(pdf: bytes) -> tuple[str, Elem]:
    """The document language and the structure tree, with each element's /Lang."""
    reader = PdfReader(io.BytesIO(pdf))
    number = {page.indirect_reference.idnum: i for i, page in enumerate(reader.pages, 1)}

    def read(node, page: int | None) -> Elem:  # type: ignore[no-untyped-def]
        node = node.get_object()
        pg = node.get("/Pg")
        page = number[pg.idnum] if pg is not None else page
        lang = node.get("/Lang")
        actual = node.get("/ActualText")
        elem = Elem(str(node.get("/S", "")).lstrip("/"), str(lang) if lang is not None else None,
                    actual_text=str(actual) if actual is not None else None)
        kids = node.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            if isinstance(kid, int):
                elem.pages.add(page)  # type: ignore[arg-type]
                continue
            kid_obj = kid.get_object()
            if kid_obj.get("/Type") == "/MCR":
                elem.pages.add(number[kid_obj.get("/Pg").idnum] if "/Pg" in kid_obj else page)
            else:
                elem.kids.append(read(kid, page))
        return elem

    root = reader.trailer["/Root"]
    return str(root["/Lang"]), read(root["/StructTreeRoot"]["/K"][0], None)


def emergency_boxes(root: Elem) -> list[Elem]:
    return [e for e in root.walk() if e.role == "Aside" and any(k.role == "H3" for k in e.kids)]


@pytest.fixture(scope="module")
def shipped() -> dict[tuple[str, str], brochure.BuildResult]:
    """kratom in every shipped pair, general layout, in both arrangements."""
    out = {}
    for pair in PAIRS:
        for arrangement in ("parallel", "sequential"):
            [result] = brochure.build("kratom", languages=pair, layouts="general",
                                      out_dir=None, arrangement=arrangement)
            out[pair, arrangement] = result
    return out


def test_the_command_line_writes_one_pdf_named_for_both_languages(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from brochure.cli import main

    result = CliRunner().invoke(main, ["build", "kratom", "--lang", "es+en", "--layout",
                                       "general", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert [p.name for p in tmp_path.iterdir()] == ["kratom-es+en-general.pdf"]
    text = pdf_text((tmp_path / "kratom-es+en-general.pdf").read_bytes())
    for lang in ("es", "en"):
        content = yaml.safe_load((KRATOM / f"{lang}.yaml").read_text("utf-8"))
        first_point = content["key_points"][0]
        first_point = first_point.get("plain", first_point) if isinstance(
            first_point, dict) else first_point
        assert " ".join(first_point.split()[:5]) in " ".join(text.split()), lang


@pytest.mark.parametrize("pair", PAIRS)
@pytest.mark.parametrize("arrangement", ["parallel", "sequential"])
def test_every_element_says_its_language_and_the_document_the_patients(
        shipped, pair: str, arrangement: str) -> None:
    first, second = pair.split("+")
    doc_lang, root = tree(shipped[pair, arrangement].pdf)
    assert doc_lang == first
    elements = root.walk()[1:]
    assert {e.lang for e in elements} == {first, second}


@pytest.mark.parametrize("pair", PAIRS)
def test_parallel_reads_each_part_in_one_language_then_the_other(shipped, pair: str) -> None:
    first, second = pair.split("+")
    _, root = tree(shipped[pair, "parallel"].pdf)
    sects = [k for k in root.kids]
    assert all(s.role == "Sect" for s in sects)
    # Part by part: the patient's language, then English, never mixed inside a part.
    assert [s.lang for s in sects] == [first, second] * (len(sects) // 2)
    for sect in sects:
        assert {e.lang for e in sect.walk()} == {sect.lang}


@pytest.mark.parametrize("pair", PAIRS)
def test_sequential_reads_the_whole_handout_in_one_language_then_the_other(
        shipped, pair: str) -> None:
    first, second = pair.split("+")
    _, root = tree(shipped[pair, "sequential"].pdf)
    assert [(s.role, s.lang) for s in root.kids] == [("Sect", first), ("Sect", second)]
    # The second language starts on a page of its own.
    assert max(root.kids[0].all_pages()) < min(root.kids[1].all_pages())


@pytest.mark.parametrize("pair", PAIRS)
@pytest.mark.parametrize("arrangement", ["parallel", "sequential"])
def test_the_emergency_box_is_whole_and_in_both_languages_on_one_page(
        shipped, pair: str, arrangement: str) -> None:
    _, root = tree(shipped[pair, arrangement].pdf)
    boxes = emergency_boxes(root)
    # parallel: one pair; sequential: the pair again at the start of each language's part
    assert len(boxes) == (2 if arrangement == "parallel" else 4)
    for a, b in zip(boxes[::2], boxes[1::2], strict=True):
        assert {a.lang, b.lang} == set(pair.split("+"))
        assert len(a.all_pages() | b.all_pages()) == 1


@pytest.mark.parametrize("pair", ["ar+en", "es+en"])
def test_the_patients_language_is_in_the_column_its_readers_start_with(
        shipped, pair: str) -> None:
    from tests.typeset.generated import pages

    first, _ = pair.split("+")
    found, root, owners = pages(shipped[pair, "parallel"].pdf)
    # The first page: where each language's first part (the title) starts.
    page = found[0]
    middle = (page.trim[0] + page.trim[2]) / 2
    by_sect: dict[int, list[float]] = {}
    assert root is not None
    sects = root.kids[0].kids  # StructTreeRoot → Document → Sect, Sect, ...
    for run in page.runs:
        owner = owners.get((run.page, run.mcid)) if run.mcid is not None else None
        while owner is not None and owner.parent is not None and owner.parent.role != "Document":
            owner = owner.parent
        if owner is not None and owner in sects:
            by_sect.setdefault(sects.index(owner), []).append(run.x)
    first_x, second_x = (min(by_sect[i]) for i in (0, 1))
    if first == "ar":  # right to left: the patient's column is the right one
        assert first_x > middle > second_x
    else:
        assert first_x < middle < second_x


@pytest.mark.parametrize("pair", PAIRS)
def test_the_draft_mark_shows_in_both_languages(shipped, pair: str) -> None:
    from brochure.source.content import load_content

    reader = PdfReader(io.BytesIO(shipped[pair, "parallel"].pdf))
    first, second = pair.split("+")
    marks = []
    for lang in (first, second):
        content = load_content(KRATOM / f"{lang}.yaml", [paths.builtin("content") / "locales"])
        marks.append(str(content.labels["draft_mark"]))
    if first in ("ar", "th"):  # shaped text: its glyphs do not read back as the letters
        marks = marks[1:]
    for page in reader.pages:
        text = " ".join(page.extract_text().split())
        for mark in marks:
            assert " ".join(mark.split()) in text


@pytest.mark.parametrize("layout", ["large-print", "trifold"])
def test_layouts_that_cannot_hold_two_languages_say_why(tmp_path: Path, layout: str) -> None:
    from click.testing import CliRunner

    from brochure.cli import main

    result = CliRunner().invoke(main, ["build", "kratom", "--lang", "es+en", "--layout",
                                       layout, "-o", str(tmp_path)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "es+en" in result.output and "one" in result.output
    assert not list(tmp_path.iterdir())


def test_a_language_pair_of_one_language_or_three_is_refused(tmp_path: Path) -> None:
    for code in ("en+en", "es+en+vi", "es+"):
        with pytest.raises(BrochureError):
            brochure.build("kratom", languages=code, layouts="general", out_dir=tmp_path)
    assert not list(tmp_path.iterdir())


def test_checks_are_made_for_each_language(shipped) -> None:
    report = shipped["es+en", "parallel"].checks
    assert report is not None
    subjects = [c.subject for c in report.checks if c.name == "reading order"]
    assert sorted(s.split(":")[0] for s in subjects) == ["en", "es"]
    assert all(c.status == "pass" for c in report.checks if c.name == "reading order")


# -- generated pairs ---------------------------------------------------------------------

@dataclass
class PairOutcome:
    pair: str
    arrangement: str
    pdf: bytes | None = None
    error: str | None = None


def build_pair(first, second, arrangement: str) -> PairOutcome:  # type: ignore[no-untyped-def]
    """Two generated handouts of one topic built as one bilingual general edition."""
    pair = f"{first.lang}+{second.lang}"
    outcome = PairOutcome(pair, arrangement)
    with tempfile.TemporaryDirectory() as folder:
        topic = Path(folder) / "generated"
        topic.mkdir()
        for spec in (first, second):
            (topic / f"{spec.lang}.yaml").write_text(
                yaml.safe_dump(spec.content, allow_unicode=True), "utf-8")
        try:
            [result] = brochure.build(topic, languages=pair, layouts="general",
                                      out_dir=None, arrangement=arrangement,
                                      prepared_for=first.name)
            outcome.pdf = result.pdf
        except BrochureError as exc:
            outcome.error = str(exc)
    return outcome


@pytest.fixture(scope="module")
def generated() -> list[PairOutcome]:
    out: list[PairOutcome] = []
    for first_lang in ("es", "ar", "th"):
        @settings(phases=[Phase.generate], max_examples=12 if LONG_HYPOTHESIS else 1,
                  derandomize=not LONG_HYPOTHESIS, suppress_health_check=list(HealthCheck))
        @given(first=handouts(first_lang), second=handouts("en"),
               arrangement=st.sampled_from(["parallel", "sequential"]))
        def run(first, second, arrangement) -> None:  # type: ignore[no-untyped-def]
            out.append(build_pair(first, second, arrangement))

        run()
    return out


def test_generated_pairs_build_or_say_what_to_shorten(generated) -> None:
    for o in generated:
        if o.error is not None:
            assert "Traceback" not in o.error and "generated" in o.error, o.error
            # It says what to shorten, not which ReportLab object did not fit.
            assert "Flowable <" not in o.error and "shorten" in o.error, o.error
    assert any(o.pdf for o in generated)


def test_generated_pairs_keep_each_language_apart_and_the_emergency_box_whole(
        generated) -> None:
    for o in (o for o in generated if o.pdf):
        first, second = o.pair.split("+")
        doc_lang, root = tree(o.pdf)
        assert doc_lang == first
        assert [s.lang for s in root.kids][:2] == [first, second]
        boxes = emergency_boxes(root)
        assert {b.lang for b in boxes} == {first, second}
        for box in boxes:
            assert len(box.all_pages()) == 1, (o.pair, o.arrangement)


@pytest.mark.parametrize("pair", PAIRS)
@pytest.mark.parametrize("arrangement", ["parallel", "sequential"])
def test_the_accessibility_audit_finds_nothing(shipped, pair: str, arrangement: str) -> None:
    assert [str(f) for f in brochure.audit(shipped[pair, arrangement].pdf)] == []


def test_a_sequential_editions_pages_in_english_have_their_footer_in_english(shipped) -> None:
    pdf = shipped["es+en", "sequential"].pdf
    _, root = tree(pdf)
    english_from = min(root.kids[1].all_pages())
    reader = PdfReader(io.BytesIO(pdf))
    total = len(reader.pages)
    for number, page in enumerate(reader.pages, 1):
        text = " ".join(page.extract_text().split())
        if number < english_from:
            assert f"Página {number} de {total}" in text
        else:
            assert f"Page {number} of {total}" in text


@pytest.mark.parametrize(("block", "line", "message"), [
    ("bilingual:\n  arrangement: diagonal\n", 4, "bilingual.arrangement"),
    ("bilingual:\n  arrangement: parallel\n  changes:\n    max_pages: 0\n", 6, "max_pages"),
    ("bilingual:\n  arrangement: parallel\n  changes: [1, 2]\n", 5, "bilingual.changes"),
])
def test_a_layouts_bilingual_settings_are_checked_with_their_line(
        tmp_path: Path, block: str, line: int, message: str) -> None:
    from brochure.errors import LayoutError
    from brochure.source.layouts import load_layout

    layout = tmp_path / "mine.yaml"
    layout.write_text("base: general\ndescription: mine\n" + block, "utf-8")
    with pytest.raises(LayoutError) as caught:
        load_layout(str(layout), [paths.builtin("layouts")])
    assert f"{layout}:{line}:" in str(caught.value) and message in str(caught.value)


@pytest.mark.parametrize(("languages", "name"), [("en+th", None), ("en", "สมชาย ใจดี ที่นี่")])
def test_thai_in_a_second_language_or_a_name_copies_as_its_letters(
        languages: str, name: str | None) -> None:
    [result] = brochure.build("kratom", languages=languages, layouts="general", out_dir=None,
                              prepared_for=name)
    text = pdf_text(result.pdf)
    assert "ที่" in text
    assert not [c for c in text if "\ue000" <= c <= "\uf8ff"]
    assert not [w for w in result.warnings if "private-use" in w]


def test_a_trifold_layout_given_an_arrangement_says_its_panels_hold_one_language(
        tmp_path: Path) -> None:
    from click.testing import CliRunner

    from brochure.cli import main

    # the shipped tri-fold without its refusal: it extends general's arrangement
    shipped = (paths.builtin("layouts") / "trifold.yaml").read_text("utf-8")
    layout = tmp_path / "fold.yaml"
    layout.write_text(shipped[:shipped.index("bilingual:")], "utf-8")
    result = CliRunner().invoke(main, ["build", "kratom", "--lang", "es+en", "--layout",
                                       str(layout), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "es.yaml: the 'fold' layout is a tri-fold, whose panels hold one language" \
        in result.output
    assert not (tmp_path / "out").exists()
