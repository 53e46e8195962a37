"""The GraphQL schema, assembled once per process."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import ASTValidationRule, GraphQLError
from strawberry.extensions import AddValidationRules, MaxTokensLimiter, ParserCache, ValidationCache
from strawberry.extensions.max_aliases import create_validator as create_alias_rule
from strawberry.extensions.query_depth_limiter import create_validator as create_depth_rule
from strawberry.printer import print_schema
from strawberry.tools import merge_types
from strawberry.types.execution import ExecutionContext

from content_api.schema.errors import log_unexpected
from content_api.schema.mutations import EditorialQuery, Mutation
from content_api.schema.queries import Query
from content_api.schema.types import Person, Post, Tag

# Distinct documents kept parsed and validated; front ends send a small, fixed set of queries.
DOCUMENT_CACHE_SIZE = 512
# Limits on what one document may ask for. Every list is at most 100 long, so depth is what
# multiplies work: 10 levels allow two nested connections (a person's posts' tags) and no more.
MAX_DEPTH = 10
MAX_TOKENS = 5000
MAX_ALIASES = 30
# Built once: the validation cache is keyed on the rule classes, and Strawberry's limiter extensions
# would make new classes for every request (so nothing would ever be found in the cache).
LIMIT_RULES: list[type[ASTValidationRule]] = [
    create_depth_rule(MAX_DEPTH, should_ignore=None),
    create_alias_rule(MAX_ALIASES),
]


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
            lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
            lambda: AddValidationRules(LIMIT_RULES),
            lambda: ParserCache(maxsize=DOCUMENT_CACHE_SIZE),
            lambda: ValidationCache(maxsize=DOCUMENT_CACHE_SIZE),
        ],
    )


schema = build_schema()


def schema_sdl(target: Any = None) -> str:
    """The schema in SDL, as `content-api export-schema` prints it and `schema.graphql` holds it."""
    return print_schema(target or schema) + "\n"
