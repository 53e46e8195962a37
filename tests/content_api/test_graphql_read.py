"""The read API over a known site, on SQLite and PostgreSQL: the post page, lists, filters, search, node."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from tests.content_api.graphql_site import Site, client, client_without_json_plans, graphql, site

__all__ = ["client", "client_without_json_plans", "site"]

POST_PAGE = """
query PostPage($slug: String!) {
  post(slug: $slug) {
    id slug title summary bodyHtml publishedAt updatedAt lang readingTimeMinutes
    featureImage { url alt caption width height }
    authors { slug name pronouns role avatar { url alt width height } }
    people { slug name pronouns }
    tags { slug name }
  }
}
"""


def _data(answer: dict[str, Any]) -> dict[str, Any]:
    assert answer["_status"] == 200, answer
    assert "errors" not in answer, answer["errors"]
    data: dict[str, Any] = answer["data"]
    return data


def _slugs(connection: dict[str, Any]) -> list[str]:
    return [edge["node"]["slug"] for edge in connection["edges"]]


def test_post_page_answers_post_authors_tags_and_feature_image(client: TestClient, site: Site) -> None:
    post = _data(graphql(client, POST_PAGE, {"slug": "allotment-opens"}))["post"]

    assert post["title"] == "The allotment opens"
    assert post["publishedAt"] == "2025-01-01T09:00:00+00:00"
    assert post["lang"] == "en-GB"
    assert '<img src="/images/in-body.png" alt="Seed trays on a bench">' in post["bodyHtml"]
    assert post["featureImage"] == {
        "url": "http://news.test/images/feature-garden.png",
        "alt": "Raised beds with young plants",
        "caption": "The new beds in January",
        "width": 1200,
        "height": 675,
    }
    assert post["authors"] == [
        {
            "slug": "alice-ng",
            "name": "Alice Ng",
            "pronouns": "she/her",
            "role": "Food bank coordinator",
            "avatar": {
                "url": "http://news.test/images/avatar-alice.png",
                "alt": "Alice smiling in the garden",
                "width": 400,
                "height": 400,
            },
        }
    ]
    # Bob recorded pronouns but did not consent to show them.
    assert post["people"] == [{"slug": "bob-price", "name": "Bob Price", "pronouns": None}]
    assert post["tags"] == [{"slug": "food-bank", "name": "Food bank"}]


def test_authors_keep_byline_order_and_only_consented_pronouns(client: TestClient, site: Site) -> None:
    post = _data(graphql(client, POST_PAGE, {"slug": "youth-club-trip"}))["post"]
    assert [(a["slug"], a["pronouns"]) for a in post["authors"]] == [
        ("dee-okafor", "they/them"),
        ("alice-ng", "she/her"),
    ]
    people = _data(graphql(client, "{ people(first: 10) { edges { node { slug pronouns } } } }"))["people"]
    assert {edge["node"]["slug"]: edge["node"]["pronouns"] for edge in people["edges"]} == {
        "alice-ng": "she/her",
        "bob-price": None,
        "carol-jones": None,
        "dee-okafor": "they/them",
    }


def test_unknown_slugs_answer_null(client: TestClient, site: Site) -> None:
    data = _data(graphql(client, '{ post(slug: "no-such-post") { id } person(slug: "nobody") { id } }'))
    assert data == {"post": None, "person": None}


def test_posts_pages_with_cursors_and_total_count(client: TestClient, site: Site) -> None:
    query = """query Page($after: String) {
      posts(first: 2, after: $after) {
        totalCount
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { slug } }
      }
    }"""
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        connection = _data(graphql(client, query, {"after": after}))["posts"]
        pages += 1
        assert connection["totalCount"] == 5
        edges = connection["edges"]
        assert connection["pageInfo"]["startCursor"] == edges[0]["cursor"]
        assert connection["pageInfo"]["endCursor"] == edges[-1]["cursor"]
        seen += _slugs(connection)
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    assert pages == 3
    assert seen == site.published_newest_first


def test_first_zero_gives_no_edges_but_the_total(client: TestClient, site: Site) -> None:
    connection = _data(
        graphql(client, "{ posts(first: 0) { totalCount pageInfo { hasNextPage } edges { cursor } } }")
    )
    assert connection["posts"] == {"totalCount": 5, "pageInfo": {"hasNextPage": True}, "edges": []}


def test_both_orders(client: TestClient, site: Site) -> None:
    query = "query($order: PostOrder!) { posts(first: 10, order: $order) { edges { node { slug } } } }"
    newest = _slugs(_data(graphql(client, query, {"order": "PUBLISHED_DESC"}))["posts"])
    oldest = _slugs(_data(graphql(client, query, {"order": "PUBLISHED_ASC"}))["posts"])
    assert newest == site.published_newest_first
    assert oldest == list(reversed(newest))

    # A cursor is a position, so paging ascending from the second-oldest post continues in that order.
    first_page = _data(
        graphql(
            client,
            "{ posts(first: 2, order: PUBLISHED_ASC) { pageInfo { endCursor } edges { node { slug } } } }",
        )
    )["posts"]
    rest = _data(
        graphql(
            client,
            """query($after: String) {
              posts(first: 10, after: $after, order: PUBLISHED_ASC) { edges { node { slug } } }
            }""",
            {"after": first_page["pageInfo"]["endCursor"]},
        )
    )["posts"]
    assert _slugs(first_page) + _slugs(rest) == oldest


def test_filters_by_tag_author_person_and_dates(client: TestClient, site: Site) -> None:
    query = """query($filter: PostFilter) {
      posts(first: 20, filter: $filter, order: PUBLISHED_ASC) { totalCount edges { node { slug } } }
    }"""

    def slugs(filter_: dict[str, Any]) -> tuple[list[str], int]:
        connection = _data(graphql(client, query, {"filter": filter_}))["posts"]
        return _slugs(connection), connection["totalCount"]

    assert slugs({"tag": "food-bank"}) == (["allotment-opens", "winter-appeal", "repair-cafe"], 3)
    assert slugs({"author": "alice-ng"}) == (["allotment-opens", "youth-club-trip", "repair-cafe"], 3)
    assert slugs({"person": "alice-ng"}) == (["new-trustees"], 1)
    assert slugs({"tag": "youth", "author": "alice-ng"}) == (["youth-club-trip", "repair-cafe"], 2)
    # publishedAfter is inclusive, publishedBefore exclusive; a time without offset is UTC.
    assert slugs(
        {"publishedAfter": "2025-01-11T09:00:00+00:00", "publishedBefore": "2025-01-31T09:00:00"}
    ) == (
        ["youth-club-trip", "winter-appeal"],
        2,
    )
    assert slugs({"tag": "no-such-tag"}) == ([], 0)


def test_a_persons_and_a_tags_posts(client: TestClient, site: Site) -> None:
    query = """{
      person(slug: "alice-ng") {
        posts(first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { node { slug } } }
      }
      tags { slug posts(first: 1) { totalCount edges { node { slug } } } }
    }"""
    data = _data(graphql(client, query))
    alice_posts = data["person"]["posts"]
    assert alice_posts["totalCount"] == 3
    assert _slugs(alice_posts) == ["repair-cafe", "youth-club-trip"]
    assert alice_posts["pageInfo"]["hasNextPage"] is True
    rest = _data(
        graphql(
            client,
            """query($after: String) {
              person(slug: "alice-ng") { posts(first: 5, after: $after) { edges { node { slug } } } }
            }""",
            {"after": alice_posts["pageInfo"]["endCursor"]},
        )
    )["person"]["posts"]
    assert _slugs(rest) == ["allotment-opens"]
    assert {tag["slug"]: (tag["posts"]["totalCount"], _slugs(tag["posts"])) for tag in data["tags"]} == {
        "food-bank": (3, ["repair-cafe"]),
        "youth": (2, ["repair-cafe"]),
    }


def test_people_are_listed_by_name_with_cursors(client: TestClient, site: Site) -> None:
    query = """query($after: String) {
      people(first: 3, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { name } }
      }
    }"""
    first = _data(graphql(client, query))["people"]
    assert first["totalCount"] == 4
    assert [e["node"]["name"] for e in first["edges"]] == ["Alice Ng", "Bob Price", "Carol Jones"]
    second = _data(graphql(client, query, {"after": first["pageInfo"]["endCursor"]}))["people"]
    assert [e["node"]["name"] for e in second["edges"]] == ["Dee Okafor"]
    assert second["pageInfo"]["hasNextPage"] is False


def test_search_ranks_a_title_match_above_a_body_mention(client: TestClient, site: Site) -> None:
    query = """query($q: String!, $after: String) {
      search(query: $q, first: 1, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { slug } }
      }
    }"""
    first = _data(graphql(client, query, {"q": "allotment"}))["search"]
    assert first["totalCount"] == 2
    assert _slugs(first) == ["allotment-opens"]
    second = _data(graphql(client, query, {"q": "allotment", "after": first["pageInfo"]["endCursor"]}))[
        "search"
    ]
    assert _slugs(second) == ["youth-club-trip"]
    assert second["pageInfo"]["hasNextPage"] is False
    # Query syntax from users is only words: no error, just matches.
    odd = _data(graphql(client, query, {"q": '"allotment* (', "after": None}))["search"]
    assert _slugs(odd) == ["allotment-opens"]
    assert _data(graphql(client, query, {"q": "   "}))["search"] == {
        "totalCount": 0,
        "pageInfo": {"hasNextPage": False, "endCursor": None},
        "edges": [],
    }


def test_node_fetches_posts_people_and_tags_by_global_id(client: TestClient, site: Site) -> None:
    ids = _data(graphql(client, '{ post(slug: "repair-cafe") { id tags { id } authors { id } } }'))["post"]
    query = """query($id: ID!) { node(id: $id) { __typename id
      ... on Post { slug } ... on Person { slug } ... on Tag { slug } } }"""
    post = _data(graphql(client, query, {"id": ids["id"]}))["node"]
    assert post == {"__typename": "Post", "id": ids["id"], "slug": "repair-cafe"}
    tag = _data(graphql(client, query, {"id": ids["tags"][0]["id"]}))["node"]
    assert (tag["__typename"], tag["slug"]) == ("Tag", "youth")
    person = _data(graphql(client, query, {"id": ids["authors"][0]["id"]}))["node"]
    assert (person["__typename"], person["slug"]) == ("Person", "alice-ng")
    # Ids are distinct across types even for equal primary keys.
    assert len({ids["id"], ids["tags"][0]["id"], ids["authors"][0]["id"]}) == 3


def test_image_urls_follow_the_host_the_request_came_to(client: TestClient, site: Site) -> None:
    query = '{ post(slug: "allotment-opens") { featureImage { url } } }'
    urls = []
    for host in ("news.test", "other.example:8080", "news.test"):
        response = client.post(
            "/graphql", json={"query": query}, headers={"Accept": "application/json", "Host": host}
        )
        urls.append(response.json()["data"]["post"]["featureImage"]["url"])
    assert urls == [
        "http://news.test/images/feature-garden.png",
        "http://other.example:8080/images/feature-garden.png",
        "http://news.test/images/feature-garden.png",
    ]


def test_a_post_taken_down_while_its_list_is_read_is_not_served(
    client_without_json_plans: TestClient, site: Site, monkeypatch: Any
) -> None:
    from content_api.store import queries

    # The page of posts is read; before the bodies are, every post is taken down. (A JSON plan reads
    # the bodies in the page's own statement, so this is about compiled plans and graphql-core.)
    monkeypatch.setattr(queries, "post_bodies", lambda conn, scope, ids: {})
    answer = graphql(client_without_json_plans, "{ posts(first: 2) { edges { node { slug bodyHtml } } } }")
    assert answer["_status"] == 200
    assert answer["data"] is None or answer["data"]["posts"] is None
    codes = {error["extensions"]["code"] for error in answer["errors"]}
    assert codes == {"NOT_FOUND"}
    assert "taken down" in answer["errors"][0]["message"]


def test_bodies_are_only_read_for_visible_posts(engine: Any, site: Site) -> None:
    from sqlalchemy import select

    from content_api.store import queries
    from content_api.store.tables import posts

    with engine.connect() as conn:
        ids = dict(conn.execute(select(posts.c.slug, posts.c.id)).all())
        bodies = queries.post_bodies(conn, queries.PUBLIC, list(ids.values()))
        visible = queries.posts_by_ids(conn, queries.PUBLIC, list(ids.values()))
    assert set(bodies) == set(visible) and len(bodies) < len(ids)
    assert all(bodies[post_id] == record.body_html for post_id, record in visible.items())
