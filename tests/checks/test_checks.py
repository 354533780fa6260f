"""Health-literacy and accessibility gates: each check fails on a purpose-made bad input
and passes on the shipped kratom editions; the formulas match hand counts."""

from __future__ import annotations

import io
import json
import re
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image as PILImage
from reportlab.lib.pagesizes import LETTER
from reportlab.pdfgen.canvas import Canvas

import brochure
from brochure.checks import (
    check_pdf,
    hyphenation,
    pdfcheck,
    pdftext,
    readability,
    syllables,
)
from brochure.checks.handout import Part, Unit, parts
from brochure.checks.pdfscan import scan
from brochure.checks.pdftokens import operations
from brochure.cli import main
from brochure.errors import BrochureError, LayoutError
from brochure.source.content import load_content
from brochure.source.layouts import load_layout
from tests.conftest import KRATOM, reader, write

DATA = Path(__file__).parent / "data"
DENSE = DATA / "dense" / "en.yaml"


def failures(result: brochure.BuildResult) -> list[str]:
    assert result.checks is not None
    return [c.message for c in result.checks.failures]


# -- syllables and formulas, against hand counts -----------------------------------------

# Counted by hand from dictionary syllable breaks (Merriam-Webster; RAE for Spanish).
ENGLISH_WORDS = {
    "kratom": 2, "every": 2, "everything": 3, "people": 2, "area": 3, "idea": 3, "tea": 1,
    "opioid": 3, "opioids": 3, "benzodiazepine": 6, "benzodiazepines": 6, "medicine": 3,
    "medicines": 3, "pharmacist": 3, "dependence": 3, "withdrawal": 3, "regulated": 4,
    "Asia": 2, "Indonesia": 4, "Malaysia": 3, "coffee": 2, "substances": 3, "the": 1,
    "approved": 2, "breathing": 2, "liver": 2, "damage": 2, "constipation": 4, "serious": 3,
    "especially": 4, "evidence": 3, "studies": 2, "limited": 3, "naloxone": 3, "being": 2,
    "science": 2, "quiet": 2, "poem": 2, "able": 2, "little": 2, "table": 2, "tables": 2,
    "chewed": 1, "wanted": 2, "jumped": 1, "hopes": 1, "recalled": 2, "make": 1,
    "seizure": 2, "alcohol": 3, "diarrhea": 4, "vomiting": 3, "salmonella": 4,
    "hepatitis": 4, "reaction": 3, "usually": 4, "family": 3, "available": 4,
    "interpreters": 4, "fentanyl": 3, "heroin": 3, "irritability": 6, "bacteria": 4,
    "urine": 2, "stools": 1, "emergency": 4, "experience": 4, "centuries": 3, "anxiety": 4,
    "serotonin": 4, "dopamine": 3, "promising": 3, "proven": 2, "sometimes": 2,
    "someone": 2, "safely": 2, "safety": 2, "careful": 2, "movement": 2, "likely": 2,
    "language": 2, "guide": 1, "quite": 1, "yes": 1, "beyond": 2, "player": 2,
    "million": 2, "senior": 2, "nation": 2, "special": 2, "region": 2, "anxious": 2,
    "radio": 3, "video": 3, "period": 3, "patient": 2, "ancient": 2, "client": 2, "diet": 2,
    "happier": 3, "easiest": 3, "friend": 1, "believe": 2, "mechanism": 4, "ruin": 2,
    "fluid": 2, "fruit": 1, "trial": 2, "social": 2, "various": 3, "actual": 3, "eyes": 1,
    "breastfeeding": 3, "fingertips": 3, "uneven": 3, "naloxone's": 3, "long-term": 2,
    "well-being": 3, "FDA": 3, "U.S.": 2, "911": 3, "18": 2,
}
SPANISH_WORDS = {
    "día": 2, "país": 2, "leer": 2, "creer": 2, "aún": 2, "oído": 3, "reúne": 3, "búho": 2,
    "ahí": 2, "caída": 3, "frío": 2, "río": 2, "poeta": 3, "maíz": 2, "construir": 2,
    "ciudad": 2, "huevo": 2, "aéreo": 4, "náuseas": 3, "estreñimiento": 5, "reacción": 3,
    "aunque": 2, "hay": 1, "muy": 1, "rey": 1, "leyes": 2, "que": 1, "quien": 1,
    "guerra": 2, "pingüino": 3, "Indonesia": 4, "Malasia": 3, "opioides": 3,
    "benzodiacepinas": 6, "hígado": 3, "respiración": 4, "medicamentos": 5,
    "farmacéutico": 5, "embarazada": 5, "corazón": 3, "abstinencia": 4, "FDA": 4, "911": 6,
}


