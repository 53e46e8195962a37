"""Read queries answered as JSON written by the database (`content_api.store.json_answers`).

For a document whose every field is one the store can build in SQL (a post by slug with its feature
image, authors, people, tags and related news; a person by slug; a page of `posts(...)`, whose
connection is written here around the posts the statement writes), the whole answer is one statement
whose result is the answer's `data` as JSON. This module says, once, how each such field of the
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
from functools import cache, partial
from typing import Any, NamedTuple

import orjson
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
    GraphQLSchema,
    GraphQLString,
    SelectionSetNode,
    Undefined,
    get_nullable_type,
)
from graphql.execution.values import get_argument_values
from sqlalchemy import Connection

from content_api.schema.compiling import (
    STRAWBERRY_DEFINITION,
    ArgumentConverter,
    argument_converter,
    uses_variables,
)
from content_api.schema.errors import ApiError
from content_api.schema.pagination import global_id, post_cursor
from content_api.schema.queries import post_page_request
from content_api.schema.types import check_related_first, quoted_image_url
from content_api.store import json_answers as store
from content_api.store import queries as store_queries
from content_api.store.queries import PUBLIC, PostScope

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
# Root fields answered as a page of posts (`Query.posts`).
PAGES = {"posts"}

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

    # Lookups and constants, or one page of posts (`_PagePlan`) and constants.
    roots: tuple[store.Root | store.Constant | _PagePlan, ...]
    arguments: tuple[_Argument, ...]
    # The page of posts among the roots, if any.
    page: _PagePlan | None = None
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

    def answer(self, conn: Connection, scope: PostScope, variables: Any, image_base_url: str) -> bytes | None:
        """The `data` of the answer as JSON for a request with these coerced variables, or None when
        this plan cannot answer it (the compiled plan then does)."""
        arguments = self.statement_arguments(variables, image_base_url)
        if arguments is None:
            return None
        if self.page is not None:
            return self.page.answer(conn, scope, variables, arguments, self.roots)
        key = (scope, conn.dialect.name)
        read = self._reads.get(key)
        if read is None:
            read = self._reads[key] = self.read(scope, conn.dialect)
        return read.run(conn, arguments)

    def read(self, scope: PostScope, dialect: Any) -> store.JsonRead:
        lookups = tuple(root for root in self.roots if not isinstance(root, _PagePlan))
        return store.json_read(scope, lookups, dialect)


# What a part of a connection's answer is.
_TYPENAME, _TOTAL, _PAGE_INFO, _EDGES, _HAS_NEXT, _HAS_PREVIOUS, _START, _END, _CURSOR, _NODE = range(10)
_CONNECTION_FIELDS = {"totalCount": _TOTAL, "pageInfo": _PAGE_INFO, "edges": _EDGES}
_PAGE_INFO_FIELDS = {"hasNextPage": _HAS_NEXT, "hasPreviousPage": _HAS_PREVIOUS, "startCursor": _START,
                     "endCursor": _END}  # fmt: skip


class _Part(NamedTuple):
    """One key of a connection's answer: the key as JSON, what it is, and its own parts or constant."""

    key: bytes
    what: int
    parts: tuple[_Part, ...] = ()
    constant: bytes = b""


@dataclass(slots=True)
class _PagePlan:
    """`posts(first, after, filter, order)`: one page of posts, each written by SQLite, the connection
    around them (cursors, page info, the count) written here as `Query.posts` makes it."""

    key: bytes
    field_def: GraphQLField
    node: FieldNode
    # Strawberry's conversion of the field's arguments to the resolver's.
    convert: ArgumentConverter
    # The arguments when the document fixes them (no variables), else None.
    fixed: dict[str, Any] | None
    parts: tuple[_Part, ...]
    node_fields: tuple[store.Field, ...]
    _reads: dict[tuple[Any, ...], store.JsonPage] = field(default_factory=dict)

    def page_read(
        self, scope: PostScope, shape: tuple[str, ...], order: Any, has_after: bool, dialect: Any
    ) -> store.JsonPage:
        key = (scope, shape, order, has_after, dialect.name)
        read = self._reads.get(key)
        if read is None:
            read = self._reads[key] = store.json_page(
                scope, shape, order, has_after, self.node_fields, dialect
            )
        return read

    def answer(
        self,
        conn: Connection,
        scope: PostScope,
        variables: Any,
        arguments: dict[str, Any],
        roots: tuple[store.Root | store.Constant | _PagePlan, ...],
    ) -> bytes | None:
        try:
            values = self.fixed
            if values is None:
                values = get_argument_values(self.field_def, self.node, variables)
            request = self.convert(values, None)
            first = request["first"]
            post_filter, order, after = post_page_request(**request)
        except (GraphQLError, ApiError, KeyError, TypeError, ValueError):
            return None  # graphql-core reports it
        shape = store_queries.post_page_shape(post_filter)
        read = self.page_read(scope, shape, order, after is not None, conn.dialect)
        page_arguments = store_queries.post_page_arguments(post_filter, after, first + 1)
        rows = read.run(conn, {**arguments, **page_arguments})
        if rows is None:
            return None
        shown = rows[:first]
        count: int | None = None
        parts: list[bytes] = []
        for root in roots:
            if isinstance(root, store.Constant):
                parts.append(store.json_key(root.key) + orjson.dumps(root.value))
                continue
            assert root is self
            if count is None and any(part.what == _TOTAL for part in self.parts):
                count = store_queries.count_posts(conn, scope, post_filter)
            parts.append(self.key + _connection(self.parts, shown, len(rows) > first, count))
        return b"{" + b",".join(parts) + b"}"


