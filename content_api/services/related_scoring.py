"""Scoring related news: what two posts share, weighed, and the ranking of one post's candidates.

Pure computation over a `Corpus`: the whole published corpus for a full recompute, or only the part
around the posts being ranked (their terms' posting lists and the facts of their candidates) when one
post changed. Either way a post's candidates come from an inverted index (the posts that share one of
its top terms, a rare tag or a rare person), never from a scan of every post.

The score of candidate `c` for post `p`:

    base  = TEXT_WEIGHT * cosine(top terms of p, top terms of c)
          + TAG_WEIGHT * saturate(sum of the IDF of the tags they share)
          + PEOPLE_WEIGHT * saturate(sum of the IDF of the people they share)
    score = base * (1 + RECENCY_BOOST * 0.5 ** (age of c / RECENCY_HALF_LIFE))

A term relates two posts only when both are among the `POSTING_LIMIT` posts where it weighs most
(static pruning of the inverted index): a term used across a large share of a big corpus links only the
posts most about it, which bounds the work per post whatever the corpus size.

`saturate(x) = 1 - exp(-x / SATURATION)`: one shared rare tag says a lot, a second adds less, and a tag
on most posts (IDF near zero) adds almost nothing. The base is symmetric, which lets an incremental
recompute find the lists a changed post should now enter. Ties break on the newer post, then the
smaller id.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

# Terms kept per post in the index. More terms find more candidates but lengthen posting lists.
MAX_TERMS = 32
# A term used by more than this share of posts says little about any one of them.
MAX_TERM_SHARE = 0.5
# Posts kept per term in the inverted index, those where the term weighs most.
POSTING_LIMIT = 100

TEXT_WEIGHT = 0.6
TAG_WEIGHT = 0.25
PEOPLE_WEIGHT = 0.15
SATURATION = 2.0
RECENCY_BOOST = 0.1
RECENCY_HALF_LIFE_SECONDS = 365 * 24 * 3600.0
# Candidates scoring below this are not related at all (pinned posts are kept regardless).
MIN_SCORE = 0.01
# Scores are stored as integers: millionths.
SCORE_SCALE = 1_000_000
# Tags and people on at most this many posts propose candidates; the others still count when a
# candidate shares them, but walking all their posts for every post would cost too much.
RARE_LIMIT = POSTING_LIMIT
REASON_TERMS = 5


@dataclass(frozen=True, slots=True)
class PostFacts:
    """What ranking needs to know about a published post besides its terms."""

    id: int
    published: float  # POSIX timestamp
    tags: frozenset[int]
    people: frozenset[int]  # authors and people mentioned


@dataclass(slots=True)
class Corpus:
    """The published corpus, or the part of it needed to rank some of its posts.

    `vectors` are pruned (`prune_vectors`) to the terms whose posting list holds the post.
    """

    size: int
    newest: float
    facts: dict[int, PostFacts]
    vectors: dict[int, dict[str, float]]
    postings: dict[str, list[tuple[int, float]]]
    tag_counts: Mapping[int, int]
    person_counts: Mapping[int, int]
    tag_posts: dict[int, list[int]] = field(default_factory=dict)
    person_posts: dict[int, list[int]] = field(default_factory=dict)
    _recency: dict[int, float] = field(default_factory=dict)

    def recency(self, post_id: int) -> float:
        """The gentle boost of a post as a candidate: up to `RECENCY_BOOST` for the newest post."""
        factor = self._recency.get(post_id)
        if factor is None:
            age = max(0.0, self.newest - self.facts[post_id].published)
            factor = self._recency[post_id] = 1.0 + RECENCY_BOOST * 0.5 ** (age / RECENCY_HALF_LIFE_SECONDS)
        return factor

    def proposes(self, count: int) -> bool:
        """Whether a tag or person on `count` posts is rare enough to propose candidates."""
        return count <= RARE_LIMIT


@dataclass(frozen=True, slots=True)
class Ranked:
    """One related post: its score in millionths and what the two posts share."""

    post_id: int
    score: int
    pinned: bool
    tags: tuple[int, ...]
    people: tuple[int, ...]
    terms: tuple[str, ...]


def inverse_frequency(count: int, size: int) -> float:
    """IDF of a term, tag or person found on `count` of `size` posts; near zero when on most posts."""
    return math.log((size + 1) / max(count, 1))


def indexable(count: int, size: int) -> bool:
    """Whether a term on `count` of `size` posts can relate posts: shared, and not by most posts."""
    return 2 <= count <= max(2.0, MAX_TERM_SHARE * size)


def term_vector(counts: Mapping[str, int], document_counts: Mapping[str, int], size: int) -> dict[str, float]:
    """The post's top `MAX_TERMS` terms by TF-IDF (log-scaled counts), scaled to unit length."""
    weights: list[tuple[float, str]] = []
    for term, count in counts.items():
        documents = document_counts.get(term, 1)
        if indexable(documents, size):
            weights.append(((1.0 + math.log(count)) * inverse_frequency(documents, size), term))
    top = heapq.nlargest(MAX_TERMS, weights)
    norm = math.sqrt(sum(weight * weight for weight, _ in top))
    if norm == 0.0:
        return {}
    return {term: weight / norm for weight, term in top}


