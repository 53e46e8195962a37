"""Errors a client may see, with stable `extensions.code` values, and the masking of everything else.

Expected failures raise `ApiError` subclasses whose message is written for the client. Any other
exception is logged with its traceback on the server and reaches the client as "Internal server
error", so SQL, file paths and stack traces never leave the process.
"""

from __future__ import annotations

import logging
from enum import Enum
from typing import Any

from graphql import GraphQLError, GraphQLSyntaxError

logger = logging.getLogger("content_api.graphql")

BAD_USER_INPUT = "BAD_USER_INPUT"
NOT_FOUND = "NOT_FOUND"
GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"
INTERNAL_MESSAGE = "Internal server error"


class ApiError(Exception):
    """A failure the client caused or can act on; `str(error)` is shown to the client."""

    code = INTERNAL_SERVER_ERROR

    @property
    def extensions(self) -> dict[str, Any]:
        return {"code": self.code}


class BadUserInput(ApiError):
    """An argument is out of range or malformed (a cursor, a global id, `first`)."""

    code = BAD_USER_INPUT


class PostGone(ApiError):
    """A post listed earlier in the request was unpublished or deleted before the rest of it was read."""

    code = NOT_FOUND


def is_expected(error: GraphQLError) -> bool:
    """True when the error is the client's doing rather than a fault in the server."""
    original = error.original_error
    return original is None or isinstance(original, (ApiError, GraphQLError))


class Stage(Enum):
    """Where a request failed; decides the code of errors that graphql-core raised itself."""

    DOCUMENT = "document"  # parsing or validating the query document
    VARIABLES = "variables"  # coercing the variables
    EXECUTION = "execution"  # resolving fields


def format_error(error: GraphQLError, stage: Stage) -> dict[str, Any]:
    """The JSON form of `error`, masked when unexpected."""
    original = error.original_error
    if original is not None and not isinstance(original, (ApiError, GraphQLError)):
        masked: dict[str, Any] = {"message": INTERNAL_MESSAGE, "extensions": {"code": INTERNAL_SERVER_ERROR}}
        if error.locations:
            masked["locations"] = [{"line": loc.line, "column": loc.column} for loc in error.locations]
        if error.path is not None:
            masked["path"] = error.path
        return masked
    formatted: dict[str, Any] = dict(error.formatted)
    extensions = dict(formatted.get("extensions") or {})
    if "code" not in extensions:
        extensions["code"] = _code_for(error, stage)
    formatted["extensions"] = extensions
    return formatted


def _code_for(error: GraphQLError, stage: Stage) -> str:
    if isinstance(error.original_error, ApiError):
        return error.original_error.code
    if stage is Stage.DOCUMENT:
        return GRAPHQL_PARSE_FAILED if isinstance(error, GraphQLSyntaxError) else GRAPHQL_VALIDATION_FAILED
    if stage is Stage.VARIABLES:
        return BAD_USER_INPUT
    # graphql-core's own complaint while resolving, such as a null in a non-null field: our fault.
    return INTERNAL_SERVER_ERROR


def log_unexpected(errors: list[GraphQLError]) -> None:
    """Log, with their tracebacks, the errors that are the server's fault."""
    for error in errors:
        if not is_expected(error):
            original = error.original_error
            logger.error(
                "error while resolving %s",
                ".".join(str(p) for p in error.path or ()) or "the operation",
                exc_info=(type(original), original, original.__traceback__) if original else None,
            )