def _connection(parts: tuple[_Part, ...], rows: list[store.PageRow], more: bool, count: int | None) -> bytes:
    cursors = [orjson.dumps(post_cursor(row.key)) for row in rows]
    written: list[bytes] = []
    for part in parts:
        if part.what == _TYPENAME:
            value = part.constant
        elif part.what == _TOTAL:
            value = str(count).encode()
        elif part.what == _PAGE_INFO:
            value = _object(
                part.parts,
                {
                    _HAS_NEXT: b"true" if more else b"false",
                    # Connections page forward only (`PageInfo.has_previous_page`).
                    _HAS_PREVIOUS: b"false",
                    _START: cursors[0] if cursors else b"null",
                    _END: cursors[-1] if cursors else b"null",
                },
            )
        else:
            value = (
                b"["
                + b",".join(
                    _object(part.parts, {_CURSOR: cursor, _NODE: row.json})
                    for cursor, row in zip(cursors, rows, strict=True)
                )
                + b"]"
            )
        written.append(part.key + value)
    return b"{" + b",".join(written) + b"}"


def _object(parts: tuple[_Part, ...], values: dict[int, bytes]) -> bytes:
    return (
        b"{"
        + b",".join(
            part.key + (part.constant if part.what == _TYPENAME else values[part.what]) for part in parts
        )
        + b"}"
    )


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
            target = _object_type(field_def)
            result.append(store.Nested(key, how.relation, self.fields(target, _sets(nodes)), limit))
        return tuple(result)

    def page(
        self, key: str, nodes: list[FieldNode], field_def: GraphQLField, strawberry_schema: Any
    ) -> _PagePlan:
        definition = (field_def.extensions or {}).get(STRAWBERRY_DEFINITION)
        if strawberry_schema is None or definition is None:
            raise store.Unsupported("a page without Strawberry's field")
        convert = argument_converter(strawberry_schema, definition)
        node = nodes[0]
        fixed = None
        if not any(uses_variables(argument.value) for argument in node.arguments or ()):
            fixed = get_argument_values(field_def, node)
            post_page_request(**convert(fixed, None))  # out of range: graphql-core reports it
        connection = get_nullable_type(field_def.type)
        if not isinstance(connection, GraphQLObjectType):
            raise store.Unsupported(f"a page of type {connection}")
        parts: list[_Part] = []
        node_fields: tuple[store.Field, ...] | None = None
        for part_key, part_nodes in self.collect(connection, _sets(nodes)).items():
            name = part_nodes[0].name.value
            what = _CONNECTION_FIELDS.get(name)
            if name == "__typename":
                parts.append(
                    _Part(store.json_key(part_key), _TYPENAME, constant=orjson.dumps(connection.name))
                )
            elif what == _TOTAL:
                parts.append(_Part(store.json_key(part_key), _TOTAL))
            elif what == _PAGE_INFO:
                info_type = _object_type(connection.fields[name])
                inner = self._plain_parts(info_type, part_nodes, _PAGE_INFO_FIELDS)
                parts.append(_Part(store.json_key(part_key), _PAGE_INFO, inner))
            elif what == _EDGES and not any(part.what == _EDGES for part in parts):
                edge_type = _object_type(connection.fields[name])
                inner_parts: list[_Part] = []
                for edge_key, edge_nodes in self.collect(edge_type, _sets(part_nodes)).items():
                    edge_name = edge_nodes[0].name.value
                    if edge_name == "__typename":
                        constant = orjson.dumps(edge_type.name)
                        inner_parts.append(_Part(store.json_key(edge_key), _TYPENAME, constant=constant))
                    elif edge_name == "cursor":
                        inner_parts.append(_Part(store.json_key(edge_key), _CURSOR))
                    elif edge_name == "node" and node_fields is None:
                        post_type = _object_type(edge_type.fields["node"])
                        node_fields = self.fields(post_type, _sets(edge_nodes))
                        inner_parts.append(_Part(store.json_key(edge_key), _NODE))
                    else:
                        raise store.Unsupported(f"{edge_type.name}.{edge_name} here")
                parts.append(_Part(store.json_key(part_key), _EDGES, tuple(inner_parts)))
            else:
                raise store.Unsupported(f"{connection.name}.{name} here")
        return _PagePlan(
            store.json_key(key), field_def, node, convert, fixed, tuple(parts), node_fields or ()
        )

    def _plain_parts(
        self, type_: GraphQLObjectType, nodes: list[FieldNode], known: dict[str, int]
    ) -> tuple[_Part, ...]:
        parts = []
        for key, field_nodes in self.collect(type_, _sets(nodes)).items():
            name = field_nodes[0].name.value
            if name == "__typename":
                parts.append(_Part(store.json_key(key), _TYPENAME, constant=orjson.dumps(type_.name)))
            elif name in known:
                parts.append(_Part(store.json_key(key), known[name]))
            else:
                raise store.Unsupported(f"{type_.name}.{name} here")
        return tuple(parts)


