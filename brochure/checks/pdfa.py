"""PDF/A-2a rules a machine can check, read from the PDF's bytes and objects.

In: PDF bytes and their `PdfReader`. Out: `Finding`s named by the clause of ISO 19005-2
they break, in the words of veraPDF's published validation profile for PDF/A-2A (the
reference validator's list of machine-checkable rules), for the rules that concern what a
PDF like brochure's can contain:

- file structure: header and its binary comment (6.1.2), trailer /ID, no /Encrypt,
  nothing after %%EOF (6.1.3), the ``xref`` keyword's line (6.1.4), stream /Length and
  the end-of-line markers around the data, no external stream data (6.1.7.1), no LZW or
  Crypt filter (6.1.7.2), ``n g obj`` spacing (6.1.9), strings and names within limits
  and q/Q nesting at most 28 deep (6.1.13), page boxes between 3 and 14,400 units;
- colour: an output intent with a valid ICC profile (6.2.3), device colour spaces only
  as that intent allows, alternates of Separation spaces included (6.2.4.3);
- graphics state, images and forms: no TR, HTP, TR2 other than Default, only standard
  blend modes, no Alternates/OPI, Interpolate false, valid bits per component, no
  PostScript or reference XObjects (6.2.5, 6.2.8, 6.2.9, 6.2.10);
- fonts: well-formed font dictionaries, every font embedded, symbolic TrueType without
  /Encoding and with one cmap subtable (or a 3,0 one), non-symbolic with a standard
  encoding, /Widths as wide as the embedded program's advances, a /ToUnicode map for
  every font and no U+0000, U+FEFF or U+FFFE for a character shown, private-use
  characters only under ActualText (6.2.11);
- annotations and actions: allowed types, print flag set, appearance streams, no
  JavaScript or other forbidden actions, no additional actions (6.3, 6.5);
- metadata: an XMP stream without ``bytes``/``encoding`` in its header, well-formed,
  ``pdfaid:part`` 2 and ``pdfaid:conformance`` A, every property in a predefined schema
  or one described by a complete extension schema (6.6);
- logical structure (level A): /MarkInfo Marked, a structure tree, every non-standard
  type mapped to a standard one without cycles, standard types not remapped, /Lang
  values that are language tags (6.7);
- no optional-content AS key, alternate presentations, PresSteps, Requirements or
  NeedsRendering (6.9-6.11).

Not checked: that every glyph a text shows is in the embedded program (6.2.11.4.1-2),
CFF and Type 1 programs (brochure embeds TrueType only), and whether a colour is what
the author meant.
"""

from __future__ import annotations

import io
import re
import struct
import xml.etree.ElementTree as ET
from collections.abc import Iterator

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    StreamObject,
)

from .findings import Finding
from .pdfscan import _data
from .pdftokens import operations
from .structtext import MarkedText, pdf_text_string

STANDARD_TYPES = frozenset(
    "Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private P H H1 "
    "H2 H3 H4 H5 H6 L LI Lbl LBody Table TR TH TD THead TBody TFoot Span Quote Note "
    "Reference BibEntry Code Link Annot Ruby RB RT RP Warichu WT WP Figure Formula Form"
    .split())
BLEND_MODES = frozenset(
    "Normal Compatible Multiply Screen Overlay Darken Lighten ColorDodge ColorBurn HardLight "
    "SoftLight Difference Exclusion Hue Saturation Color Luminosity".split())
ANNOTATIONS = frozenset(
    "Text Link FreeText Line Square Circle Polygon PolyLine Highlight Underline Squiggly "
    "StrikeOut Stamp Caret Ink Popup FileAttachment Widget PrinterMark TrapNet Watermark "
    "Redact".split())
ACTIONS = frozenset("GoTo GoToR GoToE Thread URI Named SubmitForm".split())
FORBIDDEN_ACTIONS = frozenset("Launch Sound Movie ResetForm ImportData Hide SetOCGState "
                              "Rendition Trans GoTo3DView JavaScript".split())
NAMED_ACTIONS = frozenset("NextPage PrevPage FirstPage LastPage".split())
FONT_SUBTYPES = frozenset("Type1 MMType1 TrueType Type3 Type0 CIDFontType0 CIDFontType2"
                          .split())
STANDARD_14 = frozenset(
    "Times-Roman Times-Bold Times-Italic Times-BoldItalic Helvetica Helvetica-Bold "
    "Helvetica-Oblique Helvetica-BoldOblique Courier Courier-Bold Courier-Oblique "
    "Courier-BoldOblique Symbol ZapfDingbats".split())
