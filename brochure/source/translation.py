"""Translations: are they complete, and are they up to date with their source?

A translated content file names its source edition (``translation: {source: en}``) and
records, for every source string it translates, a fingerprint of that string as it was
when translated (``source_hashes``: key path → first 12 hex digits of SHA-256 of the
text). `stamp` writes those fingerprints after a translator has brought the file up to
date.

- Completeness: a field present in the source but not in the translation, or present in
  the translation but not in the source, is an error naming the field.
- Dose numbers: the numbers of ``how_to_use.doses`` (amount, unit, every_hours,
  max_per_day) are data, not wording: a translation whose value differs from its source's
  is an error naming both files and lines.
- Staleness: a source string whose fingerprint differs from the recorded one has changed
  since it was translated: a warning by default, an error with ``--strict``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

from ..errors import ContentError, Problem
from .yamlsource import Node, load_yaml

# Fields that differ between editions on purpose.
UNTRANSLATED = {"translation", "language", "review", "keywords", "labels", "sign_off"}
# A passage's language mark (`lang`, at any depth) differs too: an English title is
# marked in the Spanish edition, not in the English one.
LANGUAGE_MARK = "lang"


def fingerprint(text: str) -> str:
    return hashlib.sha256(unicodedata.normalize("NFC", text).encode("utf-8")).hexdigest()[:12]


def source_file(translation_file: Path, source_language: str) -> Path:
    return translation_file.parent / f"{source_language}.yaml"


def _leaves(node: Node, path: str = "") -> dict[str, Node]:
    """Every string (or other scalar) of a content tree by key path."""
    out: dict[str, Node] = {}
    if isinstance(node.value, dict):
        for key, child in node.value.items():
            if (not path and key in UNTRANSLATED) or key == LANGUAGE_MARK:
                continue
            out.update(_leaves(child, f"{path}.{key}" if path else key))
    elif isinstance(node.value, list):
        for i, child in enumerate(node.value):
            out.update(_leaves(child, f"{path}[{i}]"))
    else:
        out[path] = node
    return out


def completeness_problems(source: Node, translated: Node) -> list[Problem]:
    """Fields the translation lacks or has extra, compared with its source."""
    src, dst = _leaves(source), _leaves(translated)
    problems = []
    for path in src.keys() - dst.keys():
        problems.append(Problem(translated.file, translated.line, translated.column, path,
                                f"is in the source {source.file} (line {src[path].line}) but "
                                "missing from this translation"))
    for path in dst.keys() - src.keys():
        node = dst[path]
        problems.append(Problem(node.file, node.line, node.column, path,
                                f"is not in the source {source.file}; remove it or add it "
                                "to the source first"))
    return sorted(problems, key=lambda p: (p.line or 0, p.field))


DOSE_DATA = ("amount", "unit", "every_hours", "max_per_day")


def _doses(tree: Node) -> list[Node]:
    how = tree.value.get("how_to_use") if isinstance(tree.value, dict) else None
    doses = how.value.get("doses") if how is not None and isinstance(how.value, dict) else None
    if doses is None or not isinstance(doses.value, list):
        return []
    return [d for d in doses.value if isinstance(d.value, dict)]


def dose_number_problems(source: Node, translated: Node) -> list[Problem]:
    """Dose numbers (and units) of the translation that differ from the source's."""
    problems = []
    for i, (src, dst) in enumerate(zip(_doses(source), _doses(translated), strict=False)):
        for key in DOSE_DATA:
            a, b = src.value.get(key), dst.value.get(key)
            if a is None or b is None or a.value == b.value:
                continue  # a missing value is a completeness problem
            problems.append(Problem(
                b.file, b.line, b.column, f"how_to_use.doses[{i}].{key}",
                f"is {b.value!r}, but the source ({a.file}:{a.line}) has {a.value!r}; dose "
                "numbers and units are copied from the source unchanged"))
    return problems


def stale_fields(source: Node, translated: Node) -> list[Problem]:
    """Source strings that changed since the translation recorded them."""
    record = translated.value.get("translation")
    hashes_node = record.value.get("source_hashes") if record and isinstance(
        record.value, dict) else None
    hashes = hashes_node.plain() if hashes_node else {}
    src = _leaves(source)
    if not hashes:
        where = record or translated
        return [Problem(translated.file, where.line, where.column, "translation.source_hashes",
                        "records no fingerprints of the source, so changes to the source "
                        "cannot be noticed; run 'brochure stamp' once the translation is "
                        "up to date")]
    problems = []
    for path, node in src.items():
        if isinstance(node.value, str) and hashes.get(path) != fingerprint(node.value):
            problems.append(Problem(translated.file, None, None, path,
                                    f"is stale: the source text ({source.file}:{node.line}) "
                                    "changed after this translation was made"))
    return problems


def check(translation_file: Path, tree: Node, source_language: str
          ) -> tuple[list[Problem], list[Problem]]:
    """(errors, warnings) of a translated content file against its source."""
    source_path = source_file(translation_file, source_language)
    if not source_path.is_file():
        return [Problem(translation_file, None, None, "translation.source",
                        f"names {source_language!r}, but {source_path} does not exist")], []
    source = load_yaml(source_path)
    errors = completeness_problems(source, tree) + dose_number_problems(source, tree)
    return errors, stale_fields(source, tree)


_BLOCK = re.compile(r"^translation:[^\n]*\n(?:(?:[ \t]+[^\n]*|[ \t]*)\n)*", re.MULTILINE)


def stamp(translation_file: Path) -> int:
    """Record the current source fingerprints in *translation_file*; return their count.

    Only the top-level ``translation:`` block is rewritten; the rest of the file, with its
    comments, stays as it is.
    """
    tree = load_yaml(translation_file)
    record = tree.value.get("translation")
    if record is None or not isinstance(record.value, dict) or "source" not in record.value:
        raise ContentError(problems=[Problem(translation_file, None, None, "translation",
                                             "is missing; add 'translation: {source: en}' "
                                             "naming the source language first")])
    source_language = str(record.value["source"].value)
    source = load_yaml(source_file(translation_file, source_language))
    leaves = {p: n for p, n in _leaves(source).items() if isinstance(n.value, str)}
    lines = ["translation:", f"  source: {source_language}", "  source_hashes:"]
    lines += [f'    "{path}": "{fingerprint(node.value)}"' for path, node in leaves.items()]
    block = "\n".join(lines) + "\n"
    text = translation_file.read_text("utf-8")
    match = _BLOCK.search(text)
    if match is None:
        raise ContentError(problems=[Problem(translation_file, record.line, record.column,
                                             "translation", "must be written as a block "
                                             "('translation:' then indented lines)")])
    trailing_blank = "\n" if match.group(0).endswith("\n\n") else ""
    translation_file.write_text(text[:match.start()] + block + trailing_blank
                                + text[match.end():], "utf-8")
    return len(leaves)
