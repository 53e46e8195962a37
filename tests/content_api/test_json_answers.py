"""The store's JSON statements: what they refuse, at the top of the answer and inside related objects."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from content_api.services.related import refresh_related
from content_api.store.db import make_engine, migrate
from content_api.store.json_answers import Constant, Leaf, Nested, Root, Unsupported, json_read
from content_api.store.queries import PUBLIC
from tests.content_api.graphql_site import build_site


def _answer(engine: Engine, *fields: Any, slug: str = "allotment-opens") -> Any:
    read = json_read(PUBLIC, (Root("post", "post_by_slug", "slug", tuple(fields)),), engine.dialect)
    with engine.connect() as conn:
        answer = read.run(conn, {"slug": slug, "base": "https://x.test/", "n": 2})
    return None if answer is None else json.loads(answer)


def _refuse(value: Any) -> Any:
    raise ValueError("no")


def _nothing(value: Any) -> Any:
    return None


def _related(*fields: Any) -> Nested:
    return Nested("related", "related", tuple(fields), limit="n")


@pytest.fixture
def sqlite_site(tmp_path: Path) -> Iterator[Engine]:
    """A SQLite store with the test site (JSON statements are for SQLite; see the PostgreSQL test)."""
    engine = make_engine(f"sqlite:///{tmp_path / 'store.db'}")
    migrate(engine)
    build_site(engine)
    with engine.begin() as conn:
        refresh_related(conn)
    yield engine
    engine.dispose()


def test_postgresql_gets_no_json_statements(engine: Engine) -> None:
    expected_unsupported = engine.dialect.name != "sqlite"
    try:
        json_read(PUBLIC, (Constant("a", "b"),), engine.dialect)
    except Unsupported:
        assert expected_unsupported
    else:
        assert not expected_unsupported


def test_values_are_read_converted_and_prefixed(sqlite_site: Engine) -> None:
    answer = _answer(
        sqlite_site,
        Constant("kind", "Post"),
        Leaf("slug", "slug", required=True),
        Leaf("shout", "title", convert=str.upper),
        Leaf("minutes", "reading_time_minutes", int_bounds=(0, 100)),
        Nested("image", "feature_image", (Leaf("url", "path", prefix="base"), Leaf("w", "width"))),
        _related(Leaf("slug", "slug"), Leaf("shout", "title", convert=str.upper)),
    )
    post = answer["post"]
    assert list(post) == ["kind", "slug", "shout", "minutes", "image", "related"]
    assert post["kind"] == "Post" and post["slug"] == "allotment-opens"
    assert post["shout"] == "THE ALLOTMENT OPENS"
    assert post["image"] == {"url": "https://x.test/images/feature-garden.png", "w": 1200}
    assert 1 <= len(post["related"]) <= 2
    assert all(item["shout"] == item["shout"].upper() for item in post["related"])
    assert _answer(sqlite_site, Leaf("slug", "slug"), slug="draft-merger") == {"post": None}


@pytest.mark.parametrize(
    "field",
    [
        Leaf("t", "title", convert=_nothing, required=True),
        Leaf("t", "title", convert=_refuse),
        Leaf("n", "reading_time_minutes", int_bounds=(1000, 2000)),
        Leaf("n", "title", convert=len, int_bounds=(0, 3)),
        _related(Leaf("t", "title", convert=_nothing, required=True)),
        _related(Leaf("t", "title", convert=_refuse)),
        _related(Leaf("n", "reading_time_minutes", int_bounds=(1000, 2000))),
        Nested("image", "feature_image", (Leaf("w", "width", int_bounds=(0, 10)),)),
    ],
)
def test_a_value_the_answer_cannot_carry_refuses_the_whole_answer(sqlite_site: Engine, field: Any) -> None:
    assert _answer(sqlite_site, Leaf("slug", "slug"), field) is None
    # The same statement answers where the value is fine (a null where null is allowed).
    assert _answer(sqlite_site, Leaf("slug", "slug"), field, slug="no-such-post") == {"post": None}


@pytest.mark.parametrize(
    "field",
    [
        Leaf("x", "body_source"),
        Leaf("x", "status"),
        Nested("x", "avatar", (Leaf("u", "path"),)),
        Nested("x", "related", (Leaf("s", "slug"),)),  # related news needs a bound
        Nested("x", "tags", (Leaf("s", "slug"),), limit="n"),
        Leaf("bad key", "slug"),
        Nested("x", "feature_image", (Leaf("a", "animated", convert=str),)),
    ],
)
def test_what_the_store_does_not_know_is_refused_up_front(sqlite_site: Engine, field: Any) -> None:
    with pytest.raises(Unsupported):
        json_read(PUBLIC, (Root("post", "post_by_slug", "slug", (field,)),), sqlite_site.dialect)
