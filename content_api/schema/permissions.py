"""Who may see what. Today every reader is anonymous and sees published posts only."""

from __future__ import annotations

from starlette.requests import Request

from content_api.store.queries import PUBLIC, PostScope


def scope_for_request(request: Request) -> PostScope:
    """The posts the sender of `request` may see.

    Every request is anonymous until API keys exist; a key with the `read:drafts` scope will widen
    this, and that is the only place access is decided.
    """
    return PUBLIC