# Namespaces whose properties PDF/A-2 knows without an extension schema (XMP 2005 and
# ISO 19005 itself).
PREDEFINED_XMP = frozenset({
    "http://purl.org/dc/elements/1.1/", "http://ns.adobe.com/xap/1.0/",
    "http://ns.adobe.com/xap/1.0/rights/", "http://ns.adobe.com/xap/1.0/mm/",
    "http://ns.adobe.com/xap/1.0/bj/", "http://ns.adobe.com/xap/1.0/t/pg/",
    "http://ns.adobe.com/xmp/1.0/DynamicMedia/", "http://ns.adobe.com/pdf/1.3/",
    "http://ns.adobe.com/photoshop/1.0/", "http://ns.adobe.com/camera-raw-settings/1.0/",
    "http://ns.adobe.com/exif/1.0/", "http://ns.adobe.com/exif/1.0/aux/",
    "http://ns.adobe.com/tiff/1.0/", "http://ns.adobe.com/xap/1.0/sType/ResourceRef#",
    "http://ns.adobe.com/xap/1.0/sType/ResourceEvent#", "http://ns.adobe.com/xap/1.0/sType/Version#",
    "http://ns.adobe.com/xap/1.0/sType/Job#", "http://ns.adobe.com/xap/1.0/sType/Dimensions#",
    "http://ns.adobe.com/xap/1.0/sType/Font#", "http://ns.adobe.com/xap/1.0/g/",
    "http://ns.adobe.com/xap/1.0/g/img/", "http://ns.adobe.com/xmp/Identifier/qual/1.0/",
    "http://www.aiim.org/pdfa/ns/id/", "http://www.aiim.org/pdfa/ns/extension/",
    "http://www.aiim.org/pdfa/ns/schema#", "http://www.aiim.org/pdfa/ns/property#",
    "http://www.aiim.org/pdfa/ns/type#", "http://www.aiim.org/pdfa/ns/field#",
})
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
PDFA_ID = "http://www.aiim.org/pdfa/ns/id/"
PDFA_SCHEMA = "http://www.aiim.org/pdfa/ns/schema#"
PDFA_PROPERTY = "http://www.aiim.org/pdfa/ns/property#"
LANG = re.compile(r"[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*")
_OBJ_HEADER = re.compile(rb"(\d+)(\s+)(\d+)(\s+)obj")
_STREAM = re.compile(rb">>\s*stream(\r\n|\n|\r)")
_END = re.compile(rb"(\r\n|\r|\n)endstream")
_LENGTH = re.compile(rb"/Length\s+(\d+)(?:\s+(\d+)\s+R)?")
_PUA = re.compile("[\ue000-\uf8ff]")


def _rule(clause: str) -> str:
    return f"PDF/A-2 {clause}"


def check(pdf: bytes, reader: PdfReader, marked: MarkedText | None = None) -> list[Finding]:
    """Every PDF/A-2a failure this module can find (see the module doc)."""
    out: list[Finding] = []
    out += _file_structure(pdf, reader)
    catalog = reader.trailer["/Root"].get_object()
    intent = _output_intent(catalog, out)
    out += _objects(reader, intent)
    out += _pages(reader, intent)
    out += _metadata(catalog)
    out += _structure(catalog)
    for key, clause in (("/NeedsRendering", "6.4.2"), ("/Requirements", "6.11"),
                        ("/AA", "6.5.2")):
        if key in catalog and (key != "/NeedsRendering" or is_true(catalog[key])):
            out.append(Finding(_rule(clause), f"the catalog has {key}"))
    names = catalog.get("/Names")
    if names is not None and "/AlternatePresentations" in names.get_object():
        out.append(Finding(_rule("6.10"), "the name dictionary has AlternatePresentations"))
    oc = catalog.get("/OCProperties")
    if oc is not None:
        configs = [oc.get_object().get("/D")] + list(oc.get_object().get("/Configs", []))
        for config in configs:
            config = config.get_object() if config is not None else None
            if isinstance(config, DictionaryObject):
                if "/AS" in config:
                    out.append(Finding(_rule("6.9"), "an optional content configuration "
                                                     "has the AS key"))
                if not config.get("/Name"):
                    out.append(Finding(_rule("6.9"), "an optional content configuration "
                                                     "has no Name"))
    if marked is not None:
        for page, count in sorted(marked.bad_unicode.items()):
            out.append(Finding(_rule("6.2.11.7.2"), f"{count} character(s) shown read as 0, "
                               "U+FEFF or U+FFFE through their font's ToUnicode map", page))
        for page, count in sorted(marked.private_use.items()):
            out.append(Finding(_rule("6.2.11.7.3"), f"{count} character(s) that read as "
                               "private-use code points are not under an ActualText", page))
    return out


# -- file structure ------------------------------------------------------------------

