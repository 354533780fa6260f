"""Localized editions: fonts per script, glyph coverage, completeness and staleness."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pytest

import brochure
from brochure.errors import ContentError
from brochure.source.content import load_content
from tests.conftest import KRATOM, pdf_text, reader
from tests.source.test_content import line_of, replace
from tests.typeset.test_render import fonts_of

# A phrase of each edition that must come out of the PDF's text layer as written.
PHRASES = {
    "es": "BORRADOR — sin revisar",
    "vi": "BẢN NHÁP — chưa được thẩm định",
    "th": "ฉบับร่าง — ยังไม่ได้ตรวจทาน",
    "ar": "مسودة — لم تتم مراجعتها",
}


def readable(text: str) -> str:
    """Extracted text as a reader's copy-paste gets it, compared in NFKC: Arabic comes
    out as presentation forms (NFKC turns them back into letters), Thai's ำ as ํ + า."""
    return unicodedata.normalize("NFKC", text)


@pytest.mark.parametrize("lang", sorted(PHRASES))
def test_edition_builds_with_its_language(lang: str) -> None:
    for result in brochure.build(KRATOM, languages=lang, layouts="all", out_dir=None):
        pdf = reader(result.pdf)
        assert pdf.trailer["/Root"]["/Lang"] == lang
        phrase = readable(PHRASES[lang])
        assert phrase in readable(pdf_text(result.pdf))  # the draft mark, in its language
        for page in pdf.pages:
            assert phrase in readable(page.extract_text())
        fonts = fonts_of(result.pdf)
        assert fonts and all(fonts.values()), fonts


def test_vietnamese_uses_a_font_that_covers_it() -> None:
    [result] = brochure.build(KRATOM, languages="vi", layouts="general", out_dir=None)
    assert any("BeVietnamPro" in name for name in fonts_of(result.pdf))
    assert "Những điểm chính" in pdf_text(result.pdf)


def _topic_with(tmp_path: Path, lang: str) -> Path:
    """A copy of the kratom topic with English and one translation, locales beside it."""
    root = tmp_path / "content"
    for sub in ("kratom", "locales"):
        (root / sub).mkdir(parents=True)
    for name in ("en", lang):
        src = KRATOM / f"{name}.yaml"
        (root / "kratom" / src.name).write_text(src.read_text("utf-8"), "utf-8")
        loc = KRATOM.parent / "locales" / f"{name}.yaml"
        (root / "locales" / loc.name).write_text(loc.read_text("utf-8"), "utf-8")
    return root / "kratom"


def test_missing_glyph_is_an_error_naming_everything(topic_copy: Path) -> None:
    replace(topic_copy, 'plain: "Pain relief"', 'plain: "Pain relief ệ"')
    with pytest.raises(ContentError) as err:
        brochure.build(topic_copy, layouts="general", out_dir=None)
    line = line_of(topic_copy, "Pain relief ệ")
    assert str(err.value) == (
        f"{topic_copy}:{line}:16: benefits.rows[0].benefit.plain: the character 'ệ' "
        "(U+1EC7 LATIN SMALL LETTER E WITH CIRCUMFLEX AND DOT BELOW) is not in the font "
        "atkinson-hyperlegible-regular; use another character or a font that covers it")


def test_missing_and_extra_translated_fields_are_errors(tmp_path: Path) -> None:
    topic = _topic_with(tmp_path, "es")
    es = topic / "es.yaml"
    text = es.read_text("utf-8")
    # The disclaimer is the file's last field: drop its clinical wording.
    last = text.rindex("  clinical:")
    end = text.index("\n", last) + 1
    es.write_text(text[:last] + text[end:], "utf-8")
    with pytest.raises(ContentError) as err:
        brochure.build(es, layouts="general", out_dir=None)
    top = line_of(es, "topic: kratom")
    src_line = line_of(topic / "en.yaml", "General information for patient counselling")
    assert str(err.value) == (
        f"{es}:{top}:1: disclaimer.clinical: is in the source {topic / 'en.yaml'} "
        f"(line {src_line}) but missing from this translation")
    es.write_text(text + "labels:\n  notes: Apuntes\n", "utf-8")  # allowed: labels differ
    brochure.build(es, layouts="general", out_dir=None)
    extra = text.replace("disclaimer:\n", "key_points_extra: x\ndisclaimer:\n")
    es.write_text(extra, "utf-8")
    with pytest.raises(ContentError, match="key_points_extra: is not a field of content"):
        brochure.build(es, layouts="general", out_dir=None)


