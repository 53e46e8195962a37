"""Readability scores over sentences: Flesch reading ease and Flesch-Kincaid grade.

Formulas as published by Flesch (1948) and Kincaid et al. (1975), the same as textstat:
reading ease = 206.835 - 1.015 * words/sentences - 84.6 * syllables/words;
grade = 0.39 * words/sentences + 11.8 * syllables/words - 15.59. Neither is clamped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from a11y_audit.text.passive import is_passive
from a11y_audit.text.sentences import Sentence
from a11y_audit.text.syllables import count_syllables
from a11y_audit.text.tokens import WORD


@dataclass(frozen=True, slots=True)
class SentenceStats:
    """Counts for one sentence."""

    sentence: Sentence
    words: int
    syllables: int
    passive: bool


@dataclass(frozen=True, slots=True)
class Scores:
    """Counts and scores for a whole text."""

    sentences: int
    words: int
    syllables: int
    passive_sentences: int
    flesch_reading_ease: float
    flesch_kincaid_grade: float

    @property
    def words_per_sentence(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0

    @property
    def passive_share(self) -> float:
        return self.passive_sentences / self.sentences if self.sentences else 0.0


def sentence_stats(sentence: Sentence) -> SentenceStats:
    """Count the words and syllables of a sentence and tell whether it is passive."""
    found = WORD.findall(sentence.text)
    return SentenceStats(
        sentence=sentence,
        words=len(found),
        syllables=sum(map(count_syllables, found)),
        passive=is_passive(sentence.text),
    )


def score(stats: Iterable[SentenceStats]) -> Scores:
    """Scores over the sentences that have at least one word."""
    counted: Sequence[SentenceStats] = [s for s in stats if s.words]
    sentences = len(counted)
    words = sum(s.words for s in counted)
    syllables = sum(s.syllables for s in counted)
    passive = sum(1 for s in counted if s.passive)
    if not words:
        return Scores(0, 0, 0, 0, 0.0, 0.0)
    per_sentence = words / sentences
    per_word = syllables / words
    return Scores(
        sentences=sentences,
        words=words,
        syllables=syllables,
        passive_sentences=passive,
        flesch_reading_ease=206.835 - 1.015 * per_sentence - 84.6 * per_word,
        flesch_kincaid_grade=0.39 * per_sentence + 11.8 * per_word - 15.59,
    )
