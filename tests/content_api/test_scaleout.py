"""Scale-out: several `content-api serve` processes on one database, behind any load balancer.

Two servers share one store (PostgreSQL, and SQLite for the single-machine case). A post is taken down
through one of them; the other, whose response cache and HTTP clients hold the old answer, stops
serving it within a second, on every one of its workers.
"""

from __future__ import annotations

import json
import time

import httpx
from sqlalchemy import Engine

from content_api.store.db import write_engine
from content_api.store.keys import create_key
from tests.content_api.graphql_site import Site, site
from tests.content_api.server_process import running_server

__all__ = ["site"]

POST = "query Post($slug: String!) { post(slug: $slug) { slug title } }"
LIST = "{ posts(first: 5) { totalCount edges { node { slug } } } }"
UNPUBLISH = "mutation($slug: String!) { unpublishPost(slug: $slug) { __typename } }"
PUBLISH = "mutation($slug: String!) { publishPost(slug: $slug) { __typename } }"
ACCEPT = {"Accept": "application/graphql-response+json"}
# How soon every server must stop serving what was taken down.
WITHIN_SECONDS = 1.0


def _mutate(base_url: str, query: str, variables: dict[str, str], token: str) -> dict[str, object]:
    answer = httpx.post(
        f"{base_url}/graphql",
        json={"query": query, "variables": variables},
        headers={**ACCEPT, "Authorization": f"Bearer {token}"},
        timeout=60,
    )
    data = answer.json().get("data")
    assert isinstance(data, dict), answer.text[:500]
    return data


def _seen_within_a_second(base_url: str, query: str, variables: dict[str, str], expected: object) -> float:
    """Ask `base_url` until it answers `expected`; return how long that took after the change."""
    changed_at = time.monotonic()
    while True:
        answer = _get(base_url, query, variables)
        if answer.status_code == 200 and answer.json()["data"] == expected:
            return time.monotonic() - changed_at
        assert time.monotonic() - changed_at < WITHIN_SECONDS, f"{base_url} still answers {answer.text[:200]}"
        time.sleep(0.02)


def _get(
    base_url: str, query: str, variables: dict[str, str] | None = None, **headers: str
) -> httpx.Response:
    params = {"query": query}
    if variables is not None:
        params["variables"] = json.dumps(variables)
    return httpx.get(f"{base_url}/graphql", params=params, headers={**ACCEPT, **headers}, timeout=10)


def test_a_change_through_one_server_is_served_by_the_other_within_a_second(
    engine: Engine, database_url: str, site: Site
) -> None:
    with write_engine(engine).begin() as conn:
        publisher = create_key(conn, "scale-out test", ["publish"]).token
    slug = {"slug": "winter-appeal"}
    with (
        running_server("--database-url", database_url) as writer,
        running_server("--database-url", database_url, "--workers", "2") as reader,
    ):
        # Warm the reader: its workers cache the answers, and a client holds the post page's ETag.
        for _ in range(6):
            page = _get(reader, POST, slug)
            listed = _get(reader, LIST)
        assert page.json()["data"]["post"]["title"] == "Winter appeal"
        etag = page.headers["etag"]
        assert _get(reader, POST, slug, **{"If-None-Match": etag}).status_code == 304
        total = listed.json()["data"]["posts"]["totalCount"]

        done = _mutate(writer, UNPUBLISH, slug, publisher)
        assert done == {"unpublishPost": {"__typename": "UnpublishSuccess"}}
        changed_at = time.monotonic()

        while True:
            answer = _get(reader, POST, slug, **{"If-None-Match": etag})
            if answer.status_code == 200 and answer.json()["data"] == {"post": None}:
                break
            assert time.monotonic() - changed_at < WITHIN_SECONDS, "the other server still serves the post"
            time.sleep(0.02)
        seen_after = time.monotonic() - changed_at
        assert seen_after < WITHIN_SECONDS

        # Each worker reads the version on its own (every 20 ms on SQLite, 0.2 s on PostgreSQL), so one
        # may still be on the old version when another has moved; a second after the change none is.
        time.sleep(max(0.0, changed_at + WITHIN_SECONDS - time.monotonic()))
        for base_url in (reader, writer) * 5:
            assert _get(base_url, POST, slug).json()["data"] == {"post": None}
            assert _get(base_url, LIST).json()["data"]["posts"]["totalCount"] == total - 1

        # Published again (through the audit gate) on the writer: back on the reader too.
        done = _mutate(writer, PUBLISH, slug, publisher)
        assert done == {"publishPost": {"__typename": "PublishSuccess"}}
        back = {"post": {"slug": "winter-appeal", "title": "Winter appeal"}}
        assert _seen_within_a_second(reader, POST, slug, back) < WITHIN_SECONDS
