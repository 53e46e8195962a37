"""Answers written as JSON by SQLite itself: one statement for a whole read query.

A post page asks for a post, its feature image, authors, tags and related news. Read as records, that
is four statements and a few dozen Python objects per request, then serialised; SQLite's JSON
functions can build the same answer in C, in one statement, with each list ordered and bounded in
SQL. The caller describes the answer as a tree of `Leaf`, `Constant` and `Nested` fields under root
lookups (`Root`); this module turns it into a SQLAlchemy statement over the same tables, with the
same visibility predicate (`PostScope.visible()`) and the same pronoun mask as the record queries,
and compiles it once (`JsonRead`, a `PreparedRead`). A page of posts (`json_page`) is the page statement
of the record queries with each post written as JSON in its row.

Values that are not stored as they are shown (a global id, an image URL, a date) are converted by the
caller's own Python functions, which SQLite calls as SQL functions (registered on each connection the
first time a statement needs them), after the column's own result processor: a function receives the
value exactly as a record would hold it. A required field whose value is null, or a conversion that
raises, stops the statement; `run` then answers None and the caller answers the request another way.

SQLite only: PostgreSQL has the JSON functions but not the in-process Python functions, so callers
keep their other path there.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, NamedTuple

import orjson
from sqlalchemy import (
    Boolean,
    ColumnElement,
    Connection,
    FromClause,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    case,
    func,
    literal_column,
    null,
    select,
)
from sqlalchemy.dialects import sqlite
from sqlalchemy.exc import DBAPIError

from content_api.store.prepared import PreparedRead
from content_api.store.queries import (
    PUBLIC,
    PostKey,
    PostOrder,
    PostScope,
    post_page_statement,
    shown_pronouns,
)
from content_api.store.tables import (
    images,
    people,
    post_authors,
    post_people,
    post_related,
    post_tags,
    posts,
    tags,
)

# The dialect these statements are for, to build one before any connection is at hand.
SQLITE = sqlite.dialect()


class Unsupported(Exception):
    """The answer asks for something this module cannot build; the caller answers another way."""


# ---------------------------------------------------------------------------------------------------
# What the caller asks for


@dataclass(frozen=True, slots=True)
class Leaf:
    """A value of the object: an attribute as its record holds it, optionally converted."""

    key: str
    attribute: str
    # Applied in Python to the attribute's value (never to null); must give a str, an int or None,
    # and depend on the value alone (results are kept, and SQLite is told the function is
    # deterministic).
    convert: Callable[[Any], Any] | None = None
    # The named argument whose text is put in front of the (converted) value, e.g. a base URL.
    prefix: str | None = None
    # Null is not an answer: the statement stops instead.
    required: bool = False
    # The value must be an integer within these bounds (inclusive), else the statement stops.
    int_bounds: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class Constant:
    key: str
    value: str


@dataclass(frozen=True, slots=True)
class Nested:
    """A related object (or list of objects), answered with its own fields."""

    key: str
    relation: str
    fields: tuple[Field, ...]
    # The named argument bounding a list's length.
    limit: str | None = None


Field = Leaf | Constant | Nested


@dataclass(frozen=True, slots=True)
class Root:
    """A lookup at the top of the answer: `lookup` (see `ROOT_LOOKUPS`) by the named argument `argument`."""

    key: str
    lookup: str
    argument: str
    fields: tuple[Field, ...]


# The lookups at the top of an answer, and the kind of object each finds.
ROOT_LOOKUPS = {"post_by_slug": "post", "person_by_slug": "person"}

# Attributes of each kind of object, as its record names them.
_ATTRIBUTES = {
    "post": (
        "id",
        "slug",
        "title",
        "summary",
        "body_html",
        "published_at",
        "updated_at",
        "lang",
        "reading_time_minutes",
    ),
    "person": ("id", "slug", "name", "pronouns", "role", "bio"),
    "tag": ("id", "slug", "name"),
    "image": ("path", "width", "height", "format", "animated", "alt", "caption"),
}
# The relations each kind of object has (what they lead to is in `_Builder.nested`).
_RELATIONS: dict[str, frozenset[str]] = {
    "post": frozenset({"feature_image", "authors", "people", "tags", "related"}),
    "person": frozenset(),
    "tag": frozenset(),
    "image": frozenset(),
}
_KEY = re.compile(r"^[_A-Za-z][_0-9A-Za-z]*$")


# ---------------------------------------------------------------------------------------------------
# Python functions called from SQL


class _Functions:
    """Python functions SQL calls, by the name each gets in SQL; registered per connection on use."""

    def __init__(self) -> None:
        self._names: dict[Callable[..., Any], str] = {}
        self._lock = threading.Lock()
        self.failed = threading.local()

    def name(self, function: Callable[..., Any]) -> str:
        with self._lock:
            found = self._names.get(function)
            if found is None:
                found = self._names[function] = f"content_api_fn{len(self._names)}"
            return found

    def register(self, conn: Connection) -> None:
        """Make every function known so far callable on `conn`'s driver connection."""
        info = conn.connection.info
        with self._lock:
            functions = list(self._names.items())
        if info.get("json_answer_functions") == len(functions):
            return
        driver = conn.connection.driver_connection
        for function, name in functions:
            driver.create_function(name, 1, self._guarded(function), deterministic=True)  # type: ignore[union-attr]
        info["json_answer_functions"] = len(functions)

    def _guarded(self, function: Callable[[Any], Any]) -> Callable[[Any], Any]:
        failed = self.failed

        def call(value: Any) -> Any:
            try:
                return function(value)
            except BaseException:
                # SQLite reports only that a function raised; the flag tells `run` it was one of these.
                failed.value = True
                raise

        return call


