"""PDF bytes → finished PDF bytes, with pypdf.

In: the rendered PDF and its `Edition`. Out: the same document with the finishing steps
applied in order. Each finisher is a small function ``(edition, writer) -> None``; the
renderer knows nothing of them, and later work (imposition, tagging) adds its own. The
*writer* is a `pdfupdate.IncrementalUpdate`: what the finishers change and add is
appended to the rendered bytes, not written out again with everything else.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

from ..typeset.markup import escape
from ..typeset.render import Edition
from ..typeset.tagging import ROLE_MAP, MarkedContent
from .pdfa import output_intent, registration_colour
from .pdfobjects import (
    BooleanObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    RectangleObject,
    StreamObject,
    TextStringObject,
    create_string_object,
)
from .pdfupdate import IncrementalUpdate

Finisher = Callable[[Edition, IncrementalUpdate], None]


def _pdf_date(day: dt.date) -> str:
    return f"D:{day:%Y%m%d}000000Z"


def document_info(edition: Edition, writer: IncrementalUpdate) -> None:
    """Title, subject, keywords and dates from the content (dates from the review date,
    so output stays reproducible)."""
    content, mode = edition.content, edition.layout.wording
    stamp = _pdf_date(content.review.checked)
    info = {
        "/Title": content.title.get(mode),
        "/Subject": content.subtitle.get(mode) if content.subtitle else "",
        "/Keywords": ", ".join(content.keywords),
        "/Creator": "brochure",
        "/Producer": "brochure (ReportLab, pypdf)",
        "/CreationDate": stamp,
        "/ModDate": stamp,
    }
    if edition.clinic:
        info["/Author"] = edition.clinic.name
    writer.add_metadata({k: v for k, v in info.items() if v})


def language(edition: Edition, writer: IncrementalUpdate) -> None:
    """The document language, for screen readers and text extraction."""
    writer._root_object[NameObject("/Lang")] = TextStringObject(edition.content.language)


def viewer_preferences(edition: Edition, writer: IncrementalUpdate) -> None:
    """Show the title (not the file name) in the window; open with the outline visible."""
    prefs = DictionaryObject({NameObject("/DisplayDocTitle"): BooleanObject(True)})
    if edition.content.direction == "rtl":
        prefs[NameObject("/Direction")] = NameObject("/R2L")
    writer._root_object[NameObject("/ViewerPreferences")] = prefs
    writer._root_object[NameObject("/PageMode")] = NameObject("/UseOutlines")


def outline_count(edition: Edition, writer: IncrementalUpdate) -> None:
    """The outline's /Count: the number of its entries, all open (ReportLab writes a
    different number, e.g. 19 for 17 entries)."""
    outlines = writer._root_object.get("/Outlines")
    if outlines is not None and edition.outline_entries:
        outlines.get_object()[NameObject("/Count")] = NumberObject(edition.outline_entries)


FINISHERS: list[Finisher] = [document_info, language, viewer_preferences, outline_count]


def finish(pdf: bytes, edition: Edition, finishers: list[Finisher] | None = None) -> bytes:
    """Apply *finishers* (default: `FINISHERS`) to *pdf* and return the new bytes."""
    writer = IncrementalUpdate(pdf)
    for step in finishers if finishers is not None else FINISHERS:
        step(edition, writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def structure_tree(edition: Edition, writer: IncrementalUpdate) -> None:
    """Write the structure tree (`tagging.StructTree`) that rendering recorded: one
    StructElem per element with its marked-content references, the ParentTree that maps
    each page's MCIDs back to their elements, /StructParents and /Tabs /S on every page,
    and /MarkInfo on the catalog. The elements (hundreds of small dictionaries) are
    written straight in PDF syntax; names and text strings go through `_name`/`_text`."""
    tree = edition.structure
    if tree is None:
        return
    pages = writer.pages
    page_refs = [f"{p.indirect_reference.idnum} {p.indirect_reference.generation} R"
                 for p in pages]
    elems = tree.walk()
    refs = {id(e): writer.reserve() for e in elems}
    root_ref = writer.reserve()
    by_page: list[dict[int, str]] = [{} for _ in pages]
    for elem in elems:
        own = f"{refs[id(elem)]} 0 R"
        parent = f"{refs[id(elem.parent)] if elem.parent else root_ref} 0 R"
        kids, first_page = [], None
        for kid in elem.kids:
            if isinstance(kid, MarkedContent):
                page = page_refs[kid.page - 1]
                kids.append(f"<</Type/MCR/Pg {page}/MCID {kid.mcid}>>")
                by_page[kid.page - 1][kid.mcid] = own
                first_page = first_page or page
            else:
                kids.append(f"{refs[id(kid)]} 0 R")
        entries = [f"/Type/StructElem/S{_name(elem.role)}/P {parent}"]
        if first_page:
            entries.append(f"/Pg {first_page}")
        entries.append(f"/K[{' '.join(kids)}]")
        if elem.alt:
            entries.append("/Alt" + _text(elem.alt))
        if elem.actual_text:
            entries.append("/ActualText" + _text(elem.actual_text))
        if elem.scope:
            entries.append(f"/A<</O/Table/Scope{_name(elem.scope)}>>")
        if elem.lang:  # an element in another language than the document's
            entries.append("/Lang" + _text(elem.lang))
        # latin-1: _text's bytes pass through as they are
        writer.set_body(refs[id(elem)], f"<<{''.join(entries)}>>".encode("latin-1"))
    nums = []
    for index, page in enumerate(pages):
        mcids = by_page[index]
        nums.append(f"{index}[{' '.join(mcids.get(i, 'null') for i in range(len(mcids)))}]")
        page[NameObject("/StructParents")] = NumberObject(index)
        page[NameObject("/Tabs")] = NameObject("/S")
    role_map = "".join(_name(k) + _name(v) for k, v in ROLE_MAP.items())
    writer.set_body(root_ref, (
        f"<</Type/StructTreeRoot/K[{refs[id(tree.root)]} 0 R]"
        f"/ParentTree<</Nums[{' '.join(nums)}]>>/ParentTreeNextKey {len(pages)}"
        f"/RoleMap<<{role_map}>>>>").encode("latin-1"))
    writer._root_object[NameObject("/StructTreeRoot")] = IndirectObject(root_ref, 0, writer)
    writer._root_object[NameObject("/MarkInfo")] = DictionaryObject(
        {NameObject("/Marked"): BooleanObject(True)})


def _name(name: str) -> str:
    """A PDF name; roles and scopes are plain letters and digits, anything else is
    escaped by pypdf."""
    if name.isascii() and name.isalnum():
        return "/" + name
    out = io.BytesIO()
    NameObject("/" + name).write_to_stream(out)
    return out.getvalue().decode("latin-1")


def _text(text: str) -> str:
    """A PDF text string (PDFDocEncoding or UTF-16 with a byte order mark), as pypdf
    writes it."""
    out = io.BytesIO()
    create_string_object(text).write_to_stream(out)
    return out.getvalue().decode("latin-1")


# PDF/A-2 knows the XMP schemas of XMP 2005 and its own; the PDF/UA identification must
# be described by an extension schema (ISO 19005-2 §6.6.2.3).
PDFUA_EXTENSION = """  <rdf:Description rdf:about=""
    xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
    xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
    xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
   <pdfaExtension:schemas>
    <rdf:Bag>
     <rdf:li rdf:parseType="Resource">
      <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
      <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
      <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
      <pdfaSchema:property>
       <rdf:Seq>
        <rdf:li rdf:parseType="Resource">
         <pdfaProperty:name>part</pdfaProperty:name>
         <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
         <pdfaProperty:category>internal</pdfaProperty:category>
         <pdfaProperty:description>Part of ISO 14289 the file conforms to</pdfaProperty:description>
        </rdf:li>
       </rdf:Seq>
      </pdfaSchema:property>
     </rdf:li>
    </rdf:Bag>
   </pdfaExtension:schemas>
  </rdf:Description>
