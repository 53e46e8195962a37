"""Writing the store out as a content folder that imports back to the same content."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml
from sqlalchemy import Connection, Engine, select

from content_api.content.people import PEOPLE_FILE
from content_api.content.posts import FORMATS
from content_api.content.problems import ContentError, Problem
from content_api.store.image_urls import image_url
from content_api.store.tables import images, people, post_authors, post_people, post_tags, posts, tags

_EXTENSION = {"markdown": ".md", "html": ".html"}


@dataclass(frozen=True)
class ExportSummary:
    posts: int
    people: int
    images: int


def export_store(engine: Engine, folder: Path | str) -> ExportSummary:
    """Write every live post, person and image to `folder`, which must be empty or not exist yet."""
    root = Path(folder)
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise ContentError([Problem(str(root), 1, "export folder exists and is not empty")])
    with engine.connect() as conn:
        image_paths = _write_images(conn, root)
        person_count = _write_people(conn, root, image_paths)
        post_count = _write_posts(conn, root, image_paths)
    return ExportSummary(posts=post_count, people=person_count, images=len(image_paths))


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000, default_flow_style=False)


def _write_images(conn: Connection, root: Path) -> dict[int, str]:
    paths: dict[int, str] = {}
    for image_id, path, data in conn.execute(select(images.c.id, images.c.path, images.c.data)):
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        paths[image_id] = path
    return paths


def _write_people(conn: Connection, root: Path, image_paths: dict[int, str]) -> int:
    entries: list[dict[str, Any]] = []
    for row in conn.execute(select(people).order_by(people.c.slug)).mappings():
        entry: dict[str, Any] = {"slug": row["slug"], "name": row["name"]}
        for key in ("pronouns", "role", "bio"):
            if row[key] is not None:
                entry[key] = row[key]
        if row["show_pronouns"]:
            entry["show_pronouns"] = True
        if row["avatar_image_id"] is not None:
            entry["avatar"] = _image_entry(image_paths[row["avatar_image_id"]], row["avatar_alt"], None)
        if row["aliases"]:
            entry["aliases"] = list(row["aliases"])
        entries.append(entry)
    root.mkdir(parents=True, exist_ok=True)
    (root / PEOPLE_FILE).write_text(_dump(entries), encoding="utf-8")
    return len(entries)


def _image_entry(path: str, alt: str | None, caption: str | None) -> dict[str, str]:
    entry = {"src": image_url(path)}
    if alt is not None:
        entry["alt"] = alt
    if caption is not None:
        entry["caption"] = caption
    return entry


def _linked(conn: Connection) -> dict[str, dict[int, list[str]]]:
    """Per post id, in position order: author slugs, tag names and people slugs."""
    found: dict[str, dict[int, list[str]]] = {key: defaultdict(list) for key in ("authors", "tags", "people")}
    queries = {
        "authors": select(post_authors.c.post_id, people.c.slug)
        .join(people, people.c.id == post_authors.c.person_id)
        .order_by(post_authors.c.post_id, post_authors.c.position),
        "tags": select(post_tags.c.post_id, tags.c.name)
        .join(tags, tags.c.id == post_tags.c.tag_id)
        .order_by(post_tags.c.post_id, post_tags.c.position),
        "people": select(post_people.c.post_id, people.c.slug)
        .join(people, people.c.id == post_people.c.person_id)
        .order_by(post_people.c.post_id, post_people.c.position),
    }
    for key, query in queries.items():
        for post_id, value in conn.execute(query):
            found[key][post_id].append(value)
    return found


def _write_posts(conn: Connection, root: Path, image_paths: dict[int, str]) -> int:
    linked = _linked(conn)
    used: set[str] = set()
    count = 0
    rows = conn.execute(select(posts).where(posts.c.deleted_at.is_(None)).order_by(posts.c.id)).mappings()
    for row in rows:
        meta: dict[str, Any] = {"title": row["title"], "slug": row["slug"]}
        if row["published_at"] is not None:
            meta["date"] = row["published_at"]
        meta["status"] = row["status"]
        for key in ("lang", "summary"):
            if row[key] is not None:
                meta[key] = row[key]
        for key in ("authors", "tags", "people"):
            if linked[key].get(row["id"]):
                meta[key] = linked[key][row["id"]]
        if row["feature_image_id"] is not None:
            meta["feature_image"] = _image_entry(
                image_paths[row["feature_image_id"]], row["feature_image_alt"], row["feature_image_caption"]
            )
        if row["pinned_related"]:
            meta["related"] = list(row["pinned_related"])
        path = _post_path(row["source_path"], row["slug"], row["body_format"], used)
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"---\n{_dump(meta)}---\n{row['body_source']}", encoding="utf-8")
        count += 1
    return count


def _post_path(source_path: str | None, slug: str, body_format: str, used: set[str]) -> str:
    """The post's original file path when free and safe, else posts/<slug> with its format's extension."""
    path = f"posts/{slug}{_EXTENSION.get(body_format, '.md')}"
    if source_path:
        candidate = PurePosixPath(source_path)
        safe = (
            candidate.parts[:1] == ("posts",) and ".." not in candidate.parts and not candidate.is_absolute()
        )
        if safe and candidate.suffix.lower() in FORMATS and source_path not in used:
            path = source_path
    used.add(path)
    return path
