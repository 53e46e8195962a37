"""Related news: the posts an editor would have picked to end a post with, computed when content changes.

`refresh_related(conn, changed_post_ids)` is the one entry point for writers: the importer calls it with
no ids after an import (every list is recomputed and the term index rebuilt); publishing, updating or
unpublishing one post calls it with that post's id, which recomputes only the lists that change.

An incremental refresh reads the document counts of the last full recompute (a new word in a changed
post counts as unique to it until the next import) and touches, besides the changed posts' own lists:
the lists that held a changed post, the lists a changed post now scores into, and the lists of posts
that pinned a changed post. The stored lists are always exact for the posts they are written for.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection

from content_api.services.related_scoring import (
    MIN_SCORE,
    POSTING_LIMIT,
    Corpus,
    PostFacts,
    Ranked,
    base_scores,
    build_postings,
    prune_vectors,
    rank,
    scaled,
    term_vector,
)
from content_api.services.related_text import TermCounter
from content_api.store import related as store
from content_api.store.related import PostText, RelatedRow

# Computed entries stored per post (pinned posts come on top of these). The API serves at most this many.
STORED_DEPTH = 10
MAX_RELATED = STORED_DEPTH
# How many related posts the API gives when not told.
DEFAULT_RELATED = 3


@dataclass(frozen=True, slots=True)
class RefreshSummary:
    """What a refresh did: whether it recomputed everything, how many posts it indexed and lists it wrote."""

    full: bool
    indexed: int
    lists: int


def refresh_related(conn: Connection, changed_post_ids: Iterable[int] | None = None) -> RefreshSummary:
    """Recompute related news inside the caller's transaction.

    With `changed_post_ids` None, everything is recomputed from the public posts. Otherwise only what
    the changes affect: pass the ids of posts that were created, edited, published, unpublished or
    deleted (a deleted id simply leaves every list).
    """
    if changed_post_ids is None:
        return _recompute_all(conn)
    changed = set(changed_post_ids)
    if not changed:
        return RefreshSummary(full=False, indexed=0, lists=0)
    return _recompute_changed(conn, changed)


def _timestamp(moment: datetime | None) -> float:
    return moment.timestamp() if moment is not None else 0.0


def _group(pairs: Iterable[tuple[int, int]]) -> dict[int, set[int]]:
    grouped: dict[int, set[int]] = {}
    for key, value in pairs:
        grouped.setdefault(key, set()).add(value)
    return grouped


def _invert(pairs: Iterable[tuple[int, int]]) -> dict[int, list[int]]:
    inverted: dict[int, list[int]] = {}
    for post_id, other in pairs:
        inverted.setdefault(other, []).append(post_id)
    return inverted


def _facts(
    dates: Mapping[int, datetime | None],
    tag_pairs: Iterable[tuple[int, int]],
    person_pairs: Iterable[tuple[int, int]],
) -> dict[int, PostFacts]:
    post_tags = _group(tag_pairs)
    post_people = _group(person_pairs)
    return {
        post_id: PostFacts(
            id=post_id,
            published=_timestamp(published),
            tags=frozenset(post_tags.get(post_id, ())),
            people=frozenset(post_people.get(post_id, ())),
        )
        for post_id, published in dates.items()
    }


class _Namer:
    """Turns what two posts share into the stored reason, with tag and people names."""

    def __init__(self, conn: Connection) -> None:
        self.tags = store.tag_names(conn)
        self.people = store.person_names(conn)

    def rows(self, post_id: int, ranked: list[Ranked]) -> list[RelatedRow]:
        return [
            RelatedRow(
                post_id=post_id,
                related_post_id=entry.post_id,
                rank=position,
                score=entry.score,
                pinned=entry.pinned,
                reason={
                    "tags": [self.tags[tag] for tag in entry.tags if tag in self.tags],
                    "people": [self.people[person] for person in entry.people if person in self.people],
                    "terms": list(entry.terms),
                },
            )
            for position, entry in enumerate(ranked)
        ]


def _pinned_ids(conn: Connection, texts: Iterable[PostText]) -> dict[int, list[int]]:
    texts = list(texts)
    ids = store.public_ids_by_slug(conn, {slug for text in texts for slug in text.pinned})
    return {text.id: [ids[slug] for slug in text.pinned if slug in ids] for text in texts if text.pinned}


def _recompute_all(conn: Connection) -> RefreshSummary:
    texts = store.post_texts(conn)
    counter = TermCounter()
    counts = {text.id: counter.post(text.title, text.summary, text.body_text) for text in texts}
    size = len(texts)
    documents: Counter[str] = Counter()
    for post_counts in counts.values():
        documents.update(post_counts.keys())
    vocabulary = {term: count for term, count in documents.items() if count >= 2}
    vectors = {post_id: term_vector(post_counts, vocabulary, size) for post_id, post_counts in counts.items()}

    tag_pairs = store.tag_links(conn)
    person_pairs = store.person_links(conn)
    postings = build_postings(vectors)
    corpus = Corpus(
        size=size,
        newest=max((_timestamp(text.published_at) for text in texts), default=0.0),
        facts=_facts({text.id: text.published_at for text in texts}, tag_pairs, person_pairs),
        vectors=prune_vectors(vectors, postings),
        postings=postings,
        tag_counts=Counter(tag for _, tag in tag_pairs),
        person_counts=Counter(person for _, person in person_pairs),
        tag_posts=_invert(tag_pairs),
        person_posts=_invert(person_pairs),
    )
    pinned = _pinned_ids(conn, texts)
    namer = _Namer(conn)
    lists = {
        text.id: namer.rows(text.id, rank(corpus, text.id, STORED_DEPTH, pinned.get(text.id, ())))
        for text in texts
    }
    store.replace_index(conn, vectors, vocabulary)
    store.replace_all_lists(conn, lists)
    return RefreshSummary(full=True, indexed=len(vectors), lists=len(lists))


def _load_corpus(
    conn: Connection, sources: Collection[int], size: int, newest: float, extra: Collection[int] = ()
) -> Corpus:
    """The part of the corpus needed to rank `sources`: their terms' posting lists, the posts sharing a
    rare tag or person with them, and the facts of all of those (and of `extra`)."""
    vectors = store.term_vectors(conn, sources)
    postings = store.postings(conn, {term for vector in vectors.values() for term in vector}, POSTING_LIMIT)
    tag_counts = store.tag_counts(conn)
    person_counts = store.person_counts(conn)
    source_tags = store.tag_links(conn, post_ids=sources)
    source_people = store.person_links(conn, post_ids=sources)
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
    corpus.tag_posts = _invert(store.tag_links(conn, tag_ids=rare_tags)) if rare_tags else {}
    corpus.person_posts = _invert(store.person_links(conn, person_ids=rare_people)) if rare_people else {}

    candidates = set(sources) | set(extra)
    candidates.update(post_id for posting in postings.values() for post_id, _ in posting)
    candidates.update(post_id for posts in corpus.tag_posts.values() for post_id in posts)
    candidates.update(post_id for posts in corpus.person_posts.values() for post_id in posts)
    dates = store.public_post_dates(conn, candidates)
    corpus.facts = _facts(
        dates,
        store.tag_links(conn, post_ids=dates.keys()),
        store.person_links(conn, post_ids=dates.keys()),
    )
    return corpus


def _recompute_changed(conn: Connection, changed: set[int]) -> RefreshSummary:
    texts = store.post_texts(conn, changed)
    public = [text for text in texts if text.public]
    public_ids = {text.id for text in public}
    gone = changed - public_ids
    size = store.public_post_count(conn)
    newest = _timestamp(store.newest_published(conn))

    counter = TermCounter()
    counts = {text.id: counter.post(text.title, text.summary, text.body_text) for text in public}
    documents = store.document_counts(conn, {term for post_counts in counts.values() for term in post_counts})
    vectors = {post_id: term_vector(post_counts, documents, size) for post_id, post_counts in counts.items()}
    store.replace_term_vectors(conn, vectors, removed=gone)

    affected = set(public_ids)
    affected |= store.lists_holding(conn, changed)
    affected |= store.posts_pinning(conn, {text.slug for text in texts})
    if public_ids:
        affected |= _lists_to_enter(conn, _load_corpus(conn, public_ids, size, newest), public_ids)
    affected -= gone

    pinned_texts = [text for text in store.post_texts(conn, affected) if text.public]
    pinned = _pinned_ids(conn, pinned_texts)
    sources = {text.id for text in pinned_texts}
    corpus = _load_corpus(
        conn, sources, size, newest, extra={other for ids in pinned.values() for other in ids}
    )
    namer = _Namer(conn)
    lists = {
        post_id: namer.rows(post_id, rank(corpus, post_id, STORED_DEPTH, pinned.get(post_id, ())))
        for post_id in sorted(sources)
        if post_id in corpus.facts
    }
    store.replace_lists(conn, lists, removed=gone)
    return RefreshSummary(full=False, indexed=len(vectors), lists=len(lists))


def _lists_to_enter(conn: Connection, corpus: Corpus, posts: Collection[int]) -> set[int]:
    """Posts whose stored list one of `posts` now belongs in: it scores at least their lowest entry,
    or their list has room. The base score is symmetric, so each post's own candidates are the
    only posts whose lists it can enter."""
    scores: dict[int, int] = {}
    for post_id in posts:
        if post_id not in corpus.facts:
            continue
        boost = corpus.recency(post_id)
        for other, base in base_scores(corpus, post_id).items():
            score = scaled(base * boost)
            if score >= scaled(MIN_SCORE) and score > scores.get(other, -1):
                scores[other] = score
    floors = store.list_floors(conn, scores)
    entering = set()
    for other, score in scores.items():
        count, lowest = floors.get(other, (0, 0))
        if count < STORED_DEPTH or score >= lowest:
            entering.add(other)
    return entering
