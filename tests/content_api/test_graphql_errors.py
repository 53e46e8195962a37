"""Bad input gets GraphQL errors with stable codes; server faults never leak their details."""

from __future__ import annotations

import base64
import logging
from typing import Any

import pytest
from starlette.testclient import TestClient

from content_api.schema.pagination import global_id, person_cursor, post_cursor, search_cursor
from content_api.store import queries as store
from content_api.store.queries import PersonKey, PostKey
from tests.content_api.graphql_site import FIRST_DAY, Site, client, client_without_json_plans, graphql, site

__all__ = ["client", "client_without_json_plans", "site"]


def _codes(answer: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in answer.get("errors", [])]


@pytest.mark.parametrize("first", [101, -1, 10_000])
def test_first_out_of_range_is_bad_user_input(client: TestClient, site: Site, first: int) -> None:
    for query in (
        "query($n: Int!) { posts(first: $n) { totalCount } }",
        "query($n: Int!) { people(first: $n) { totalCount } }",
        'query($n: Int!) { search(query: "allotment", first: $n) { totalCount } }',
        'query($n: Int!) { person(slug: "alice-ng") { posts(first: $n) { totalCount } } }',
        "query($n: Int!) { tags { posts(first: $n) { totalCount } } }",
    ):
        answer = graphql(client, query, {"n": first})
        assert answer["_status"] == 200
        assert set(_codes(answer)) == {"BAD_USER_INPUT"}, answer
        assert "between 0 and 100" in answer["errors"][0]["message"]


def test_first_at_the_limits_is_accepted(client: TestClient, site: Site) -> None:
    for first in (0, 100):
        answer = graphql(client, "query($n: Int!) { posts(first: $n) { totalCount } }", {"n": first})
        assert "errors" not in answer


MALFORMED_CURSORS = [
    "not-a-cursor",
    "%%%",
    base64.urlsafe_b64encode(b"[1,2,3]").decode(),
    base64.urlsafe_b64encode(b'["p", "yesterday", 3]').decode(),
    base64.urlsafe_b64encode(b'["p", null, -3]').decode(),
    base64.urlsafe_b64encode(b'["p", "2025-01-01T00:00:00", 99999999999999999999999]').decode(),
    "",
]


@pytest.mark.parametrize("cursor", MALFORMED_CURSORS)
def test_malformed_cursors_are_bad_user_input(client: TestClient, site: Site, cursor: str) -> None:
    for query in (
        "query($c: String) { posts(after: $c) { totalCount } }",
        "query($c: String) { people(after: $c) { totalCount } }",
        'query($c: String) { search(query: "x", after: $c) { totalCount } }',
        "query($c: String) { tag: tags { posts(after: $c) { totalCount } } }",
    ):
        answer = graphql(client, query, {"c": cursor})
        assert set(_codes(answer)) == {"BAD_USER_INPUT"}, (query, answer)
        assert answer["errors"][0]["message"] == "Malformed cursor."


def test_a_cursor_of_another_list_is_rejected(client: TestClient, site: Site) -> None:
    cursors = {
        "posts": person_cursor(PersonKey("Alice Ng", 1)),
        "people": post_cursor(PostKey(FIRST_DAY, 1)),
        "search": post_cursor(PostKey(FIRST_DAY, 1)),
    }
    for field, cursor in cursors.items():
        arguments = 'query: "x", ' if field == "search" else ""
        answer = graphql(
            client, f"query($c: String) {{ {field}({arguments}after: $c) {{ totalCount }} }}", {"c": cursor}
        )
        assert _codes(answer) == ["BAD_USER_INPUT"], answer
    answer = graphql(client, "query($c: String) { posts(after: $c) { totalCount } }", {"c": search_cursor(3)})
    assert _codes(answer) == ["BAD_USER_INPUT"]


@pytest.mark.parametrize(
    "node_id",
    [
        "garbage",
        global_id("Post", 1)[:-2],
        base64.urlsafe_b64encode(b'["Secret", 1]').decode(),
        base64.urlsafe_b64encode(b'["Post", "1"]').decode(),
        base64.urlsafe_b64encode(b'["Post", 0]').decode(),
    ],
)
def test_malformed_ids_are_bad_user_input(client: TestClient, site: Site, node_id: str) -> None:
    answer = graphql(client, "query($id: ID!) { node(id: $id) { id } }", {"id": node_id})
    assert answer["data"] == {"node": None}
    assert _codes(answer) == ["BAD_USER_INPUT"]
    assert answer["errors"][0]["message"] == "Malformed id."
    assert answer["errors"][0]["path"] == ["node"]


def test_variables_of_the_wrong_type_are_bad_user_input(client: TestClient, site: Site) -> None:
    answer = graphql(client, "query($n: Int!) { posts(first: $n) { totalCount } }", {"n": "many"})
    assert answer["_status"] == 400
    assert "data" not in answer
    assert _codes(answer) == ["BAD_USER_INPUT"]
    bad_date = graphql(
        client,
        "query($f: PostFilter) { posts(filter: $f) { totalCount } }",
        {"f": {"publishedAfter": "last tuesday"}},
    )
    assert _codes(bad_date) == ["BAD_USER_INPUT"]


def test_parse_and_validation_failures_have_codes(client: TestClient, site: Site) -> None:
    parse = graphql(client, "{ posts(first: ")
    assert (parse["_status"], _codes(parse)) == (400, ["GRAPHQL_PARSE_FAILED"])
    invalid = graphql(client, "{ posts { nope } }")
    assert (invalid["_status"], _codes(invalid)) == (400, ["GRAPHQL_VALIDATION_FAILED"])


def test_server_faults_are_masked_and_logged(
    client_without_json_plans: TestClient,
    site: Site,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError('SELECT password FROM users WHERE path = "/srv/content.db"')

    # The fault is in a resolver's store call: JSON plans (one statement, no resolvers) are off.
    monkeypatch.setattr(store, "tags_by_post", broken)
    with caplog.at_level(logging.ERROR, logger="content_api.graphql"):
        answer = graphql(
            client_without_json_plans, '{ post(slug: "allotment-opens") { title tags { name } } }'
        )
    assert answer["_status"] == 200
    assert answer["data"] == {"post": None} or answer["data"]["post"] is None
    assert answer["errors"] == [
        {
            "message": "Internal server error",
            "locations": [{"line": 1, "column": 41}],
            "path": ["post", "tags"],
            "extensions": {"code": "INTERNAL_SERVER_ERROR"},
        }
    ]
    text = str(answer)
    assert "SELECT" not in text and "/srv" not in text and "Traceback" not in text
    # The operator still sees what happened.
    assert any("SELECT password" in record.getMessage() or record.exc_info for record in caplog.records)


def test_client_mistakes_are_not_logged_as_server_errors(
    client: TestClient, site: Site, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR):
        graphql(client, "{ posts(first: 500) { totalCount } }")
        graphql(client, '{ node(id: "nope") { id } }')
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
