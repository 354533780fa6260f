"""A request's choices, checked: form fields in, a `Choice` (or every problem) out.

Every field must name one of the `Catalogue`'s choices; a value that looks like a path
is refused before anything is looked up, so no request value ever reaches the
filesystem. The name and note are personal data: they are checked (length, non-empty)
but never echoed in a message.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ..source.model import Personal
from .catalogue import Catalogue, Topic

NO_CLINIC = "none"
_PATHLIKE = re.compile(r"[/\\\x00]|\.\.|^~|^[A-Za-z]:")


class ChoiceError(ValueError):
    """A request that cannot be built; ``problems`` are messages for the person."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Choice:
    """One edition to build, and the personal line to print on it (if any)."""

    topic: Topic
    lang: str
    layout: str
    clinic: str | None  # a clinic slug, or None
    paper: str | None  # "letter", "a4" or None for the layout's own
    name: str | None = None
    note: str | None = None

    @property
    def personal(self) -> bool:
        return bool(self.name or self.note)

    @property
    def key(self) -> tuple[str, str, str, str | None, str | None]:
        """What identifies the unpersonalised edition (a cache key: no personal data)."""
        return (self.topic.name, self.lang, self.layout, self.clinic, self.paper)

    @property
    def file_name(self) -> str:
        """The download's file name: the edition, never the person."""
        parts = [self.topic.name, self.lang, self.layout, self.clinic or "", self.paper or ""]
        return "-".join(p for p in parts if p) + ".pdf"


def _one(form: Mapping[str, str], field: str, allowed: Mapping[str, object], default: str,
         what: str, problems: list[str]) -> str | None:
    value = form.get(field, default)
    if value is None or value == "":
        value = default
    if _PATHLIKE.search(value):
        problems.append(f"{what}: a path is not accepted here; choose one of: "
                        + ", ".join(k or "default" for k in allowed))
        return None
    if value not in allowed:
        problems.append(f"{what}: unknown {what} {value!r}; choose one of: "
                        + ", ".join(k or "default" for k in allowed))
        return None
    return value


def _text(form: Mapping[str, str], field: str) -> str | None:
    value = form.get(field) or ""
    value = " ".join(value.split()) if field == "name" else value.strip()
    return value or None


def parse_choice(form: Mapping[str, str], catalogue: Catalogue,
                 personal: bool = True) -> Choice:
    """Check *form* (request fields) against *catalogue* and return the `Choice`.

    Missing fields take the page's defaults. With *personal* False, ``name`` and
    ``note`` are ignored. Raises `ChoiceError` with every problem at once.
    """
    problems: list[str] = []
    first_topic = next(iter(catalogue.topics))
    topic_name = _one(form, "topic", catalogue.topics, first_topic, "topic", problems)
    topic = catalogue.topics[topic_name] if topic_name else None
    lang = None
    if topic is not None:
        default_lang = "en" if "en" in topic.languages else next(iter(topic.languages))
        lang = _one(form, "lang", topic.languages, default_lang, "language", problems)
    layout = _one(form, "layout", catalogue.layouts, catalogue.default_layout, "layout",
                  problems)
    clinics = {NO_CLINIC: None, **catalogue.clinics}
    default_clinic = next(iter(catalogue.clinics), NO_CLINIC)
    clinic = _one(form, "clinic", clinics, default_clinic, "clinic", problems)
    paper = _one(form, "paper", catalogue.papers, "", "paper", problems)
    name = note = None
    if personal:
        name, note = _text(form, "name"), _text(form, "note")
        problems += Personal(name, note).problems()
    if problems:
        raise ChoiceError(problems)
    assert topic is not None and lang is not None and layout is not None
    return Choice(topic, lang, layout, None if clinic == NO_CLINIC else clinic,
                  paper or None, name, note)
