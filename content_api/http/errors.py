"""Requests refused before or around execution, each with a stable `extensions.code`.

`Rejection` is what the guards around `/graphql` raise (limits, persisted queries, timeouts, a database
that went away); the endpoint turns it into a GraphQL-over-HTTP error answer. `exception_handlers`
gives the routing and every other route the same shape: an unknown path or method is 404 or 405, a
database outage is 503, anything unforeseen a masked 500, each with a code, and no answer carries a
stack trace, SQL or a file path.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import orjson
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from content_api.schema.errors import INTERNAL_MESSAGE, INTERNAL_SERVER_ERROR
from content_api.store.db import first_line

logger = logging.getLogger("content_api.http")

# Codes of the guards; the schema's own codes (BAD_USER_INPUT, GRAPHQL_PARSE_FAILED, ...) live in
# content_api.schema.errors.
QUERY_TOO_DEEP = "QUERY_TOO_DEEP"
TOO_MANY_ALIASES = "TOO_MANY_ALIASES"
TOO_MANY_TOKENS = "TOO_MANY_TOKENS"
QUERY_TOO_LONG = "QUERY_TOO_LONG"
QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
INTROSPECTION_DISABLED = "INTROSPECTION_DISABLED"
PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"
BATCH_TOO_LARGE = "BATCH_TOO_LARGE"
RATE_LIMITED = "RATE_LIMITED"
QUERY_TIMEOUT = "QUERY_TIMEOUT"
DATABASE_UNAVAILABLE = "DATABASE_UNAVAILABLE"
PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
PERSISTED_QUERY_NOT_SUPPORTED = "PERSISTED_QUERY_NOT_SUPPORTED"
PERSISTED_QUERY_NOT_IN_LIST = "PERSISTED_QUERY_NOT_IN_LIST"
BAD_REQUEST = "BAD_REQUEST"

# How long a client should wait before trying again while the database is away.
DATABASE_RETRY_SECONDS = 5
DATABASE_MESSAGE = "The database is unavailable; try again shortly."

JSON_MEDIA_TYPE = "application/json"


class Rejection(Exception):
    """A request the server refuses; `str(rejection)` is the message shown to the client.

    `status` is the HTTP status for `application/graphql-response+json`; `status_for_json`, when set,
    replaces it for legacy `application/json` clients, which expect 200 for every well-formed request
    that GraphQL itself refused (a document over a limit is such a request).
    """

    def __init__(
        self,
        status: int,
        message: str,
        code: str,
        *,
        status_for_json: int | None = None,
        headers: Mapping[str, str] | None = None,
        extensions: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.status_for_json = status_for_json
        self.headers = dict(headers or {})
        self.extensions = dict(extensions or {})

    def error(self) -> dict[str, Any]:
        """The rejection as one GraphQL error object."""
        return {"message": str(self), "extensions": {"code": self.code, **self.extensions}}


def document_rejection(message: str, code: str, **extensions: Any) -> Rejection:
    """A document GraphQL refuses before running it: 400, or 200 for legacy JSON clients."""
    return Rejection(400, message, code, status_for_json=200, extensions=extensions)


def database_unavailable() -> Rejection:
    return Rejection(
        503,
        DATABASE_MESSAGE,
        DATABASE_UNAVAILABLE,
        headers={"Retry-After": str(DATABASE_RETRY_SECONDS)},
    )


def is_database_outage(error: BaseException | None) -> bool:
    """True when `error` says the database cannot be reached, rather than that a statement is wrong.

    Connection refused, a server shut down or restarted, a connection terminated by an administrator
    and a database that no longer exists all reach SQLAlchemy as `OperationalError` or
    `InterfaceError`, or as any DBAPI error that invalidated its connection.
    """
    if isinstance(error, (OperationalError, InterfaceError)):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


def error_body(error: dict[str, Any]) -> bytes:
    return orjson.dumps({"errors": [error]})


def _json(status: int, error: dict[str, Any], headers: Mapping[str, str] | None = None) -> Response:
    return Response(
        error_body(error),
        status_code=status,
        media_type=f"{JSON_MEDIA_TYPE}; charset=utf-8",
        headers=dict(headers or {}),
    )


async def _on_database_error(request: Request, exc: Exception) -> Response:
    if not is_database_outage(exc):
        return await _on_unexpected(request, exc)
    logger.warning("database unavailable during %s: %s", request.url.path, first_line(exc))
    rejection = database_unavailable()
    return _json(rejection.status, rejection.error(), rejection.headers)


async def _on_unexpected(request: Request, exc: Exception) -> Response:
    logger.error("unexpected error during %s", request.url.path, exc_info=exc)
    return _json(500, {"message": INTERNAL_MESSAGE, "extensions": {"code": INTERNAL_SERVER_ERROR}})


ExceptionHandler = Callable[[Request, Exception], Awaitable[Response]]


async def _on_http_exception(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    detail = exc.detail if isinstance(exc, HTTPException) else INTERNAL_MESSAGE
    headers = exc.headers if isinstance(exc, HTTPException) else None
    code = _HTTP_CODES.get(status, BAD_REQUEST if status < 500 else INTERNAL_SERVER_ERROR)
    return _json(status, {"message": detail, "extensions": {"code": code}}, headers)


_HTTP_CODES = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}


def exception_handlers() -> dict[Any, ExceptionHandler]:
    """Starlette exception handlers: routing errors (404, 405) and database outages (503) as JSON
    errors with a code, and anything unforeseen as a masked 500."""
    return {HTTPException: _on_http_exception, DBAPIError: _on_database_error, Exception: _on_unexpected}
