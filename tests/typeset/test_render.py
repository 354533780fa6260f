"""What a reader gets: text in reading order, pages, fonts, metadata, outline, pictures."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

import brochure
from brochure.source.content import load_content
from tests.conftest import KRATOM, pdf_text, reader


def text_positions(pdf: bytes) -> list[list[float]]:
    """The x position of every text run, per page."""
    pages = []
    for page in reader(pdf).pages:
        xs: list[float] = []

        def visit(text, cm, tm, font, size, xs=xs):  # type: ignore[no-untyped-def]
            if text.strip():
                xs.append(tm[4] * cm[0] + cm[4])

        page.extract_text(visitor_text=visit)
        pages.append(xs)
    return pages


def font_sizes(pdf: bytes) -> list[float]:
    """The rendered size of every non-blank text run (font size × text matrix scale)."""
    sizes: list[float] = []
    for page in reader(pdf).pages:
        def visit(text, cm, tm, font, size):  # type: ignore[no-untyped-def]
            if text.strip():
                scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5
                sizes.append(round(size * scale, 2))

        page.extract_text(visitor_text=visit)
    return sizes


def fonts_of(pdf: bytes) -> dict[str, bool]:
    """Every font used on any page → whether its file is embedded."""
    found: dict[str, bool] = {}
    for page in reader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if font.get("/DescendantFonts"):
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            embedded = bool(descriptor) and any(
                key in descriptor.get_object() for key in ("/FontFile", "/FontFile2",
                                                           "/FontFile3"))
            found[str(font["/BaseFont"])] = embedded
    return found


def _flatten(items: list) -> list:
    out = []
    for item in items:
        out.extend(_flatten(item) if isinstance(item, list) else [item])
    return out


def in_order(text: str, phrases: list[str]) -> None:
    position = -1
    for phrase in phrases:
        found = text.find(phrase, position + 1)
        assert found > position, f"{phrase!r} missing or out of order"
        position = found


@pytest.mark.parametrize("layout", ["clinic", "general"])
def test_tables_and_safety_in_reading_order(built, layout: str) -> None:
    content = load_content(KRATOM / "en.yaml")
    mode = "clinical" if layout == "clinic" else "plain"
    text = pdf_text(built[layout].pdf)
    benefits = [row.benefit.get(mode) for row in content.benefits.rows]
    common = [e.name.get(mode) for e in content.side_effects.common]
    serious = [e.name.get(mode) for e in content.side_effects.serious]
    in_order(text, benefits)
    in_order(text, common + serious)  # side-by-side groups must not interleave
    in_order(text, [" ".join(w.get(mode).split()[:6]) for w in content.safety.warnings])
    in_order(text, [s.get(mode) for s in content.safety.emergency_signs])
    for row in content.benefits.rows:
        assert " ".join(row.evidence.get(mode).split()[:8]) in text
    if layout == "clinic":
        for row in content.benefits.rows:
            assert " ".join(row.mechanism.get(mode).split()[:6]) in text
        in_order(text, ["What is kratom?", "Possible benefits", "Side effects", "Safety",
                        "Sources"])
    else:
        in_order(text, ["Key points", "Get emergency help now", "Possible benefits",
                        "Side effects", "Sources"])
        assert "mu-opioid" not in text  # no jargon columns for general readers


def test_page_budgets(built) -> None:
    for key in ("clinic", "clinic+clinic"):
        assert len(reader(built[key].pdf).pages) == 2 == built[key].pages
    # general: a soft target of 4 pages (a warning past it) and a hard limit of 8. The
    # revised kratom text fits 4 pages alone; with a clinic's contact box it needs 5.
    assert 2 <= len(reader(built["general"].pdf).pages) <= 4
    assert built["general"].warnings == []
    assert len(reader(built["general+clinic"].pdf).pages) <= 8
    for key in ("clinic", "clinic+clinic"):
        assert built[key].warnings == []


def test_a4_clinic_still_fits(tmp_path: Path) -> None:
    [result] = brochure.build(KRATOM, layouts="clinic", paper="a4", out_dir=None)
    page = reader(result.pdf).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    assert result.pages == 2


def test_every_font_is_embedded_and_no_helvetica(built) -> None:
    for result in built.values():
        fonts = fonts_of(result.pdf)
        assert fonts and all(fonts.values()), fonts
        assert not any("Helvetica" in name for name in fonts)


def test_metadata_language_outline(built) -> None:
    for key, result in built.items():
        pdf = reader(result.pdf)
        assert pdf.metadata.title == "Kratom: possible benefits, side effects and safety"
        assert pdf.trailer["/Root"]["/Lang"] == "en"
        assert bool(pdf.trailer["/Root"]["/ViewerPreferences"]["/DisplayDocTitle"])
        titles = [item.title for item in pdf.outline if not isinstance(item, list)]
        assert titles[0] == pdf.metadata.title
        nested = [i.title for i in _flatten(pdf.outline[1:])]
        for heading in ("Possible benefits", "Side effects", "Safety"):
            assert heading in nested, (key, nested)
        day = load_content(KRATOM / "en.yaml").review.checked  # the information's date
        assert pdf.metadata["/CreationDate"] == f"D:{day:%Y%m%d}000000Z"
        if key.endswith("+clinic"):
            assert pdf.metadata.author == "Riverside Community Health Center"


def test_same_input_same_bytes() -> None:
    first = brochure.build(KRATOM, layouts="all", out_dir=None)
    second = brochure.build(KRATOM, layouts="all", out_dir=None)
    assert [r.pdf for r in first] == [r.pdf for r in second]


def test_general_body_is_at_least_12pt(built) -> None:
    sizes = font_sizes(built["general+clinic"].pdf)
    assert min(sizes) >= 12, sorted(set(sizes))[:5]
    clinic_sizes = font_sizes(built["clinic"].pdf)
    assert 9.5 in clinic_sizes  # clinic body text
    assert min(clinic_sizes) < 9  # dense tables and footnotes: the check above means something


def test_draft_mark_on_every_page(built) -> None:
    for result in built.values():
        for page in reader(result.pdf).pages:
            assert "DRAFT — not reviewed" in page.extract_text()


def test_clinic_shown_only_when_given(built) -> None:
    assert "Riverside" not in pdf_text(built["clinic"].pdf)
    assert "Questions? Contact" not in pdf_text(built["general"].pdf)
    for key in ("clinic+clinic", "general+clinic"):
        text = pdf_text(built[key].pdf)
        assert "Questions? Contact Riverside Community Health Center" in text
        assert "Bring this handout" in text
    # the clinic layout repeats the clinic in its running header on every page
    for page in reader(built["clinic+clinic"].pdf).pages:
        assert "Riverside Community Health Center" in page.extract_text()


def test_written_files_match_results(built) -> None:
    for result in built.values():
        assert result.path is not None and result.path.read_bytes() == result.pdf


def _render_png(pdf_path: Path, out: Path) -> list[Path]:
    pdfium = pytest.importorskip("pypdfium2", reason="pypdfium2 renders pages to pictures")
    document = pdfium.PdfDocument(str(pdf_path))
    files = []
    for index in range(len(document)):
        image = document[index].render(scale=1).to_pil()
        files.append(out / f"page-{index + 1}.png")
        image.save(files[-1])
    return files


def test_pages_render_with_the_urgent_box_in_its_colour(built, tmp_path: Path) -> None:
    """A picture of the general edition's first page: the red-bordered 'get help now' box
    is there, and the page is mostly white paper with dark text."""
    [first, *_] = _render_png(built["general"].path, tmp_path)
    from PIL import Image

    image = Image.open(first).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20)
    total = image.width * image.height

    def count(test) -> int:  # type: ignore[no-untyped-def]
        return sum(n for n, rgb in colours if test(*rgb))

    assert count(lambda r, g, b: r > 140 and g < 50 and b < 50) > 500  # urgent red border
    assert count(lambda r, g, b: r < 80 and g < 80 and b < 80) > 5000  # dark text
    assert count(lambda r, g, b: r > 240 and g > 240 and b > 240) > total * 0.5  # paper


@pytest.mark.skipif(shutil.which("pdffonts") is None,
                    reason="pdffonts (poppler-utils) is not installed")
def test_poppler_sees_only_embedded_fonts(built) -> None:
    out = subprocess.run(["pdffonts", str(built["clinic+clinic"].path)], capture_output=True,
                         text=True, check=True).stdout.splitlines()[2:]
    assert out and all(line.split()[-5] == "yes" for line in out), out
