"""Opaque cursors, global ids and the `first` argument.

Cursors and ids are URL-safe base64 of a small JSON array, so clients treat them as opaque strings
and the server can reject anything it did not make with a clear BAD_USER_INPUT error.
"""

from __future__ import annotations

import base64
import binascii
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import orjson

from content_api.schema.errors import BadUserInput
from content_api.store.queries import PersonKey, PostKey

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100

NODE_TYPES = ("Post", "Person", "Tag")


def check_first(first: int) -> int:
    """`first` itself when it is within 0..MAX_PAGE_SIZE, else a BAD_USER_INPUT error."""
    if first < 0 or first > MAX_PAGE_SIZE:
        raise BadUserInput(f"`first` must be between 0 and {MAX_PAGE_SIZE}, got {first}.")
    return first


def _encode(parts: list[Any]) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(parts)).rstrip(b"=").decode("ascii")


def _decode(token: str, what: str) -> list[Any]:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        parts = orjson.loads(raw)
    except (binascii.Error, ValueError, orjson.JSONDecodeError):
        raise BadUserInput(f"Malformed {what}.") from None
    if not isinstance(parts, list) or not parts:
        raise BadUserInput(f"Malformed {what}.")
    return parts


_MAX_ID = 2**63 - 1


def _is_id(value: Any) -> bool:
    return type(value) is int and 0 < value <= _MAX_ID


# --- post cursors: a position (published_at, id) in either order --------------------------------


@lru_cache(maxsize=65_536)
def post_cursor(key: PostKey) -> str:
    """The cursor of a position in the published-date order (the same few thousand, page after page)."""
    stamp = key.published_at.isoformat() if key.published_at is not None else None
    return _encode(["p", stamp, key.id])


def decode_post_cursor(cursor: str) -> PostKey:
    parts = _decode(cursor, "cursor")
    if len(parts) != 3 or parts[0] != "p" or not _is_id(parts[2]):
        raise BadUserInput("Malformed cursor.")
    stamp = parts[1]
    if stamp is None:
        return PostKey(None, parts[2])
    if not isinstance(stamp, str):
        raise BadUserInput("Malformed cursor.")
    try:
        published_at = datetime.fromisoformat(stamp)
    except ValueError:
        raise BadUserInput("Malformed cursor.") from None
    if published_at.tzinfo is None:
        published_at = published_at.replace(tzinfo=UTC)
    return PostKey(published_at, parts[2])


# --- people cursors: a position (name, id) -----------------------------------------------------


def person_cursor(key: PersonKey) -> str:
    return _encode(["n", key.name, key.id])


def decode_person_cursor(cursor: str) -> PersonKey:
    parts = _decode(cursor, "cursor")
    if len(parts) != 3 or parts[0] != "n" or not isinstance(parts[1], str) or not _is_id(parts[2]):
        raise BadUserInput("Malformed cursor.")
    return PersonKey(parts[1], parts[2])


# --- search cursors: a rank position -------------------------------------------------------------


def search_cursor(offset: int) -> str:
    return _encode(["s", offset])


def decode_search_cursor(cursor: str) -> int:
    parts = _decode(cursor, "cursor")
    if len(parts) != 2 or parts[0] != "s" or type(parts[1]) is not int or not 0 <= parts[1] <= _MAX_ID:
        raise BadUserInput("Malformed cursor.")
    return int(parts[1])


# --- global ids ----------------------------------------------------------------------------------


@lru_cache(maxsize=65_536)
def global_id(type_name: str, pk: int) -> str:
    """The global id of the object `type_name` with primary key `pk`, as `node(id)` accepts it.

    Every answer carries the ids of the posts, people and tags it shows, the same ones request after
    request: each is encoded once (a bounded cache of a few megabytes at most)."""
    return _encode([type_name, pk])


def decode_global_id(value: str) -> tuple[str, int]:
    """(type name, primary key) of a global id; BAD_USER_INPUT when it is not one."""
    parts = _decode(value, "id")
    if len(parts) != 2 or parts[0] not in NODE_TYPES or not _is_id(parts[1]):
        raise BadUserInput("Malformed id.")
    return str(parts[0]), int(parts[1])