def _file_structure(pdf: bytes, reader: PdfReader) -> list[Finding]:
    out = []
    header = re.match(rb"%PDF-1\.[0-7](\r\n|\r|\n)%(....)", pdf, re.DOTALL)
    if not header:
        out.append(Finding(_rule("6.1.2"), "the file does not begin with '%PDF-1.n' and one "
                                           "end-of-line marker"))
    elif any(b <= 127 for b in header.group(2)):
        out.append(Finding(_rule("6.1.2"), "the header's comment line does not start with "
                                           "four bytes above 127"))
    if not _last_trailer_has_id(pdf, reader):
        out.append(Finding(_rule("6.1.3"), "the last trailer has no /ID"))
    if "/Encrypt" in reader.trailer:
        out.append(Finding(_rule("6.1.3"), "the trailer has /Encrypt"))
    eof = pdf.rfind(b"%%EOF")
    if eof < 0 or pdf[eof + 5:] not in (b"", b"\n", b"\r", b"\r\n"):
        out.append(Finding(_rule("6.1.3"), "data follows the last %%EOF marker"))
    for offset in _xref_offsets(pdf):
        if not re.match(rb"xref(\r\n|\r|\n)\d+ \d+", pdf[offset:offset + 40]):
            out.append(Finding(_rule("6.1.4"), f"the xref keyword at byte {offset} is not "
                                               "followed by one end-of-line marker and a "
                                               "subsection header"))
    for number, offset in _object_offsets(reader):
        head = _OBJ_HEADER.match(pdf, offset)
        if head is None:
            continue  # pypdf found it elsewhere: no object header to judge
        if head.group(2) != b" " or head.group(4) != b" ":
            out.append(Finding(_rule("6.1.9"), f"object {number}'s header is not "
                                               "'n g obj' with single spaces"))
        try:
            obj = reader.get_object(IndirectObject(number, int(head.group(3)), reader))
        except Exception:  # noqa: BLE001 - an object pypdf cannot read is qpdf's to report
            continue
        if isinstance(obj, StreamObject):
            out += _stream_syntax(pdf, head.end(), number, obj, reader)
    return out


def _last_trailer_has_id(pdf: bytes, reader: PdfReader) -> bool:
    """Does the file's last trailer (not one before an incremental update, which pypdf
    would lend it) carry /ID?"""
    start = pdf.rfind(b"trailer")
    end = pdf.rfind(b"startxref")
    if start < 0 or end < start:
        return bool(reader.trailer.get("/ID"))  # a cross-reference stream
    return re.search(rb"/ID\s*\[", pdf[start:end]) is not None


def is_true(value: object) -> bool:
    """A PDF boolean's value (pypdf's BooleanObject(False) is truthy)."""
    return getattr(value, "value", value) is True


def _xref_offsets(pdf: bytes) -> Iterator[int]:
    """The offsets of the cross-reference sections, from the last startxref back."""
    seen: set[int] = set()
    match = list(re.finditer(rb"startxref\s+(\d+)", pdf))
    offset = int(match[-1].group(1)) if match else None
    while offset is not None and offset not in seen and offset < len(pdf):
        seen.add(offset)
        if pdf[offset:offset + 4] != b"xref":
            return  # a cross-reference stream: nothing of 6.1.4 to check
        yield offset
        trailer = pdf.find(b"trailer", offset)
        prev = re.search(rb"/Prev\s+(\d+)", pdf[trailer:pdf.find(b"startxref", trailer)])
        offset = int(prev.group(1)) if trailer >= 0 and prev else None


def _object_offsets(reader: PdfReader) -> list[tuple[int, int]]:
    out = []
    for generation in reader.xref.values():
        out += list(generation.items())
    return sorted(out)


def _stream_syntax(pdf: bytes, start: int, number: int, stream: StreamObject,
                   reader: PdfReader) -> list[Finding]:
    out = []
    match = _STREAM.search(pdf, start)
    if match is None:
        return out
    if match.group(1) == b"\r":
        out.append(Finding(_rule("6.1.7.1"), f"object {number}: 'stream' is followed by a "
                                             "lone carriage return"))
    # (pypdf keeps no /Length once it has read the data: read it from the bytes)
    found = _LENGTH.search(pdf[start:match.start()])
    if found is None:
        return out + [Finding(_rule("6.1.7.1"), f"object {number}: the stream has no "
                                                "/Length")]
    length: object = int(found.group(1))
    if found.group(2):
        length = reader.get_object(IndirectObject(int(found.group(1)), int(found.group(2)),
                                                  reader))
    data_end = match.end() + int(length or 0)
    if not _END.match(pdf, data_end):
        found = pdf.find(b"endstream", match.end())
        eol = pdf[found - 2:found] if pdf[found - 2:found] == b"\r\n" else pdf[found - 1:found]
        if eol not in (b"\r\n", b"\n", b"\r"):
            eol = b""
            out.append(Finding(_rule("6.1.7.1"), f"object {number}: no end-of-line marker "
                                                 "before 'endstream'"))
        real = found - len(eol) - match.end()
        if found > 0 and real != int(length or 0):
            out.append(Finding(_rule("6.1.7.1"), f"object {number}: /Length {length} does "
                                                 f"not match the {real} bytes of data"))
    for key in ("/F", "/FFilter", "/FDecodeParms"):
        if key in stream:
            out.append(Finding(_rule("6.1.7.1"), f"object {number}: the stream has {key}"))
    filters = stream.get("/Filter")
    filters = filters if isinstance(filters, ArrayObject | list) else [filters]
    for name in filters:
        if name in ("/LZWDecode", "/Crypt"):
            out.append(Finding(_rule("6.1.7.2"), f"object {number}: filter {name}"))
    return out


