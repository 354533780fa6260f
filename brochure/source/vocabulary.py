"""Word lists → `Vocabulary`: the medical words a language's plain wording must explain.

In: ``content/vocabulary/<lang>.yaml`` beside the topics (content, not code, so a writer
or translator can extend it). Out: a validated `Vocabulary` — the terms, each with its
other forms and an optional plain explanation to suggest, and the cues that count as an
explanation right where a term is first used — or None when the language has no list.
Problems are reported with file, line and field, like every content file.

The file::

    language: en
    match: words            # words (whole words) or text (any run of letters: Thai)
    explained_by: ["(", ", such as"]   # the term followed by one of these
    introduced_by: ["called ", "("]    # or preceded by one of these
    terms:
      - term: withdrawal
        forms: [withdrawals]            # optional
        plain: "feeling sick when you stop"   # optional: suggested in the message
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from ..errors import ContentError
from .schema import Choice, Context, Field, ListOf, Record, Str
from .yamlsource import load_yaml


@dataclass(frozen=True)
class Term:
    term: str
    forms: tuple[str, ...] = ()
    plain: str | None = None

    @property
    def spellings(self) -> tuple[str, ...]:
        """Every way the term is written, longest first (so a longer form wins)."""
        return tuple(sorted({self.term, *self.forms}, key=len, reverse=True))


@dataclass(frozen=True)
class Vocabulary:
    file: Path
    language: str
    match: str  # "words" or "text"
    explained_by: tuple[str, ...]
    introduced_by: tuple[str, ...]
    terms: tuple[Term, ...]


TERM = Record("term", {
    "term": Field(Str(80), "the word or phrase as usually written"),
    "forms": Field(ListOf(Str(80)), "its other forms (plural, other spelling)", False, []),
    "plain": Field(Str(300), "an everyday explanation to suggest", False),
}, lambda term, forms, plain: Term(term, tuple(forms or ()), plain))

VOCABULARY = Record("vocabulary file", {
    "language": Field(Str(20), "the language of the list, e.g. en"),
    "match": Field(Choice("words", "text"), "words: match whole words; text: match "
                   "anywhere (scripts written without spaces, such as Thai)", False,
                   "words"),
    "explained_by": Field(ListOf(Str(40), 1), "what may follow a term to explain it, "
                          "e.g. '(' or ', such as'"),
    "introduced_by": Field(ListOf(Str(40)), "what may come just before a term that is "
                           "explained first, e.g. 'called '", False, []),
    "terms": Field(ListOf(TERM, 1), "the words to explain on first use"),
})


def vocabulary_file(content_file: Path, language: str) -> Path:
    """Where the word list of *language* is for a topic's content file."""
    return content_file.resolve().parent.parent / "vocabulary" / f"{language}.yaml"


def load_vocabulary(content_file: Path, language: str) -> Vocabulary | None:
    """The word list of *language* beside the topic of *content_file* (the primary
    subtag's when the full tag has none); None when there is none."""
    for tag in (language, language.split("-")[0]):
        path = vocabulary_file(content_file, tag)
        if path.is_file():
            return _read(path, path.stat().st_mtime_ns)
    return None


def read_vocabulary(path: Path) -> Vocabulary:
    """Read and validate one word list; raise `ContentError` with every problem."""
    return _read(path, path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=16)  # a batch checks many editions against one list
def _read(path: Path, mtime: int) -> Vocabulary:
    ctx = Context()
    data = VOCABULARY.read(load_yaml(path), "", ctx)
    if ctx.problems:
        raise ContentError(problems=ctx.problems)
    return Vocabulary(path, data["language"], data["match"], tuple(data["explained_by"]),
                      tuple(data["introduced_by"] or ()), tuple(data["terms"]))
