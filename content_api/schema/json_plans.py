"""Read queries answered as JSON written by the database (`content_api.store.json_answers`).

For a document whose every field is one the store can build in SQL (a post by slug with its feature
image, authors, people, tags and related news; a person by slug), the whole answer is one statement
whose result is the answer's `data` as JSON text. This module says, once, how each such field of the
schema is read: which attribute of which record, converted by which of the schema's own functions
(global ids, image URLs) and serialised by the field's own GraphQL scalar, so that the answer is the
one the resolvers give (the tests hold both paths to the same answers). A document that asks for
anything else (an argument out of range, a float, an enum, a connection, a field this table does not
name) gets no JSON plan and is answered by the compiled plan as before.

Like the store module, this covers SQLite, where the statement can call the schema's Python functions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, lru_cache, partial
from typing import Any, NamedTuple

from graphql import (
    GRAPHQL_MAX_INT,
    GRAPHQL_MIN_INT,
    FieldNode,
    GraphQLBoolean,
    GraphQLError,
    GraphQLField,
    GraphQLID,
    GraphQLInt,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLString,
    ListValueNode,
    ObjectValueNode,
    SelectionSetNode,
    Undefined,
    ValueNode,
    VariableNode,
    get_nullable_type,
)
from graphql.execution.values import get_argument_values
from sqlalchemy import Connection

from content_api.schema.errors import ApiError
from content_api.schema.pagination import global_id
from content_api.schema.types import check_related_first, quoted_image_url
from content_api.store import json_answers as store
from content_api.store.queries import PostScope

# The statement's argument holding the request's base URL for image links.
IMAGE_BASE_URL = "image_base_url"


class _Attr(NamedTuple):
    attribute: str
    convert: Callable[[Any], Any] | None = None
    prefix: str | None = None


class _Rel(NamedTuple):
    relation: str
    # The field's argument bounding the list, and the check its value must pass.
    limit: str | None = None
    check: Callable[[int], int] | None = None


_POST_ID = partial(global_id, "Post")
_POST: dict[str, _Attr | _Rel] = {
    "id": _Attr("id", _POST_ID),
    "slug": _Attr("slug"),
    "title": _Attr("title"),
    "summary": _Attr("summary"),
    "bodyHtml": _Attr("body_html"),
    "publishedAt": _Attr("published_at"),
    "updatedAt": _Attr("updated_at"),
    "lang": _Attr("lang"),
    "readingTimeMinutes": _Attr("reading_time_minutes"),
    "featureImage": _Rel("feature_image"),
    "authors": _Rel("authors"),
    "people": _Rel("people"),
    "tags": _Rel("tags"),
    "related": _Rel("related", "first", check_related_first),
}
# How each field these answers cover is read, by GraphQL type and field name. Fields not named here
# (a related post's score and reason, a person's avatar and posts, an image's flash verdict, ...)
# leave the document to the compiled plan.
FIELDS: dict[str, dict[str, _Attr | _Rel]] = {
    "Post": _POST,
    # A related post is the post itself (with the same global id), listed.
    "RelatedPost": _POST,
    "Person": {
        "id": _Attr("id", partial(global_id, "Person")),
        "slug": _Attr("slug"),
        "name": _Attr("name"),
        "pronouns": _Attr("pronouns"),
        "role": _Attr("role"),
        "bio": _Attr("bio"),
    },
    "Tag": {
        "id": _Attr("id", partial(global_id, "Tag")),
        "slug": _Attr("slug"),
        "name": _Attr("name"),
    },
    "Image": {
        "url": _Attr("path", quoted_image_url, IMAGE_BASE_URL),
        "alt": _Attr("alt"),
        "caption": _Attr("caption"),
        "width": _Attr("width"),
        "height": _Attr("height"),
        "format": _Attr("format"),
        "animated": _Attr("animated"),
    },
}
# Root fields: the store's lookup and the field's one argument.
ROOTS = {"post": ("post_by_slug", "slug"), "person": ("person_by_slug", "slug")}

Collect = Callable[[GraphQLObjectType, list[SelectionSetNode]], dict[str, list[FieldNode]]]


class _Argument(NamedTuple):
    """A statement argument taken from a field's argument, per request or fixed in the document."""

    name: str
    field_def: GraphQLField
    node: FieldNode
    graphql_name: str
    # For a bound: the check the value must pass (it raises when the value is out of range).
    check: Callable[[int], int] | None
    # The value when the document fixes it (no variables); Undefined otherwise.
    fixed: Any


@dataclass(slots=True)
class JsonPlan:
    """How to answer one operation with one JSON statement."""

    roots: tuple[store.Root | store.Constant, ...]
    arguments: tuple[_Argument, ...]
    _reads: dict[tuple[PostScope, str], store.JsonRead] = field(default_factory=dict)

    def statement_arguments(self, variables: Any, image_base_url: str) -> dict[str, Any] | None:
        """The statement's arguments for a request with these coerced variables; None when one is
        missing or out of range (graphql-core then reports it)."""
        values: dict[str, Any] = {IMAGE_BASE_URL: image_base_url}
        for argument in self.arguments:
            value = argument.fixed
            if value is Undefined:
                try:
                    value = get_argument_values(argument.field_def, argument.node, variables).get(
                        argument.graphql_name, Undefined
                    )
                except GraphQLError:
                    return None
            if value is Undefined or value is None:
                return None
            if argument.check is not None:
                try:
                    argument.check(value)
                except ApiError:
                    return None
            values[argument.name] = value
        return values

    def answer(self, conn: Connection, scope: PostScope, arguments: dict[str, Any]) -> bytes | None:
        """The `data` of the answer as JSON, or None when this statement cannot answer it."""
        dialect = conn.dialect
        key = (scope, dialect.name)
        read = self._reads.get(key)
        if read is None:
            read = self._reads[key] = store.json_read(scope, self.roots, dialect)
        return read.run(conn, arguments)


