"""Column types whose Python values behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

# Timestamps read from SQLite kept parsed (a store holds a few per post, and pages show the same ones
# again and again; datetimes are immutable, so they can be shared).
PARSED_TIMESTAMPS_KEPT = 8192


@lru_cache(maxsize=PARSED_TIMESTAMPS_KEPT)
def _sqlite_timestamp(text: str) -> datetime:
    """A UTC timestamp as SQLite stores it, aware (an offset in the text is converted to UTC)."""
    parsed = datetime.fromisoformat(text)
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime stored in UTC.

    PostgreSQL keeps the offset (`timestamptz`); SQLite has no such type, so values are normalised to
    UTC before they are written and marked UTC when read. Either way Python code only ever sees aware
    datetimes in UTC, and ordering by the column is chronological on both databases.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: the store only accepts timezone-aware datetimes")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def result_processor(self, dialect: Dialect, coltype: Any) -> Callable[[Any], datetime | None] | None:
        if dialect.name != "sqlite":
            return super().result_processor(dialect, coltype)

        # SQLite hands back the ISO text SQLAlchemy wrote ("2026-01-10 12:00:00.000000", in UTC):
        # parsed in C (`_sqlite_timestamp`) rather than by SQLAlchemy's pattern and then this type's
        # own step.
        def process(value: Any) -> datetime | None:
            if value is None:
                return None
            if isinstance(value, str):
                return _sqlite_timestamp(value)
            return self.process_result_value(value, dialect)

        return process

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
