"""Text → reading-level scores, by the formula recognised for its language.

In: pieces of text (each one paragraph, list item or table cell) and a language code.
Out: `Scores` — counts of sentences, words, syllables and words of three or more
syllables, the score of every formula the language has, and the longest sentences — or,
for a language without an implemented formula, no scores and the reason.

- English: Flesch–Kincaid grade (Kincaid et al. 1975) and SMOG grade (McLaughlin 1969,
  in its regression form for any number of sentences). Grades: lower is easier.
- Spanish: Fernández-Huerta (1959) reading ease, with sentence length in words per
  sentence as in Flesch's formula it adapts (the often-copied "sentences per 100 words"
  is a transcription error: it would make longer sentences score easier), and
  Szigriszt-Pazos perspicuity (1993), read on the INFLESZ scale. Ease: higher is easier.
- Arabic: not scored. OSMAN (El-Haj & Rayson 2016) counts syllables from the short
  vowels, which printed Arabic leaves out; it would need the text vowelled by a
  diacritiser, and without one its score could not be computed exactly.
- Others: not scored. No formula is implemented for Vietnamese or Thai, and a score from
  an English or Spanish formula would mean nothing for them.

A sentence ends at ``.``, ``!``, ``?`` or ``…`` followed by a capital (or the end of the
piece); common abbreviations (U.S., e.g., Dr., EE. UU.) do not end one. A piece with no
sentence-ending punctuation at all — a table cell such as "Alcohol", a list item such as
"Liver damage" — is a *fragment*, not a sentence: fragments are counted and reported
apart, and the formulas score the prose sentences only (counted as sentences, a column of
one-word cells would pull the words per sentence, and so the grade, down). Syllables come
from `syllables`.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from . import syllables


@dataclass(frozen=True)
class Formula:
    key: str  # as written in layout files
    name: str
    language: str
    lower_is_easier: bool  # grade levels; ease scores are the other way round
    compute: Callable[[Stats], float]

    def meets(self, score: float, target: float) -> bool:
        return score <= target if self.lower_is_easier else score >= target

    def limit_text(self, target: float) -> str:
        return f"{'≤' if self.lower_is_easier else '≥'} {target:g}"


@dataclass(frozen=True)
class Stats:
    sentences: tuple[str, ...]
    words: int
    syllables: int
    polysyllables: int  # words of three or more syllables

    @property
    def words_per_sentence(self) -> float:
        return self.words / len(self.sentences)

    @property
    def syllables_per_word(self) -> float:
        return self.syllables / self.words


def flesch_kincaid(s: Stats) -> float:
    return 0.39 * s.words_per_sentence + 11.8 * s.syllables_per_word - 15.59


def smog(s: Stats) -> float:
    return 1.0430 * math.sqrt(s.polysyllables * 30 / len(s.sentences)) + 3.1291


def fernandez_huerta(s: Stats) -> float:
    return 206.84 - 60 * s.syllables_per_word - 1.02 * s.words_per_sentence


def szigriszt_pazos(s: Stats) -> float:
    return 206.835 - 62.3 * s.syllables_per_word - s.words_per_sentence


FORMULAS: dict[str, Formula] = {f.key: f for f in (
    Formula("flesch_kincaid", "Flesch–Kincaid grade", "en", True, flesch_kincaid),
    Formula("smog", "SMOG grade", "en", True, smog),
    Formula("fernandez_huerta", "Fernández-Huerta ease", "es", False, fernandez_huerta),
    Formula("szigriszt_pazos", "Szigriszt-Pazos (INFLESZ)", "es", False, szigriszt_pazos),
)}
SHORT_NAMES = {"flesch_kincaid": "FK", "smog": "SMOG", "fernandez_huerta": "FH",
               "szigriszt_pazos": "SP"}
LANGUAGE_NAMES = {"vi": "Vietnamese", "th": "Thai", "ar": "Arabic", "en": "English",
                  "es": "Spanish"}


def primary(language: str) -> str:
    """The primary language subtag: ``pt-BR`` → ``pt``."""
    return language.split("-")[0].lower()


def formulas_for(language: str) -> list[Formula]:
    return [f for f in FORMULAS.values() if f.language == primary(language)]


def no_formula_reason(language: str) -> str:
    name = LANGUAGE_NAMES.get(primary(language), repr(language))
    if primary(language) == "ar":
        return ("not measured: OSMAN needs vowelled text (it counts syllables from the "
                "short vowels printed Arabic leaves out), so it cannot be computed exactly; "
                "have the reading level checked by a reviewer who reads Arabic")
    return (f"no recognised readability formula is implemented for {name}; "
            "have the reading level checked by a reviewer who reads the language")



@dataclass(frozen=True)
class Scores:
    language: str
    stats: Stats | None  # the prose sentences; None: no formula, or no prose
    values: dict[str, float] = field(default_factory=dict)  # formula key → score
    reason: str = ""  # why there are no scores
    fragments: tuple[str, ...] = ()  # pieces without sentence punctuation, not scored

    @property
    def fragment_words(self) -> int:
        return sum(len(words(f)) for f in self.fragments)

    def longest(self, n: int = 3) -> list[tuple[int, str]]:
        """The *n* longest sentences as (words, sentence), longest first."""
        if self.stats is None:
            return []
        return list(_longest(self.stats.sentences, n))


@functools.lru_cache(maxsize=512)  # as `_measure`: the same sentences for every edition
def _longest(sentences: tuple[str, ...], n: int) -> tuple[tuple[int, str], ...]:
    counted = [(len(words(s)), i, s) for i, s in enumerate(sentences)]
    counted.sort(key=lambda t: (-t[0], t[1]))
    return tuple((count, sentence) for count, _, sentence in counted[:n])


# -- sentences and words -----------------------------------------------------------------

_ABBREVIATIONS = ("U.S.", "U.K.", "e.g.", "i.e.", "etc.", "vs.", "Dr.", "Mr.", "Mrs.",
                  "Ms.", "approx.", "EE. UU.", "EE.UU.", "p. ej.", "Sr.", "Sra.", "Dra.",
                  "Srta.", "núm.", "aprox.")
_NEXT = r"(?=[¿¡\"'“«(]*[A-ZÀ-ÖØ-Þ0-9])"  # the next sentence starts with a capital or digit
_END = re.compile(rf"(?<=[.!?…])\s+{_NEXT}|(?<=[.!?…][\"'”»)])\s+{_NEXT}")
_WORD = re.compile(r"[^\W_]+(?:[-'’.][^\W_]+)*\.?")
_PLACEHOLDER = "\u2024"  # one dot leader, standing in for a period that ends nothing
_STOP = re.compile(r"[.!?…؟][\"'”»)\]]*\s*$")  # a sentence's end, with closing marks


def split_sentences(text: str) -> list[str]:
    """The sentences of one paragraph, list item or cell."""
    protected = " ".join(text.split())
    for abbreviation in _ABBREVIATIONS:
        protected = protected.replace(abbreviation, abbreviation.replace(".", _PLACEHOLDER))
    out = []
    for piece in _END.split(protected):
        piece = piece.replace(_PLACEHOLDER, ".").strip()
        if words(piece):
            out.append(piece)
    return out


def words(sentence: str) -> list[str]:
    """The words of a sentence: runs of letters or digits, with inner hyphens, apostrophes
    and abbreviation dots (a hyphenated word is one word, as SMOG counts it)."""
    return [w.rstrip(".") if not re.fullmatch(r"(?:\w\.)+", w) else w
            for w in _WORD.findall(sentence)]


def is_fragment(piece: str) -> bool:
    """True for a piece with no sentence-ending punctuation anywhere ("Alcohol", "Liver
    damage", "Capsules: swallowed whole"): a label or list entry, not a sentence."""
    return not any(_STOP.search(s) for s in split_sentences(piece))


def split_prose(pieces: Iterable[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(prose pieces, fragments) of *pieces*, each in its order."""
    prose, fragments = [], []
    for piece in pieces:
        if not words(piece):
            continue
        (fragments if is_fragment(piece) else prose).append(" ".join(piece.split()))
    return tuple(prose), tuple(fragments)


def measure(pieces: Iterable[str], language: str) -> Stats | None:
    """Count the sentences, words and syllables of the prose of *pieces* (fragments are
    left out); None when there is no prose."""
    prose, _ = split_prose(pieces)
    return _measure(prose, language)


# Every edition of a content file scores the same pieces (a batch builds hundreds): count
# each text once. Bounded, so a long-running server does not keep every text it saw.
@functools.lru_cache(maxsize=512)
def _measure(pieces: tuple[str, ...], language: str) -> Stats | None:
    sentences: list[str] = []
    for piece in pieces:
        sentences.extend(split_sentences(piece))
    total_words = total_syllables = poly = 0
    for sentence in sentences:
        for word in words(sentence):
            n = syllables.count(word, language)
            total_words += 1
            total_syllables += n
            poly += n >= 3
    if not sentences or not total_words:
        return None
    return Stats(tuple(sentences), total_words, total_syllables, poly)


def score(pieces: Iterable[str], language: str) -> Scores:
    """Every formula of *language* applied to *pieces*."""
    return _score(tuple(pieces), language)


@functools.lru_cache(maxsize=512)  # every edition of a content scores the same parts
def _score(pieces: tuple[str, ...], language: str) -> Scores:
    formulas = formulas_for(language)
    prose, fragments = split_prose(pieces)
    if not formulas:
        return Scores(language, None, reason=no_formula_reason(language),
                      fragments=fragments)
    stats = _measure(prose, language)
    if stats is None:
        reason = "no prose sentences (fragments only)" if fragments else "no running text"
        return Scores(language, None, reason=reason, fragments=fragments)
    return Scores(language, stats, {f.key: f.compute(stats) for f in formulas},
                  fragments=fragments)
