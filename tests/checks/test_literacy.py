"""Literacy gates that measure what a reader meets: prose scored as prose (fragments
apart), and medical terms explained where a reader first meets them."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import brochure
from brochure.checks import readability, reading_level
from brochure.checks import vocabulary as vocab_check
from brochure.checks.handout import Part, Unit
from brochure.errors import ContentError
from brochure.source.layouts import load_layout
from brochure.source.vocabulary import Term, Vocabulary, load_vocabulary
from tests.checks.test_checks import DENSE
from tests.conftest import write

# The hand-counted passage of test_english_formulas_match_a_hand_counted_passage:
# 3 sentences, 19 words, 31 syllables, 3 of three or more: FK 6.1326.
PROSE = ["Call your doctor if you feel dizzy. Take one tablet every morning with water.",
         "Medicines can interact with alcohol."]


def test_fragments_are_not_counted_as_sentences() -> None:
    scores = readability.score(["Alcohol", *PROSE, "Liver damage"], "en")
    assert scores.stats is not None
    assert (len(scores.stats.sentences), scores.stats.words, scores.stats.syllables) == (
        3, 19, 31)
    assert scores.values["flesch_kincaid"] == pytest.approx(6.1326, abs=1e-4)
    assert scores.fragments == ("Alcohol", "Liver damage")
    assert scores.fragment_words == 3


def test_a_long_sentence_is_not_averaged_away_by_table_cells() -> None:
    # One 25-word prose sentence scores on its own, however many one-word cells surround it
    # (counted as sentences, twenty cells would pull its grade down by about 9).
    sentence = ("People who take benzodiazepines, opioids or antihistamines together with "
                "kratom may have dangerously slowed breathing and should talk with a "
                "pharmacist first.")
    alone = readability.score([sentence], "en").values["flesch_kincaid"]
    cells = ["Alcohol", "Opioids", "Sedatives", "Stimulants"] * 5
    assert readability.score([sentence, *cells], "en").values["flesch_kincaid"] == alone
    assert alone > 12


fragment_words = st.lists(st.sampled_from(["Alcohol", "Liver", "damage", "pills", "Xanax",
                                           "cough", "syrup", "(codeine)", "sleep"]),
                          min_size=1, max_size=6).map(" ".join)


@given(st.lists(fragment_words, max_size=12), st.randoms(use_true_random=False))
def test_adding_fragments_never_moves_a_prose_score(fragments: list[str], rnd) -> None:  # type: ignore[no-untyped-def]
    pieces = [*PROSE, *fragments]
    rnd.shuffle(pieces)
    scores = readability.score(pieces, "en")
    assert scores.values["flesch_kincaid"] == pytest.approx(6.1326, abs=1e-4)
    assert sorted(scores.fragments) == sorted(" ".join(f.split()) for f in fragments)


def test_a_list_item_that_ends_as_a_sentence_is_prose() -> None:
    assert readability.split_prose(["Do not drive.", "Capsules: swallowed whole",
                                    "Is it safe?", "Call 911 now!"]) == (
        ("Do not drive.", "Is it safe?", "Call 911 now!"), ("Capsules: swallowed whole",))


def test_the_gate_applies_to_prose_and_fragments_get_their_own_row() -> None:
    layout = load_layout("general")
    part = Part("safety", "Safety", (Unit("Safety", prose=False), Unit("Alcohol"),
                                    Unit("Liver damage"), *(Unit(p) for p in PROSE)))
    rows = reading_level.checks([part], "en", layout, None)
    assert [(c.name, c.subject) for c in rows] == [
        ("readability", "Safety"), ("fragments", "Safety"),
        ("readability", "whole handout"), ("fragments", "whole handout")]
    assert rows[0].figure == "FK 6.1 · SMOG n/a (<30 sent.) · 3 sentences, 19 words"
    assert rows[1].figure == "2 fragments, 3 words" and rows[1].status == "info"
    assert rows[1].values["texts"] == ["Alcohol", "Liver damage"]


def test_a_part_of_fragments_only_is_not_scored() -> None:
    layout = load_layout("general")
    part = Part("signs", "Get help", (Unit("Slow breathing"), Unit("Blue lips")))
    rows = reading_level.checks([part], "en", layout, None)
    assert [(c.name, c.status, c.figure) for c in rows[:2]] == [
        ("readability", "n/a", "n/a — no prose sentences"),
        ("fragments", "info", "2 fragments, 4 words")]


def test_check_command_shows_prose_and_fragments_apart() -> None:
    from click.testing import CliRunner

    from brochure.cli import main

    out = CliRunner().invoke(main, ["check", str(DENSE), "--layout", "general"]).stdout
    rows = [line.split() for line in out.splitlines()]
    assert ["fragments", "Safety", "2", "fragments,", "3", "words", "not", "scored",
            "info"] in rows
    assert any(r[:2] == ["readability", "Safety"] and "4 sentences," in " ".join(r)
               for r in rows)


# -- plain words: medical terms explained on first use ------------------------------------

WORDS = Vocabulary(Path("en.yaml"), "en", "words", ("(", ", such as", " are "),
                   ("called ",), (Term("withdrawal", (), "feeling sick when you stop"),
                                  Term("benzodiazepine", ("benzodiazepines",)),
                                  Term("opioid", ("opioids",))))


def _uses(*texts: str | Unit) -> dict[str, bool]:
    units = tuple(t if isinstance(t, Unit) else Unit(t) for t in texts)
    return {u.term.term: u.explained
            for u in vocab_check.first_uses([Part("p", "Part", units)], WORDS)}


def test_a_term_used_bare_is_flagged() -> None:
    assert _uses("You may get withdrawal.") == {"withdrawal": False}


def test_a_term_followed_by_its_explanation_is_not_flagged() -> None:
    assert _uses("You may get withdrawal (feeling sick when you stop).",
                 "Do not mix with benzodiazepines, such as Xanax.") == {
        "withdrawal": True, "benzodiazepine": True}


def test_a_term_introduced_or_explained_later_in_the_same_item_is_not_flagged() -> None:
    assert _uses("Calming pills called benzodiazepines can slow breathing.",
                 "It acts like an opioid. Opioids are strong pain medicines.") == {
        "benzodiazepine": True, "opioid": True}


def test_only_the_first_use_counts() -> None:
    assert _uses("You may get withdrawal.", "Withdrawal (feeling sick) passes.") == {
        "withdrawal": False}


def test_headings_are_not_first_uses() -> None:
    assert _uses(Unit("Withdrawal", prose=False), "Withdrawal (feeling sick) passes.") == {
        "withdrawal": True}


def test_a_term_inside_another_word_is_not_a_use() -> None:
    assert _uses("Nonopioids and withdrawals are other words.") == {}


VOCABULARY = """\
    language: en
    explained_by: ["("]
    terms:
      - term: withdrawal
        plain: "feeling sick when you stop"
    """


def _topic_with_vocabulary(tmp_path: Path, text: str) -> Path:
    import datetime as dt

    from tests.typeset.topic_data import content, write_topic

    tree = content({"warnings"}, [], dt.date(2026, 12, 1))
    tree["safety"]["warnings"] = ["Stopping can cause withdrawal."]
    topic = write_topic(tmp_path, [tree])
    write(tmp_path / "content" / "vocabulary", "en.yaml", text)
    return topic / "en.yaml"


def test_an_unexplained_term_is_a_build_warning_naming_file_line_and_a_plain_wording(
        tmp_path: Path) -> None:
    file = _topic_with_vocabulary(tmp_path, VOCABULARY)
    [result] = brochure.build(file, layouts="general", out_dir=None)
    line = next(n for n, text in enumerate(file.read_text("utf-8").splitlines(), 1)
                if "Stopping can cause withdrawal." in text)
    assert [w for w in result.warnings if "withdrawal" in w] == [
        f'{file}:{line}:5: safety.warnings[0]: "withdrawal" is first used in "Safety" '
        'without an explanation; explain it right there, e.g. "withdrawal (feeling sick '
        'when you stop)", or use everyday words']


def test_clinical_wording_is_not_held_to_the_word_list(tmp_path: Path) -> None:
    file = _topic_with_vocabulary(tmp_path, VOCABULARY)
    [result] = brochure.build(file, layouts="clinic", out_dir=None)
    assert not [w for w in result.warnings if "withdrawal" in w]


def test_a_language_without_a_word_list_is_reported_not_measured(tmp_path: Path) -> None:
    file = _topic_with_vocabulary(tmp_path, VOCABULARY)
    (tmp_path / "content" / "vocabulary" / "en.yaml").unlink()
    [result] = brochure.build(file, layouts="general", out_dir=None)
    [row] = [c for c in result.checks.checks if c.name == "plain words"]
    assert row.status == "n/a" and row.figure == ("n/a — no word list for 'en' "
                                                  "(vocabulary/en.yaml)")


def test_a_broken_word_list_is_an_error_with_its_line(tmp_path: Path) -> None:
    file = _topic_with_vocabulary(tmp_path, textwrap.dedent(VOCABULARY).replace(
        "explained_by", "explain_by"))
    with pytest.raises(ContentError, match=r"vocabulary/en.yaml:2:1: explain_by: is not a "
                                           r"field of vocabulary file; did you mean "
                                           r"'explained_by'\?"):
        load_vocabulary(file, "en")


def test_the_shipped_english_word_list_loads() -> None:
    from brochure import paths

    words = load_vocabulary(paths.builtin("content") / "kratom" / "en.yaml", "en")
    assert words is not None and len(words.terms) >= 20
    assert {"benzodiazepine", "withdrawal", "hepatitis", "SAMHSA"} <= {
        t.term for t in words.terms}


def test_validate_checks_a_word_list(tmp_path: Path) -> None:
    good = write(tmp_path, "en.yaml", VOCABULARY)
    assert brochure.validate([good]) == [f"{good}: vocabulary file OK"]
    bad = write(tmp_path / "bad", "en.yaml", textwrap.dedent(VOCABULARY).replace(
        "  - term: withdrawal", "  - word: withdrawal"))
    with pytest.raises(ContentError, match=r"en.yaml:4:5: terms\[0\].word: is not a field"):
        brochure.validate([bad])
