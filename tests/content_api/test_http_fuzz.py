"""Generated queries over the whole schema: every answer is 200 or 400, never a server fault or a trace."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import nodes, queries
from starlette.testclient import TestClient

from content_api.app import create_app
from content_api.schema.schema import schema_sdl
from content_api.settings import Settings
from content_api.store.db import make_engine, migrate
from tests.content_api.graphql_site import build_site

DATETIMES = st.datetimes(
    min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
).map(lambda moment: nodes.String(moment.isoformat()))


@pytest.fixture
def fuzz_client(tmp_path: Path) -> Iterator[TestClient]:
    # The HTTP layer is the same on both databases, so the generated queries run on a SQLite store.
    engine = make_engine(f"sqlite:///{tmp_path}/fuzz.db")
    migrate(engine)
    build_site(engine)
    with TestClient(create_app(Settings(database_url="unused"), engine)) as client:
        yield client
    engine.dispose()


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(query=queries(schema_sdl(), custom_scalars={"DateTime": DATETIMES}))
def test_generated_queries_never_fault(fuzz_client: TestClient, query: str) -> None:
    response = fuzz_client.post(
        "/graphql", json={"query": query}, headers={"Accept": "application/graphql-response+json"}
    )
    assert response.status_code in (200, 400), response.text
    body = response.json()
    for error in body.get("errors", []):
        # Every error is the client's (bad input, or a field that needs a key), with a stable code.
        assert error["message"] and error["extensions"]["code"] != "INTERNAL_SERVER_ERROR", error
    assert "Traceback" not in response.text
