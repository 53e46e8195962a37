"""Published means public: no anonymous path reaches a draft or a scheduled post."""

from __future__ import annotations

import json
from typing import Any

from starlette.testclient import TestClient

from content_api.schema.pagination import global_id, post_cursor
from content_api.store.queries import PostKey
from tests.content_api.graphql_site import FIRST_DAY, SECRET_WORDS, Site, client, graphql, site

__all__ = ["client", "site"]

HIDDEN = ("draft-merger", "scheduled-gala")


def _answer_text(answer: dict[str, Any]) -> str:
    return json.dumps(answer).lower()


def _assert_no_secret(answer: dict[str, Any]) -> None:
    text = _answer_text(answer)
    for word in (*SECRET_WORDS, *HIDDEN, "secret plans", "draft-only"):
        assert word not in text, f"{word!r} leaked in {answer}"


def test_hidden_posts_are_not_found_by_slug(client: TestClient, site: Site) -> None:
    for slug in HIDDEN:
        answer = graphql(client, "query($s: String!) { post(slug: $s) { id title } }", {"s": slug})
        assert answer["data"] == {"post": None}
        assert "errors" not in answer


def test_hidden_posts_are_not_in_lists_or_counts(client: TestClient, site: Site) -> None:
    query = """{
      all: posts(first: 100) { totalCount edges { node { slug title } } }
      oldest: posts(first: 100, order: PUBLISHED_ASC) { totalCount edges { node { slug } } }
      foodBank: posts(first: 100, filter: {tag: "food-bank"}) { totalCount edges { node { slug } } }
      secretTag: posts(first: 100, filter: {tag: "secret"}) { totalCount edges { node { slug } } }
      byAlice: posts(first: 100, filter: {author: "alice-ng"}) { totalCount edges { node { slug } } }
      aboutBob: posts(first: 100, filter: {person: "bob-price"}) { totalCount edges { node { slug } } }
      late: posts(first: 100, filter: {publishedAfter: "2025-02-15T00:00:00Z"}) {
        totalCount edges { node { slug } }
      }
    }"""
    answer = graphql(client, query)
    data = answer["data"]
    assert data["all"]["totalCount"] == 5
    assert data["oldest"]["totalCount"] == 5
    assert data["foodBank"]["totalCount"] == 3
    assert data["secretTag"] == {"totalCount": 0, "edges": []}
    assert data["byAlice"]["totalCount"] == 3
    assert [e["node"]["slug"] for e in data["aboutBob"]["edges"]] == ["allotment-opens"]
    assert data["late"] == {"totalCount": 0, "edges": []}
    _assert_no_secret(answer)


def test_hidden_posts_are_not_in_a_persons_or_a_tags_posts(client: TestClient, site: Site) -> None:
    query = """{
      alice: person(slug: "alice-ng") { posts(first: 100) { totalCount edges { node { slug } } } }
      dee: person(slug: "dee-okafor") { posts(first: 100) { totalCount edges { node { slug } } } }
      people(first: 100) { edges { node { slug posts(first: 100) { totalCount edges { node { slug } } } } } }
      tags { slug name posts(first: 100) { totalCount edges { node { slug } } } }
    }"""
    answer = graphql(client, query)
    data = answer["data"]
    assert data["alice"]["posts"]["totalCount"] == 3
    assert data["dee"]["posts"]["totalCount"] == 1
    # The tag that only the draft carries does not exist for readers.
    assert [tag["slug"] for tag in data["tags"]] == ["food-bank", "youth"]
    _assert_no_secret(answer)


def test_hidden_posts_are_not_found_by_search(client: TestClient, site: Site) -> None:
    for words in (*SECRET_WORDS, "merger plans", "gala", "secret"):
        answer = graphql(
            client,
            "query($q: String!) { search(query: $q, first: 100) { totalCount edges { node { slug } } } }",
            {"q": words},
        )
        assert answer["data"]["search"] == {"totalCount": 0, "edges": []}, words


def test_hidden_posts_and_tags_are_not_found_by_node_id(client: TestClient, site: Site) -> None:
    query = "query($id: ID!) { node(id: $id) { id } }"
    hidden_ids = [global_id("Post", site.posts[slug]) for slug in HIDDEN] + [
        global_id("Tag", site.tags["secret"])
    ]
    missing_ids = [global_id("Post", 999_999), global_id("Tag", 999_999)]
    answers = [graphql(client, query, {"id": node_id}) for node_id in hidden_ids + missing_ids]
    # A hidden object answers exactly like one that does not exist.
    assert all(answer == {"data": {"node": None}, "_status": 200} for answer in answers)


def test_a_cursor_pointing_at_a_draft_reveals_nothing(client: TestClient, site: Site) -> None:
    draft_key = PostKey(FIRST_DAY.replace(day=20, month=2), site.posts["draft-merger"])
    answer = graphql(
        client,
        "query($after: String) { posts(first: 100, after: $after) { totalCount edges { node { slug } } } }",
        {"after": post_cursor(draft_key)},
    )
    assert answer["data"]["posts"]["totalCount"] == 5
    assert [e["node"]["slug"] for e in answer["data"]["posts"]["edges"]] == [
        "repair-cafe",
        "new-trustees",
        "winter-appeal",
        "youth-club-trip",
        "allotment-opens",
    ]


def test_images_only_a_draft_uses_are_not_served(client: TestClient, site: Site) -> None:
    assert client.get("/images/draft-only.png").status_code == 404
    assert client.get("/images/unused.png").status_code == 404
    assert client.get("/images/feature-garden.png").status_code == 200
