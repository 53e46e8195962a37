"""The per-request GraphQL context: who is asking, a database handle, and that request's DataLoaders."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from sqlalchemy import Connection, Engine
from starlette.concurrency import run_in_threadpool
from strawberry.dataloader import DataLoader

from content_api.schema.editorial import EditorialLoaders
from content_api.schema.loaders import LoaderFactory, Loaders
from content_api.services.auth import ANONYMOUS, Principal
from content_api.store.queries import PostScope

T = TypeVar("T")


class Database(Protocol):
    async def run(self, work: Callable[[Connection], T]) -> T: ...


class RequestDatabase:
    """Runs the store calls of one request, each on a connection checked out for that call only.

    No connection is held while the request awaits anything else, so a burst of concurrent requests
    never waits on a pool emptied by requests that are themselves waiting. PostgreSQL calls run in a
    worker thread so the event loop keeps serving; SQLite calls are in-process and short, so they run
    inline. (Statements of one request may therefore see commits made between them.)
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._offload = engine.dialect.name != "sqlite"

    def _call(self, work: Callable[[Connection], T]) -> T:
        with self._engine.connect() as conn:
            return work(conn)

    async def run(self, work: Callable[[Connection], T]) -> T:
        """Run `work` with a connection and return its result."""
        if self._offload:
            return await run_in_threadpool(self._call, work)
        return self._call(work)


class HeldConnection:
    """Runs the store calls of one request on one connection held for the whole request.

    Used by compiled plans (`content_api.schema.plans`), which never wait on anything while they run:
    every call completes at once, in one transaction (on SQLite, one snapshot for the whole request).
    """

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def run(self, work: Callable[[Connection], T]) -> T:
        return work(self._conn)


@dataclass(slots=True)
class Context:
    """Built fresh for every GraphQL request; nothing in it outlives the request."""

    db: Database
    scope: PostScope
    loaders: Loaders
    # Base of absolute image URLs, without a trailing slash ("https://news.example.org").
    image_base_url: str
    # Who sent the request (an API key and its scopes, or anonymous), and what mutations write with.
    principal: Principal
    engine: Engine
    editorial: EditorialLoaders

    @classmethod
    def create(
        cls,
        engine: Engine,
        scope: PostScope,
        image_base_url: str,
        principal: Principal = ANONYMOUS,
        *,
        db: Database | None = None,
        loader: LoaderFactory = DataLoader,
    ) -> Context:
        """A context reading through `db` (by default a connection per store call) with `loader`s."""
        if db is None:
            db = RequestDatabase(engine)
        return cls(
            db=db,
            scope=scope,
            loaders=Loaders(db.run, scope, loader),
            image_base_url=image_base_url,
            principal=principal,
            engine=engine,
            editorial=EditorialLoaders(db.run, loader),
        )
