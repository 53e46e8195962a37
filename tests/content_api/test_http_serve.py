"""`content-api serve` as operators run it: the demo site end to end, and clear failures at start-up."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.content_api.server_process import running_server

POST_PAGE = """query($slug: String!) {
  post(slug: $slug) {
    title publishedAt
    featureImage { url alt width height }
    authors { slug name pronouns role }
    tags { name }
  }
}"""


def _graphql(base_url: str, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    response = httpx.post(
        f"{base_url}/graphql",
        json={"query": query, "variables": variables},
        headers={"Accept": "application/graphql-response+json"},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    return body["data"]


@pytest.mark.slow
def test_serve_demo_answers_the_post_page(database_url: str) -> None:
    with running_server("--demo", "--database-url", database_url) as base_url:
        listing = _graphql(
            base_url,
            "{ posts(first: 100) { totalCount edges { node { slug featureImage { url } } } } }",
        )["posts"]
        assert listing["totalCount"] >= 30
        slug = next(e["node"]["slug"] for e in listing["edges"] if e["node"]["featureImage"])
        post = _graphql(base_url, POST_PAGE, {"slug": slug})["post"]
        assert post["title"] and post["authors"] and post["tags"]
        image = post["featureImage"]
        assert image["width"] > 0 and image["height"] > 0 and image["alt"]
        image_response = httpx.get(image["url"], timeout=10)
        assert image_response.status_code == 200
        assert image_response.headers["content-type"].startswith("image/")

        people = _graphql(base_url, "{ people(first: 100) { edges { node { slug pronouns } } } }")["people"]
        # Some demo people recorded pronouns without consenting: the API never shows them.
        shown = {e["node"]["slug"] for e in people["edges"] if e["node"]["pronouns"]}
        assert 0 < len(shown) < len(people["edges"])

        # Development mode (implied by --demo) serves GraphiQL to browsers.
        page = httpx.get(f"{base_url}/graphql", headers={"Accept": "text/html"}, timeout=10)
        assert page.status_code == 200 and "graphiql" in page.text.lower()


def _serve(*arguments: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "content_api.cli", "serve", "--port", "1", *arguments],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )


def test_unreachable_database_is_one_line_and_exit_1(tmp_path: Path) -> None:
    result = _serve("--database-url", "postgresql://nobody@127.0.0.1:1/news", tmp_path=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("content-api: cannot use the database postgresql")
    assert "Traceback" not in result.stderr


def test_database_without_tables_is_one_line_and_exit_1(tmp_path: Path) -> None:
    result = _serve("--database-url", f"sqlite:///{tmp_path}/empty.db", tmp_path=tmp_path)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert "run `content-api migrate`" in result.stderr


@pytest.mark.parametrize(
    ("arguments", "message"),
    [(["--port", "http"], "not a port number"), (["--workers", "0"], "at least 1")],
)
def test_bad_options_exit_2(tmp_path: Path, arguments: list[str], message: str) -> None:
    result = _serve(*arguments, tmp_path=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
