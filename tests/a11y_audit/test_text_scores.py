"""Syllables, readability scores and passive voice against published reference values."""

from __future__ import annotations

import time

import pytest

from a11y_audit.text import (
    count_syllables,
    guess_syllables,
    is_passive,
    passive_phrases,
    score,
    sentence_stats,
    split_sentences,
    words,
)


def scores_of(text: str):  # type: ignore[no-untyped-def]
    return score(sentence_stats(s) for s in split_sentences(text))


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("cat", 1),
        ("reading", 2),
        ("beautiful", 3),
        ("Australian", 3),
        ("community", 4),
        ("isn't", 2),
        ("well-known", 2),
        ("U.K", 2),
        ("2026", 1),
        ("Okonkwo", 3),  # not in the dictionary: the rule-based guess
    ],
)
def test_syllables(word: str, expected: int) -> None:
    assert count_syllables(word) == expected


@pytest.mark.parametrize(
    ("word", "expected"), [("bottle", 2), ("hoped", 1), ("makes", 1), ("area", 2), ("a", 1)]
)
def test_rule_based_guess(word: str, expected: int) -> None:
    assert guess_syllables(word) == expected


def test_words_keep_contractions_hyphens_and_decimals_whole() -> None:
    assert words("It's a well-known fact: 3.5 tonnes, not 4!") == [
        "It's",
        "a",
        "well-known",
        "fact",
        "3.5",
        "tonnes",
        "not",
        "4",
    ]


def test_wikipedia_reference_values() -> None:
    # Values from Wikipedia's "Flesch–Kincaid readability tests": 116 for the cat, and 37.5 / 11.3
    # for the platypus sentence (13 words, 24 syllables).
    cat = scores_of("The cat sat on the mat.")
    assert round(cat.flesch_reading_ease) == 116
    platypus = scores_of("The Australian platypus is seemingly a hybrid of a mammal and reptilian creature.")
    assert (platypus.words, platypus.syllables) == (13, 24)
    assert round(platypus.flesch_reading_ease, 1) == 37.5
    assert round(platypus.flesch_kincaid_grade, 1) == 11.3


def test_scores_rise_with_long_words_and_sentences() -> None:
    plain = scores_of("We run a food bank. It opens at nine. Come and help us. Bring a friend.")
    dense = scores_of(
        "Organisational considerations necessitate comprehensive evaluation of institutional "
        "responsibilities, particularly regarding intergenerational accessibility commitments."
    )
    assert plain.flesch_kincaid_grade < 3 < 20 < dense.flesch_kincaid_grade
    assert plain.flesch_reading_ease > 90 > 0 > dense.flesch_reading_ease
    assert plain.sentences == 4 and plain.words == 16


def test_empty_text_scores_zero() -> None:
    empty = scores_of("")
    assert (empty.words, empty.sentences, empty.passive_share, empty.words_per_sentence) == (0, 0, 0.0, 0.0)


@pytest.mark.parametrize(
    ("sentence", "phrases"),
    [
        ("The plan was approved by the board.", ["was approved"]),
        ("The hall was quickly and fully rebuilt.", []),  # "and" breaks the chain: not detected
        ("The hall was quickly rebuilt.", ["was quickly rebuilt"]),
        ("The song was written in 1990 and the hall was built later.", ["was written", "was built"]),
        ("They got fired on Monday.", ["got fired"]),
        ("The forms will be sent soon.", ["be sent"]),
        ("She is excited about the move.", []),
        ("The office is based in Leeds.", []),
        ("We are married.", []),
        ("The team approved the plan.", []),
        ("He was red in the face.", []),
    ],
)
def test_passive_voice(sentence: str, phrases: list[str]) -> None:
    assert passive_phrases(sentence) == phrases
    assert is_passive(sentence) is bool(phrases)


def test_passive_share_counts_sentences() -> None:
    result = scores_of("The plan was approved. We were told twice. We cheered. We went home.")
    assert result.passive_sentences == 2
    assert result.passive_share == pytest.approx(0.5)


def test_two_thousand_words_score_in_milliseconds() -> None:
    paragraph = (
        "Our food bank opened a second site on Tuesday. Volunteers from the youth club painted the walls. "
        "The council was asked to fund new freezers. Dr. Amina Yusuf, who chairs the board, said the move "
        "would cut queues at 9 a.m. on weekdays. The plan was approved in March after a long talk with "
        "local families. Thank you. We hand out 3.5 tonnes of food each month, e.g. Bread, rice and tins. "
    )
    text = "\n\n".join([paragraph] * 27)
    assert 1900 < len(words(text)) < 2200
    scores_of(text)  # load the dictionary and warm the cache
    runs = 20
    started = time.perf_counter()
    for _ in range(runs):
        result = scores_of(text)
    per_run = (time.perf_counter() - started) / runs
    assert result.sentences == 27 * 7
    assert per_run < 0.02, f"{per_run * 1000:.1f} ms for {result.words} words"