def _sets(nodes: list[FieldNode]) -> list[SelectionSetNode]:
    return [node.selection_set for node in nodes if node.selection_set is not None]


def _object_type(field_def: GraphQLField) -> GraphQLObjectType:
    """The object type of a field of object or list-of-object type."""
    target = get_nullable_type(field_def.type)
    if isinstance(target, GraphQLList):
        target = get_nullable_type(target.of_type)
    if not isinstance(target, GraphQLObjectType):
        raise store.Unsupported(f"a field of type {target}")
    return target


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
    """`convert`, then the scalar's own serialiser; a value it cannot serialise stops the statement.

    One function per pair (the store keeps each conversion's results, see `store.Leaf.convert`)."""
    serialise = scalar.coerce_output_value

    def apply(value: Any) -> Any:
        if convert is not None:
            value = convert(value)
        result = serialise(value)
        if result is None or result is Undefined or not isinstance(result, (str, int)):
            raise ValueError(f"{scalar.name} cannot be answered as JSON text here: {result!r}")
        return result

    return apply


def compile_json_plan(
    schema: GraphQLSchema, root_type: GraphQLObjectType, selection_set: SelectionSetNode, collect: Collect
) -> JsonPlan | None:
    """The JSON plan of an operation selecting `selection_set` on `root_type`, or None when it asks
    for anything JSON plans do not cover."""
    compiler = _Compiler(collect)
    strawberry_schema = getattr(schema, "_strawberry_schema", None)
    roots: list[store.Root | store.Constant | _PagePlan] = []
    try:
        for key, nodes in collect(root_type, [selection_set]).items():
            name = nodes[0].name.value
            if name == "__typename":
                roots.append(store.Constant(key, root_type.name))
                continue
            field_def = root_type.fields.get(name)
            if name in PAGES and field_def is not None:
                roots.append(compiler.page(key, nodes, field_def, strawberry_schema))
                continue
            lookup = ROOTS.get(name)
            if lookup is None or field_def is None:
                return None
            store_lookup, argument_name = lookup
            argument = compiler.argument(field_def, nodes[0], argument_name, None)
            target = _object_type(field_def)
            roots.append(store.Root(key, store_lookup, argument, compiler.fields(target, _sets(nodes))))
        pages = [root for root in roots if isinstance(root, _PagePlan)]
        if pages and (len(pages) > 1 or any(isinstance(root, store.Root) for root in roots)):
            return None  # a page of posts is answered alone (beside __typename)
        plan = JsonPlan(tuple(roots), tuple(compiler.arguments), pages[0] if pages else None)
        # Build the statement once now, so that whatever the store does not know is found here.
        if plan.page is not None:
            plan.page.page_read(PUBLIC, (), store_queries.PostOrder.PUBLISHED_DESC, False, store.SQLITE)
        else:
            plan.read(PUBLIC, store.SQLITE)
    except (store.Unsupported, GraphQLError, ApiError):  # ApiError: a fixed argument out of range
        return None
    return plan
