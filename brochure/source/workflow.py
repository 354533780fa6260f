"""The translators' and reviewers' workflow: export, import, status and sign-off.

In: a topic folder and a language (export, new, status), a PO or XLIFF file a
translator sends back (import), or a content file and a reviewer (approve). Out: the
exchange file's bytes, a report of what an import took in and refused, per-language
counts, or a sign-off record written into the content file.

The YAML files stay the one store of translations and of their staleness: a
translation's ``source_hashes`` fingerprint the source strings it was made from, and a
unit is fuzzy when its source's fingerprint differs. PO and XLIFF files are views made
from them and merged back; they can be thrown away. Import writes only the values it
changes (`yamledit` keeps the rest of the file as it was) and re-stamps the
fingerprints of the units it took in.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import paths
from ..errors import BrochureError, ContentError, Problem
from . import catalog, exchange, review, yamledit
from .catalog import Unit
from .content import load_content, load_locale, locale_dirs
from .topics import find_topics, languages_of, resolve_topic
from .translation import check as translation_check
from .translation import fingerprint
from .yamlsource import Node, load_yaml

SOURCE_LANGUAGE = "en"


class UsageError(BrochureError):
    exit_code = 2


@dataclass
class Side:
    """One source file and its translation: the content file or the locale file."""

    source_path: Path
    target_path: Path
    units: list[Unit]
    copied: list[str]
    source: Node
    target: Node | None

    def _target_node(self, path: str) -> Node | None:
        return self.target.find(yamledit.split_path(path)) if self.target else None

    def text(self, unit: Unit) -> str | None:
        """The unit's current translation, or None if it has none."""
        node = self._target_node(unit.path)
        if node is None or isinstance(node.value, dict | list | bool) or node.value is None:
            return None
        text = str(node.value).strip()
        return text or None

    @property
    def hashes(self) -> dict[str, str]:
        record = self._target_node("translation.source_hashes")
        return {k: str(v) for k, v in record.plain().items()} if record and isinstance(
            record.value, dict) else {}

    def state(self, unit: Unit, hashes: dict[str, str]) -> str:
        if self.text(unit) is None:
            return "missing"
        return "translated" if hashes.get(unit.path) == fingerprint(unit.source) else "fuzzy"


def _sides(topic: Path, language: str, source_language: str = SOURCE_LANGUAGE
           ) -> tuple[Side, Side]:
    source_path = topic / f"{source_language}.yaml"
    if not source_path.is_file():
        raise ContentError(problems=[Problem(source_path, None, None, "", "is the source "
                                             "edition of the topic, but it does not exist")])
    source = load_yaml(source_path)
    target_path = topic / f"{language}.yaml"
    target = load_yaml(target_path) if target_path.is_file() else None
    units, copied = catalog.content_units(source)
    content = Side(source_path, target_path, units, copied, source, target)
    folders = locale_dirs(source_path)
    folders.append(paths.builtin("content") / "locales")
    locale_source = next((d / f"{source_language}.yaml" for d in folders
                          if (d / f"{source_language}.yaml").is_file()), None)
    if locale_source is None:
        raise ContentError(problems=[Problem(None, None, None, "language", "no locale file "
                                             f"{source_language}.yaml was found (looked in "
                                             f"{', '.join(map(str, folders))})")])
    locale_target = next((d / f"{language}.yaml" for d in folders
                          if (d / f"{language}.yaml").is_file()),
                         locale_source.parent / f"{language}.yaml")
    loc_tree = load_yaml(locale_source)
    locale = Side(locale_source, locale_target, catalog.locale_units(loc_tree), [], loc_tree,
                  load_yaml(locale_target) if locale_target.is_file() else None)
    return content, locale


def _header(topic: Path, language: str, content: Side, locale: Side) -> exchange.Header:
    def day(tree: Node | None) -> dt.date:
        try:
            value = tree.value["review"].value["last_reviewed"].value  # type: ignore[union-attr]
            return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
        except (AttributeError, KeyError, TypeError, ValueError):
            return dt.date(2000, 1, 1)

    return exchange.Header(topic.name, language, content.source_path.stem,
                           f"{topic.name}/{content.source_path.name}",
                           f"locales/{locale.source_path.name}", day(content.source),
                           day(content.target or content.source))


