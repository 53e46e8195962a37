"""Apps with chosen limits over a small SQLite site, and a way to time one request inside the server."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Engine
from starlette.applications import Starlette
from starlette.testclient import TestClient

from content_api.app import create_app
from content_api.http.limits import Limits
from content_api.settings import Settings
from content_api.store.db import make_engine, migrate
from tests.content_api.graphql_site import build_site

NEW = "application/graphql-response+json"
LEGACY = "application/json"


def site_engine(folder: Path) -> Engine:
    """A migrated SQLite store under `folder` holding the test site."""
    engine = make_engine(f"sqlite:///{folder}/site.db")
    migrate(engine)
    build_site(engine)
    return engine


@contextmanager
def limited_client(engine: Engine, *, dev_mode: bool = False, **limits: Any) -> Iterator[TestClient]:
    settings = Settings(database_url="unused", dev_mode=dev_mode, limits=Limits(**limits))
    with TestClient(create_app(settings, engine), base_url="http://news.test") as client:
        yield client


def post(client: TestClient, query: str, variables: dict[str, Any] | None = None, **extra: Any) -> Any:
    """POST `query` as a current client does; the decoded body with `_status` added when it is an object."""
    response = client.post(
        "/graphql", json={"query": query, "variables": variables, **extra}, headers={"Accept": NEW}
    )
    body = response.json()
    if isinstance(body, dict):
        body["_status"] = response.status_code
    return body


def codes(answer: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in answer.get("errors", [])]


class ServerTimer:
    """Sends requests straight into the ASGI app and measures the CPU time the server spends on each."""

    def __init__(self, app: Starlette) -> None:
        self.app = app

    def post(self, body: bytes, headers: dict[str, str] | None = None) -> tuple[int, bytes, float]:
        """(status, body, seconds of this thread's CPU time spent inside the app)."""
        return asyncio.run(self._post(body, headers or {}))

    async def _post(self, body: bytes, headers: dict[str, str]) -> tuple[int, bytes, float]:
        raw_headers = [
            (b"content-type", b"application/json"),
            (b"accept", NEW.encode()),
            (b"content-length", str(len(body)).encode()),
            *((name.lower().encode(), value.encode()) for name, value in headers.items()),
        ]
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": "/graphql",
            "raw_path": b"/graphql",
            "root_path": "",
            "query_string": b"",
            "headers": raw_headers,
            "client": ("203.0.113.9", 50000),
            "server": ("news.test", 80),
            "state": {},
        }
        sent = False

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        status = 0
        chunks: list[bytes] = []

        async def send(message: MutableMapping[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        started = time.thread_time()
        await self.app(scope, receive, send)
        return status, b"".join(chunks), time.thread_time() - started


def json_body(query: str, **extra: Any) -> bytes:
    return orjson.dumps({"query": query, **extra})
