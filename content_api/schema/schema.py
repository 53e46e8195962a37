"""The GraphQL schema, assembled once per process."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.printer import print_schema
from strawberry.tools import merge_types
from strawberry.types.execution import ExecutionContext

from content_api.schema.errors import log_unexpected
from content_api.schema.mutations import EditorialQuery, Mutation
from content_api.schema.queries import Query
from content_api.schema.types import Person, Post, Tag

# Distinct documents kept parsed and validated; front ends send a small, fixed set of queries.
DOCUMENT_CACHE_SIZE = 512
# Limits on what one document may ask for (depth, aliases, tokens, cost) are configurable and are
# checked before execution by content_api/http/complexity.py, so the schema carries none itself.
# The default token limit, for code that parses a document on its own before the limits are checked.
MAX_TOKENS = 5000


class ContentSchema(strawberry.Schema):
    """Logs only the errors that are the server's fault; the client's mistakes are not incidents."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        log_unexpected(errors)


def build_schema() -> ContentSchema:
    return ContentSchema(
        query=merge_types("Query", (Query, EditorialQuery)),
        mutation=Mutation,
        types=[Post, Person, Tag],
        extensions=[
            lambda: ParserCache(maxsize=DOCUMENT_CACHE_SIZE),
            lambda: ValidationCache(maxsize=DOCUMENT_CACHE_SIZE),
        ],
    )


schema = build_schema()


def schema_sdl(target: Any = None) -> str:
    """The schema in SDL, as `content-api export-schema` prints it and `schema.graphql` holds it."""
    return print_schema(target or schema) + "\n"
