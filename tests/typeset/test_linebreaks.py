"""Line breaks remembered across paragraphs (`typeset.linebreaks`): a paragraph wrapped
from memory is the paragraph ReportLab wraps, line for line and byte for byte on the
page, for generated text, styles and widths."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate

from brochure.typeset import linebreaks

BODY = ParagraphStyle("body", fontName="Helvetica", fontSize=9, leading=11)
STYLES = [BODY,
          ParagraphStyle("justified", BODY, alignment=TA_JUSTIFY, firstLineIndent=12),
          ParagraphStyle("centred", BODY, alignment=TA_CENTER, fontSize=13, leading=16),
          ParagraphStyle("indented", BODY, alignment=TA_LEFT, leftIndent=14, rightIndent=6,
                         bulletIndent=3)]
words = st.sampled_from(["pain", "a", "medicine", "breathing", "Supercalifragilistic" * 3,
                         "co\u00adoperate", "(911)", "—", "well-being", "niño"])
texts = st.lists(words, min_size=0, max_size=60).map(" ".join)
widths = st.floats(20, 500)


def made(text: str, style: ParagraphStyle, bullet: str | None, term: str = "") -> Paragraph:
    """A paragraph of *text*; with a *term*, a bold lead-in before it (two styles)."""
    body = text.replace("&", "&amp;").replace("<", "&lt;")
    return Paragraph(f"<b>{term}</b> {body}" if term else body, style, bulletText=bullet)


def wrapped_state(p: Paragraph) -> tuple:
    lines = p.blPara.lines
    if p.blPara.kind == 0:
        shown = [(space, list(ws)) for space, ws in lines]
    else:
        shown = [(sorted((k, v) for k, v in line.__dict__.items() if k != "words"),
                  [sorted(w.__dict__.items(), key=str) for w in line.words]) for line in lines]
    return p.width, p.height, p._wrapWidths, p._width_max, p.blPara.kind, repr(shown)


def page(p: Paragraph) -> bytes:
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=(600, 2000), invariant=1).build([p])
    return out.getvalue()


@pytest.fixture(autouse=True)
def fresh_memory():
    linebreaks._REMEMBERED.clear()
    yield
    linebreaks._REMEMBERED.clear()


terms = st.sampled_from(["", "", "Capsules:", "Do not"])


@given(text=texts, style=st.sampled_from(STYLES), width=widths,
       bullet=st.sampled_from([None, "•", "12."]), term=terms)
def test_a_paragraph_wrapped_from_memory_is_the_one_reportlab_wraps(text, style, width,
                                                                   bullet, term) -> None:
    linebreaks._REMEMBERED.clear()
    expected = made(text, style, bullet, term)
    expected.wrap(width, 10_000)
    first, again = made(text, style, bullet, term), made(text, style, bullet, term)
    assert linebreaks.wrap(first, width, 10_000) == (expected.width, expected.height)
    assert linebreaks.wrap(again, width, 10_000) == (expected.width, expected.height)
    assert wrapped_state(first) == wrapped_state(again) == wrapped_state(expected)


@given(text=texts, width=widths, term=terms)
def test_a_paragraph_from_memory_splits_and_draws_as_reportlabs(text, width, term) -> None:
    linebreaks._REMEMBERED.clear()
    linebreaks.wrap(made(text, BODY, None, term), width, 10_000)  # remembered
    ours, theirs = made(text, BODY, None, term), made(text, BODY, None, term)
    linebreaks.wrap(ours, width, 10_000)
    theirs.wrap(width, 10_000)
    ours_parts, their_parts = (p.split(width, BODY.leading * 2) for p in (ours, theirs))
    assert [wrapped_state_of_split(x) for x in ours_parts] == \
        [wrapped_state_of_split(x) for x in their_parts]
    # (ReportLab's split of a two-style paragraph edits the words it split: compared
    # after the same split on both sides)
    assert page(ours) == page(theirs)
    drawn_from_memory, control = made(text, BODY, None, term), made(text, BODY, None, term)
    linebreaks.wrap(drawn_from_memory, width, 10_000)
    control.wrap(width, 10_000)  # (then wrapped again at the page's width, as ours is)
    assert page(drawn_from_memory) == page(control)


def wrapped_state_of_split(p: Paragraph) -> tuple:
    p.wrap(400, 10_000)
    return wrapped_state(p)


def test_two_style_paragraphs_from_one_record_share_no_words() -> None:
    text = "<b>Capsules:</b> take them with food and a full glass of water, every day. " * 3
    first, second = Paragraph(text, BODY), Paragraph(text, BODY)
    linebreaks.wrap(first, 120, 1000)
    linebreaks.wrap(second, 120, 1000)
    assert second.blPara.kind == 1 and linebreaks._REMEMBERED
    first.blPara.lines[0].words[0].text += "changed"
    first.frags[0][0] = 999.0  # a broken-up word's width
    third = Paragraph(text, BODY)
    linebreaks.wrap(third, 120, 1000)
    assert wrapped_state(second) == wrapped_state(third)
    assert third.frags[0][0] == second.frags[0][0] != 999.0
    assert "changed" not in third.blPara.lines[0].words[0].text


def test_paragraphs_from_one_record_share_no_lists() -> None:
    text = "Take it with food and a full glass of water, every morning. " * 4
    first, second = made(text, BODY, None), made(text, BODY, None)
    linebreaks.wrap(first, 120, 1000)
    linebreaks.wrap(second, 120, 1000)
    assert linebreaks._REMEMBERED  # the second came from memory
    first.blPara.lines[0][1].append("changed")
    first.blPara.lines[1] = (0, [])
    third = made(text, BODY, None)
    linebreaks.wrap(third, 120, 1000)
    assert wrapped_state(second) == wrapped_state(third)
    assert "changed" not in third.blPara.lines[0][1]


def test_paragraphs_long_enough_without_shaping_are_remembered(monkeypatch) -> None:
    monkeypatch.setattr(linebreaks, "WORTH_REMEMBERING", 100)
    long = "swallowed whole with a full glass of water, " * 3
    thai = ParagraphStyle("shaped", BODY, shaping=1)
    linebreaks.wrap(Paragraph(long, thai), 200, 1000)
    linebreaks.wrap(Paragraph("plain text", BODY), 200, 1000)  # broken sooner than keyed
    assert not linebreaks._REMEMBERED
    linebreaks.wrap(Paragraph(long, BODY), 200, 1000)
    linebreaks.wrap(Paragraph(f"<b>Capsules:</b> {long}", BODY), 200, 1000)
    assert len(linebreaks._REMEMBERED) == 2


@pytest.fixture(autouse=True)
def every_paragraph(monkeypatch):  # the generated ones are short: remember them all
    monkeypatch.setattr(linebreaks, "WORTH_REMEMBERING", 0)


def test_a_paragraph_made_from_runs_is_keyed_by_its_runs_and_wraps_as_reportlabs() -> None:
    from brochure.source.layouts import load_layout
    from brochure.typeset import paragraphs
    from brochure.typeset.fonts import font_set
    from brochure.typeset.styles import make_styles

    layout = load_layout("clinic")
    styles = make_styles(layout, font_set("en", layout.fonts))
    runs = [("Capsules:", True), (" swallow them whole with water, never chewed; " * 3, False)]
    first = paragraphs.make(runs, styles.body, styles)
    again = paragraphs.make(list(runs), styles.body, styles)
    other = paragraphs.make(runs, styles.body, styles, bullet="•")
    keys = [linebreaks._key(p, 200) for p in (first, again, other)]
    assert keys[0] == keys[1] != keys[2] and keys[0][1] == "made of"
    linebreaks.wrap(first, 200, 1000)
    linebreaks.wrap(again, 200, 1000)  # from memory
    control = paragraphs.make(runs, styles.body, styles)
    control.__dict__.pop(linebreaks._KEY)  # wrapped by ReportLab alone
    control.wrap(200, 1000)
    assert wrapped_state(again) == wrapped_state(control)
    assert page(again) == page(control)
