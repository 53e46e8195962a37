"""Properties of the text library over arbitrary input."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from a11y_audit.text import count_syllables, score, sentence_stats, split_sentences, words

TOKENS = [
    *("Dr.", "Mr.", "e.g.", "i.e.", "St.", "a.m.", "U.K.", "3.5", "1.", "...", "…", "?", "!", "."),
    *("Thank", "you", "the", "cat", "sat", "J.", "K.", "No.", "5", "It", "was", "built"),
    *('"', "“", "”", " ", "\n", "\n\n"),
]
prose = st.lists(st.sampled_from(TOKENS), max_size=60).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(prose, st.text(max_size=200)))
def test_sentences_are_ordered_non_overlapping_slices_of_the_text(text: str) -> None:
    previous_end = 0
    for sentence in split_sentences(text):
        assert text[sentence.start : sentence.end] == sentence.text
        assert sentence.start >= previous_end
        assert sentence.text == sentence.text.strip() and sentence.text
        previous_end = sentence.end


@settings(max_examples=300, deadline=None)
@given(st.one_of(prose, st.text(max_size=200)))
def test_no_word_is_lost_by_splitting(text: str) -> None:
    split = [w for s in split_sentences(text) for w in words(s.text)]
    assert split == words(text)


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=30))
def test_every_word_has_at_least_one_syllable(word: str) -> None:
    for found in words(word):
        assert count_syllables(found) >= 1


@settings(max_examples=100, deadline=None)
@given(prose)
def test_scores_are_finite(text: str) -> None:
    result = score(sentence_stats(s) for s in split_sentences(text))
    assert result.words == len(words(text))
    assert result.flesch_reading_ease == result.flesch_reading_ease  # not NaN
