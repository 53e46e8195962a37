"""/images/{path} and /healthz."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from content_api.app import create_app
from content_api.settings import Settings
from content_api.store.db import make_engine
from tests.content_api.graphql_site import Site, client, graphql, site

__all__ = ["client", "site"]


def test_feature_image_url_serves_the_stored_bytes(client: TestClient, site: Site) -> None:
    answer = graphql(client, '{ post(slug: "allotment-opens") { featureImage { url } } }')
    url = answer["data"]["post"]["featureImage"]["url"]
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert response.content == site.image_bytes["images/feature-garden.png"]
    assert response.headers["cache-control"] == "public, max-age=3600"
    assert response.headers["etag"].startswith('"') and len(response.headers["etag"]) == 66
    assert "last-modified" in response.headers


def test_matching_etag_gives_304(client: TestClient, site: Site) -> None:
    first = client.get("/images/avatar-alice.png")
    again = client.get("/images/avatar-alice.png", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert again.content == b""
    changed = client.get("/images/avatar-alice.png", headers={"If-None-Match": '"something-else"'})
    assert changed.status_code == 200


def test_images_linked_from_a_published_body_are_served(client: TestClient, site: Site) -> None:
    assert client.get("/images/in-body.png").content == site.image_bytes["images/in-body.png"]


@pytest.mark.parametrize(
    "path", ["/images/missing.png", "/images/../etc/passwd", "/images/", "/images/a//b.png"]
)
def test_unknown_or_odd_paths_are_404(client: TestClient, site: Site, path: str) -> None:
    assert client.get(path).status_code == 404


def test_healthz_reports_a_working_database(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.fixture
def unreachable_client() -> Iterator[TestClient]:
    engine = make_engine("postgresql://nobody@127.0.0.1:1/nowhere", connect_args={"connect_timeout": 2})
    settings = Settings(database_url="unused")
    with TestClient(create_app(settings, engine)) as test_client:
        yield test_client
    engine.dispose()


def test_healthz_is_503_when_the_database_is_down(unreachable_client: TestClient) -> None:
    response = unreachable_client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable"}


def test_graphql_masks_a_database_outage(unreachable_client: TestClient) -> None:
    response = unreachable_client.post("/graphql", json={"query": "{ tags { slug } }"})
    # An outage is the server's condition, not the query's: 503 with a code and a hint to retry.
    assert response.status_code == 503
    assert response.headers["retry-after"]
    assert response.json()["errors"] == [
        {
            "message": "The database is unavailable; try again shortly.",
            "extensions": {"code": "DATABASE_UNAVAILABLE"},
        }
    ]
    assert "127.0.0.1" not in response.text and "nobody" not in response.text
