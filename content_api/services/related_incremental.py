"""Refreshing related news after a few posts changed, without recomputing every list.

Every stored list is an exact prefix of its post's ranking: its entries are the best-scoring posts, in
order, and every post left out scores no higher than its last entry. A refresh keeps that true while
touching only:

- the changed posts: re-indexed (with the document counts of the last full recompute) and ranked again;
- lists holding a changed post: the post leaves, and the rest stays an exact, shorter prefix;
- lists a changed post scores into: it is inserted when it ranks above the last entry (the score's
  symmetric part computed once, from the changed post's side, gives its score in every other list);
- lists of posts that pin a changed post, and any list left shorter than the API serves: ranked again.

Lists store `STORED_DEPTH` entries, twice what the API serves, so a list rarely needs ranking again.
"""

from __future__ import annotations

from sqlalchemy import Connection

from content_api.services.related_loading import (
    MAX_RELATED,
    STORED_DEPTH,
    Namer,
    Narrowing,
    RefreshSummary,
    load_corpus,
    pinned_ids,
    timestamp,
)
from content_api.services.related_scoring import (
    MIN_SCORE,
    RECENCY_BOOST,
    TEXT_WEIGHT,
    Corpus,
    base_scores,
    common_bound,
    explain_pair,
    rank,
    scaled,
    term_vector,
    text_similarities,
)
from content_api.services.related_text import TermCounter
from content_api.store import related as store
from content_api.store.related import RelatedRow, StoredEntry

# Orders entries as rankings do: higher score, then newer, then smaller id.
_Key = tuple[int, float, int]


def recompute_changed(conn: Connection, changed: set[int]) -> RefreshSummary:
    """Refresh related news after the posts `changed` were created, edited, (un)published or deleted."""
    texts = store.post_texts(conn, changed)
    public = [text for text in texts if text.public]
    public_ids = {text.id for text in public}
    gone = changed - public_ids
    # A post that had a list was public already: every post pinning it holds it (found below).
    newly_public = public_ids - store.posts_with_lists(conn, public_ids)
    # Document counts stay as the last full recompute left them, and so does the corpus size they go with.
    size = store.corpus_size(conn) or store.public_post_count(conn)
    newest = timestamp(store.newest_published(conn))

    counter = TermCounter()
    counts = {text.id: counter.post(text.title, text.summary, text.body_text) for text in public}
    documents = store.document_counts(conn, {term for post_counts in counts.values() for term in post_counts})
    vectors = {post_id: term_vector(post_counts, documents, size) for post_id, post_counts in counts.items()}
    store.replace_term_vectors(conn, vectors, removed=gone)

    own_pins = pinned_ids(conn, public)
    pinned_posts = {other for ids in own_pins.values() for other in ids}
    floors: dict[int, tuple[int, int]] = {}
    corpus = load_corpus(
        conn, public_ids, size, newest, extra=pinned_posts, narrow=_narrowing(conn, pinned_posts, floors)
    )
    namer = Namer(conn)
    lists: dict[int, list[RelatedRow]] = {
        post_id: namer.rows(post_id, rank(corpus, post_id, STORED_DEPTH, own_pins.get(post_id, ())))
        for post_id in sorted(public_ids)
        if post_id in corpus.facts
    }

    offers = _offers(corpus, public_ids, changed)
    entering = {
        other for other, scores in offers.items() if _may_enter(floors.get(other), max(scores.values()))
    }
    holders = store.lists_holding(conn, changed) - changed
    unknown = holders - corpus.facts.keys()
    holders -= unknown - store.public_post_dates(conn, unknown).keys()  # lists of posts no longer public
    newly_public_slugs = {text.slug for text in public if text.id in newly_public}
    again = store.posts_pinning(conn, newly_public_slugs) - changed if newly_public_slugs else set()

    to_merge = (holders | entering) - again
    stored = store.stored_lists(conn, to_merge)
    for post_id in sorted(to_merge):
        entries = stored.get(post_id, [])
        merged = _merge(post_id, entries, offers.get(post_id, {}), changed, corpus, namer)
        if merged is None:
            again.add(post_id)
        elif [(row.related_post_id, row.score, row.pinned) for row in merged] != [
            (entry.related_post_id, entry.score, entry.pinned) for entry in entries
        ]:
            lists[post_id] = merged

    if again:
        again_texts = [text for text in store.post_texts(conn, again) if text.public]
        pins = pinned_ids(conn, again_texts)
        sources = {text.id for text in again_texts}
        around = load_corpus(
            conn, sources, size, newest, extra={other for ids in pins.values() for other in ids}
        )
        for post_id in sorted(sources):
            lists[post_id] = namer.rows(post_id, rank(around, post_id, STORED_DEPTH, pins.get(post_id, ())))

    store.replace_lists(conn, lists, removed=gone)
    return RefreshSummary(full=False, indexed=len(vectors), lists=len(lists))


