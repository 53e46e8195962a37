"""Query timeouts: an operation that runs too long is cancelled, and the worker carries on serving.

`run_with_deadline` bounds the whole operation with `asyncio.wait_for`, which cancels it at the next
await. A single long statement is cut short by the database itself: SQLite connections (which run
inline on the event loop) get a progress handler that interrupts a statement once the running
request's deadline has passed, and PostgreSQL connections get a `statement_timeout` of the same
length, so the worker thread waiting on one is released as well.
"""

from __future__ import annotations

import asyncio
import time
import weakref
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any, TypeVar

from sqlalchemy import Engine, event

from content_api.http.errors import QUERY_TIMEOUT, Rejection

T = TypeVar("T")

# SQLite calls the progress handler every this many virtual-machine steps (a few microseconds).
SQLITE_PROGRESS_STEPS = 5000

# The monotonic time by which the current request must be done; None outside a request.
_deadline: ContextVar[float | None] = ContextVar("content_api_deadline", default=None)
_installed: weakref.WeakKeyDictionary[Engine, float] = weakref.WeakKeyDictionary()


def deadline_passed() -> bool:
    """True inside a request whose deadline has passed."""
    deadline = _deadline.get()
    return deadline is not None and time.monotonic() > deadline


def _sqlite_progress() -> int:
    # A non-zero answer makes SQLite abandon the statement with "interrupted".
    return 1 if deadline_passed() else 0


def install_statement_deadline(engine: Engine, seconds: float) -> None:
    """Make statements on `engine` stop at the request's deadline (SQLite) or after `seconds` (PostgreSQL)."""
    first_time = engine not in _installed
    _installed[engine] = seconds
    if not first_time:
        return

    @event.listens_for(engine, "checkout")
    def on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        if record.info.get("statement_deadline") == _installed.get(engine):
            return
        if engine.dialect.name == "sqlite":
            dbapi_connection.set_progress_handler(_sqlite_progress, SQLITE_PROGRESS_STEPS)
        elif engine.dialect.name == "postgresql":
            milliseconds = max(1, round(_installed.get(engine, seconds) * 1000))
            cursor = dbapi_connection.cursor()
            try:
                cursor.execute(f"SET statement_timeout = {milliseconds}")
            finally:
                cursor.close()
            dbapi_connection.commit()
        record.info["statement_deadline"] = _installed.get(engine)


def query_timeout(seconds: float) -> Rejection:
    return Rejection(
        504, f"The query ran longer than {seconds:g} s and was cancelled.", QUERY_TIMEOUT, extensions={}
    )


async def run_with_deadline(work: Awaitable[T], seconds: float) -> T:
    """Await `work`, cancelling it after `seconds`; raise a QUERY_TIMEOUT `Rejection` when it ran out."""
    token = _deadline.set(time.monotonic() + seconds)
    try:
        return await asyncio.wait_for(work, seconds)
    except TimeoutError:
        raise query_timeout(seconds) from None
    finally:
        _deadline.reset(token)


def run_sync_with_deadline(work: Callable[[], T], seconds: float) -> T:
    """Call `work` (which never awaits) with the request's deadline set, so that SQLite interrupts a
    statement still running when it passes and PostgreSQL's `statement_timeout` applies."""
    token = _deadline.set(time.monotonic() + seconds)
    try:
        return work()
    finally:
        _deadline.reset(token)
