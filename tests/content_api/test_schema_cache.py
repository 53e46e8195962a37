"""Documents are parsed and validated once: the second request with the same document hits both caches."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from starlette.testclient import TestClient
from strawberry.extensions.parser_cache import _get_parse_cache
from strawberry.extensions.validation_cache import _get_validate_cache

from content_api.app import create_app
from content_api.schema.schema import DOCUMENT_CACHE_SIZE
from content_api.settings import Settings
from tests.content_api.graphql_site import Site, graphql, site

__all__ = ["site"]


@pytest.fixture
def uncached_client(engine: Engine) -> Iterator[TestClient]:
    """A client of an app without the response cache, so every request reaches the schema."""
    url = engine.url.render_as_string(hide_password=False)
    # Compiled plans keep their own cache (tests/content_api/test_plans.py); this is graphql-core's path.
    settings = Settings(database_url=url, response_cache_mb=0, compiled_plans=False)
    with TestClient(create_app(settings, engine), base_url="http://news.test") as test_client:
        yield test_client


def test_repeated_documents_are_parsed_and_validated_once(uncached_client: TestClient, site: Site) -> None:
    client = uncached_client
    query = '{ post(slug: "winter-appeal") { title authors { name } } posts(first: 3) { totalCount } }'
    parse_cache = _get_parse_cache(DOCUMENT_CACHE_SIZE)
    validate_cache = _get_validate_cache(DOCUMENT_CACHE_SIZE)
    graphql(client, query)
    parse_hits, validate_hits = parse_cache.cache_info().hits, validate_cache.cache_info().hits
    validate_misses = validate_cache.cache_info().misses

    for _ in range(3):
        answer = graphql(client, query)
        assert answer["data"]["post"]["title"] == "Winter appeal"

    assert parse_cache.cache_info().hits == parse_hits + 3
    assert validate_cache.cache_info().hits == validate_hits + 3
    assert validate_cache.cache_info().misses == validate_misses
