"""Between the store and the scoring of related news: loading the corpus, or the part of it around some
posts, and turning rankings into stored rows with readable reasons."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection

from content_api.services.related_scoring import POSTING_LIMIT, Corpus, PostFacts, Ranked, prune_vectors
from content_api.store import related as store
from content_api.store.related import PostText, RelatedRow

# Computed entries stored per post (pinned posts come on top of these). Twice what the API serves, so
# that a list losing an entry to an incremental refresh stays exact for every `first` it is asked for.
STORED_DEPTH = 20
MAX_RELATED = 10
# How many related posts the API gives when not told.
DEFAULT_RELATED = 3


@dataclass(frozen=True, slots=True)
class RefreshSummary:
    """What a refresh did: whether it recomputed everything, how many posts it indexed and lists it wrote."""

    full: bool
    indexed: int
    lists: int


def timestamp(moment: datetime | None) -> float:
    return moment.timestamp() if moment is not None else 0.0


def _group(pairs: Iterable[tuple[int, int]]) -> dict[int, set[int]]:
    grouped: dict[int, set[int]] = {}
    for key, value in pairs:
        grouped.setdefault(key, set()).add(value)
    return grouped


def invert(pairs: Iterable[tuple[int, int]]) -> dict[int, list[int]]:
    """(post, tag or person) pairs as the posts of each tag or person."""
    inverted: dict[int, list[int]] = {}
    for post_id, other in pairs:
        inverted.setdefault(other, []).append(post_id)
    return inverted


def facts(
    dates: Mapping[int, datetime | None],
    tag_pairs: Iterable[tuple[int, int]],
    person_pairs: Iterable[tuple[int, int]],
) -> dict[int, PostFacts]:
    """The facts of the posts in `dates`, from their (post, tag) and (post, person) pairs."""
    post_tags = _group(tag_pairs)
    post_people = _group(person_pairs)
    return {
        post_id: PostFacts(
            id=post_id,
            published=timestamp(published),
            tags=frozenset(post_tags.get(post_id, ())),
            people=frozenset(post_people.get(post_id, ())),
        )
        for post_id, published in dates.items()
    }


class Namer:
    """Turns what two posts share into the stored reason, with tag and people names.

    With `everything`, all names are read at once (a full recompute); otherwise names are read as
    reasons need them.
    """

    def __init__(self, conn: Connection, *, everything: bool = False) -> None:
        self._conn = conn
        self.tags = store.tag_names(conn) if everything else {}
        self.people = store.person_names(conn) if everything else {}
        self._everything = everything

    def reason(self, entry: Ranked) -> dict[str, list[str]]:
        if not self._everything:
            if missing := set(entry.tags) - self.tags.keys():
                self.tags.update(store.tag_names(self._conn, missing))
            if missing := set(entry.people) - self.people.keys():
                self.people.update(store.person_names(self._conn, missing))
        return {
            "tags": [self.tags[tag] for tag in entry.tags if tag in self.tags],
            "people": [self.people[person] for person in entry.people if person in self.people],
            "terms": list(entry.terms),
        }

    def rows(self, post_id: int, ranked: list[Ranked]) -> list[RelatedRow]:
        return [
            RelatedRow(
                post_id=post_id,
                related_post_id=entry.post_id,
                rank=position,
                score=entry.score,
                pinned=entry.pinned,
                reason=self.reason(entry),
            )
            for position, entry in enumerate(ranked)
        ]


def pinned_ids(conn: Connection, texts: Iterable[PostText]) -> dict[int, list[int]]:
    """The public posts each post pinned, in the editor's order (unknown or unpublished slugs left out)."""
    texts = list(texts)
    ids = store.public_ids_by_slug(conn, {slug for text in texts for slug in text.pinned})
    return {text.id: [ids[slug] for slug in text.pinned if slug in ids] for text in texts if text.pinned}


# Given the corpus with the sources' facts and index, and the candidates found, the candidates whose
# facts are worth loading.
Narrowing = Callable[[Corpus, set[int]], set[int]]


def load_corpus(
    conn: Connection,
    sources: Collection[int],
    size: int,
    newest: float,
    extra: Collection[int] = (),
    narrow: Narrowing | None = None,
) -> Corpus:
    """The part of the corpus needed to rank `sources`: their terms' posting lists, the posts sharing a
    rare tag or person with them, and the facts of all of those (and of `extra`), or of those `narrow`
    keeps."""
    vectors = store.term_vectors(conn, sources)
    postings = store.postings(conn, {term for vector in vectors.values() for term in vector}, POSTING_LIMIT)
    source_tags = store.tag_links(conn, post_ids=sources)
    source_people = store.person_links(conn, post_ids=sources)
    # Only the sources' own tags and people weigh in their scores: count only those.
    tag_counts = store.tag_counts(conn, {tag for _, tag in source_tags})
    person_counts = store.person_counts(conn, {person for _, person in source_people})
    corpus = Corpus(
        size=size,
        newest=newest,
        facts={},
        vectors=prune_vectors(vectors, postings),
        postings=postings,
        tag_counts=tag_counts,
        person_counts=person_counts,
    )
    rare_tags = {tag for _, tag in source_tags if corpus.proposes(tag_counts.get(tag, 0))}
    rare_people = {person for _, person in source_people if corpus.proposes(person_counts.get(person, 0))}
    corpus.tag_posts = invert(store.tag_links(conn, tag_ids=rare_tags)) if rare_tags else {}
    corpus.person_posts = invert(store.person_links(conn, person_ids=rare_people)) if rare_people else {}

    corpus.facts = facts(store.public_post_dates(conn, sources), source_tags, source_people)
    candidates = set(extra)
    candidates.update(post_id for posting in postings.values() for post_id, _ in posting)
    candidates.update(post_id for posts in corpus.tag_posts.values() for post_id in posts)
    candidates.update(post_id for posts in corpus.person_posts.values() for post_id in posts)
    candidates -= corpus.facts.keys()
    if narrow is not None:
        candidates = narrow(corpus, candidates)
    dates = store.public_post_dates(conn, candidates)
    corpus.facts.update(
        facts(
            dates,
            store.tag_links(conn, post_ids=dates.keys()),
            store.person_links(conn, post_ids=dates.keys()),
        )
    )
    return corpus