@pytest.mark.parametrize(("language", "words"), [("en", ENGLISH_WORDS),
                                                 ("es", SPANISH_WORDS)])
def test_syllables_match_hand_counts(language: str, words: dict[str, int]) -> None:
    counted = {word: syllables.count(word, language) for word in words}
    assert counted == words


def test_english_formulas_match_a_hand_counted_passage() -> None:
    # Call(1) your(1) doc-tor(2) if(1) you(1) feel(1) diz-zy(2): 7 words, 9 syllables.
    # Take(1) one(1) tab-let(2) ev-ery(2) morn-ing(2) with(1) wa-ter(2): 7 words, 11.
    # Med-i-cines(3) can(1) in-ter-act(3) with(1) al-co-hol(3): 5 words, 11, 3 of 3+.
    text = ("Call your doctor if you feel dizzy. Take one tablet every morning with water. "
            "Medicines can interact with alcohol.")
    stats = readability.measure([text], "en")
    assert stats is not None
    assert (len(stats.sentences), stats.words, stats.syllables, stats.polysyllables) == (
        3, 19, 31, 3)
    scores = readability.score([text], "en").values
    # 0.39 × 19/3 + 11.8 × 31/19 − 15.59 = 6.1326; 1.0430 × √(3 × 30/3) + 3.1291 = 8.8418
    assert scores == {"flesch_kincaid": pytest.approx(6.1326, abs=1e-4),
                      "smog": pytest.approx(8.8418, abs=1e-4)}


def test_spanish_formulas_match_a_hand_counted_passage() -> None:
    # Lla-me(2) a(1) su(1) mé-di-co(3) si(1) tie-ne(2) fie-bre(2): 7 words, 12 syllables.
    # To-me(2) u-na(2) pas-ti-lla(3) ca-da(2) ma-ña-na(3): 5 words, 12.
    # El(1) al-co-hol(3) pue-de(2) ser(1) pe-li-gro-so(4): 5 words, 11.
    text = "Llame a su médico si tiene fiebre. Tome una pastilla cada mañana. El alcohol " \
           "puede ser peligroso."
    stats = readability.measure([text], "es")
    assert stats is not None
    assert (len(stats.sentences), stats.words, stats.syllables) == (3, 17, 35)
    scores = readability.score([text], "es").values
    # 206.84 − 60 × 35/17 − 1.02 × 17/3 = 77.5306; 206.835 − 62.3 × 35/17 − 17/3 = 72.9036
    assert scores == {"fernandez_huerta": pytest.approx(77.5306, abs=1e-4),
                      "szigriszt_pazos": pytest.approx(72.9036, abs=1e-4)}


def test_fernandez_huerta_grows_harder_with_longer_sentences() -> None:
    # The often-copied "sentences per 100 words" version would score this the other way.
    short = "Tome agua. Coma bien. Duerma mucho. Camine un poco."
    long = "Tome agua, coma bien, duerma mucho y camine un poco."
    assert readability.score([short], "es").values["fernandez_huerta"] > \
        readability.score([long], "es").values["fernandez_huerta"]


def test_sentences_abbreviations_and_list_items() -> None:
    assert readability.split_sentences(
        "Kratom is not approved by the U.S. Food and Drug Administration (FDA). Call 911 "
        "now! Is it safe? No.") == [
        "Kratom is not approved by the U.S. Food and Drug Administration (FDA).",
        "Call 911 now!", "Is it safe?", "No."]
    assert readability.split_sentences("¿Es seguro? No. Vea a su médico en EE. UU. si "
                                       "puede.") == [
        "¿Es seguro?", "No.", "Vea a su médico en EE. UU. si puede."]
    # A list item or table cell without sentence punctuation is a fragment, not a sentence.
    assert readability.measure(["Slow, shallow or stopped breathing", "A seizure (fit)"],
                               "en") is None
    assert readability.words("It's a long-term, well-known U.S. problem: 24 hours.") == [
        "It's", "a", "long-term", "well-known", "U.S.", "problem", "24", "hours"]


@pytest.mark.parametrize(("language", "name"), [("vi", "Vietnamese"), ("th", "Thai"),
                                                ("ar", "Arabic")])
def test_no_formula_means_no_score(language: str, name: str) -> None:
    scores = readability.score(["Một câu. Hai câu."], language)
    assert scores.values == {} and scores.stats is None
    if language == "ar":  # OSMAN needs vowelled text: not measured rather than guessed
        assert scores.reason.startswith("not measured: OSMAN needs vowelled text")
    else:
        assert scores.reason == (f"no recognised readability formula is implemented for "
                                 f"{name}; have the reading level checked by a reviewer who "
                                 "reads the language")


