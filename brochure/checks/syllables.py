"""Words → syllable counts, for the readability formulas (English and Spanish).

In: one word and a language code. Out: its number of spoken syllables.

The syllable source is pyphen's hyphenation dictionaries, which ship inside its wheel
(nothing is downloaded at run time), read through `hyphenation` (the same algorithm over
patterns parsed once and kept between runs). Hyphenation points are not syllable boundaries,
though: the patterns never break near a word's ends ("area", "idea", "able" come back
whole) and Spanish practice never splits two vowels even where they are two syllables
("dí-a"). So each piece pyphen returns is counted by vowel groups with the language's
rules — English silent e and -ed/-es endings, and vowel pairs pronounced apart; Spanish
diphthongs, hiatus and the silent u of que/qui/gue/gui — and pyphen's breaks add the
vowel splits its patterns know ("di-ar-rhea", "re-ac-tion"). The tests check the counts
against words and passages counted by hand.

Letters-only abbreviations in capitals are read letter by letter (FDA: three syllables in
English, four in Spanish), and numerals digit by digit ("911": nine-one-one), as the
SMOG instructions ask ("abbreviations and numbers are counted as they are read aloud").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from . import hyphenation

# Syllables in the spoken name of each letter and digit.
_LETTER_NAMES = {
    "en": {letter: 1 for letter in "abcdefghijklmnopqrstuvxyz"} | {"w": 3},
    "es": {letter: 1 for letter in "abcdeikoptuvy"}
    | {letter: 2 for letter in "fghjlmnñqrswxz"} | {"w": 4},
}
_DIGIT_NAMES = {
    "en": {"0": 2, "1": 1, "2": 1, "3": 1, "4": 1, "5": 1, "6": 1, "7": 2, "8": 1, "9": 1},
    "es": {"0": 2, "1": 2, "2": 1, "3": 1, "4": 2, "5": 2, "6": 1, "7": 2, "8": 2, "9": 2},
}
LANGUAGES = ("en", "es")



def count(word: str, language: str) -> int:
    """Spoken syllables of *word* (letters, digits, inner hyphens and apostrophes)."""
    language = language.split("-")[0].lower()
    if language not in LANGUAGES:
        raise ValueError(f"no syllable rules for {language!r}")
    if "-" in word:
        return sum(count(part, language) for part in word.split("-") if part)
    if word.isdigit():
        return sum(_DIGIT_NAMES[language].get(d, 1) for d in word)
    letters = word.replace("'", "").replace("’", "").replace(".", "")
    if len(letters) >= 2 and letters.isupper() and letters.isalpha() and (
            len(letters) <= 3 or not re.search("[AEIOUÁÉÍÓÚ]", letters)):
        return sum(_LETTER_NAMES[language].get(ch, 1) for ch in letters.lower())
    return _count_word(letters.lower(), language)


@lru_cache(maxsize=20000)
def _count_word(word: str, language: str) -> int:
    pieces = hyphenation.pieces(word, language)
    if language == "en":
        total = _english(word, pieces)
    else:
        total = sum(_spanish_piece(piece) for piece in pieces)
    return max(1, total)


# -- English -----------------------------------------------------------------------------

_EN_VOWELS = set("aeiouy")
# Compounds whose first part ends in a silent e: someone, sometimes, homework, therefore.
_EN_SILENT_E_STEMS = ("some", "life", "home", "care", "whole", "there", "where", "none",
                      "more")
# Frequent words and word starts the rules get wrong, with their syllables.
_EN_WORDS = {"eye": 1, "eyes": 1, "safety": 2, "every": 2, "business": 2, "area": 3,
             "being": 2, "create": 2, "created": 3, "creates": 2}
_EN_STARTS = (("every", 2), ("eye", 1))


def _english(word: str, pieces: list[str]) -> int:
    """Vowel groups of each hyphenation piece, less silent e's, plus vowel pairs that are
    said apart (bac-te-ri-a, o-pi-oid, qui-et), plus a syllabic -ism."""
    if word in _EN_WORDS:
        return _EN_WORDS[word]
    for start, syllables in _EN_STARTS:
        if word.startswith(start) and len(word) > len(start) + 1:
            rest = word[len(start):]
            return syllables + _count_word(rest, "en")
    silent = _english_silent_e(word)
    total, offset = 0, 0
    for piece in pieces:
        for start, end in _english_groups(word, offset, offset + len(piece), silent):
            total += 1 + sum(_english_split(word, k) for k in range(start, end - 1))
        offset += len(piece)
    if word.endswith(("ism", "isms")):
        total += 1
    return total


def _english_vowel(word: str, i: int, end: int) -> bool:
    ch = word[i]
    if ch == "y":  # a consonant before a vowel: yes, beyond, player
        return not (i + 1 < end and word[i + 1] in "aeiou")
    if ch == "u" and i > 0 and word[i - 1] in "qg" and i + 1 < end and \
            word[i + 1] in "aeiouy":
        return False  # quite, language, guide
    return ch in _EN_VOWELS


def _english_groups(word: str, start: int, end: int, silent: set[int]
                    ) -> list[tuple[int, int]]:
    """Runs of sounded vowels in word[start:end], as (first, past-last) positions."""
    groups: list[tuple[int, int]] = []
    i = start
    while i < end:
        if i in silent or not _english_vowel(word, i, end):
            i += 1
            continue
        j = i + 1
        while j < end and j not in silent and _english_vowel(word, j, end):
            j += 1
        groups.append((i, j))
        i = j
    return groups


def _english_split(word: str, k: int) -> bool:
    """Whether the vowels at k and k+1 are said as two syllables."""
    pair, before, after = word[k:k + 2], word[k - 1:k], word[k + 2:]
    if pair in ("ia", "io"):
        if before in ("t", "s", "c", "g", "x", ""):
            return False  # nation, Asia, special, region, anxious
        return not (before in ("l", "n") and after[:1] in ("n", "r"))  # million, senior
    if pair in ("iu", "ii"):
        return True
    if pair == "eo":
        return before != "p" and not after.startswith("u")  # people, gorgeous
    if pair in ("ua", "uo"):
        return before not in ("q", "g")
    if pair == "ea":
        # idea, nausea (but tea, sea)
        return after == "" and any(c in "aeiouy" for c in word[:max(0, k - 1)])
    if pair == "ie":
        if before in ("t", "c", "s", ""):
            return False  # patient, ancient
        return (after.startswith(("t", "nt", "nc")) or after in ("st", "r", "rs"))
    if pair == "oe":
        return after[:1] in ("m", "t")  # poem, poet
    if pair == "ui":
        return before not in ("q", "g") and after[:1] in ("n", "d")  # ruin, fluid
    return False


def _english_silent_e(word: str) -> set[int]:
    """Positions of e's that are not said: make, hopes, jumped, safely, sometimes."""
    silent: set[int] = set()
    n = len(word)

    def vowel_before(end: int) -> bool:
        return any(c in "aeiouy" for c in word[:end])

    consonant = lambda i: 0 <= i < n and word[i] not in _EN_VOWELS  # noqa: E731
    # A consonant, then l, then e: able, tackled, tables say the e (called does not).
    syllabic_l = lambda i: word[i] == "l" and consonant(i - 1) and word[i - 1] not in "lrw"  # noqa: E731
    if n >= 3 and word[-1] == "e" and consonant(n - 2) and vowel_before(n - 2):
        if not syllabic_l(n - 2):
            silent.add(n - 1)
    if n >= 4 and word.endswith("es") and consonant(n - 3) and vowel_before(n - 3):
        if not (word[-3] in "sxzcg" or word[-4:-2] in ("ch", "sh") or syllabic_l(n - 3)):
            silent.add(n - 2)
    if n >= 4 and word.endswith("ed") and consonant(n - 3) and word[-3] not in "td" \
            and vowel_before(n - 3):
        if not syllabic_l(n - 3):
            silent.add(n - 2)
    for suffix in ("ly", "ful", "less", "ment", "ness"):
        k = n - len(suffix) - 1  # the e before the suffix: safely, careful, movement
        if k >= 2 and word.endswith("e" + suffix) and consonant(k - 1) \
                and word[k - 2] in "aeiou":
            silent.add(k)
    for stem in _EN_SILENT_E_STEMS:
        k = len(stem) - 1
        if word.startswith(stem) and (consonant(k + 1) or word[k + 1:k + 4] == "one"):
            silent.add(k)
    return silent


