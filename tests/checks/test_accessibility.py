"""The accessibility audit: each check fails on a PDF made to break it, and only there.

Every case starts from a shipped edition that passes the whole audit, breaks one thing
(by building it with one fix turned off, or by changing the finished PDF), and expects
the finding of that check.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Callable

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

import brochure
from brochure import paths
from brochure.checks.accessibility import audit, content_texts
from brochure.source.content import load_content
from brochure.source.layouts import load_layout
from brochure.typeset import tagging
from tests.conftest import KRATOM

LOCALES = [paths.builtin("content") / "locales"]


def build(lang: str = "en", layout: str = "general") -> bytes:
    [result] = brochure.build(KRATOM, languages=lang, layouts=layout, out_dir=None)
    return result.pdf


def expected(lang: str = "en", layout: str = "general") -> list[str]:
    return content_texts(load_content(KRATOM / f"{lang}.yaml", LOCALES), load_layout(layout))


@pytest.fixture(scope="module")
def good() -> bytes:
    return build()


def checks_failed(pdf: bytes, texts: list[str] | None = None) -> set[str]:
    return {finding.check for finding in audit(pdf, texts)}


def rewritten(pdf: bytes, change: Callable[[PdfWriter], None]) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_the_unbroken_edition_passes(good) -> None:
    assert audit(good, expected()) == []
    assert audit(rewritten(good, lambda w: None), expected()) == []


# -- built with one fix turned off ------------------------------------------------------

def test_glued_words_fail_the_word_break_check(monkeypatch) -> None:
    monkeypatch.setattr(tagging, "explicit_word_breaks",
                        lambda paragraph, break_after=False: contextlib.nullcontext())
    findings = [f for f in audit(build(), expected()) if f.check == "word breaks"]
    assert findings
    assert any("words glued together" in f.message for f in findings)


def test_header_row_tagged_on_every_page_fails(monkeypatch) -> None:
    monkeypatch.setattr(tagging, "_mark_repeats", lambda flowable: None)
    pdf = build("en", "large-print")
    assert "repeated header" in checks_failed(pdf)


def test_split_thai_paragraph_without_actual_text_in_its_parts_fails(monkeypatch) -> None:
    monkeypatch.setattr(tagging, "_cut_words", lambda logical, count: None)
    monkeypatch.setattr(tagging, "_part_text", lambda part: None)
    pdf = build("th", "large-print")
    assert "ActualText" in checks_failed(pdf)


def test_missing_content_fails_the_structure_text_check(good) -> None:
    texts = [*expected(), "A paragraph the handout does not have."]
    assert "structure text" in checks_failed(good, texts)


# -- the finished PDF changed --------------------------------------------------------

def _reverse_document(writer: PdfWriter) -> None:
    document = writer._root_object["/StructTreeRoot"]["/K"][0].get_object()
    document[NameObject("/K")] = ArrayObject(reversed(list(document["/K"])))


def _metadata(writer: PdfWriter, edit: Callable[[str], str]) -> None:
    stream = writer._root_object["/Metadata"].get_object()
    new = DecodedStreamObject()
    new.set_data(edit(stream.get_data().decode("utf-8")).encode("utf-8"))
    new.update({NameObject("/Type"): NameObject("/Metadata"),
                NameObject("/Subtype"): NameObject("/XML")})
    writer._root_object[NameObject("/Metadata")] = writer._add_object(new)


def _catalog(key: str, value) -> Callable[[PdfWriter], None]:  # type: ignore[no-untyped-def]
    def change(writer: PdfWriter) -> None:
        if value is None:
            del writer._root_object[NameObject(key)]
        else:
            writer._root_object[NameObject(key)] = value
    return change


def _first_page(key: str, value) -> Callable[[PdfWriter], None]:  # type: ignore[no-untyped-def]
    def change(writer: PdfWriter) -> None:
        writer.pages[0][NameObject(key)] = value
    return change


def _ext_g_state(writer: PdfWriter) -> None:
    state = DictionaryObject({NameObject("/Type"): NameObject("/ExtGState"),
                              NameObject("/TR"): NameObject("/Identity")})
    resources = writer.pages[0]["/Resources"]
    resources[NameObject("/ExtGState")] = DictionaryObject(
        {NameObject("/GS9"): writer._add_object(state)})


def _annotation(writer: PdfWriter) -> None:
    link = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Link"),
        NameObject("/Rect"): ArrayObject([NumberObject(n) for n in (72, 72, 144, 90)]),
        NameObject("/A"): DictionaryObject({NameObject("/S"): NameObject("/URI"),
                                            NameObject("/URI"): TextStringObject("x")})})
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(link)])


def _role_map(entries: dict[str, str], retag: str | None = None
              ) -> Callable[[PdfWriter], None]:
    def change(writer: PdfWriter) -> None:
        root = writer._root_object["/StructTreeRoot"].get_object()
        role_map = root["/RoleMap"].get_object()
        for key, value in entries.items():
            role_map[NameObject("/" + key)] = NameObject("/" + value)
        if retag:
            document = root["/K"][0].get_object()
            document["/K"][1].get_object()[NameObject("/S")] = NameObject("/" + retag)
    return change


def _content_prefix(prefix: bytes) -> Callable[[PdfWriter], None]:
    def change(writer: PdfWriter) -> None:
        page = writer.pages[0]
        contents = page["/Contents"].get_object()
        new = DecodedStreamObject()
        new.set_data(prefix + b"\n" + contents.get_data())
        page[NameObject("/Contents")] = writer._add_object(new)
    return change


def _retag(old: str, new: str, count: int = 1) -> Callable[[PdfWriter], None]:
    """The first *count* structure elements of type *old*, in reading order, become
    *new*."""
    def change(writer: PdfWriter) -> None:
        done = 0
        stack = [writer._root_object["/StructTreeRoot"]["/K"][0].get_object()]
        while stack and done < count:
            elem = stack.pop()
            if elem.get("/S") == old:
                elem[NameObject("/S")] = NameObject(new)
                done += 1
            stack += reversed([k.get_object() for k in elem.get("/K", [])
                               if hasattr(k.get_object(), "get") and "/S" in k.get_object()])
    return change


def _first_page_without(key: str) -> Callable[[PdfWriter], None]:
    def change(writer: PdfWriter) -> None:
        del writer.pages[0][NameObject(key)]
    return change


def _wider_space(writer: PdfWriter) -> None:
    """The first font's space (code 32) made 50 units wider than its program says."""
    font = next(iter(writer.pages[0]["/Resources"]["/Font"].get_object().values()))
    widths = font.get_object()["/Widths"].get_object()
    index = 32 - int(font.get_object()["/FirstChar"])
    widths[index] = NumberObject(int(widths[index]) + 50)


