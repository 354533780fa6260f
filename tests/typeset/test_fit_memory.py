"""A personalised edition starts shrink-to-fit at the scale its edition without a personal
line needed: fewer layouts, and the same bytes as a search from scratch."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import brochure
from brochure.typeset import fitmemory
from brochure.typeset import render as render_module
from tests.conftest import KRATOM, reader

NAMES = st.text(st.characters(codec="latin-1", categories=["L"]), min_size=1, max_size=40)


def build(name: str | None, note: str | None = None) -> bytes:
    # the English clinic edition shrinks its type a step to fit its two pages
    [result] = brochure.build(KRATOM, layouts="clinic", out_dir=None, prepared_for=name,
                              note=note)
    return result.pdf


@settings(max_examples=3)
@given(name=NAMES, note=st.sampled_from([None, "Call us before your next visit. " * 6]))
def test_a_remembered_scale_gives_the_bytes_a_fresh_search_gives(name: str,
                                                                  note: str | None) -> None:
    fitmemory._found.clear()
    fresh = build(name, note)
    build(None)  # remembers its scale
    assert fitmemory._found, "the clinic edition no longer shrinks: pick another"
    assert build(name, note) == fresh


def test_a_personalised_preview_lays_out_fewer_times(monkeypatch: pytest.MonkeyPatch
                                                     ) -> None:
    layouts = []
    real = render_module.render
    monkeypatch.setattr(render_module, "render", lambda e: layouts.append(1) or real(e))
    fitmemory._found.clear()
    build("Ana López")
    fresh = len(layouts)
    build(None)
    layouts.clear()
    build("Ana López")
    assert len(layouts) < fresh, (len(layouts), fresh)


def test_an_edition_that_fits_at_full_size_starts_its_personal_copy_there(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The Thai clinic edition without a name fits at 1.0 (remembered as 1.0): its
    personalised copy tries 1.0, then the next smaller scale, and gets the fresh
    search's bytes in fewer layouts."""
    layouts = []
    real = render_module.render
    monkeypatch.setattr(render_module, "render", lambda e: layouts.append(1) or real(e))

    def personal() -> bytes:
        [result] = brochure.build("kratom", languages="th", layouts="clinic", out_dir=None,
                                  prepared_for="Ana López")
        return result.pdf

    fitmemory._found.clear()
    fresh = personal()
    searched = len(layouts)
    brochure.build("kratom", languages="th", layouts="clinic", out_dir=None)
    assert list(fitmemory._found.values()) == [1.0, 1.0]  # (and under "any clinic")
    layouts.clear()
    assert personal() == fresh
    assert len(layouts) < searched, (len(layouts), searched)


@pytest.mark.parametrize("language", ["en", "es", "th", "ar"])
@pytest.mark.parametrize("scale", [1.0, 0.94, 0.85])
def test_a_probe_takes_the_pages_a_drawn_layout_takes(language: str, scale: float) -> None:
    """A probe (a trial layout whose paragraphs draw nothing) says what the drawn layout
    would: the same number of pages, or the same stop past the page budget."""
    from brochure import paths
    from brochure.source.clinics import load_clinic
    from brochure.source.content import load_content, topic_file
    from brochure.source.layouts import load_layout, scaled
    from brochure.typeset.fonts import font_set

    content = load_content(topic_file(KRATOM, language), [paths.builtin("content") / "locales"])
    base = load_layout("clinic")
    clinic = load_clinic(paths.builtin("content") / "clinics" / "example.yaml")
    outcomes, sizes = [], []
    for probe in (False, True):
        edition = render_module.Edition(content, base, font_set(language, base.fonts), clinic)
        edition.layout = scaled(base, scale) if scale < 1 else base
        edition.stop_after, edition.probe = base.page_budget, probe
        try:
            rendered = render_module.render(edition)
            outcomes.append(("pages", rendered.pages))
            sizes.append(rendered.pdf)
        except render_module.Stop as stopped:
            outcomes.append(("stopped", type(stopped).__name__, getattr(stopped, "pages", None)))
    assert outcomes[0] == outcomes[1]
    if len(sizes) == 2 and language in ("en", "es"):  # both ran to the end
        drawn, probed = (" ".join(" ".join(page.extract_text() for page in
                                           reader(pdf).pages).split()) for pdf in sizes)
        # a probe's pages hold the running header and footer only, no paragraph
        assert len(probed.split()) * 5 < len(drawn.split())
