"""Batch plans: which editions a batch builds, and where each one goes.

In: a plan file (YAML, read with the `schema` module, so every problem is reported at
once with file:line:column) or the command line's short form (a topic with ``--lang``,
``--layout``, ``--paper`` and ``--clinic``). Out: a `Plan` holding one `EditionSpec` per
topic × language × layout × paper × clinic, each with its output path. Nothing is loaded
or rendered here beyond finding files: a broken clinic or content file fails only its
own editions later, while a wrong plan (unknown topic, layout or language, a clinic
file that does not exist, two editions given the same file name) stops before anything
is built.

Paths in a plan file resolve against the plan's folder; topic and layout *names* are
looked up in the plan folder's ``content/`` and ``layouts/`` first, then where
``brochure build`` looks.

File names are safe whatever the folders and files are called: every value put into a
name pattern is made a plain file-name part (`safe_part`: no path separators, no
leading dots, no control characters, no reserved device names), dot-files are never
topics or clinic profiles, and each output path, once the pattern is filled in and
links are followed, must lie inside the output folder.
"""

from __future__ import annotations

import glob
import os
import re
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ContentError, LayoutError, Problem
from ..source import layouts as layouts_mod
from ..source.content import LANG
from ..source.schema import MISSING, Bool, Choice, Context, Field, Record, Spec, Str, describe
from ..source.topics import content_roots, find_topics, languages_of
from ..source.yamlsource import Node, load_yaml

ALL = "all"
NAME_FIELDS = ("topic", "lang", "layout", "clinic", "paper")
MANIFEST_NAME = "manifest.json"


class PlanError(ContentError):
    """A batch plan (file or command line) is malformed or names what does not exist."""


@dataclass(frozen=True)
class Entry:
    """One value written in a plan, with the node it came from (None: command line)."""

    value: Any
    node: Node | None = None


class ListOrAll(Spec):
    """A list of *item*, a single item (read as a one-item list), or the word ``all``."""

    def __init__(self, item: Spec) -> None:
        self.item = item
        self.expects = f"a list of {item.expects}, or all"

    def read(self, node: Node, path: str, ctx: Context) -> Any:
        if node.value == ALL:
            return ALL
        children = node.value if isinstance(node.value, list) else [node]
        if not children:
            ctx.add(node, path, "is empty; give at least one entry, or all")
            return MISSING
        out = []
        for i, child in enumerate(children):
            where = f"{path}[{i}]" if isinstance(node.value, list) else path
            value = self.item.read(child, where, ctx)
            out.append(MISSING if value is MISSING else Entry(value, child))
        return MISSING if MISSING in out else out


# A language, or two joined by '+' for a bilingual edition (the patient's first)
LANGS = Str(41, LANG.pattern.pattern + r"(\+" + LANG.pattern.pattern + ")?",
            "a language tag such as es, or two joined by + for a bilingual edition (es+en)")

PLAN = Record("batch plan", {
    "topics": Field(ListOrAll(Str(500)), "topic names, topic folders or content files"),
    "languages": Field(ListOrAll(LANGS), "language codes; es+en: a bilingual edition",
                       False, ["en"]),
    "layouts": Field(ListOrAll(Str(500)), "layout names or layout files", False, ALL),
    "papers": Field(ListOrAll(Choice(*layouts_mod.PAPERS)),
                    "paper sizes; when absent, each layout's own", False),
    "clinics": Field(ListOrAll(Str(500)), "clinic profile files or patterns such as "
                     "clinics/*.yaml (all: every profile in content/clinics); when "
                     "absent, editions without a clinic", False),
    "output": Field(Str(500), "folder the PDFs are written to", False, "out"),
    "name": Field(Str(300), "file name pattern inside the output folder, with {topic}, "
                  "{lang}, {layout}, {clinic} and {paper}; when absent, the names "
                  "'brochure build' gives", False),
    "manifest": Field(Str(500), f"where the JSON manifest goes; when absent, "
                      f"{MANIFEST_NAME} in the output folder", False),
    "merge": Field(Str(500), "also write all editions into this one PDF", False),
    "strict": Field(Bool(), "treat warnings as errors", False, False),
})