CHANGES: dict[str, tuple[Callable[[PdfWriter], None], str, str]] = {
    "widths that disagree with the font program": (_wider_space, "PDF/A-2 6.2.11.5",
                                                   "/Widths"),
    "a heading level skipped": (_retag("/H2", "/H3"), "heading levels", "skipped"),
    "a table without header cells": (_retag("/TH", "/TD", 2), "table headers", "TH"),
    "a page without structure tab order": (_first_page_without("/Tabs"), "tab order",
                                           "/Tabs"),
    "a page without StructParents": (_first_page_without("/StructParents"), "structure",
                                     "/StructParents"),
    "no document language": (_catalog("/Lang", None), "language", "no /Lang"),
    "the title not shown": (_catalog("/ViewerPreferences", None), "title",
                            "DisplayDocTitle"),
    "a character read as U+0000": (_content_prefix(b"BT /F1+0 12 Tf (\\003) Tj ET"),
                                   "PDF/A-2 6.2.11.7.2", "U+FEFF"),
    # name: (change, the check that must fail, a phrase of its message)
    "structure out of order": (_reverse_document, "reading order", "comes before"),
    "no PDF/UA identification": (lambda w: _metadata(w, lambda x: x.replace(
        "<pdfuaid:part>1</pdfuaid:part>", "")), "PDF/UA identification", "PDF/UA-1"),
    "no dc:title": (lambda w: _metadata(w, lambda x: re.sub(
        r"<dc:title>.*?</dc:title>", "", x, flags=re.DOTALL)), "PDF/UA identification",
        "dc:title"),
    "PDF/A part 1 claimed": (lambda w: _metadata(w, lambda x: x.replace(
        "<pdfaid:part>2</pdfaid:part>", "<pdfaid:part>1</pdfaid:part>")), "PDF/A-2 6.6.4",
        "not 2"),
    "PDF/A level B claimed": (lambda w: _metadata(w, lambda x: x.replace(
        "<pdfaid:conformance>A<", "<pdfaid:conformance>B<")), "PDF/A-2 6.6.4", "not A"),
    "no pdfuaid extension schema": (lambda w: _metadata(w, lambda x: re.sub(
        r"<pdfaExtension:schemas>.*?</pdfaExtension:schemas>", "", x, flags=re.DOTALL)),
        "PDF/A-2 6.6.2.3.1", "extension schema"),
    "extension schema property without a category": (lambda w: _metadata(w, lambda x: re.sub(
        r"<pdfaProperty:category>.*?</pdfaProperty:category>", "", x)), "PDF/A-2 6.6.2.3.3",
        "category"),
    "XMP packet with an encoding attribute": (lambda w: _metadata(w, lambda x: x.replace(
        'id="W5M0MpCehiHzreSzNTczkc9d"', 'id="W5M0MpCehiHzreSzNTczkc9d" encoding="UTF-8"')),
        "PDF/A-2 6.6.2.1", "encoding"),
    "XMP not well-formed": (lambda w: _metadata(w, lambda x: x.replace("</x:xmpmeta>", "")),
                            "PDF/A-2 6.6.2.1", "well-formed"),
    "no metadata": (_catalog("/Metadata", None), "PDF/A-2 6.6.2.1", "no /Metadata"),
    "no output intent": (_catalog("/OutputIntents", None), "PDF/A-2 6.2.3", "output intent"),
    "MarkInfo false": (_catalog("/MarkInfo", DictionaryObject(
        {NameObject("/Marked"): BooleanObject(False)})), "PDF/A-2 6.7.2.2", "Marked"),
    "a language that is no tag": (_catalog("/Lang", TextStringObject("en us")),
                                  "PDF/A-2 6.7.4", "language tag"),
    "JavaScript on opening": (_catalog("/OpenAction", DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"),
         NameObject("/JS"): TextStringObject("app.alert(1)")})), "PDF/A-2 6.5.1", "JavaScript"),
    "catalog additional actions": (_catalog("/AA", DictionaryObject()), "PDF/A-2 6.5.2", "/AA"),
    "NeedsRendering": (_catalog("/NeedsRendering", BooleanObject(True)), "PDF/A-2 6.4.2",
                       "NeedsRendering"),
    "page with PresSteps": (_first_page("/PresSteps", DictionaryObject()), "PDF/A-2 6.10",
                            "PresSteps"),
    "transfer function": (_ext_g_state, "PDF/A-2 6.2.5", "TR"),
    "annotation without flags": (_annotation, "PDF/A-2 6.3.2", "no F key"),
    "standard type remapped": (_role_map({"P": "Span"}), "PDF/A-2 6.7.3.4", "remapped"),
    "type mapped to nothing standard": (_role_map({"Callout": "Bubble"}, retag="Callout"),
                                        "PDF/A-2 6.7.3.4", "not mapped"),
    "circular role map": (_role_map({"Callout": "Bubble", "Bubble": "Callout"},
                                    retag="Callout"), "PDF/A-2 6.7.3.4", "circular"),
    "DeviceCMYK under an sRGB intent": (_content_prefix(b"0 0 0 1 k"), "PDF/A-2 6.2.4.3",
                                        "DeviceCMYK"),
    "q nested 30 deep": (_content_prefix(b"q " * 30 + b"Q " * 30), "PDF/A-2 6.1.13",
                         "nested"),
    "a marked-content language that is no tag": (
        _content_prefix(b"/Span <</Lang (en us)>> BDC EMC"), "PDF/A-2 6.7.4", "marked-content"),
    "a tiny page box": (_first_page("/ArtBox", ArrayObject(
        [NumberObject(0), NumberObject(0), NumberObject(1), NumberObject(1)])),
        "PDF/A-2 6.1.13", "ArtBox"),
}


