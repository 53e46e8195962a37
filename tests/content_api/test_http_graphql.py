"""/graphql over HTTP: methods, media types and status codes per the GraphQL-over-HTTP specification."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import Engine
from starlette.testclient import TestClient

from content_api.app import create_app
from content_api.settings import Settings
from tests.content_api.graphql_site import Site, client, site

__all__ = ["client", "site"]

NEW = "application/graphql-response+json"
LEGACY = "application/json"


@pytest.fixture
def dev_client(engine: Engine) -> Iterator[TestClient]:
    settings = Settings(database_url="unused", dev_mode=True, cors_origins=("https://front.example",))
    with TestClient(create_app(settings, engine), base_url="http://news.test") as test_client:
        yield test_client


def test_post_with_graphql_response_json(client: TestClient, site: Site) -> None:
    response = client.post("/graphql", json={"query": "{ tags { slug } }"}, headers={"Accept": NEW})
    assert response.status_code == 200
    assert response.headers["content-type"] == f"{NEW}; charset=utf-8"
    assert response.json() == {"data": {"tags": [{"slug": "food-bank"}, {"slug": "youth"}]}}


@pytest.mark.parametrize("accept", [None, "*/*", LEGACY, f"{LEGACY}, {NEW};q=0.5"])
def test_legacy_clients_get_application_json(client: TestClient, site: Site, accept: str | None) -> None:
    headers = {"Accept": accept} if accept else {}
    response = client.post("/graphql", json={"query": "{ __typename }"}, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(LEGACY)


def test_get_runs_queries_with_json_variables(client: TestClient, site: Site) -> None:
    response = client.get(
        "/graphql",
        params={
            "query": "query($s: String!) { post(slug: $s) { title } }",
            "variables": json.dumps({"s": "winter-appeal"}),
        },
        headers={"Accept": NEW},
    )
    assert response.status_code == 200
    assert response.json() == {"data": {"post": {"title": "Winter appeal"}}}


@pytest.mark.parametrize(
    ("document", "code"),
    [("{ posts(first: ", "GRAPHQL_PARSE_FAILED"), ("{ nothingHere }", "GRAPHQL_VALIDATION_FAILED")],
)
def test_documents_that_fail_are_400_without_data_or_200_for_legacy(
    client: TestClient, site: Site, document: str, code: str
) -> None:
    new = client.post("/graphql", json={"query": document}, headers={"Accept": NEW})
    assert new.status_code == 400
    assert "data" not in new.json()
    assert [e["extensions"]["code"] for e in new.json()["errors"]] == [code]
    legacy = client.post("/graphql", json={"query": document}, headers={"Accept": LEGACY})
    assert legacy.status_code == 200
    assert "data" not in legacy.json()
    assert [e["extensions"]["code"] for e in legacy.json()["errors"]] == [code]


def test_variable_coercion_failure(client: TestClient, site: Site) -> None:
    body = {"query": "query($id: ID!) { node(id: $id) { id } }", "variables": {"id": None}}
    new = client.post("/graphql", json=body, headers={"Accept": NEW})
    assert new.status_code == 400
    assert "data" not in new.json()
    assert client.post("/graphql", json=body, headers={"Accept": LEGACY}).status_code == 200


def test_mutations_are_refused_over_get(client: TestClient, site: Site) -> None:
    response = client.get("/graphql", params={"query": "mutation { __typename }"}, headers={"Accept": NEW})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b'{"query": "{ __typename }"}', None, 415),
        (b'{"query": "{ __typename }"}', "text/plain", 415),
        (b'{"query": "{ __typename }"}', "application/json; charset=latin-1", 415),
        (b"", "application/json", 400),
        (b'{ "not json', "application/json", 400),
        (b'["query"]', "application/json", 400),
        (b'{"qeury": "{ __typename }"}', "application/json", 400),
        (b'{"query": 5}', "application/json", 400),
        (b'{"query": "{ __typename }", "variables": "x"}', "application/json", 400),
        (b'{"query": "{ __typename }", "operationName": 1}', "application/json", 400),
        (b'{"query": "{ __typename }", "extensions": []}', "application/json", 400),
    ],
)
def test_malformed_requests_are_4xx_with_a_message(
    client: TestClient, body: bytes, content_type: str | None, status: int
) -> None:
    headers = {"Accept": NEW}
    if content_type:
        headers["Content-Type"] = content_type
    response = client.post("/graphql", content=body, headers=headers)
    assert response.status_code == status
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert error["message"]


def test_unacceptable_media_type_is_406(client: TestClient) -> None:
    response = client.post("/graphql", json={"query": "{ __typename }"}, headers={"Accept": "text/csv"})
    assert response.status_code == 406


def test_other_methods_are_405(client: TestClient) -> None:
    assert client.put("/graphql", json={"query": "{ __typename }"}).status_code == 405


def test_graphiql_only_in_development_mode(client: TestClient, dev_client: TestClient) -> None:
    browser = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    page = dev_client.get("/graphql", headers=browser)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "graphiql" in page.text.lower()
    production = client.get("/graphql", headers=browser)
    assert production.status_code == 400
    assert "graphiql" not in production.text.lower()


def test_cors_origins_are_configurable(client: TestClient, dev_client: TestClient) -> None:
    preflight = {
        "Origin": "https://front.example",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    }
    allowed = dev_client.options("/graphql", headers=preflight)
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://front.example"
    other = dev_client.options("/graphql", headers={**preflight, "Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers
    # Without configured origins nothing is allowed cross-origin.
    plain = client.post(
        "/graphql", json={"query": "{ __typename }"}, headers={"Origin": "https://front.example"}
    )
    assert "access-control-allow-origin" not in plain.headers


def test_large_answers_are_gzipped(client: TestClient, site: Site) -> None:
    query = "{ posts(first: 20) { edges { node { title summary bodyHtml authors { name bio } } } } }"
    response = client.post(
        "/graphql", json={"query": query}, headers={"Accept": NEW, "Accept-Encoding": "gzip"}
    )
    assert response.headers["content-encoding"] == "gzip"
    # httpx decodes transparently; the bytes on the wire are fewer than the JSON they carry.
    assert int(response.headers["content-length"]) < len(response.content)
    assert response.json()["data"]["posts"]["edges"]


def test_documents_nested_too_deep_are_refused_before_running(client: TestClient, site: Site) -> None:
    deep = (
        "{ posts { edges { node { authors { posts { edges { node {"
        " tags { posts { edges { node { title } } } } } } } } } } } }"
    )
    response = client.post("/graphql", json={"query": deep}, headers={"Accept": NEW})
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "QUERY_TOO_DEEP"
    assert "deeper than the limit of 10" in response.json()["errors"][0]["message"]


def test_head_is_answered_like_get(client: TestClient, site: Site) -> None:
    response = client.head("/graphql", params={"query": "{ __typename }"}, headers={"Accept": NEW})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(NEW)
    assert response.content == b""


def test_a_burst_of_concurrent_requests_all_complete(engine: Engine, site: Site) -> None:
    # More requests in flight than the connection pool holds: none may wait on another's connection.
    app = create_app(Settings(database_url="unused"), engine)
    query = "{ posts(first: 5) { totalCount edges { node { slug authors { name } tags { name } } } } }"

    async def burst() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://news.test") as http:
            requests = [http.post("/graphql", json={"query": query}) for _ in range(60)]
            return await asyncio.wait_for(asyncio.gather(*requests), timeout=60)

    responses = asyncio.run(burst())
    assert {response.status_code for response in responses} == {200}
    assert {response.json()["data"]["posts"]["totalCount"] for response in responses} == {5}
