"""Read queries answered through compiled plans (`content_api.schema.plans`), when a plan covers them.

A plan runs on one connection held for the request, synchronously: inline on the event loop for SQLite
(whose calls are in-process and short, as everywhere in the server), in one worker thread for
PostgreSQL (one hop per request instead of one per statement). On SQLite each thread keeps its
connection from one request to the next (`_SqliteReader`): a request begins a transaction on it, reads
from that one snapshot and rolls it back, which costs a fraction of a pool checkout and return. On
PostgreSQL the reads run in autocommit mode: under its READ COMMITTED isolation (the default) every
statement of a transaction takes its own snapshot anyway, so a BEGIN and a ROLLBACK around them would
change nothing a request sees and cost two round trips to the server.

On SQLite, a plan with a JSON plan (`content_api.schema.json_plans`) is answered first by its one
statement, outside any transaction (one statement reads one snapshot); when that statement cannot
answer (a value it refuses, an argument out of range) the compiled plan runs on the same connection.

The query timeout applies as it does to graphql-core's execution. Whenever a plan cannot finish
cleanly (a resolver raised, a value broke a non-null type) the answer is None, and the endpoint runs
the request through graphql-core, which produces the errors exactly as it always has. A database that
cannot be reached, or a statement cut short at the deadline, is answered at once as graphql-core's
path answers it (503 DATABASE_UNAVAILABLE, 504 QUERY_TIMEOUT), rather than by waiting on the database
a second time.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

import orjson
from graphql import GraphQLSchema
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import QueuePool
from starlette.concurrency import run_in_threadpool

from content_api.context import Context, HeldConnection
from content_api.http.errors import database_unavailable, is_database_outage
from content_api.http.timeouts import query_timeout, run_sync_with_deadline
from content_api.schema.json_plans import JsonPlan
from content_api.schema.plans import PlanAbandoned, PlanCache
from content_api.schema.waves import Waves
from content_api.services.auth import Principal
from content_api.settings import DEFAULT_READS_IN_FLIGHT
from content_api.store.queries import PostScope

T = TypeVar("T")
_log = logging.getLogger(__name__)


def _pool_capacity(engine: Engine) -> int | None:
    """How many connections `engine`'s pool hands out at once (its size and overflow); None when it
    does not say or has no bound."""
    pool = engine.pool
    if not isinstance(pool, QueuePool) or pool.size() <= 0 or pool._max_overflow < 0:
        return None
    return pool.size() + pool._max_overflow


class _SqliteReader:
    """A connection per thread, kept between requests, for plans' reads on SQLite.

    Nothing awaits while a plan runs, so a thread's connection serves one request at a time. Each
    request gets its own transaction (begun by the first read, rolled back at the end), so it sees one
    snapshot and no request sees another's. A connection that saw any error is closed (the pool
    discards it when invalid) and the next request opens a fresh one.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._local = threading.local()
        self._lock = threading.Lock()
        self._open: set[Connection] = set()

    def run(self, work: Callable[[Connection], T]) -> T:
        conn: Connection | None = getattr(self._local, "conn", None)
        if conn is None or conn.closed:
            conn = self._engine.connect()
            self._local.conn = conn
            with self._lock:
                self._open.add(conn)
        try:
            result = work(conn)
            conn.rollback()
        except BaseException:
            self._forget(conn)
            raise
        return result

    def _forget(self, conn: Connection) -> None:
        self._local.conn = None
        with self._lock:
            self._open.discard(conn)
        conn.close()

    def close(self) -> None:
        """Return every kept connection to the pool (at shutdown)."""
        with self._lock:
            kept, self._open = self._open, set()
        for conn in kept:
            conn.close()


def _json_answer(
    json_plan: JsonPlan, conn: Connection, scope: PostScope, coerced: Any, image_base_url: str
) -> bytes | None:
    """The answer's `data` written by the JSON plan's statement, or None when the compiled plan must
    answer (an argument out of range, a value the statement refuses, or a fault in this path, which
    is logged: the request is still answered)."""
    try:
        return json_plan.answer(conn, scope, coerced, image_base_url)
    except DBAPIError:
        raise
    except Exception:
        _log.exception("a JSON plan failed; the compiled plan answers this request")
        return None


class PlannedReads:
    """Compiled plans of one app, and how they run."""

    def __init__(
        self,
        schema: GraphQLSchema,
        engine: Engine,
        query_timeout: float,
        reads_in_flight: int = DEFAULT_READS_IN_FLIGHT,
        *,
        json_answers: bool = True,
    ) -> None:
        self.plans = PlanCache(schema)
        self._engine = engine
        self._offload = engine.dialect.name != "sqlite"
        self._sqlite = None if self._offload else _SqliteReader(engine)
        # JSON plans call the schema's Python functions from SQL: SQLite only.
        self._json_answers = json_answers and self._sqlite is not None
        self._reads = engine.execution_options(isolation_level="AUTOCOMMIT") if self._offload else engine
        self._timeout = query_timeout
        # On PostgreSQL, at most `reads_in_flight` plans run at once (never more than the pool has
        # connections); other requests wait their turn here, in order. Many plans at once in worker
        # threads mostly contend for the interpreter lock, which shows as a long tail of slow requests.
        self._turns: asyncio.Semaphore | None = None
        self._turns_loop: asyncio.AbstractEventLoop | None = None
        capacity = _pool_capacity(engine)
        self._concurrency = reads_in_flight if capacity is None else min(reads_in_flight, capacity)

    def close(self) -> None:
        if self._sqlite is not None:
            self._sqlite.close()

    def _turn(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        if self._turns is None or self._turns_loop is not loop:
            self._turns, self._turns_loop = asyncio.Semaphore(self._concurrency), loop
        return self._turns

    async def answer(
        self,
        query: str,
        operation_name: str | None,
        variables: dict[str, Any] | None,
        *,
        scope: PostScope,
        image_base_url: str,
        principal: Principal,
    ) -> dict[str, Any] | orjson.Fragment | None:
        """The `data` of the answer (as JSON text already written, when a JSON plan answered), or
        None when graphql-core must answer this request.

        Raises the `Rejection` of a database outage or a timeout.
        """
        plan = self.plans.get(query, operation_name)
        if plan is None:
            return None

        json_plan = plan.json if self._json_answers else None

        def read(conn: Connection) -> dict[str, Any] | orjson.Fragment:
            coerced = plan.coerce(variables)
            if json_plan is not None:
                text = _json_answer(json_plan, conn, scope, coerced, image_base_url)
                if text is not None:
                    return orjson.Fragment(text)
            waves = Waves()
            context = Context.create(
                self._engine, scope, image_base_url, principal, db=HeldConnection(conn), loader=waves.loader
            )
            return plan.execute(context, waves, variables, coerced=coerced)

        def work() -> dict[str, Any] | orjson.Fragment:
            if self._sqlite is not None:
                return self._sqlite.run(read)
            with self._reads.connect() as conn:
                return read(conn)

        call = partial(run_sync_with_deadline, work, self._timeout)
        started = time.monotonic()
        try:
            if not self._offload:
                return call()
            async with self._turn():
                return await run_in_threadpool(call)
        except (PlanAbandoned, DBAPIError) as error:
            cause = error.__cause__ if isinstance(error, PlanAbandoned) else error
            if is_database_outage(cause):
                # SQLite reports a statement interrupted at the deadline like an outage.
                if time.monotonic() - started >= self._timeout:
                    raise query_timeout(self._timeout) from None
                raise database_unavailable() from None
            return None
