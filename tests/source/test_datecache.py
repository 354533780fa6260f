"""Long dates come from the user cache after their first use; they must be exactly what
Babel writes, in every language, and a cache that cannot be read changes nothing."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from brochure.source import datecache, review_lines

LANGUAGES = st.sampled_from(["en", "es", "vi", "th", "ar", "pt-BR", "zz"])
DAYS = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31))


@pytest.fixture(autouse=True, scope="module")
def own_cache(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The dates these tests keep go to a folder of their own, not the user's cache."""
    before = os.environ.get("BROCHURE_CACHE_DIR")
    os.environ["BROCHURE_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    datecache._kept.clear()
    yield
    datecache._kept.clear()
    if before is None:
        del os.environ["BROCHURE_CACHE_DIR"]
    else:
        os.environ["BROCHURE_CACHE_DIR"] = before


@given(DAYS, LANGUAGES)
def test_a_kept_date_reads_as_babel_writes_it(day: dt.date, language: str) -> None:
    fresh = review_lines._babel_long_date(day, language)
    assert review_lines.long_date(day, language) == fresh
    datecache._kept.clear()  # read back from the file, as the next run does
    assert review_lines.long_date(day, language) == fresh


def test_an_unreadable_cache_only_costs_the_formatting(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("BROCHURE_CACHE_DIR", str(tmp_path / "cache"))
    datecache._kept.clear()
    day = dt.date(2026, 12, 1)
    review_lines.long_date(day, "es")
    for file in (tmp_path / "cache" / "dates").iterdir():
        file.write_text("{not json", encoding="utf-8")
    datecache._kept.clear()
    assert review_lines.long_date(day, "es") == "1 de diciembre de 2026"


def test_a_cache_folder_that_cannot_be_written_only_costs_the_formatting(
        tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("BROCHURE_CACHE_DIR", str(blocked / "cache"))
    datecache._kept.clear()
    assert review_lines.long_date(dt.date(2026, 12, 1), "en") == "December 1, 2026"
