"""Reading and writing related news: the `post_related` lists, the term index and its vocabulary.

Only public posts (`queries.PUBLIC`) take part in related news: facts read here for scoring leave the
others out, and the read query for the API filters the stored lists by visibility again, so a post that
stops being public leaves every list at once even before the lists are recomputed.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import ARRAY, Connection, String, any_, bindparam, cast, delete, func, insert, literal, select

from content_api.store.prepared import PreparedRead
from content_api.store.queries import (
    LISTED_POST_COLUMNS,
    PUBLIC,
    PostRecord,
    PostScope,
    post_record,
    with_feature_image,
)
from content_api.store.tables import (
    people,
    post_authors,
    post_people,
    post_related,
    post_tags,
    posts,
    related_terms,
    related_vocabulary,
    site_state,
    tags,
)

# The site_state key holding the corpus size of the last full recompute.
CORPUS_SIZE = "related_corpus_size"

# Ids or terms per IN list: well under SQLite's and PostgreSQL's limits on bound parameters.
_CHUNK = 2000

T = TypeVar("T")


def _among(conn: Connection, column: Any, values: Collection[Any]) -> Any:
    """`column IN values`; on PostgreSQL one array parameter (`= ANY(...)`) rather than one per value."""
    if conn.dialect.name == "postgresql":
        return column == any_(literal(list(values), ARRAY(column.type)))
    return column.in_(values)


def _chunks(items: Iterable[T], size: int = _CHUNK) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass(frozen=True, slots=True)
class PostText:
    """A post's text and the facts related news needs, public or not."""

    id: int
    slug: str
    title: str
    summary: str | None
    body_text: str
    published_at: datetime | None
    public: bool
    pinned: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RelatedRow:
    """One entry of a post's related list, as stored."""

    post_id: int
    related_post_id: int
    rank: int
    score: int
    pinned: bool
    reason: dict[str, Any]


class RelatedEntry(NamedTuple):
    """One entry of a related list as served: the related post and why it is related."""

    post: PostRecord
    rank: int
    score: int
    pinned: bool
    reason: dict[str, Any]


def _pinned(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(slug for slug in value if isinstance(slug, str))


# ---------------------------------------------------------------------------------------------------
# Facts for scoring


def post_texts(conn: Connection, ids: Collection[int] | None = None) -> list[PostText]:
    """Every public post (`ids` None), or the posts among `ids` whatever their status."""
    columns = (
        posts.c.id,
        posts.c.slug,
        posts.c.title,
        posts.c.summary,
        posts.c.body_text,
        posts.c.published_at,
        PUBLIC.visible().label("public"),
        posts.c.pinned_related,
    )
    if ids is None:
        rows: list[Any] = list(conn.execute(select(*columns).where(PUBLIC.visible()).order_by(posts.c.id)))
    else:
        rows = []
        for batch in _chunks(sorted(set(ids))):
            rows += conn.execute(select(*columns).where(_among(conn, posts.c.id, batch)))
    return [
        PostText(
            id=row[0],
            slug=row[1],
            title=row[2],
            summary=row[3],
            body_text=row[4],
            published_at=row[5],
            public=bool(row[6]),
            pinned=_pinned(row[7]),
        )
        for row in rows
    ]


def public_post_dates(conn: Connection, ids: Collection[int]) -> dict[int, datetime | None]:
    """Published dates of the public posts among `ids`."""
    found: dict[int, datetime | None] = {}
    for batch in _chunks(sorted(set(ids))):
        query = select(posts.c.id, posts.c.published_at).where(
            PUBLIC.visible(), _among(conn, posts.c.id, batch)
        )
        found.update((row[0], row[1]) for row in conn.execute(query))
    return found


def save_corpus_size(conn: Connection, size: int) -> None:
    """Remember how many public posts the last full recompute saw (the N of its document counts)."""
    conn.execute(delete(site_state).where(site_state.c.key == CORPUS_SIZE))
    conn.execute(insert(site_state).values(key=CORPUS_SIZE, value=str(size)))


def corpus_size(conn: Connection) -> int | None:
    """The number of public posts at the last full recompute, or None before the first."""
    value = conn.execute(select(site_state.c.value).where(site_state.c.key == CORPUS_SIZE)).scalar()
    return int(value) if value is not None else None


def public_post_count(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(posts).where(PUBLIC.visible())).scalar_one())