# -- objects: colour spaces, graphics states, images, fonts, annotations, actions -------

def _output_intent(catalog: DictionaryObject, out: list[Finding]) -> str | None:
    """The colour space of the PDF/A output intent ('RGB ', 'CMYK', 'GRAY'), or None."""
    intents = catalog.get("/OutputIntents")
    intents = intents.get_object() if intents is not None else []
    space, profiles = None, set()
    for intent in intents:
        intent = intent.get_object()
        ref = intent.raw_get("/DestOutputProfile") if "/DestOutputProfile" in intent else None
        if ref is not None:
            profiles.add(getattr(ref, "idnum", id(ref)))
        if intent.get("/S") != "/GTS_PDFA1":
            continue
        profile = intent.get("/DestOutputProfile")
        if profile is None:
            out.append(Finding(_rule("6.2.3"), "the PDF/A output intent has no "
                                               "DestOutputProfile"))
            continue
        data = profile.get_object().get_data()
        kind, colour = data[12:16], data[16:20]
        if kind not in (b"prtr", b"mntr") or colour not in (b"RGB ", b"CMYK", b"GRAY") or (
                len(data) < 128 or data[8] >= 5):
            out.append(Finding(_rule("6.2.3"), "the output intent's profile is not an ICC "
                                               "output or monitor profile (RGB, CMYK or gray; "
                                               "version below 5)"))
            continue
        components = {b"RGB ": 3, b"CMYK": 4, b"GRAY": 1}[colour]
        if profile.get_object().get("/N") != components:
            out.append(Finding(_rule("6.2.3"), "the output intent profile's /N does not "
                                               "match its colour space"))
        space = colour.decode("latin-1")
    if len(profiles) > 1:
        out.append(Finding(_rule("6.2.3"), "output intents name different profiles"))
    if space is None and not any(f.check == _rule("6.2.3") for f in out):
        out.append(Finding(_rule("6.2.3"), "the document has no PDF/A output intent "
                                           "(/OutputIntents with /S /GTS_PDFA1)"))
    return space


def _device_space_findings(space: str, intent: str | None, where: str) -> list[Finding]:
    allowed = {"/DeviceRGB": intent == "RGB ", "/DeviceCMYK": intent == "CMYK",
               "/DeviceGray": intent is not None}
    if space in allowed and not allowed[space]:
        return [Finding(_rule("6.2.4.3"), f"{space[1:]} is used ({where}) but the output "
                        f"intent is {intent.strip() if intent else 'missing'}")]
    return []


def _colour_space(value: object, intent: str | None, where: str) -> list[Finding]:
    value = value.get_object() if hasattr(value, "get_object") else value
    if isinstance(value, NameObject | str):
        return _device_space_findings(str(value), intent, where)
    if isinstance(value, ArrayObject | list) and value:
        family = str(value[0])
        if family in ("/Separation", "/DeviceN") and len(value) > 2:
            return _colour_space(value[2], intent, f"{where}, as an alternate")
        if family in ("/Indexed", "/I") and len(value) > 1:
            return _colour_space(value[1], intent, f"{where}, as a base")
        if family == "/Pattern" and len(value) > 1:
            return _colour_space(value[1], intent, where)
    return []


def _objects(reader: PdfReader, intent: str | None) -> list[Finding]:
    out: list[Finding] = []
    for number, _ in _object_offsets(reader):
        try:
            obj = reader.get_object(number)
        except Exception:  # noqa: BLE001 - unreadable: qpdf's to report
            continue
        if not isinstance(obj, DictionaryObject):
            continue
        kind, subtype = obj.get("/Type"), obj.get("/Subtype")
        out += _limits(obj, number)
        if kind == "/ExtGState":
            out += _ext_g_state(obj, number)
        elif subtype == "/Image":
            out += _image(obj, number, intent)
        elif subtype == "/Form" or subtype == "/PS":
            if subtype == "/PS" or "/PS" in obj or obj.get("/Subtype2") == "/PS":
                out.append(Finding(_rule("6.2.9"), f"object {number} is a PostScript XObject"))
            if "/Ref" in obj or "/OPI" in obj:
                out.append(Finding(_rule("6.2.9"), f"form {number} has /Ref or /OPI"))
        elif kind == "/Font" and subtype != "/CIDFontType0" and subtype != "/CIDFontType2":
            out += _font(obj, number)
        elif kind == "/Annot" or (subtype is not None and "/Rect" in obj):
            out += _annotation(obj, number)
        for action in (obj, obj.get("/A"), obj.get("/OpenAction")):
            action = action.get_object() if action is not None else None
            if isinstance(action, DictionaryObject):
                out += _action(action, number)
        if kind == "/Page" and "/AA" in obj:
            out.append(Finding(_rule("6.5.2"), f"page object {number} has /AA"))
        if kind == "/Page" and "/PresSteps" in obj:
            out.append(Finding(_rule("6.10"), f"page object {number} has /PresSteps"))
    return out


