"""Rate limiting per client: a token bucket per API token, or per client address without one.

Requests with a token also count against their address, with a budget `ADDRESS_SHARE` times larger,
so that inventing tokens does not buy a fresh budget.

A client may send `burst` requests back to back and then `rate` per second; beyond that it gets 429
with `Retry-After` (whole seconds) and a RATE_LIMITED error, before any parsing or database work.
The 429 is held back for `HOLD_SECONDS` (never longer than Retry-After) on that connection: a client
that ignores Retry-After then gets one answer a second per connection instead of the server's full
attention, and a held request costs a sleeping coroutine, not CPU.
Buckets live in the worker process: with several workers each keeps its own, so a client's effective
budget is up to the number of workers times the configured rate. `/healthz` is never limited.

Behind a reverse proxy the client address is the proxy's unless the proxy sends `X-Forwarded-For` and
uvicorn trusts it (`--forwarded-allow-ips`, by default only 127.0.0.1).
"""

from __future__ import annotations

import asyncio
import hashlib
import math
import time
from collections import OrderedDict
from collections.abc import Callable

from starlette.types import ASGIApp, Receive, Scope, Send

from content_api.http.errors import RATE_LIMITED, error_body

# Clients tracked at once; the least recently seen is forgotten first (it starts again with a full
# bucket, which only ever errs towards letting a request through).
MAX_CLIENTS = 100_000
EXEMPT_PATHS = frozenset({"/healthz"})
HOLD_SECONDS = 1.0


class TokenBuckets:
    """One bucket per key: `burst` tokens, refilled at `rate` per second, one taken per request."""

    def __init__(
        self,
        rate: float,
        burst: int,
        clock: Callable[[], float] = time.monotonic,
        max_clients: int = MAX_CLIENTS,
    ) -> None:
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._max_clients = max_clients
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def take(self, key: str) -> float:
        """Take a token for `key`: 0 when the request may go ahead, else the seconds until it may."""
        now = self._clock()
        tokens, last = self._buckets.pop(key, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - last) * self.rate)
        if tokens >= 1:
            wait = 0.0
            tokens -= 1
        else:
            wait = (1 - tokens) / self.rate
        self._buckets[key] = (tokens, now)
        if len(self._buckets) > self._max_clients:
            self._buckets.popitem(last=False)
        return wait


# A client address is also charged for the requests it sends with tokens, against a budget this many
# times larger: clients sharing an address each keep their own token budget, while a client inventing
# a new token per request still runs out.
ADDRESS_SHARE = 4


def client_keys(scope: Scope) -> tuple[str, str | None]:
    """The request's client address, and the API token it carries (hashed, never kept in clear)."""
    client = scope.get("client")
    address = "address:" + (client[0] if client else "unknown")
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            return address, "token:" + hashlib.sha256(value).hexdigest()[:32]
    return address, None


class RateLimitMiddleware:
    """Answers 429 to a client over its budget; everything else passes through untouched."""

    def __init__(
        self,
        app: ASGIApp,
        rate: float,
        burst: int,
        clock: Callable[[], float] = time.monotonic,
        hold_seconds: float = HOLD_SECONDS,
    ):
        self.app = app
        self.buckets = TokenBuckets(rate, burst, clock)
        self.address_buckets = TokenBuckets(rate * ADDRESS_SHARE, burst * ADDRESS_SHARE, clock)
        self.hold_seconds = hold_seconds

    def _wait(self, scope: Scope) -> float:
        address, token = client_keys(scope)
        if token is None:
            return self.buckets.take(address)
        return max(self.buckets.take(token), self.address_buckets.take(address))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in EXEMPT_PATHS or scope["method"] == "OPTIONS":
            await self.app(scope, receive, send)
            return
        wait = self._wait(scope)
        if wait <= 0:
            await self.app(scope, receive, send)
            return
        retry_after = max(1, math.ceil(wait))
        if self.hold_seconds > 0:
            await asyncio.sleep(min(self.hold_seconds, retry_after))
        body = error_body(
            {
                "message": f"Too many requests; try again in {retry_after} s.",
                "extensions": {"code": RATE_LIMITED, "retryAfter": retry_after},
            }
        )
        await send(
            {
                "type": "http.response.start",
                "status": 429,
                "headers": [
                    (b"content-type", b"application/json; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                    (b"retry-after", str(retry_after).encode()),
                    (b"cache-control", b"no-store"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
