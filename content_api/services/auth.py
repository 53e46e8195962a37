"""Who is asking: a Bearer token resolved to an API key and its scopes, or nobody.

`admin` implies every other scope. `read:drafts` widens what a reader sees (`preview_scope`); the
other scopes only matter to mutations.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from content_api.store.keys import ADMIN, READ_DRAFTS, key_for_token
from content_api.store.queries import PUBLIC, PostScope
from content_api.store.tables import DRAFT, PUBLISHED, SCHEDULED

# What a preview token sees: every live post, whatever its status. Deleted posts stay out of every
# scope (`PostScope.visible` requires `deleted_at IS NULL`).
PREVIEW = PostScope(frozenset({PUBLISHED, DRAFT, SCHEDULED}))


class AuthenticationFailed(Exception):
    """The request carried credentials that are malformed, unknown or revoked; the message says which."""


@dataclass(frozen=True, slots=True)
class Principal:
    """The sender of a request: an API key's id, name and scopes, or anonymous (no key)."""

    key_id: int | None
    name: str | None
    scopes: frozenset[str]

    @property
    def anonymous(self) -> bool:
        return self.key_id is None

    def allows(self, scope: str) -> bool:
        return scope in self.scopes or ADMIN in self.scopes


ANONYMOUS = Principal(None, None, frozenset())


def bearer_token(header: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header; None when there is no header."""
    if header is None or not header.strip():
        return None
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationFailed("send the API key as `Authorization: Bearer <token>`")
    return token.strip()


def authenticate(conn: Connection, header: str | None) -> Principal:
    """The principal behind an Authorization header; raise `AuthenticationFailed` for a bad one."""
    token = bearer_token(header)
    if token is None:
        return ANONYMOUS
    key = key_for_token(conn, token)
    if key is None:
        raise AuthenticationFailed("the API key is not valid (unknown, mistyped or revoked)")
    return Principal(key.id, key.name, frozenset(key.scopes))


def scope_for(principal: Principal) -> PostScope:
    """The posts `principal` may read: drafts and scheduled posts too with `read:drafts`."""
    return PREVIEW if principal.allows(READ_DRAFTS) else PUBLIC