def _action(action: DictionaryObject, number: int) -> list[Finding]:
    kind = str(action.get("/S", ""))[1:]
    if action.get("/Type") not in (None, "/Action") or kind not in ACTIONS | FORBIDDEN_ACTIONS:
        return []  # not an action (a transition, a group, an output intent)
    if kind in FORBIDDEN_ACTIONS:
        return [Finding(_rule("6.5.1"), f"object {number}: a {kind} action")]
    if kind == "Named" and str(action.get("/N", ""))[1:] not in NAMED_ACTIONS:
        return [Finding(_rule("6.5.1"), f"object {number}: named action {action.get('/N')}")]
    return []


def _limits(obj: DictionaryObject, number: int) -> list[Finding]:
    out = []
    for key, value in obj.items():
        if len(key.encode("utf-8")) > 128:
            out.append(Finding(_rule("6.1.13"), f"object {number}: a name longer than 127 "
                                                "bytes"))
        if isinstance(value, bytes | str) and not isinstance(value, NameObject) and len(
                value) > 32767:
            out.append(Finding(_rule("6.1.13"), f"object {number}: a string longer than "
                                                "32,767 bytes"))
    return out


def _ext_g_state(obj: DictionaryObject, number: int) -> list[Finding]:
    out = []
    if "/TR" in obj:
        out.append(Finding(_rule("6.2.5"), f"graphics state {number} has TR"))
    if "/TR2" in obj and obj["/TR2"] != "/Default":
        out.append(Finding(_rule("6.2.5"), f"graphics state {number} has TR2 other than "
                                           "Default"))
    if "/HTP" in obj:
        out.append(Finding(_rule("6.2.5"), f"graphics state {number} has HTP"))
    modes = obj.get("/BM")
    for mode in (modes if isinstance(modes, ArrayObject) else [modes] if modes else []):
        if str(mode)[1:] not in BLEND_MODES:
            out.append(Finding(_rule("6.2.10"), f"graphics state {number}: blend mode {mode}"))
    return out


def _image(obj: DictionaryObject, number: int, intent: str | None) -> list[Finding]:
    out = []
    for key in ("/Alternates", "/OPI"):
        if key in obj:
            out.append(Finding(_rule("6.2.8"), f"image {number} has {key}"))
    if is_true(obj.get("/Interpolate")):
        out.append(Finding(_rule("6.2.8"), f"image {number} has Interpolate true"))
    bits = obj.get("/BitsPerComponent")
    if bits is not None and not obj.get("/ImageMask") and int(bits) not in (1, 2, 4, 8, 16):
        out.append(Finding(_rule("6.2.8"), f"image {number}: {bits} bits per component"))
    if "/ColorSpace" in obj:
        out += _colour_space(obj["/ColorSpace"], intent, f"image {number}")
    return out


