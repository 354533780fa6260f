"""Tests for brochure.typeset.scripts: bidi (Arabic, RTL) and thai (word breaking).

They check real behaviour: the visual order and index map that ReportLab gets from
log2vis, the line order of a wrapped RTL paragraph and of its rendered page, and where a
Thai paragraph breaks. Optional packages (python-bidi, PyThaiNLP, the Noto font packages,
pypdfium2) skip the tests that need them.
"""

from __future__ import annotations

import io
import re
import unicodedata
from typing import Any

import pytest
from reportlab.platypus import Paragraph, SimpleDocTemplate

ARABIC = ("إذا تناول طفلك أي دواء أو مادة مثل الكراتوم (kratom) فاتصل فوراً بمركز السموم "
          "على الرقم 1-800-222-1222 على مدار الساعة، والخدمة مجانية وسرية تماماً لجميع الأسر.")
THAI = ("หากบุตรหลานของท่านกลืนยาหรือสารเคมี เช่น กระท่อม (kratom) "
        "โปรดโทรหาศูนย์พิษวิทยาทันทีที่หมายเลข 1-800-222-1222 ตลอด 24 ชั่วโมง")


def _font(language: str) -> str:
    """The regular font the project's font table gives *language* (registered once)."""
    from brochure.typeset.fonts import font_set

    return font_set(language).regular


def _render(flowables: list[Any], width: float, height: float = 400) -> bytes:
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=(width + 40, height), leftMargin=20,
                            rightMargin=20, topMargin=20, bottomMargin=20)
    doc.build(flowables)
    return out.getvalue()


def _nfkc(text: str) -> str:
    """Presentation forms back to letters, without spaces, direction marks or vowel
    marks (pdfium orders a zero-width mark and its letter either way); brackets folded
    to one shape (pdfium reports mirrored brackets inconsistently)."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    text = re.sub(r"[\s\u2066-\u2069]", "", text)
    return text.replace(")", "(")


@pytest.fixture(scope="module")
def bidi() -> Any:
    pytest.importorskip("bidi", reason="python-bidi is not installed")
    from brochure.typeset.scripts import bidi

    return bidi


@pytest.fixture(scope="module")
def rtl(bidi: Any) -> None:
    bidi.enable_rtl()


# --- log2vis ------------------------------------------------------------------------

def test_log2vis_orders_arabic_digits_and_latin(bidi: Any) -> None:
    text = "اتصل (kratom) 1-800 الآن"
    v_to_l: list[int] = []
    l_to_v: list[int] = []
    visual = bidi.log2vis(text, "RTL", clean=True, shape=False,
                          positions_V_to_L=v_to_l, positions_L_to_V=l_to_v)
    # Arabic words reversed, Latin word and number left to right, brackets mirrored
    # around the Latin word (rule N0) so they read "(kratom)".
    assert visual == "نآلا 1-800 (kratom) لصتا"
    assert v_to_l == [23, 22, 21, 20, 19, 14, 15, 16, 17, 18, 13,
                      12, 6, 7, 8, 9, 10, 11, 5, 4, 3, 2, 1, 0]
    assert all(visual[v] == text[i] for v, i in enumerate(v_to_l) if text[i] not in "()")
    assert [l_to_v[i] for i in v_to_l] == list(range(len(visual)))


def test_log2vis_ltr_base_keeps_arabic_run_reversed_inside(bidi: Any) -> None:
    assert bidi.log2vis("abc (كتب) def", "LTR", shape=False) == "abc (بتك) def"
    assert bidi.embedding_levels("abc كتب", "LTR") == [0, 0, 0, 0, 1, 1, 1]


def test_log2vis_joins_letters_and_drops_the_alef_of_lam_alef(bidi: Any) -> None:
    v_to_l: list[int] = []
    visual = bidi.log2vis("سلام", "RTL", positions_V_to_L=v_to_l)
    names = [unicodedata.name(ch) for ch in visual]
    assert names == ["ARABIC LETTER MEEM ISOLATED FORM",
                     "ARABIC LIGATURE LAM WITH ALEF FINAL FORM",
                     "ARABIC LETTER SEEN INITIAL FORM"]
    assert v_to_l == [3, 1, 0]  # the alef (2) lives on in the ligature


def test_isolate_ltr_keeps_phone_number_left_to_right(bidi: Any) -> None:
    text = "على الرقم 1-800-222-1222 الآن"
    # Plain UAX #9: digits after Arabic letters are Arabic numbers, the hyphens
    # between them go right to left.
    assert "1222-222-800-1" in bidi.log2vis(text, "RTL", shape=False)
    isolated = bidi.isolate_ltr(text)
    assert isolated != text
    visual = bidi.log2vis(isolated, "RTL", shape=False)
    assert "1-800-222-1222" in visual
    assert not set(visual) & {"\u2066", "\u2069"}  # clean=True drops the marks


def test_isolate_ltr_wraps_latin_only_brackets(bidi: Any) -> None:
    assert bidi.isolate_ltr("اتصل (Poison Control)") == "اتصل \u2066(Poison Control)\u2069"
    assert bidi.isolate_ltr("(مرحبا kratom)") == "(مرحبا kratom)"


def test_unknown_direction_is_rejected(bidi: Any) -> None:
    with pytest.raises(ValueError, match="base_direction"):
        bidi.log2vis("abc", "UP")


# --- ReportLab ----------------------------------------------------------------------

def test_enable_rtl_is_idempotent(bidi: Any, rtl: None) -> None:
    bidi.enable_rtl()
    bidi.enable_rtl()
    assert bidi.rtl_enabled()


def test_rtl_paragraph_refuses_shaping_style(bidi: Any, rtl: None) -> None:
    style = bidi.rtl_style("shaped", "Helvetica", shaping=1)
    with pytest.raises(ValueError, match="shaping"):
        bidi.rtl_paragraph("abc", style)


def test_reportlab_uses_log2vis_only_without_shaping(
        bidi: Any, rtl: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Why the RTL style says shaping=0: if this fails, ReportLab changed its RTL path."""
    from reportlab.pdfgen import textobject

    font = _font("ar")
    calls: list[str] = []
    real = textobject.log2vis

    def counting(text: str, *args: Any, **kwargs: Any) -> str:
        calls.append(text)
        return real(text, *args, **kwargs)

    monkeypatch.setattr(textobject, "log2vis", counting)
    Paragraph(ARABIC, bidi.rtl_style("plain", font)).wrap(200, 1000)
    assert calls
    calls.clear()
    Paragraph(ARABIC, bidi.rtl_style("shaped", font, shaping=1)).wrap(200, 1000)
    assert calls == []