def test_stale_field_warns_and_strict_fails(tmp_path: Path) -> None:
    topic = _topic_with(tmp_path, "es")
    brochure.api.translation.stamp(topic / "es.yaml")
    [fresh] = brochure.build(topic / "es.yaml", layouts="general", out_dir=None)
    assert not any(": is stale" in w for w in fresh.warnings)
    replace(topic / "en.yaml", "cholestatic or mixed,", "cholestatic or mixed pattern,")
    [result] = brochure.build(topic / "es.yaml", layouts="general", out_dir=None)
    stale = [w for w in result.warnings if ": is stale" in w]
    line = line_of(topic / "en.yaml", "cholestatic or mixed pattern")
    assert stale == [f"{topic / 'es.yaml'}: side_effects.serious[0].description.clinical: is "
                     f"stale: the source text ({topic / 'en.yaml'}:{line}) changed after "
                     "this translation was made"]
    with pytest.raises(ContentError, match="is stale"):
        brochure.build(topic / "es.yaml", layouts="general", out_dir=None, strict=True)


def test_shipped_translations_are_complete_and_current() -> None:
    for lang in ("es", "vi"):
        [result] = brochure.build(KRATOM, languages=lang, layouts="clinic", out_dir=None)
        assert not any(": is stale" in w or "fingerprints" in w for w in result.warnings)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler's pdftoppm")
def test_vietnamese_page_renders_with_poppler(tmp_path: Path) -> None:
    import subprocess

    [result] = brochure.build(KRATOM, languages="vi", layouts="general", out_dir=tmp_path)
    subprocess.run(["pdftoppm", "-r", "40", "-f", "1", "-l", "1", "-png", str(result.path),
                    str(tmp_path / "p")], check=True)
    assert list(tmp_path.glob("p*.png"))


def test_unfinished_scripts_are_refused_not_shipped_broken(tmp_path: Path, monkeypatch
                                                           ) -> None:
    from brochure.typeset import fonts

    table = dict(fonts._table())
    table["unfinished"] = {"thai": "Thai line breaking is switched off"}
    monkeypatch.setattr(fonts, "_table", lambda: table)
    with pytest.raises(brochure.FontError, match="cannot build the 'th' edition yet: Thai "
                                                 "line breaking is switched off"):
        brochure.build(KRATOM, languages="th", layouts="general", out_dir=tmp_path)
    assert not list(tmp_path.iterdir())
    # The content is still checked: schema, completeness, staleness and glyph coverage.
    assert brochure.validate([KRATOM / "th.yaml"]) == [f"{KRATOM / 'th.yaml'}: content file OK"]


def test_thai_lines_break_between_words_not_inside_clusters() -> None:
    from brochure.typeset.scripts.thai import is_cluster_boundary

    [result] = brochure.build(KRATOM, languages="th", layouts="general", out_dir=None)
    lines = [line for page in reader(result.pdf).pages
             for line in page.extract_text().splitlines()]
    thai_lines = [line.strip() for line in lines if any("\u0e01" <= c <= "\u0e4e" for c in line)]
    assert len(thai_lines) > 50
    for line in thai_lines:
        # No line may start with a mark or following vowel: that would be a break inside
        # a cluster. (Extraction maps some stacked marks to private-use characters.)
        first = line.lstrip("• ")[:1]
        assert first and is_cluster_boundary("\u0e01" + first, 1), line


def test_arabic_is_right_to_left_and_joined() -> None:
    [result] = brochure.build(KRATOM, languages="ar", layouts="general", out_dir=None)
    pdf = reader(result.pdf)
    assert str(pdf.trailer["/Root"]["/ViewerPreferences"]["/Direction"]) == "/R2L"
    raw = pdf.pages[0].extract_text()
    # Joined letters are drawn as presentation forms (U+FE70–U+FEFC) ...
    assert sum(1 for c in raw if "\ufe70" <= c <= "\ufefc") > 500
    # ... and pypdf gives the words back in logical order.
    first_sentence = load_content(KRATOM / "ar.yaml").key_points[0].plain.split(".")[0]
    assert first_sentence in readable(raw)
