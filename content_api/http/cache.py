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
Batches, API-key holders and bodies over `known.KNOWN_BODY_LIMIT` always take the full path.

GET answers carry a weak `ETag` (a hash of the body, so every worker and replica agrees; weak because
the same tag covers the gzipped form) and, for anonymous callers, `Cache-Control: public` with the
configured max-age and stale-while-revalidate; a matching `If-None-Match` gets 304 Not Modified without
a body. Stored answers of `GZIP_MINIMUM_SIZE` bytes or more are kept gzipped as well.
"""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import orjson
from graphql import GraphQLError, OperationDefinitionNode, OperationType, parse
from sqlalchemy import Engine
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Scope

from content_api.http.answers import CachedAnswer, CacheKey, ResponseCache
from content_api.http.etag import etag_for, none_match
from content_api.http.known import Conditions, SeenHeaders, conditions_of, scan_headers
from content_api.schema.schema import DOCUMENT_CACHE_SIZE, MAX_TOKENS
from content_api.services.auth import Principal
from content_api.settings import Settings
from content_api.store.queries import PostScope
from content_api.store.version import ContentVersionWatch

VARY = "Accept, Authorization"
# Requests remembered by their bytes, at most; they are forgotten with the answers on a new version.
KNOWN_REQUESTS = 4096
_FINGERPRINT = "content_api.cache.fingerprint"
# Stored answers at least this long are also kept gzipped, at the level the app's GZipMiddleware uses
# (content_api/app.py), which passes an answer that is already encoded through untouched.
GZIP_MINIMUM_SIZE = 1000
GZIP_LEVEL = 6
_VARY_URL = b"Accept, Authorization"
_VARY_BODY = b"Accept"
NO_STORE = "private, no-store"


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
        # A request known by its bytes is one operation, never part of a batch: it may go out gzipped.
        return self._respond(answer, seen.conditions(scope), may_compress=True)

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
        return self._respond(answer, conditions_of(request), may_compress=False)

    def finish(self, lookup: Lookup, request: Request, response: Response, *, succeeded: bool) -> Response:
        """Store a fresh answer when it may be cached; add the HTTP caching headers on GET."""
        if lookup.operation is OperationType.MUTATION:
            # This process wrote (or tried to): read the version again before the next answer.
            self.watch.forget()
            return response
        conditions = conditions_of(request)
        if not (succeeded and response.status_code == 200 and lookup.anonymous):
            if conditions.reads_url:
                response.headers["Cache-Control"] = NO_STORE
                response.headers["Vary"] = VARY
            return response
        storing = lookup.key is not None and lookup.version is not None
        if not (storing or conditions.reads_url):
            return response  # nothing to store, and POST answers carry no ETag
        body = bytes(response.body)
        compress = storing and len(body) >= GZIP_MINIMUM_SIZE
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
        fresh = self._respond(answer, conditions, may_compress=False)
        for name, value in response.headers.items():
            if name not in fresh.headers:
                fresh.headers[name] = value
        return fresh

    def _respond(self, answer: CachedAnswer, conditions: Conditions, *, may_compress: bool) -> Response:
        """The answer as a response; gzipped only when `may_compress` (the endpoint's responses may
        become part of a batch, and the app's GZipMiddleware compresses those on the way out)."""
        vary = _VARY_URL if conditions.reads_url else _VARY_BODY
        if may_compress and len(answer.body) >= GZIP_MINIMUM_SIZE:
            vary += b", Accept-Encoding"  # (on the endpoint's answers, GZipMiddleware adds it)
        public = self._public_cache_control
        if conditions.reads_url and none_match(conditions.if_none_match, answer.etag):
            etag = answer.etag.encode()
            return _Prepared(304, b"", [(b"etag", etag), (b"cache-control", public), (b"vary", vary)])
        body = answer.body
        headers = [(b"content-type", answer.content_type.encode())]
        if may_compress and answer.gzipped is not None and conditions.accepts_gzip:
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