@dataclass(frozen=True)
class EditionSpec:
    """One edition to build: its inputs as found on disk and its output path."""

    topic: str
    language: str
    layout: str  # the layout's name (its file's stem)
    layout_file: Path
    paper: str | None  # None: the layout's own
    clinic: Path | None
    content_file: Path
    output: Path
    also: Path | None = None  # a bilingual edition: the second language's content file

    def describe(self) -> str:
        parts = [self.topic, self.language, self.layout]
        parts += [p for p in (self.paper, self.clinic.stem if self.clinic else None) if p]
        return " ".join(parts)


@dataclass
class Plan:
    """Everything a batch run needs to know, editions expanded."""

    editions: list[EditionSpec]
    output: Path
    manifest: Path
    merge: Path | None = None
    strict: bool = False
    file: Path | None = None
    layout_dirs: tuple[Path, ...] = ()


def plan_help() -> str:
    """Help text for plan files, generated from the schema."""
    return describe(PLAN)


def is_plan_file(path: Path) -> bool:
    """Whether *path* is a plan file (a YAML file with a top-level ``topics:``) rather
    than a content file."""
    if path.suffix not in (".yaml", ".yml") or not path.is_file():
        return False
    try:
        head = path.read_text("utf-8")[:20000]
    except (OSError, UnicodeDecodeError):
        return False
    return any(line.startswith("topics:") for line in head.splitlines())


def load_plan(path: Path) -> Plan:
    """Read, validate and expand a plan file; raise `PlanError` with every problem."""
    root = load_yaml(path, PlanError)
    ctx = Context()
    data = PLAN.read(root, "", ctx)
    if data is MISSING:
        raise PlanError(problems=ctx.problems)
    base = path.parent
    name = Entry(data["name"], root.value["name"]) if data["name"] else None
    resolver = _Resolver(path, base)
    plan = resolver.plan(
        topics=data["topics"],
        languages=_entries(data["languages"]),
        layouts=_entries(data["layouts"]),
        papers=data["papers"],
        clinics=data["clinics"],
        output=base / data["output"],
        name=name,
        manifest=base / data["manifest"] if data["manifest"] else None,
        merge=base / data["merge"] if data["merge"] else None,
        strict=data["strict"],
    )
    plan.file = path
    return plan


def plan_from_options(topic: str | None, languages: str, layouts: str,
                      papers: str | None, clinics: list[str], output: Path,
                      name: str | None = None, manifest: Path | None = None,
                      merge: Path | None = None, strict: bool = False) -> Plan:
    """The short form: one topic (None: every topic) and comma-separated lists or
    ``all`` for the rest, as given on the command line; paths resolve against the
    working directory. Raises `PlanError` naming the option at fault."""

    def listed(text: str) -> list[Entry] | str:
        if text.strip() == ALL:
            return ALL
        return [Entry(part.strip()) for part in text.split(",") if part.strip()]

    resolver = _Resolver(None, Path.cwd())
    clinic_entries: list[Entry] | str | None = None
    if clinics:
        clinic_entries = ALL if list(clinics) == [ALL] else [Entry(c) for c in clinics]
    return resolver.plan(
        topics=[Entry(topic)] if topic else ALL,
        languages=listed(languages),
        layouts=listed(layouts),
        papers=listed(papers) if papers else None,
        clinics=clinic_entries,
        output=output,
        name=Entry(name) if name else None,
        manifest=manifest,
        merge=merge,
        strict=strict,
    )


