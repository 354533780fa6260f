"""Translation exchange files: gettext PO and XLIFF 1.2, written and read.

In (writing): `Entry`s — a unit, its current translation and whether it needs review —
and the topic, languages and dates of the header. Out: the bytes of a PO file (polib:
header, ``msgctxt`` = field path, ``#.`` purpose and limits, ``#:`` where the source
string is, ``#, fuzzy`` when the source changed since it was translated) or of an XLIFF
1.2 file (translate-toolkit: one ``<file>`` per source file, ``trans-unit id`` = field
path, developer notes, ``state="needs-review-translation"``).

In (reading): such a file as a translator sends it back. Out: `Incoming` units with
their line in the file, and the header's topic and language. A file neither library can
read is a `ContentError` with the file and, where the library gives it, the line.

The libraries do the formats' quoting, wrapping and escaping; nothing here writes PO or
XML syntax by hand.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import ContentError, Problem
from .catalog import LOCALE_PREFIX, Unit

FORMATS = ("po", "xliff")
XLIFF_NAMESPACE = "urn:oasis:names:tc:xliff:document:1.2"


@dataclass(frozen=True)
class Entry:
    """A unit as it goes out: its translation ("" if none) and whether it is fuzzy."""

    unit: Unit
    target: str
    fuzzy: bool


@dataclass(frozen=True)
class Header:
    topic: str
    language: str
    source_language: str
    content_file: str  # "kratom/en.yaml": where the content units come from
    locale_file: str  # "locales/en.yaml"
    created: dt.date  # the source's date
    revised: dt.date  # the translation's date


@dataclass(frozen=True)
class Incoming:
    """A unit as a translator sent it back."""

    id: str
    source: str
    target: str
    fuzzy: bool
    line: int | None


def format_of(path: Path, given: str | None = None) -> str:
    if given:
        return given
    return "xliff" if path.suffix.lower() in (".xlf", ".xliff") else "po"


def _po_date(day: dt.date) -> str:
    return f"{day:%Y-%m-%d} 00:00+0000"


def write_po(header: Header, entries: list[Entry]) -> bytes:
    import polib

    po = polib.POFile(wrapwidth=78)
    po.header = (f"The {header.topic} handout: {header.source_language} → {header.language}. "
                 "Written by 'brochure translate export';\nmerge it back with 'brochure "
                 "translate import FILE'. Each msgctxt is the field's path.")
    po.metadata = {
        "Project-Id-Version": f"brochure {header.topic}",
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": _po_date(header.created),
        "PO-Revision-Date": _po_date(header.revised),
        "Last-Translator": "",
        "Language-Team": "",
        "Language": header.language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Generator": "brochure",
        "X-Brochure-Topic": header.topic,
        "X-Brochure-Source-Language": header.source_language,
    }
    for entry in entries:
        unit = entry.unit
        flags = (["fuzzy"] if entry.fuzzy and entry.target else [])
        if unit.placeholders and unit.source.count("{") == len(
                re.findall(r"\{[a-z_]+\}", unit.source)):
            flags.append("python-brace-format")  # msgfmt --check compares them
        origin = header.locale_file if unit.in_locale else header.content_file
        po.append(polib.POEntry(msgctxt=unit.id, msgid=unit.source, msgstr=entry.target,
                                comment=unit.note, occurrences=[(origin, str(unit.line))],
                                flags=flags))
    return str(po).encode("utf-8") + b"\n"


def _xliff_class():  # type: ignore[no-untyped-def]
    from translate.storage import xliff

    class Unit12(xliff.xliffunit):  # type: ignore[misc, valid-type]
        namespace = XLIFF_NAMESPACE

    class Xliff12(xliff.xlifffile):  # type: ignore[misc, valid-type]
        """translate-toolkit's XLIFF store, started from a 1.2 skeleton (its default
        skeleton is 1.1; it reads and writes either)."""

        UnitClass = Unit12

        XMLskeleton = f"""<?xml version="1.0" ?>
<xliff version='1.2' xmlns='{XLIFF_NAMESPACE}'>
<file original='NoName' source-language='en' datatype='plaintext'>
<body>
</body>
</file>
</xliff>"""
        namespace = XLIFF_NAMESPACE

    return Xliff12


def write_xliff(header: Header, entries: list[Entry]) -> bytes:
    store = _xliff_class()(sourcelanguage=header.source_language,
                           targetlanguage=header.language)
    for entry in entries:
        unit = entry.unit
        origin = header.locale_file if unit.in_locale else header.content_file
        store.switchfile(origin, createifmissing=True)
        tu = store.addsourceunit(unit.source, filename=origin)
        tu.setid(unit.path)
        tu.addnote(unit.note, origin="developer")
        tu.addlocation(f"{origin}:{unit.line}")
        tu.target = entry.target
        if entry.target:
            tu.set_state_n(tu.S_NEEDS_REVIEW if entry.fuzzy else tu.S_TRANSLATED)
    store.removedefaultfile()
    return bytes(store)


def write(fmt: str, header: Header, entries: list[Entry]) -> bytes:
    return write_xliff(header, entries) if fmt == "xliff" else write_po(header, entries)


# -- reading ----------------------------------------------------------------------------

def read(path: Path) -> tuple[dict[str, str], list[Incoming]]:
    """(header fields, units) of a PO or XLIFF file."""
    if not path.is_file():
        raise ContentError(problems=[Problem(path, None, None, "", "file not found")])
    return _read_xliff(path) if format_of(path) == "xliff" else _read_po(path)


def _read_po(path: Path) -> tuple[dict[str, str], list[Incoming]]:
    import polib

    try:
        po = polib.pofile(str(path), wrapwidth=78)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise ContentError(problems=[Problem(path, int(match.group(1)) if match else None,
                                             None, "", f"is not a PO file gettext can read "
                                             f"({exc})")]) from None
    header = {"topic": po.metadata.get("X-Brochure-Topic", ""),
              "language": po.metadata.get("Language", ""),
              "source_language": po.metadata.get("X-Brochure-Source-Language", "en")}
    units = [Incoming(e.msgctxt or "", e.msgid, e.msgstr, "fuzzy" in e.flags, e.linenum)
             for e in po if not e.obsolete]
    return header, units


def _read_xliff(path: Path) -> tuple[dict[str, str], list[Incoming]]:
    from translate.storage import xliff

    try:
        store = xliff.xlifffile.parsefile(str(path))
    except Exception as exc:  # noqa: BLE001 - lxml and the toolkit raise many kinds
        line = getattr(exc, "lineno", None)
        raise ContentError(problems=[Problem(path, line, None, "", "is not an XLIFF file "
                                             f"translate-toolkit can read ({exc})")]
                           ) from None
    header = {"topic": "", "language": store.gettargetlanguage() or "",
              "source_language": store.getsourcelanguage() or "en"}
    units = []
    for tu in store.getunits():
        if tu.isheader():
            continue
        original = tu.getid().split("\x04")[0] if "\x04" in tu.getid() else ""
        local = tu.xmlelement.get("id") or ""
        in_locale = original.startswith("locales/")
        if original and not header["topic"] and not in_locale:
            header["topic"] = original.split("/")[0]
        uid = (LOCALE_PREFIX + local) if in_locale else local
        fuzzy = bool(tu.target) and tu.get_state_n() < tu.S_TRANSLATED
        units.append(Incoming(uid, tu.source or "", tu.target or "", fuzzy,
                              tu.xmlelement.sourceline))
    return header, units
