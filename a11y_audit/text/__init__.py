"""Plain-text analysis of English prose: sentences, words, syllables, readability and passive voice."""

from a11y_audit.text.passive import is_passive, passive_phrases
from a11y_audit.text.scores import Scores, SentenceStats, score, sentence_stats
from a11y_audit.text.sentences import Sentence, sentences_of, split_sentences
from a11y_audit.text.syllables import count_syllables, guess_syllables
from a11y_audit.text.tokens import words

__all__ = [
    "Scores",
    "Sentence",
    "SentenceStats",
    "count_syllables",
    "guess_syllables",
    "is_passive",
    "passive_phrases",
    "score",
    "sentence_stats",
    "sentences_of",
    "split_sentences",
    "words",
]