def _font(obj: DictionaryObject, number: int) -> list[Finding]:
    out = []
    subtype = str(obj.get("/Subtype", ""))[1:]
    name = str(obj.get("/BaseFont", ""))[1:]
    if subtype not in FONT_SUBTYPES:
        out.append(Finding(_rule("6.2.11.2"), f"font {number} has subtype {subtype!r}"))
        return out
    if subtype != "Type3" and not name:
        out.append(Finding(_rule("6.2.11.2"), f"font {number} has no BaseFont"))
    if subtype in ("Type1", "MMType1", "TrueType") and name not in STANDARD_14:
        first, last, widths = obj.get("/FirstChar"), obj.get("/LastChar"), obj.get("/Widths")
        widths = widths.get_object() if widths is not None else None
        if first is None or last is None or widths is None or len(widths) != int(last) - int(
                first) + 1:
            out.append(Finding(_rule("6.2.11.2"), f"font {name or number}: FirstChar, "
                                                  "LastChar and Widths do not agree"))
    descriptor = obj.get("/FontDescriptor")
    if subtype == "Type0":
        descendants = obj.get("/DescendantFonts")
        descendant = descendants.get_object()[0].get_object() if descendants else None
        descriptor = descendant.get("/FontDescriptor") if descendant else None
    if subtype != "Type3":
        descriptor = descriptor.get_object() if descriptor is not None else None
        embedded = descriptor is not None and any(
            key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
        if not embedded:
            out.append(Finding(_rule("6.2.11.4.1"), f"font {name or number} is not embedded"))
        if subtype == "TrueType" and descriptor is not None and "/FontFile2" in descriptor:
            out += _truetype_program(obj, descriptor, name or str(number))
        if subtype == "TrueType" and descriptor is not None:
            symbolic = int(descriptor.get("/Flags", 0)) & 4
            encoding = obj.get("/Encoding")
            encoding = encoding.get_object() if encoding is not None else None
            if symbolic and encoding is not None:
                out.append(Finding(_rule("6.2.11.6"), f"symbolic TrueType font {name} has an "
                                                      "Encoding"))
            base = (encoding.get("/BaseEncoding") if isinstance(encoding, DictionaryObject)
                    else encoding)
            if not symbolic and base not in ("/WinAnsiEncoding", "/MacRomanEncoding"):
                out.append(Finding(_rule("6.2.11.6"), f"non-symbolic TrueType font {name} "
                                                      "has no WinAnsi or MacRoman encoding"))
    to_unicode = obj.get("/ToUnicode")
    if to_unicode is None:
        out.append(Finding(_rule("6.2.11.7.2"), f"font {name or number} has no ToUnicode map"))
    return out


def _truetype_program(font: DictionaryObject, descriptor: DictionaryObject, name: str
                      ) -> list[Finding]:
    """The embedded TrueType program against its dictionary: the cmap subtables a
    symbolic (one, or a 3,0 one) or non-symbolic font needs (6.2.11.6), and each code's
    width in /Widths against the program's advance, within one unit (6.2.11.5)."""
    from fontTools.ttLib import TTFont, TTLibError

    try:
        program = TTFont(io.BytesIO(descriptor["/FontFile2"].get_object().get_data()),
                         lazy=True)
        tables = program["cmap"].tables
    except (TTLibError, KeyError, AssertionError, ValueError, struct.error) as exc:
        return [Finding(_rule("6.2.11.6"), f"font {name}: the embedded program cannot be "
                                           f"read ({exc})")]
    out = []
    pairs = [(t.platformID, t.platEncID) for t in tables]
    symbolic = int(descriptor.get("/Flags", 0)) & 4
    if symbolic and len(pairs) != 1 and (3, 0) not in pairs:
        out.append(Finding(_rule("6.2.11.6"), f"symbolic TrueType font {name}: its cmap has "
                                              f"{len(pairs)} subtables and none is (3,0)"))
    if not symbolic and not [p for p in pairs if p != (3, 0)]:
        out.append(Finding(_rule("6.2.11.6"), f"non-symbolic TrueType font {name}: no "
                                              "non-symbolic cmap subtable"))
    widths = font.get("/Widths")
    first = font.get("/FirstChar")
    if widths is None or first is None or not tables:
        return out
    widths = [float(w) for w in widths.get_object()]
    cmap = tables[0].cmap
    units = program["head"].unitsPerEm
    metrics = program["hmtx"].metrics
    for code, glyph in sorted(cmap.items()):
        index = code - int(first)
        if 0 <= index < len(widths) and glyph in metrics:
            advance = metrics[glyph][0] * 1000 / units
            if abs(advance - widths[index]) > 1:
                out.append(Finding(_rule("6.2.11.5"), f"font {name}: code {code} is "
                                   f"{widths[index]:g} wide in /Widths but {advance:.0f} in "
                                   "the font program"))
                break
    return out


def _annotation(obj: DictionaryObject, number: int) -> list[Finding]:
    out = []
    subtype = str(obj.get("/Subtype", ""))[1:]
    if subtype not in ANNOTATIONS:
        out.append(Finding(_rule("6.3.1"), f"annotation {number} of type {subtype!r}"))
    flags = obj.get("/F")
    if subtype != "Popup":
        if flags is None:
            out.append(Finding(_rule("6.3.2"), f"annotation {number} has no F key"))
        elif int(flags) & 4 == 0 or int(flags) & (1 | 2 | 32 | 256):
            out.append(Finding(_rule("6.3.2"), f"annotation {number}'s flags are not "
                                               "Print only (F {flags})"))
    appearance = obj.get("/AP")
    rect = obj.get("/Rect")
    has_area = rect is not None and any(float(v) for v in (
        float(rect[2]) - float(rect[0]), float(rect[3]) - float(rect[1])))
    if appearance is None and subtype not in ("Popup", "Link") and has_area:
        out.append(Finding(_rule("6.3.3"), f"annotation {number} has no appearance stream"))
    elif appearance is not None and set(appearance.get_object()) != {"/N"}:
        out.append(Finding(_rule("6.3.3"), f"annotation {number}'s appearance has more than "
                                           "N"))
    if "/A" in obj or "/AA" in obj:
        if subtype == "Widget":
            out.append(Finding(_rule("6.4.1"), f"widget annotation {number} has A or AA"))
        elif "/AA" in obj:
            out.append(Finding(_rule("6.5.2"), f"annotation {number} has /AA"))
    return out


def _pages(reader: PdfReader, intent: str | None) -> list[Finding]:
    out: list[Finding] = []
    known: dict = {}
    for number, page in enumerate(reader.pages, 1):
        for box in ("/MediaBox", "/CropBox", "/BleedBox", "/TrimBox", "/ArtBox"):
            if box in page:
                x0, y0, x1, y1 = (float(v) for v in page[box])
                if not (3 <= abs(x1 - x0) <= 14400 and 3 <= abs(y1 - y0) <= 14400):
                    out.append(Finding(_rule("6.1.13"), f"{box[1:]} is smaller than 3 or "
                                                        "larger than 14,400 units", number))
        resources = page.get("/Resources")
        resources = resources.get_object() if resources is not None else {}
        spaces = resources.get("/ColorSpace")
        spaces = spaces.get_object() if spaces is not None else {}
        for name, value in spaces.items():
            for finding in _colour_space(value, intent, f"colour space {name}"):
                out.append(Finding(finding.check, finding.message, number))
        data = _data(page.get("/Contents"))
        if not data:
            continue
        depth, deepest, used = 0, 0, set()
        for operands, op in operations(data, known):
            if op == b"q":
                depth += 1
                deepest = max(deepest, depth)
            elif op == b"Q":
                depth -= 1
            elif op in (b"rg", b"RG"):
                used.add("/DeviceRGB")
            elif op in (b"k", b"K"):
                used.add("/DeviceCMYK")
            elif op in (b"g", b"G"):
                used.add("/DeviceGray")
            elif op in (b"cs", b"CS") and operands:
                used.add(str(operands[0]))
            elif op == b"BDC" and len(operands) > 1 and isinstance(operands[1], dict):
                lang = operands[1].get("/Lang")
                if isinstance(lang, bytes):
                    lang = pdf_text_string(lang)
                    if lang and not LANG.fullmatch(lang):
                        out.append(Finding(_rule("6.7.4"), f"a marked-content /Lang {lang!r} "
                                                           "is not a language tag", number))
            elif op == b"INLINE IMAGE" and operands:
                settings = operands[0].get("settings", {})
                space = settings.get("/CS", settings.get("/ColorSpace"))
                if space is not None:
                    used.add({"/RGB": "/DeviceRGB", "/G": "/DeviceGray",
                              "/CMYK": "/DeviceCMYK"}.get(str(space), str(space)))
                if settings.get("/I", settings.get("/Interpolate")):
                    out.append(Finding(_rule("6.2.8"), "an inline image has Interpolate "
                                                       "true", number))
        if deepest > 28:
            out.append(Finding(_rule("6.1.13"), f"q/Q nested {deepest} deep (at most 28)",
                               number))
        for space in sorted(used):
            for finding in _device_space_findings(space, intent, "in the page's content"):
                out.append(Finding(finding.check, finding.message, number))
    return out


# -- metadata ------------------------------------------------------------------------

def _metadata(catalog: DictionaryObject) -> list[Finding]:
    stream = catalog.get("/Metadata")
    if stream is None:
        return [Finding(_rule("6.6.2.1"), "the catalog has no /Metadata (XMP)")]
    stream = stream.get_object()
    data = stream.get_data()
    out = []
    header = re.search(rb"<\?xpacket\s+begin=[^>]*\?>", data)
    if header and (b" bytes=" in header.group(0) or b" encoding=" in header.group(0)):
        out.append(Finding(_rule("6.6.2.1"), "the XMP packet header has a bytes or encoding "
                                             "attribute"))
    try:
        text = data.decode("utf-8")
        root = ET.fromstring(re.sub(r"<\?xpacket[^>]*\?>", "", text).strip())
    except (UnicodeDecodeError, ET.ParseError) as exc:
        return out + [Finding(_rule("6.6.2.1"), f"the XMP is not well-formed UTF-8 XML "
                                                f"({exc})")]
    values: dict[str, list[str]] = {}
    described = set()
    for elem in root.iter():
        if elem.tag.startswith("{"):
            namespace, _, local = elem.tag[1:].partition("}")
            values.setdefault(f"{namespace}{local}", []).append((elem.text or "").strip())
        if elem.tag == f"{{{PDFA_SCHEMA}}}namespaceURI":
            described.add((elem.text or "").strip())
    out += _extension_schemas(root)
    for desc in root.iter(f"{{{RDF}}}Description"):
        properties = [child.tag for child in desc] + [
            key for key in desc.attrib if key.startswith("{") and not key.startswith(
                f"{{{RDF}}}")]
        for tag in properties:
            namespace = tag[1:].partition("}")[0]
            if namespace not in PREDEFINED_XMP and namespace not in described:
                out.append(Finding(_rule("6.6.2.3.1"), f"XMP property {tag} is in a schema "
                                                       "neither predefined nor described by "
                                                       "an extension schema"))
    part = values.get(f"{PDFA_ID}part", [])
    conformance = values.get(f"{PDFA_ID}conformance", [])
    if not part:
        out.append(Finding(_rule("6.6.4"), "the XMP has no PDF/A identification "
                                           "(pdfaid:part)"))
    elif part != ["2"]:
        out.append(Finding(_rule("6.6.4"), f"pdfaid:part is {part[0]}, not 2"))
    if part and conformance != ["A"]:
        out.append(Finding(_rule("6.6.4"), f"pdfaid:conformance is "
                                           f"{conformance[0] if conformance else 'missing'}, "
                                           "not A"))
    return out


def _extension_schemas(root: ET.Element) -> list[Finding]:
    out = []
    for schema in root.iter():
        if schema.find(f"{{{PDFA_SCHEMA}}}namespaceURI") is None:
            continue
        for field in ("schema", "namespaceURI", "prefix"):
            if not (schema.findtext(f"{{{PDFA_SCHEMA}}}{field}") or "").strip():
                out.append(Finding(_rule("6.6.2.3.3"), f"an extension schema has no {field}"))
        for prop in schema.iter():
            if prop.find(f"{{{PDFA_PROPERTY}}}name") is None:
                continue
            for field in ("name", "valueType", "category", "description"):
                if not (prop.findtext(f"{{{PDFA_PROPERTY}}}{field}") or "").strip():
                    out.append(Finding(_rule("6.6.2.3.3"), f"an extension schema property "
                                                           f"has no {field}"))
            category = (prop.findtext(f"{{{PDFA_PROPERTY}}}category") or "").strip()
            if category and category not in ("internal", "external"):
                out.append(Finding(_rule("6.6.2.3.3"), f"an extension schema property's "
                                                       f"category is {category!r}"))
    return out


# -- logical structure ----------------------------------------------------------------

def _structure(catalog: DictionaryObject) -> list[Finding]:
    out = []
    mark = catalog.get("/MarkInfo")
    if not (mark is not None and is_true(mark.get_object().get("/Marked"))):
        out.append(Finding(_rule("6.7.2.2"), "the catalog's MarkInfo is not Marked true"))
    lang = catalog.get("/Lang")
    if lang is not None and str(lang) and not LANG.fullmatch(str(lang)):
        out.append(Finding(_rule("6.7.4"), f"the document's /Lang {str(lang)!r} is not a "
                                           "language tag"))
    root = catalog.get("/StructTreeRoot")
    if root is None:
        return out + [Finding(_rule("6.7.3.3"), "the document has no structure tree")]
    root = root.get_object()
    role_map = root.get("/RoleMap")
    role_map = {str(k)[1:]: str(v)[1:] for k, v in (role_map.get_object().items()
                                                     if role_map is not None else [])}
    for role, target in role_map.items():
        if role in STANDARD_TYPES:
            out.append(Finding(_rule("6.7.3.4"), f"the standard type {role} is remapped to "
                                                 f"{target}"))
    used: set[str] = set()
    seen: set[int] = set()
    stack = [root]
    while stack:
        elem = stack.pop()
        kids = elem.get("/K")
        kids = kids.get_object() if kids is not None else []
        for kid in (kids if isinstance(kids, ArrayObject | list) else [kids]):
            ref = kid
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if not isinstance(kid, DictionaryObject) or "/S" not in kid:
                continue
            number = getattr(ref, "idnum", None)
            if number is not None:
                if number in seen:
                    continue
                seen.add(number)
            used.add(str(kid["/S"])[1:])
            lang = kid.get("/Lang")
            if lang is not None and str(lang) and not LANG.fullmatch(str(lang)):
                out.append(Finding(_rule("6.7.4"), f"a {kid['/S']} element's /Lang "
                                                   f"{str(lang)!r} is not a language tag"))
            stack.append(kid)
    for role in sorted(used - STANDARD_TYPES):
        chain, current = [role], role
        while current in role_map and current not in STANDARD_TYPES:
            current = role_map[current]
            if current in chain:
                out.append(Finding(_rule("6.7.3.4"), f"the role map is circular for {role}"))
                break
            chain.append(current)
        else:
            if current not in STANDARD_TYPES:
                out.append(Finding(_rule("6.7.3.4"), f"the structure type {role} is not "
                                                     "mapped to a standard type"))
    return out
