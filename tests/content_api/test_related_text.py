"""Terms for related news: what counts as a word about a topic, and how the parts of a post weigh."""

from __future__ import annotations

import math

import pytest

from content_api.services.related_scoring import MAX_TERMS, indexable, inverse_frequency, term_vector
from content_api.services.related_text import SUMMARY_WEIGHT, TITLE_WEIGHT, TermCounter, normalise


@pytest.mark.parametrize(
    ("word", "term"),
    [
        ("volunteers", "volunteer"),
        ("communities", "community"),
        ("boxes", "box"),
        ("churches", "church"),
        ("classes", "class"),
        ("bus", "bus"),
        ("campus", "campus"),
        ("analysis", "analysis"),
        ("famous", "famous"),
        ("series", "series"),
        ("news", None),
        ("dev's", "dev"),
        ("the", None),
        ("and", None),
        ("it's", None),
        ("go", None),
        ("x" * 41, None),
    ],
)
def test_words_become_terms(word: str, term: str | None) -> None:
    assert normalise(word) == term


def test_names_ending_in_s_keep_it_but_plurals_fold() -> None:
    counts = TermCounter().post(
        "Volunteers for Wales",
        "Jones and the volunteers.",
        "Volunteers in Wales met Tom Jones, who thanked the volunteers. Boxes of food went out.",
    )
    assert counts["wales"] == TITLE_WEIGHT + 1
    assert counts["jones"] == SUMMARY_WEIGHT + 1
    assert counts["volunteer"] == TITLE_WEIGHT + SUMMARY_WEIGHT + 2
    assert counts["box"] == 1
    assert "wale" not in counts and "jone" not in counts and "the" not in counts


def test_term_vectors_keep_the_telling_terms_at_unit_length() -> None:
    counts = {"food": 5, "pantry": 2, "community": 9, "unique": 3}
    # "community" is on every post; "unique" on this post only: neither can relate two posts.
    documents = {"food": 10, "pantry": 3, "community": 100}
    vector = term_vector(counts, documents, 100)
    assert set(vector) == {"food", "pantry"}
    assert abs(sum(weight * weight for weight in vector.values()) - 1.0) < 1e-9
    # Log-scaled counts times IDF: pantry, twice in the post but on 3 posts, nearly matches food.
    expected = ((1 + math.log(2)) * math.log(101 / 3)) / ((1 + math.log(5)) * math.log(101 / 10))
    assert vector["pantry"] / vector["food"] == pytest.approx(expected)
    many = {f"term{number}": 1 for number in range(100)}
    assert len(term_vector(many, dict.fromkeys(many, 5), 100)) == MAX_TERMS


def test_rarity() -> None:
    assert inverse_frequency(95, 100) < 0.1 < inverse_frequency(5, 100)
    assert not indexable(1, 100) and indexable(2, 100) and not indexable(51, 100)
    assert indexable(2, 3)  # tiny sites still relate posts