_FUNCTIONS = _Functions()


def _refuse(value: Any) -> Any:
    raise ValueError(f"a value cannot be answered: {value!r}")


def _call(function: Callable[[Any], Any], value: ColumnElement[Any]) -> ColumnElement[Any]:
    return getattr(func, _FUNCTIONS.name(function))(value)


# Converted values kept per conversion: a site's pages show the same few thousand dates and ids.
CONVERTED_CACHE_SIZE = 4096


@cache
def _converter(
    process: Callable[[Any], Any] | None, convert: Callable[[Any], Any] | None
) -> Callable[[Any], Any]:
    """The stored value through the column's result processor, then `convert`; null stays null.

    One function (and one SQL name) per pair, however many statements use it. Conversions depend on
    the value alone, and SQLite's values are all hashable, so results are kept.
    """

    @lru_cache(maxsize=CONVERTED_CACHE_SIZE)
    def apply(value: Any) -> Any:
        if value is None:
            return None
        if process is not None:
            value = process(value)
        return convert(value) if convert is not None else value

    return apply


# ---------------------------------------------------------------------------------------------------
# Building the statement


class _Builder:
    def __init__(self, scope: PostScope, dialect: Any) -> None:
        self.scope = scope
        self.dialect = dialect
        self.aliases = 0

    def alias(self, table: Any) -> Any:
        self.aliases += 1
        return table.alias(f"j{self.aliases}")

    def object(
        self, kind: str, source: Mapping[str, ColumnElement[Any]], owner: Any, fields: tuple[Field, ...]
    ) -> ColumnElement[Any]:
        """`json_object(...)` of `fields` for an object of `kind` whose attributes are `source`;
        `owner` is the row its relations hang from (the post, for a post)."""
        parts: list[ColumnElement[Any]] = []
        for field in fields:
            if not _KEY.match(field.key):
                raise Unsupported(f"response key {field.key!r}")
            parts.append(literal_column(f"'{field.key}'"))
            if isinstance(field, Constant):
                if not _KEY.match(field.value):
                    raise Unsupported(f"constant {field.value!r}")
                parts.append(literal_column(f"'{field.value}'"))
            elif isinstance(field, Leaf):
                parts.append(self.leaf(kind, source, field))
            else:
                parts.append(self.nested(kind, owner, field))
        return func.json_object(*parts)

    def leaf(self, kind: str, source: Mapping[str, ColumnElement[Any]], field: Leaf) -> ColumnElement[Any]:
        column = _column(kind, source, field)
        type_ = column.type
        process = type_.dialect_impl(self.dialect).result_processor(self.dialect, None)
        value: ColumnElement[Any]
        if isinstance(type_, Boolean):
            if field.convert is not None or field.prefix is not None or field.int_bounds is not None:
                raise Unsupported("a converted boolean")
            value = case(
                (column.is_(None), null()),
                (column.is_(True), func.json("true")),
                else_=func.json("false"),
            )
        elif field.convert is not None or process is not None:
            value = _call(_converter(process, field.convert), column)  # type: ignore[arg-type]
        else:
            value = column
        if field.int_bounds is not None:
            low, high = field.int_bounds
            value = case(
                (value.is_(None), null()),
                (and_(func.typeof(value) == "integer", value.between(low, high)), value),
                else_=_call(_refuse, value),
            )
        if field.prefix is not None:
            value = bindparam(field.prefix, type_=String).concat(value)
        if field.required and (getattr(column, "nullable", True) or field.convert is not None or process):
            value = func.ifnull(value, _call(_refuse, null()))
        return value

    def nested(self, kind: str, owner: Any, field: Nested) -> ColumnElement[Any]:
        if field.relation not in _RELATIONS[kind]:
            raise Unsupported(f"relation {kind}.{field.relation}")
        if (field.limit is not None) != (field.relation == "related"):
            raise Unsupported(f"relation {kind}.{field.relation} with limit {field.limit!r}")
        if field.relation == "feature_image":
            image = self.alias(images)
            source = {**image.c, "alt": owner.c.feature_image_alt, "caption": owner.c.feature_image_caption}
            item = select(self.object("image", source, image, field.fields)).where(
                image.c.id == owner.c.feature_image_id
            )
            return func.json(item.correlate(owner).scalar_subquery())
        if field.relation in ("authors", "people"):
            link = self.alias(post_authors if field.relation == "authors" else post_people)
            person = self.alias(people)
            source = {**person.c, "pronouns": shown_pronouns(person)}
            items = (
                select(self.object("person", source, person, field.fields).label("item"))
                .select_from(link.join(person, person.c.id == link.c.person_id))
                .where(link.c.post_id == owner.c.id)
                .order_by(link.c.position, person.c.id)
            )
        elif field.relation == "tags":
            link, tag = self.alias(post_tags), self.alias(tags)
            items = (
                select(self.object("tag", tag.c, tag, field.fields).label("item"))
                .select_from(link.join(tag, tag.c.id == link.c.tag_id))
                .where(link.c.post_id == owner.c.id)
                .order_by(link.c.position, tag.c.id)
            )
        else:  # related news: public posts only, in stored rank order, as many as asked for
            entry, post = self.alias(post_related), self.alias(posts)
            items = (
                select(self.object("post", post.c, post, field.fields).label("item"))
                .select_from(entry.join(post, post.c.id == entry.c.related_post_id))
                .where(entry.c.post_id == owner.c.id, PUBLIC.visible(post), self.scope.visible(post))
                .order_by(entry.c.rank)
                .limit(bindparam(field.limit, type_=Integer))
            )
        listed = items.correlate(owner).subquery(f"l{self.aliases}")
        # The items are built in order below; the aggregate keeps the order it is fed.
        return func.json(
            select(func.json_group_array(func.json(listed.c.item))).select_from(listed).scalar_subquery()
        )

    def root(
        self, root: Root, frame: FromClause, columns: list[ColumnElement[Any]]
    ) -> tuple[_RootLayout, FromClause]:
        """How the root's answer is put together from result columns (appended to `columns`), and
        `frame` outer-joined with the row it is read from.

        The root's own values are read as columns and written as JSON in Python, by the same
        conversions: SQLite's JSON text escaping is several times slower than orjson's on a post's
        body, and a subquery's JSON would come back as text to be parsed again. Related objects are
        written by SQLite.
        """
        kind = ROOT_LOOKUPS.get(root.lookup)
        if kind is None:
            raise Unsupported(f"lookup {root.lookup}")
        argument: ColumnElement[Any] = bindparam(root.argument, type_=None)
        if kind == "post":
            row = self.alias(posts)
            source: Mapping[str, ColumnElement[Any]] = row.c
            condition = and_(row.c.slug == argument, self.scope.visible(row))
        else:
            row = self.alias(people)
            source = {**row.c, "pronouns": shown_pronouns(row)}
            condition = row.c.slug == argument
        found = len(columns)
        columns.append(row.c.id)
        pieces: list[_Piece] = []
        for field in root.fields:
            key = json_key(field.key)
            if isinstance(field, Constant):
                pieces.append(_Piece(key, None, orjson.dumps(field.value)))
            elif isinstance(field, Leaf):
                column = _column(kind, source, field)
                # The statement's rows come back with each column's result processor applied already.
                convert = _converter(None, field.convert) if field.convert is not None else None
                pieces.append(_Piece(key, len(columns), None, convert, field))
                columns.append(column)
            else:
                pieces.append(_Piece(key, len(columns)))
                columns.append(self.nested(kind, row, field))
        return _RootLayout(json_key(root.key), found, tuple(pieces)), frame.outerjoin(row, condition)


