"""Fonts: the font table → registered ReportLab fonts, and glyph coverage checks.

In: a language and a layout. Out: a `FontSet` naming the ReportLab fonts for the regular,
bold, italic and bold-italic styles, registered once per process. Font files come from
Python packages named in ``layouts/fonts/fonts.yaml``, never from the host system.
`missing_glyphs` tells which characters of a text a font cannot draw, so an edition
with a missing glyph fails before rendering instead of printing empty boxes.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from .. import paths
from ..errors import FontError, Problem
from ..source.schema import MISSING, Context, Field, MapOf, Record, Str
from ..source.yamlsource import load_yaml

STYLES = ("regular", "bold", "italic", "bold_italic")

FAMILY = Record("font family", {
    "package": Field(Str(100), "the Python package that carries the font files"),
    "folder": Field(Str(100), "folder inside the package", False, ""),
    "regular": Field(Str(200), "file of the regular style"),
    "bold": Field(Str(200), "file of the bold style"),
    "italic": Field(Str(200), "file of the italic style (regular if absent)", False),
    "bold_italic": Field(Str(200), "file of the bold italic style (bold if absent)", False),
})
TABLE = Record("font table", {
    "families": Field(MapOf(FAMILY), "font families by name"),
    "scripts": Field(MapOf(Str(60)), "family that draws each script"),
    "languages": Field(MapOf(Str(60)), "script of each language"),
    "unfinished": Field(MapOf(Str(300)), "scripts that cannot be built yet, with why",
                        False, {}),
})

# Characters that never need a glyph: ReportLab turns them into spacing or line breaks.
_INVISIBLE = {"\n", "\r", "\t", "\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}


@dataclass(frozen=True)
class FontSet:
    """The ReportLab font names of one family, one per style."""

    family: str
    regular: str
    bold: str
    italic: str
    bold_italic: str
    files: dict[str, Path]

    def names(self) -> tuple[str, ...]:
        return (self.regular, self.bold, self.italic, self.bold_italic)


def table_file() -> Path:
    return paths.builtin("layouts") / "fonts" / "fonts.yaml"


@cache
def _table() -> dict:
    file = table_file()
    ctx = Context()
    data = TABLE.read(load_yaml(file, FontError), "", ctx)  # type: ignore[arg-type]
    if data is MISSING:
        raise FontError(problems=ctx.problems)
    return data


def script_of(language: str) -> str:
    """The script a language is written in, according to the font table."""
    languages = _table()["languages"]
    script = languages.get(language) or languages.get(language.split("-")[0])
    if script is None:
        raise FontError(f"the font table {table_file()} names no script for language "
                        f"{language!r}; add it under 'languages:' (known: "
                        + ", ".join(sorted(languages)) + ")")
    return script


def font_set(language: str, overrides: dict[str, str] | None = None,
             allow_unfinished: bool = False) -> FontSet:
    """Register (once) and return the fonts that draw *language*.

    A script the font table lists as unfinished is refused unless *allow_unfinished*
    (validation still checks such an edition's glyphs).
    """
    script = script_of(language)
    unfinished = _table()["unfinished"] or {}
    if script in unfinished and not allow_unfinished:
        raise FontError(f"cannot build the {language!r} edition yet: {unfinished[script]} "
                        f"(see {table_file()})")
    family = (overrides or {}).get(script) or _table()["scripts"].get(script)
    if family is None:
        raise FontError(f"the font table names no font family for the {script!r} script")
    return _register_family(family)


@cache
def _register_family(family: str) -> FontSet:
    families = _table()["families"]
    if family not in families:
        raise FontError(f"unknown font family {family!r}; the font table has: "
                        + ", ".join(sorted(families)))
    spec = families[family]
    folder = _package_folder(spec["package"], family) / (spec["folder"] or "")
    entries = {
        "regular": spec["regular"],
        "bold": spec["bold"],
        "italic": spec["italic"] or spec["regular"],
        "bold_italic": spec["bold_italic"] or spec["bold"],
    }
    files = {}
    for style, entry in entries.items():
        name, _, axes = entry.partition("@")
        file = folder / name
        if not file.is_file():
            raise FontError(f"font file {file} of family {family!r} is missing; "
                            f"reinstall the package {spec['package']!r}")
        files[style] = static_instance(file, axes) if axes else file
    names = {}
    for style, file in files.items():
        name = f"{family}-{style}"
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(file)))
        names[style] = name
    for bold, italic, style in ((0, 0, "regular"), (1, 0, "bold"), (0, 1, "italic"),
                                (1, 1, "bold_italic")):
        addMapping(family, bold, italic, names[style])
    return FontSet(family, names["regular"], names["bold"], names["italic"],
                   names["bold_italic"], files)


def cache_dir() -> Path:
    """Where font instances made from variable fonts are kept between runs."""
    return paths.user_cache("fonts")


def static_instance(file: Path, axes: str) -> Path:
    """A static font cut from variable font *file* at *axes* (``wght=700,wdth=100``).

    ReportLab draws only a variable font's default instance, so a bold needs a static
    cut. It is made once (about a second) and cached under a name that hashes the
    source file and the axes; the cut is deterministic, so output stays reproducible.
    """
    try:
        location = {k.strip(): float(v) for k, v in
                    (pair.split("=") for pair in axes.split(","))}
    except ValueError:
        raise FontError(f"font table: {axes!r} after '@' must be axes like wght=700") from None
    digest = hashlib.sha256(file.read_bytes() + axes.encode()).hexdigest()[:16]
    target = cache_dir() / f"{file.stem.split('[')[0]}-{digest}.ttf"
    if not target.is_file():
        from fontTools.ttLib import TTFont as ToolsFont
        from fontTools.varLib import instancer

        from ..output import write_atomic

        font = ToolsFont(str(file), recalcTimestamp=False)
        # updateFontNames gives the cut its own name (e.g. "...-Bold"): two cuts sharing
        # one PostScript name would be merged into one font by PDF viewers.
        cut = instancer.instantiateVariableFont(font, location, updateFontNames=True)
        buffer = io.BytesIO()
        cut.save(buffer)
        write_atomic(target, buffer.getvalue())
    return target


def _package_folder(package: str, family: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise FontError(f"the font package {package!r} for {family!r} is not installed; "
                        f"install it with: pip install {package.replace('_', '-')}")
    return Path(next(iter(spec.submodule_search_locations)))


def missing_glyphs(text: str, font_name: str) -> list[str]:
    """The distinct characters of *text* that the registered font cannot draw."""
    covered = _coverage(font_name)
    missing = []
    for char in dict.fromkeys(text):
        if char in _INVISIBLE or char == " ":
            continue
        if ord(char) not in covered:
            missing.append(char)
    return missing


@cache
def _coverage(font_name: str) -> frozenset[int]:
    font = pdfmetrics.getFont(font_name)
    return frozenset(font.face.charToGlyph)


def glyph_problem(char: str, font_name: str, file: Path | None, line: int | None,
                  column: int | None, field: str) -> Problem:
    """The error for one character a font cannot draw."""
    import unicodedata

    name = unicodedata.name(char, "unnamed character")
    return Problem(file, line, column, field,
                   f"the character {char!r} (U+{ord(char):04X} {name}) is not in the font "
                   f"{font_name}; use another character or a font that covers it")


def shipped_scripts() -> tuple[str, ...]:
    """Every script the font table has a family for, in the table's order."""
    return tuple(_table()["scripts"])


def covering_family(text: str, scripts: tuple[str, ...] = ("latin", "vietnamese")
                    ) -> FontSet | None:
    """The first font family of the font table, among those drawing *scripts*, whose
    regular and bold fonts have every character of *text* (None if none has).

    Used for a personal line that the edition's own font cannot draw, such as a
    Vietnamese or Arabic name on an English handout (see `personal`).
    """
    table = _table()
    for script in scripts:
        family = table["scripts"].get(script)
        if family is None:
            continue
        fonts = _register_family(family)
        if not missing_glyphs(text, fonts.regular) and not missing_glyphs(text, fonts.bold):
            return fonts
    return None
