"""Automatic persisted queries (sha256, PersistedQueryNotFound) and the allow-list mode."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from starlette.testclient import TestClient

from content_api.http.limits import Limits, PersistedMode
from content_api.http.persisted import ManifestError, PersistedQueries, load_manifest
from content_api.settings import Settings, SettingsError
from tests.content_api.limits_helpers import LEGACY, NEW, codes, limited_client, site_engine

QUERY = "query($s: String!) { post(slug: $s) { title } }"
VARIABLES = {"s": "winter-appeal"}
ANSWER = {"data": {"post": {"title": "Winter appeal"}}}


def sha(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()


def apq(query_hash: str) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": query_hash}}


def send(client: TestClient, accept: str = NEW, **payload: Any) -> tuple[int, dict[str, Any]]:
    response = client.post("/graphql", json={"variables": VARIABLES, **payload}, headers={"Accept": accept})
    return response.status_code, response.json()


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = site_engine(tmp_path_factory.mktemp("persisted"))
    yield engine
    engine.dispose()


def test_apq_round_trip(engine: Engine) -> None:
    with limited_client(engine) as client:
        status, answer = send(client, extensions=apq(sha(QUERY)))
        assert status == 400
        assert answer == {
            "errors": [
                {"message": "PersistedQueryNotFound", "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"}}
            ]
        }
        # Legacy clients (Apollo's link among them) read the same error from a 200.
        assert send(client, LEGACY, extensions=apq(sha(QUERY)))[0] == 200

        assert send(client, query=QUERY, extensions=apq(sha(QUERY))) == (200, ANSWER)
        assert send(client, extensions=apq(sha(QUERY))) == (200, ANSWER)
        by_url = client.get(
            "/graphql",
            params={"variables": json.dumps(VARIABLES), "extensions": json.dumps(apq(sha(QUERY)))},
            headers={"Accept": NEW},
        )
        assert by_url.status_code == 200 and by_url.json() == ANSWER


def test_a_hash_that_does_not_match_the_query_is_refused(engine: Engine) -> None:
    with limited_client(engine) as client:
        status, answer = send(client, query=QUERY, extensions=apq(sha("{ tags { slug } }")))
        assert status == 400 and codes(answer) == ["BAD_REQUEST"]
        # ... and nothing was stored under that hash.
        assert codes(send(client, extensions=apq(sha("{ tags { slug } }")))[1]) == [
            "PERSISTED_QUERY_NOT_FOUND"
        ]


@pytest.mark.parametrize(
    ("persisted", "code"),
    [
        ({"version": 2, "sha256Hash": "a" * 64}, "PERSISTED_QUERY_NOT_SUPPORTED"),
        ({"version": 1, "sha256Hash": "A" * 64}, "BAD_REQUEST"),
        ({"version": 1, "sha256Hash": "abc"}, "BAD_REQUEST"),
        ({"version": 1}, "BAD_REQUEST"),
        ("x", "BAD_REQUEST"),
    ],
)
def test_malformed_persisted_query_extensions(engine: Engine, persisted: Any, code: str) -> None:
    with limited_client(engine) as client:
        status, answer = send(client, extensions={"persistedQuery": persisted})
    assert status == 400 and codes(answer) == [code]


def test_a_document_over_the_limits_is_not_remembered(engine: Engine) -> None:
    deep = "{ posts { edges { node { authors { posts { totalCount } } } } } }"
    with limited_client(engine, max_depth=3) as client:
        assert codes(send(client, query=deep, extensions=apq(sha(deep)))[1]) == ["QUERY_TOO_DEEP"]
        assert codes(send(client, extensions=apq(sha(deep)))[1]) == ["PERSISTED_QUERY_NOT_FOUND"]


def test_persisted_queries_can_be_turned_off(engine: Engine) -> None:
    with limited_client(engine, persisted_queries=PersistedMode.OFF) as client:
        status, answer = send(client, query=QUERY, extensions=apq(sha(QUERY)))
        assert status == 400 and codes(answer) == ["PERSISTED_QUERY_NOT_SUPPORTED"]
        assert send(client, query=QUERY) == (200, ANSWER)


def _manifest(tmp_path: Path, *documents: str) -> Path:
    path = tmp_path / "persisted-queries.json"
    operations = [
        {"id": sha(body), "body": body, "name": f"Op{i}", "type": "query"} for i, body in enumerate(documents)
    ]
    path.write_text(
        json.dumps({"format": "apollo-persisted-query-manifest", "version": 1, "operations": operations})
    )
    return path


def test_allow_list_runs_only_listed_documents(engine: Engine, tmp_path: Path) -> None:
    manifest = _manifest(tmp_path, QUERY)
    with limited_client(
        engine, persisted_queries=PersistedMode.ALLOWLIST, persisted_query_file=str(manifest)
    ) as client:
        assert send(client, extensions=apq(sha(QUERY))) == (200, ANSWER)
        assert send(client, query=QUERY) == (200, ANSWER)
        assert send(client, query=QUERY, extensions=apq(sha(QUERY))) == (200, ANSWER)
        other = "{ tags { slug } }"
        for payload in (
            {"query": other},
            {"query": other, "extensions": apq(sha(other))},
            {"extensions": apq(sha(other))},
        ):
            status, answer = send(client, **payload)
            assert status == 400 and codes(answer) == ["PERSISTED_QUERY_NOT_IN_LIST"], payload
        # Sending a document with its hash registers nothing in this mode.
        assert codes(send(client, extensions=apq(sha(other)))[1]) == ["PERSISTED_QUERY_NOT_IN_LIST"]


def test_manifest_formats(tmp_path: Path) -> None:
    plain = tmp_path / "plain.json"
    plain.write_text(json.dumps({sha(QUERY): QUERY}))
    listed = tmp_path / "list.json"
    listed.write_text(json.dumps([QUERY, "{ tags { slug } }"]))
    assert load_manifest(plain) == {sha(QUERY): QUERY}
    assert set(load_manifest(listed)) == {sha(QUERY), sha("{ tags { slug } }")}
    assert load_manifest(_manifest(tmp_path, QUERY)) == {sha(QUERY): QUERY}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not valid JSON"),
        (json.dumps({"a" * 64: QUERY}), "is not the SHA-256 of its document"),
        (json.dumps([""]), "without a document"),
        (json.dumps(5), "must be a JSON object or list"),
    ],
)
def test_bad_manifests_are_one_line_settings_errors(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "manifest.json"
    path.write_text(content)
    with pytest.raises(ManifestError, match=message):
        load_manifest(path)
    env = {"CONTENT_API_PERSISTED_QUERIES": "allowlist", "CONTENT_API_PERSISTED_QUERY_FILE": str(path)}
    with pytest.raises(SettingsError, match=message) as raised:
        Settings.from_env(env)
    assert "\n" not in str(raised.value)


def test_allow_list_mode_needs_a_file() -> None:
    with pytest.raises(SettingsError, match="CONTENT_API_PERSISTED_QUERY_FILE"):
        Settings.from_env({"CONTENT_API_PERSISTED_QUERIES": "allowlist"})
    with pytest.raises(SettingsError, match="cannot read"):
        Settings.from_env(
            {
                "CONTENT_API_PERSISTED_QUERIES": "allowlist",
                "CONTENT_API_PERSISTED_QUERY_FILE": "/nonexistent/q.json",
            }
        )


def test_remembered_documents_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("content_api.http.persisted.APQ_CAPACITY", 3)
    queries = PersistedQueries(PersistedMode.APQ)
    documents = [f"{{ t{i}: __typename }}" for i in range(4)]
    for document in documents:
        queries.remember(document, apq(sha(document)))
    assert queries.lookup(sha(documents[0])) is None
    assert [queries.lookup(sha(d)) for d in documents[1:]] == documents[1:]
    # A document sent without the APQ extension is not kept.
    queries.remember("{ plain: __typename }", None)
    assert queries.lookup(sha("{ plain: __typename }")) is None


def test_limits_round_trip_through_the_environment(tmp_path: Path) -> None:
    manifest = _manifest(tmp_path, QUERY)
    limits = Limits(
        max_depth=7,
        max_cost=500,
        rate_limit=2.5,
        rate_burst=4,
        query_timeout=0.5,
        persisted_queries=PersistedMode.ALLOWLIST,
        persisted_query_file=str(manifest),
        introspection=False,
    )
    settings = Settings(database_url="sqlite:///x.db", limits=limits)
    assert Settings.from_env(settings.to_env()).limits == limits
