"""Reading the parts of a request that decide its cached answer, in one pass over the raw headers."""

from __future__ import annotations

from dataclasses import dataclass
from hashlib import blake2b
from typing import Any

from starlette.requests import Request
from starlette.types import Scope

# POST bodies up to this size may be recognised from their bytes; front ends send a few hundred.
KNOWN_BODY_LIMIT = 16_384
# The request headers an answer may depend on (Authorization aside: its presence skips the cache).
_SEEN_HEADERS = (
    b"host",
    b"accept",
    b"content-type",
    b"content-length",
    b"if-none-match",
    b"accept-encoding",
)


@dataclass(frozen=True, slots=True)
class Conditions:
    """What of a request decides how a stored answer is sent."""

    reads_url: bool  # GET or HEAD: ETag, Cache-Control, 304
    if_none_match: str | None
    accepts_gzip: bool  # as the app's GZipMiddleware decides it


@dataclass(slots=True)
class SeenHeaders:
    """The headers of a request that its answer depends on, read in one pass."""

    method: str
    values: dict[bytes, bytes]

    @property
    def wants_body(self) -> bool:
        """A POST whose small JSON body may identify it."""
        length = self.values[b"content-length"]
        return self.method == "POST" and length.isdigit() and int(length) <= KNOWN_BODY_LIMIT

    def fingerprint(self, scope: Scope, body: bytes) -> tuple[Any, ...] | None:
        values = self.values
        where = (
            scope.get("scheme"),
            scope.get("root_path"),
            values[b"host"],
            values[b"accept"],
            values[b"content-type"],
        )
        # Digests, not the bytes: remembered requests then take little memory whatever their size.
        if self.method in ("GET", "HEAD"):
            return ("GET", blake2b(scope["query_string"], digest_size=16).digest(), *where)
        if not self.wants_body or not body.startswith(b"{"):  # a batch, or not JSON at all
            return None
        return ("POST", blake2b(body, digest_size=16).digest(), *where)

    def conditions(self, scope: Scope) -> Conditions:
        condition = self.values[b"if-none-match"]
        return Conditions(
            self.method in ("GET", "HEAD"),
            condition.decode("latin-1") if condition else None,
            b"gzip" in self.values[b"accept-encoding"],
        )


def scan_headers(scope: Scope) -> SeenHeaders | None:
    """The headers that matter, or None when the request carries credentials (never cached)."""
    values = dict.fromkeys(_SEEN_HEADERS, b"")
    for name, value in scope["headers"]:
        if name in values:
            values[name] = value
        elif name == b"authorization":
            return None
    method = scope["method"]
    if method not in ("GET", "HEAD", "POST"):
        return None
    return SeenHeaders(method, values)


def conditions_of(request: Request) -> Conditions:
    headers = request.headers
    return Conditions(
        request.method in ("GET", "HEAD"),
        headers.get("if-none-match"),
        "gzip" in headers.get("accept-encoding", ""),
    )
