"""Tagged PDF: the structure tree a screen reader follows, for every layout and language."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import brochure
from brochure.checks.accessibility import audit
from brochure.source.content import load_content
from tests.conftest import EXAMPLE_CLINIC, KRATOM, reader, write

LANGUAGES = ["en", "es", "vi", "th", "ar"]


@pytest.fixture(scope="module")
def editions() -> dict[tuple[str, str], bytes]:
    out = {}
    for lang in LANGUAGES:
        for r in brochure.build(KRATOM, languages=lang, layouts="all", clinic=EXAMPLE_CLINIC,
                                out_dir=None):
            out[(lang, r.layout)] = r.pdf
    return out


def tree_of(pdf: bytes) -> list[tuple[int, str, dict]]:
    """The structure tree as (depth, role, element) in reading order."""
    catalog = reader(pdf).trailer["/Root"]
    out: list[tuple[int, str, dict]] = []

    def visit(elem, depth: int) -> None:  # type: ignore[no-untyped-def]
        out.append((depth, str(elem["/S"]), elem))
        for kid in elem.get("/K", []):
            kid = kid.get_object()
            if hasattr(kid, "get") and "/S" in kid:
                visit(kid, depth + 1)

    for kid in catalog["/StructTreeRoot"]["/K"]:
        visit(kid.get_object(), 0)
    return out


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("layout", ["clinic", "general"])
def test_every_edition_passes_the_accessibility_audit(editions, lang: str, layout: str) -> None:
    pdf = editions[(lang, layout)]
    assert audit(pdf) == []
    roles = [role for _, role, _ in tree_of(pdf)]
    assert roles[0] == "/Document" and roles[1] == "/H1"
    for needed in ("/H2", "/P", "/L", "/LI", "/Lbl", "/LBody", "/Table", "/TR", "/TH", "/TD"):
        assert needed in roles, needed
    for _, role, elem in tree_of(pdf):
        if role in ("/P", "/H1", "/H2", "/H3", "/Lbl", "/LBody", "/Figure"):
            # every leaf element holds what was drawn for it (a copied flowable, e.g. in
            # balanced columns, must still mark content for the same element)
            assert any(hasattr(k.get_object(), "get") and "/MCID" in k.get_object()
                       for k in elem["/K"]), (role, elem.get("/ActualText"))
    catalog = reader(pdf).trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"]
    assert catalog["/StructTreeRoot"]["/RoleMap"]["/Aside"] == "/Div"
    xmp = catalog["/Metadata"].get_object().get_data().decode("utf-8")
    assert "<pdfuaid:part>1</pdfuaid:part>" in xmp and f"<rdf:li>{lang}</rdf:li>" in xmp


def test_header_cells_have_column_scope(editions) -> None:
    for _, role, elem in tree_of(editions[("en", "clinic")]):
        if role == "/TH":
            assert elem["/A"]["/Scope"] == "/Column"


def test_right_to_left_and_thai_carry_their_logical_text(editions) -> None:
    ar = load_content(KRATOM / "ar.yaml")
    [h1] = [e for _, role, e in tree_of(editions[("ar", "general")]) if role == "/H1"]
    assert h1["/ActualText"] == ar.title.plain
    th = load_content(KRATOM / "th.yaml")
    [h1] = [e for _, role, e in tree_of(editions[("th", "general")]) if role == "/H1"]
    assert h1["/ActualText"] == th.title.plain


def test_logo_is_a_figure_with_alternate_text(tmp_path: Path) -> None:
    from PIL import Image

    Image.new("RGB", (120, 40), (10, 60, 100)).save(tmp_path / "logo.png")
    clinic = write(tmp_path, "clinic.yaml", """
        name: Lakeside Clinic
        phone: "555-0100"
        logo: logo.png
        logo_alt: "Lakeside Clinic logo: a blue wave"
    """)
    [result] = brochure.build(KRATOM, layouts="general", clinic=clinic, out_dir=None)
    figures = [e for _, role, e in tree_of(result.pdf) if role == "/Figure"]
    assert [f["/Alt"] for f in figures] == ["Lakeside Clinic logo: a blue wave"]
    assert audit(result.pdf) == []


def test_untagged_pdf_fails_the_audit() -> None:
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(72, 720, "Call 911")
    canvas.showPage()
    canvas.save()
    findings = [str(f) for f in audit(buffer.getvalue())]
    assert ("untagged content: page 1: text drawn outside any tagged element or artifact "
            "(operator 7 'Tj') ('Call 911')") in findings
    assert "structure: the document has no structure tree" in findings
    assert "language: the document has no /Lang" in findings


@pytest.mark.skipif(shutil.which("pdfinfo") is None,
                    reason="pdfinfo (poppler-utils) is not installed")
@pytest.mark.parametrize("layout", ["clinic", "general"])
def test_poppler_reads_the_tree_in_content_order(editions, layout: str) -> None:
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(editions[("en", layout)])
        handle.flush()
        out = subprocess.run(["pdfinfo", "-struct-text", handle.name], capture_output=True,
                             text=True, check=True).stdout
    headings = re.findall(r"^\s*H[123] \(block\)\n\s*\"(.*)\"$", out, re.MULTILINE)
    content = load_content(KRATOM / "en.yaml")
    assert headings[0] == content.title.get("clinical" if layout == "clinic" else "plain")
    expected = (["Possible benefits", "Side effects", "Safety", "Sources"] if layout == "clinic"
                else ["Key points", "Safety", "Possible benefits", "Side effects", "Sources"])
    positions = [headings.index(h) for h in expected]
    assert positions == sorted(positions), headings
    assert "Get emergency help now if you see" in headings


def test_a_paragraph_split_across_pages_is_one_element(topic_copy: Path) -> None:
    text = topic_copy.read_text("utf-8")
    long = " ".join(f"Sentence {i} of a long paragraph that must break across pages."
                    for i in range(45))
    topic_copy.write_text(text.replace("sections:\n", "sections:\n  - id: long\n"
                                       f"    heading: Long\n    body:\n      - \"{long}\"\n",
                                       1), "utf-8")
    [result] = brochure.build(topic_copy, layouts="general", out_dir=None)
    pdf = reader(result.pdf)
    pages = {page.indirect_reference.idnum: n for n, page in enumerate(pdf.pages, 1)}
    split = []
    for _, role, elem in tree_of(result.pdf):
        refs = [k.get_object() for k in elem.get("/K", [])]
        on = {pages[r.raw_get("/Pg").idnum] for r in refs if hasattr(r, "get") and "/MCID" in r}
        if role == "/P" and len(on) > 1:
            split.append(on)
    assert split, "the long paragraph should span two pages as one P element"
    assert audit(result.pdf) == []
