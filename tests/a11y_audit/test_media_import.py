"""Image facts from `inspect_image` are stored on import and served on the GraphQL `Image` type."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from starlette.testclient import TestClient

from content_api.content import import_folder
from content_api.content.problems import ContentError
from content_api.store.tables import images
from tests.content_api.graphql_site import client, graphql

from .test_media_samples import BLACK, WHITE, alternating, encode, solid

__all__ = ["client"]

PEOPLE = """\
- slug: dee-jay
  name: Dee Jay
  role: Events officer
  avatar:
    src: images/strobe.gif
    alt: Dee at the decks
"""

POST = """\
---
title: Disco night
slug: disco-night
date: 2025-12-31
status: published
lang: en-GB
summary: A night of music.
authors: [dee-jay]
feature_image:
  src: ../images/hall.png
  alt: The hall with the lights down
---
Dee Jay played until midnight.
"""


def content_folder(root: Path) -> Path:
    folder = root / "content"
    (folder / "posts").mkdir(parents=True)
    (folder / "images").mkdir()
    (folder / "people.yaml").write_text(PEOPLE, encoding="utf-8")
    (folder / "posts" / "disco-night.md").write_text(POST, encoding="utf-8")
    strobe = alternating(solid((400, 300), BLACK), solid((400, 300), WHITE), flashes_per_second=4, seconds=2)
    (folder / "images" / "strobe.gif").write_bytes(strobe)
    (folder / "images" / "hall.png").write_bytes(encode([solid((120, 80), (40, 40, 90))], 0, fmt="PNG"))
    return folder


def test_import_stores_the_facts_and_the_api_serves_them(engine: Engine, client: TestClient, tmp_path: Path):
    import_folder(engine, content_folder(tmp_path))
    with engine.connect() as conn:
        stored = {
            row.path: row
            for row in conn.execute(
                select(
                    images.c.path,
                    images.c.format,
                    images.c.animated,
                    images.c.frame_count,
                    images.c.flash_verdict,
                )
            )
        }
    assert stored["images/strobe.gif"][1:] == ("GIF", True, 16, "fail")
    assert stored["images/hall.png"][1:] == ("PNG", False, 1, "pass")

    answer = graphql(
        client,
        """{
          person(slug: "dee-jay") { avatar { format animated flashVerdict width height } }
          post(slug: "disco-night") { featureImage { format animated flashVerdict } }
        }""",
    )
    assert "errors" not in answer, answer
    assert answer["data"]["person"]["avatar"] == {
        "format": "GIF",
        "animated": True,
        "flashVerdict": "FAIL",
        "width": 400,
        "height": 300,
    }
    assert answer["data"]["post"]["featureImage"] == {
        "format": "PNG",
        "animated": False,
        "flashVerdict": "PASS",
    }


def test_an_image_whose_content_does_not_match_its_extension_stops_the_import(engine: Engine, tmp_path: Path):
    folder = content_folder(tmp_path)
    (folder / "images" / "hall.png").write_bytes(encode([solid((20, 20), WHITE)], 0, fmt="JPEG"))
    with pytest.raises(ContentError) as caught:
        import_folder(engine, folder)
    assert [(p.path, p.message) for p in caught.value.problems] == [
        ("images/hall.png", "content is JPEG, not the PNG its name says"),
        ("posts/disco-night.md", "missing image file 'images/hall.png'"),  # refused, so not there to use
    ]
