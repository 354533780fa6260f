"""Layout guarantees that hold for any content, read back from the PDF.

Hypothesis writes handouts of random lengths and counts (titles, key points, sections,
table rows up to 60, interactions, emergency signs, clinic notes, personal lines) in
every language's script; each is built once in every layout (the `corpus`), and each
test holds every outcome to one guarantee. The CI profile builds two handouts per layout
and language; ``BROCHURE_HYPOTHESIS=long`` builds 25.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from brochure.source.layouts import load_layout
from brochure.typeset.geometry import PrintOptions, geometry
from tests.conftest import LONG_HYPOTHESIS
from tests.typeset.generated import (
    LANGUAGES,
    LAYOUTS,
    PANEL_MESSAGE,
    Outcome,
    build,
    handouts,
    pages,
)

HEADINGS = {"H1", "H2", "H3", "H4", "H5", "H6"}
SECONDS = 10.0


def _collect(lang: str, layout: str) -> list[Outcome]:
    out: list[Outcome] = []

    # Each example builds a PDF: two handouts per layout and language in CI, 25 when long.
    @settings(phases=[Phase.generate], max_examples=25 if LONG_HYPOTHESIS else 2,
              derandomize=not LONG_HYPOTHESIS, suppress_health_check=list(HealthCheck))
    @given(spec=handouts(lang))
    def run(spec) -> None:  # type: ignore[no-untyped-def]
        out.append(build(spec, layout))

    run()
    return out


@pytest.fixture(scope="module")
def corpus() -> list[Outcome]:
    return [o for lang, layout in itertools.product(LANGUAGES, LAYOUTS)
            for o in _collect(lang, layout)]


def built(corpus: list[Outcome]) -> list[Outcome]:
    return [o for o in corpus if o.pdf is not None]


def test_every_build_ends_within_ten_seconds_with_a_pdf_or_a_clear_error(corpus) -> None:
    for o in corpus:
        assert o.crash is None, o.crash + "\n" + o.describe()
        # (Processor time of this process: a shared machine's load is not the build's.)
        assert o.seconds < SECONDS, f"{o.seconds:.1f} s: {o.describe()}"
        if o.error is not None:
            # It names the input file at fault (the content, or the clinic profile).
            assert str(o.file.parent.parent) in o.error, o.error
            assert "Traceback" not in o.error, o.error
    # Most generated handouts must build: the guarantees below are about them.
    assert len(built(corpus)) >= len(corpus) // 2


def test_emergency_box_is_never_split(corpus) -> None:
    for o in built(corpus):
        _, root, _ = pages(o.pdf)
        boxes = [e for e in root.walk()
                 if e.role == "Aside" and any(k.role == "H3" for k in e.kids)]
        assert len(boxes) == 1, o.describe()
        on = {page for page, _ in boxes[0].all_content()}
        assert len(on) == 1, f"emergency box on pages {sorted(on)}: {o.describe()}"


def _frames(o: Outcome, page_number: int, trim: tuple[float, float, float, float]
            ) -> list[tuple[float, float]]:
    """The x ranges of the page's text frames: the panels of a tri-fold, else the page."""
    layout = load_layout(o.layout)
    panels = geometry(layout, None, PrintOptions()).panels
    if not panels:
        return [(trim[0], trim[2])]
    kind = "outside" if page_number == 1 else "inside"
    return [(trim[0] + p.x, trim[0] + p.x + p.width) for p in panels[kind]]


def test_no_heading_is_the_last_line_of_a_page_or_panel(corpus) -> None:
    for o in built(corpus):
        found, _, owners = pages(o.pdf)
        for page in found:
            for x0, x1 in _frames(o, page.number, page.trim):
                tagged = [r for r in page.runs if r.mcid is not None
                          and x0 <= r.x < x1 and (page.number, r.mcid) in owners]
                if not tagged:
                    continue
                lowest = min(tagged, key=lambda r: r.y)
                elem = owners[(page.number, lowest.mcid)]
                if elem.parent is not None and elem.parent.kids == [elem]:
                    continue  # a box whose only text is its heading: the notes' ruled lines
                role = elem.role
                assert role not in HEADINGS, (
                    f"a {role} heading ends page {page.number} (x {x0:.0f}–{x1:.0f}): "
                    f"{o.describe()}")


def test_no_text_lies_outside_the_trim_box_minus_the_margins(corpus) -> None:
    slack = 1.0  # points: glyph widths are read from the font, positions rounded
    for o in built(corpus):
        m = load_layout(o.layout).margins
        found, _, _ = pages(o.pdf)
        for page in found:
            x0, y0, x1, y1 = page.trim
            for r in page.runs:
                if r.mcid is None:
                    continue  # running header and footer: artifacts set in the margins
                # A line's closing space (its word break for screen readers) shows no ink.
                inside = (r.x >= x0 + m["left"] - slack
                          and r.x + r.width - r.trailing <= x1 - m["right"] + slack
                          and r.y >= y0 + m["bottom"] - slack
                          and r.y + 0.7 * r.size <= y1 - m["top"] + slack)
                assert inside, (f"text at ({r.x:.0f}, {r.y:.0f}) to {r.x + r.width:.0f} on "
                                f"page {page.number}: {o.describe()}")


def _overlaps(page) -> list[tuple]:  # type: ignore[no-untyped-def]
    """Pairs of text runs whose boxes (baseline −0.15 to +0.7 of the size) cross by more
    than a point both ways."""
    runs = sorted(page.runs, key=lambda r: r.y)
    hits = []
    for i, a in enumerate(runs):
        for b in runs[i + 1:]:
            if b.y - 0.15 * b.size > a.y + 0.7 * a.size:
                break
            vertical = min(a.y + 0.7 * a.size, b.y + 0.7 * b.size) - max(
                a.y - 0.15 * a.size, b.y - 0.15 * b.size)
            horizontal = min(a.x + a.width, b.x + b.width) - max(a.x, b.x)
            if vertical > 1.0 and horizontal > 1.0:
                hits.append((a, b))
    return hits


def test_no_two_lines_of_text_overlap(corpus) -> None:
    for o in built(corpus):
        found, _, _ = pages(o.pdf)
        for page in found:
            hits = _overlaps(page)
            assert not hits, f"{hits[:2]} on page {page.number}: {o.describe()}"


def test_trifold_is_one_sheet_or_fails_naming_the_panel(corpus) -> None:
    for o in corpus:
        if o.layout != "trifold":
            continue
        if o.pdf is not None:
            assert len(pages(o.pdf)[0]) == 2, o.describe()
        else:
            assert PANEL_MESSAGE.search(o.error or ""), o.error


def test_no_edition_is_longer_than_its_hard_page_budget(corpus) -> None:
    for o in built(corpus):
        limit = load_layout(o.layout).max_pages
        assert limit is not None and len(pages(o.pdf)[0]) <= limit, o.describe()