def test_formula_names_agree_with_the_layout_schema() -> None:
    from brochure.source.layouts import READABILITY_FORMULAS

    assert set(READABILITY_FORMULAS) == set(readability.FORMULAS)


# -- readability gate --------------------------------------------------------------------

LONGEST = (
    '"The pharmacological characterisation of the preparation\'s constituent alkaloids, '
    "notwithstanding considerable methodological heterogeneity across the investigations "
    "conducted to date, indicates predominantly agonistic activity at several receptor "
    "populations, with consequent modulation of nociceptive, serotonergic and adrenergic "
    'signalling whose clinical significance remains indeterminate." (40 words); '
    '"Considering the observational nature of the available evidence, conclusions regarding '
    "comparative effectiveness, appropriate dosing and cumulative toxicity are necessarily "
    "provisional, particularly for individuals with hepatic impairment or concurrent "
    'psychoactive medication exposure." (31 words); ')


def test_a_dense_section_is_a_warning_naming_it_its_score_and_longest_sentences() -> None:
    [result] = brochure.build(DENSE, layouts="general", out_dir=None)
    assert failures(result) == [
        f"{DENSE}:16:5: sections[0]: \"How it works\" reads above the 'general' layout's "
        "target: Flesch–Kincaid grade 31.8, target ≤ 8. Longest sentences: " + LONGEST
        + '"Consequently, comprehensive longitudinal investigation is indispensable." '
        "(6 words)",
        f"{DENSE}: the handout as a whole reads above the 'general' layout's target: "
        "Flesch–Kincaid grade 15.4, target ≤ 8. Longest sentences: " + LONGEST
        + '"Ask your doctor before you take anything new." (8 words)',
    ]
    assert result.warnings == failures(result)
    rows = {c.subject: c for c in result.checks.checks if c.name == "readability"}
    assert rows["How it works"].figure == ("FK 31.8 · SMOG n/a (<30 sent.) · 3 sentences, "
                                           "77 words")
    assert rows["How it works"].limit == "FK ≤ 8 · SMOG ≤ 8"
    assert rows["Key points"].status == "pass"


def test_strict_makes_the_readability_warning_an_error() -> None:
    with pytest.raises(BrochureError, match=r"sections\[0\]: \"How it works\" reads above"):
        brochure.build(DENSE, layouts="general", out_dir=None, strict=True)


def test_clinical_wording_is_scored_but_has_no_target() -> None:
    [result] = brochure.build(DENSE, layouts="clinic", out_dir=None)
    rows = [c for c in result.checks.checks if c.name == "readability"]
    assert {c.status for c in rows} == {"info"} and rows[0].limit == "none set"


