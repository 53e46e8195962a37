"""Entity tags and conditional requests (RFC 9110 section 8.8.3 and 13.1.2)."""

from __future__ import annotations

from hashlib import blake2b


def etag_for(body: bytes) -> str:
    """An entity tag for a response body: equal bodies get equal tags on every server.

    Weak (`W/`), because the same answer is sent gzipped or not under the same tag.
    """
    return 'W/"' + blake2b(body, digest_size=16).hexdigest() + '"'


def _opaque(tag: str) -> str:
    tag = tag.strip()
    return tag[2:] if tag.startswith("W/") else tag


def none_match(if_none_match: str | None, etag: str) -> bool:
    """True when an `If-None-Match` header names `etag` (or is `*`): the client's copy is current.

    If-None-Match uses the weak comparison, so `W/"x"` matches `"x"`. A malformed header matches
    nothing, and the full response is sent.
    """
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    wanted = _opaque(etag)
    return any(_opaque(candidate) == wanted for candidate in if_none_match.split(","))
