"""`typeset.frozen`: the keys of the layout memories are equal exactly when what they
stand for is — fragments, their lists and plain values, generated."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from reportlab.lib.colors import CMYKColor, Color
from reportlab.platypus.paraparser import ParaFrag

from brochure.typeset.frozen import frozen
from brochure.typeset.paragraphs import Foreign

names = st.sampled_from(["text", "fontName", "fontSize", "link", "us_lines", "rise"])
plain = st.one_of(st.integers(-2, 2), st.floats(-2, 2, allow_nan=False), st.text(max_size=3),
                  st.booleans(), st.none(),
                  st.sampled_from([Color(0, 0, 0), Color(1, 0, 0), CMYKColor(0, 0, 0, 1)]),
                  st.builds(Foreign, st.text(max_size=2), st.sampled_from(["es", "th"])))


def fragment(attributes: dict) -> ParaFrag:
    return ParaFrag(**attributes)


values = st.recursive(
    plain, lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(names, inner, max_size=3).map(fragment)),
    max_leaves=10)


def same(a: object, b: object) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, Foreign):
        return a == b and a.lang == b.lang  # type: ignore[attr-defined]
    if isinstance(a, ParaFrag):
        return same(a.__dict__, b.__dict__)
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)  # type: ignore[attr-defined]
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))  # type: ignore[arg-type]
    return a == b


@given(one=values, other=values)
def test_two_values_freeze_alike_exactly_when_they_are_alike(one, other) -> None:
    a, b = frozen(one), frozen(other)
    if a is None or b is None:  # too deep to freeze: such a value is never remembered
        return
    assert (a == b) == same(one, other)


def test_what_cannot_be_compared_freezes_to_nothing() -> None:
    assert frozen(ParaFrag(text="x", cbDefn={"kind": "img"})) is None
    assert frozen([ParaFrag(text="x"), {"a": 1}]) is None
    assert frozen(ParaFrag(text="x", link=[])) != frozen(ParaFrag(text="x", link=()))
