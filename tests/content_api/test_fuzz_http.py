"""Property-based fuzzing of /graphql with every limit on: valid and invalid generated documents,
malformed payloads and bodies. No answer is a server fault (5xx), every error carries a code, and no
answer contains a traceback, SQL or a file path."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, from_schema, nodes, queries
from sqlalchemy import Engine
from starlette.testclient import TestClient

from content_api.app import create_app
from content_api.http.limits import Limits
from content_api.schema.schema import schema_sdl
from content_api.settings import Settings
from tests.content_api.limits_helpers import NEW, site_engine

# Tight limits, so generated documents land on both sides of each of them.
LIMITS = Limits(
    max_depth=4,
    max_aliases=3,
    max_tokens=200,
    max_query_chars=2000,
    max_cost=400,
    max_body_bytes=4000,
    max_batch=3,
    query_timeout=5,
)
FUZZ = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)
DATETIMES = st.datetimes(
    min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
).map(lambda moment: nodes.String(moment.isoformat()))
SCALARS = {"DateTime": DATETIMES}
LEAKS = ("Traceback", 'File "', "SELECT ", "sqlalchemy", "psycopg", "sqlite3", "/work/", '.py"')
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = site_engine(tmp_path_factory.mktemp("fuzz"))
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def client(engine: Engine) -> Iterator[TestClient]:
    app = create_app(Settings(database_url="unused", limits=LIMITS), engine)
    with TestClient(app, base_url="http://news.test", raise_server_exceptions=False) as test_client:
        yield test_client


def _check(response: Any) -> None:
    assert response.status_code < 500, response.text[:500]
    assert response.status_code in (200, 400, 405, 413, 415), response.text[:500]
    for leak in LEAKS:
        assert leak not in response.text, response.text[:500]
    body = response.json()
    answers = body if isinstance(body, list) else [body]
    for answer in answers:
        assert isinstance(answer, dict)
        for error in answer.get("errors", []):
            assert isinstance(error["message"], str) and error["message"]
            code = error["extensions"]["code"]
            assert isinstance(code, str) and code.isupper()
            assert code != "INTERNAL_SERVER_ERROR", error


def _post(client: TestClient, payload: Any) -> Any:
    # The standard library writes integers of any size, which orjson (and many clients) would not.
    return client.post(
        "/graphql",
        content=json.dumps(payload).encode(),
        headers={"Accept": NEW, "Content-Type": "application/json"},
    )


@FUZZ
@given(document=from_schema(schema_sdl(), custom_scalars=SCALARS))
def test_generated_operations_with_limits_on(client: TestClient, document: str) -> None:
    _check(_post(client, {"query": document}))


@FUZZ
@given(document=queries(schema_sdl(), custom_scalars=SCALARS, mode=Mode.NEGATIVE))
def test_generated_invalid_queries(client: TestClient, document: str) -> None:
    _check(_post(client, {"query": document}))


@FUZZ
@given(
    document=queries(schema_sdl(), custom_scalars=SCALARS),
    cuts=st.lists(
        st.tuples(
            st.integers(0, 10_000), st.sampled_from(["", "{", "}", "(", ":", "...", "$", '"', "@", "\\"])
        ),
        max_size=4,
    ),
)
def test_damaged_documents(client: TestClient, document: str, cuts: list[tuple[int, str]]) -> None:
    for position, insert in cuts:
        at = position % (len(document) + 1)
        document = document[:at] + insert + document[at + 1 :]
    _check(_post(client, {"query": document}))


@FUZZ
@given(
    query=st.one_of(st.text(max_size=200), JSON_VALUES),
    variables=JSON_VALUES,
    operation_name=JSON_VALUES,
    extensions=st.one_of(
        JSON_VALUES,
        st.fixed_dictionaries(
            {
                "persistedQuery": st.fixed_dictionaries(
                    {"version": JSON_VALUES, "sha256Hash": st.text(max_size=70) | JSON_VALUES}
                )
            }
        ),
    ),
)
def test_arbitrary_request_objects(
    client: TestClient, query: Any, variables: Any, operation_name: Any, extensions: Any
) -> None:
    _check(
        _post(
            client,
            {
                "query": query,
                "variables": variables,
                "operationName": operation_name,
                "extensions": extensions,
            },
        )
    )


@FUZZ
@given(payload=JSON_VALUES)
def test_arbitrary_json_bodies(client: TestClient, payload: Any) -> None:
    _check(_post(client, payload))


@FUZZ
@given(
    body=st.binary(max_size=300),
    content_type=st.sampled_from(["application/json", "application/json; charset=utf-16", "text/plain", ""]),
)
def test_arbitrary_bytes(client: TestClient, body: bytes, content_type: str) -> None:
    headers = {"Accept": NEW}
    if content_type:
        headers["Content-Type"] = content_type
    _check(client.post("/graphql", content=body, headers=headers))


@FUZZ
@given(
    params=st.dictionaries(
        st.sampled_from(["query", "variables", "operationName", "extensions"]), st.text(max_size=80)
    )
)
def test_arbitrary_get_parameters(client: TestClient, params: dict[str, str]) -> None:
    _check(client.get("/graphql", params=params, headers={"Accept": NEW}))
