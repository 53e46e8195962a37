"""A small, fully known site written straight into the store, for the GraphQL and HTTP tests.

Published posts, a draft and a scheduled post that carry tell-tale words ("zephyrine", "quokka"),
people with and without consent to show pronouns, a tag used only by the draft, and real PNG files.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PIL import Image as PillowImage
from sqlalchemy import Connection, Engine, Insert, event, insert
from starlette.testclient import TestClient

from content_api.app import create_app
from content_api.services.related import refresh_related
from content_api.settings import Settings
from content_api.store.tables import (
    DRAFT,
    PUBLISHED,
    SCHEDULED,
    images,
    people,
    post_authors,
    post_people,
    post_tags,
    posts,
    tags,
)

NOW = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)
FIRST_DAY = datetime(2025, 1, 1, 9, 0, tzinfo=UTC)
SECRET_WORDS = ("zephyrine", "quokka")


def png_bytes(width: int, height: int, colour: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    PillowImage.new("RGB", (width, height), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def _new_id(conn: Connection, statement: Insert) -> int:
    key = conn.execute(statement).inserted_primary_key
    if key is None:
        raise RuntimeError("the insert returned no primary key")
    return int(key[0])


@dataclass
class Site:
    """Primary keys of what `build_site` wrote, by slug or path."""

    posts: dict[str, int] = field(default_factory=dict)
    people: dict[str, int] = field(default_factory=dict)
    tags: dict[str, int] = field(default_factory=dict)
    images: dict[str, int] = field(default_factory=dict)
    image_bytes: dict[str, bytes] = field(default_factory=dict)
    # Published posts newest first, as the API should list them.
    published_newest_first: list[str] = field(default_factory=list)


def build_site(engine: Engine, *, extra_published: int = 0) -> Site:
    """Write the site; `extra_published` adds that many plain published posts (for list sizes)."""
    site = Site()
    with engine.begin() as conn:
        for path, size, colour in (
            ("images/feature-garden.png", (1200, 675), (40, 120, 60)),
            ("images/avatar-alice.png", (400, 400), (200, 80, 80)),
            ("images/in-body.png", (640, 360), (20, 20, 160)),
            ("images/draft-only.png", (800, 450), (10, 10, 10)),
            ("images/unused.png", (100, 100), (250, 250, 0)),
        ):
            data = png_bytes(*size, colour)
            site.image_bytes[path] = data
            site.images[path] = _new_id(
                conn,
                insert(images).values(
                    path=path,
                    sha256=hashlib.sha256(data).hexdigest(),
                    media_type="image/png",
                    format="PNG",
                    width=size[0],
                    height=size[1],
                    data=data,
                    created_at=NOW,
                    updated_at=NOW,
                ),
            )

        for slug, name, pronouns, consent, role, avatar in (
            ("alice-ng", "Alice Ng", "she/her", True, "Food bank coordinator", "images/avatar-alice.png"),
            ("bob-price", "Bob Price", "he/him", False, "Volunteer", None),
            ("carol-jones", "Carol Jones", None, False, "Trustee", None),
            ("dee-okafor", "Dee Okafor", "they/them", True, "Youth worker", None),
        ):
            site.people[slug] = _new_id(
                conn,
                insert(people).values(
                    slug=slug,
                    name=name,
                    pronouns=pronouns,
                    show_pronouns=consent,
                    role=role,
                    bio=f"{name} works with the centre.",
                    avatar_image_id=site.images[avatar] if avatar else None,
                    avatar_alt="Alice smiling in the garden" if avatar else None,
                    aliases=[],
                    created_at=NOW,
                    updated_at=NOW,
                ),
            )

        for slug, name in (("food-bank", "Food bank"), ("youth", "Youth"), ("secret", "Secret plans")):
            site.tags[slug] = _new_id(conn, insert(tags).values(slug=slug, name=name))

        specs = [
            # slug, title, body text, status, day offset, authors, people, tags, feature
            (
                "allotment-opens",
                "The allotment opens",
                "Beds are ready for planting.",
                PUBLISHED,
                0,
                ["alice-ng"],
                ["bob-price"],
                ["food-bank"],
                "images/feature-garden.png",
            ),
            (
                "youth-club-trip",
                "Youth club trip to the coast",
                "We visited the allotment on the way back.",
                PUBLISHED,
                10,
                ["dee-okafor", "alice-ng"],
                [],
                ["youth"],
                None,
            ),
            (
                "winter-appeal",
                "Winter appeal",
                "Warm coats needed.",
                PUBLISHED,
                20,
                ["bob-price"],
                [],
                ["food-bank"],
                None,
            ),
            (
                "new-trustees",
                "New trustees",
                "Two people joined the board.",
                PUBLISHED,
                30,
                ["carol-jones"],
                ["alice-ng"],
                [],
                None,
            ),
            (
                "repair-cafe",
                "Repair cafe returns",
                "Bring broken toasters.",
                PUBLISHED,
                40,
                ["alice-ng"],
                [],
                ["youth", "food-bank"],
                None,
            ),
            (
                "draft-merger",
                "Zephyrine merger plans",
                "The quokka fund and the zephyrine plan stay secret.",
                DRAFT,
                50,
                ["alice-ng"],
                ["bob-price"],
                ["secret", "food-bank"],
                "images/draft-only.png",
            ),
            (
                "scheduled-gala",
                "Quokka gala",
                "A quokka evening.",
                SCHEDULED,
                60,
                ["dee-okafor"],
                [],
                ["youth"],
                None,
            ),
        ]
        for index in range(extra_published):
            specs.append(
                (
                    f"extra-{index:03d}",
                    f"Extra note {index}",
                    "Routine notice.",
                    PUBLISHED,
                    100 + index,
                    ["alice-ng", "bob-price"],
                    [],
                    ["youth", "food-bank"],
                    None,
                )
            )
        for slug, title, text, status, offset, authors, mentioned, tag_slugs, feature in specs:
            body_html = f"<p>{text}</p>"
            if slug == "allotment-opens":
                body_html += '<p><img src="/images/in-body.png" alt="Seed trays on a bench"></p>'
            published_at = FIRST_DAY + timedelta(days=offset)
            post_id = _new_id(
                conn,
                insert(posts).values(
                    slug=slug,
                    title=title,
                    summary=f"Summary of {title.lower()}.",
                    body_format="html",
                    body_source=body_html,
                    body_html=body_html,
                    body_text=text,
                    status=status,
                    published_at=published_at,
                    lang="en-GB",
                    reading_time_minutes=1 + offset % 3,
                    feature_image_id=site.images[feature] if feature else None,
                    feature_image_alt="Raised beds with young plants" if feature else None,
                    feature_image_caption="The new beds in January" if feature else None,
                    pinned_related=[],
                    created_at=NOW,
                    updated_at=NOW,
                ),
            )
            site.posts[slug] = post_id
            for position, person in enumerate(authors):
                conn.execute(
                    insert(post_authors).values(
                        post_id=post_id, person_id=site.people[person], position=position
                    )
                )
            for position, person in enumerate(mentioned):
                conn.execute(
                    insert(post_people).values(
                        post_id=post_id, person_id=site.people[person], position=position
                    )
                )
            for position, tag in enumerate(tag_slugs):
                conn.execute(
                    insert(post_tags).values(post_id=post_id, tag_id=site.tags[tag], position=position)
                )
            if status == PUBLISHED:
                site.published_newest_first.insert(0, slug)
    return site


def graphql(client: Any, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    """POST a query the way a current client does and return the decoded answer."""
    response = client.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"Accept": "application/graphql-response+json"},
    )
    body: dict[str, Any] = response.json()
    body["_status"] = response.status_code
    return body


# A front end's news list: a page of posts with its count, page info, cursors and what each post shows.
NEWS_LIST = """
query NewsList($first: Int!, $after: String) {
  posts(first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id slug title publishedAt featureImage { url } authors { slug name }
                          tags { slug name } } }
  }
}"""


@pytest.fixture
def site(engine: Engine) -> Site:
    return build_site(engine)


@pytest.fixture
def client(engine: Engine) -> Iterator[TestClient]:
    settings = Settings(database_url=engine.url.render_as_string(hide_password=False))
    with TestClient(create_app(settings, engine), base_url="http://news.test") as test_client:
        yield test_client


@pytest.fixture
def client_without_json_plans(engine: Engine) -> Iterator[TestClient]:
    """A server without JSON plans: every field through its resolver and the request's loaders, for
    statement counts that show how loaders batch (a JSON plan answers a page in one statement) and for
    faults injected into resolvers' store calls."""
    settings = Settings(database_url=engine.url.render_as_string(hide_password=False), json_answers=False)
    with TestClient(create_app(settings, engine), base_url="http://news.test") as test_client:
        yield test_client


@contextmanager
def beside_graphql_core(engine: Engine, **settings: Any) -> Iterator[tuple[TestClient, TestClient, Site]]:
    """(a server with `settings`, a server answering through graphql-core's executor only, the site).

    Both read the same site (six extra posts, related news refreshed), with the response cache off and
    one public URL, so that their answers can be compared byte for byte.
    """
    site = build_site(engine, extra_published=6)
    with engine.begin() as conn:
        refresh_related(conn)
    url = engine.url.render_as_string(hide_password=False)
    common = {"database_url": url, "response_cache_mb": 0, "public_url": "https://news.test"}
    with (
        TestClient(create_app(Settings(**{**common, **settings}), engine)) as candidate,
        TestClient(create_app(Settings(**common, compiled_plans=False), engine)) as executed,
    ):
        yield candidate, executed, site


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    """Collect the SQL statements `engine` runs, leaving out transaction control and the response
    cache's content version reads (one every fifth of a second at most, whatever the query)."""
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK")):
            return
        if statement.startswith("SELECT site_state.value"):
            return
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)
