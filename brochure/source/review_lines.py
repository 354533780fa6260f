"""Review lines an edition prints: its dates, the draft and machine-assisted notices.

In: a validated `Content` (its `Review` and labels). Out: plain strings, in the
edition's language: the box under the title of a draft or machine-assisted edition, the
mark on every page, and the date lines of "About this handout". Dates are written in the
language's own long date format from the CLDR data (Babel), never as ISO dates.

The lines never contradict each other: a draft says it is a draft and when its
information was checked, never that it was reviewed; "Last reviewed" belongs to a
reviewed edition only. Each line is its own small function so a reviewer-approval
record can be added beside them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from .datecache import kept_date
from .model import Content


def long_date(day: dt.date, language: str) -> str:
    """*day* in *language*'s long date format ("1 de diciembre de 2026"); the primary
    subtag's format when the full tag is unknown, ISO 8601 when neither is. Dates once
    written are kept between runs (`datecache`): Babel's data loads only for a new one."""
    return kept_date(day.isoformat(), language, lambda: _babel_long_date(day, language))


def _babel_long_date(day: dt.date, language: str) -> str:
    from babel import Locale, UnknownLocaleError
    from babel.dates import format_date

    for tag in (language, language.split("-")[0]):
        try:
            locale = Locale.parse(tag, sep="-")
        except (UnknownLocaleError, ValueError):
            continue
        return format_date(day, "long", locale=locale)
    return day.isoformat()


def label(content: Content, key: str, **values: str) -> str:
    text = str(content.labels[key])
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return text


def checked_line(content: Content) -> str:
    """When the information was checked: "Last reviewed …" only for a reviewed edition."""
    day = long_date(content.review.checked, content.language)
    key = "checked_on" if content.is_draft else "last_reviewed"
    return label(content, key, date=day)


def next_review_line(content: Content) -> str | None:
    day = content.review.next_review
    if day is None:
        return None
    return label(content, "next_review", date=long_date(day, content.language))


def date_lines(content: Content) -> list[str]:
    """The date lines of "About this handout", in order."""
    return [line for line in (checked_line(content), next_review_line(content)) if line]


def notice_lines(content: Content) -> list[str]:
    """The box under the title: draft mark and note, and the machine-assisted sentence
    (empty for a reviewed edition made without machine help)."""
    lines = []
    if content.is_draft:
        lines += [label(content, "draft_mark"), label(content, "draft_note")]
    if content.machine_assisted:
        lines.append(label(content, "machine_assisted"))
    return lines


def page_mark(content: Content, also: Sequence[Content] = (), machine: bool = True
              ) -> str | None:
    """The mark printed on every page: the draft mark, the machine-assisted mark, or both
    joined; None for a reviewed edition made without machine help. With *also* (the
    other language of a bilingual edition) a mark is due when either language needs
    it, in *content*'s words; without *machine*, the draft mark alone."""
    both = [content, *also]
    marks = []
    if any(c.is_draft for c in both):
        marks.append(label(content, "draft_mark"))
    if machine and any(c.machine_assisted for c in both):
        marks.append(label(content, "machine_assisted_mark"))
    return " · ".join(marks) if marks else None