class _Resolver:
    """Turns plan entries into files, collecting every problem before raising."""

    def __init__(self, plan_file: Path | None, base: Path) -> None:
        self.plan_file, self.base = plan_file, base
        self.problems: list[Problem] = []
        local = [base / "content"] if plan_file and (base / "content").is_dir() else []
        self.roots = local + [r for r in content_roots() if r not in local]
        extra = [base / "layouts"] if plan_file and (base / "layouts").is_dir() else []
        self.layout_dirs = layouts_mod.search_dirs(extra)

    def problem(self, entry: Entry | None, option: str, message: str) -> None:
        node = entry.node if entry else None
        if self.plan_file is not None:
            field = option
            line, column = (node.line, node.column) if node else (None, None)
            self.problems.append(Problem(self.plan_file, line, column, field, message))
        else:
            self.problems.append(Problem(None, None, None, "", f"{option}: {message}"))

    def raise_problems(self) -> None:
        if not self.problems:
            return
        if self.plan_file is not None:
            raise PlanError(problems=self.problems)
        raise PlanError("\n".join(p.message for p in self.problems), problems=self.problems)

    def path(self, text: str) -> Path:
        path = Path(os.path.expanduser(text))
        return path if path.is_absolute() else self.base / path

    # -- each dimension --------------------------------------------------------------
    def topics(self, entries: list[Entry] | str) -> list[Path]:
        option = "topics" if self.plan_file else "TOPIC"
        known = find_topics(self.roots)
        if entries == ALL:
            if not known:
                self.problem(None, option, "no topics found")
            return list(known.values())
        found = []
        for entry in entries:
            text = str(entry.value)
            as_path = self.path(text)
            looks_like_path = "/" in text or os.sep in text or text.endswith((".yaml", ".yml"))
            if as_path.exists() and (looks_like_path or text not in known):
                found.append(as_path)
            elif text in known:
                found.append(known[text])
            else:
                self.problem(entry, option, f"no topic or file {text!r}; topics found: "
                             + (", ".join(known) or "none"))
        return found

    def languages(self, topic: Path, entries: list[Entry] | str) -> list[str]:
        have = languages_of(topic)
        if topic.is_file():
            return have  # a content file is its own language, as in 'brochure build'
        if not have:
            self.problem(None, "topics", f"{topic} has no language files")
        if entries == ALL:
            return have
        out = []
        option = "languages" if self.plan_file else "--lang"
        for entry in entries:
            codes = str(entry.value).split("+")
            missing = [code for code in codes if code not in have]
            if len(codes) == 2 and codes[0] == codes[1]:
                self.problem(entry, option, f"{entry.value!r}: a bilingual edition needs "
                             "two different languages")
            elif not missing:
                out.append(entry.value)
            else:
                self.problem(entry, option, f"{topic.name} has no {missing[0]!r} edition; "
                             f"languages found: {', '.join(have) or 'none'}")
        return out

    def bilingual_layouts(self, languages: list[Entry] | str, layouts: list[Path]) -> None:
        """Bilingual editions only in layouts that make them: the others say why not."""
        pairs = [] if languages == ALL else [e for e in languages if "+" in str(e.value)]
        if not pairs:
            return
        option = "layouts" if self.plan_file else "--layout"
        for file in layouts:
            try:
                layout = layouts_mod.load_layout(str(file), self.layout_dirs)
            except LayoutError:
                continue  # reported where the edition is built, with the layout's lines
            if layout.bilingual is None:
                self.problem(pairs[0], option, f"{pairs[0].value}: {layout.bilingual_refusal}"
                             " (list the layouts for bilingual editions, such as general "
                             "and clinic)")

    def layouts(self, entries: list[Entry] | str) -> list[Path]:
        option = "layouts" if self.plan_file else "--layout"
        if entries == ALL:
            return list(layouts_mod.available(self.layout_dirs).values())
        out = []
        for entry in entries:
            text = str(entry.value)
            as_file = str(self.path(text)) if text.endswith((".yaml", ".yml")) else text
            try:
                out.append(layouts_mod.find(as_file, self.layout_dirs))
            except LayoutError as exc:
                self.problem(entry, option, f"layout file {text!r} not found"
                             if exc.problems else str(exc))
        return out

    def papers(self, entries: list[Entry] | str | None) -> list[str | None]:
        if entries is None:
            return [None]
        if entries == ALL:
            return list(layouts_mod.PAPERS)
        for entry in entries:  # a plan file's schema has checked them already
            if entry.value not in layouts_mod.PAPERS:
                self.problem(entry, "--paper", f"{entry.value!r} is not a paper size; use "
                             f"one of: {', '.join(layouts_mod.PAPERS)}, all")
        return [str(e.value) for e in entries]

    def clinics(self, entries: list[Entry] | str | None) -> list[Path | None]:
        if entries is None:
            return [None]
        option = "clinics" if self.plan_file else "--clinic"
        if entries == ALL:
            found: dict[str, Path] = {}
            for root in reversed(self.roots):
                for file in sorted((root / "clinics").glob("*.yaml")):
                    if not file.name.startswith("."):  # hidden files are never profiles
                        found[file.name] = file
            if not found:
                self.problem(None, option, "no clinic profiles found in "
                             + ", ".join(str(r / "clinics") for r in self.roots))
            return list(dict(sorted(found.items())).values())
        out: list[Path | None] = []
        for entry in entries:
            text = str(entry.value)
            if glob.has_magic(text):
                matches = sorted(Path(p) for p in glob.glob(str(self.path(text)))
                                 if Path(p).is_file())
                if not matches:
                    self.problem(entry, option, f"{text!r} matches no file")
                out.extend(matches)
            elif self.path(text).is_file():
                out.append(self.path(text))
            else:
                self.problem(entry, option, f"clinic profile {text!r} not found")
        unique: dict[Path, Path | None] = {}
        for path in out:
            assert path is not None
            unique.setdefault(path.resolve(), path)
        return list(unique.values())

    def check_name(self, name: Entry | None, papers: list[str | None],
                   clinics: list[Path | None]) -> None:
        if name is None:
            return
        option = "name" if self.plan_file else "--name"
        pattern = str(name.value)
        try:
            fields = [(f, spec, conv) for _, f, spec, conv in string.Formatter().parse(pattern)
                      if f is not None]
        except ValueError:
            self.problem(name, option, f"{pattern!r} has an unmatched {{ or }}")
            return
        for field, spec, conv in fields:
            if field not in NAME_FIELDS:
                self.problem(name, option, f"{{{field}}} is not a field of file names; use "
                             + ", ".join(f"{{{f}}}" for f in NAME_FIELDS))
            elif spec or conv:
                self.problem(name, option, f"write {{{field}}} without a format")
            elif field == "clinic" and clinics == [None]:
                self.problem(name, option, "uses {clinic}, but no clinics are given")
            elif field == "paper" and papers == [None]:
                self.problem(name, option, "uses {paper}, but no papers are given")
        if not pattern.endswith(".pdf"):
            self.problem(name, option, f"{pattern!r} must end in .pdf")
        if Path(pattern).is_absolute() or ".." in Path(pattern).parts:
            self.problem(name, option, f"{pattern!r} must stay inside the output folder")

    # -- the whole plan ----------------------------------------------------------------
    def plan(self, *, topics: list[Entry] | str, languages: list[Entry] | str,
             layouts: list[Entry] | str, papers: list[Entry] | str | None,
             clinics: list[Entry] | str | None, output: Path, name: Entry | None,
             manifest: Path | None, merge: Path | None, strict: bool) -> Plan:
        topic_paths = self.topics(topics)
        layout_files = self.layouts(layouts)
        paper_list = self.papers(papers)
        clinic_list = self.clinics(clinics)
        topic_languages = [(topic, self.languages(topic, languages)) for topic in topic_paths]
        self.bilingual_layouts(languages, layout_files)
        self.check_name(name, paper_list, clinic_list)
        self.raise_problems()
        editions = []
        clinic_stems = [(clinic, clinic.stem if clinic else None) for clinic in clinic_list]
        for topic, langs in topic_languages:
            topic_name = topic.parent.name if topic.is_file() else topic.name
            for lang in langs:
                first, *second = lang.split("+")
                content_file = topic if topic.is_file() else topic / f"{first}.yaml"
                also = topic / f"{second[0]}.yaml" if second else None
                for layout_file in layout_files:
                    layout_name = layout_file.stem
                    for paper in paper_list:
                        for clinic, clinic_stem in clinic_stems:
                            fields = {"topic": topic_name, "lang": lang,
                                      "layout": layout_name, "paper": paper,
                                      "clinic": clinic_stem}
                            editions.append(EditionSpec(
                                topic_name, lang, layout_name, layout_file, paper,
                                clinic, content_file, output / _file_name(name, fields),
                                also))
        self.check_inside(editions, output, name)
        self.raise_problems()
        self.check_unique(editions, name)
        self.raise_problems()
        return Plan(editions, output, manifest or output / MANIFEST_NAME, merge, strict,
                    layout_dirs=tuple(self.layout_dirs))

    def check_inside(self, editions: list[EditionSpec], output: Path,
                     name: Entry | None) -> None:
        """Every output path, with its folders' links followed, lies inside the output
        folder (a link at the file itself is replaced when the PDF is written)."""
        folder = os.path.realpath(output)
        for spec in editions:
            target = os.path.join(os.path.realpath(spec.output.parent), spec.output.name)
            if os.path.commonpath([folder, target]) != folder or target == folder:
                self.problem(name, "name" if self.plan_file else "--name",
                             f"{spec.describe()} would be written to {target}, outside the "
                             f"output folder {folder}")
                return

    def check_unique(self, editions: list[EditionSpec], name: Entry | None) -> None:
        first: dict[str, EditionSpec] = {}
        for spec in editions:
            key = os.path.normcase(os.path.abspath(spec.output))
            if key not in first:
                first[key] = spec
                continue
            other = first[key]
            differ = [f for f, a, b in (
                ("topic", other.topic, spec.topic), ("lang", other.language, spec.language),
                ("layout", other.layout, spec.layout), ("paper", other.paper, spec.paper),
                ("clinic", other.clinic, spec.clinic)) if a != b]
            hint = (f"; add {{{differ[0]}}} to the name pattern" if differ and name
                    else "; give a name pattern that tells them apart")
            self.problem(name, "name" if self.plan_file else "--name",
                         f"two editions would be written to the same file "
                         f"{spec.output.name!r} ({other.describe()} and {spec.describe()})"
                         + hint)
            return


