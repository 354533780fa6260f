"""Text layer repair: what copy-paste and screen readers get from shaped text.

HarfBuzz shaping (Thai) swaps some glyphs for positional variants that have no Unicode
value of their own, e.g. a tone mark lowered to sit beside a short consonant. ReportLab
gives such a glyph a private-use code point (U+E000…), and its ToUnicode map says so: a
copied ที่ comes out as ที plus U+E000. This finisher maps each of those glyphs back to
the character it is a variant of, found through the font's substitution table (GSUB),
and rewrites the ToUnicode maps.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics

from ..typeset.fonts import FontSet, script_of
from ..typeset.render import Edition
from ..typeset.styles import SHAPED_SCRIPTS
from .pdfobjects import NameObject
from .pdfupdate import IncrementalUpdate

_AGL = re.compile(r"uni((?:[0-9A-F]{4})+)(?:\..*)?")
_PRIVATE = re.compile(rb"<([0-9A-Fa-f]{2,4})>\s*<([Ee][0-9A-Fa-f]{3}|[Ff][0-8][0-9A-Fa-f]{2})>")


@cache
def glyph_text(font_file: Path) -> dict[int, str]:
    """Glyph id → the text it stands for: the cmap, then single and alternate
    substitutions followed backwards, so a variant glyph inherits its source's text."""
    from fontTools.ttLib import TTFont

    with TTFont(str(font_file), lazy=True) as font:
        return _glyph_text(font)


def _glyph_text(font) -> dict[int, str]:  # type: ignore[no-untyped-def]
    order = font.getGlyphOrder()
    text: dict[str, str] = {}
    for code, name in sorted(font.getBestCmap().items()):
        text.setdefault(name, chr(code))
    pairs: list[tuple[str | tuple[str, ...], str]] = []
    if "GSUB" in font:
        for lookup in font["GSUB"].table.LookupList.Lookup:
            for sub in lookup.SubTable:
                sub = getattr(sub, "ExtSubTable", sub)
                mapping = getattr(sub, "mapping", None)
                if isinstance(mapping, dict):  # single (name) or multiple (list) substitution
                    pairs += [(src, dst) for src, dst in mapping.items() if isinstance(dst, str)]
                alternates = getattr(sub, "alternates", None)
                if isinstance(alternates, dict):
                    pairs += [(src, dst) for src, dsts in alternates.items() for dst in dsts]
                ligatures = getattr(sub, "ligatures", None)
                if isinstance(ligatures, dict):
                    for first, ligs in ligatures.items():
                        for lig in ligs:
                            pairs.append(((first, *lig.Component), lig.LigGlyph))
    for name in order:  # Adobe glyph naming: "uni0E4D0E48" is U+0E4D U+0E48
        match = _AGL.fullmatch(name)
        if match and name not in text:
            codes = match.group(1)
            text[name] = "".join(chr(int(codes[i:i + 4], 16)) for i in range(0, len(codes), 4))
    changed = True
    while changed:  # substitutions can chain: follow them until nothing new is learnt
        changed = False
        for src, dst in pairs:
            sources = src if isinstance(src, tuple) else (src,)
            if dst not in text and all(part in text for part in sources):
                text[dst] = "".join(text[part] for part in sources)
                changed = True
    return {gid: text[name] for gid, name in enumerate(order) if name in text}


def _shaped_font_sets(edition: Edition) -> list[FontSet]:
    """The fonts that may have drawn shaped text: each language's in a shaped script
    (a bilingual edition has two), and those of a personal line in another font (a Thai
    name on an English handout)."""
    sets = [fonts for content, fonts in edition.font_sets
            if script_of(content.language) in SHAPED_SCRIPTS]
    personal = edition.personal_font
    if personal is not None:
        sets += [f for f in (personal.line, personal.name, personal.note)
                 if f is not None and f is not personal.edition]
    return sets


def private_use_text(edition: Edition, writer: IncrementalUpdate) -> None:
    """Rewrite ToUnicode maps so private-use codes read as the characters they show."""
    sets = _shaped_font_sets(edition)
    if not sets:
        return  # unshaped text draws no glyph without a character of its own
    faces = {}
    for fonts in sets:
        for style, file in fonts.files.items():
            font = pdfmetrics.getFont(getattr(fonts, style))
            name = font.face.name
            faces[name.decode("latin-1") if isinstance(name, bytes) else name] = (font, file)
    done: set[int] = set()
    for page in writer.pages:
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources else None
        for ref in (fonts.get_object().values() if fonts else []):
            font_dict = ref.get_object()
            base = str(font_dict.get("/BaseFont", "")).split("+")[-1]
            to_unicode = font_dict.get(NameObject("/ToUnicode"))
            if base not in faces or to_unicode is None or to_unicode.idnum in done:
                continue
            done.add(to_unicode.idnum)
            stream = to_unicode.get_object()
            data = stream.get_data()
            if not _PRIVATE.search(data):
                continue  # most fonts: nothing to repair, and no GSUB to read
            rl_font, file = faces[base]
            glyphs = rl_font.face.charToGlyph
            known = glyph_text(file)
            stream.set_data(_PRIVATE.sub(lambda m, g=glyphs, k=known: _repair(m, g, k), data))


def _repair(match: re.Match, glyphs: dict[int, int], known: dict[int, str]) -> bytes:
    """One ToUnicode entry, with a private-use target replaced by the glyph's text."""
    gid = glyphs.get(int(match.group(2), 16))
    text = known.get(gid) if gid is not None else None
    if not text:
        return match.group(0)
    return b"<" + match.group(1) + b"> <" + text.encode("utf-16-be").hex().upper().encode() + b">"
