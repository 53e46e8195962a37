"""Prepared reads: SQLAlchemy Core statements compiled once, run on the driver's cursor.

The lookups behind every page view (a post by slug, the authors, tags and images of a few posts,
related news) are small indexed reads that the database answers in a few microseconds; executing them
through `Connection.execute` costs several times that in SQLAlchemy's own work (cache key, bound
parameter expansion, execution context, result wrapping). A `PreparedRead` keeps SQLAlchemy for what
it is for, building the statement from the table definitions and the one visibility predicate and
compiling it for the dialect, and does that work once per dialect and number of keys, not per call:

- the statement is compiled with SQLAlchemy's compiler, its `IN` list expanded for the number of keys
  (`construct_expanded_state`), and kept with a template saying where each driver parameter comes
  from: a key, a named argument, or a value fixed in the statement (the scope's statuses);
- it runs on the DB-API connection under the given `Connection`, in that connection's transaction
  (begun first when there is none, as `Connection.execute` does), and is announced to
  `before_cursor_execute` listeners as any statement;
- rows come back as tuples converted by the selected columns' result processors, so values are what
  `Connection.execute` gives (aware datetimes from `UtcDateTime`, booleans and JSON on SQLite);
- driver errors are raised as SQLAlchemy's `DBAPIError` family, and a lost connection is invalidated,
  so outage handling upstream (503) is the same as for any other statement.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError

# Forms kept per statement (one per dialect and key count); key lists longer than this are not cached.
MAX_CACHED_FORMS = 128

_KEY, _ARGUMENT, _FIXED = 0, 1, 2


class _Key:
    __slots__ = ("index",)

    def __init__(self, index: int) -> None:
        self.index = index


class _Argument:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


@dataclass(frozen=True, slots=True)
class _Form:
    """The statement compiled for one dialect and one number of keys."""

    sql: str
    positional: bool
    # Per driver parameter: (driver name, source kind, key index / argument name / fixed value, processor).
    template: tuple[tuple[str, int, Any, Callable[[Any], Any] | None], ...]
    # (column index, result processor) of the columns that have one; most have none.
    row_processors: tuple[tuple[int, Callable[[Any], Any]], ...]

    def parameters(self, keys: Sequence[Any], arguments: Mapping[str, Any]) -> Any:
        values = []
        for _name, kind, source, processor in self.template:
            if kind == _KEY:
                value = keys[source]
            elif kind == _ARGUMENT:
                value = arguments[source]
            else:
                values.append(source)  # already processed when the form was built
                continue
            values.append(processor(value) if processor is not None else value)
        if self.positional:
            return tuple(values)
        return {entry[0]: value for entry, value in zip(self.template, values, strict=True)}


class PreparedRead:
    """A SELECT run with a list of keys (its expanding parameter `keys_param`) and named arguments."""

    def __init__(self, statement: Select[Any], keys_param: str | None = None) -> None:
        self.statement = statement
        self.keys_param = keys_param
        self._forms: dict[tuple[str, int, tuple[str, ...]], _Form] = {}

    def rows(
        self,
        conn: Connection,
        keys: Sequence[Any] = (),
        arguments: Mapping[str, Any] | None = None,
        *,
        begin: bool = True,
    ) -> list[tuple[Any, ...]]:
        """The rows of the statement for `keys` (when it takes keys) and `arguments`.

        With `begin=False` on SQLite, a connection outside a transaction runs the statement in the
        driver's autocommit mode: one statement reads one snapshot all the same, without the cost of a
        BEGIN and a ROLLBACK around it. (PostgreSQL's driver begins a transaction by itself.)
        """
        arguments = arguments or {}
        dialect = conn.dialect
        shape = (dialect.name, len(keys), tuple(arguments))
        form = self._forms.get(shape)
        if form is None:
            form = self._compile(dialect, len(keys), tuple(arguments))
            if len(keys) <= MAX_CACHED_FORMS:
                self._forms[shape] = form
        parameters = form.parameters(keys, arguments)
        raw = _execute(conn, form.sql, parameters, begin)
        processors = form.row_processors
        if not processors:
            return raw
        converted = []
        for row in raw:
            values = list(row)
            for index, process in processors:
                values[index] = process(values[index])
            converted.append(tuple(values))
        return converted

    def _compile(self, dialect: Dialect, key_count: int, argument_names: tuple[str, ...]) -> _Form:
        compiled = self.statement.compile(dialect=dialect)
        given: dict[str, Any] = {name: _Argument(name) for name in argument_names}
        if self.keys_param is not None:
            given[self.keys_param] = [_Key(index) for index in range(key_count)]
        expanded = compiled.construct_expanded_state(given)
        names = expanded.positiontup if dialect.positional else list(expanded.parameters)
        processors = expanded.processors
        template: list[tuple[str, int, Any, Callable[[Any], Any] | None]] = []
        for name in names or ():
            value = expanded.parameters[name]
            # Expanded parameters have their processors in the expanded state; the others, by their type.
            processor = processors.get(name) or _bind_processor(compiled.binds.get(name), dialect)
            if isinstance(value, _Key):
                template.append((name, _KEY, value.index, processor))
            elif isinstance(value, _Argument):
                template.append((name, _ARGUMENT, value.name, processor))
            else:
                fixed = processor(value) if processor is not None and value is not None else value
                template.append((name, _FIXED, fixed, None))
        row_processors = tuple(
            (index, process)
            for index, column in enumerate(self.statement.selected_columns)
            if (process := column.type.dialect_impl(dialect).result_processor(dialect, None)) is not None
        )
        return _Form(
            expanded.statement,
            bool(dialect.positional),
            tuple(template),
            row_processors,
        )


def _bind_processor(bind: Any, dialect: Dialect) -> Callable[[Any], Any] | None:
    if bind is None:
        return None
    return bind.type.dialect_impl(dialect).bind_processor(dialect)  # type: ignore[no-any-return]


def _execute(conn: Connection, sql: str, parameters: Any, begin: bool = True) -> list[Any]:
    if begin and not conn.in_transaction():
        # Begin as `Connection.execute` would (BEGIN on SQLite, whose driver runs in autocommit
        # mode here): on SQLite every later read on this connection then sees the same snapshot.
        conn.begin()
    dbapi_connection = conn.connection.driver_connection
    dialect = conn.dialect
    cursor = dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        if conn.dispatch.before_cursor_execute:
            conn.dispatch.before_cursor_execute(conn, cursor, sql, parameters, None, False)
        cursor.execute(sql, parameters)
        return list(cursor.fetchall())
    except dialect.loaded_dbapi.Error as error:
        disconnected = dialect.is_disconnect(error, dbapi_connection, cursor)  # type: ignore[arg-type]
        wrapped = DBAPIError.instance(
            sql,
            parameters,
            error,
            dialect.loaded_dbapi.Error,
            connection_invalidated=disconnected,
            dialect=dialect,
        )
        if disconnected and not conn.invalidated:
            conn.invalidate(error)
        raise wrapped from error
    finally:
        cursor.close()
