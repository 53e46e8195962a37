"""Prepared reads give what `Connection.execute` gives, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, bindparam, event, insert, select, text
from sqlalchemy.exc import DBAPIError

from content_api.store.prepared import PreparedRead
from content_api.store.queries import PUBLIC, authors_by_post, images_by_ids, posts_by_slugs
from content_api.store.tables import people, post_related, posts
from tests.content_api.graphql_site import Site, build_site

NOW = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)


@pytest.fixture
def site(engine: Engine) -> Site:
    return build_site(engine)


def test_rows_match_connection_execute_for_every_list_length(engine: Engine, site: Site) -> None:
    statement = select(posts.c.id, posts.c.slug, posts.c.published_at, posts.c.summary).where(
        PUBLIC.visible(), posts.c.id.in_(bindparam("keys", expanding=True))
    )
    read = PreparedRead(statement.order_by(posts.c.id), "keys")
    ids = sorted(site.posts.values())
    with engine.connect() as conn:
        for count in range(len(ids) + 1):
            keys = ids[:count]
            expected = [tuple(row) for row in conn.execute(statement.order_by(posts.c.id), {"keys": keys})]
            assert read.rows(conn, keys) == expected
            assert all(row[2] is None or row[2].tzinfo is UTC for row in read.rows(conn, keys))
    assert any(row[2] is not None for row in expected)


def test_booleans_and_json_come_back_as_python_values(engine: Engine, site: Site) -> None:
    first, second = sorted(site.posts.values())[:2]
    with engine.begin() as conn:
        conn.execute(
            insert(post_related).values(
                post_id=first, related_post_id=second, rank=0, score=7, pinned=True, reason={"terms": ["a"]}
            )
        )
    statement = select(post_related.c.pinned, post_related.c.reason, post_related.c.score).where(
        post_related.c.post_id == bindparam("post")
    )
    with engine.connect() as conn:
        rows = PreparedRead(statement).rows(conn, arguments={"post": first})
        assert rows == [(True, {"terms": ["a"]}, 7)]
        assert rows == [tuple(row) for row in conn.execute(statement, {"post": first})]


def test_store_lookups_keep_their_answers(engine: Engine, site: Site) -> None:
    with engine.connect() as conn:
        found = posts_by_slugs(conn, PUBLIC, ["allotment-opens", "draft-merger", "nope"])
        assert set(found) == {"allotment-opens"}
        assert found["allotment-opens"].published_at is not None
        authors = authors_by_post(conn, [site.posts["youth-club-trip"]])
        assert [person.slug for person in authors[site.posts["youth-club-trip"]]] == [
            "dee-okafor",
            "alice-ng",
        ]
        # Pronouns only with consent (masked in SQL).
        assert [person.pronouns for person in authors[site.posts["youth-club-trip"]]] == [
            "they/them",
            "she/her",
        ]
        images = images_by_ids(conn, list(site.images.values()))
        assert {image.path for image in images.values()} == set(site.images)


def test_listeners_see_prepared_statements(engine: Engine, site: Site) -> None:
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if not statement.upper().startswith(("BEGIN", "COMMIT", "ROLLBACK")):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        with engine.connect() as conn:
            posts_by_slugs(conn, PUBLIC, ["allotment-opens"])
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert len(seen) == 1 and "FROM posts" in seen[0]


def test_driver_errors_are_sqlalchemy_errors(engine: Engine) -> None:
    broken = PreparedRead(select(text("no_such_column")).select_from(people))
    with engine.connect() as conn, pytest.raises(DBAPIError):
        broken.rows(conn)


def test_reads_see_the_connections_own_uncommitted_writes(engine: Engine, site: Site) -> None:
    read = PreparedRead(
        select(people.c.slug).where(people.c.slug.in_(bindparam("keys", expanding=True))), "keys"
    )
    with engine.begin() as conn:
        conn.execute(
            insert(people).values(
                slug="new-face", name="New Face", aliases=[], created_at=NOW, updated_at=NOW
            )
        )
        assert read.rows(conn, ["new-face"]) == [("new-face",)]
        conn.rollback()
    with engine.connect() as conn:
        assert read.rows(conn, ["new-face"]) == []


def test_reads_on_one_connection_see_one_snapshot_on_sqlite(engine: Engine, site: Site) -> None:
    """SQLite keeps the snapshot of the transaction's first read; PostgreSQL (read committed) takes
    one per statement, as with `Connection.execute`."""
    read = PreparedRead(
        select(people.c.name).where(people.c.slug.in_(bindparam("keys", expanding=True))), "keys"
    )
    with engine.connect() as conn:
        assert read.rows(conn, ["alice-ng"]) == [("Alice Ng",)]
        with engine.begin() as other:
            other.execute(people.update().where(people.c.slug == "alice-ng").values(name="Alice Renamed"))
        expected = "Alice Ng" if engine.dialect.name == "sqlite" else "Alice Renamed"
        assert read.rows(conn, ["alice-ng"]) == [(expected,)]
    with engine.connect() as conn:
        assert read.rows(conn, ["alice-ng"]) == [("Alice Renamed",)]


def test_related_lists_skip_posts_taken_down_since_and_still_fill_the_limit(engine: Engine) -> None:
    from content_api.services.related import refresh_related
    from content_api.store.related import related_posts

    site = build_site(engine, extra_published=8)
    with engine.begin() as conn:
        refresh_related(conn)
    with engine.connect() as conn:
        lists = related_posts(conn, PUBLIC, list(site.posts.values()), 20)
    owner, entries = max(lists.items(), key=lambda item: len(item[1]))
    assert len(entries) >= 3
    gone = entries[0].post.id
    with engine.begin() as conn:
        conn.execute(posts.update().where(posts.c.id == gone).values(status="draft"))
    with engine.connect() as conn:
        alone = related_posts(conn, PUBLIC, [owner], 2)[owner]  # one list: its own statement
        together = related_posts(conn, PUBLIC, [owner, *site.posts.values()], 2)[owner]  # several lists
    expected = [entry.post.id for entry in entries[1:3]]
    assert [entry.post.id for entry in alone] == expected
    assert [entry.post.id for entry in together] == expected
    assert alone == together


def test_named_arguments_go_through_their_types_bind_processing(engine: Engine, site: Site) -> None:
    # UtcDateTime stores naive UTC text on SQLite: an aware argument must be converted the same way, or
    # a post published exactly then compares as later than itself.
    with engine.connect() as conn:
        since = conn.execute(select(posts.c.published_at).where(posts.c.slug == "winter-appeal")).scalar_one()
        statement = (
            select(posts.c.slug)
            .where(posts.c.published_at > bindparam("since", type_=posts.c.published_at.type))
            .order_by(posts.c.id)
        )
        expected = [tuple(row) for row in conn.execute(statement, {"since": since})]
        assert PreparedRead(statement).rows(conn, arguments={"since": since}) == expected
    assert ("winter-appeal",) not in expected
