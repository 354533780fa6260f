"""The units a translator translates: every string of a topic's source edition and of
its locale's labels, each with its field path, what it is for and its limits.

In: the YAML trees of a source content file and of a locale file. Out: `Unit`s in file
order. The purpose of each unit comes from the schema's own field descriptions, so the
note a translator reads and the check the loader makes are the same object. Fields
that are not words (ids, positions, evidence levels, web addresses) are not units: a
translation copies them from its source (`copied`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .content import CONTENT_FIELDS, LABELS, LOCALE, Record
from .schema import Choice, Field, ListOf, MapOf, OneOf, Spec, Str
from .yamlsource import Node

LOCALE_PREFIX = "locale:"  # unit ids of locale labels, e.g. "locale:labels.page_of"

# Top-level fields of a content file that are not part of a translation's text.
NOT_TRANSLATED = {"language", "review", "translation", "keywords", "labels", "sign_off"}

PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
# A phone number: at least seven digits in groups joined by hyphens, dots or spaces.
PHONE = re.compile(r"\+?\d[\d().\- ]{5,}\d")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")

_TABLE_CELL = re.compile(r"^(benefits\.rows|side_effects\.(common|serious)|"
                         r"safety\.interactions)\[\d+\]\.")
_HEADING = re.compile(r"(^title|\.heading|\.term|\.name)(\.(plain|clinical))?$")


@dataclass(frozen=True)
class Unit:
    """One translatable string."""

    id: str  # the field path, with LOCALE_PREFIX for locale labels
    path: str  # the field path inside its file
    source: str
    line: int  # line of the source text in its file
    note: str  # purpose and limits, for the translator
    max_len: int

    @property
    def in_locale(self) -> bool:
        return self.id.startswith(LOCALE_PREFIX)

    @property
    def placeholders(self) -> list[str]:
        return list(dict.fromkeys(PLACEHOLDER.findall(self.source)))


def digits(text: str) -> str:
    """*text* with every decimal digit (Thai, Arabic-Indic, ...) written 0-9."""
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)


def numbers(text: str) -> set[str]:
    """The numbers of a text, separators dropped (1,000 and 1.000 are one number)."""
    return {re.sub(r"[.,]", "", n) for n in NUMBER.findall(digits(text))}


def phones(text: str) -> set[str]:
    return {m.strip() for m in PHONE.findall(digits(text)) if sum(c.isdigit() for c in m) >= 7}


def _limits(path: str, text: str, max_len: int, key: str) -> list[str]:
    out = []
    if key == "phone":
        out.append("phone number: do not change it")
    elif _TABLE_CELL.match(path):
        out.append("table cell: keep it short, the column is narrow")
    elif _HEADING.search(path):
        out.append("heading: keep it short")
    holders = sorted(set(PLACEHOLDER.findall(text)))
    if holders:
        out.append(f"keep {', '.join(holders)} exactly as written: the handout fills them in")
    nums = sorted(numbers(text) - {"".join(c for c in p if c.isdigit()) for p in phones(text)})
    if phones(text) and key != "phone":
        out.append("keep the phone numbers exactly as written: " + ", ".join(sorted(phones(text))))
    if nums and key != "phone":
        out.append("keep the numbers as they are: " + ", ".join(nums))
    out.append(f"at most {max_len:,} characters")
    return out


def _is_unit(spec: Spec, key: str) -> bool:
    """Words to translate: free text. Patterned text (ids, language codes, addresses),
    closed choices and web addresses are copied from the source instead."""
    return isinstance(spec, Str) and spec.pattern is None and key != "url"


def _walk(spec: Spec, node: Node, path: str, docs: list[str], out: list[Unit],
          copied: list[str], prefix: str, skip: set[str] = frozenset()) -> None:  # type: ignore[assignment]
    if isinstance(spec, OneOf):
        for fits, option in spec.options:
            if fits(node.value):
                _walk(option, node, path, docs, out, copied, prefix)
                return
        return
    if isinstance(spec, Record) and isinstance(node.value, dict):
        for key, child in node.value.items():
            field: Field | None = spec.fields.get(key)
            if field is None or (not path and key in skip):
                continue
            _walk(field.spec, child, f"{path}.{key}" if path else key, docs + [field.doc],
                  out, copied, prefix)
    elif isinstance(spec, ListOf) and isinstance(node.value, list):
        for i, child in enumerate(node.value):
            _walk(spec.item, child, f"{path}[{i}]", docs, out, copied, prefix)
    elif isinstance(spec, MapOf) and isinstance(node.value, dict):
        for key, child in node.value.items():
            _walk(spec.value, child, f"{path}.{key}", docs + [_map_doc(path, key)], out,
                  copied, prefix)
    elif isinstance(node.value, str | int | float) and not isinstance(node.value, bool):
        key = re.sub(r"\[\d+\]$", "", path).rpartition(".")[2]
        text = str(node.value)
        if not _is_unit(spec, key) or isinstance(spec, Choice) or not text.strip():
            copied.append(path)
            return
        max_len = spec.max_len if isinstance(spec, Str) else 300
        note = _note(docs) + "\n" + "; ".join(_limits(path, text, max_len, key))
        out.append(Unit(prefix + path, path, text, node.line, note, max_len))


def _map_doc(path: str, key: str) -> str:
    if path == "labels":
        return LABELS.get(key, "a label")
    if path == "evidence_levels":
        return f"how the evidence level {key!r} is printed (benefits table cell)"
    return key


def _note(docs: list[str]) -> str:
    """The field's own description first, then where it sits."""
    if not docs:
        return ""
    wording = {"everyday words for general readers": "plain wording for general readers",
               "clinical wording for clinicians": "clinical wording for clinicians"}
    own = [d for d in docs if d not in wording]
    text = own[-1] if own else ""
    where = [d for d in own[:-1]]
    if where:
        text += " (in: " + " › ".join(where) + ")"
    mode = [wording[d] for d in docs if d in wording]
    if mode:
        text += " — " + mode[-1]
    return text


_CONTENT = Record("content file", CONTENT_FIELDS)


def content_units(source: Node) -> tuple[list[Unit], list[str]]:
    """(units, copied field paths) of a source content file."""
    units: list[Unit] = []
    copied: list[str] = []
    _walk(_CONTENT, source, "", [], units, copied, "", NOT_TRANSLATED)
    return units, copied


def locale_units(source_locale: Node) -> list[Unit]:
    """The units of a source locale file: its labels and evidence level names."""
    units: list[Unit] = []
    _walk(LOCALE, source_locale, "", [], units, [], LOCALE_PREFIX, {"translation"})
    return [u for u in units if u.path.startswith(("labels.", "evidence_levels."))]
