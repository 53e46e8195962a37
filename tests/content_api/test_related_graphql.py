"""Related news over GraphQL: `Post.related(first)`, `relatedNews(slug, first)`, reasons, bad input, and
a number of SQL statements that does not grow with the number of posts listed."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from starlette.testclient import TestClient

from content_api.store.db import write_engine
from tests.content_api.graphql_site import client, client_without_json_plans, graphql, statements
from tests.content_api.publishing_helpers import api, gql, token
from tests.content_api.test_related import (
    FOOD,
    FOOD_2,
    FOOD_3,
    GARDEN,
    GARDEN_2,
    GARDEN_3,
    REPAIR,
    REPAIR_2,
    RelatedSite,
    build_related_site,
    refresh,
)

__all__ = ["client", "client_without_json_plans"]


@pytest.fixture
def site(engine: Engine) -> RelatedSite:
    built = build_related_site(engine)
    refresh(engine)
    return built


RELATED_QUERY = """query($slug: String!, $first: Int!) {
  post(slug: $slug) { slug related(first: $first) {
    id slug title score reason { pinned tags people terms } authors { name } related(first: 1) { slug }
  } }
}"""


def test_post_related_lists_posts_with_their_reasons(site: RelatedSite, client: TestClient) -> None:
    answer = graphql(client, RELATED_QUERY, {"slug": "food-parcels", "first": 3})
    assert "errors" not in answer, answer
    related = answer["data"]["post"]["related"]
    assert len(related) == 3
    slugs = [entry["slug"] for entry in related]
    assert set(slugs[:2]) == {"food-donations", "food-fridge"}
    assert "food-draft" not in slugs and "food-parcels" not in slugs
    scores = [entry["score"] for entry in related]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0
    by_slug = {entry["slug"]: entry for entry in related}
    assert by_slug["food-donations"]["reason"]["tags"] == ["Food bank"]
    assert by_slug["food-fridge"]["reason"]["people"] == ["Dev Patel"]
    assert not any(entry["reason"]["pinned"] for entry in related)
    assert by_slug["food-fridge"]["authors"] == [{"name": "Ann Editor"}]
    # A related post is a post like any other: same global id, and its own related news.
    post_id = graphql(client, '{ post(slug: "food-fridge") { id } }')["data"]["post"]["id"]
    assert by_slug["food-fridge"]["id"] == post_id
    assert len(by_slug["food-fridge"]["related"]) == 1


def test_related_news_by_slug_defaults_to_three(site: RelatedSite, client: TestClient) -> None:
    answer = graphql(client, '{ relatedNews(slug: "toaster") { slug reason { tags } } }')
    assert "errors" not in answer, answer
    entries = answer["data"]["relatedNews"]
    assert len(entries) == 3
    assert entries[0] == {"slug": "bicycles", "reason": {"tags": ["Repair café"]}}
    default = graphql(client, '{ post(slug: "toaster") { related { slug } } }')["data"]["post"]["related"]
    assert [entry["slug"] for entry in default] == [entry["slug"] for entry in entries]


def test_unknown_or_draft_slugs_answer_null_and_drafts_are_never_listed(
    site: RelatedSite, client: TestClient
) -> None:
    answer = graphql(
        client,
        '{ a: relatedNews(slug: "no-such-post") { slug } b: relatedNews(slug: "food-draft") { slug } }',
    )
    assert answer["data"] == {"a": None, "b": None}
    everything = graphql(client, "{ posts(first: 50) { edges { node { related(first: 10) { slug } } } } }")
    listed = {
        entry["slug"] for edge in everything["data"]["posts"]["edges"] for entry in edge["node"]["related"]
    }
    assert listed and "food-draft" not in listed


@pytest.mark.parametrize("first", [-1, 11, 1000])
def test_first_out_of_range_is_a_bad_user_input_error(
    site: RelatedSite, client: TestClient, first: int
) -> None:
    for query in (
        f'{{ post(slug: "toaster") {{ related(first: {first}) {{ slug }} }} }}',
        f'{{ relatedNews(slug: "toaster", first: {first}) {{ slug }} }}',
    ):
        answer = graphql(client, query)
        assert answer["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", answer
        assert "between 0 and 10" in answer["errors"][0]["message"]


def test_first_zero_is_an_empty_list(site: RelatedSite, client: TestClient) -> None:
    answer = graphql(client, '{ relatedNews(slug: "toaster", first: 0) { slug } }')
    assert answer["data"] == {"relatedNews": []}


def test_pinned_posts_say_so(engine: Engine, client: TestClient) -> None:
    site = RelatedSite(engine)
    with write_engine(engine).begin() as conn:
        site.post(conn, "food", FOOD, pinned=["repair"])
        site.post(conn, "food-2", FOOD_2)
        site.post(conn, "repair", REPAIR)
    refresh(engine)
    answer = graphql(client, '{ relatedNews(slug: "food", first: 2) { slug reason { pinned } } }')
    assert answer["data"]["relatedNews"] == [
        {"slug": "repair", "reason": {"pinned": True}},
        {"slug": "food-2", "reason": {"pinned": False}},
    ]


LIST_QUERY = "query($first: Int!) { posts(first: $first) { edges { node { related { title } } } } }"


def test_related_for_a_list_of_posts_takes_a_fixed_number_of_statements(
    engine: Engine, client_without_json_plans: TestClient
) -> None:
    site = RelatedSite(engine)
    texts = (FOOD, FOOD_2, FOOD_3, GARDEN, GARDEN_2, GARDEN_3, REPAIR, REPAIR_2)
    with write_engine(engine).begin() as conn:
        for copy in range(3):
            for number, text in enumerate(texts):
                site.post(conn, f"post-{copy}-{number}", text)
    refresh(engine)

    with statements(engine) as twenty:
        answer = graphql(client_without_json_plans, LIST_QUERY, {"first": 20})
    edges = answer["data"]["posts"]["edges"]
    assert len(edges) == 20
    assert all(len(edge["node"]["related"]) == 3 for edge in edges)
    # One for the page, one for the stored lists of all twenty posts with the posts they name
    # (and at most one for the response cache's content version).
    work = [statement for statement in twenty if "site_state" not in statement]
    assert len(work) == 2, twenty
    assert sum("post_related" in statement for statement in twenty) == 1

    with statements(engine) as five:
        graphql(client_without_json_plans, LIST_QUERY, {"first": 5})
    assert len([statement for statement in five if "site_state" not in statement]) == len(work)


PIN = """mutation($input: UpdatePostInput!) {
  updatePost(input: $input) {
    __typename
    ... on InvalidInput { problems { field message } }
  }
}"""


def test_editors_pin_related_posts_through_the_api(site: RelatedSite, engine: Engine) -> None:
    editor = token(engine, "write", "read:drafts")
    with api(engine) as http:
        self_pin = gql(
            http, PIN, {"input": {"slug": "toaster", "version": 1, "related": ["toaster"]}}, editor
        )
        assert self_pin["data"]["updatePost"]["problems"] == [
            {"field": "related", "message": "a post cannot be related to itself"}
        ]
        unknown = gql(http, PIN, {"input": {"slug": "toaster", "version": 1, "related": ["nope"]}}, editor)
        assert unknown["data"]["updatePost"]["problems"][0]["field"] == "related"

        pinned = {"slug": "toaster", "version": 1, "related": ["seed-swap", "food-draft"]}
        assert gql(http, PIN, {"input": pinned}, editor)["data"]["updatePost"]["__typename"] == "PostSaved"
        entries = gql(http, '{ relatedNews(slug: "toaster") { slug reason { pinned } } }')["data"]
        # The pin comes first; the pinned draft stays out until it is published.
        assert entries["relatedNews"][:2] == [
            {"slug": "seed-swap", "reason": {"pinned": True}},
            {"slug": "bicycles", "reason": {"pinned": False}},
        ]

        unpin = {"slug": "toaster", "version": 2, "related": []}
        assert gql(http, PIN, {"input": unpin}, editor)["data"]["updatePost"]["__typename"] == "PostSaved"
        entries = gql(http, '{ relatedNews(slug: "toaster", first: 1) { slug reason { pinned } } }')["data"]
        assert entries["relatedNews"] == [{"slug": "bicycles", "reason": {"pinned": False}}]