def test_unknown_formula_in_a_layout_lists_the_known_ones(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.yaml", """
        description: "x"
        base: general
        readability:
          en: {flesch: 8}
        """)
    with pytest.raises(LayoutError) as caught:
        load_layout(str(bad))
    assert str(caught.value) == (
        f"{bad}:4:16: readability.en.flesch: is not a known key; use one of: "
        "flesch_kincaid, smog, fernandez_huerta, szigriszt_pazos")


# -- type size, contrast -----------------------------------------------------------------

def test_nine_point_body_in_a_general_layout_fails() -> None:
    layout = DATA / "small-body.yaml"
    [result] = brochure.build(DENSE, layouts=str(layout), out_dir=None)
    measured = f"{DENSE} (small-body layout)"
    assert [m for m in failures(result) if " is set in " in m] == [
        f"{measured}: body text (paragraphs and list items outside tables) is set in 9 pt "
        f"(982 of 1,196 characters, measured in the PDF); the layout asks for at least "
        f"12 pt (min_body_size in {layout})",
        f"{measured}: some text is set in 9 pt (982 characters, page 1); the layout allows "
        f"no text under 12 pt (min_text_size in {layout})",
    ]


def test_light_grey_text_fails_contrast() -> None:
    layout = DATA / "light-grey.yaml"
    [result] = brochure.build(DENSE, layouts=str(layout), out_dir=None)
    measured = f"{DENSE} (light-grey layout)"
    assert [m for m in failures(result) if "contrast" in m] == [
        f"{measured}: text in #b0b0b0 on #fdf0ee has a contrast of 1.9:1 (20 characters, "
        f"page 1); the layout asks for at least 7:1 (min_contrast in {layout})",
        f"{measured}: text in #b0b0b0 on #f1f4f7 has a contrast of 2.0:1 (102 characters, "
        f"page 1); the layout asks for at least 7:1 (min_contrast in {layout})",
        f"{measured}: text in #b0b0b0 on #ffffff has a contrast of 2.2:1 (1,005 characters, "
        f"pages 1, 2); the layout asks for at least 7:1 (min_contrast in {layout})",
    ]


def test_wcag_contrast_ratios() -> None:
    black, white = (0.0, 0.0, 0.0), (1.0, 1.0, 1.0)
    assert pdfcheck.contrast_ratio(black, white) == pytest.approx(21)
    assert pdfcheck.contrast_ratio(white, white) == pytest.approx(1)
    grey = (0x77 / 255,) * 3  # #777777, the classic just-under-4.5 grey
    assert pdfcheck.contrast_ratio(grey, white) == pytest.approx(4.48, abs=0.01)


def test_background_is_the_topmost_fill_under_the_text_with_opacity() -> None:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=LETTER)
    canvas.setFillColorRGB(0, 0, 0.5)
    canvas.rect(50, 600, 300, 100, stroke=0, fill=1)  # dark blue box
    canvas.setFillColorRGB(1, 1, 0)
    canvas.rect(60, 640, 100, 40, stroke=0, fill=1)  # yellow box inside it
    canvas.setFont("Helvetica", 11)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.drawString(70, 650, "on yellow")
    canvas.setFillColorRGB(1, 1, 1)
    canvas.drawString(200, 650, "on blue")
    canvas.setFillAlpha(0.5)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.drawString(70, 400, "half black on paper")
    canvas.save()
    runs = scan(reader(buffer.getvalue())).runs
    assert [(r.color, r.background, r.size) for r in runs] == [
        ((0.0, 0.0, 0.0), (1.0, 1.0, 0.0), 11.0),
        ((1.0, 1.0, 1.0), (0.0, 0.0, 0.5), 11.0),
        ((0.5, 0.5, 0.5), (1.0, 1.0, 1.0), 11.0),
    ]


# -- reading order -----------------------------------------------------------------------

COMMON = ("Nausea, constipation and a dry mouth are the side effects reported most often, "
          "and they are mostly mild.")
SERIOUS = ("Liver damage and slow breathing are rare but serious, and they need a doctor "
           "right away.")


def two_columns(interleave: bool) -> bytes:
    """A page with two columns of text, as a naive layout draws them: line by line across
    both columns (interleave) or one column after the other."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=LETTER)
    canvas.setFont("Helvetica", 12)
    canvas.drawString(72, 700, "Side effects")
    left, right = textwrap.wrap(COMMON, 36), textwrap.wrap(SERIOUS, 36)
    cells = [(72, left), (320, right)]
    order = ([(x, i, lines[i]) for i in range(3) for x, lines in cells] if interleave
             else [(x, i, line) for x, lines in cells for i, line in enumerate(lines)])
    for x, i, line in order:
        canvas.drawString(x, 670 - 15 * i, line)
    canvas.save()
    return buffer.getvalue()


SIDE_BY_SIDE = [Part("side_effects", "Side effects",
                     (Unit("Side effects", prose=False), Unit(COMMON), Unit(SERIOUS)))]


def test_interleaved_columns_fail_reading_order() -> None:
    layout = load_layout("general")
    texts = pdfcheck.page_texts(reader(two_columns(interleave=True)), layout)
    check = pdfcheck.reading_order(texts, SIDE_BY_SIDE, layout, "ltr", "two-columns.pdf")
    assert check.status == "fail" and check.figure == "1 of 3 text blocks whole and in order"
    assert check.message == (
        'two-columns.pdf: reading order: "Nausea, constipation and a dry mouth are the …" '
        'is broken up: after "Nausea, constipation and a dry mouth" the text layer reads '
        '"Liver damage and slow breathing are are" (side-by-side columns or cells read '
        'across instead of down?); "Liver damage and slow breathing are rare but …" is '
        'broken up: after "Liver damage and slow breathing are" the text layer reads "are '
        'the side effects reported most rare" (side-by-side columns or cells read across '
        'instead of down?)')
    fine = pdfcheck.page_texts(reader(two_columns(interleave=False)), layout)
    assert pdfcheck.reading_order(fine, SIDE_BY_SIDE, layout, "ltr", "x").status == "pass"


def test_a_heading_row_repeated_on_a_new_page_does_not_break_a_cell() -> None:
    layout = load_layout("general")
    cell = Unit("The source says some studies look hopeful for pain that lasts a long time.")
    part = [Part("benefits", "Possible benefits", (cell,))]
    split = [("", "The source says some studies look hopeful for\n"),
             ("", "Possible benefit What the evidence says\npain that lasts a long time.")]
    header = ("Possible benefit What the evidence says",)
    assert pdfcheck.reading_order(split, part, layout, "ltr", "x", header).status == "pass"
    assert pdfcheck.reading_order(split, part, layout, "ltr", "x").status == "fail"


def test_private_use_characters_are_reported_but_keep_the_order_checkable() -> None:
    # HarfBuzz-placed Thai tone marks copy as private-use characters: U+0E48 → U+E000.
    layout = load_layout("general")
    part = [Part("title", "t", (Unit("กระท่อม: ประโยชน์ที่อาจได้รับ"),))]
    texts = [("กระท\ue000อม: ประโยชน์ท\ue000อาจได้รับ", "กระท\ue000อม: ประโยชน์ท\ue000อาจได้รับ")]
    assert pdfcheck.reading_order(texts, part, layout, "ltr", "x").status == "pass"
    check = pdfcheck.text_characters(texts, "th.pdf")
    assert check.message == ("th.pdf: the text layer holds 2 private-use characters (page 1) "
                             "where the content has letters or marks; copy-paste and screen "
                             "readers get those wrong")


def test_parts_in_another_order_than_the_layout_fail(tmp_path: Path, topic_copy: Path
                                                    ) -> None:
    [result] = brochure.build(topic_copy, layouts=str(DATA / "safety-last.yaml"),
                              out_dir=None)
    pdf = tmp_path / "handout.pdf"
    pdf.write_bytes(result.pdf)
    report = check_pdf(pdf, "general", topic_copy)
    [order] = [c for c in report.checks if c.name == "reading order"]
    assert order.message == (
        f'{pdf}: reading order: the part "Safety" is read after "What changes the side '
        'effects"; the layout puts it after "Key points"')
    whole, total = map(int, re.fullmatch(r"(\d+) of (\d+) text blocks whole and in order",
                                         order.figure).groups())
    assert whole < total


# -- reading the PDF: content streams and the text layer ----------------------------------

def test_tokenizer_reads_strings_names_numbers_arrays_and_dictionaries() -> None:
    stream = rb"""/F#231 12 Tf [(a\(b\)c) -250 <48 65 6C 6C 6F> (x\101\0y\\z\
continued) 4.] TJ % a comment (not a string) ]
/Span <</ActualText <FEFF0041> /MCID 3 /K [1 [2]] /B true>> BDC -.5 +3 Tz (()) Tj
<41 4> Tj (tab\tend) Tj""" + b"(bare\r\nline) Tj"
    assert operations(stream) == [
        (["/F#1", 12.0], b"Tf"),
        ([[b"a(b)c", -250.0, b"Hello", b"xA\x00y\\zcontinued", 4.0]], b"TJ"),
        (["/Span", {"/ActualText": b"\xfe\xff\x00A", "/MCID": 3.0, "/K": [1.0, [2.0]],
                    "/B": True}], b"BDC"),
        ([-0.5, 3.0], b"Tz"),
        ([b"()"], b"Tj"),
        ([b"A@"], b"Tj"),  # an odd number of hex digits ends in 0
        ([b"tab\tend"], b"Tj"),
        ([b"bare\nline"], b"Tj"),  # an end of line (not escaped) in a string reads as LF
    ]


def test_tokenizer_reads_deeply_nested_and_unclosed_strings() -> None:
    assert operations(rb"(1(2(3(4(5)4)3)2)1) Tj (a\)b) Tj (open") == [
        ([b"1(2(3(4(5)4)3)2)1"], b"Tj"), ([b"a)b"], b"Tj")]  # the unclosed one shows nothing


def test_tokenizer_skips_inline_image_data_that_looks_like_operators() -> None:
    # 4 × 1 grey pixels whose bytes read " EI ": the image's size says where its data ends.
    plain = b"q BI /W 4 /H 1 /CS /G /BPC 8 ID  EI \nEI Q (after) Tj"
    # Compressed data has no size: the EI that text follows ends it, not one in the data.
    packed = b"BI /W 2 /H 2 /F /Fl ID x\x9c EI \x80\x81\x82 EI\nBT (t) Tj ET"
    assert operations(plain) == [
        ([], b"q"),
        ([{"settings": {"/W": 4.0, "/H": 1.0, "/CS": "/G", "/BPC": 8.0}, "data": b" EI "}],
         b"INLINE IMAGE"),
        ([], b"Q"), ([b"after"], b"Tj")]
    assert operations(packed) == [
        ([{"settings": {"/W": 2.0, "/H": 2.0, "/F": "/Fl"}, "data": b"x\x9c EI \x80\x81\x82"}],
         b"INLINE IMAGE"),
        ([], b"BT"), ([b"t"], b"Tj"), ([], b"ET")]


def test_tokenizer_agrees_with_pypdf_on_a_reportlab_page() -> None:
    from pypdf.generic import ContentStream

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=LETTER, pageCompression=0)
    canvas.setFont("Helvetica", 12)
    canvas.drawString(72, 700, "Café (nested) \\ back ’quote’ €")
    canvas.setFillColorRGB(0.2, 0.4, 0.6)
    canvas.rect(72, 600, 200, 50, stroke=1, fill=1)
    canvas.save()
    page = reader(buffer.getvalue()).pages[0]

    def plain(value: object) -> object:
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        return bytes(value) if isinstance(value, bytes) else str(value)

    theirs = ContentStream(page["/Contents"].get_object(), None, "bytes").operations
    assert [(plain(o), op) for o, op in operations(page.get_contents().get_data())] == \
        [(plain(o), op) for o, op in theirs]