def export(topic: str | Path, language: str, fmt: str = "po", new: bool = False) -> bytes:
    """Every unit of *topic* and its locale for *language*, as a PO or XLIFF file: the
    current translation (empty if none), fuzzy where the source changed since.

    With *new*, the language must not have a content file yet (`new_file`)."""
    folder = _topic_folder(topic)
    content, locale = _sides(folder, language)
    if language == content.source_path.stem:
        raise ContentError(problems=[Problem(content.source_path, None, None, "language",
                                             f"{language!r} is the topic's source language; "
                                             "name the language of a translation")])
    if new and content.target is not None:
        raise ContentError(problems=[Problem(content.target_path, None, None, "", "exists "
                                             "already; use 'brochure translate export' for "
                                             "a file with its current translations")])
    if not new and content.target is None:
        raise ContentError(problems=[Problem(content.target_path, None, None, "", "does not "
                                             f"exist yet; start the {language!r} edition "
                                             "with 'brochure translate new'")])
    entries = []
    for side in (content, locale):
        hashes = side.hashes
        for unit in side.units:
            state = side.state(unit, hashes)
            entries.append(exchange.Entry(unit, side.text(unit) or "", state == "fuzzy"))
    return exchange.write(fmt, _header(folder, language, content, locale), entries)


def _topic_folder(topic: str | Path) -> Path:
    folder = resolve_topic(topic)
    return folder.parent if folder.is_file() else folder


# -- import -----------------------------------------------------------------------------

@dataclass
class ImportReport:
    """What an import did, unit by unit, with the line of each in the imported file."""

    file: Path
    lines: list[tuple[str, int | None, str, str]] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    unchanged: int = 0
    untranslated: int = 0

    KINDS = ("added", "changed", "confirmed", "copied", "still fuzzy", "rejected")

    def add(self, kind: str, line: int | None, unit_id: str, why: str = "") -> None:
        self.lines.append((kind, line, unit_id, why))

    def count(self, kind: str) -> int:
        return sum(1 for k, *_ in self.lines if k == kind)

    @property
    def rejected(self) -> int:
        return self.count("rejected")

    def messages(self) -> list[str]:
        out = []
        for kind, line, unit_id, why in self.lines:
            where = f"{self.file}:{line}" if line else str(self.file)
            out.append(f"{where}: {kind} {unit_id}" + (f": {why}" if why else ""))
        return out

    def summary(self) -> str:
        counts = [f"{self.count(k)} {k}" for k in self.KINDS]
        counts += [f"{self.untranslated} untranslated", f"{self.unchanged} unchanged"]
        wrote = (", wrote " + ", ".join(map(str, self.written))) if self.written else \
            ", no file changed"
        hint = ("\nA unit still marked fuzzy (needs-review-translation) is taken in once the "
                "mark is cleared.") if self.count("still fuzzy") else ""
        return ", ".join(counts) + wrote + hint


def refusal(unit: Unit, target: str) -> str | None:
    """Why a translation cannot be taken in, or None: placeholders, numbers and phone
    numbers must be the source's, and the text must fit the field."""
    want = unit.placeholders
    got = list(dict.fromkeys(catalog.PLACEHOLDER.findall(target)))
    if sorted(want) != sorted(got):
        return (f"the placeholders differ from the source's (source: {' '.join(want) or 'none'}"
                f"; translation: {' '.join(got) or 'none'}); keep them exactly as written")
    if catalog.phones(unit.source) != catalog.phones(target):
        return ("the phone numbers differ from the source's (source: "
                f"{', '.join(sorted(catalog.phones(unit.source))) or 'none'}; translation: "
                f"{', '.join(sorted(catalog.phones(target))) or 'none'})")
    if catalog.numbers(unit.source) != catalog.numbers(target):
        return ("the numbers differ from the source's (source: "
                f"{', '.join(sorted(catalog.numbers(unit.source))) or 'none'}; translation: "
                f"{', '.join(sorted(catalog.numbers(target))) or 'none'})")
    if len(target) > unit.max_len:
        return f"is {len(target):,} characters long; at most {unit.max_len:,} fit"
    return None