def test_rtl_paragraph_breaks_lines_in_logical_order(bidi: Any, rtl: None) -> None:
    font = _font("ar")
    paragraph = bidi.rtl_paragraph(ARABIC, bidi.rtl_style("ar", font, fontSize=12))
    paragraph.wrap(180, 1000)
    lines = [words for _, words in paragraph.blPara.lines]
    assert len(lines) >= 3
    logical = [[word.__bidiL__ for word in words] for words in lines]
    # Lines hold consecutive logical words, the first words on the first line...
    flat = [index for line in logical for index in sorted(line)]
    assert flat == list(range(len(flat)))
    # ...and each line is drawn right to left: logical order falls from left to right.
    for line in logical:
        assert line == sorted(line, reverse=True)


def test_rendered_rtl_page_reads_right_to_left_top_to_bottom(bidi: Any, rtl: None) -> None:
    pdfium = pytest.importorskip("pypdfium2", reason="pypdfium2 is not installed")
    raw = pytest.importorskip("pypdfium2.raw")
    import ctypes

    font = _font("ar")
    paragraph = bidi.rtl_paragraph(ARABIC, bidi.rtl_style("ar", font, fontSize=12,
                                                           leading=20))
    pdf = _render([paragraph], 180)

    page = pdfium.PdfDocument(pdf)[0]
    text_page = page.get_textpage()
    chars = []
    for i in range(text_page.count_chars()):
        x, y = ctypes.c_double(), ctypes.c_double()
        raw.FPDFText_GetCharOrigin(text_page, i, x, y)
        chars.append((y.value, x.value, i, text_page.get_text_range(i, 1)))
    # Group by baseline, top line first; marks sit a few points off their baseline.
    rows: list[list[tuple[float, int, str]]] = []  # (x, index, character)
    top = None
    for y, x, i, ch in sorted(chars, key=lambda c: -c[0]):
        if top is None or top - y > 10:
            rows.append([])
            top = y
        rows[-1].append((round(x, 2), i, ch))
    drawn = [_nfkc("".join(ch for _, _, ch in sorted(row))) for row in rows]
    drawn = [line for line in drawn if line]

    words = bidi.isolate_ltr(ARABIC).split()
    expected = []
    for _, line_words in paragraph.blPara.lines:
        chunk, words = words[:len(line_words)], words[len(line_words):]
        expected.append(_nfkc(bidi.log2vis(" ".join(chunk), "RTL")))
    assert len(drawn) == len(expected) >= 3
    assert drawn == expected
    assert drawn[0].endswith(_nfkc("إذا")[::-1])  # first word, right end of the top line
    assert any("1-800-222-1222" in line for line in drawn)


