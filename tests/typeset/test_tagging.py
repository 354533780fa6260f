"""Tagged PDF: the structure tree a screen reader follows, for every layout and language."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import brochure
from brochure import paths
from brochure.checks import structtext
from brochure.checks.accessibility import audit, content_texts
from brochure.errors import RenderError
from brochure.source.clinics import load_clinic
from brochure.source.content import load_content
from brochure.source.layouts import load_layout
from tests.conftest import EXAMPLE_CLINIC, KRATOM, reader, write

LANGUAGES = ["en", "es", "vi", "th", "ar"]
LAYOUTS = ["clinic", "general", "large-print", "trifold"]
LOCALES = [paths.builtin("content") / "locales"]


@pytest.fixture(scope="module")
def editions() -> dict[tuple[str, str], bytes]:
    """Every shipped edition with the example clinic: (language, layout) → PDF."""
    out = {}
    for lang in LANGUAGES:
        for r in brochure.build(KRATOM, languages=lang, layouts="all", clinic=EXAMPLE_CLINIC,
                                out_dir=None):
            out[(lang, r.layout)] = r.pdf
    return out


@pytest.fixture(scope="module")
def plain_editions() -> dict[tuple[str, str], bytes]:
    """Every shipped edition without a clinic."""
    out = {}
    for lang in LANGUAGES:
        for r in brochure.build(KRATOM, languages=lang, layouts="all", out_dir=None):
            out[(lang, r.layout)] = r.pdf
    return out


def expected_texts(lang: str, layout: str, clinic: bool) -> list[str]:
    content = load_content(KRATOM / f"{lang}.yaml", LOCALES)
    return content_texts(content, load_layout(layout), load_clinic(EXAMPLE_CLINIC)
                         if clinic else None)


@pytest.mark.parametrize("clinic", [True, False], ids=["clinic-profile", "no-clinic"])
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_shipped_edition_passes_the_full_audit(editions, plain_editions, lang: str,
                                                     layout: str, clinic: bool) -> None:
    """Tagging, word breaks and order against the content, PDF/A-2a and PDF/UA-1."""
    pdf = (editions if clinic else plain_editions)[(lang, layout)]
    assert [str(f) for f in audit(pdf, expected_texts(lang, layout, clinic))] == []


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
def test_every_edition_has_the_structure_a_screen_reader_needs(editions, lang: str,
                                                                layout: str) -> None:
    pdf = editions[(lang, layout)]
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


def _structure_texts(pdf: bytes) -> list[str]:
    return [structtext.normal(e.text) for e in structtext.elements(reader(pdf))
            if e.role in ("/P", "/LBody", "/H1", "/H2", "/H3")]


def _with_section(text: str, section: str) -> str:
    """*text* (a content file) with *section* (YAML written with its list items at the
    left edge) first among its sections, indented as the file indents that list."""
    head, _, rest = text.partition("sections:\n")
    indent = rest[: len(rest) - len(rest.lstrip(" "))]
    return head + "sections:\n" + "".join(indent + line + "\n"
                                           for line in section.splitlines()) + rest


def _build_with_section(paragraph: str, item: str, layout: str) -> bytes:
    """The English topic with one more section: *paragraph* and a list *item*."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "kratom").mkdir()
        (root / "locales").mkdir()
        text = (KRATOM / "en.yaml").read_text("utf-8")
        # At the end, where the tri-fold has its three inside panels of room.
        section = ("- id: generated\n  heading: Generated\n  position: end\n  body:\n"
                   f"    - {paragraph!r}\n    - bullets:\n        - {item!r}\n")
        (root / "kratom" / "en.yaml").write_text(_with_section(text, section), "utf-8")
        locale = LOCALES[0] / "en.yaml"
        (root / "locales" / "en.yaml").write_text(locale.read_text("utf-8"), "utf-8")
        try:
            [result] = brochure.build(root / "kratom" / "en.yaml", layouts=layout,
                                      out_dir=None)
        except RenderError as exc:
            # A tri-fold panel too full is refused by design (the layout guarantees);
            # this test is about the word breaks of what does build.
            assume("does not fit" not in str(exc))
            raise
    return result.pdf


