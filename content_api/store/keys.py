"""API keys: created with scopes, stored as a hash, found by prefix and compared in constant time.

A token reads `cak_<prefix>_<secret>`. The prefix is not secret; it names the row. Only the SHA-256 of
the secret is stored, so a copy of the database gives no working token.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, select

from content_api.store.tables import api_keys

READ_DRAFTS = "read:drafts"
WRITE = "write"
PUBLISH = "publish"
ADMIN = "admin"
SCOPES = (READ_DRAFTS, WRITE, PUBLISH, ADMIN)

TOKEN_PREFIX = "cak"
MAX_NAME_LENGTH = 200
_TOKEN = re.compile(r"^cak_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$")


class KeyProblem(ValueError):
    """A key cannot be created as asked; the message names what is wrong."""


@dataclass(frozen=True, slots=True)
class ApiKey:
    id: int
    name: str
    prefix: str
    scopes: tuple[str, ...]
    created_at: datetime
    revoked_at: datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True, slots=True)
class NewKey:
    """A key just created, with the only copy of its token."""

    key: ApiKey
    token: str


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _record(row: object) -> ApiKey:
    mapping = row._mapping  # type: ignore[attr-defined]
    return ApiKey(
        id=mapping["id"],
        name=mapping["name"],
        prefix=mapping["prefix"],
        scopes=tuple(mapping["scopes"]),
        created_at=mapping["created_at"],
        revoked_at=mapping["revoked_at"],
    )


def check_scopes(scopes: Collection[str]) -> tuple[str, ...]:
    """The scopes in their canonical order; raise `KeyProblem` naming any unknown one."""
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown:
        raise KeyProblem(f"unknown scope {unknown[0]!r}: use {', '.join(SCOPES)}")
    if not scopes:
        raise KeyProblem(f"a key needs at least one scope: {', '.join(SCOPES)}")
    return tuple(scope for scope in SCOPES if scope in scopes)


def create_key(conn: Connection, name: str, scopes: Collection[str], now: datetime | None = None) -> NewKey:
    """Store a new key and return it with its token (which is not stored and cannot be shown again)."""
    name = name.strip()
    if not name or len(name) > MAX_NAME_LENGTH:
        raise KeyProblem(f"a key name must be 1 to {MAX_NAME_LENGTH} characters")
    ordered = check_scopes(scopes)
    prefix = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    values = {
        "name": name,
        "prefix": prefix,
        "secret_hash": _hash(secret),
        "scopes": list(ordered),
        "created_at": now or datetime.now(UTC),
        "revoked_at": None,
    }
    key_id = conn.execute(api_keys.insert().values(values)).inserted_primary_key
    if key_id is None:
        raise RuntimeError("the insert returned no primary key")
    row = conn.execute(select(api_keys).where(api_keys.c.id == key_id[0])).one()
    return NewKey(_record(row), f"{TOKEN_PREFIX}_{prefix}_{secret}")


def list_keys(conn: Connection) -> list[ApiKey]:
    """Every key, revoked ones included, oldest first."""
    return [_record(row) for row in conn.execute(select(api_keys).order_by(api_keys.c.id))]


def revoke_key(conn: Connection, key: str, now: datetime | None = None) -> ApiKey | None:
    """Revoke the key with this id or prefix; None when there is none. Revoking twice keeps the first time."""
    condition = api_keys.c.id == int(key) if key.isdigit() else api_keys.c.prefix == key
    row = conn.execute(select(api_keys).where(condition)).first()
    if row is None:
        return None
    if row._mapping["revoked_at"] is None:
        conn.execute(
            api_keys.update()
            .where(api_keys.c.id == row._mapping["id"])
            .values(revoked_at=now or datetime.now(UTC))
        )
    return _record(conn.execute(select(api_keys).where(api_keys.c.id == row._mapping["id"])).one())


def key_for_token(conn: Connection, token: str) -> ApiKey | None:
    """The active key the token belongs to, or None for a malformed, unknown, wrong or revoked token."""
    match = _TOKEN.match(token)
    if match is None:
        # Hash anyway, so a malformed token costs about the same as a wrong one.
        hmac.compare_digest(_hash(token), _hash(""))
        return None
    prefix, secret = match.groups()
    row = conn.execute(select(api_keys).where(api_keys.c.prefix == prefix)).first()
    stored = row._mapping["secret_hash"] if row is not None else _hash("")
    if not hmac.compare_digest(_hash(secret), stored) or row is None:
        return None
    key = _record(row)
    return key if key.active else None
