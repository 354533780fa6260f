"""The validated content model: what a handout says, independent of how it looks.

Loaders (`content`, `clinics`) build these from YAML; the story builder reads them.
Text that clinicians and general readers need worded differently is a `Wording`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .normalize import normalize, refusal

WordingMode = Literal["plain", "clinical"]


@dataclass(frozen=True)
class Wording:
    """One text in plain words and in clinical words (either may stand for both)."""

    plain: str
    clinical: str

    def get(self, mode: WordingMode) -> str:
        return self.clinical if mode == "clinical" else self.plain


@dataclass(frozen=True)
class BulletItem:
    text: Wording
    term: Wording | None = None  # bold lead-in such as "Capsules:"


@dataclass(frozen=True)
class Block:
    """A paragraph (text) or a bullet list (items)."""

    text: Wording | None = None
    items: tuple[BulletItem, ...] = ()


@dataclass(frozen=True)
class Section:
    id: str
    heading: Wording
    blocks: tuple[Block, ...]
    position: str  # which structured part it follows: intro, benefits, side_effects, ...
    audience: str  # all, plain or clinical: which wording modes show it
    kind: str = "text"  # "text", or "checklist": its bullets print as tick boxes


@dataclass(frozen=True)
class Benefit:
    benefit: Wording
    mechanism: Wording
    evidence: Wording
    level: str  # a key of EVIDENCE_LEVELS


EVIDENCE_LEVELS = (
    "anecdotal",
    "case-reports",
    "laboratory",
    "limited-studies",
    "clinical-trials",
    "systematic-reviews",
    "guidelines",  # clinical practice guidelines or official labelling
    "expert-consensus",  # agreement of expert bodies without trials behind it
)


@dataclass(frozen=True)
class SideEffect:
    name: Wording
    description: Wording


@dataclass(frozen=True)
class Interaction:
    substance: Wording
    risk: Wording


@dataclass(frozen=True)
class HelpLine:
    name: Wording
    phone: str
    note: Wording | None = None


@dataclass(frozen=True)
class Source:
    title: str
    note: Wording | None = None
    publisher: str | None = None
    url: str | None = None
    lang: str | None = None  # the title's language, where it is not the edition's


@dataclass(frozen=True)
class SignOff:
    """A reviewer's approval of this version of an edition (`source.review`)."""

    reviewer: str
    credential: str
    date: dt.date
    version: str  # digest of the text, source strings and labels reviewed


@dataclass(frozen=True)
class Review:
    status: Literal["draft", "reviewed"]
    last_reviewed: dt.date | None = None  # older name: means checked_on when that is absent
    note: str | None = None
    sign_off: SignOff | None = None  # set only while the edition's record still holds
    lapsed: str | None = None  # why a recorded review no longer holds, if it does not
    checked_on: dt.date | None = None  # when the information was last checked
    next_review: dt.date | None = None  # when it is due to be checked again
    machine_assisted: bool = False  # the translation was drafted with machine help

    @property
    def checked(self) -> dt.date:
        """The date the information was checked (every review has one: the loader
        requires checked_on or last_reviewed)."""
        day = self.checked_on or self.last_reviewed
        assert day is not None
        return day


@dataclass(frozen=True)
class Translation:
    """Where a translated file came from: the source file and a hash per source string."""

    source: str  # language code of the source edition, e.g. "en"
    source_hashes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Benefits:
    intro: Wording | None
    rows: tuple[Benefit, ...]


@dataclass(frozen=True)
class SideEffects:
    intro: Wording | None
    common: tuple[SideEffect, ...]
    serious: tuple[SideEffect, ...]


PRECAUTION_LEVELS = ("do-not-use", "ask-first")
# The label that heads each precaution level's list.
PRECAUTION_LABELS = {"do-not-use": "do_not_use_if", "ask-first": "ask_first_if"}


@dataclass(frozen=True)
class Precaution:
    """Who must not use it (do-not-use), or who should ask a doctor or pharmacist
    first (ask-first)."""

    level: str  # a key of PRECAUTION_LEVELS
    items: tuple[Wording, ...]