@pytest.mark.parametrize("name", list(CHANGES))
def test_each_broken_rule_is_found(good, name: str) -> None:
    change, check, phrase = CHANGES[name]
    findings = [f for f in audit(rewritten(good, change), expected()) if f.check == check]
    assert any(phrase in f.message for f in findings), [str(f) for f in audit(
        rewritten(good, change))]


# -- bytes changed ------------------------------------------------------------------

def _last_trailer_id_removed(pdf: bytes) -> bytes:
    at = pdf.rfind(b"/ID")
    return pdf[:at] + b"/XX" + pdf[at + 3:]


def _stream_without_eol(pdf: bytes) -> bytes:
    """The last stream's end-of-line marker before 'endstream' becomes a space."""
    at = pdf.rfind(b"\nendstream")
    return pdf[:at] + b" " + pdf[at + 1:]


def _wrong_length(pdf: bytes) -> bytes:
    """The last stream's /Length one byte off (same number of digits, same offsets)."""
    match = list(re.finditer(rb"/Length (\d+)", pdf))[-1]
    length = int(match.group(1))
    wrong = str(length - 1 if len(str(length - 1)) == len(str(length)) else length + 1)
    return pdf[:match.start(1)] + wrong.encode() + pdf[match.end(1):]


BYTE_CHANGES: dict[str, tuple[Callable[[bytes], bytes], str, str]] = {
    "header without binary comment": (lambda b: b[:10] + b"abcd" + b[14:], "PDF/A-2 6.1.2",
                                      "four bytes"),
    "data after %%EOF": (lambda b: b + b"trailing junk", "PDF/A-2 6.1.3", "%%EOF"),
    "no /ID": (_last_trailer_id_removed, "PDF/A-2 6.1.3", "/ID"),
    "wrong /Length": (_wrong_length, "PDF/A-2 6.1.7.1", "/Length"),
    "no EOL before endstream": (_stream_without_eol, "PDF/A-2 6.1.7.1", "endstream"),
}


