"""Writing a checked content folder into the store, in place by slug (images by path).

One transaction: rows that changed are updated (posts get a new `version` and `updated_at`), new ones
inserted, unchanged ones left alone; a post's authors, tags and people become exactly what the folder
lists. Posts, people, tags and images the folder no longer holds stay in the store.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Table, select

from content_api.content.fields import slugify
from content_api.content.model import ContentFolder, ImageFile, PersonEntry, PostEntry
from content_api.store.maintenance import bump_content_version
from content_api.store.tables import images, people, post_authors, post_people, post_tags, posts, tags


@dataclass(frozen=True)
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass(frozen=True)
class ImportSummary:
    posts: Counts
    people: Counts
    tags: Counts
    images: Counts
    content_version: int


def write_folder(conn: Connection, content: ContentFolder, now: datetime | None = None) -> ImportSummary:
    """Write `content` through `conn` (the caller owns the transaction) and bump the content version."""
    moment = now or datetime.now(UTC)
    image_rows = [_image_values(image) for image in content.images.values()]
    image_counts = _upsert(conn, images, "path", image_rows, moment)
    image_ids = _ids(conn, images, "path")
    person_rows = [_person_values(person, image_ids) for person in content.people]
    person_counts = _upsert(conn, people, "slug", person_rows, moment)
    tag_rows = [{"slug": slug, "name": name} for slug, name in content.tags.items()]
    tag_counts = _upsert(conn, tags, "slug", tag_rows, None)
    post_counts = _write_posts(conn, content.posts, image_ids, moment)
    return ImportSummary(
        posts=post_counts,
        people=person_counts,
        tags=tag_counts,
        images=image_counts,
        content_version=bump_content_version(conn),
    )


Links = dict[Table, list[int]]
_LINK_TABLES: tuple[tuple[Table, str], ...] = (
    (post_authors, "person_id"),
    (post_tags, "tag_id"),
    (post_people, "person_id"),
)


def _write_posts(
    conn: Connection, entries: Sequence[PostEntry], image_ids: Mapping[str, int], now: datetime
) -> Counts:
    existing = {row._mapping["slug"]: row._mapping for row in conn.execute(select(posts))}
    current_links = _current_links(conn)
    person_ids = _ids(conn, people, "slug")
    tag_ids = _ids(conn, tags, "slug")
    created: list[dict[str, Any]] = []
    wanted_links: dict[str, Links] = {}
    updated = unchanged = 0
    for post in entries:
        values = _post_values(post, image_ids)
        links: Links = {
            post_authors: [person_ids[slug] for slug in post.authors],
            post_tags: [tag_ids[slugify(name)] for name in post.tags],
            post_people: [person_ids[slug] for slug in post.people],
        }
        current = existing.get(post.slug)
        if current is None:
            created.append(values | {"version": 1, "created_at": now, "updated_at": now})
        elif _differs(current, values) or current_links.get(current["id"], _no_links()) != links:
            bumped = {"version": current["version"] + 1, "updated_at": now}
            conn.execute(posts.update().where(posts.c.id == current["id"]).values(values | bumped))
            updated += 1
        else:
            unchanged += 1
            continue
        wanted_links[post.slug] = links
    if created:
        conn.execute(posts.insert(), created)
    post_ids = _ids(conn, posts, "slug")
    for slug, links in wanted_links.items():
        _replace_links(conn, post_ids[slug], links)
    return Counts(created=len(created), updated=updated, unchanged=unchanged)


def _no_links() -> Links:
    return {table: [] for table, _column in _LINK_TABLES}


def _current_links(conn: Connection) -> dict[int, Links]:
    """Each post's linked ids per link table, in position order."""
    found: dict[int, Links] = {}
    for table, column in _LINK_TABLES:
        rows = conn.execute(
            select(table.c.post_id, table.c[column]).order_by(table.c.post_id, table.c.position)
        )
        for post_id, other_id in rows:
            found.setdefault(post_id, _no_links())[table].append(other_id)
    return found


def _replace_links(conn: Connection, post_id: int, links: Links) -> None:
    for table, column in _LINK_TABLES:
        conn.execute(table.delete().where(table.c.post_id == post_id))
        rows = [
            {"post_id": post_id, column: other, "position": index} for index, other in enumerate(links[table])
        ]
        if rows:
            conn.execute(table.insert(), rows)


def _ids(conn: Connection, table: Table, key: str) -> dict[str, int]:
    return {row[0]: row[1] for row in conn.execute(select(table.c[key], table.c.id))}


def _upsert(
    conn: Connection, table: Table, key: str, rows: Sequence[dict[str, Any]], now: datetime | None
) -> Counts:
    """Insert rows whose `key` is new, update those whose values differ; timestamps when `now` is given."""
    # Image bytes are compared through their sha256, so they are never read back here.
    columns = [column for column in table.columns if column.name != "data"]
    existing = {row._mapping[key]: row._mapping for row in conn.execute(select(*columns))}
    created: list[dict[str, Any]] = []
    updated = unchanged = 0
    for values in rows:
        current = existing.get(values[key])
        if current is None:
            created.append(values | ({"created_at": now, "updated_at": now} if now is not None else {}))
        elif _differs(current, values):
            stamped = values | ({"updated_at": now} if now is not None else {})
            conn.execute(table.update().where(table.c[key] == values[key]).values(stamped))
            updated += 1
        else:
            unchanged += 1
    if created:
        conn.execute(table.insert(), created)
    return Counts(created=len(created), updated=updated, unchanged=unchanged)


def _differs(current: Mapping[Any, Any], values: Mapping[str, Any]) -> bool:
    return any(current[name] != value for name, value in values.items() if name in current)


def _image_values(image: ImageFile) -> dict[str, Any]:
    facts = image.facts
    return {
        "path": image.path,
        "sha256": facts.sha256,
        "media_type": facts.media_type,
        "format": facts.format,
        "width": facts.width,
        "height": facts.height,
        "animated": facts.animated,
        "frame_count": facts.frame_count,
        "duration_ms": facts.duration_ms,
        "loop_count": facts.loop_count,
        "flash_verdict": facts.flash_verdict,
        "data": image.data,
    }


def _person_values(person: PersonEntry, image_ids: Mapping[str, int]) -> dict[str, Any]:
    return {
        "slug": person.slug,
        "name": person.name,
        "pronouns": person.pronouns,
        "show_pronouns": person.show_pronouns,
        "role": person.role,
        "bio": person.bio,
        "avatar_image_id": image_ids[person.avatar.path] if person.avatar else None,
        "avatar_alt": person.avatar.alt if person.avatar else None,
        "aliases": list(person.aliases),
    }


def _post_values(post: PostEntry, image_ids: Mapping[str, int]) -> dict[str, Any]:
    feature = post.feature_image
    return {
        "slug": post.slug,
        "title": post.title,
        "summary": post.summary,
        "body_format": post.body_format,
        "body_source": post.body_source,
        "body_html": post.body_html,
        "body_text": post.body_text,
        "status": post.status,
        "published_at": post.published_at,
        "lang": post.lang,
        "reading_time_minutes": post.reading_time_minutes,
        "feature_image_id": image_ids[feature.path] if feature else None,
        "feature_image_alt": feature.alt if feature else None,
        "feature_image_caption": feature.caption if feature else None,
        "pinned_related": list(post.related),
        "source_path": post.source_path,
        "deleted_at": None,
    }
