"""Editions that differ only by clinic profile start shrink-to-fit at the scale another
clinic's edition needed: fewer layouts, and the bytes a search from scratch gives."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import brochure
from brochure.typeset import fitmemory
from brochure.typeset import render as render_module
from tests.conftest import KRATOM

WORDS = st.text(st.characters(codec="latin-1", categories=["L"]), min_size=1, max_size=12)
LINES = st.lists(WORDS, min_size=1, max_size=6).map(" ".join)
CLINICS = st.fixed_dictionaries({
    "name": LINES,
    "address": st.lists(LINES, min_size=1, max_size=4),
    "phone": st.from_regex(r"\(555\) 0[0-9]{2}-[0-9]{4}", fullmatch=True),
}, optional={"notes": st.lists(WORDS, min_size=5, max_size=40).map(" ".join)})


def build(clinic: dict, language: str, folder: Path) -> bytes:
    # the English clinic edition shrinks its type to fit its two pages
    path = folder / f"clinic-{len(list(folder.iterdir()))}.yaml"
    path.write_text(yaml.safe_dump(clinic, allow_unicode=True), "utf-8")
    [result] = brochure.build(KRATOM, languages=language, layouts="clinic", clinic=path,
                              out_dir=None)
    return result.pdf


@settings(max_examples=3)
@given(first=CLINICS, second=CLINICS, language=st.sampled_from(["en", "es"]))
def test_another_clinics_scale_gives_the_bytes_a_fresh_search_gives(
        first: dict, second: dict, language: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        fitmemory._found.clear()
        fresh = build(second, language, Path(folder))
        fitmemory._found.clear()
        build(first, language, Path(folder))  # remembers its scale for any clinic
        assert build(second, language, Path(folder)) == fresh


def test_a_second_clinics_edition_lays_out_fewer_times(monkeypatch: pytest.MonkeyPatch,
                                                        tmp_path: Path) -> None:
    layouts = []
    real = render_module.render
    monkeypatch.setattr(render_module, "render", lambda e: layouts.append(1) or real(e))
    clinic = {"name": "Lakeside Clinic", "address": ["1 Shore Road"]}
    fitmemory._found.clear()
    build(clinic, "en", tmp_path)
    fresh = len(layouts)
    layouts.clear()
    build({**clinic, "name": "Hillside Clinic"}, "en", tmp_path)
    assert len(layouts) < fresh, (len(layouts), fresh)
