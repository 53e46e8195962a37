"""Related news: the posts an editor would have picked to end a post with, computed when content changes.

`refresh_related(conn, changed_post_ids)` is the one entry point for writers: the importer calls it with
no ids after an import (every list is recomputed and the term index rebuilt); publishing, updating or
unpublishing posts calls it with their ids, which recomputes only what changes
(`related_incremental`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from sqlalchemy import Connection

from content_api.services.related_incremental import recompute_changed
from content_api.services.related_loading import (
    DEFAULT_RELATED,
    MAX_RELATED,
    STORED_DEPTH,
    Namer,
    RefreshSummary,
    facts,
    invert,
    pinned_ids,
    timestamp,
)
from content_api.services.related_scoring import Corpus, build_postings, prune_vectors, rank, term_vector
from content_api.services.related_text import TermCounter
from content_api.store import related as store
from content_api.store.maintenance import lock_content_writes

__all__ = ["DEFAULT_RELATED", "MAX_RELATED", "RefreshSummary", "refresh_related"]


def refresh_related(conn: Connection, changed_post_ids: Iterable[int] | None = None) -> RefreshSummary:
    """Recompute related news inside the caller's transaction.

    With `changed_post_ids` None, everything is recomputed from the public posts. Otherwise only what
    the changes affect: pass the ids of posts that were created, edited, published, unpublished or
    deleted (a deleted id simply leaves every list).
    """
    # Two refreshes at once would rewrite the same lists; on PostgreSQL they take turns (re-entrant
    # when the caller holds the turn already, as imports do).
    lock_content_writes(conn)
    if changed_post_ids is None:
        return _recompute_all(conn)
    changed = set(changed_post_ids)
    if not changed:
        return RefreshSummary(full=False, indexed=0, lists=0)
    return recompute_changed(conn, changed)


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
        newest=max((timestamp(text.published_at) for text in texts), default=0.0),
        facts=facts({text.id: text.published_at for text in texts}, tag_pairs, person_pairs),
        vectors=prune_vectors(vectors, postings),
        postings=postings,
        tag_counts=Counter(tag for _, tag in tag_pairs),
        person_counts=Counter(person for _, person in person_pairs),
        tag_posts=invert(tag_pairs),
        person_posts=invert(person_pairs),
    )
    pinned = pinned_ids(conn, texts)
    namer = Namer(conn, everything=True)
    lists = {
        text.id: namer.rows(text.id, rank(corpus, text.id, STORED_DEPTH, pinned.get(text.id, ())))
        for text in texts
    }
    store.replace_index(conn, vectors, vocabulary)
    store.save_corpus_size(conn, size)
    store.replace_all_lists(conn, lists)
    return RefreshSummary(full=True, indexed=len(vectors), lists=len(lists))