def _column(kind: str, source: Mapping[str, ColumnElement[Any]], field: Leaf) -> ColumnElement[Any]:
    """The column a leaf reads, once the store knows it can answer the leaf from it."""
    if field.attribute not in _ATTRIBUTES[kind]:
        raise Unsupported(f"attribute {kind}.{field.attribute}")
    column = source[field.attribute]
    if field.int_bounds is not None and field.convert is None and not isinstance(column.type, Integer):
        raise Unsupported(f"an integer from {kind}.{field.attribute}")
    return column


def json_key(key: str) -> bytes:
    """A response key as JSON, with the colon that follows it (keys are GraphQL names)."""
    if not _KEY.match(key):
        raise Unsupported(f"response key {key!r}")
    return orjson.dumps(key) + b":"


class _Refused(Exception):
    """A value the answer cannot carry (see `Leaf`)."""


class _Piece(NamedTuple):
    """One key of a root object: a constant (`constant`), a value read and written in Python (`leaf`)
    or JSON written by SQLite (neither)."""

    key: bytes
    column: int | None
    constant: bytes | None = None
    convert: Callable[[Any], Any] | None = None
    leaf: Leaf | None = None

    def json(self, row: Sequence[Any], arguments: Mapping[str, Any]) -> bytes:
        if self.constant is not None:
            return self.constant
        value = row[self.column]  # type: ignore[index]
        leaf = self.leaf
        if leaf is None:  # related objects, written by SQLite
            return b"null" if value is None else value.encode()
        if value is not None and self.convert is not None:
            try:
                value = self.convert(value)
            except Exception:
                raise _Refused from None
        if leaf.int_bounds is not None and value is not None:
            low, high = leaf.int_bounds
            if type(value) is not int or not low <= value <= high:
                raise _Refused
        if leaf.prefix is not None and value is not None:
            value = arguments[leaf.prefix] + value
        if value is None and leaf.required:
            raise _Refused
        return orjson.dumps(value)


