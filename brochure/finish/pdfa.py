"""PDF/A-2a: the colour every page is printed in, and what archives look for.

In: a rendered edition open for finishing. Out: the catalog's /OutputIntents naming the
shipped sRGB profile (`data/sRGB.icc`) as the colour space of every DeviceRGB and
DeviceGray colour in the file (ISO 19005-2 §6.2.3), and the Separation colour space the
printer's marks are stroked in (`typeset.pdfa.REGISTRATION`) on every page. The XMP
identification (``pdfaid``) is written with the rest of the metadata (`steps`).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from ..typeset.pdfa import REGISTRATION_NAME
from ..typeset.render import Edition
from .pdfobjects import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)
from .pdfupdate import IncrementalUpdate

OUTPUT_CONDITION = "sRGB IEC61966-2.1"


@cache
def srgb_profile() -> bytes:
    """The shipped sRGB ICC profile (see data/README.md)."""
    return (Path(__file__).parent / "data" / "sRGB.icc").read_bytes()  # (no zipfile import)


def output_intent(edition: Edition, writer: IncrementalUpdate) -> None:
    """The PDF/A output intent: sRGB, from the profile that ships with brochure."""
    profile = StreamObject()
    profile.set_data(srgb_profile())
    profile[NameObject("/N")] = NumberObject(3)
    profile = profile.flate_encode()
    intent = DictionaryObject({
        NameObject("/Type"): NameObject("/OutputIntent"),
        NameObject("/S"): NameObject("/GTS_PDFA1"),
        NameObject("/OutputConditionIdentifier"): TextStringObject(OUTPUT_CONDITION),
        NameObject("/Info"): TextStringObject(OUTPUT_CONDITION),
        NameObject("/DestOutputProfile"): writer._add_object(profile),
    })
    writer._root_object[NameObject("/OutputIntents")] = ArrayObject(
        [writer._add_object(intent)])


def registration_colour(edition: Edition, writer: IncrementalUpdate) -> None:
    """The colour space of printer's marks, ``[/Separation /All /DeviceGray f]`` with f
    giving black at full tint, in every page's resources (one shared object)."""
    tint = DictionaryObject({
        NameObject("/FunctionType"): NumberObject(2),
        NameObject("/Domain"): ArrayObject([NumberObject(0), NumberObject(1)]),
        NameObject("/C0"): ArrayObject([NumberObject(1)]),
        NameObject("/C1"): ArrayObject([NumberObject(0)]),
        NameObject("/N"): NumberObject(1),
    })
    space = writer._add_object(ArrayObject([NameObject("/Separation"), NameObject("/All"),
                                            NameObject("/DeviceGray"), tint]))
    for page in writer.pages:
        res = page.get("/Resources")
        res = res.get_object() if res is not None else None
        if res is None:
            res = DictionaryObject()
            page[NameObject("/Resources")] = res
        spaces = res.get("/ColorSpace")
        spaces = spaces.get_object() if spaces is not None else None
        if spaces is None:
            spaces = DictionaryObject()
            res[NameObject("/ColorSpace")] = spaces
        spaces[NameObject("/" + REGISTRATION_NAME)] = space
