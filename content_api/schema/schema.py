"""The GraphQL schema, assembled once per process."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.printer import print_schema
from strawberry.types.execution import ExecutionContext

from content_api.schema.errors import log_unexpected
from content_api.schema.queries import Query
from content_api.schema.types import Person, Post, Tag

# Distinct documents kept parsed and validated; front ends send a small, fixed set of queries.
DOCUMENT_CACHE_SIZE = 512
# Limits on what one document may ask for. Every list is at most 100 long, so depth is what
# multiplies work: 10 levels allow two nested connections (a person's posts' tags) and no more.
MAX_DEPTH = 10
MAX_TOKENS = 5000
MAX_ALIASES = 30


class ContentSchema(strawberry.Schema):
    """Logs only the errors that are the server's fault; the client's mistakes are not incidents."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        log_unexpected(errors)


def build_schema() -> ContentSchema:
    return ContentSchema(
        query=Query,
        types=[Post, Person, Tag],
        extensions=[
            lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
            lambda: MaxAliasesLimiter(max_alias_count=MAX_ALIASES),
            lambda: QueryDepthLimiter(max_depth=MAX_DEPTH),
            lambda: ParserCache(maxsize=DOCUMENT_CACHE_SIZE),
            lambda: ValidationCache(maxsize=DOCUMENT_CACHE_SIZE),
        ],
    )


schema = build_schema()


def schema_sdl(target: Any = None) -> str:
    """The schema in SDL, as `content-api export-schema` prints it and `schema.graphql` holds it."""
    return print_schema(target or schema) + "\n"
