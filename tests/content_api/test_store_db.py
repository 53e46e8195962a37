from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, select, text

from content_api.store.db import (
    DatabaseUnavailable,
    alembic_config,
    check_connection,
    current_revision,
    make_engine,
    migrate,
    resolve_url,
)
from content_api.store.maintenance import bump_content_version, clear_store, content_version
from content_api.store.tables import images, metadata


def test_url_defaults_to_a_sqlite_file_and_maps_postgresql_to_psycopg(monkeypatch):
    monkeypatch.delenv("CONTENT_API_DATABASE_URL", raising=False)
    assert resolve_url(None) == "sqlite:///content.db"
    monkeypatch.setenv("CONTENT_API_DATABASE_URL", "postgresql://u:pw@db:5433/news")
    assert resolve_url(None) == "postgresql+psycopg://u:pw@db:5433/news"
    assert resolve_url("sqlite:///other.db") == "sqlite:///other.db"


def test_unsupported_url_is_a_clear_error():
    with pytest.raises(DatabaseUnavailable, match="unsupported database URL"):
        make_engine("mysql://localhost/news")


def test_unreachable_postgres_is_one_line():
    engine = make_engine("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")
    with pytest.raises(DatabaseUnavailable) as caught:
        check_connection(engine)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("cannot use the database postgresql+psycopg://nobody@127.0.0.1:1/none")


def test_sqlite_connections_enforce_foreign_keys_and_use_wal(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path}/x.db")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 1000
    engine.dispose()


def test_migrate_creates_every_table_and_index_and_is_idempotent(blank_engine: Engine):
    assert current_revision(blank_engine) is None
    migrate(blank_engine)
    migrate(blank_engine)
    assert current_revision(blank_engine) == ScriptDirectory.from_config(alembic_config()).get_current_head()
    inspector = inspect(blank_engine)
    names = set(inspector.get_table_names())
    assert set(metadata.tables) <= names
    for table in metadata.sorted_tables:
        columns = {column["name"] for column in inspector.get_columns(table.name)}
        assert {column.name for column in table.columns} <= columns, table.name
        expected = {index.name for index in table.indexes}
        assert expected <= {index["name"] for index in inspector.get_indexes(table.name)}, table.name


def test_datetimes_come_back_aware_in_utc(engine: Engine):
    stamp = datetime(2025, 3, 1, 9, 30, 5, 123456, tzinfo=timezone(timedelta(hours=2)))
    with engine.begin() as conn:
        conn.execute(
            images.insert().values(
                path="images/a.png",
                sha256="0" * 64,
                media_type="image/png",
                format="PNG",
                width=1,
                height=1,
                data=b"x",
                created_at=stamp,
                updated_at=stamp,
            )
        )
        back = conn.execute(select(images.c.created_at)).scalar_one()
        if engine.dialect.name == "sqlite":
            # Text written by other means (no fraction of a second) reads the same way.
            conn.execute(text("UPDATE images SET updated_at = '2025-03-01 07:30:05'"))
            assert conn.execute(select(images.c.updated_at)).scalar_one() == stamp.replace(microsecond=0)
            # So does text with an offset, converted to UTC (and again, once it has been parsed).
            conn.execute(text("UPDATE images SET updated_at = '2025-03-01 09:30:05+02:00'"))
            for _ in range(2):
                again = conn.execute(select(images.c.updated_at)).scalar_one()
                assert again == stamp.replace(microsecond=0) and again.tzinfo == UTC
    assert back == stamp
    assert back.tzinfo == UTC


def test_content_version_starts_at_zero_and_bumps(engine: Engine):
    with engine.begin() as conn:
        assert content_version(conn) == 0
        assert bump_content_version(conn) == 1
        assert bump_content_version(conn) == 2
    clear_store(engine)
    with engine.connect() as conn:
        assert content_version(conn) == 0


# Search structures live beside the tables (see search.py), so the comparison leaves them out.
_SEARCH_OBJECTS = {"posts_fts", "posts_fts_data", "posts_fts_idx", "posts_fts_docsize", "posts_fts_config"}


def _include(obj, name, type_, reflected, compare_to) -> bool:
    if type_ == "table" and name in _SEARCH_OBJECTS:
        return False
    if type_ == "column" and name == "search_vector":
        return False
    return not (type_ == "index" and name == "ix_posts_search_vector")


def test_migrations_match_the_tables_module(blank_engine: Engine):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    migrate(blank_engine)
    with blank_engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"include_object": _include, "compare_type": True, "target_metadata": metadata}
        )
        assert compare_metadata(context, metadata) == []
