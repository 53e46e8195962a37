"""Preview: a `read:drafts` key sees drafts and scheduled posts through the same queries anonymous
readers use; anonymous readers and keys without that scope never do. Both databases."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from content_api.schema.pagination import global_id
from content_api.store.db import write_engine
from content_api.store.tables import posts
from content_api.store.writes import PostFields, create_post, find_post, soft_delete
from tests.content_api.publishing_helpers import GOOD_BODY, PUBLISH, api, gql, seed, token

QUERY = """query($slug: String!, $id: ID!) {
  post(slug: $slug) { slug status }
  posts { totalCount edges { node { slug } } }
  search(query: "quokka") { totalCount edges { node { slug } } }
  node(id: $id) { ... on Post { slug } }
  person(slug: "ana-lima") { posts { totalCount } }
  tags { slug }
}"""


def test_preview_sees_drafts_everywhere_and_nobody_else_does(engine: Engine, tmp_path: Path):
    seed(engine, tmp_path / "site")
    with write_engine(engine).begin() as conn:
        draft_id = create_post(
            conn,
            PostFields(
                title="Quokka visit planned",
                slug="quokka",
                body_source=GOOD_BODY + "\nA quokka may visit.\n",
                lang="en-GB",
                authors=["ana-lima"],
                tags=["Secret plans"],
            ),
        )
        create_post(conn, PostFields(title="Gone", slug="gone", body_source="quokka", lang="en"))
        gone = find_post(conn, slug="gone")
        assert gone is not None
        soft_delete(conn, gone)
    preview = token(engine, "read:drafts")
    writer = token(engine, "write", "publish")
    variables = {"slug": "quokka", "id": global_id("Post", draft_id)}
    with api(engine) as client:
        for key in (None, writer):
            hidden = gql(client, QUERY, variables, key)["data"]
            assert hidden == {
                "post": None,
                "posts": {"totalCount": 0, "edges": []},
                "search": {"totalCount": 0, "edges": []},
                "node": None,
                "person": {"posts": {"totalCount": 0}},
                "tags": [],
            }
        seen = gql(client, QUERY, variables, preview)["data"]
        assert seen == {
            "post": {"slug": "quokka", "status": "DRAFT"},
            "posts": {"totalCount": 1, "edges": [{"node": {"slug": "quokka"}}]},
            "search": {"totalCount": 1, "edges": [{"node": {"slug": "quokka"}}]},
            "node": {"slug": "quokka"},
            "person": {"posts": {"totalCount": 1}},
            "tags": [{"slug": "secret-plans"}],
        }
        # The audit of a post is for preview keys only.
        gql(client, PUBLISH, {"slug": "quokka"}, writer)
        audit = '{ post(slug: "quokka") { audit { passed } } }'
        assert gql(client, audit, key=preview)["data"]["post"]["audit"] == {"passed": True}
        anonymous = gql(client, audit)
        assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        assert gql(client, audit, key=writer)["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    with engine.connect() as conn:
        assert conn.execute(posts.select().where(posts.c.slug == "gone")).first() is not None


PAGE = """query($after: String, $order: PostOrder) {
  posts(first: 1, after: $after, order: $order) {
    totalCount edges { cursor node { slug } } pageInfo { hasNextPage endCursor }
  }
}"""


def test_preview_pages_through_undated_drafts_in_both_orders(engine: Engine, tmp_path: Path):
    seed(engine, tmp_path / "site")
    with write_engine(engine).begin() as conn:
        for slug in ("draft-one", "draft-two"):  # drafts have no published date
            create_post(conn, PostFields(title=slug, slug=slug, body_source=GOOD_BODY, lang="en-GB"))
    preview = token(engine, "read:drafts")
    with api(engine) as client:
        for order in ("PUBLISHED_DESC", "PUBLISHED_ASC"):
            seen: list[str] = []
            after = None
            while True:
                page = gql(client, PAGE, {"after": after, "order": order}, preview)["data"]["posts"]
                seen += [edge["node"]["slug"] for edge in page["edges"]]
                if not page["pageInfo"]["hasNextPage"]:
                    break
                after = page["pageInfo"]["endCursor"]
            assert len(seen) == len(set(seen)) == page["totalCount"]
            assert {"draft-one", "draft-two"} <= set(seen)
            # Undated drafts come first when newest come first, and last the other way round.
            undated = seen[:2] if order == "PUBLISHED_DESC" else seen[-2:]
            assert set(undated) == {"draft-one", "draft-two"}