def build_postings(vectors: Mapping[int, Mapping[str, float]]) -> dict[str, list[tuple[int, float]]]:
    """The inverted index: for each term, the `POSTING_LIMIT` posts where it weighs most (heaviest first,
    then by id), among the posts whose top terms include it."""
    postings: dict[str, list[tuple[int, float]]] = {}
    for post_id, vector in vectors.items():
        for term, weight in vector.items():
            postings.setdefault(term, []).append((post_id, weight))
    for posting in postings.values():
        posting.sort(key=lambda entry: (-entry[1], entry[0]))
        del posting[POSTING_LIMIT:]
    return postings


def prune_vectors(
    vectors: Mapping[int, Mapping[str, float]], postings: Mapping[str, list[tuple[int, float]]]
) -> dict[int, dict[str, float]]:
    """Each post's terms restricted to those whose (pruned) posting list still holds the post."""
    kept: dict[int, set[str]] = {post_id: set() for post_id in vectors}
    for term, posting in postings.items():
        for post_id, _ in posting:
            if post_id in kept:
                kept[post_id].add(term)
    return {
        post_id: {term: weight for term, weight in vector.items() if term in kept[post_id]}
        for post_id, vector in vectors.items()
    }


def _saturate(total: float) -> float:
    return 1.0 - math.exp(-total / SATURATION)


def text_similarities(corpus: Corpus, post_id: int) -> dict[int, float]:
    """Cosine of `post_id`'s top terms with those of every post sharing one, through the index."""
    dots: dict[int, float] = {}
    get = dots.get
    for term, weight in corpus.vectors.get(post_id, {}).items():
        for other, other_weight in corpus.postings.get(term, ()):
            dots[other] = get(other, 0.0) + weight * other_weight
    dots.pop(post_id, None)
    return dots


def common_bound(corpus: Corpus, post_id: int) -> float:
    """The most that tags and people can add to the base score of a candidate that shares none of
    `post_id`'s rare tags or people (those that propose candidates)."""
    me = corpus.facts[post_id]
    tags = sum(
        inverse_frequency(corpus.tag_counts.get(tag, 1), corpus.size)
        for tag in me.tags
        if not corpus.proposes(corpus.tag_counts.get(tag, 0))
    )
    people = sum(
        inverse_frequency(corpus.person_counts.get(person, 1), corpus.size)
        for person in me.people
        if not corpus.proposes(corpus.person_counts.get(person, 0))
    )
    return TAG_WEIGHT * _saturate(tags) + PEOPLE_WEIGHT * _saturate(people)