@pytest.mark.parametrize("name", list(BYTE_CHANGES))
def test_each_broken_file_rule_is_found(good, name: str) -> None:
    change, check, phrase = BYTE_CHANGES[name]
    broken = change(good)
    assert broken != good
    findings = [f for f in audit(broken) if f.check == check]
    assert any(phrase in f.message for f in findings), [str(f) for f in audit(broken)]


# -- drawn by hand -------------------------------------------------------------------

def test_unembedded_font_is_found() -> None:
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(72, 720, "Call 911")
    canvas.showPage()
    canvas.save()
    messages = [f.message for f in audit(buffer.getvalue()) if f.check == "PDF/A-2 6.2.11.4.1"]
    assert messages == ["font Helvetica is not embedded"]


def test_interpolated_image_is_found(tmp_path) -> None:
    from PIL import Image
    from reportlab.pdfgen.canvas import Canvas

    Image.new("RGB", (8, 8), (10, 60, 100)).save(tmp_path / "dot.png")
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawImage(str(tmp_path / "dot.png"), 72, 72, 20, 20)
    canvas.showPage()
    canvas.save()

    def interpolate(writer: PdfWriter) -> None:
        xobjects = writer.pages[0]["/Resources"]["/XObject"]
        for ref in xobjects.values():
            ref.get_object()[NameObject("/Interpolate")] = BooleanObject(True)

    findings = audit(rewritten(buffer.getvalue(), interpolate))
    assert any(f.check == "PDF/A-2 6.2.8" and "Interpolate" in f.message for f in findings)


def test_figure_without_alternate_text_is_found() -> None:
    from brochure.typeset.geometry import PrintOptions

    [result] = brochure.build(KRATOM, layouts="general", out_dir=None,
                              options=PrintOptions(qr="https://example.org/k"))
    assert audit(result.pdf) == []

    def no_alt(writer: PdfWriter) -> None:
        stack = [writer._root_object["/StructTreeRoot"]["/K"][0].get_object()]
        while stack:
            elem = stack.pop()
            if elem.get("/S") == "/Figure":
                del elem[NameObject("/Alt")]
            stack += [k.get_object() for k in elem.get("/K", [])
                      if hasattr(k.get_object(), "get") and "/S" in k.get_object()]

    assert "alternate text" in checks_failed(rewritten(result.pdf, no_alt))


def test_private_use_characters_without_actual_text_are_found() -> None:
    """Thai tone marks HarfBuzz moves have no Unicode value of their own; without the
    ActualText spans their glyphs read as private-use code points (when the text-layer
    repair cannot name them) — here the spans are taken away and a private-use code is
    drawn outright."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfgen.canvas import Canvas

    from brochure.typeset.fonts import font_set

    fonts = font_set("th")
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.setFont(fonts.regular, 12)
    face = pdfmetrics.getFont(fonts.regular).face
    private = next((chr(c) for c in face.charToGlyph if 0xE000 <= c <= 0xF8FF), None)
    if private is None:
        pytest.skip("the shipped font has no private-use glyph to draw")
    canvas.drawString(72, 720, private)
    canvas.showPage()
    canvas.save()
    assert "PDF/A-2 6.2.11.7.3" in checks_failed(buffer.getvalue())
