"""Pages read once per digest (`checks.pagekey`, `pdfscan.scan`): a page met again reads
as it did the first time, and anything a page draws with changes its digest."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import brochure
from brochure.checks import pdfscan
from brochure.checks.pagekey import page_key
from brochure.finish.pdfread import Document
from tests.conftest import KRATOM, reader


class Stream(dict):
    """A stream as the readers give one: a dictionary with its stored data."""

    def __init__(self, entries: dict, data: bytes) -> None:
        super().__init__(entries)
        self._data = data

    def get_data(self) -> bytes:
        return self._data


names = st.sampled_from(["/Font", "/F1", "/Widths", "/ToUnicode", "/Subtype"])
leaves = st.one_of(st.integers(-3, 300), st.floats(allow_nan=False, width=32),
                   st.text(max_size=4), st.binary(max_size=4), st.booleans(), st.none())
resources = st.recursive(
    leaves, lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(names, inner, max_size=3),
        st.builds(Stream, st.dictionaries(names, inner, max_size=2), st.binary(max_size=6))),
    max_leaves=12)


def same(a: object, b: object) -> bool:
    """Equal in value and in kind at every level (1 and 1.0, or a stream and the same
    dictionary without data, draw differently)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, Stream) and a._data != b._data:  # type: ignore[attr-defined]
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)  # type: ignore[attr-defined]
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))  # type: ignore[arg-type]
    return a == b or (a != a and b != b)


@given(one=resources, other=resources)
def test_two_pages_share_a_digest_only_when_they_draw_with_the_same_resources(one, other
                                                                               ) -> None:
    key_one = page_key(1, (612.0, 792.0), b"BT ET", one, {})
    key_other = page_key(1, (612.0, 792.0), b"BT ET", other, {})
    assert (key_one == key_other) == same(one, other)


def test_the_digest_follows_the_page_its_content_and_its_size() -> None:
    fonts = {"/Font": {"/F1": Stream({"/Subtype": "/Type1"}, b"widths")}}
    key = page_key(1, (612.0, 792.0), b"BT (a) Tj ET", fonts, {})
    assert key != page_key(2, (612.0, 792.0), b"BT (a) Tj ET", fonts, {})
    assert key != page_key(1, (595.0, 842.0), b"BT (a) Tj ET", fonts, {})
    assert key != page_key(1, (612.0, 792.0), b"BT (b) Tj ET", fonts, {})
    assert page_key(1, (612.0, 792.0), b"", {"/Font": object()}, {}) is None  # unknown kind


@pytest.mark.parametrize("language", ["en", "th", "ar"])
def test_a_page_met_again_reads_as_when_it_was_first_read(language: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    # General editions for two clinics of the same letters (so the same font subsets):
    # all but the contact page are the same bytes.
    clinics = []
    for number in ("12", "21"):
        clinics.append(tmp_path / f"c{number}.yaml")
        clinics[-1].write_text(f'name: "Community Clinic {number}"\n'
                               f'phone: "(555) 010-00{number}"\n', "utf-8")
    editions = [brochure.build(KRATOM, languages=language, layouts="general",
                               clinic=clinic, out_dir=None)[0].pdf for clinic in clinics]
    pdfscan._PAGES.clear()
    fresh = [pdfscan.scan(Document(pdf)) for pdf in editions]
    for pdf in editions:
        pdfscan._PAGES.clear()
        pdfscan.scan(Document(editions[0]))  # the first edition's pages remembered
        assert pdfscan.scan(Document(pdf)) == fresh[editions.index(pdf)]
        assert pdfscan.scan(reader(pdf)) == fresh[editions.index(pdf)]  # through pypdf
    pdfscan._PAGES.clear()
    for pdf in editions:
        pdfscan.scan(Document(pdf))
    assert len(pdfscan._PAGES) < sum(s.pages for s in fresh)  # pages were shared
