"""Shared pieces of the publishing tests: a small site, API keys, GraphQL calls and a webhook receiver."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from PIL import Image as PillowImage
from sqlalchemy import Engine, Table, func, select
from starlette.testclient import TestClient

from content_api.app import create_app
from content_api.content import import_folder
from content_api.settings import Settings
from content_api.store.db import write_engine
from content_api.store.keys import create_key
from content_api.store.maintenance import content_version
from content_api.store.webhooks import add_endpoint

PEOPLE_YAML = """\
- slug: ana-lima
  name: Ana Lima
  pronouns: she/her
  show_pronouns: true
  role: Garden coordinator
- slug: sam-okafor
  name: Sam Okafor
  pronouns: they/them
  show_pronouns: false
  role: Volunteer
"""

GOOD_ALT = "Raised beds full of lettuces beside the shed"
BODY = """Our community garden opens on Saturday. Ana Lima will show visitors round the new beds.

![{alt}](/images/garden.png)

## What to bring

Bring gloves and a bottle of water. We have tools to lend.
"""
GOOD_BODY = BODY.format(alt=GOOD_ALT)
NO_ALT_BODY = BODY.format(alt="")


def write_site(folder: Path) -> Path:
    """A content folder with two people and one image, and no posts yet."""
    (folder / "images").mkdir(parents=True, exist_ok=True)
    (folder / "posts").mkdir(exist_ok=True)
    (folder / "people.yaml").write_text(PEOPLE_YAML, encoding="utf-8")
    PillowImage.new("RGB", (800, 450), (40, 120, 60)).save(folder / "images" / "garden.png")
    return folder


def seed(engine: Engine, folder: Path) -> None:
    """Load the people and images of `write_site` into the store."""
    import_folder(engine, write_site(folder))


def token(engine: Engine, *scopes: str, name: str = "test key") -> str:
    with write_engine(engine).begin() as conn:
        return create_key(conn, name, scopes).token


def count(engine: Engine, table: Table) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def version_of_store(engine: Engine) -> int:
    with engine.connect() as conn:
        return content_version(conn)


@contextmanager
def api(engine: Engine) -> Iterator[TestClient]:
    """The app over HTTP, with its background threads (scheduler, webhook dispatcher) running."""
    settings = Settings(database_url=engine.url.render_as_string(hide_password=False))
    with TestClient(create_app(settings, engine), base_url="http://news.test") as client:
        yield client


def gql(
    client: TestClient, query: str, variables: dict[str, Any] | None = None, key: str | None = None
) -> dict[str, Any]:
    headers = {"Accept": "application/graphql-response+json"}
    if key is not None:
        headers["Authorization"] = f"Bearer {key}"
    response = client.post("/graphql", json={"query": query, "variables": variables or {}}, headers=headers)
    body: dict[str, Any] = response.json()
    body["_status"] = response.status_code
    return body


CREATE = """
mutation($input: PostInput!) {
  createPost(input: $input) {
    __typename
    ... on PostSaved { version post { slug status version } }
    ... on InvalidInput { message problems { field message } }
  }
}"""

UPDATE = """
mutation($input: UpdatePostInput!) {
  updatePost(input: $input) {
    __typename
    ... on PostSaved { version post { slug title bodyHtml version } }
    ... on Conflict { currentVersion message current { title bodyHtml version } }
    ... on NotFound { message }
    ... on InvalidInput { problems { field message } }
  }
}"""

PUBLISH = """
mutation($slug: String!, $version: Int) {
  publishPost(slug: $slug, version: $version) {
    __typename
    ... on PublishSuccess { version post { slug status } audit { passed errors warnings } }
    ... on PublishBlocked { message errors { rule severity message line } audit { passed errors } }
    ... on NotFound { message }
    ... on Conflict { currentVersion }
  }
}"""

POST = "query($slug: String!) { post(slug: $slug) { slug title status version } }"


def create_post(client: TestClient, key: str, **fields: Any) -> dict[str, Any]:
    data = {"title": "Garden opens", "bodySource": GOOD_BODY, "lang": "en-GB", "authors": ["ana-lima"]}
    data.update(fields)
    result = gql(client, CREATE, {"input": data}, key)
    assert "errors" not in result, result
    return result["data"]["createPost"]


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """A webhook receiver on loopback that records what it gets and answers `status` after `delay`."""

    status: int = 200
    delay: float = 0.0
    received: list[Received] = field(default_factory=list)
    url: str = ""

    def wait_for(self, n: int, timeout: float = 15.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while len(self.received) < n and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.received


@contextmanager
def receiver(status: int = 200, delay: float = 0.0) -> Iterator[Receiver]:
    state = Receiver(status=status, delay=delay)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            if state.delay:
                time.sleep(state.delay)
            state.received.append(Received({k: v for k, v in self.headers.items()}, body))
            self.send_response(state.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def registered_receiver(engine: Engine, secret: str = "secret", **options: Any) -> Iterator[Receiver]:
    """A `receiver` that the store knows as a webhook endpoint."""
    with receiver(**options) as hook:
        with write_engine(engine).begin() as conn:
            add_endpoint(conn, hook.url, secret)
        yield hook