"""


def xmp_metadata(edition: Edition, writer: IncrementalUpdate) -> None:
    """XMP metadata: the document information's title, subject, keywords, author and
    dates (from the review date), the language, and the identifications archives and
    accessibility checkers look for: PDF/A-2a (``pdfaid``) and PDF/UA-1 (``pdfuaid``,
    with its extension schema)."""
    content, mode = edition.content, edition.layout.wording
    title = escape(content.title.get(mode))
    stamp = f"{content.review.checked.isoformat()}T00:00:00Z"  # as /CreationDate
    optional = []
    if content.subtitle:
        optional.append('   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">'
                        f"{escape(content.subtitle.get(mode))}</rdf:li></rdf:Alt>"
                        "</dc:description>")
    if edition.clinic:
        optional.append(f"   <dc:creator><rdf:Seq><rdf:li>{escape(edition.clinic.name)}"
                        "</rdf:li></rdf:Seq></dc:creator>")
    if content.keywords:
        optional.append(f"   <pdf:Keywords>{escape(', '.join(content.keywords))}"
                        "</pdf:Keywords>")
    extra = "".join(line + "\n" for line in optional)
    xmp = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
   <dc:language><rdf:Bag><rdf:li>{escape(content.language)}</rdf:li></rdf:Bag></dc:language>
{extra}   <xmp:CreateDate>{stamp}</xmp:CreateDate>
   <xmp:ModifyDate>{stamp}</xmp:ModifyDate>
   <xmp:MetadataDate>{stamp}</xmp:MetadataDate>
   <xmp:CreatorTool>brochure</xmp:CreatorTool>
   <pdf:Producer>brochure (ReportLab, pypdf)</pdf:Producer>
   <pdfaid:part>2</pdfaid:part>
   <pdfaid:conformance>A</pdfaid:conformance>
   <pdfuaid:part>1</pdfuaid:part>
  </rdf:Description>
{PDFUA_EXTENSION} </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    stream = StreamObject()
    stream.set_data(xmp.encode("utf-8"))
    stream.update({NameObject("/Type"): NameObject("/Metadata"),
                   NameObject("/Subtype"): NameObject("/XML")})
    writer._root_object[NameObject("/Metadata")] = writer._add_object(stream)


FINISHERS.extend([structure_tree, xmp_metadata])

FINISHERS.extend([output_intent, registration_colour])


def page_boxes(edition: Edition, writer: IncrementalUpdate) -> None:
    """TrimBox (the finished page) and BleedBox (how far colour runs past it) on every
    page, for print shops' pre-flight; without bleed they equal the MediaBox."""
    geo = edition.geometry
    o, b = geo.offset, geo.bleed
    width, height = geo.trim
    trim = RectangleObject([o, o, o + width, o + height])
    bleed = RectangleObject([o - b, o - b, o + width + b, o + height + b])
    for page in writer.pages:
        page.trimbox = trim
        page.bleedbox = bleed


FINISHERS.append(page_boxes)


def _private_use_text(edition: Edition, writer: IncrementalUpdate) -> None:
    from .textlayer import private_use_text

    private_use_text(edition, writer)


FINISHERS.append(_private_use_text)


def _review_xmp(edition: Edition, writer: IncrementalUpdate) -> None:
    from .signoff import review_xmp

    review_xmp(edition, writer)


FINISHERS.append(_review_xmp)
