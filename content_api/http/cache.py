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
request's bytes that matter (method, query string or JSON body, Accept, Content-Type, Host) are
remembered with its key, and the same bytes again find the answer with two dictionary lookups and the
version read. Batches, API-key holders and bodies over `KNOWN_BODY_LIMIT` always take the full path.

GET answers carry a strong `ETag` (a hash of the body, so every worker and replica agrees) and, for
anonymous callers, `Cache-Control: public` with the configured max-age and stale-while-revalidate; a
matching `If-None-Match` gets 304 Not Modified without a body.
"""

from __future__ import annotations

import gzip
import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import orjson
from graphql import GraphQLError, OperationDefinitionNode, OperationType, parse
from sqlalchemy import Engine
from starlette.requests import Request
from starlette.responses import Response

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
_FINGERPRINT_HEADERS = (b"host", b"accept", b"content-type", b"content-length")
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
        self._known: dict[tuple[Any, ...], CacheKey] = {}
        self._known_version: int | None = None
        self.known_hits = 0

    def close(self) -> None:
        self.watch.close()

    async def replay_known(self, request: Request) -> Response | None:
        """The cached answer to a request whose bytes were answered before, or None (take the full path).

        Reads a small JSON body; the endpoint then reads it again from the request.
        """
        fingerprint = await self._fingerprint(request)
        if fingerprint is None:
            return None
        request.scope[_FINGERPRINT] = fingerprint
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
        return self.replay(Lookup(key, version, OperationType.QUERY, True, answer), request)

    async def _fingerprint(self, request: Request) -> tuple[Any, ...] | None:
        if not self.enabled:
            return None
        scope = request.scope
        wanted = dict.fromkeys(_FINGERPRINT_HEADERS, b"")
        for name, value in scope["headers"]:
            if name in wanted:
                wanted[name] = value
            elif name == b"authorization":
                return None
        where = (scope.get("scheme"), scope.get("root_path"), *wanted.values())
        method = scope["method"]
        if method in ("GET", "HEAD"):
            return ("GET", scope["query_string"], *where)
        length = wanted[b"content-length"]
        if method != "POST" or not length.isdigit() or int(length) > KNOWN_BODY_LIMIT:
            return None
        body = await request.body()
        if not body.startswith(b"{"):  # a batch, or not JSON at all
            return None
        return ("POST", body, *where)

    def _remember(self, request: Request, key: CacheKey, version: int) -> None:
        fingerprint = request.scope.get(_FINGERPRINT)
        if fingerprint is None:
            return
        if version != self._known_version:
            if self._known_version is not None and version < self._known_version:
                return
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
        self._remember(request, lookup.key, lookup.version)
        return self._respond(answer, request)

    def finish(self, lookup: Lookup, request: Request, response: Response, *, succeeded: bool) -> Response:
        """Store a fresh answer when it may be cached; add the HTTP caching headers on GET."""
        if lookup.operation is OperationType.MUTATION:
            # This process wrote (or tried to): read the version again before the next answer.
            self.watch.forget()
            return response
        if not (succeeded and response.status_code == 200 and lookup.anonymous):
            if _reads_url(request):
                response.headers["Cache-Control"] = NO_STORE
                response.headers["Vary"] = VARY
            return response
        body = bytes(response.body)
        storing = lookup.key is not None and lookup.version is not None
        compress = len(body) >= GZIP_MINIMUM_SIZE and (storing or _accepts_gzip(request))
        answer = CachedAnswer(
            body,
            response.status_code,
            response.headers.get("content-type", "application/json"),
            etag_for(body),
            gzip.compress(body, GZIP_LEVEL, mtime=0) if compress else None,
        )
        if lookup.key is not None and lookup.version is not None:
            self.cache.put(lookup.key, lookup.version, answer)
            self._remember(request, lookup.key, lookup.version)
        fresh = self._respond(answer, request)
        for name, value in response.headers.items():
            if name not in fresh.headers:
                fresh.headers[name] = value
        return fresh

    def _respond(self, answer: CachedAnswer, request: Request) -> Response:
        reads_url = _reads_url(request)
        vary = VARY if reads_url else "Accept"
        if len(answer.body) >= GZIP_MINIMUM_SIZE:
            vary += ", Accept-Encoding"
        if reads_url and none_match(request.headers.get("if-none-match"), answer.etag):
            headers = {"ETag": answer.etag, "Cache-Control": self.public_cache_control, "Vary": vary}
            return Response(status_code=304, headers=headers)
        if answer.gzipped is not None and _accepts_gzip(request):
            response = Response(answer.gzipped, status_code=answer.status, media_type=answer.content_type)
            # The app's GZipMiddleware passes an encoded answer through as it is.
            response.headers["Content-Encoding"] = "gzip"
        else:
            response = Response(answer.body, status_code=answer.status, media_type=answer.content_type)
        response.headers["Vary"] = vary
        if reads_url:
            response.headers["ETag"] = answer.etag
            response.headers["Cache-Control"] = self.public_cache_control
        return response


def _accepts_gzip(request: Request) -> bool:
    # As the app's GZipMiddleware decides it.
    return "gzip" in request.headers.get("accept-encoding", "")


def _reads_url(request: Request) -> bool:
    return request.method in ("GET", "HEAD")