def _skeleton(units: set[str]):  # type: ignore[no-untyped-def]
    """The empty shape of a source subtree: units as "", other fields copied."""

    def make(node: Node | None, path: str) -> Any:
        if node is None:
            return yamledit.CommentedMap()
        if isinstance(node.value, dict):
            out = yamledit.CommentedMap()
            for key, child in node.value.items():
                out[key] = make(child, f"{path}.{key}" if path else key)
            return out
        if isinstance(node.value, list):
            return yamledit.seq([make(c, f"{path}[{i}]") for i, c in enumerate(node.value)])
        if path in units:
            return yamledit.quoted("")
        return yamledit.quoted(node.value) if isinstance(node.value, str) else node.value

    return make


def _new_content(side: Side, language: str, day: dt.date, origin: str
                 ) -> yamledit.Document:
    make = _skeleton({u.path for u in side.units})
    data = yamledit.CommentedMap()
    for key, child in side.source.value.items():
        if key in ("sign_off", "labels", "translation"):
            continue
        if key == "language":
            data[key] = language
        elif key == "review":
            data[key] = yamledit.CommentedMap([
                ("status", "draft"), ("last_reviewed", day),
                ("note", yamledit.quoted(f"Translation imported from {origin}; not yet "
                                         "checked by a qualified reviewer."))])
            data["translation"] = yamledit.CommentedMap([
                ("source", side.source_path.stem),
                ("source_hashes", yamledit.CommentedMap())])
        elif key == "keywords":
            data[key] = yamledit.seq(list(child.plain()), flow=True)
        else:
            data[key] = make(child, key)
    return yamledit.Document.new(side.target_path, data)


def _new_locale(side: Side, language: str) -> yamledit.Document:
    data = yamledit.CommentedMap([("language", language), ("direction", "ltr"),
                                  ("draft", True)])
    data["translation"] = yamledit.CommentedMap([
        ("source", side.source_path.stem), ("source_hashes", yamledit.CommentedMap())])
    for part in ("labels", "evidence_levels"):
        data[part] = yamledit.CommentedMap(
            (u.path.split(".", 1)[1], yamledit.quoted("")) for u in side.units
            if u.path.startswith(part + "."))
    return yamledit.Document.new(side.target_path, data)


def _right_to_left(texts: list[str]) -> bool:
    strong = [unicodedata.bidirectional(c) for t in texts for c in t]
    rtl = sum(1 for b in strong if b in ("R", "AL"))
    return rtl > sum(1 for b in strong if b == "L")


class _Target:
    """A translation file being merged into: its document and fingerprints."""

    def __init__(self, side: Side, doc: yamledit.Document) -> None:
        self.side, self.doc = side, doc
        translation = doc.mapping("translation")
        if "source" not in translation:
            translation.insert(0, "source", side.source_path.stem)
        self.hashes = doc.mapping("translation", "source_hashes")
        self.make = _skeleton({u.path for u in side.units})

    def put(self, path: str, text: str, source_text: str) -> None:
        self.doc.set(path, text, self.side.source, self.make)
        self.stamp(path, source_text)

    def stamp(self, path: str, source_text: str) -> None:
        key = yamledit.quoted(path)
        value = yamledit.quoted(fingerprint(source_text))
        if self.hashes.get(path) != value:
            self.hashes[key] = value


