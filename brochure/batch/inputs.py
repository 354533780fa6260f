"""What each edition is made from, and one key that changes when any of it does.

In: an `EditionSpec`. Out: its `Inputs`: every file that affects the PDF, each with its
SHA-256 — the content file, the locale file of its language, its word list (the
plain-words check's warnings come from it), the source edition of a
translation (its staleness warnings come from it), the layout file and every file it
extends with ``base:``, the font table and the font files of the family that draws the
language (after the layout's own ``fonts:`` overrides), the clinic profile and its logo —
plus the engine (brochure's version and code, the versions of the libraries that write
the bytes) and the options (paper, strict). `Inputs.key` is one SHA-256 over all of it.
Rendering is reproducible, so an output recorded with the same key is still current.

Files are only hashed and skimmed here (YAML composed without building values, for the
few keys that name other files); a file too broken to skim is still hashed, and its
editions fail in the worker with the loader's real message.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import os
import stat
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .. import paths
from ..errors import LayoutError
from ..source import layouts as layouts_mod
from ..source import translation
from ..source.content import locale_dirs
from ..source.vocabulary import vocabulary_file
from ..typeset import fonts
from .plan import EditionSpec

# Libraries whose version can change the bytes of a PDF.
ENGINE_PACKAGES = ("reportlab", "pypdf", "uharfbuzz", "python-bidi")
# Modules that do not take part in making a PDF: editing them rebuilds nothing.
# Code that does not shape a PDF: a change to it rebuilds nothing.
_NOT_ENGINE = ("cli.py", "batch", "web")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class InputFile:
    role: str  # content, locale, source, layout, font table, font, clinic, logo
    path: Path
    sha256: str | None  # None: the file does not exist (the edition will say so)


# What an edition's inputs are grouped into: editions share groups (every edition of a
# language shares its content group, every clinic's editions its clinic group), so each
# group is hashed once per run, sent once to a cluster and listed once in the manifest.
GROUPS = {"content": ("content", "locale", "vocabulary", "source"),
          "layout": ("layout", "font table", "font"),
          "clinic": ("clinic", "logo")}


@dataclass(frozen=True)
class Group:
    """Some of an edition's input files, hashed, with one digest over them."""

    files: tuple[InputFile, ...]
    digest: str  # over roles, paths and hashes: workers cache loaded inputs by it
    fragment: str  # the files' part of the key's JSON text


_NO_GROUP = Group((), "", "")


@dataclass(frozen=True)
class Inputs:
    """The files and settings one edition is made from."""

    files: tuple[InputFile, ...]
    options: dict[str, object]
    key: str
    groups: dict[str, str] = field(default_factory=dict)  # group name → its digest

    def digest(self, *roles: str) -> str:
        """One hash over the files of *roles*: workers cache loaded inputs by it."""
        for name, group_roles in GROUPS.items():
            if roles == group_roles and name in self.groups:
                return self.groups[name]
        return _digest([f for f in self.files if f.role in roles])


def _digest(files: list[InputFile] | tuple[InputFile, ...]) -> str:
    h = hashlib.sha256()
    for f in files:  # absolute paths: the same however the plan was named
        h.update(f"{f.role}\0{os.path.abspath(f.path)}\0{f.sha256}\0".encode())
    return h.hexdigest()


def sha256_file(path: Path) -> str | None:
    """The SHA-256 of a file's bytes, or None if it cannot be read or is not a regular
    file (a device such as /dev/zero would never end; the loader says what it is)."""
    h = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return None
            while chunk := handle.read(1 << 20):
                h.update(chunk)
    except OSError:
        return None
    return h.hexdigest()


@cache
def engine() -> dict[str, str]:
    """brochure's version and a hash of the code that renders, and library versions."""
    package = Path(__file__).resolve().parent.parent
    h = hashlib.sha256()
    for file in sorted(package.rglob("*.py")):
        if file.relative_to(package).parts[0] in _NOT_ENGINE:
            continue
        h.update(file.relative_to(package).as_posix().encode() + b"\0")
        h.update(file.read_bytes() + b"\0")
    out = {"brochure": _version("brochure"), "code": h.hexdigest()[:16]}
    for name in ENGINE_PACKAGES:
        out[name] = _version(name)
    return out


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


