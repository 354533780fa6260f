"""A request's choices, checked: form fields in, a `Choice` (or every problem) out.

Every field must name one of the `Catalogue`'s choices; a value that looks like a path
is refused before anything is looked up, so no request value ever reaches the
filesystem. The name and note are personal data: they are checked (length, non-empty)
but never echoed in a message.

Each problem names the form field it concerns, so the page can show it beside that field,
and is an English message id with its values apart, so the page can say it in the
counselor's language (`N_` only marks it for the catalogues).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ..source.model import Personal
from .catalogue import Catalogue, Topic
from .i18n import N_

NO_CLINIC = "none"
_PATHLIKE = re.compile(r"[/\\\x00]|\.\.|^~|^[A-Za-z]:")


@dataclass(frozen=True)
class FieldProblem:
    """One problem of a request: the field it concerns, a message id and its values."""

    field: str  # a form field ("name", "lang"), or "form" for the request as a whole
    message: str  # English, with %(name)s placeholders
    values: tuple[tuple[str, str | int], ...] = ()

    def text(self, gettext: Callable[[str], str] | None = None) -> str:
        """The message in the language of *gettext* (English without one)."""
        template = gettext(self.message) if gettext else self.message
        return template % dict(self.values) if self.values else template

    def __str__(self) -> str:
        return self.text()


class ChoiceError(ValueError):
    """A request that cannot be built; ``problems`` say why, each for its field."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
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
    grayscale: bool = False  # for a black-and-white printer
    qr: str | None = None  # the address a QR code on the handout links to
    also: str | None = None  # a second language: one bilingual handout (es+en)

    @property
    def personal(self) -> bool:
        return bool(self.name or self.note)

    @property
    def key(self) -> tuple[str, str, str, str | None, str | None, bool, str | None]:
        """What identifies the unpersonalised edition (a cache key: no personal data)."""
        return (self.topic.name, self.languages, self.layout, self.clinic, self.paper,
                self.grayscale, self.qr)

    @property
    def languages(self) -> str:
        """The edition's language, or both as in file names (``es+en``)."""
        return f"{self.lang}+{self.also}" if self.also else self.lang

    @property
    def file_name(self) -> str:
        """The download's file name: the edition, never the person."""
        parts = [self.topic.name, self.languages, self.layout, self.clinic or "", self.paper or "",
                 "gray" if self.grayscale else "", "qr" if self.qr else ""]
        return "-".join(p for p in parts if p) + ".pdf"


def _one(form: Mapping[str, str], field: str, allowed: Mapping[str, object], default: str,
         problems: list[FieldProblem]) -> str | None:
    value = form.get(field, default)
    if value is None or value == "":
        value = default
    choices = ", ".join(k or "default" for k in allowed)
    if _PATHLIKE.search(value):
        problems.append(FieldProblem(field, N_("A path is not accepted here; choose one of: "
                                               "%(choices)s."), (("choices", choices),)))
        return None
    if value not in allowed:
        problems.append(FieldProblem(field, N_("Unknown choice %(value)s; choose one of: "
                                               "%(choices)s."),
                                     (("value", repr(value)), ("choices", choices))))
        return None
    return value


def _text(form: Mapping[str, str], field: str) -> str | None:
    value = form.get(field) or ""
    value = " ".join(value.split()) if field == "name" else value.strip()
    return value or None


def _length(field: str, text: str | None, limit: int, problems: list[FieldProblem]) -> None:
    if text and len(text) > limit:
        problems.append(FieldProblem(field, N_("%(used)s characters: at most %(limit)s fit."),
                                     (("used", len(text)), ("limit", limit))))


def qr_address(topic_url: str | None, website: str | None) -> str | None:
    """Where the handout's QR code links: the topic's own address, else the clinic's
    website (``www.example.org`` gets its ``https://``)."""
    address = topic_url or website
    if address and "://" not in address:
        address = "https://" + address
    return address


def parse_choice(form: Mapping[str, str], catalogue: Catalogue,
                 personal: bool = True) -> Choice:
    """Check *form* (request fields) against *catalogue* and return the `Choice`.

    Missing fields take the page's defaults. With *personal* False, ``name`` and
    ``note`` are ignored. Raises `ChoiceError` with every problem at once.
    """
    problems: list[FieldProblem] = []
    first_topic = next(iter(catalogue.topics))
    topic_name = _one(form, "topic", catalogue.topics, first_topic, problems)
    topic = catalogue.topics[topic_name] if topic_name else None
    lang = None
    if topic is not None:
        default_lang = "en" if "en" in topic.languages else next(iter(topic.languages))
        lang = _one(form, "lang", topic.languages, default_lang, problems)
    layout = _one(form, "layout", catalogue.layouts, catalogue.default_layout, problems)
    also = None
    if topic is not None:
        also = _one(form, "also", {"": None, **topic.languages}, "", problems) or None
    if also and also == lang:
        problems.append(FieldProblem("also", N_("Choose a second language other than the "
                                                "first, or no second language.")))
    elif also and layout and not catalogue.layouts[layout].bilingual:
        problems.append(FieldProblem("also", N_("This layout prints one language only; "
                                                "choose General or Clinic for a handout "
                                                "in two languages.")))
    clinics = {NO_CLINIC: None, **catalogue.clinics}
    default_clinic = next(iter(catalogue.clinics), NO_CLINIC)
    clinic = _one(form, "clinic", clinics, default_clinic, problems)
    paper = _one(form, "paper", catalogue.papers, "", problems)
    name = note = None
    if personal:
        name, note = _text(form, "name"), _text(form, "note")
        _length("name", name, Personal.MAX_NAME, problems)
        _length("note", note, Personal.MAX_NOTE, problems)
    qr = None
    if form.get("qr") and topic is not None and lang is not None:
        website = catalogue.clinics[clinic].website if clinic in catalogue.clinics else None
        qr = qr_address(topic.languages[lang].url, website)
        if qr is None:
            problems.append(FieldProblem("qr", N_("There is no web address to link to: "
                                                  "choose a clinic with a website.")))
    if problems:
        raise ChoiceError(problems)
    assert topic is not None and lang is not None and layout is not None
    return Choice(topic, lang, layout, None if clinic == NO_CLINIC else clinic,
                  paper or None, name, note, grayscale=bool(form.get("grayscale")), qr=qr,
                  also=also)
