"""Mutation and preview permissions: which scope a field needs, checked before anything is looked up.

A field that needs a scope fails with `UNAUTHENTICATED` when the request carried no API key and with
`FORBIDDEN` when the key lacks the scope. Both are decided from the key alone, so the answer is the
same whether or not the post asked about exists.
"""

from __future__ import annotations

from typing import Any

import strawberry

from content_api.schema.errors import ApiError
from content_api.services.auth import ANONYMOUS, Principal

UNAUTHENTICATED = "UNAUTHENTICATED"
FORBIDDEN = "FORBIDDEN"


class Unauthenticated(ApiError):
    code = UNAUTHENTICATED


class Forbidden(ApiError):
    code = FORBIDDEN


def principal_of(info: strawberry.Info[Any, Any]) -> Principal:
    principal = getattr(info.context, "principal", None)
    return principal if isinstance(principal, Principal) else ANONYMOUS


def require(info: strawberry.Info[Any, Any], scope: str) -> Principal:
    """The request's principal if it holds `scope`; raise `Unauthenticated` or `Forbidden` otherwise."""
    principal = principal_of(info)
    if principal.anonymous:
        raise Unauthenticated(f"this needs an API key with the {scope!r} scope (Authorization: Bearer ...)")
    if not principal.allows(scope):
        raise Forbidden(f"the API key {principal.name!r} does not have the {scope!r} scope")
    return principal
