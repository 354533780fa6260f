"""Print production: tri-fold panels, large print, bleed and marks, booklet imposition,
grayscale, the QR code, and the pre-flight inspection."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner

import brochure
from brochure.cli import main
from brochure.finish.imposition import booklet_order, impose_booklet
from brochure.source.layouts import _luminance, grey_of, load_layout
from brochure.typeset.geometry import PrintOptions
from tests.conftest import EXAMPLE_CLINIC, KRATOM, reader
from tests.typeset.test_render import font_sizes

INCH = 72


def runs_with_x(page) -> list[tuple[float, str]]:  # type: ignore[no-untyped-def]
    found: list[tuple[float, str]] = []

    def visit(text, cm, tm, font, size):  # type: ignore[no-untyped-def]
        if text.strip():
            found.append((tm[4] * cm[0] + cm[4], text.strip()))

    page.extract_text(visitor_text=visit)
    return found


def x_of(page, phrase: str) -> float:  # type: ignore[no-untyped-def]
    for x, text in runs_with_x(page):
        if phrase in text:
            return x
    raise AssertionError(f"{phrase!r} not on the page")


@pytest.fixture(scope="module")
def trifold() -> bytes:
    [result] = brochure.build(KRATOM, layouts="trifold", clinic=EXAMPLE_CLINIC,
                              out_dir=None, options=PrintOptions(qr="https://example.org/k"))
    return result.pdf


def test_trifold_is_one_landscape_sheet_with_panels_in_roll_fold_order(trifold) -> None:
    pdf = reader(trifold)
    assert len(pdf.pages) == 2
    outside, inside = pdf.pages
    trim = outside.trimbox
    width, height = float(trim.width), float(trim.height)
    assert (round(width), round(height)) == (792, 612)  # US Letter landscape
    left = float(trim.left)
    inset = 0.1 * INCH
    full = (width + inset) / 3
    narrow = full - inset

    def panel(x: float, edges: list[float]) -> int:
        return sum(1 for edge in edges if x - left >= edge)

    outside_edges = [narrow, narrow + full]  # flap | back | cover
    assert panel(x_of(outside, "Sources"), outside_edges) == 0  # fold-in flap
    assert panel(x_of(outside, "Questions? Contact"), outside_edges) == 1  # back panel
    assert panel(x_of(outside, "Key points"), outside_edges) == 2  # front cover
    assert panel(x_of(outside, "Kratom: possible"), outside_edges) == 2
    inside_edges = [full, 2 * full]
    assert panel(x_of(inside, "Get emergency help now"), inside_edges) == 0
    # the fold-in panel (inside, right) is narrower by the inset
    assert narrow == pytest.approx(full - 7.2)


def test_trifold_fold_marks_outside_the_trim(trifold) -> None:
    page = reader(trifold).pages[0]
    media, trim = page.mediabox, page.trimbox
    assert float(media.width) > float(trim.width) and float(media.height) > float(trim.height)


def test_large_print_body_is_at_least_18pt_and_untinted() -> None:
    [result] = brochure.build(KRATOM, layouts="large-print", out_dir=None)
    assert min(font_sizes(result.pdf)) >= 18
    layout = load_layout("large-print")
    for name in ("box_bg", "urgent_bg", "table_header_bg", "table_stripe"):
        assert layout.colors[name] == "#ffffff"  # no text over tints
    for name in ("text", "muted", "heading", "urgent_text", "table_header_text", "draft"):
        contrast = 1.05 / (_luminance(layout.colors[name]) + 0.05)
        assert contrast >= 7, name


def test_bleed_grows_the_page_and_sets_the_boxes() -> None:
    bleed = 3 / 25.4 * 72
    [plain] = brochure.build(KRATOM, layouts="general", out_dir=None)
    [bled] = brochure.build(KRATOM, layouts="general", out_dir=None,
                            options=PrintOptions(bleed=bleed))
    for page in reader(bled.pdf).pages:
        media, trim, bbox = page.mediabox, page.trimbox, page.bleedbox
        assert float(trim.left) - float(media.left) == pytest.approx(bleed, abs=0.01)
        assert float(media.right) - float(trim.right) == pytest.approx(bleed, abs=0.01)
        assert float(trim.bottom) - float(media.bottom) == pytest.approx(bleed, abs=0.01)
        assert float(media.top) - float(trim.top) == pytest.approx(bleed, abs=0.01)
        assert [float(v) for v in bbox] == pytest.approx([float(v) for v in media], abs=0.01)
    plain_page = reader(plain.pdf).pages[0]
    assert float(reader(bled.pdf).pages[0].trimbox.width) == pytest.approx(
        float(plain_page.mediabox.width), abs=0.01)


def test_crop_marks_sit_outside_the_bleed() -> None:
    [result] = brochure.build(KRATOM, layouts="clinic", out_dir=None,
                              options=PrintOptions(bleed=9, crop_marks=True))
    page = reader(result.pdf).pages[0]
    assert float(page.bleedbox.left) > float(page.mediabox.left)  # room for the marks
    pytest.importorskip("pypdfium2")
    import pypdfium2 as pdfium

    image = pdfium.PdfDocument(result.pdf)[0].render(scale=1).to_pil().convert("L")
    # the corner beyond the bleed holds the marks: some dark pixels, outside the trim
    offset = int(float(page.trimbox.left))
    corner = image.crop((0, image.height - offset - 3, offset, image.height))
    assert min(corner.tobytes()) < 200  # a hairline, anti-aliased


def test_booklet_order_and_padding() -> None:
    assert booklet_order(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]
    assert booklet_order(5) == [(0, 1), (2, 0), (0, 3), (4, 5)]
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(300, 400))
    for n in range(1, 9):
        canvas.drawString(100, 200, f"page-{n}")
        canvas.showPage()
    canvas.save()
    sheets = reader(impose_booklet(buffer.getvalue())).pages
    assert len(sheets) == 4
    for sheet, (left, right) in zip(sheets, [(8, 1), (2, 7), (6, 3), (4, 5)], strict=True):
        assert float(sheet.mediabox.width) == 600
        runs = sorted(runs_with_x(sheet))
        assert [text for _, text in runs] == [f"page-{left}", f"page-{right}"]


def test_booklet_build_says_it_is_untagged(tmp_path: Path) -> None:
    [result] = brochure.build(KRATOM, layouts="general", out_dir=tmp_path,
                              options=PrintOptions(booklet=True))
    pdf = reader(result.pdf)
    assert len(pdf.pages) == 2  # 4 pages → 2 sheet sides
    assert "/StructTreeRoot" not in pdf.trailer["/Root"]
    assert "untagged" in pdf.metadata["/Subject"]
    assert any("without tags" in w for w in result.warnings)
    assert result.path.name == "kratom-en-general-booklet.pdf"


def test_grayscale_keeps_every_contrast() -> None:
    layout = load_layout("general")
    for colour in layout.colors.values():
        grey = grey_of(colour)
        assert grey[1:3] == grey[3:5] == grey[5:7]
        assert _luminance(grey) == pytest.approx(_luminance(colour), abs=0.004)
    [result] = brochure.build(KRATOM, layouts="general", out_dir=None,
                              options=PrintOptions(grayscale=True))
    pytest.importorskip("pypdfium2")
    import pypdfium2 as pdfium

    image = pdfium.PdfDocument(result.pdf)[0].render(scale=0.5).to_pil().convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20)
    assert all(max(rgb) - min(rgb) <= 2 for _, rgb in colours)


def test_qr_code_decodes_to_the_url(trifold) -> None:
    zxing = pytest.importorskip("zxingcpp", reason="zxing-cpp decodes the QR code")
    pytest.importorskip("pypdfium2")
    import pypdfium2 as pdfium

    image = pdfium.PdfDocument(trifold)[0].render(scale=3).to_pil()
    texts = [code.text for code in zxing.read_barcodes(image)]
    assert texts == ["https://example.org/k"]
    assert "https://example.org/k" in reader(trifold).pages[0].extract_text()


def test_inspect_passes_brochure_and_fails_an_unembedded_font(tmp_path: Path) -> None:
    from reportlab.pdfgen.canvas import Canvas

    [result] = brochure.build(KRATOM, layouts="clinic", out_dir=tmp_path,
                              options=PrintOptions(bleed=9))
    ok = CliRunner().invoke(main, ["inspect", str(result.path)])
    assert ok.exit_code == 0, ok.output
    assert "AtkinsonHyperlegible-Regular: embedded" in ok.output
    assert "problems: none" in ok.output and "Possible benefits" in ok.output
    bad = tmp_path / "helvetica.pdf"
    canvas = Canvas(str(bad))
    canvas.drawString(72, 720, "Hello")
    canvas.save()
    failed = CliRunner().invoke(main, ["inspect", str(bad)])
    assert failed.exit_code == 1
    assert "the font Helvetica is not embedded" in failed.output
