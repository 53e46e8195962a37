"""Whole-answer caching for `/graphql`: an in-process response cache and HTTP caching headers.

A query's answer depends on the document, its variables, who asks and the content. The response cache
keys answers on exactly that: the document's SHA-256, the variables (canonical JSON), the operation
name, the caller's scope, the media type, the base of image URLs and the content version
(`store.version`). A change to the content bumps the version, so no answer from before it is served
again; the cache then drops the older answers at once.

What is cached: answers to anonymous queries that ran without errors. Answers to API-key holders are
never cached here, nor by HTTP caches (`Cache-Control: private, no-store`): they may include drafts and
editorial state (audits, webhook deliveries) that changes without a content version.

A request seen before is answered without being read as GraphQL at all: once an answer is stored, the
request's bytes that matter (method, a digest of the query string or JSON body, Accept, Content-Type,
Host) are remembered with its key, and the same bytes again find the answer with two dictionary lookups
(`known_answer`, called by the `front.KnownAnswers` middleware before routing, or by the endpoint).
Batches, API-key holders and bodies over `KNOWN_BODY_LIMIT` always take the full path.

GET answers carry a weak `ETag` (a hash of the body, so every worker and replica agrees; weak because
the same tag covers the gzipped form) and, for anonymous callers, `Cache-Control: public` with the
configured max-age and stale-while-revalidate; a matching `If-None-Match` gets 304 Not Modified without
a body. Stored answers of `GZIP_MINIMUM_SIZE` bytes or more are kept gzipped as well.
"""

from __future__ import annotations

import gzip
import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from hashlib import blake2b
from typing import Any

import orjson
from graphql import GraphQLError, OperationDefinitionNode, OperationType, parse
from sqlalchemy import Engine
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Scope

from content_api.http.etag import etag_for, none_match
from content_api.schema.schema import DOCUMENT_CACHE_SIZE, MAX_TOKENS
from content_api.services.auth import Principal
from content_api.settings import Settings
from content_api.store.queries import PostScope
from content_api.store.version import ContentVersionWatch

# Bytes charged per entry on top of its body: the key, the record and the dictionary slot.
ENTRY_OVERHEAD = 400
VARY = "Accept, Authorization"
# POST bodies up to this size may be recognised from their bytes; front ends send a few hundred.
KNOWN_BODY_LIMIT = 16_384
# Requests remembered by their bytes, at most; they are forgotten with the answers on a new version.
KNOWN_REQUESTS = 4096
_FINGERPRINT = "content_api.cache.fingerprint"
# Stored answers at least this long are also kept gzipped, at the level the app's GZipMiddleware uses
# (content_api/app.py), which passes an answer that is already encoded through untouched.
GZIP_MINIMUM_SIZE = 1000
GZIP_LEVEL = 6
# The request headers an answer may depend on (Authorization aside: its presence skips the cache).
_SEEN_HEADERS = (
    b"host",
    b"accept",
    b"content-type",
    b"content-length",
    b"if-none-match",
    b"accept-encoding",
)
_VARY_URL = b"Accept, Authorization"
_VARY_BODY = b"Accept"
NO_STORE = "private, no-store"


@dataclass(frozen=True, slots=True)
class CachedAnswer:
    body: bytes
    status: int
    content_type: str
    etag: str
    # The body compressed once when stored, for clients that accept gzip (None when too small).
    gzipped: bytes | None = None

    @property
    def size(self) -> int:
        return len(self.body) + len(self.gzipped or b"") + ENTRY_OVERHEAD


CacheKey = tuple[Any, ...]


