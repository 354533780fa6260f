"""Balanced columns that replay their height search (`typeset.columns`): the pages they
make are those of ReportLab's own ``BalancedColumns``, searched or replayed, for
generated column content in generated room."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import BalancedColumns, Paragraph, SimpleDocTemplate, Spacer

from brochure.typeset import columns
from brochure.typeset.columns import RememberedColumns, fingerprint
from brochure.typeset.keeping import Whole, keep_with_next
from brochure.typeset.tagging import Tagged

BODY = ParagraphStyle("body", fontName="Helvetica", fontSize=9, leading=11)
HEAD = ParagraphStyle("head", BODY, fontName="Helvetica-Bold", fontSize=12, leading=14,
                      spaceBefore=6, spaceAfter=3)
WORDS = "pain sleep liver a the medicine doctor breathing emergency take with food".split()


class Head(Tagged):
    pass


# A block: (kind, words); kinds: a heading, a paragraph, a paragraph kept whole, a gap.
blocks = st.lists(st.tuples(st.sampled_from("hpwg"), st.integers(1, 90)), min_size=1,
                  max_size=14)
rooms = st.integers(120, 700)  # page height in points: from a sliver to a whole page


def flowables(spec: list[tuple[str, int]]) -> list:
    out: list = []
    for i, (kind, n) in enumerate(spec):
        text = " ".join(WORDS[(i + j) % len(WORDS)] for j in range(n))
        if kind == "h":
            out.append(Head(Paragraph(text[:60], HEAD), "H2"))
        elif kind == "g":
            out.append(Spacer(0, n / 3))
        elif kind == "w":
            out.append(Whole([Tagged(Paragraph(text[:200], BODY), "P")], "box"))
        else:
            out.append(Tagged(Paragraph(text, BODY), "P"))
    return keep_with_next(out, Head)


def pdf(kind: type, spec: list[tuple[str, int]], room: int) -> bytes:
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=(320, room + 40), leftMargin=20, rightMargin=20,
                            topMargin=20, bottomMargin=20, invariant=1)
    story = [Tagged(Paragraph("Before the columns", BODY), "P"),
             kind(flowables(spec), nCols=2, innerPadding=12)]
    doc.build(story)
    return out.getvalue()


def outcome(kind: type, spec: list[tuple[str, int]], room: int) -> bytes | str:
    """The PDF, or the name of the error ReportLab stopped with (a column block of a
    lone spacer, say, is one ReportLab cannot lay out: it must fail the same way)."""
    try:
        return pdf(kind, spec, room)
    except Exception as exc:  # noqa: BLE001 - compared, not hidden
        return type(exc).__name__


@pytest.fixture(autouse=True)
def fresh_memory():
    columns._REMEMBERED.clear()
    yield
    columns._REMEMBERED.clear()


@given(spec=blocks, room=rooms)
def test_searched_and_replayed_columns_make_reportlabs_pages(spec, room) -> None:
    columns._REMEMBERED.clear()
    expected = outcome(BalancedColumns, spec, room)
    assert outcome(RememberedColumns, spec, room) == expected  # searched, and remembered
    assert outcome(RememberedColumns, spec, room) == expected  # replayed


@given(spec=blocks, room=rooms, other=rooms)
def test_the_same_columns_in_other_room_are_searched_for_that_room(spec, room, other
                                                                    ) -> None:
    columns._REMEMBERED.clear()
    outcome(RememberedColumns, spec, room)
    assert outcome(RememberedColumns, spec, other) == outcome(BalancedColumns, spec, other)


def test_a_replay_makes_only_the_splits_that_are_drawn(monkeypatch) -> None:
    spec = [("h", 3), ("p", 80), ("p", 40), ("h", 2), ("p", 70), ("p", 60), ("p", 30)]
    calls, blocks = [], []  # trial splits; column blocks laid out (one per page here)
    find, generate = BalancedColumns._findSplit, BalancedColumns._generated_content

    def counted(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(args[2])
        return find(self, *args, **kwargs)

    def block(self, *args):  # type: ignore[no-untyped-def]
        blocks.append(type(self))
        return generate(self, *args)

    monkeypatch.setattr(BalancedColumns, "_findSplit", counted)
    monkeypatch.setattr(BalancedColumns, "_generated_content", block)
    expected = pdf(BalancedColumns, spec, 400)
    searched = len(calls)
    assert len(blocks) == 2  # the columns run over to a second page
    calls.clear()
    pdf(RememberedColumns, spec, 400)
    assert len(calls) == searched  # the first time, the whole search
    calls.clear()
    assert pdf(RememberedColumns, spec, 400) == expected
    # Each block: the splits of the one column height drawn (two columns and a check),
    # the block on the second page too.
    assert 2 <= len(calls) <= 3 * 2 < searched / 5


def test_a_record_that_no_longer_holds_falls_back_to_the_search() -> None:
    spec = [("p", 80), ("p", 40), ("h", 2), ("p", 70), ("p", 60)]
    expected = pdf(BalancedColumns, spec, 300)
    pdf(RememberedColumns, spec, 300)
    recorded = dict(columns._REMEMBERED)
    assert recorded
    for key, (answers, drawn) in recorded.items():
        # Every answer off by a point: the really made split disagrees with the record.
        columns._REMEMBERED[key] = ([(w, h + 1, a, b) for w, h, a, b in answers], drawn)
    assert pdf(RememberedColumns, spec, 300) == expected
    assert dict(columns._REMEMBERED) == recorded  # searched again and recorded anew


def test_what_decides_a_split_is_in_the_fingerprint() -> None:
    one = flowables([("h", 3), ("p", 20)])
    assert fingerprint(one) == fingerprint(flowables([("h", 3), ("p", 20)]))
    assert fingerprint(one) != fingerprint(flowables([("h", 3), ("p", 21)]))
    bigger = ParagraphStyle("bigger", BODY, fontSize=10)
    assert fingerprint([Tagged(Paragraph("x y", BODY), "P")]) != fingerprint(
        [Tagged(Paragraph("x y", bigger), "P")])
    # A kind of flowable it does not know: no fingerprint, so never remembered.
    assert fingerprint([*one, BalancedColumns([Paragraph("x", BODY)])]) is None
