"""An imported content folder with a draft: no anonymous path reaches the draft, on either database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from starlette.testclient import TestClient

from content_api.content import import_folder
from content_api.schema.pagination import global_id
from content_api.store.tables import posts
from tests.content_api.graphql_site import client, graphql, png_bytes

__all__ = ["client"]

PEOPLE = """\
- slug: rhian-evans
  name: Rhian Evans
  pronouns: she/her
  show_pronouns: true
  role: Editor
- slug: tom-hale
  name: Tom Hale
  pronouns: he/him
  role: Treasurer
"""

PUBLISHED = """\
---
title: Library opening hours change
slug: library-hours
date: 2025-03-01
status: published
lang: en-GB
summary: The library now opens on Sundays.
authors: [rhian-evans]
tags: [Library]
feature_image:
  src: ../images/library.png
  alt: Shelves of books in the reading room
  caption: The reading room
---
From March the library opens on Sundays. Tom Hale agreed the budget.
"""

DRAFT = """\
---
title: Walrusberry sale of the old hall
slug: hall-sale
date: 2025-03-05
status: draft
lang: en-GB
summary: Embargoed until the trustees decide.
authors: [tom-hale]
tags: [Library, Embargoed]
feature_image:
  src: ../images/hall.png
  alt: The old hall from the street
---
The walrusberry offer for the old hall is confidential. Rhian Evans knows.
"""

SECRETS = ("walrusberry", "hall-sale", "embargoed", "old hall", "trustees decide")


@pytest.fixture
def imported(engine: Engine, tmp_path: Path) -> dict[str, int]:
    folder = tmp_path / "content"
    (folder / "posts").mkdir(parents=True)
    (folder / "images").mkdir()
    (folder / "people.yaml").write_text(PEOPLE, encoding="utf-8")
    (folder / "posts" / "library-hours.md").write_text(PUBLISHED, encoding="utf-8")
    (folder / "posts" / "hall-sale.md").write_text(DRAFT, encoding="utf-8")
    (folder / "images" / "library.png").write_bytes(png_bytes(1200, 675, (90, 60, 30)))
    (folder / "images" / "hall.png").write_bytes(png_bytes(800, 450, (30, 60, 90)))
    import_folder(engine, folder)
    with engine.connect() as conn:
        return {slug: post_id for post_id, slug in conn.execute(select(posts.c.id, posts.c.slug))}


def _no_secrets(answer: dict[str, Any]) -> None:
    text = json.dumps(answer).lower()
    leaked = [word for word in SECRETS if word in text]
    assert not leaked, f"{leaked} in {answer}"


def test_the_draft_was_imported_as_a_draft(imported: dict[str, int]) -> None:
    assert set(imported) == {"library-hours", "hall-sale"}


def test_no_anonymous_path_reaches_the_imported_draft(client: TestClient, imported: dict[str, int]) -> None:
    query = """{
      draft: post(slug: "hall-sale") { id }
      posts(first: 100) { totalCount edges { node { slug } } }
      oldest: posts(first: 100, order: PUBLISHED_ASC) { totalCount edges { node { slug } } }
      byTom: posts(first: 100, filter: {author: "tom-hale"}) { totalCount edges { node { slug } } }
      aboutRhian: posts(first: 100, filter: {person: "rhian-evans"}) { totalCount edges { node { slug } } }
      library: posts(first: 100, filter: {tag: "library"}) { totalCount edges { node { slug } } }
      draftTag: posts(first: 100, filter: {tag: "embargoed"}) { totalCount edges { node { slug } } }
      tom: person(slug: "tom-hale") { pronouns posts(first: 100) { totalCount edges { node { slug } } } }
      rhian: person(slug: "rhian-evans") { pronouns posts(first: 100) { totalCount edges { node { slug } } } }
      tags { slug posts(first: 100) { totalCount edges { node { slug } } } }
      search(query: "walrusberry") { totalCount edges { node { slug } } }
      hall: search(query: "hall") { totalCount edges { node { slug } } }
    }"""
    answer = graphql(client, query)
    assert "errors" not in answer, answer
    # The query itself names the draft's tag; only the answer must not.
    del answer["_status"]
    assert answer["data"] == {
        "draft": None,
        "posts": {"totalCount": 1, "edges": [{"node": {"slug": "library-hours"}}]},
        "oldest": {"totalCount": 1, "edges": [{"node": {"slug": "library-hours"}}]},
        "byTom": {"totalCount": 0, "edges": []},
        "aboutRhian": {"totalCount": 0, "edges": []},
        "library": {"totalCount": 1, "edges": [{"node": {"slug": "library-hours"}}]},
        "draftTag": {"totalCount": 0, "edges": []},
        "tom": {"pronouns": None, "posts": {"totalCount": 0, "edges": []}},
        "rhian": {
            "pronouns": "she/her",
            "posts": {"totalCount": 1, "edges": [{"node": {"slug": "library-hours"}}]},
        },
        "tags": [
            {"slug": "library", "posts": {"totalCount": 1, "edges": [{"node": {"slug": "library-hours"}}]}}
        ],
        "search": {"totalCount": 0, "edges": []},
        "hall": {"totalCount": 0, "edges": []},
    }
    _no_secrets(answer)

    node = graphql(
        client, "query($id: ID!) { node(id: $id) { id } }", {"id": global_id("Post", imported["hall-sale"])}
    )
    assert node == {"data": {"node": None}, "_status": 200}

    assert client.get("/images/hall.png").status_code == 404
    assert client.get("/images/library.png").status_code == 200