def newest_published(conn: Connection) -> datetime | None:
    return conn.execute(select(func.max(posts.c.published_at)).where(PUBLIC.visible())).scalar()


def _link_query(
    conn: Connection,
    table: Any,
    other: str,
    post_ids: Collection[int] | None,
    other_ids: Collection[int] | None,
) -> Any:
    """(post, other) pairs of a link table: of the given posts or the given others, whatever the posts'
    status (callers look the posts up as public posts afterwards), or of all public posts."""
    if post_ids is not None:
        return select(table.c.post_id, table.c[other]).where(_among(conn, table.c.post_id, post_ids))
    if other_ids is not None:
        return select(table.c.post_id, table.c[other]).where(_among(conn, table.c[other], other_ids))
    return (
        select(table.c.post_id, table.c[other])
        .join(posts, posts.c.id == table.c.post_id)
        .where(PUBLIC.visible())
    )


def _pairs(
    conn: Connection,
    tables: Sequence[Any],
    other: str,
    post_ids: Collection[int] | None,
    other_ids: Collection[int] | None,
) -> list[tuple[int, int]]:
    found: set[tuple[int, int]] = set()
    if post_ids is None and other_ids is None:
        for table in tables:
            found.update(
                (row[0], row[1]) for row in conn.execute(_link_query(conn, table, other, None, None))
            )
        return sorted(found)
    by_posts = post_ids is not None
    for batch in _chunks(sorted(set((post_ids if by_posts else other_ids) or ()))):
        for table in tables:
            query = _link_query(conn, table, other, batch if by_posts else None, None if by_posts else batch)
            found.update((row[0], row[1]) for row in conn.execute(query))
    return sorted(found)


def tag_links(
    conn: Connection, *, post_ids: Collection[int] | None = None, tag_ids: Collection[int] | None = None
) -> list[tuple[int, int]]:
    """(post, tag) pairs of the given posts or tags (posts of any status), or of all public posts."""
    return _pairs(conn, (post_tags,), "tag_id", post_ids, tag_ids)


def person_links(
    conn: Connection, *, post_ids: Collection[int] | None = None, person_ids: Collection[int] | None = None
) -> list[tuple[int, int]]:
    """(post, person) pairs, authors and people mentioned alike, chosen as in `tag_links`."""
    return _pairs(conn, (post_authors, post_people), "person_id", post_ids, person_ids)


def _counts(
    conn: Connection, tables: Sequence[Any], other: str, ids: Collection[int] | None
) -> dict[int, int]:
    counts: dict[int, int] = {}
    batches: Iterable[list[int] | None] = [None] if ids is None else _chunks(sorted(set(ids)))
    for batch in batches:
        for table in tables:
            query = (
                select(table.c[other], func.count())
                .join(posts, posts.c.id == table.c.post_id)
                .where(PUBLIC.visible())
                .group_by(table.c[other])
            )
            if batch is not None:
                query = query.where(_among(conn, table.c[other], batch))
            for key, count in conn.execute(query):
                counts[key] = counts.get(key, 0) + int(count)
    return counts


def tag_counts(conn: Connection, tag_ids: Collection[int] | None = None) -> dict[int, int]:
    """How many public posts carry each tag (of `tag_ids`, or all)."""
    return _counts(conn, (post_tags,), "tag_id", tag_ids)


def person_counts(conn: Connection, person_ids: Collection[int] | None = None) -> dict[int, int]:
    """How many public posts each person (of `person_ids`, or all) wrote or is mentioned in (the
    people mentioned in a post never include its authors, so the two never count a post twice)."""
    return _counts(conn, (post_authors, post_people), "person_id", person_ids)