def _narrowing(conn: Connection, keep: set[int], floors: dict[int, tuple[int, int]]) -> Narrowing:
    """Which candidates of the changed posts are worth loading: those that might rank in a changed
    post's own list, or might enter the list of their own (their `floors`, read here, are kept for
    later). A bound decides: a candidate's text similarity is known from the index alone, and what
    tags, people and recency can add to it is bounded."""

    def narrow(corpus: Corpus, candidates: set[int]) -> set[int]:
        floors.update(store.list_floors(conn, candidates))
        chosen = set(keep) & candidates
        for posts in (*corpus.tag_posts.values(), *corpus.person_posts.values()):
            chosen.update(post_id for post_id in posts if post_id in candidates)
        most_recent = 1.0 + RECENCY_BOOST
        for post_id in corpus.facts:
            text = {
                other: TEXT_WEIGHT * similarity
                for other, similarity in text_similarities(corpus, post_id).items()
                if other in candidates
            }
            # Each candidate scores at least its text part: the list needs nothing scoring below the
            # STORED_DEPTH-th best of those.
            lowest = sorted((score for other, score in text.items() if other not in keep), reverse=True)
            needed = max(MIN_SCORE, lowest[STORED_DEPTH - 1] if len(lowest) >= STORED_DEPTH else 0.0)
            bound = common_bound(corpus, post_id)
            boost = corpus.recency(post_id)
            for other, score in text.items():
                best = score + bound
                floor = floors.get(other)
                if best * most_recent >= needed or floor is None or scaled(best * boost) >= floor[1]:
                    chosen.add(other)
        return chosen

    return narrow


def _offers(corpus: Corpus, public_ids: set[int], changed: set[int]) -> dict[int, dict[int, int]]:
    """For each other post, the score each changed post now has in its list."""
    offers: dict[int, dict[int, int]] = {}
    floor = scaled(MIN_SCORE)
    for post_id in public_ids:
        if post_id not in corpus.facts:
            continue
        boost = corpus.recency(post_id)
        for other, base in base_scores(corpus, post_id).items():
            score = scaled(base * boost)
            if score >= floor and other not in changed:
                offers.setdefault(other, {})[post_id] = score
    return offers


def _may_enter(floor: tuple[int, int] | None, score: int) -> bool:
    """Whether a post scoring `score` may belong in a list with `floor` (entries, lowest score); a post
    without a computed list is ranked again."""
    if floor is None:
        return True
    # A list with room would not take a post scoring below its last entry either (see `_merge`).
    return score >= floor[1]


def _key(score: int, published: float, post_id: int) -> _Key:
    return (-score, -published, post_id)


def _merge(
    post_id: int,
    entries: list[StoredEntry],
    offers: dict[int, int],
    changed: set[int],
    corpus: Corpus,
    namer: Namer,
) -> list[RelatedRow] | None:
    """The list of `post_id` with the changed posts taken out and put back where they now rank, or None
    when that cannot be exact (a pinned post changed, or too few entries would be left)."""
    pinned = [entry for entry in entries if entry.pinned]
    if any(entry.related_post_id in changed or not entry.public for entry in pinned):
        return None
    kept = [
        entry
        for entry in entries
        if not entry.pinned and entry.public and entry.related_post_id not in changed
    ]
    ranked: list[tuple[_Key, RelatedRow]] = [
        (
            _key(entry.score, timestamp(entry.published_at), entry.related_post_id),
            RelatedRow(post_id, entry.related_post_id, 0, entry.score, False, entry.reason),
        )
        for entry in kept
    ]
    if ranked:
        last = ranked[-1][0]
        for other, score in offers.items():
            key = _key(score, corpus.facts[other].published, other)
            # Below the last entry, unlisted posts might outrank it: leave it out, the prefix stays exact.
            if key < last:
                reason = namer.reason(explain_pair(corpus, other, post_id, score))
                ranked.append((key, RelatedRow(post_id, other, 0, score, False, reason)))
    ranked.sort(key=lambda item: item[0])
    computed = [row for _, row in ranked[:STORED_DEPTH]]
    if len(computed) < MAX_RELATED:
        return None
    rows = [
        RelatedRow(post_id, entry.related_post_id, 0, entry.score, True, entry.reason) for entry in pinned
    ] + computed
    return [
        RelatedRow(row.post_id, row.related_post_id, position, row.score, row.pinned, row.reason)
        for position, row in enumerate(rows)
    ]