_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéñçABCDEFGHIJ0123456789,.;()-",
                min_size=1, max_size=14).filter(lambda w: w.strip("-") != "")
_WORDS = st.lists(_WORD, min_size=25, max_size=140).map(" ".join)


@given(paragraph=_WORDS, item=_WORDS, layout=st.sampled_from(["clinic", "general",
                                                              "trifold"]))
def test_screen_reader_text_has_every_word_break(paragraph: str, item: str,
                                                 layout: str) -> None:
    """Generated paragraphs (long enough to wrap, sometimes to split across columns or
    pages) read in the structure exactly as written: no words glued at line breaks."""
    texts = _structure_texts(_build_with_section(paragraph, item, layout))
    for written in (paragraph, item):
        squeezed = "".join(written.split())
        matches = [t for t in texts if "".join(t.split()) == squeezed]
        assert matches and set(matches) == {structtext.normal(written)}, written


def test_split_paragraph_reads_as_one_with_its_word_break(topic_copy: Path) -> None:
    """A paragraph split across pages keeps the space between its two parts."""
    long = " ".join(f"Sentence {i} of a long paragraph that must break across pages."
                    for i in range(45))
    text = topic_copy.read_text("utf-8")
    topic_copy.write_text(text.replace("sections:\n", "sections:\n  - id: long\n"
                                       f"    heading: Long\n    body:\n      - \"{long}\"\n",
                                       1), "utf-8")
    [result] = brochure.build(topic_copy, layouts="general", out_dir=None)
    [elem] = [e for e in structtext.elements(reader(result.pdf))
              if e.role == "/P" and e.text.startswith("Sentence 0")]
    assert len({page for page, _ in elem.marked}) == 2
    assert structtext.normal(elem.text) == long


@pytest.mark.skipif(shutil.which("pdfinfo") is None,
                    reason="pdfinfo (poppler-utils) is not installed")
@pytest.mark.parametrize("lang", ["en", "es", "vi", "th"])
def test_poppler_reads_every_word_break_and_adds_none(editions, lang: str) -> None:
    """poppler reads the drawn glyphs (it ignores ActualText): each paragraph has as
    many spaces as the content's text — none lost at a line break, and none added in
    Thai, which breaks lines between words written without a space."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(editions[(lang, "general")])
        handle.flush()
        out = subprocess.run(["pdfinfo", "-struct-text", handle.name], capture_output=True,
                             text=True, check=True).stdout
    read = re.findall(r'^\s*(?:P|LBody) \(block\)\n\s*"(.*)"$', out, re.MULTILINE)
    expected = {"".join(t.split()): structtext.normal(t)
                for t in expected_texts(lang, "general", True)}
    matched = 0
    for text in read:
        want = expected.get("".join(text.split()))
        if want is not None:
            matched += 1
            assert structtext.normal(text) == want
    assert matched >= 20, matched


@pytest.mark.skipif(shutil.which("pdfinfo") is None,
                    reason="pdfinfo (poppler-utils) is not installed")
def test_trifold_structure_follows_the_layout_order_not_the_panels(editions) -> None:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(editions[("en", "trifold")])
        handle.flush()
        out = subprocess.run(["pdfinfo", "-struct-text", handle.name], capture_output=True,
                             text=True, check=True).stdout
    headings = re.findall(r"^\s*H[12] \(block\)\n\s*\"(.*)\"$", out, re.MULTILINE)
    # layouts/trifold.yaml: order [title, key_points, safety, help_lines, …, sources,
    # disclaimer]; its panels put sources and "About this handout" on the flap, which is
    # filled before the inside panels that hold Safety.
    order = ["Key points", "Safety", "Possible benefits", "Side effects", "Sources",
             "About this handout"]
    positions = [headings.index(h) for h in order]
    assert positions == sorted(positions), headings


def test_repeated_table_header_is_tagged_once(plain_editions) -> None:
    """The large-print tables continue over pages; their header row is read once."""
    elements = structtext.elements(reader(plain_editions[("en", "large-print")]))
    headers = [e for e in elements if e.role == "/TH"]
    assert headers
    for th in headers:
        marked = th.marked + [m for k in th.kids if isinstance(k, structtext.Element)
                              for m in k.marked]
        assert len(marked) == 1, th.text


def test_english_source_titles_are_marked_english_in_the_spanish_edition(editions) -> None:
    """Each English title in the Spanish sources list sits in a /Span with /Lang en,
    inside its list item's marked content; the English edition marks none."""
    es = load_content(KRATOM / "es.yaml", LOCALES)
    assert [s.lang for s in es.sources] == ["en"] * len(es.sources)
    spans = []
    for page in reader(editions[("es", "general")]).pages:
        data = page.get_contents().get_data()
        # the list item's body opens, then the title's span inside it
        spans += re.findall(rb"/LBody <</MCID \d+>> BDC\s*BT[^\n]*?/Span <</Lang "
                            rb"<FEFF0065006E>>> BDC(.*?)EMC", data, re.DOTALL)
    assert len(spans) == len(es.sources)
    english = b"".join(page.get_contents().get_data()
                       for page in reader(editions[("en", "general")]).pages)
    assert b"/Lang" not in english