class _Compiler:
    def __init__(self, collect: Collect) -> None:
        self.collect = collect
        self.arguments: list[_Argument] = []

    def argument(self, field_def: GraphQLField, node: FieldNode, name: str, check: Any) -> str:
        statement_name = f"arg{len(self.arguments)}"
        varies = any(uses_variables(argument.value) for argument in node.arguments or ())
        fixed: Any = Undefined
        if not varies:
            fixed = get_argument_values(field_def, node).get(name, Undefined)
            if fixed is Undefined or fixed is None:
                raise store.Unsupported(f"argument {name} not given")
            if check is not None:
                check(fixed)  # out of range: graphql-core reports it
        self.arguments.append(_Argument(statement_name, field_def, node, name, check, fixed))
        return statement_name

    def fields(self, type_: GraphQLObjectType, sets: list[SelectionSetNode]) -> tuple[store.Field, ...]:
        table = FIELDS.get(type_.name)
        if table is None:
            raise store.Unsupported(f"type {type_.name}")
        result: list[store.Field] = []
        for key, nodes in self.collect(type_, sets).items():
            name = nodes[0].name.value
            if name == "__typename":
                result.append(store.Constant(key, type_.name))
                continue
            how = table.get(name)
            field_def = type_.fields.get(name)
            if how is None or field_def is None:
                raise store.Unsupported(f"field {type_.name}.{name}")
            if isinstance(how, _Attr):
                result.append(_leaf(key, how, field_def))
                continue
            limit = None
            if how.limit is not None:
                limit = self.argument(field_def, nodes[0], how.limit, how.check)
            elif nodes[0].arguments:
                raise store.Unsupported(f"arguments of {type_.name}.{name}")
            target = get_nullable_type(field_def.type)
            if isinstance(target, GraphQLList):
                target = get_nullable_type(target.of_type)
            if not isinstance(target, GraphQLObjectType):
                raise store.Unsupported(f"field {type_.name}.{name} of type {target}")
            sub_sets = [node.selection_set for node in nodes if node.selection_set is not None]
            result.append(store.Nested(key, how.relation, self.fields(target, sub_sets), limit))
        return tuple(result)


def uses_variables(value: ValueNode) -> bool:
    """Whether an argument's value refers to a variable anywhere inside it."""
    if isinstance(value, VariableNode):
        return True
    if isinstance(value, ListValueNode):
        return any(uses_variables(item) for item in value.values)
    if isinstance(value, ObjectValueNode):
        return any(uses_variables(field.value) for field in value.fields)
    return False


def _leaf(key: str, how: _Attr, field_def: GraphQLField) -> store.Leaf:
    required = isinstance(field_def.type, GraphQLNonNull)
    named = get_nullable_type(field_def.type)
    if named is GraphQLString or named is GraphQLID:
        return store.Leaf(key, how.attribute, how.convert, how.prefix, required)
    if how.prefix is not None:
        raise store.Unsupported(f"a prefix on a {named} field")
    if named is GraphQLInt:
        return store.Leaf(key, how.attribute, how.convert, None, required, (GRAPHQL_MIN_INT, GRAPHQL_MAX_INT))
    if named is GraphQLBoolean and how.convert is None:
        return store.Leaf(key, how.attribute, None, None, required)
    if isinstance(named, GraphQLScalarType) and named.name not in ("Float", "Boolean"):
        return store.Leaf(key, how.attribute, _serialising(how.convert, named), None, required)
    raise store.Unsupported(f"a {named} field")


@cache
def _serialising(convert: Callable[[Any], Any] | None, scalar: GraphQLScalarType) -> Callable[[Any], Any]:
    """`convert`, then the scalar's own serialiser; a value it cannot serialise stops the statement."""
    serialise = scalar.coerce_output_value

    # Pages show the same dates over and over; serialising is a pure function of the value.
    @lru_cache(maxsize=4096)
    def apply(value: Any) -> Any:
        if convert is not None:
            value = convert(value)
        result = serialise(value)
        if result is None or result is Undefined or not isinstance(result, (str, int)):
            raise ValueError(f"{scalar.name} cannot be answered as JSON text here: {result!r}")
        return result

    return apply


def compile_json_plan(
    root_type: GraphQLObjectType, selection_set: SelectionSetNode, collect: Collect
) -> JsonPlan | None:
    """The JSON plan of an operation selecting `selection_set` on `root_type`, or None when it asks
    for anything JSON plans do not cover."""
    compiler = _Compiler(collect)
    roots: list[store.Root | store.Constant] = []
    try:
        for key, nodes in collect(root_type, [selection_set]).items():
            name = nodes[0].name.value
            if name == "__typename":
                roots.append(store.Constant(key, root_type.name))
                continue
            lookup = ROOTS.get(name)
            field_def = root_type.fields.get(name)
            if lookup is None or field_def is None:
                return None
            store_lookup, argument_name = lookup
            argument = compiler.argument(field_def, nodes[0], argument_name, None)
            target = get_nullable_type(field_def.type)
            if not isinstance(target, GraphQLObjectType):
                return None
            sub_sets = [node.selection_set for node in nodes if node.selection_set is not None]
            roots.append(store.Root(key, store_lookup, argument, compiler.fields(target, sub_sets)))
    except (store.Unsupported, GraphQLError, ApiError):  # ApiError: a fixed argument out of range
        return None
    return JsonPlan(tuple(roots), tuple(compiler.arguments))
