"""Watching the content version, so caches keyed on it stop answering from an old version at once.

Every content change bumps `content_version` in `site_state` inside its own transaction
(`store.maintenance.bump_content_version`), so a cache keyed on the version is right as long as the
version it uses is the store's current one. How current depends on the database:

- SQLite: every worker shares one file, and a primary-key read over a connection kept open for the
  purpose costs a few microseconds, inline; it is still the largest part of answering from a cache,
  so it is read at most every `max_age` seconds, 20 ms by default.
- PostgreSQL: a read is a network round trip in a worker thread, so the version is read at most every
  fifth of a second by default.

Every worker and replica thus sees a change within `max_age`. A write made through this process calls
`forget()`, so its own next request already reads again.

When the version cannot be read, `current()` returns None and callers must not use their caches.

`counted` keeps the results of whole-table counts (a list's `totalCount`) until the version changes:
a count over 100,000 posts reads every one of them, and the answer changes only with the content.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
import weakref
from collections.abc import Callable, Hashable
from typing import Any

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool

from content_api.store.maintenance import CONTENT_VERSION, content_version

log = logging.getLogger(__name__)

# How stale the version may be, in seconds (well under a second): on a SQLite file, on a server.
DEFAULT_FILE_MAX_AGE = 0.02
DEFAULT_NETWORK_MAX_AGE = 0.2

_SQLITE_VERSION = "SELECT value FROM site_state WHERE key = ?"
# Distinct counts kept per store; filters are few (a tag, an author, a date range).
MAX_COUNTS = 4096


class ContentVersionWatch:
    """The store's content version as this process last read it, read again when too old."""

    def __init__(self, engine: Engine, max_age: float | None = None) -> None:
        self._engine = engine
        self._sqlite_file = engine.dialect.name == "sqlite" and engine.url.database not in (
            None,
            "",
            ":memory:",
        )
        if max_age is None:
            max_age = DEFAULT_FILE_MAX_AGE if engine.dialect.name == "sqlite" else DEFAULT_NETWORK_MAX_AGE
        self.max_age = max_age
        self._version: int | None = None
        self._read_at = float("-inf")
        self._forgotten_at = float("-inf")
        self._refreshing: asyncio.Future[None] | None = None
        self._sqlite: Any = None  # a DBAPI connection kept for version reads (SQLite files only)
        self.reads = 0

    async def current(self) -> int | None:
        """The content version to key caches with, or None when it cannot be read right now."""
        now = time.monotonic()
        if self._version is not None and now - self._read_at < self.max_age:
            return self._version
        if self._sqlite_file:
            self._version = self._read_sqlite()
            self._read_at = now
            return self._version
        if self._refreshing is None:
            self._refreshing = asyncio.ensure_future(self._refresh())
        refreshing = self._refreshing
        # Every request that finds the version too old waits for the same single read.
        await asyncio.shield(refreshing)
        return self._version

    def forget(self) -> None:
        """Read the version again on the next request (this process has just written)."""
        self._read_at = float("-inf")
        self._forgotten_at = time.monotonic()

    def close(self) -> None:
        if self._sqlite is not None:
            self._sqlite.close()
            self._sqlite = None

    def _read_sqlite(self) -> int | None:
        try:
            if self._sqlite is None:
                # A pooled connection set up like every other (WAL, busy timeout, no implicit
                # transaction), kept by the watch: each read sees the latest commit.
                self._sqlite = self._engine.raw_connection()
            row = self._sqlite.cursor().execute(_SQLITE_VERSION, (CONTENT_VERSION,)).fetchone()
        except (sqlite3.Error, SQLAlchemyError) as error:
            log.warning("cannot read the content version: %s", error)
            self.close()
            return None
        self.reads += 1
        return int(row[0]) if row is not None else 0

    async def _refresh(self) -> None:
        def read() -> int:
            with self._engine.connect() as conn:
                return content_version(conn)

        started = time.monotonic()
        try:
            self._version = await run_in_threadpool(read)
            # A read that began before this process's latest write may not show it: use it once only.
            self._read_at = started if started > self._forgotten_at else float("-inf")
            self.reads += 1
        except SQLAlchemyError as error:
            log.warning("cannot read the content version: %s", error)
            self._version = None
        finally:
            self._refreshing = None


class _Counts:
    def __init__(self) -> None:
        self.version: int | None = None
        self.values: dict[Hashable, int] = {}


_counts: weakref.WeakKeyDictionary[Engine, _Counts] = weakref.WeakKeyDictionary()


def counted(conn: Connection, key: Hashable, count: Callable[[], int]) -> int:
    """`count()`, or what it returned before for `key` on this store at the current content version.

    The version is read first on the same connection, so a count stored under a version is never
    older than that version. Use only for results that change with the content version alone.
    """
    version = content_version(conn)
    memo = _counts.get(conn.engine)
    if memo is None:
        memo = _counts.setdefault(conn.engine, _Counts())
    if memo.version != version:
        memo.values = {}
        memo.version = version
    values = memo.values
    found = values.get(key)
    if found is None:
        found = count()
        if len(values) >= MAX_COUNTS:
            values.clear()
        values[key] = found
    return found