def import_file(file: Path, topic: Path | None = None, day: dt.date | None = None
                ) -> ImportReport:
    """Merge a translator's PO or XLIFF file into the topic's YAML files.

    Translated units are taken in and their fingerprints re-stamped with the source
    text the translator saw; a unit still marked fuzzy is not taken in; an empty one
    never erases a translation; a unit whose placeholders, numbers or phone numbers
    differ from its source's is refused. Files are written only if something changed.
    """
    header, incoming = exchange.read(file)
    language = header["language"]
    if not language:
        raise ContentError(problems=[Problem(file, 1, None, "Language", "the header names "
                                             "no language; it must say which edition this "
                                             "translates, e.g. 'Language: es'")])
    folder = topic if topic is not None else _topic_from_header(file, header)
    folder = folder.parent if folder.is_file() else folder
    content, locale = _sides(folder, language, header["source_language"] or SOURCE_LANGUAGE)
    report = ImportReport(file)
    targets: dict[int, _Target] = {}

    def target_of(side: Side) -> _Target:
        if id(side) not in targets:
            if side.target is not None:
                doc = yamledit.Document.load(side.target_path)
            elif side is content:
                doc = _new_content(side, language, day or dt.date.today(), file.name)
            else:
                doc = _new_locale(side, language)
            targets[id(side)] = _Target(side, doc)
        return targets[id(side)]

    by_id = {u.id: (u, side) for side in (content, locale) for u in side.units}
    seen: set[str] = set()
    for item in incoming:
        if item.id in seen:
            report.add("rejected", item.line, item.id, "appears twice in this file")
            continue
        seen.add(item.id)
        if item.id not in by_id:
            report.add("rejected", item.line, item.id or "(no context)", "is not a field "
                       f"of the source {content.source_path.name} or its locale any more")
            continue
        unit, side = by_id[item.id]
        text = item.target.strip()
        if not text:
            report.untranslated += 1
            continue
        if item.fuzzy:
            report.add("still fuzzy", item.line, unit.id, "not taken in")
            continue
        why = refusal(unit, text)
        if why:
            report.add("rejected", item.line, unit.id, why)
            continue
        current = side.text(unit)
        state = side.state(unit, side.hashes)
        if unicodedata.normalize("NFC", item.source) != unicodedata.normalize("NFC",
                                                                              unit.source):
            if state == "translated":
                report.add("rejected", item.line, unit.id, "was translated from an earlier "
                           "source text, and the file already holds a translation of the "
                           "current one; export again")
                continue
            target_of(side).put(unit.path, text, item.source)
            report.add("still fuzzy", item.line, unit.id, "taken in, but the source text "
                       "changed after this file was exported; export again to review it")
            continue
        if current is None:
            target_of(side).put(unit.path, text, unit.source)
            report.add("added", item.line, unit.id)
        elif current != text:
            target_of(side).put(unit.path, text, unit.source)
            report.add("changed", item.line, unit.id)
        elif state == "fuzzy":
            target_of(side).stamp(unit.path, unit.source)
            report.add("confirmed", item.line, unit.id, "the translation stands for the "
                       "changed source")
        else:
            report.unchanged += 1
    if id(content) in targets or content.target is not None:
        _copy_fields(target_of(content), report)
    for side in (content, locale):
        target = targets.get(id(side))
        if target is None:
            continue
        if side is locale and side.target is None:
            texts = [str(v) for v in target.doc.data["labels"].values() if v]
            target.doc.data["direction"] = "rtl" if _right_to_left(texts) else "ltr"
        if target.doc.save():
            report.written.append(side.target_path)
    return report


def _copy_fields(target: _Target, report: ImportReport) -> None:
    """Fields that are not words (ids, positions, evidence levels, web addresses) are
    the source's: set them where the translation differs, and stamp them."""
    side, doc = target.side, target.doc
    for path in side.copied:
        node = side.source
        for key in yamledit.split_path(path):
            node = node.value[key]
        value = node.value
        if doc.get(path) != value:
            target.put(path, str(value), str(value))
            report.add("copied", None, path, f"set to the source's {value!r}")
        elif target.hashes.get(path) != fingerprint(str(value)):
            target.stamp(path, str(value))


def _topic_from_header(file: Path, header: dict[str, str]) -> Path:
    name = header.get("topic")
    if not name:
        raise ContentError(problems=[Problem(file, 1, None, "", "does not say which topic "
                                             "it translates; give the topic folder with "
                                             "--topic")])
    return resolve_topic(name)


def stamp_locale(locale_file: Path, source_language: str = SOURCE_LANGUAGE) -> int:
    """Record that a translated locale file's labels are up to date with the source
    locale's (the migration for locale files, which had no fingerprints); returns the
    number of labels stamped."""
    source_path = locale_file.parent / f"{source_language}.yaml"
    if not source_path.is_file():
        source_path = paths.builtin("content") / "locales" / f"{source_language}.yaml"
    tree = load_yaml(source_path)
    target = load_yaml(locale_file)
    side = Side(source_path, locale_file, catalog.locale_units(tree), [], tree, target)
    if locale_file.resolve() == source_path.resolve():
        raise ContentError(problems=[Problem(locale_file, None, None, "", "is the source "
                                             "locale; only translated locales are stamped")])
    doc = _Target(side, yamledit.Document.load(locale_file))
    count = 0
    for unit in side.units:
        if side.text(unit) is not None:
            doc.stamp(unit.path, unit.source)
            count += 1
    doc.doc.save()
    return count