class _RootLayout(NamedTuple):
    key: bytes
    # The column holding the root row's id: null when nothing was found.
    found: int
    pieces: tuple[_Piece, ...]


class JsonRead:
    """One answer's statement: `run` gives the answer's JSON text."""

    def __init__(self, statement: Select[Any], layout: tuple[_RootLayout | _Piece, ...]) -> None:
        self._read = PreparedRead(statement)
        self._layout = layout

    def run(self, conn: Connection, arguments: Mapping[str, Any]) -> bytes | None:
        """The answer as JSON, or None when a value cannot be answered (a required field is null, a
        conversion raised): the caller answers that request another way.

        The one statement runs outside any transaction (it reads one snapshot by itself). Database
        errors other than those are raised as `PreparedRead` raises them.
        """
        rows = _rows(self._read, conn, arguments)
        if rows is None:
            return None
        row = rows[0]
        parts = [b"{"]
        try:
            for index, entry in enumerate(self._layout):
                if index:
                    parts.append(b",")
                if isinstance(entry, _Piece):
                    parts += (entry.key, entry.json(row, arguments))
                    continue
                parts.append(entry.key)
                if row[entry.found] is None:
                    parts.append(b"null")
                    continue
                parts.append(b"{")
                for position, piece in enumerate(entry.pieces):
                    if position:
                        parts.append(b",")
                    parts += (piece.key, piece.json(row, arguments))
                parts.append(b"}")
        except _Refused:
            return None
        parts.append(b"}")
        return b"".join(parts)


