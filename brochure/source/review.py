"""Review sign-off: who approved which version of an edition, and does it still hold?

In: a content file's tree, its ``sign_off`` records, its locale's tree and, for a
translation, its source edition and the source's locale. Out: the edition's review as
the record supports it.

A record names the reviewer, their credential, the date and three digests of what they
saw: the edition's own text (``content``), the source strings it was translated from
(``source``, translations only) and the labels it prints (``labels``: its locale file,
and for a translation the source's locale too). An edition is reviewed only while its
latest record's digests match the files as they are now; any later change to a string
returns it to draft, without anyone editing ``review.status``. ``status: reviewed``
with no record at all is an error: the status follows the record, not the other way.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import unicodedata
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..errors import Problem
from . import model
from .schema import Date, Field, Record, Str
from .translation import _leaves, source_file
from .yamlsource import Node, load_yaml

SIGN_OFF = Record("sign-off", {
    "reviewer": Field(Str(200), "the reviewer's name"),
    "credential": Field(Str(200), "the reviewer's qualification, e.g. 'MD' or 'PharmD'"),
    "date": Field(Date(), "the day of the review"),
    "version": Field(Str(64), "digest of everything reviewed (written by 'brochure review "
                     "approve')"),
    "content": Field(Str(64), "digest of this edition's text"),
    "source": Field(Str(64), "digest of the source strings a translation was checked "
                    "against", False),
    "labels": Field(Str(64), "digest of the labels the edition prints"),
}, lambda **fields: fields)

# What a record's digests leave out: the record itself and bookkeeping about the text.
_BOOKKEEPING = {"review", "sign_off", "translation", "draft"}


def _canonical(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_canonical(v) for v in value]
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    return value if isinstance(value, int | float | bool) or value is None else str(value)


def digest(value: Any) -> str:
    data = json.dumps(_canonical(value), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


def _text_of(tree: Node) -> dict:
    return {k: v for k, v in tree.plain().items() if k not in _BOOKKEEPING}


def digests(tree: Node, locale: Node, source: Node | None = None,
            source_locale: Node | None = None) -> dict[str, str]:
    """The digests a sign-off records for an edition as its files are now."""
    out = {"content": digest(_text_of(tree))}
    if source is not None:
        out["source"] = digest({p: n.value for p, n in _leaves(source).items()})
    labels = [_text_of(locale)] + ([_text_of(source_locale)] if source_locale else [])
    out["labels"] = digest(labels)
    out["version"] = digest([out.get("content"), out.get("source"), out["labels"]])
    return out


_WHAT = {"content": "the text of this edition", "source": "the source edition's strings",
         "labels": "the labels it prints (its locale file)"}


def settle(review: model.Review, records: list[dict], tree: Node, locale: Node,
           source_locale: Node | None, file: Path, source_language: str | None
           ) -> tuple[model.Review, list[Problem]]:
    """The review an edition really has: reviewed with its sign-off while the latest
    record matches the files, otherwise draft (with the reason in ``lapsed``)."""
    if review.status != "reviewed":
        return review, []
    status_node = tree.value["review"].value.get("status", tree.value["review"])
    if not records:
        return review, [Problem(file, status_node.line, status_node.column, "review.status",
                                "is 'reviewed', but no sign-off records a review of this "
                                "edition; the status follows the record: run 'brochure "
                                "review approve FILE --by \"Name, credential\"'")]
    latest = records[-1]
    source = load_yaml(source_file(file, source_language)) if source_language else None
    now = digests(tree, locale, source, source_locale)
    changed = [_WHAT[k] for k in ("content", "source", "labels") if latest.get(k) != now.get(k)]
    who = f"{latest['reviewer']}, {latest['credential']}"
    if changed:
        lapsed = (f"{file}: review.status: the review by {who} on {latest['date']} no longer "
                  f"holds: {' and '.join(changed)} changed since; the edition is printed as a "
                  "draft until 'brochure review approve' records a new review")
        return replace(review, status="draft", lapsed=lapsed), []
    sign_off = model.SignOff(latest["reviewer"], latest["credential"], latest["date"],
                             latest["version"])
    return replace(review, sign_off=sign_off), []


def record(reviewer: str, credential: str, day: dt.date, now: dict[str, str]) -> dict:
    """A new sign-off record (field order as written to the file)."""
    entry: dict[str, Any] = {"reviewer": reviewer, "credential": credential, "date": day,
                             "version": now["version"], "content": now["content"]}
    if "source" in now:
        entry["source"] = now["source"]
    entry["labels"] = now["labels"]
    return entry
