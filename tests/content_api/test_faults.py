"""Faults: slow queries time out and the worker carries on; a database that goes away gives 503 and
service resumes when it is back; crashes mid-import or mid-publish leave the store as it was; nothing
unexpected reaches a client unmasked."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, select, text
from sqlalchemy.engine import make_url
from starlette.testclient import TestClient

from a11y_audit import Config
from content_api.app import create_app
from content_api.content import import_folder
from content_api.http import images as images_module
from content_api.http.limits import Limits
from content_api.services import publishing
from content_api.settings import Settings
from content_api.store import queries as store
from content_api.store.db import make_engine, migrate
from content_api.store.tables import metadata
from tests.conftest import _postgres_admin_engine, _postgres_server_url
from tests.content_api.graphql_site import build_site
from tests.content_api.limits_helpers import NEW, post

TAGS = "{ tags { slug } }"


def _client(engine: Engine, **limits: Any) -> TestClient:
    # No response cache: every request here must reach the database.
    settings = Settings(database_url="unused", response_cache_mb=0, limits=Limits(**limits))
    return TestClient(
        create_app(settings, engine), base_url="http://news.test", raise_server_exceptions=False
    )


def _slow_statement(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_sleep(30)"))
    else:
        # Counts for ever; only an interrupt stops it.
        conn.execute(
            text("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT max(i) FROM n")
        )


def test_a_query_that_runs_too_long_is_cancelled_and_the_worker_carries_on(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_site(engine)
    real_visible_tags = store.visible_tags

    def slow_visible_tags(conn: Connection, scope: Any) -> Any:
        _slow_statement(conn)
        return real_visible_tags(conn, scope)

    monkeypatch.setattr(store, "visible_tags", slow_visible_tags)
    with _client(engine, query_timeout=0.5) as client:
        started = time.monotonic()
        answer = post(client, TAGS)
        elapsed = time.monotonic() - started
        assert answer["_status"] == 504
        assert answer["errors"] == [
            {
                "message": "The query ran longer than 0.5 s and was cancelled.",
                "extensions": {"code": "QUERY_TIMEOUT"},
            }
        ]
        # The statement itself was stopped (SQLite interrupt, PostgreSQL statement_timeout), not left running.
        assert elapsed < 5, elapsed
        monkeypatch.setattr(store, "visible_tags", real_visible_tags)
        assert post(client, TAGS)["data"]["tags"] == [{"slug": "food-bank"}, {"slug": "youth"}]


def test_queries_within_the_timeout_are_not_affected(engine: Engine) -> None:
    build_site(engine)
    with _client(engine, query_timeout=5) as client:
        for _ in range(3):
            assert (
                post(client, "{ posts(first: 100) { totalCount edges { node { slug tags { slug } } } } }")[
                    "data"
                ]["posts"]["totalCount"]
                > 0
            )


# --- the database going away --------------------------------------------------------------------


@pytest.fixture
def own_database() -> Iterator[tuple[Engine, Engine, str]]:
    """(admin engine, app engine, name) for a PostgreSQL database of its own, dropped afterwards.

    Dropping a database is a PostgreSQL scenario, so these tests run there only (and fail, like every
    PostgreSQL test, when the server is unreachable).
    """
    _postgres_admin_engine().dispose()
    server = make_url(_postgres_server_url())
    admin = make_engine(server.render_as_string(hide_password=False), isolation_level="AUTOCOMMIT")
    name = f"faults_{uuid.uuid4().hex[:10]}"
    _create(admin, name)
    app_engine = make_engine(server.set(database=name).render_as_string(hide_password=False))
    try:
        yield admin, app_engine, name
    finally:
        app_engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _create(admin: Engine, name: str) -> None:
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))


def _fill(app_engine: Engine) -> None:
    migrate(app_engine)
    build_site(app_engine)


def _terminate(admin: Engine, name: str) -> None:
    with admin.connect() as conn:
        conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = :name AND pid <> pg_backend_pid()"
            ),
            {"name": name},
        )


def test_connections_killed_mid_request_give_503_and_service_resumes(
    own_database: tuple[Engine, Engine, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    admin, app_engine, name = own_database
    _fill(app_engine)
    real_visible_tags = store.visible_tags

    def visible_tags_after_a_pause(conn: Connection, scope: Any) -> Any:
        conn.execute(text("SELECT pg_sleep(2)"))
        return real_visible_tags(conn, scope)

    with _client(app_engine) as client:
        assert post(client, TAGS)["data"]["tags"]
        monkeypatch.setattr(store, "visible_tags", visible_tags_after_a_pause)
        killer = threading.Timer(0.5, _terminate, (admin, name))
        killer.start()
        answer = post(client, TAGS)
        killer.join()
        assert answer["_status"] == 503, answer
        assert answer["errors"][0]["extensions"]["code"] == "DATABASE_UNAVAILABLE"
        assert name not in str(answer) and "terminat" not in str(answer)
        monkeypatch.setattr(store, "visible_tags", real_visible_tags)
        # Pooled connections are checked before use, so the next request reconnects by itself.
        assert post(client, TAGS)["data"]["tags"] == [{"slug": "food-bank"}, {"slug": "youth"}]


def test_a_dropped_database_gives_503_until_it_is_back(own_database: tuple[Engine, Engine, str]) -> None:
    admin, app_engine, name = own_database
    _fill(app_engine)
    with _client(app_engine) as client:
        assert post(client, TAGS)["data"]["tags"]
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        for _ in range(2):
            answer = post(client, TAGS)
            assert answer["_status"] == 503
            assert answer["errors"] == [
                {
                    "message": "The database is unavailable; try again shortly.",
                    "extensions": {"code": "DATABASE_UNAVAILABLE"},
                }
            ]
        assert client.get("/healthz").status_code == 503
        # Images and authenticated requests go through other paths to the same outcome.
        image = client.get("/images/images/feature-garden.png")
        assert (
            image.status_code == 503
            and image.json()["errors"][0]["extensions"]["code"] == "DATABASE_UNAVAILABLE"
        )
        keyed = client.post(
            "/graphql", json={"query": TAGS}, headers={"Accept": NEW, "Authorization": "Bearer k"}
        )
        assert keyed.status_code == 503
        _create(admin, name)
        _fill(app_engine)
        assert post(client, TAGS)["data"]["tags"] == [{"slug": "food-bank"}, {"slug": "youth"}]
        assert client.get("/healthz").status_code == 200


# --- masking ------------------------------------------------------------------------------------

LEAKY = "SELECT secret FROM posts WHERE path = '/srv/content/posts/a.md'"


def test_unexpected_resolver_errors_are_masked(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(conn: Connection, scope: Any) -> Any:
        raise RuntimeError(LEAKY)

    monkeypatch.setattr(store, "visible_tags", broken)
    with _client(engine) as client:
        response = client.post("/graphql", json={"query": TAGS}, headers={"Accept": NEW})
    assert response.json()["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    for leak in ("SELECT", "/srv", "Traceback", "RuntimeError", ".py"):
        assert leak not in response.text


def test_unexpected_errors_outside_graphql_are_masked_json(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(self: Any, request: Any) -> Any:
        raise RuntimeError(LEAKY)

    monkeypatch.setattr(images_module.ImageEndpoint, "handle", broken)
    with _client(engine) as client:
        response = client.get("/images/anything.png")
    assert response.status_code == 500
    assert response.json() == {
        "errors": [{"message": "Internal server error", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]
    }


# --- crashes while writing ------------------------------------------------------------------------


def _snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    with engine.connect() as conn:
        return {
            table.name: sorted((tuple(row) for row in conn.execute(select(table))), key=repr)
            for table in metadata.sorted_tables
        }


def _folder(root: Path, title: str) -> Path:
    (root / "posts").mkdir(parents=True, exist_ok=True)
    (root / "people.yaml").write_text(
        "- slug: ann-lee\n  name: Ann Lee\n  role: Volunteer\n", encoding="utf-8"
    )
    for slug in ("first-news", "second-news"):
        (root / "posts" / f"{slug}.md").write_text(
            f"---\ntitle: {title} {slug}\nslug: {slug}\ndate: 2025-03-01\nstatus: draft\nlang: en-GB\n"
            f"authors: [ann-lee]\ntags: [News]\n---\n\nAnn Lee wrote this {title.lower()} post.\n",
            encoding="utf-8",
        )
    return root


def test_a_crash_during_import_leaves_the_store_as_it_was(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_folder(engine, _folder(tmp_path / "v1", "Spring"))
    before = _snapshot(engine)
    from content_api.content import writer

    real_replace_links = writer._replace_links
    calls = 0

    def crash_on_second_post(conn: Connection, post_id: int, links: Any) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise RuntimeError("disk full")
        real_replace_links(conn, post_id, links)

    monkeypatch.setattr(writer, "_replace_links", crash_on_second_post)
    with pytest.raises(RuntimeError, match="disk full"):
        import_folder(engine, _folder(tmp_path / "v2", "Summer"))
    assert calls == 2  # the first post had been rewritten when the crash came
    assert _snapshot(engine) == before


def test_a_crash_during_publish_leaves_the_store_as_it_was(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_folder(engine, _folder(tmp_path / "v1", "Spring"))
    before = _snapshot(engine)

    def crash(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("webhook table unwritable")

    # The post's status and version are already changed when the follow-up work fails.
    monkeypatch.setattr(publishing, "after_content_change", crash)
    with pytest.raises(RuntimeError, match="unwritable"):
        publishing.publish_post(engine, "first-news", Config())
    assert _snapshot(engine) == before


def test_routing_errors_are_json_with_a_code(engine: Engine) -> None:
    with _client(engine) as client:
        missing = client.get("/nowhere")
        wrong_method = client.put("/graphql", json={"query": "{ __typename }"})
    assert missing.status_code == 404
    assert missing.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert wrong_method.status_code == 405
    assert wrong_method.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"
    assert "POST" in wrong_method.headers["allow"]