def base_scores(corpus: Corpus, post_id: int, include: Iterable[int] = ()) -> dict[int, float]:
    """The symmetric part of the score between `post_id` and each of its candidates (and `include`)."""
    me = corpus.facts[post_id]
    dots = text_similarities(corpus, post_id)
    for tag in me.tags:
        if corpus.proposes(corpus.tag_counts.get(tag, 0)):
            for other in corpus.tag_posts.get(tag, ()):
                dots.setdefault(other, 0.0)
    for person in me.people:
        if corpus.proposes(corpus.person_counts.get(person, 0)):
            for other in corpus.person_posts.get(person, ()):
                dots.setdefault(other, 0.0)
    for other in include:
        dots.setdefault(other, 0.0)
    dots.pop(post_id, None)

    size = corpus.size
    tag_idf = {tag: inverse_frequency(corpus.tag_counts.get(tag, 1), size) for tag in me.tags}
    person_idf = {
        person: inverse_frequency(corpus.person_counts.get(person, 1), size) for person in me.people
    }
    facts = corpus.facts
    scores: dict[int, float] = {}
    for other, text in dots.items():
        other_facts = facts.get(other)
        if other_facts is None:  # not published, or not loaded because not a candidate
            continue
        base = TEXT_WEIGHT * text
        if tag_idf and other_facts.tags:
            shared = sum(tag_idf[tag] for tag in me.tags & other_facts.tags)
            if shared:
                base += TAG_WEIGHT * _saturate(shared)
        if person_idf and other_facts.people:
            shared = sum(person_idf[person] for person in me.people & other_facts.people)
            if shared:
                base += PEOPLE_WEIGHT * _saturate(shared)
        scores[other] = base
    return scores


def scaled(score: float) -> int:
    """A score as stored: an integer number of millionths."""
    return round(score * SCORE_SCALE)


def rank(corpus: Corpus, post_id: int, limit: int, pinned: Sequence[int] = ()) -> list[Ranked]:
    """The related posts of `post_id`: pinned posts first (in the editor's order), then the `limit`
    best-scoring candidates. Pinned ids must be published posts other than `post_id`."""
    pinned = [other for other in dict.fromkeys(pinned) if other != post_id and other in corpus.facts]
    scores = base_scores(corpus, post_id, include=pinned)
    keyed: list[tuple[int, float, int]] = []
    pinned_set = set(pinned)
    facts = corpus.facts
    recency = corpus.recency
    floor = scaled(MIN_SCORE)
    for other, base in scores.items():
        if other in pinned_set:
            continue
        score = scaled(base * recency(other))
        if score >= floor:
            keyed.append((-score, -facts[other].published, other))
    chosen = heapq.nsmallest(limit, keyed)
    order = [(other, scaled(scores.get(other, 0.0) * recency(other))) for other in pinned]
    order += [(other, -negative_score) for negative_score, _, other in chosen]
    return _explain(corpus, post_id, order, pinned_set)


def explain_pair(corpus: Corpus, post_id: int, other: int, score: int) -> Ranked:
    """What `post_id` and `other` share, as an entry of `post_id`'s list (the same seen from `other`)."""
    return _explain(corpus, post_id, [(other, score)], ())[0]


def _explain(
    corpus: Corpus, post_id: int, order: Sequence[tuple[int, int]], pinned: Collection[int]
) -> list[Ranked]:
    me = corpus.facts[post_id]
    wanted = {other for other, _ in order}
    contributions: dict[int, list[tuple[float, str]]] = {other: [] for other in wanted}
    for term, weight in corpus.vectors.get(post_id, {}).items():
        for other, other_weight in corpus.postings.get(term, ()):
            if other in wanted:
                contributions[other].append((weight * other_weight, term))

    def by_rarity(ids: Iterable[int], counts: Mapping[int, int]) -> tuple[int, ...]:
        # Something most posts share is no reason to read this one: leave it out of the explanation.
        telling = [item for item in ids if counts.get(item, 0) <= max(1.0, MAX_TERM_SHARE * corpus.size)]
        return tuple(sorted(telling, key=lambda item: (counts.get(item, 0), item)))

    result = []
    for other, score in order:
        other_facts = corpus.facts[other]
        top_terms = heapq.nlargest(REASON_TERMS, contributions[other])
        result.append(
            Ranked(
                post_id=other,
                score=score,
                pinned=other in pinned,
                tags=by_rarity(me.tags & other_facts.tags, corpus.tag_counts),
                people=by_rarity(me.people & other_facts.people, corpus.person_counts),
                terms=tuple(term for _, term in top_terms),
            )
        )
    return result
