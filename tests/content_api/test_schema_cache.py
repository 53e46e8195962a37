"""Documents are parsed and validated once: the second request with the same document hits both caches."""

from __future__ import annotations

from starlette.testclient import TestClient
from strawberry.extensions.parser_cache import _get_parse_cache
from strawberry.extensions.validation_cache import _get_validate_cache

from content_api.schema.schema import DOCUMENT_CACHE_SIZE
from tests.content_api.graphql_site import Site, client, graphql, site

__all__ = ["client", "site"]


def test_repeated_documents_are_parsed_and_validated_once(client: TestClient, site: Site) -> None:
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