# -- status -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Count:
    topic: str
    language: str
    units: int
    translated: int
    fuzzy: int
    missing: int
    words: dict[str, int]  # source words per state


def status(topic: str | Path | None = None) -> list[Count]:
    """Per topic and translated language: translated, fuzzy and missing units."""
    folders = [_topic_folder(topic)] if topic is not None else list(find_topics().values())
    out = []
    for folder in folders:
        for language in languages_of(folder):
            if language == SOURCE_LANGUAGE:
                continue
            content, locale = _sides(folder, language)
            tally = {"translated": 0, "fuzzy": 0, "missing": 0}
            words = dict.fromkeys(tally, 0)
            for side in (content, locale):
                hashes = side.hashes
                for unit in side.units:
                    state = side.state(unit, hashes)
                    tally[state] += 1
                    words[state] += len(unit.source.split())
            out.append(Count(folder.name, language, sum(tally.values()), tally["translated"],
                             tally["fuzzy"], tally["missing"], words))
    return out


def format_status(counts: list[Count]) -> str:
    def cell(n: int, total: int, words: int) -> str:
        return f"{n} ({100 * n / total if total else 0:.0f}%, {words} words)"

    rows = [("topic", "lang", "units", "translated", "fuzzy", "missing")]
    for c in counts:
        rows.append((c.topic, c.language, str(c.units),
                     cell(c.translated, c.units, c.words["translated"]),
                     cell(c.fuzzy, c.units, c.words["fuzzy"]),
                     cell(c.missing, c.units, c.words["missing"])))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip()
                     for r in rows)


# -- review sign-off --------------------------------------------------------------------

def parse_reviewer(by: str) -> tuple[str, str]:
    name, _, credential = by.partition(",")
    if not name.strip() or not credential.strip():
        raise UsageError(f"--by {by!r}: give the reviewer's name and credential, e.g. "
                         "--by \"Ana Pérez, MD\"")
    return name.strip(), credential.strip()


def approve(content_file: Path, by: str, day: dt.date | None = None) -> dict[str, str]:
    """Record that *by* ("Name, credential") reviewed *content_file* as it is now; its
    edition is reviewed until any string it depends on changes. Refused while the
    translation or its locale labels have fields not brought up to date with the source.
    Returns the record's digests."""
    reviewer, credential = parse_reviewer(by)
    day = day or dt.date.today()
    builtin = [paths.builtin("content") / "locales"]
    content = load_content(content_file, builtin)
    tree, locale_tree = content.trees[0], content.trees[1]
    source = source_locale = None
    if content.translation is not None:
        errors, stale = translation_check(content_file, tree, content.translation.source)
        folder = content_file.parent
        _, locale = _sides(folder, content.language, content.translation.source)
        hashes = locale.hashes
        stale += [Problem(locale.target_path, None, None, u.path, "is not confirmed against "
                          "the source label (it changed since, or no fingerprint was ever "
                          "recorded)") for u in locale.units
                  if locale.state(u, hashes) != "translated"]
        if errors or stale:
            raise ContentError(problems=errors + stale + [Problem(
                content_file, None, None, "review", "cannot be approved while the "
                "translation is not up to date with its source: import the translator's "
                "file (or run 'brochure stamp') first")])
        source = load_yaml(content_file.parent / f"{content.translation.source}.yaml")
        source_locale = load_locale(content.translation.source,
                                    locale_dirs(content_file, builtin))["_tree"]
    now = review.digests(tree, locale_tree, source, source_locale)
    doc = yamledit.Document.load(content_file)
    entry = yamledit.CommentedMap()
    for key, value in review.record(reviewer, credential, day, now).items():
        entry[key] = value if isinstance(value, dt.date) else yamledit.quoted(value)
    records = doc.data.get("sign_off")
    if not isinstance(records, list):
        doc.data["sign_off"] = records = yamledit.seq([])
    records.append(entry)
    block = doc.mapping("review")
    block["status"] = "reviewed"
    block["last_reviewed"] = day
    doc.save()
    load_content(content_file, builtin)  # the record must hold, or the file is wrong: say so now
    return now
