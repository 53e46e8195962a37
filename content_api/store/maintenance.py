"""Whole-store operations: emptying it and reading or bumping facts about it."""

from __future__ import annotations

import logging
import sqlite3

from sqlalchemy import Connection, Engine, Integer, String, cast, select, text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError

from content_api.store.db import first_line, write_engine
from content_api.store.prepared import PreparedRead
from content_api.store.tables import metadata, site_state

_log = logging.getLogger(__name__)

CONTENT_VERSION = "content_version"
# Rows SQLite's ANALYZE looks at per index (https://sqlite.org/lang_analyze.html#approx).
SQLITE_ANALYSIS_LIMIT = 1000


def clear_store(engine: Engine) -> None:
    """Delete every row of every content table, keeping the schema (and the migration record)."""
    with write_engine(engine).begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(f'"{table.name}"' for table in metadata.sorted_tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            return
        for table in reversed(metadata.sorted_tables):
            conn.execute(table.delete())
        # Keep the full-text index in step with the now empty posts table.
        conn.execute(text("INSERT INTO posts_fts (posts_fts) VALUES ('delete-all')"))


def refresh_statistics(engine: Engine) -> None:
    """Bring the query planner's statistics up to date after a bulk write (an import).

    A freshly filled PostgreSQL store has none until autovacuum gets to it (a minute or more), and
    without them the planner can read every published post to find one by its slug; `ANALYZE` of the
    content tables takes milliseconds. SQLite gets `ANALYZE` with an analysis limit, which samples a
    bounded number of rows per index, so it stays quick on a large store.

    The write before it has been committed whatever happens here: statistics are an optimisation, so a
    failure (another writer holding SQLite's lock past its timeout, a role not allowed to analyse) is
    logged and left for autovacuum or the next import.
    """
    try:
        if engine.dialect.name == "postgresql":
            names = ", ".join(f'"{table.name}"' for table in metadata.sorted_tables)
            with engine.begin() as conn:
                conn.execute(text(f"ANALYZE {names}"))
            return
        with engine.connect() as conn:
            driver = conn.connection.driver_connection
            driver.execute(f"PRAGMA analysis_limit = {SQLITE_ANALYSIS_LIMIT}")  # type: ignore[union-attr]
            driver.execute("ANALYZE")  # type: ignore[union-attr]
    except (DBAPIError, sqlite3.Error) as error:
        _log.warning("could not refresh the planner's statistics: %s", first_line(error))


_CONTENT_VERSION_READ = PreparedRead(select(site_state.c.value).where(site_state.c.key == CONTENT_VERSION))


def content_version(conn: Connection) -> int:
    """The store's content version: 0 before the first import, then bumped on every content change.

    Read in the connection's transaction when it has one; on SQLite, outside one otherwise (a single
    read needs no BEGIN and ROLLBACK around it, which cost several times the read).
    """
    rows = _CONTENT_VERSION_READ.rows(conn, begin=conn.dialect.name != "sqlite")
    return int(rows[0][0]) if rows and rows[0][0] is not None else 0


def bump_content_version(conn: Connection) -> int:
    """Increase the content version by one inside the caller's transaction; return the new value."""
    insert = postgresql_insert if conn.dialect.name == "postgresql" else sqlite_insert
    statement = insert(site_state).values(key=CONTENT_VERSION, value="1")
    incremented = cast(cast(site_state.c.value, Integer) + 1, String(20))
    conn.execute(
        statement.on_conflict_do_update(index_elements=[site_state.c.key], set_={"value": incremented})
    )
    return content_version(conn)


# Key of the PostgreSQL advisory lock held by whole-store writers (imports), one at a time.
_CONTENT_WRITE_LOCK_KEY = 0x696D706F7274


def lock_content_writes(conn: Connection) -> None:
    """Wait until no other whole-store write runs, then hold that turn until the transaction ends.

    On SQLite the transaction's write lock (`write_engine`) already serialises writers.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CONTENT_WRITE_LOCK_KEY})
