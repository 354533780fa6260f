"""What the counselor page offers: topics, languages, layouts, clinic profiles, papers.

In: a content folder (or the default content roots) and the clinic files given at start.
Out: a `Catalogue`, read once when the server starts, whose choices are plain names. A
request only ever picks from these names; the paths stay here, so nothing a browser sends
becomes a path.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import paths
from ..errors import BrochureError, ContentError, Problem
from ..source import layouts
from ..source.clinics import load_clinic
from ..source.content import load_content, topic_file
from ..source.topics import content_roots, find_topics, languages_of
from .i18n import N_

PAPERS = {"": N_("The layout's own"), "letter": N_("US Letter"), "a4": N_("A4")}
# The built-in layouts' names and descriptions, for the catalogues (a test holds them to
# the layout files); another layout is shown in its file's words.
LAYOUT_WORDS = (
    N_("Clinic"), N_("Clinics and clinicians: dense two-page handout, clinical wording, "
                     "mechanism and evidence columns, clinic header, notes box"),
    N_("General"), N_("Patients and the public: large type, plain words, high contrast, "
                      "urgent facts first"),
    N_("Large print"), N_("Readers with low vision: 18 pt body, one column, black on white, "
                          "no text over tints"),
    N_("Trifold"), N_("Tri-fold brochure for general readers: one landscape sheet, two "
                      "sides, six panels in roll-fold order"),
)


@dataclass(frozen=True)
class Language:
    """One edition language of a topic, as the page shows it."""

    code: str  # "es"
    name: str  # in its own language: "Español"
    direction: str  # "ltr" or "rtl"
    title: str  # the topic's title in this language (plain wording)
    url: str | None = None  # the topic's web address, for a QR code
    review: str = "draft"  # "draft" or "reviewed"
    last_reviewed: dt.date | None = None
    review_note: str | None = None  # in the edition's language


@dataclass(frozen=True)
class Topic:
    name: str  # folder name, e.g. "kratom"
    folder: Path
    languages: dict[str, Language]  # by code, source language first

    @property
    def title(self) -> Language:
        """The title to list the topic by: its first (source) language's."""
        return next(iter(self.languages.values()))


@dataclass(frozen=True)
class LayoutChoice:
    name: str  # "general", "large-print"
    label: str  # "General", "Large print"
    description: str
    bilingual: bool = False  # makes handouts in two languages


@dataclass(frozen=True)
class ClinicChoice:
    slug: str  # from the file name, e.g. "example"; what a request names
    name: str  # the clinic's own name
    file: Path
    website: str | None = None


@dataclass
class Catalogue:
    """Every choice the page offers; requests are checked against it."""

    topics: dict[str, Topic]
    layouts: dict[str, LayoutChoice]
    clinics: dict[str, ClinicChoice]
    papers: dict[str, str] = field(default_factory=lambda: dict(PAPERS))
    skipped: list[str] = field(default_factory=list)  # editions that failed to load

    @property
    def languages(self) -> dict[str, Language]:
        """Every language any topic has, in the order the topics list them."""
        found: dict[str, Language] = {}
        for topic in self.topics.values():
            for code, language in topic.languages.items():
                found.setdefault(code, language)
        return found

    @property
    def default_layout(self) -> str:
        """Large print if there is one, else the general layout, else the first."""
        for name in ("large-print", "general"):
            if name in self.layouts:
                return name
        return next(iter(self.layouts))


def layout_label(name: str) -> str:
    """A layout's name as a button says it: ``large-print`` → ``Large print``."""
    words = name.replace("_", "-").split("-")
    if name.startswith("tri-"):  # "tri-fold" reads as one word with its hyphen
        return name.capitalize()
    return " ".join(words).capitalize()


def clinic_slugs(files: list[Path]) -> list[str]:
    """A distinct slug per clinic file, from its file name (``example``, ``example-2``)."""
    slugs: list[str] = []
    for file in files:
        base = re.sub(r"[^a-z0-9]+", "-", file.stem.lower()).strip("-") or "clinic"
        slug, n = base, 2
        while slug in slugs:
            slug, n = f"{base}-{n}", n + 1
        slugs.append(slug)
    return slugs


def load_catalogue(content_dir: Path | None = None,
                   clinic_files: list[Path] | tuple[Path, ...] = ()) -> Catalogue:
    """Read the topics of *content_dir* (default: ./content, then the built-in sample),
    every layout, and *clinic_files*. Raises `BrochureError` when there is no topic or a
    clinic file is invalid; an edition that fails to load is left out and named in
    ``skipped``."""
    roots = [content_dir] if content_dir is not None else content_roots()
    if content_dir is not None and not content_dir.is_dir():
        raise ContentError(f"content folder {content_dir} not found")
    topics: dict[str, Topic] = {}
    skipped: list[str] = []
    for name, folder in find_topics(roots).items():
        langs: dict[str, Language] = {}
        for code in languages_of(folder):
            try:
                content = load_content(topic_file(folder, code),
                                       [paths.builtin("content") / "locales"])
            except BrochureError as exc:
                skipped.append(f"{name} ({code}): {exc}")
                continue
            langs[code] = Language(code, str(content.labels.get("language_name") or code),
                                   content.direction, content.title.plain, content.url,
                                   content.review.status, content.review.checked,
                                   content.review.note)
        if langs:
            topics[name] = Topic(name, folder, langs)
    if not topics:
        where = ", ".join(str(r) for r in roots)
        raise ContentError(f"no topics with a readable edition found in {where}")
    layout_choices = {}
    for name in layouts.available():
        layout = layouts.load_layout(name)
        layout_choices[name] = LayoutChoice(name, layout_label(name), layout.description,
                                            layout.bilingual is not None)
    clinics: dict[str, ClinicChoice] = {}
    problems: list[Problem] = []
    for slug, file in zip(clinic_slugs(list(clinic_files)), clinic_files, strict=True):
        try:
            profile = load_clinic(Path(file))
            clinics[slug] = ClinicChoice(slug, profile.name, Path(file), profile.website)
        except BrochureError as exc:
            problems.extend(exc.problems or [Problem(Path(file), None, None, "", str(exc))])
    if problems:
        raise ContentError(problems=problems)
    return Catalogue(topics, layout_choices, clinics, skipped=skipped)