def test_to_unicode_cmaps_map_codes_to_text() -> None:
    cmap = b"""/CIDInit /ProcSet findresource begin begincmap
    1 begincodespacerange <00> <FF> endcodespacerange
    2 beginbfchar <03> <0041>
    <04> <D83DDE00> endbfchar
    2 beginbfrange <10> <12> <0061>
    <20> <22> [<00660069> <> <41>] endbfrange endcmap"""
    assert pdftext.parse_to_unicode(cmap) == {
        3: "A", 4: "\U0001f600", 0x10: "a", 0x11: "b", 0x12: "c", 0x20: "fi", 0x21: "",
        0x22: "A"}
    assert pdftext.parse_to_unicode(b"1 beginbfchar <0G> <0041> endbfchar") is None


def stream_object(data: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n%s\nendstream" % (len(data), data)


def one_page_pdf(content: bytes, fonts: bytes, *more: bytes) -> bytes:
    """A letter-size page drawing *content* with the /Font resources *fonts*; *more*
    objects are numbered from 5."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font "
               + fonts + b" >> /Contents 4 0 R >>",
               stream_object(content), *more]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def test_text_of_a_two_byte_font_comes_through_its_to_unicode_map() -> None:
    fonts = (b"<< /F1 << /Type /Font /Subtype /Type0 /BaseFont /AAAAAA+Test /Encoding "
             b"/Identity-H /DescendantFonts [<< /Type /Font /Subtype /CIDFontType2 "
             b"/BaseFont /AAAAAA+Test /DW 500 >>] /ToUnicode 5 0 R >> >>")
    cmap = (b"2 beginbfchar\n<0001> <0048>\n<0002> <0069>\nendbfchar\n"
            b"1 beginbfrange\n<0010> <0012> <0041>\nendbfrange")
    content = (b"BT /F1 12 Tf 72 770 Td <0010> Tj ET "  # in the top margin: a running head
               b"BT /F1 12 Tf 72 700 Td <00010002> Tj 0 -20 Td [<0010> -300 <00110012>] TJ ET")
    pdf = reader(one_page_pdf(content, fonts, stream_object(cmap)))
    found = scan(pdf)
    assert found.texts[0] is not None  # read by the scan, not by pypdf
    assert pdfcheck.page_texts(pdf, load_layout("general"), found) == [
        ("A\nHi\nA BC", "\nHi\nA BC")]
    assert "".join(pdf.pages[0].extract_text().split()) == "AHiABC"


def test_a_font_the_scan_cannot_read_leaves_the_page_to_pypdf() -> None:
    fonts = (b"<< /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding "
             b"<< /Type /Encoding /Differences [65 /ff] >> >> >>")
    pdf = reader(one_page_pdf(b"BT /F1 12 Tf 72 700 Td (AB) Tj ET", fonts))
    found = scan(pdf)
    assert found.texts == [None] and found.runs[0].glyphs == 2
    [(full, body)] = pdfcheck.page_texts(pdf, load_layout("general"), found)
    assert full == pdf.pages[0].extract_text() and "".join(body.split()) == "\ufb00B"


def test_text_in_a_form_is_read_where_the_form_is_drawn() -> None:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=LETTER)
    canvas.setFont("Helvetica", 12)
    canvas.beginForm("note")
    canvas.drawString(0, 0, "Inside a form")
    canvas.endForm()
    canvas.drawString(72, 20, "Page 1 of 1")  # the footer, in the bottom margin
    canvas.translate(100, 600)
    canvas.doForm("note")
    canvas.drawInlineImage(PILImage.new("RGB", (4, 4), "red"), 0, -100, 20, 20)
    canvas.save()
    pdf = reader(buffer.getvalue())
    found = scan(pdf)
    assert [(run.x, run.y) for run in found.runs] == [(72, 20), (100, 600)]
    assert len(found.images) == 1
    assert pdfcheck.page_texts(pdf, load_layout("general"), found) == [
        ("Page 1 of 1\nInside a form", "\nInside a form")]


def test_an_edition_whose_cross_references_are_off_is_still_checked() -> None:
    # Editions are opened trusting their cross-reference table; a wrong one is repaired.
    from brochure.checks import check_edition

    good = two_columns(interleave=False)
    shifted = good[:9] + b"% a comment moving every object\n" + good[9:]
    content, layout = load_content(KRATOM / "en.yaml"), load_layout("general")
    assert check_edition(content, layout, shifted).checks == \
        check_edition(content, layout, good).checks


# -- document basics ---------------------------------------------------------------------

def bare_pdf(tmp_path: Path) -> Path:
    """One page holding only a picture: no title, language, outline or text layer."""
    picture = tmp_path / "scan.png"
    PILImage.new("RGB", (40, 20), "white").save(picture)
    path = tmp_path / "scan.pdf"
    canvas = Canvas(str(path), pagesize=LETTER)
    canvas.drawImage(str(picture), 72, 72, 468, 648)
    canvas.save()
    return path


def test_a_page_with_only_an_image_fails_the_basics(tmp_path: Path) -> None:
    path = bare_pdf(tmp_path)
    report = check_pdf(path, "general")
    basics = {c.name: c for c in report.checks if c.subject == "document"}
    assert [c.message for c in basics.values() if c.status == "fail"] == [
        f"{path}: the document has no title (Info /Title is 'untitled')",
        f"{path}: viewers show the file name, not the title (ViewerPreferences "
        "/DisplayDocTitle is not set)",
        f"{path}: the document language is not set (/Lang)",
        f"{path}: the document has no outline (bookmarks)",
        f"{path}: page 1 has no text layer: the text is drawn as an image or as outlines, "
        "which screen readers cannot read",
    ]
    assert basics["text layer"].figure == "0 of 1 pages have text; 1 image"
    # Without the content it was made from, readability and reading order are not checked.
    assert [c.status for c in report.checks if c.name in ("readability", "reading order")] \
        == ["n/a", "n/a"]


# -- the shipped editions pass -----------------------------------------------------------

@pytest.mark.parametrize("language", ["en", "es"])
def test_shipped_kratom_editions_pass_every_check(language: str) -> None:
    for result in brochure.build(KRATOM, languages=language, layouts=["clinic", "general"],
                                 out_dir=None):
        assert result.checks is not None
        assert failures(result) == [], result.layout
        statuses = {c.name: c.status for c in result.checks.checks}
        assert statuses["reading order"] == "pass"
        if result.layout == "general":
            assert {c.status for c in result.checks.checks
                    if c.name == "readability"} == {"pass"}


def test_kratom_general_measures() -> None:
    [result] = brochure.build(KRATOM, layouts="general", out_dir=None)
    checks = result.checks.checks
    body = next(c for c in checks if c.name == "body text size")
    assert body.values["size"] == 12 and body.limit == "≥ 12 pt"
    ratios = [c.values["ratio"] for c in checks if c.name == "contrast"]
    assert min(ratios) >= 7 and len(ratios) == 11
    whole = next(c for c in checks if c.subject == "whole handout")
    # (the gate compares scores rounded to one decimal, as they are reported)
    assert round(whole.values["flesch_kincaid"], 1) <= 8
    assert round(whole.values["smog"], 1) <= 8


def test_languages_without_a_formula_report_na_not_a_score() -> None:
    [result] = brochure.build(KRATOM, languages="vi", layouts="general", out_dir=None)
    [row] = [c for c in result.checks.checks if c.name == "readability"]
    assert row.status == "n/a" and "Vietnamese" in row.figure
    assert failures(result) == []


def test_handout_parts_follow_the_layout_order(topic_copy: Path) -> None:
    content = load_content(topic_copy)
    general = [p.key for p in parts(content, load_layout("general"))]
    assert general == ["title", "key_points", "safety", "sections[0]", "sections[1]",
                       "sections[2]", "benefits", "side_effects", "sections[4]", "sources",
                       "disclaimer"]
    clinic = [p.key for p in parts(content, load_layout("clinic"))]
    assert clinic[:4] == ["title", "sections[0]", "sections[1]", "sections[2]"]
    assert "sections[3]" in clinic and "key_points" not in clinic  # clinical-only section


# -- the command -------------------------------------------------------------------------

def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_check_command_table_json_and_strict(tmp_path: Path) -> None:
    code, out, err = run("check", "kratom", "--layout", "general")
    assert code == 0, err
    assert re.match(rf"{re.escape(str(KRATOM / 'en.yaml'))} · layout general · en · \d+ "
                    r"pages\n", out)
    assert re.search(r"\n  all \d+ checks passed or informational\n", out)
    code, out, _ = run("check", str(DENSE), "--layout", "general", "--json")
    assert code == 0
    [edition] = json.loads(out)["editions"]
    assert edition["passed"] is False
    assert [c["subject"] for c in edition["checks"] if c["status"] == "fail"] == [
        "How it works", "whole handout"]
    code, out, err = run("check", str(DENSE), "--layout", "general", "--strict")
    assert code == 1 and err == "error: 2 checks failed (--strict)\n"
    assert re.search(r"\n  2 of \d+ checks failed\n", out)


def test_check_reads_layout_and_content_from_brochure_file_names(tmp_path: Path) -> None:
    [result] = brochure.build(KRATOM, layouts="general", out_dir=tmp_path)
    assert result.path is not None and result.path.name == "kratom-en-general.pdf"
    code, out, err = run("check", str(result.path))
    assert code == 0, err
    assert "reading order          text layer" in out and "FAIL" not in out
    other = tmp_path / "handout.pdf"
    other.write_bytes(result.pdf)
    code, _, err = run("check", str(other))
    assert code == 1 and err == (f"error: {other}: cannot tell which layout it was built "
                                 "with; name it with --layout (see 'brochure layouts')\n")


def test_check_help_has_an_example() -> None:
    code, out, _ = run("check", "--help")
    assert code == 0 and "Example" in out and "--strict" in out


@pytest.mark.parametrize("language", ["en", "es"])
def test_hyphenation_finds_pyphens_points_for_every_word_of_the_content(
        language: str, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import re

    import pyphen

    monkeypatch.setenv("BROCHURE_CACHE_DIR", str(tmp_path))
    hyphenation.patterns.cache_clear()
    hyphenation.points.cache_clear()
    root = Path(brochure.__file__).parent.parent / "content"
    words = {w for f in root.rglob("*.yaml")
             for w in re.findall(r"[^\W\d_]+", f.read_text("utf-8"))}
    words |= {"a", "ab", "hyphenation", "KRATOM", "niño", "acción"}
    reference = pyphen.Pyphen(lang=hyphenation.DICTIONARIES[language])
    for word in sorted(words):
        assert hyphenation.pieces(word, language) == \
            reference.inserted(word, hyphen="\u2010").split("\u2010"), word
    # parsed once, kept in the cache folder, read back the next time
    assert len(list(tmp_path.rglob("*.marshal"))) == 1
    hyphenation.patterns.cache_clear()
    assert hyphenation.patterns(language)[0] == \
        {k: (start, tuple(v)) for k, (start, v) in reference.hd.patterns.items()}
    hyphenation.patterns.cache_clear()


@pytest.mark.parametrize("language", ["en", "th"])
def test_fonts_read_from_their_bytes_scan_as_pypdf_reads_them(language: str,
                                                              monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from brochure.api import render_loaded
    from brochure.checks import pdfscan
    from brochure.checks.run import check_edition

    content = load_content(KRATOM / f"{language}.yaml")
    result = render_loaded(content, load_layout("general"))
    monkeypatch.setattr(pdfscan, "MAX_PAGES_KEPT", 0)  # each scan reads its pages
    pdfscan._PAGES.clear()
    fast = pdfscan.scan(reader(result.pdf))
    read = []
    real = pdfscan._simple_font
    monkeypatch.setattr(pdfscan, "_simple_font", lambda ref: read.append(ref) or real(ref))
    pdfscan.scan(reader(result.pdf))
    assert read and all(real(ref) is not None for ref in read)  # the fast path was taken
    monkeypatch.setattr(pdfscan, "_simple_font", lambda ref: None)
    assert pdfscan.scan(reader(result.pdf)) == fast
    assert check_edition(content, load_layout("general"), result.pdf).failures == []
