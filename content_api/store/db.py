"""Engines and migrations: one code path for SQLite (the default) and PostgreSQL."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import orjson
from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url

DATABASE_URL_ENV = "CONTENT_API_DATABASE_URL"
DEFAULT_DATABASE_URL = "sqlite:///content.db"
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"

# How long a SQLite connection waits for another writer before giving up, in milliseconds.
SQLITE_BUSY_TIMEOUT_MS = 10_000
# Execution option naming how a SQLite transaction starts; "IMMEDIATE" takes the write lock up front,
# so a writer waits for the busy timeout instead of failing when another writer commits first.
SQLITE_BEGIN = "sqlite_begin"
# Key of the PostgreSQL advisory lock that serialises concurrent `migrate` calls (several workers).
_MIGRATION_LOCK_KEY = 0x636F6E74656E74


class DatabaseUnavailable(Exception):
    """The database cannot be reached or opened; the message is one line meant for an operator."""


def resolve_url(url: str | None = None) -> str:
    """The database URL to use: `url`, else `$CONTENT_API_DATABASE_URL`, else `sqlite:///content.db`."""
    chosen = url or os.environ.get(DATABASE_URL_ENV) or DEFAULT_DATABASE_URL
    parsed = make_url(chosen)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def make_engine(url: str | None = None, **options: Any) -> Engine:
    """Create an engine for `url` (see `resolve_url`). Nothing connects until first use.

    `postgresql://` selects psycopg 3. SQLite connections get foreign keys, WAL, a busy timeout and
    real transactions (BEGIN is emitted by SQLAlchemy, so reads inside one transaction see one snapshot
    and DDL is transactional).
    """
    resolved = resolve_url(url)
    backend = make_url(resolved).get_backend_name()
    # JSON columns (aliases, related-news reasons, audit reports) are decoded with orjson.
    options.setdefault("json_deserializer", orjson.loads)
    if backend == "postgresql":
        options.setdefault("pool_pre_ping", True)
        return create_engine(resolved, **options)
    if backend != "sqlite":
        raise DatabaseUnavailable(f"unsupported database URL {url!r}: use sqlite:///FILE or postgresql://...")
    # SQLite connections are opened inline on the server's event loop and held for a whole request, so
    # a bounded pool would block the loop (and every request in it) once more requests are in flight
    # than the pool holds. Connections beyond the kept five are cheap to open and are closed on return.
    # (In-memory databases and a caller's own pool class take no such option.)
    if "poolclass" not in options and make_url(resolved).database not in (None, "", ":memory:"):
        options.setdefault("max_overflow", -1)
    engine = create_engine(resolved, **options)
    _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys = ON")
            if engine.url.database not in (None, "", ":memory:"):
                cursor.execute("PRAGMA journal_mode = WAL")
                cursor.execute("PRAGMA synchronous = NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get(SQLITE_BEGIN, "DEFERRED")
        if mode not in ("DEFERRED", "IMMEDIATE", "EXCLUSIVE"):
            raise ValueError(f"unknown SQLite transaction mode {mode!r}")
        if mode == "DEFERRED":
            # Every read begins so: a deferred BEGIN takes no lock and cannot wait or fail on another
            # connection, so it goes straight to the driver (SQLAlchemy's statement machinery costs
            # more than the BEGIN itself).
            conn.connection.driver_connection.execute("BEGIN DEFERRED")  # type: ignore[union-attr]
            return
        conn.exec_driver_sql(f"BEGIN {mode}")


def write_engine(engine: Engine) -> Engine:
    """The same engine, with transactions that take SQLite's write lock at BEGIN (no-op elsewhere)."""
    if engine.dialect.name == "sqlite":
        return engine.execution_options(**{SQLITE_BEGIN: "IMMEDIATE"})
    return engine


def check_connection(engine: Engine) -> None:
    """Connect once; raise `DatabaseUnavailable` with a one-line reason when that fails."""
    from sqlalchemy.exc import DBAPIError

    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except DBAPIError as error:
        raise DatabaseUnavailable(describe_connection_error(engine, error)) from error


def describe_connection_error(engine: Engine, error: BaseException) -> str:
    """One line naming the database (without its password) and the driver's first line of complaint."""
    where = engine.url.render_as_string(hide_password=True)
    return f"cannot use the database {where}: {first_line(error)}"


def first_line(error: BaseException) -> str:
    """The first line of the driver's complaint behind `error` (SQLAlchemy wraps it as `orig`), or the
    name of its type when it says nothing."""
    cause = getattr(error, "orig", None) or error
    text = str(cause).strip()
    return text.splitlines()[0] if text else type(cause).__name__


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration pointing at the migration scripts shipped inside the package."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision` (the latest by default), in one transaction.

    Safe to call from several processes at once: on PostgreSQL an advisory lock serialises them, on
    SQLite the write lock does.
    """
    with write_engine(engine).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY})
        command.upgrade(alembic_config(conn), revision)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None when it was never migrated."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
