"""Everything `/graphql` checks around one operation, in the order it happens.

1. `resolve`: persisted queries turn a hash into its document (or refuse it).
2. `check`: the document is held against the limits before anything resolves.
3. `execute`: the operation runs under the query timeout, and a database that went away during it
   turns the answer into 503 DATABASE_UNAVAILABLE instead of a field error.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Mapping
from typing import Any

from graphql import GraphQLSchema
from sqlalchemy import Engine
from strawberry.types.execution import ExecutionResult

from content_api.http.complexity import DocumentGuard
from content_api.http.errors import database_unavailable, is_database_outage
from content_api.http.limits import Limits
from content_api.http.persisted import PersistedQueries
from content_api.http.timeouts import install_statement_deadline, query_timeout, run_with_deadline


class RequestGuard:
    """The limits, persisted queries, timeout and fault handling of one app."""

    def __init__(self, schema: GraphQLSchema, engine: Engine, limits: Limits, *, dev_mode: bool) -> None:
        self.limits = limits
        self.persisted = PersistedQueries.from_limits(limits)
        self.documents = DocumentGuard(schema, limits, introspection=limits.allows_introspection(dev_mode))
        install_statement_deadline(engine, limits.query_timeout)

    def resolve(self, payload: dict[str, Any]) -> dict[str, Any]:
        """The request parameters with a persisted query's document filled in."""
        return self.persisted.resolve(payload)

    def check(
        self, query: str, variables: Mapping[str, Any] | None, extensions: Mapping[str, Any] | None
    ) -> None:
        """Raise `Rejection` when the document is over a limit; remember it when it was persisted."""
        self.documents.check(query, variables)
        self.persisted.remember(query, extensions)

    async def execute(self, work: Awaitable[ExecutionResult]) -> ExecutionResult:
        """Run `work` (the schema's execution) under the timeout and turn database outages into 503."""
        seconds = self.limits.query_timeout
        started = time.monotonic()
        result = await run_with_deadline(work, seconds)
        causes = [error.original_error for error in result.errors or ()]
        if any(cause is not None and is_database_outage(cause) for cause in causes):
            # A statement SQLite interrupted at the deadline reads like an outage; it is a timeout.
            if time.monotonic() - started >= seconds:
                raise query_timeout(seconds)
            raise database_unavailable()
        return result