@dataclass(frozen=True)
class Safety:
    """Every part is optional; a topic has at least warnings or emergency signs."""

    intro: Wording | None
    emergency_signs: tuple[Wording, ...] = ()
    emergency_action: Wording | None = None  # required when there are emergency signs
    warnings: tuple[Wording, ...] = ()
    interactions: tuple[Interaction, ...] = ()
    precautions: tuple[Precaution, ...] = ()
    help_lines: tuple[HelpLine, ...] = ()

    @property
    def avoid_if(self) -> tuple[Wording, ...]:
        """The do-not-use items (the older field name)."""
        return tuple(item for p in self.precautions if p.level == "do-not-use"
                     for item in p.items)


@dataclass(frozen=True)
class Dose:
    """One dose line. The numbers are data: a translation must copy them unchanged."""

    who: Wording
    amount: float
    unit: str  # e.g. mg, mL: the same in every language
    form: Wording | None = None  # e.g. "1 spray in one nostril"
    every_hours: float | None = None
    max_per_day: float | None = None  # the most in 24 hours, in the dose's unit
    note: Wording | None = None


@dataclass(frozen=True)
class HowToUse:
    intro: Wording | None = None
    steps: tuple[Wording, ...] = ()
    doses: tuple[Dose, ...] = ()
    device: Wording | None = None  # measuring device, nasal sprayer, ...


@dataclass(frozen=True)
class Content:
    """One language edition of one topic."""

    file: Path
    topic: str
    language: str
    title: Wording
    subtitle: Wording | None
    review: Review
    key_points: tuple[Wording, ...]
    sections: tuple[Section, ...]
    benefits: Benefits | None  # None: the topic has no benefits table
    side_effects: SideEffects | None
    safety: Safety
    sources: tuple[Source, ...]
    disclaimer: Wording
    keywords: tuple[str, ...]
    labels: dict[str, object]  # locale strings, merged: locale file then the topic's own
    translation: Translation | None = None
    direction: Literal["ltr", "rtl"] = "ltr"
    url: str | None = None
    how_to_use: HowToUse | None = None
    # The YAML trees it was read from (content file, locale file), for checks that must
    # name a file and line, such as glyph coverage. Not part of equality.
    trees: tuple = field(default=(), compare=False, repr=False)

    @property
    def is_draft(self) -> bool:
        return self.review.status == "draft"

    @property
    def machine_assisted(self) -> bool:
        return self.review.machine_assisted


@dataclass(frozen=True)
class Personal:
    """A personal line for one reader ("Prepared for Ana") and a short note. Personal
    data: printed on the page, never written to metadata, logs or caches."""

    name: str | None = None
    note: str | None = None

    MAX_NAME = 100
    MAX_NOTE = 500

    def __post_init__(self) -> None:
        # typed into a form or a terminal: normalised as file text is (`normalize`)
        refused: list[tuple[str, str]] = []
        for attr in ("name", "note"):
            text = getattr(self, attr)
            if text is not None:
                clean, chars = normalize(text)
                object.__setattr__(self, attr, clean)
                refused += [(attr, char) for char in chars]
        object.__setattr__(self, "_refused", tuple(refused))

    def problems(self) -> list[str]:
        out = [f"the {attr} {refusal(char)}" for attr, char in self._refused]
        if self.name is not None and not self.name.strip():
            out.append("the name is empty")
        if self.name and len(self.name) > self.MAX_NAME:
            out.append(f"the name is {len(self.name)} characters; at most {self.MAX_NAME}")
        if self.note and len(self.note) > self.MAX_NOTE:
            out.append(f"the note is {len(self.note)} characters; at most {self.MAX_NOTE}")
        return out


@dataclass(frozen=True)
class Clinic:
    """A clinic profile: who hands the handout out, and how to reach them."""

    file: Path
    name: str
    address: tuple[str, ...]
    phone: str | None
    website: str | None
    email: str | None
    hours: str | None
    notes: str | None
    logo: Path | None
    logo_alt: str | None
    trees: tuple = field(default=(), compare=False, repr=False)