def _rows(read: PreparedRead, conn: Connection, arguments: Mapping[str, Any]) -> list[Any] | None:
    """The statement's rows, outside any transaction; None when one of its functions refused a value."""
    _FUNCTIONS.register(conn)
    failed = _FUNCTIONS.failed
    failed.value = False
    try:
        return read.rows(conn, arguments=arguments, begin=False)
    except DBAPIError:
        if failed.value:
            return None
        raise


class PageRow(NamedTuple):
    """One post of a page: its position in the order, and the post written as JSON."""

    key: PostKey
    json: bytes


class JsonPage:
    """A page of posts (`post_page_statement`), each post written as JSON by SQLite."""

    def __init__(self, statement: Select[Any]) -> None:
        self._read = PreparedRead(statement)

    def run(self, conn: Connection, arguments: Mapping[str, Any]) -> list[PageRow] | None:
        """The page's posts in order, or None when a value cannot be answered (see `JsonRead.run`).

        `arguments`: those of `post_page_arguments(...)` and the fields' own.
        """
        rows = _rows(self._read, conn, arguments)
        if rows is None:
            return None
        return [
            PageRow(PostKey(published_at, post_id), text.encode()) for published_at, post_id, text in rows
        ]


def json_page(
    scope: PostScope,
    shape: tuple[str, ...],
    order: PostOrder,
    has_after: bool,
    fields: tuple[Field, ...],
    dialect: Any,
) -> JsonPage:
    """The statement of a page of posts (as `post_page` reads it) whose every post is `fields` as JSON.

    Raises `Unsupported` when anything asked for is not known here.
    """
    if dialect.name != "sqlite":
        raise Unsupported(f"JSON answers on {dialect.name}")
    node = _Builder(scope, dialect).object("post", dict(posts.c.items()), posts, fields)
    statement = post_page_statement(scope, shape, order, has_after, (posts.c.published_at, posts.c.id, node))
    statement.compile(dialect=dialect)
    return JsonPage(statement)


def json_read(scope: PostScope, roots: tuple[Root | Constant, ...], dialect: Any) -> JsonRead:
    """The statement answering `roots` (with `scope`'s visibility) as one JSON object.

    Raises `Unsupported` when anything asked for is not known here.
    """
    if dialect.name != "sqlite":
        raise Unsupported(f"JSON answers on {dialect.name}")
    builder = _Builder(scope, dialect)
    columns: list[ColumnElement[Any]] = []
    layout: list[_RootLayout | _Piece] = []
    # One row to hang each root's row from: a root that finds nothing is null.
    frame: FromClause = select(literal_column("1").label("one")).subquery("frame")
    for root in roots:
        if isinstance(root, Constant):
            layout.append(_Piece(json_key(root.key), None, orjson.dumps(root.value)))
        else:
            entry, frame = builder.root(root, frame, columns)
            layout.append(entry)
    if not columns:
        columns.append(literal_column("1"))
    statement = select(*columns).select_from(frame)
    statement.compile(dialect=dialect)  # a statement SQLAlchemy cannot write fails here, not per request
    return JsonRead(statement, tuple(layout))