class Fingerprinter:
    """Hashes inputs for one batch run; each file is read and hashed once."""

    def __init__(self, layout_dirs: tuple[Path, ...] = (), strict: bool = False) -> None:
        self.layout_dirs = list(layout_dirs) or layouts_mod.search_dirs()
        self.strict = strict
        self._sha: dict[Path, str | None] = {}
        self._top: dict[Path, dict[str, yaml.Node]] = {}
        self._found: dict[tuple, list] = {}  # what refers to what, worked out once
        self._groups: dict[tuple, Group] = {}
        self._heads: dict[tuple[str, str], Any] = {}
        self._options: dict[tuple, tuple[dict[str, object], str]] = {}
        self._table = fonts.table_file()

    def _once(self, key: tuple, work):  # type: ignore[no-untyped-def]
        if key not in self._found:
            self._found[key] = work()
        return self._found[key]

    def sha(self, path: Path) -> str | None:
        if path not in self._sha:
            self._sha[path] = sha256_file(path)
        return self._sha[path]

    def top_level(self, path: Path) -> dict[str, yaml.Node]:
        """The top-level keys of a YAML file, as composed nodes ({} if unreadable)."""
        if path not in self._top:
            try:
                node = yaml.compose(path.read_text("utf-8"), Loader=_LOADER)
            except (OSError, UnicodeDecodeError, yaml.YAMLError):
                node = None
            self._top[path] = ({k.value: v for k, v in node.value
                                if isinstance(k, yaml.ScalarNode)}
                               if isinstance(node, yaml.MappingNode) else {})
        return self._top[path]

    def inputs(self, spec: EditionSpec) -> Inputs:
        """The edition's input files and its key: SHA-256 of the JSON text
        ``{"engine": …, "inputs": [[role, sha256], …], "options": …}`` (keys sorted)."""
        # Keyed by path strings: a Path hashes its parts anew each time.
        # A bilingual edition's content group holds both languages' files.
        content = self._group(("content", os.fspath(spec.content_file),
                               os.fspath(spec.also) if spec.also else None),
                              lambda: self._content_files(spec.content_file) + (
                                  self._content_files(spec.also) if spec.also else []))
        layout = self._group(("layout", os.fspath(spec.layout_file), spec.language),
                             lambda: self._layout_files(spec))
        clinic = _NO_GROUP if spec.clinic is None else self._group(
            ("clinic", os.fspath(spec.clinic)), lambda: self._clinic_files(spec.clinic))
        which = (spec.topic, spec.language, spec.layout, spec.paper)
        if which not in self._options:
            options: dict[str, object] = {
                "topic": spec.topic, "language": spec.language, "layout": spec.layout,
                "paper": spec.paper, "strict": self.strict,
            }
            self._options[which] = (options, ('], "options": '
                                              + json.dumps(options, sort_keys=True) + "}"))
        options, tail = self._options[which]
        # Editions share the head of the key's text: hash it once, then go on from a copy.
        head = self._heads.get((content.digest, layout.digest))
        if head is None:
            head = self._heads[(content.digest, layout.digest)] = hashlib.sha256(
                ('{"engine": ' + json.dumps(engine(), sort_keys=True) + ', "inputs": ['
                 + content.fragment + ", " + layout.fragment).encode())
        h = head.copy()
        h.update(((", " + clinic.fragment if clinic.fragment else "") + tail).encode())
        groups = {"content": content.digest, "layout": layout.digest}
        if spec.clinic is not None:
            groups["clinic"] = clinic.digest
        return Inputs(content.files + layout.files + clinic.files, options, h.hexdigest(),
                      groups)

    def _group(self, key: tuple, files) -> Group:  # type: ignore[no-untyped-def]
        if key not in self._groups:
            hashed = tuple(InputFile(role, path, self.sha(path)) for role, path in files())
            self._groups[key] = Group(hashed, _digest(hashed), ", ".join(
                json.dumps([f.role, f.sha256]) for f in hashed))
        return self._groups[key]

    def _layout_files(self, spec: EditionSpec) -> list[tuple[str, Path]]:
        chain = self._once(("layout", spec.layout_file),
                           lambda: self._layout_chain(spec.layout_file))
        table = self._table
        fonts = [f for lang in spec.language.split("+")
                 for f in self._font_files(lang, chain, table)]
        return ([("layout", f) for f in chain] + [("font table", table)]
                + [("font", f) for f in dict.fromkeys(fonts)])

    def _clinic_files(self, clinic: Path) -> list[tuple[str, Path]]:
        files = [("clinic", clinic)]
        try:  # thousands of clinic files: skim for a logo only those that name one
            if b"logo" not in clinic.read_bytes():
                return files
        except OSError:
            return files
        logo = _scalar(self.top_level(clinic).get("logo"))
        if logo:  # normalised, not resolved: a cluster worker finds it beside the clinic
            files.append(("logo", Path(os.path.normpath(os.path.abspath(clinic.parent
                                                                         / logo)))))
        return files

    # -- what refers to what -----------------------------------------------------------
    def _content_files(self, content_file: Path) -> list[tuple[str, Path]]:
        top = self.top_level(content_file)
        out = [("content", content_file)]
        language = _scalar(top.get("language")) or content_file.stem
        locale = _find_locale(language, locale_dirs(
            content_file, [paths.builtin("content") / "locales"]))
        if locale:
            out.append(("locale", locale))
        for tag in dict.fromkeys((language, language.split("-")[0])):  # as the checks look
            words = vocabulary_file(content_file, tag)
            if words.is_file():
                out.append(("vocabulary", words))  # the plain-words check reads it
                break
        record = top.get("translation")
        if isinstance(record, yaml.MappingNode):
            source = _scalar(_get(record, "source"))
            if source:
                out.append(("source", translation.source_file(content_file, source)))
        return out

    def _layout_chain(self, layout_file: Path) -> list[Path]:
        """The layout file, then the files it extends, nearest first."""
        chain = [layout_file]
        while True:
            base = _scalar(self.top_level(chain[-1]).get("base"))
            if not base:
                return chain
            try:
                parent = layouts_mod.find(base, self.layout_dirs)
            except LayoutError:
                return chain
            if parent.resolve() in [p.resolve() for p in chain]:
                return chain  # a cycle: the layout loader reports it
            chain.append(parent)

    def _font_files(self, language: str, chain: list[Path], table_file: Path) -> list[Path]:
        top = self.top_level(table_file)
        languages = _mapping(top.get("languages"))
        script = languages.get(language) or languages.get(language.split("-")[0])
        if script is None:
            return []
        family = None
        for layout_file in chain:  # nearest layout first: its override wins
            family = family or _mapping(self.top_level(layout_file).get("fonts")).get(script)
        family = family or _mapping(top.get("scripts")).get(script)
        families = top.get("families")
        spec_node = _get(families, family) if family and families is not None else None
        spec = _mapping(spec_node)
        if not spec.get("package"):
            return []
        try:
            found = importlib.util.find_spec(spec["package"])
        except (ImportError, ValueError):
            found = None
        if found is None or not found.submodule_search_locations:
            return []
        folder = Path(next(iter(found.submodule_search_locations))) / spec.get("folder", "")
        names = [spec.get("regular"), spec.get("bold"),
                 spec.get("italic") or spec.get("regular"),
                 spec.get("bold_italic") or spec.get("bold")]
        return [folder / n for n in dict.fromkeys(names) if n]


def _find_locale(language: str, search: list[Path]) -> Path | None:
    """The locale file `content.load_locale` would read for *language*."""
    for folder in search:
        path = folder / f"{language}.yaml"
        if path.is_file():
            return path
    base = language.split("-")[0]
    return _find_locale(base, search) if base != language else None


def _get(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return v
    return None


def _scalar(node: yaml.Node | None) -> str | None:
    return str(node.value) if isinstance(node, yaml.ScalarNode) and node.value else None


def _mapping(node: yaml.Node | None) -> dict[str, str]:
    """A mapping of scalars (other values are left out)."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(k.value): str(v.value) for k, v in node.value
            if isinstance(k, yaml.ScalarNode) and isinstance(v, yaml.ScalarNode)}
