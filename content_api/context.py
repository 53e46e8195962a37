"""The per-request GraphQL context: who is asking, a database handle, and that request's DataLoaders."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import Connection, Engine
from starlette.concurrency import run_in_threadpool

from content_api.schema.loaders import Loaders
from content_api.store.queries import PostScope

T = TypeVar("T")


class RequestDatabase:
    """One connection per request, opened on first use and used by one statement at a time.

    A single connection gives every query of a request the same snapshot (a page and its totalCount
    agree). PostgreSQL calls run in a worker thread so the event loop keeps serving other requests;
    SQLite calls are in-process and short, so they run inline.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._conn: Connection | None = None
        self._lock = asyncio.Lock()
        self._offload = engine.dialect.name != "sqlite"

    def _call(self, work: Callable[[Connection], T]) -> T:
        if self._conn is None:
            self._conn = self._engine.connect()
        return work(self._conn)

    async def run(self, work: Callable[[Connection], T]) -> T:
        """Run `work` with this request's connection and return its result."""
        async with self._lock:
            if self._offload:
                return await run_in_threadpool(self._call, work)
            return self._call(work)

    async def close(self) -> None:
        """Give the connection back to the pool (rolling back the read transaction)."""
        conn, self._conn = self._conn, None
        if conn is None:
            return
        if self._offload:
            await run_in_threadpool(conn.close)
        else:
            conn.close()


@dataclass(slots=True)
class Context:
    """Built fresh for every GraphQL request; nothing in it outlives the request."""

    db: RequestDatabase
    scope: PostScope
    loaders: Loaders
    # Base of absolute image URLs, without a trailing slash ("https://news.example.org").
    image_base_url: str

    @classmethod
    def create(cls, engine: Engine, scope: PostScope, image_base_url: str) -> Context:
        db = RequestDatabase(engine)
        return cls(db=db, scope=scope, loaders=Loaders(db.run, scope), image_base_url=image_base_url)
