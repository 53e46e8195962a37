"""Who may see what: anonymous readers see published posts only; a `read:drafts` key sees drafts too."""

from __future__ import annotations

from starlette.requests import Request

from content_api.services.auth import ANONYMOUS, Principal, scope_for
from content_api.store.queries import PostScope


def scope_for_request(request: Request, principal: Principal = ANONYMOUS) -> PostScope:
    """The posts the sender of `request` may see.

    `principal` is the API key the request authenticated with (see `services.auth.authenticate`);
    a key with the `read:drafts` scope widens the scope to drafts and scheduled posts, and that is the
    only place access is decided.
    """
    return scope_for(principal)