# --- Thai ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def thai() -> Any:
    pytest.importorskip("pythainlp", reason="PyThaiNLP is not installed")
    from brochure.typeset.scripts import thai

    return thai


def test_cluster_boundaries(thai: Any) -> None:
    word = "ที่นี่"  # tho, sara ii, mai ek, no, sara ii, mai ek
    assert [thai.is_cluster_boundary(word, i) for i in range(1, len(word))] == [
        False, False, True, False, False]
    assert not thai.is_cluster_boundary("เด็ก", 1)  # after a leading vowel
    assert not thai.is_cluster_boundary("เด็กๆ", 4)  # before mai yamok
    assert not thai.is_cluster_boundary("น้ำ", 2)  # before sara am


def test_segment_never_splits_a_cluster(thai: Any) -> None:
    marks = {"\u0e31", *map(chr, range(0x0E34, 0x0E3B)), *map(chr, range(0x0E47, 0x0E4F))}
    for text in (THAI, "ผู้ที่มีอาการคลื่นไส้อาเจียนหรือหายใจลำบากควรรีบไปพบแพทย์",
                 "เด็กๆ ไม่ควรกินยาเอง ฯลฯ"):
        words = thai.segment(text)
        assert "".join(words) == text
        for word in words[1:]:
            assert word[0] not in marks
        for point in thai.break_points(text):
            assert thai.is_cluster_boundary(text, point)
            assert text[point] not in marks


def test_breaks_fall_between_known_words(thai: Any) -> None:
    text = "หากบุตรหลานของท่านกลืนยา"
    assert thai.segment(text) == ["หาก", "บุตรหลาน", "ของ", "ท่าน", "กลืน", "ยา"]
    assert thai.break_points(text) == [3, 11, 14, 18, 22]
    assert thai.insert_break_opportunities(text, "|") == "หาก|บุตรหลาน|ของ|ท่าน|กลืน|ยา"
    # No break next to spaces, digits or Latin text.
    assert thai.break_points("ตลอด 24 ชั่วโมง (kratom)") == []


def test_add_thai_breaks_leaves_tags_alone(thai: Any) -> None:
    marked = thai.add_thai_breaks("<b>หากบุตรหลาน</b>ของท่าน &amp; ยา")
    assert marked == (f"<b>หาก{thai.BREAK_MARKUP}บุตรหลาน</b>"
                      f"ของ{thai.BREAK_MARKUP}ท่าน &amp; ยา")


def _thai_lines(pdf: bytes) -> list[str]:
    import pypdf

    text = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    return [line for line in text.splitlines() if line.strip()]


def _comparable(text: str) -> str:
    """HarfBuzz glyph variants come back from the PDF as private-use characters and
    sara am as nikhahit + sara aa; tone marks and those go, spaces stay out."""
    text = text.replace("\u0e4d\u0e32", "\u0e33")
    return re.sub(r"[\ue000-\uf8ff\u0e48-\u0e4b\s]", "", text)


def test_narrow_thai_paragraph_breaks_only_between_words(thai: Any) -> None:
    font = _font("th")
    style = thai.thai_style("th", font, fontSize=12, leading=18)
    pdf = _render([thai.thai_paragraph(THAI, style)], 110)
    lines = _thai_lines(pdf)
    assert len(lines) > 3
    # The tiny break spaces are not drawn: no space appears that the source lacks.
    assert sum(line.strip().count(" ") for line in lines) <= THAI.count(" ")
    assert not any("\u200b" in line for line in lines)

    boundaries = {len(_comparable(THAI[:i])) for i in thai.break_points(THAI)}
    boundaries |= {len(_comparable(THAI[:i])) for i, ch in enumerate(THAI) if ch == " "}
    position = 0
    for line in lines[:-1]:
        position += len(_comparable(line))
        assert position in boundaries, f"line ends inside a word: {line!r}"
    assert _comparable("".join(lines)) == _comparable(THAI)


def test_plain_paragraph_would_break_inside_words(thai: Any) -> None:
    """The reason ThaiParagraph exists: stock ReportLab cuts Thai mid-word."""
    font = _font("th")
    style = thai.thai_style("th", font, fontSize=12, leading=18, splitLongWords=1)
    lines = _thai_lines(_render([Paragraph(THAI, style)], 110))
    boundaries = {len(_comparable(THAI[:i])) for i in thai.break_points(THAI)}
    boundaries |= {len(_comparable(THAI[:i])) for i, ch in enumerate(THAI) if ch == " "}
    ends = []
    position = 0
    for line in lines[:-1]:
        position += len(_comparable(line))
        ends.append(position)
    assert not set(ends) <= boundaries