_THAI_WORDS = ["กระท่อม", "ยา", "แพทย์", "ความ", "ปลอดภัย", "ผล", "ข้างเคียง", "หายใจ",
               "ตับ", "หัวใจ", "ผู้ป่วย", "ใช้", "หยุด", "อาการ", "ถอน", "น้ำหนัก", "ที่"]
_THAI = st.lists(st.tuples(st.sampled_from(_THAI_WORDS), st.sampled_from(["", "", "", " "])),
                 min_size=40, max_size=160).map(lambda pairs: "".join(w + g for w, g in
                                                                     pairs).strip())


def _build_thai_with_section(paragraph: str) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "kratom").mkdir()
        (root / "locales").mkdir()
        for lang, text in (("en", "Generated paragraph."), ("th", paragraph)):
            source = (KRATOM / f"{lang}.yaml").read_text("utf-8")
            section = f"- id: generated\n  heading: Generated\n  body:\n    - {text!r}\n"
            (root / "kratom" / f"{lang}.yaml").write_text(_with_section(source, section),
                                                          "utf-8")
            locale = LOCALES[0] / f"{lang}.yaml"
            (root / "locales" / f"{lang}.yaml").write_text(locale.read_text("utf-8"), "utf-8")
        [result] = brochure.build(root / "kratom" / "th.yaml", layouts="general",
                                  out_dir=None)
    return result.pdf


@pytest.mark.skipif(shutil.which("pdfinfo") is None,
                    reason="pdfinfo (poppler-utils) is not installed")
@settings(max_examples=max(2, settings().max_examples // 4))  # ~1 s an example
@given(paragraph=_THAI)
def test_thai_line_breaks_add_no_space(paragraph: str) -> None:
    """Generated Thai (words mostly written together, a few spaces): the drawn text, as
    poppler reads it, has exactly the content's spaces; the ActualText is the text."""
    pdf = _build_thai_with_section(paragraph)
    assert structtext.normal(paragraph) in _structure_texts(pdf)
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        out = subprocess.run(["pdfinfo", "-struct-text", handle.name], capture_output=True,
                             text=True, check=True).stdout
    # the paragraph right after the section's heading
    [drawn] = re.findall(r'"Generated"\n\s*P \(block\)\n\s*"(.*)"$', out, re.MULTILINE)
    assert structtext.normal(drawn).count(" ") == structtext.normal(paragraph).count(" ")


def _after_char_by_char(text: str, part: str, start: int = 0) -> int | None:
    """`tagging._after` by its definition: the non-space characters of *part* are the
    next non-space characters of *text* from *start*; the answer is just past the last."""
    wanted = [ch for ch in part if not ch.isspace()]
    at = [i for i in range(start, len(text)) if not text[i].isspace()][:len(wanted)]
    if len(at) < len(wanted) or any(text[i] != ch for i, ch in zip(at, wanted, strict=True)):
        return None
    return at[-1] + 1 if wanted else start


@given(text=st.text(alphabet="ab \n\u00a0", max_size=12),
       part=st.text(alphabet="ab \n", max_size=8), start=st.integers(0, 12))
def test_where_a_line_ends_in_its_text_is_found_as_char_by_char(text, part, start) -> None:
    from brochure.typeset.tagging import _after

    assert _after(text, part, start) == _after_char_by_char(text, part, start)