def tag_names(conn: Connection, ids: Collection[int] | None = None) -> dict[int, str]:
    """Names of the tags `ids` (all tags when None)."""
    if ids is None:
        return {row[0]: row[1] for row in conn.execute(select(tags.c.id, tags.c.name))}
    found: dict[int, str] = {}
    for batch in _chunks(sorted(set(ids))):
        found.update(
            (row[0], row[1])
            for row in conn.execute(select(tags.c.id, tags.c.name).where(_among(conn, tags.c.id, batch)))
        )
    return found


def person_names(conn: Connection, ids: Collection[int] | None = None) -> dict[int, str]:
    """Names of the people `ids` (everyone when None)."""
    if ids is None:
        return {row[0]: row[1] for row in conn.execute(select(people.c.id, people.c.name))}
    found: dict[int, str] = {}
    for batch in _chunks(sorted(set(ids))):
        query = select(people.c.id, people.c.name).where(_among(conn, people.c.id, batch))
        found.update((row[0], row[1]) for row in conn.execute(query))
    return found


def public_ids_by_slug(conn: Connection, slugs: Collection[str]) -> dict[str, int]:
    """Ids of the public posts among `slugs`."""
    found: dict[str, int] = {}
    for batch in _chunks(sorted(set(slugs))):
        query = select(posts.c.slug, posts.c.id).where(PUBLIC.visible(), _among(conn, posts.c.slug, batch))
        found.update((row[0], row[1]) for row in conn.execute(query))
    return found


def posts_pinning(conn: Connection, slugs: Collection[str]) -> set[int]:
    """Ids of the posts whose editors pinned any of `slugs` as related."""
    found: set[int] = set()
    text = cast(posts.c.pinned_related, String)
    for slug in sorted(set(slugs)):
        pattern = '%"' + slug.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + '"%'
        query = select(posts.c.id, posts.c.pinned_related).where(text.like(pattern, escape="\\"))
        found.update(row[0] for row in conn.execute(query) if slug in _pinned(row[1]))
    return found


# ---------------------------------------------------------------------------------------------------
# The term index


def document_counts(conn: Connection, terms: Collection[str]) -> dict[str, int]:
    """How many public posts used each of `terms` at the last full recompute (absent: at most one)."""
    found: dict[str, int] = {}
    for batch in _chunks(sorted(set(terms))):
        query = select(related_vocabulary.c.term, related_vocabulary.c.document_count).where(
            _among(conn, related_vocabulary.c.term, batch)
        )
        found.update((row[0], int(row[1])) for row in conn.execute(query))
    return found


def term_vectors(conn: Connection, post_ids: Collection[int]) -> dict[int, dict[str, float]]:
    """The indexed top terms of each of `post_ids`, with their weights."""
    vectors: dict[int, dict[str, float]] = {}
    for batch in _chunks(sorted(set(post_ids))):
        query = select(related_terms.c.post_id, related_terms.c.term, related_terms.c.weight).where(
            _among(conn, related_terms.c.post_id, batch)
        )
        for post_id, term, weight in conn.execute(query):
            vectors.setdefault(post_id, {})[term] = float(weight)
    return vectors


def postings(conn: Connection, terms: Collection[str], limit: int) -> dict[str, list[tuple[int, float]]]:
    """The posting list of each of `terms`: the `limit` posts where the term weighs most (heaviest
    first, then by id), with their weights."""
    found: dict[str, list[tuple[int, float]]] = {}
    for batch in _chunks(sorted(set(terms))):
        position = (
            func.row_number()
            .over(
                partition_by=related_terms.c.term,
                order_by=(related_terms.c.weight.desc(), related_terms.c.post_id),
            )
            .label("position")
        )
        ranked = (
            select(related_terms.c.term, related_terms.c.post_id, related_terms.c.weight, position)
            .where(_among(conn, related_terms.c.term, batch))
            .subquery()
        )
        query = (
            select(ranked.c.term, ranked.c.post_id, ranked.c.weight)
            .where(ranked.c.position <= limit)
            .order_by(ranked.c.term, ranked.c.position)
        )
        for term, post_id, weight in conn.execute(query):
            found.setdefault(term, []).append((post_id, float(weight)))
    return found


def _vector_rows(vectors: Mapping[int, Mapping[str, float]]) -> list[dict[str, Any]]:
    return [
        {"post_id": post_id, "term": term, "weight": weight}
        for post_id, vector in vectors.items()
        for term, weight in vector.items()
    ]


