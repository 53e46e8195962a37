"""No N+1: the number of SQL statements depends on a query's depth, not on the length of its lists."""

from __future__ import annotations

from sqlalchemy import Engine
from starlette.testclient import TestClient

from tests.content_api.graphql_site import build_site, client, client_without_json_plans, graphql, statements

__all__ = ["client", "client_without_json_plans"]

LIST_QUERY = """query($first: Int!) {
  posts(first: $first) { edges { node { authors { name } tags { name } } } }
}"""


def test_fifty_posts_with_authors_and_tags_take_three_statements(
    engine: Engine, client_without_json_plans: TestClient
) -> None:
    build_site(engine, extra_published=60)

    with statements(engine) as fifty:
        answer = graphql(client_without_json_plans, LIST_QUERY, {"first": 50})
    edges = answer["data"]["posts"]["edges"]
    assert len(edges) == 50
    assert all(edge["node"]["authors"] and edge["node"]["tags"] for edge in edges)
    # One for the page, one for all authors, one for all tags.
    assert len(fifty) == 3, fifty

    with statements(engine) as five:
        graphql(client_without_json_plans, LIST_QUERY, {"first": 5})
    assert len(five) == len(fifty)


def test_nested_connections_are_batched_too(engine: Engine, client: TestClient) -> None:
    build_site(engine, extra_published=30)
    query = """{
      people(first: 10) { totalCount edges { node { name avatar { url }
        posts(first: 5) {
          totalCount edges { node { title authors { name } tags { name } featureImage { url } } }
        }
      } } }
      tags { name posts(first: 3) { totalCount edges { node { slug } } } }
    }"""
    with statements(engine) as seen:
        answer = graphql(client, query)
    assert "errors" not in answer
    assert len(answer["data"]["people"]["edges"]) == 4
    # people page + count, avatars, posts per person + counts, authors, tags, feature images,
    # tag list, posts per tag + counts.
    assert len(seen) <= 11, seen


def test_feature_images_come_with_their_posts(engine: Engine, client: TestClient) -> None:
    build_site(engine, extra_published=10)
    query = "query($first: Int!) { posts(first: $first) { edges { node { featureImage { url width } } } } }"
    with statements(engine) as seen:
        answer = graphql(client, query, {"first": 50})
    images = [edge["node"]["featureImage"] for edge in answer["data"]["posts"]["edges"]]
    assert any(image is not None for image in images)
    # The page only: each post's feature image is joined to it.
    assert len(seen) == 1, seen


def test_lists_read_bodies_only_when_asked_and_then_in_one_statement(
    engine: Engine, client_without_json_plans: TestClient
) -> None:
    build_site(engine, extra_published=20)
    query = "query($first: Int!) { posts(first: $first) { edges { node { slug %s } } } }"
    with statements(engine) as without:
        graphql(client_without_json_plans, query % "", {"first": 20})
    assert len(without) == 1 and "posts.body_html" not in without[0], without

    with statements(engine) as with_bodies:
        answer = graphql(client_without_json_plans, query % "bodyHtml", {"first": 20})
    nodes = [edge["node"] for edge in answer["data"]["posts"]["edges"]]
    assert len(nodes) == 20 and all(node["bodyHtml"].startswith("<") for node in nodes), nodes[:2]
    # The page, then every body at once.
    assert len(with_bodies) == 2 and "posts.body_html" in with_bodies[1], with_bodies

    # A single post is read with its body: no second statement.
    with statements(engine) as single:
        post = graphql(client_without_json_plans, '{ post(slug: "allotment-opens") { bodyHtml } }')["data"][
            "post"
        ]
    assert post["bodyHtml"] and len(single) == 1, single