# -- Spanish -----------------------------------------------------------------------------

_ES_STRONG = set("aeoáéó")
_ES_WEAK = set("iuü")
_ES_STRESSED_WEAK = set("íú")
_ES_VOWELS = _ES_STRONG | _ES_WEAK | _ES_STRESSED_WEAK


def _spanish_piece(piece: str) -> int:
    """Syllables in one hyphenation piece: a nucleus per vowel group, plus one per hiatus
    (two strong vowels side by side, or a stressed í/ú beside another vowel)."""
    piece = unicodedata.normalize("NFC", piece)
    total = 0
    i = 0
    n = len(piece)
    while i < n:
        ch = piece[i]
        is_vowel = ch in _ES_VOWELS or (ch == "y" and i == n - 1 and i > 0
                                        and piece[i - 1] in _ES_VOWELS)
        if ch == "u" and 0 < i < n - 1 and piece[i - 1] in "qg" and piece[i + 1] in "eéiíi":
            is_vowel = False  # que, qui, gue, gui: the u is not said
        if not is_vowel:
            i += 1
            continue
        j = i + 1
        while j < n and (piece[j] in _ES_VOWELS or (piece[j] == "y" and j == n - 1)):
            j += 1
        group = piece[i:j].replace("y", "i")
        total += 1
        for a, b in zip(group, group[1:], strict=False):
            if (a in _ES_STRONG and b in _ES_STRONG) or a in _ES_STRESSED_WEAK \
                    or b in _ES_STRESSED_WEAK:
                total += 1
        i = j
    return total
