"""Answering known `/graphql` requests from the response cache before the app's other layers run.

A request whose bytes were answered before (see `HttpCaching.known_answer`) needs no routing, no
request object, no compression and no GraphQL: this middleware sends the stored answer directly. Any
other request goes on to the app unchanged; a small POST body read here is handed on as it came.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from content_api.http.cache import HttpCaching
from content_api.http.known import scan_headers


class KnownAnswers:
    """ASGI middleware in front of the app for the `/graphql` path."""

    def __init__(self, app: ASGIApp, caching: HttpCaching, path: str = "/graphql") -> None:
        self.app = app
        self.caching = caching
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != self.path or not self.caching.enabled:
            await self.app(scope, receive, send)
            return
        seen = scan_headers(scope)
        if seen is None:
            await self.app(scope, receive, send)
            return
        body = b""
        if seen.wants_body:
            body, complete = await _read_body(receive)
            if not complete:
                # The client went away or sent more than it said: let the app deal with it.
                await self.app(scope, _replay(body, receive, complete=False), send)
                return
            receive = _replay(body, receive, complete=True)
        response = await self.caching.known_answer(scope, seen, body)
        if response is None:
            await self.app(scope, receive, send)
            return
        await response(scope, receive, send)


async def _read_body(receive: Receive) -> tuple[bytes, bool]:
    """The request body, and whether it arrived whole (no disconnect)."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks), False
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks), True


def _replay(body: bytes, receive: Receive, *, complete: bool) -> Receive:
    """A `receive` that gives `body` first (as one message), then whatever the client sends next."""
    pending = True

    async def replayed() -> Message:
        nonlocal pending
        if pending:
            pending = False
            if complete:
                return {"type": "http.request", "body": body, "more_body": False}
            return {"type": "http.disconnect"}
        return await receive()

    return replayed