def replace_index(
    conn: Connection, vectors: Mapping[int, Mapping[str, float]], vocabulary: Mapping[str, int]
) -> None:
    """Replace the whole term index and vocabulary."""
    conn.execute(delete(related_terms))
    conn.execute(delete(related_vocabulary))
    rows = _vector_rows(vectors)
    for batch in _chunks(rows, 10_000):
        conn.execute(insert(related_terms), batch)
    vocabulary_rows = [{"term": term, "document_count": count} for term, count in vocabulary.items()]
    for batch in _chunks(vocabulary_rows, 10_000):
        conn.execute(insert(related_vocabulary), batch)


def replace_term_vectors(
    conn: Connection, vectors: Mapping[int, Mapping[str, float]], removed: Collection[int] = ()
) -> None:
    """Replace the indexed terms of the posts in `vectors`, and drop those of `removed`."""
    for batch in _chunks(sorted(set(vectors) | set(removed))):
        conn.execute(delete(related_terms).where(_among(conn, related_terms.c.post_id, batch)))
    rows = _vector_rows(vectors)
    if rows:
        conn.execute(insert(related_terms), rows)


# ---------------------------------------------------------------------------------------------------
# The stored lists


def posts_with_lists(conn: Connection, post_ids: Collection[int]) -> set[int]:
    """The posts among `post_ids` that have a stored related list."""
    found: set[int] = set()
    for batch in _chunks(sorted(set(post_ids))):
        query = select(post_related.c.post_id).where(_among(conn, post_related.c.post_id, batch)).distinct()
        found.update(row[0] for row in conn.execute(query))
    return found


def lists_holding(conn: Connection, post_ids: Collection[int]) -> set[int]:
    """Ids of the posts whose related lists include any of `post_ids`."""
    found: set[int] = set()
    for batch in _chunks(sorted(set(post_ids))):
        query = (
            select(post_related.c.post_id)
            .where(_among(conn, post_related.c.related_post_id, batch))
            .distinct()
        )
        found.update(row[0] for row in conn.execute(query))
    return found


def list_floors(conn: Connection, post_ids: Collection[int]) -> dict[int, tuple[int, int]]:
    """For each of `post_ids` with a stored list: how many computed (unpinned) entries, lowest score."""
    found: dict[int, tuple[int, int]] = {}
    for batch in _chunks(sorted(set(post_ids))):
        query = (
            select(post_related.c.post_id, func.count(), func.min(post_related.c.score))
            .where(_among(conn, post_related.c.post_id, batch), post_related.c.pinned.is_(False))
            .group_by(post_related.c.post_id)
        )
        found.update((row[0], (int(row[1]), int(row[2]))) for row in conn.execute(query))
    return found


@dataclass(frozen=True, slots=True)
class StoredEntry:
    """One stored entry of a related list, with what ordering and visibility need of the post it names."""

    related_post_id: int
    score: int
    pinned: bool
    reason: dict[str, Any]
    published_at: datetime | None
    public: bool


def stored_lists(conn: Connection, post_ids: Collection[int]) -> dict[int, list[StoredEntry]]:
    """The stored related lists of `post_ids`, in rank order (posts without a list are absent)."""
    found: dict[int, list[StoredEntry]] = {}
    for batch in _chunks(sorted(set(post_ids))):
        query = (
            select(
                post_related.c.post_id,
                post_related.c.related_post_id,
                post_related.c.score,
                post_related.c.pinned,
                post_related.c.reason,
                posts.c.published_at,
                PUBLIC.visible(),
            )
            .join(posts, posts.c.id == post_related.c.related_post_id)
            .where(_among(conn, post_related.c.post_id, batch))
            .order_by(post_related.c.post_id, post_related.c.rank)
        )
        for row in conn.execute(query):
            found.setdefault(row[0], []).append(
                StoredEntry(row[1], int(row[2]), bool(row[3]), dict(row[4] or {}), row[5], bool(row[6]))
            )
    return found