def _entries(value: list | str) -> list[Entry] | str:
    """Entries as read, or a field's default (a list of plain values, or ``all``)."""
    if value == ALL:
        return ALL
    return [v if isinstance(v, Entry) else Entry(v) for v in value]


_RESERVED = re.compile(r"(CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])(\..*)?", re.IGNORECASE)


def safe_part(value: str) -> str:
    """*value* as one plain part of a file name: separators, control and other invisible
    characters, and the characters Windows refuses become ``_``; leading dots and spaces
    are dropped (so never ``..`` or a hidden file); reserved device names (``CON``,
    ``NUL``, ...) get a leading ``_``."""
    part = "".join("_" if c in '/\\:*?"<>|' or not c.isprintable() else c for c in value)
    part = part.lstrip(". ").rstrip(" ")
    if _RESERVED.fullmatch(part):
        part = "_" + part
    return part or "_"


def _file_name(name: Entry | None, fields: dict[str, str | None]) -> str:
    fields = {k: safe_part(v) if v else v for k, v in fields.items()}
    if name is not None:
        return str(name.value).format(**{k: v or "" for k, v in fields.items()})
    # The names 'brochure build' gives (api.output_name).
    parts = [fields["topic"], fields["lang"], fields["layout"], fields["clinic"],
             fields["paper"]]
    return "-".join(p for p in parts if p) + ".pdf"