class ResponseCache:
    """Answers of one content version, least recently used dropped first beyond `max_bytes`."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.version: int | None = None
        self.size = 0
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[CacheKey, CachedAnswer] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: CacheKey, version: int) -> CachedAnswer | None:
        if version != self.version:
            self._start(version)
        answer = self._entries.get(key)
        if answer is None:
            self.misses += 1
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return answer

    def put(self, key: CacheKey, version: int, answer: CachedAnswer) -> None:
        if self.version is not None and version < self.version:
            return  # computed from an older version than the one now served: never reachable
        if version != self.version:
            self._start(version)
        cost = answer.size
        if cost > self.max_bytes:
            return
        previous = self._entries.pop(key, None)
        if previous is not None:
            self.size -= previous.size
        self._entries[key] = answer
        self.size += cost
        while self.size > self.max_bytes:
            _, dropped = self._entries.popitem(last=False)
            self.size -= dropped.size

    def _start(self, version: int) -> None:
        # Versions only grow; a request that read an older one just finds nothing.
        if self.version is None or version > self.version:
            self._entries.clear()
            self.size = 0
            self.version = version


@lru_cache(maxsize=DOCUMENT_CACHE_SIZE)
def operation_type(query: str, operation_name: str | None) -> OperationType | None:
    """The type of the operation a request runs, or None when the document does not say (yet)."""
    try:
        document = parse(query, no_location=True, max_tokens=MAX_TOKENS)
    except GraphQLError:
        return None
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        operations = [d for d in operations if d.name is not None and d.name.value == operation_name]
    return operations[0].operation if len(operations) == 1 else None


@dataclass(slots=True)
class Lookup:
    """What the cache knows about one request before it runs."""

    key: CacheKey | None  # None: the answer must not be cached
    version: int | None
    operation: OperationType | None
    anonymous: bool
    answer: CachedAnswer | None = None


class HttpCaching:
    """The `/graphql` endpoint's caching: response cache, content version watch and HTTP headers."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self.enabled = settings.response_cache_mb > 0
        self.cache = ResponseCache(settings.response_cache_mb * 1024 * 1024)
        self.watch = ContentVersionWatch(engine)
        public = f"public, max-age={settings.http_max_age}"
        if settings.http_stale_while_revalidate:
            public += f", stale-while-revalidate={settings.http_stale_while_revalidate}"
        if not settings.http_max_age:
            public += ", must-revalidate"
        self.public_cache_control = public
        self._public_cache_control = public.encode()
        self._known: dict[tuple[Any, ...], CacheKey] = {}
        self._known_version: int | None = None
        self.known_hits = 0

    def close(self) -> None:
        self.watch.close()

    async def replay_known(self, request: Request) -> Response | None:
        """The cached answer to a request whose bytes were answered before, or None (take the full path).

        Reads a small JSON body; the endpoint then reads it again from the request. Does nothing when
        `front.KnownAnswers` already looked at this request.
        """
        scope = request.scope
        if not self.enabled or _FINGERPRINT in scope:
            return None
        seen = scan_headers(scope)
        if seen is None:
            return None
        body = await request.body() if seen.wants_body else b""
        return await self.known_answer(scope, seen, body)

    async def known_answer(self, scope: Scope, seen: SeenHeaders, body: bytes) -> Response | None:
        """The stored answer for a request with these headers and body, if its bytes are known."""
        fingerprint = seen.fingerprint(scope, body)
        if fingerprint is None:
            return None
        scope[_FINGERPRINT] = fingerprint
        key = self._known.get(fingerprint)
        if key is None:
            return None
        version = await self.watch.current()
        if version is None or version != self._known_version:
            return None
        answer = self.cache.get(key, version)
        if answer is None:
            return None
        self.known_hits += 1
        return self._respond(answer, seen.conditions(scope))

    def _remember(self, scope: Scope, key: CacheKey, version: int) -> None:
        fingerprint = scope.get(_FINGERPRINT)
        if fingerprint is None:
            return
        if version != self._known_version:
            self._known.clear()
            self._known_version = version
        if len(self._known) >= KNOWN_REQUESTS:
            self._known.clear()
        self._known[fingerprint] = key

    async def lookup(
        self,
        query: str,
        variables: dict[str, Any] | None,
        operation_name: str | None,
        principal: Principal,
        scope: PostScope,
        media_type: str,
        base_url: str,
    ) -> Lookup:
        """Find the request's answer in the cache, or the key to store it under once it has run."""
        operation = operation_type(query, operation_name)
        anonymous = principal.anonymous
        if not (self.enabled and anonymous and operation is OperationType.QUERY):
            return Lookup(None, None, operation, anonymous)
        version = await self.watch.current()
        if version is None:
            return Lookup(None, None, operation, anonymous)
        key = (
            hashlib.sha256(query.encode()).digest(),
            orjson.dumps(variables, option=orjson.OPT_SORT_KEYS) if variables else b"",
            operation_name,
            tuple(sorted(scope.statuses)),
            tuple(sorted(principal.scopes)),
            media_type,
            base_url,
        )
        return Lookup(key, version, operation, anonymous, self.cache.get(key, version))

    def replay(self, lookup: Lookup, request: Request) -> Response:
        """The cached answer of `lookup` as a response to `request`."""
        answer = lookup.answer
        if answer is None or lookup.key is None or lookup.version is None:
            raise ValueError("replay needs a lookup that found an answer")
        self._remember(request.scope, lookup.key, lookup.version)
        return self._respond(answer, _conditions(request))

    def finish(self, lookup: Lookup, request: Request, response: Response, *, succeeded: bool) -> Response:
        """Store a fresh answer when it may be cached; add the HTTP caching headers on GET."""
        if lookup.operation is OperationType.MUTATION:
            # This process wrote (or tried to): read the version again before the next answer.
            self.watch.forget()
            return response
        conditions = _conditions(request)
        if not (succeeded and response.status_code == 200 and lookup.anonymous):
            if conditions.reads_url:
                response.headers["Cache-Control"] = NO_STORE
                response.headers["Vary"] = VARY
            return response
        body = bytes(response.body)
        storing = lookup.key is not None and lookup.version is not None
        compress = len(body) >= GZIP_MINIMUM_SIZE and (storing or conditions.accepts_gzip)
        answer = CachedAnswer(
            body,
            response.status_code,
            response.headers.get("content-type", "application/json"),
            etag_for(body),
            gzip.compress(body, GZIP_LEVEL, mtime=0) if compress else None,
        )
        if lookup.key is not None and lookup.version is not None:
            self.cache.put(lookup.key, lookup.version, answer)
            self._remember(request.scope, lookup.key, lookup.version)
        fresh = self._respond(answer, conditions)
        for name, value in response.headers.items():
            if name not in fresh.headers:
                fresh.headers[name] = value
        return fresh

    def _respond(self, answer: CachedAnswer, conditions: Conditions) -> Response:
        vary = _VARY_URL if conditions.reads_url else _VARY_BODY
        if len(answer.body) >= GZIP_MINIMUM_SIZE:
            vary += b", Accept-Encoding"
        public = self._public_cache_control
        if conditions.reads_url and none_match(conditions.if_none_match, answer.etag):
            etag = answer.etag.encode()
            return _Prepared(304, b"", [(b"etag", etag), (b"cache-control", public), (b"vary", vary)])
        body = answer.body
        headers = [(b"content-type", answer.content_type.encode())]
        if answer.gzipped is not None and conditions.accepts_gzip:
            # The app's GZipMiddleware passes an encoded answer through as it is.
            body = answer.gzipped
            headers.append((b"content-encoding", b"gzip"))
        headers.append((b"content-length", str(len(body)).encode()))
        headers.append((b"vary", vary))
        if conditions.reads_url:
            headers.append((b"etag", answer.etag.encode()))
            headers.append((b"cache-control", public))
        return _Prepared(answer.status, body, headers)


class _Prepared(Response):
    """A response whose header list is built by the caller (the cache knows every byte of it)."""

    def __init__(self, status: int, body: bytes, raw_headers: list[tuple[bytes, bytes]]) -> None:
        self.status_code = status
        self.body = body
        self.background = None
        self.raw_headers = raw_headers


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


def _conditions(request: Request) -> Conditions:
    headers = request.headers
    return Conditions(
        request.method in ("GET", "HEAD"),
        headers.get("if-none-match"),
        "gzip" in headers.get("accept-encoding", ""),
    )
