from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select

from content_api.store.search import count_search, search_post_ids, search_terms
from content_api.store.tables import DRAFT, PUBLISHED, posts

NOW = datetime(2025, 5, 1, tzinfo=UTC)
FILLER = " ".join(["The committee met on Tuesday to talk about the budget for next year."] * 12)


def add_post(conn, post_id: int, title: str, body: str, *, summary: str = "", status: str = PUBLISHED):
    conn.execute(
        posts.insert().values(
            id=post_id,
            slug=f"post-{post_id}",
            title=title,
            summary=summary,
            body_format="markdown",
            body_source=body,
            body_html=f"<p>{body}</p>",
            body_text=body,
            status=status,
            published_at=NOW,
            reading_time_minutes=1,
            pinned_related=[],
            version=1,
            created_at=NOW,
            updated_at=NOW,
        )
    )


def test_terms_drop_every_operator_and_quote():
    assert search_terms('"foo AND (bar* NEAR/2 -x:y') == ["foo", "bar", "near", "2", "x", "y"]
    assert search_terms("  ()*\"' ") == []


def test_title_match_ranks_above_body_mention_and_ties_break_by_id(engine: Engine):
    with engine.begin() as conn:
        add_post(conn, 1, "Budget news", FILLER + " We also visited the garden.")
        add_post(conn, 2, "The community garden opens", "Come along on Saturday.")
        add_post(conn, 4, "Annual report", FILLER)
        add_post(conn, 3, "Annual report", FILLER)
    with engine.connect() as conn:
        assert search_post_ids(conn, "garden", limit=10, offset=0) == [2, 1]
        assert count_search(conn, "garden") == 2
        # Identical matches rank equally and come back in id order.
        assert search_post_ids(conn, "annual", limit=10, offset=0) == [3, 4]


def test_every_word_must_match_and_the_last_one_matches_a_prefix(engine: Engine):
    with engine.begin() as conn:
        add_post(conn, 1, "Volunteers plant the community garden", "Spring work.")
        add_post(conn, 2, "Community choir", "Singing in the hall.")
    with engine.connect() as conn:
        assert search_post_ids(conn, "community gard", limit=10, offset=0) == [1]
        assert sorted(search_post_ids(conn, "community", limit=10, offset=0)) == [1, 2]
        assert search_post_ids(conn, "choir garden", limit=10, offset=0) == []


def test_stop_words_are_ignored_the_same_way_on_both_databases(engine: Engine):
    with engine.begin() as conn:
        add_post(conn, 1, "The garden", "It is in the park.")
    with engine.connect() as conn:
        assert search_post_ids(conn, "the garden", limit=10, offset=0) == [1]
        assert search_post_ids(conn, "garden in the", limit=10, offset=0) == [1]
        assert search_post_ids(conn, "the", limit=10, offset=0) == []
        assert count_search(conn, "it is") == 0


def test_summary_is_searched_and_pagination_is_stable(engine: Engine):
    with engine.begin() as conn:
        for post_id in range(1, 8):
            add_post(conn, post_id, f"Update {post_id}", "Nothing else.", summary="Weekly harvest report")
    with engine.connect() as conn:
        assert count_search(conn, "harvest") == 7
        first = search_post_ids(conn, "harvest", limit=3, offset=0)
        rest = search_post_ids(conn, "harvest", limit=10, offset=3)
        assert first + rest == [1, 2, 3, 4, 5, 6, 7]


def test_drafts_are_excluded_unless_asked_for(engine: Engine):
    with engine.begin() as conn:
        add_post(conn, 1, "Secret garden plans", "Not yet.", status=DRAFT)
        add_post(conn, 2, "Garden open day", "Everyone welcome.")
    with engine.connect() as conn:
        assert search_post_ids(conn, "garden", limit=10, offset=0) == [2]
        assert count_search(conn, "garden") == 1
        assert set(search_post_ids(conn, "garden", statuses=(DRAFT, PUBLISHED), limit=10, offset=0)) == {1, 2}
        assert count_search(conn, "secret", statuses=(DRAFT,)) == 1


def test_updates_and_deletes_keep_the_index_in_step(engine: Engine):
    with engine.begin() as conn:
        add_post(conn, 1, "Garden news", "Body.")
        conn.execute(posts.update().where(posts.c.id == 1).values(title="Library news"))
    with engine.connect() as conn:
        assert search_post_ids(conn, "garden", limit=10, offset=0) == []
        assert search_post_ids(conn, "library", limit=10, offset=0) == [1]
    with engine.begin() as conn:
        conn.execute(posts.delete())
    with engine.connect() as conn:
        assert count_search(conn, "library") == 0


def test_query_syntax_in_user_input_never_errors(engine: Engine):
    with engine.begin() as conn:
        add_post(conn, 1, "Foo and bar", "Body.")
    with engine.connect() as conn:
        for query in ['"foo AND (', "foo OR", "NOT", "*", "foo:*", "'", "a & | ! <->", "NEAR(foo bar)", "\\"]:
            search_post_ids(conn, query, limit=5, offset=0)
            count_search(conn, query)
        assert search_post_ids(conn, '"foo AND (', limit=5, offset=0) == [1]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(max_size=40))
def test_arbitrary_text_is_a_valid_query(engine: Engine, query: str):
    with engine.begin() as conn:
        if conn.execute(select(posts.c.id)).first() is None:
            add_post(conn, 1, "Foo and bar", "Body text with words.")
    with engine.connect() as conn:
        found = search_post_ids(conn, query, limit=5, offset=0)
        assert found in ([], [1])
        assert count_search(conn, query) == len(found)