def _list_rows(lists: Mapping[int, Sequence[RelatedRow]]) -> list[dict[str, Any]]:
    return [
        {
            "post_id": row.post_id,
            "related_post_id": row.related_post_id,
            "rank": row.rank,
            "score": row.score,
            "pinned": row.pinned,
            "reason": row.reason,
        }
        for rows in lists.values()
        for row in rows
    ]


def replace_all_lists(conn: Connection, lists: Mapping[int, Sequence[RelatedRow]]) -> None:
    """Replace every stored related list."""
    conn.execute(delete(post_related))
    for batch in _chunks(_list_rows(lists), 10_000):
        conn.execute(insert(post_related), batch)


def replace_lists(
    conn: Connection, lists: Mapping[int, Sequence[RelatedRow]], removed: Collection[int] = ()
) -> None:
    """Replace the related lists of the posts in `lists`, and delete those of `removed`."""
    for batch in _chunks(sorted(set(lists) | set(removed))):
        conn.execute(delete(post_related).where(_among(conn, post_related.c.post_id, batch)))
    rows = _list_rows(lists)
    if rows:
        conn.execute(insert(post_related), rows)


@cache
def _related_read(scope: PostScope) -> PreparedRead:
    # Entries are ranked within each list among the related posts still public (a list cut to `limit`
    # skips posts taken down since it was computed); only the entries kept are joined to their posts,
    # so a post's long columns are read for those alone.
    listed = posts.alias("listed")
    ranked = (
        select(
            post_related.c.post_id.label("list_id"),
            post_related.c.related_post_id,
            post_related.c.rank,
            post_related.c.score,
            post_related.c.pinned,
            post_related.c.reason,
            func.row_number()
            .over(partition_by=post_related.c.post_id, order_by=post_related.c.rank)
            .label("position"),
        )
        .join(listed, listed.c.id == post_related.c.related_post_id)
        .where(
            post_related.c.post_id.in_(bindparam("keys", expanding=True)),
            PUBLIC.visible(listed),
            scope.visible(listed),
        )
        .subquery()
    )
    statement = (
        select(
            ranked.c.list_id,
            ranked.c.rank,
            ranked.c.score,
            ranked.c.pinned,
            ranked.c.reason,
            *LISTED_POST_COLUMNS,
        )
        .select_from(with_feature_image(ranked.join(posts, posts.c.id == ranked.c.related_post_id)))
        .where(ranked.c.position <= bindparam("limit"))
        .order_by(ranked.c.list_id, ranked.c.rank)
    )
    return PreparedRead(statement, "keys")


@cache
def _one_list_read(scope: PostScope) -> PreparedRead:
    # The same for one post's list (a post page): walking its entries in rank order and stopping at
    # `limit` needs no ranking of the whole list.
    statement = (
        select(
            post_related.c.post_id,
            post_related.c.rank,
            post_related.c.score,
            post_related.c.pinned,
            post_related.c.reason,
            *LISTED_POST_COLUMNS,
        )
        .select_from(
            with_feature_image(post_related.join(posts, posts.c.id == post_related.c.related_post_id))
        )
        .where(post_related.c.post_id == bindparam("list_id"), PUBLIC.visible(), scope.visible())
        .order_by(post_related.c.rank)
        .limit(bindparam("limit"))
    )
    return PreparedRead(statement)


def related_posts(
    conn: Connection, scope: PostScope, post_ids: Collection[int], limit: int
) -> dict[int, list[RelatedEntry]]:
    """The first `limit` related posts of each of `post_ids`, in stored order, public posts only.

    One statement whatever the number of posts: the stored entries with the posts they name.
    """
    if not post_ids or limit <= 0:
        return {}
    wanted = sorted(set(post_ids))
    if len(wanted) == 1:
        rows = _one_list_read(scope).rows(conn, arguments={"list_id": wanted[0], "limit": limit})
    else:
        rows = _related_read(scope).rows(conn, wanted, {"limit": limit})
    lists: dict[int, list[RelatedEntry]] = {}
    for list_id, rank, score, pinned, reason, *post in rows:
        entry = RelatedEntry(post_record(post), rank, score, bool(pinned), dict(reason or {}))
        lists.setdefault(list_id, []).append(entry)
    return lists
