"""Choosing the response media type from an `Accept` header."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
JSON = "application/json"


@dataclass(frozen=True, slots=True)
class MediaRange:
    type: str
    subtype: str
    quality: float

    def matches(self, media_type: str) -> bool:
        type_, _, subtype = media_type.partition("/")
        return self.type in ("*", type_) and self.subtype in ("*", subtype)

    @property
    def specificity(self) -> int:
        return (self.type != "*") + (self.subtype != "*")


def parse_accept(header: str) -> list[MediaRange]:
    """The media ranges of an Accept header; malformed entries are skipped."""
    ranges = []
    for item in header.split(","):
        mime, *parameters = item.split(";")
        type_, slash, subtype = mime.strip().lower().partition("/")
        if not slash or not type_ or not subtype:
            continue
        quality = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    quality = 0.0
        ranges.append(MediaRange(type_, subtype, quality))
    return ranges


def _quality(ranges: list[MediaRange], media_type: str) -> float:
    """The quality the most specific matching range gives `media_type` (0 when none matches)."""
    matching = [r for r in ranges if r.matches(media_type)]
    if not matching:
        return 0.0
    return max(matching, key=lambda r: r.specificity).quality


# Clients send a handful of distinct Accept headers; each is worked out once.
@lru_cache(maxsize=256)
def choose_media_type(header: str | None) -> str | None:
    """The media type to answer a GraphQL request with, or None when the client accepts neither.

    No Accept header, or only wildcards, means the legacy `application/json`; the newer
    `application/graphql-response+json` is used when the client names it and prefers it at least as
    much as `application/json`.
    """
    if header is None or not header.strip():
        return JSON
    ranges = parse_accept(header)
    named = {r.type + "/" + r.subtype for r in ranges}
    new = _quality(ranges, GRAPHQL_RESPONSE_JSON) if GRAPHQL_RESPONSE_JSON in named else 0.0
    legacy = _quality(ranges, JSON)
    if new > 0 and new >= legacy:
        return GRAPHQL_RESPONSE_JSON
    if legacy > 0:
        return JSON
    return None


def accepts_html(header: str | None) -> bool:
    """True when the client names text/html explicitly (a browser), not through a wildcard."""
    if not header:
        return False
    return any(r.type == "text" and r.subtype == "html" and r.quality > 0 for r in parse_accept(header))
