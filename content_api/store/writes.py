"""Writing posts and people one at a time, as the API's mutations do.

Every function works inside the caller's transaction. Post updates are optimistic: the caller passes
the version it edited, and the row is only written when that is still the stored version (one
`UPDATE ... WHERE version = :expected`, so two concurrent writers cannot both win). Bodies go through
the same rendering and sanitising as imported files. Invalid input raises `InvalidFields`, which names
each bad field; nothing has been written when it is raised.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

import langcodes
from sqlalchemy import Connection, Table, select

from content_api.content.dimensions import add_image_sizes
from content_api.content.fields import MAX_SLUG, SLUG, slugify
from content_api.content.mentions import mentioned_people
from content_api.content.model import PersonEntry
from content_api.content.paths import BadReference, is_external, resolve_image
from content_api.content.plaintext import html_to_text, reading_time_minutes
from content_api.content.render import markdown_to_html
from content_api.content.sanitize import sanitize_html
from content_api.store.image_urls import image_path_for_url, image_url
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

BODY_FORMATS = ("markdown", "html")
_EXTENSIONS = {"markdown": ".md", "html": ".html"}
MAX_TITLE = 500
MAX_NAME = 300
MAX_TAG = 200
MAX_PRONOUNS = 100


class InvalidFields(ValueError):
    """Input that cannot be written; `problems` maps each bad field (API spelling) to what is wrong."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {message}" for name, message in problems.items()))
        self.problems = dict(problems)


@dataclass(frozen=True, slots=True)
class FeatureImageInput:
    path: str  # "images/a.png" or "/images/a.png"
    alt: str | None = None
    caption: str | None = None


@dataclass(frozen=True, slots=True)
class PostFields:
    """Fields of a post to write. For an update, None leaves a field as it is (clear a text with "")."""

    title: str | None = None
    slug: str | None = None
    summary: str | None = None
    body_format: str | None = None
    body_source: str | None = None
    lang: str | None = None
    authors: Sequence[str] | None = None
    tags: Sequence[str] | None = None
    feature_image: FeatureImageInput | None = None
    remove_feature_image: bool = False
    published_at: datetime | None = None
    # Slugs of posts pinned as related news, in order.
    related: Sequence[str] | None = None


@dataclass(frozen=True, slots=True)
class PersonFields:
    """Fields of a person to write; for an update, None leaves a field as it is."""

    slug: str | None = None
    name: str | None = None
    pronouns: str | None = None
    show_pronouns: bool | None = None
    role: str | None = None
    bio: str | None = None
    aliases: Sequence[str] | None = None


@dataclass(frozen=True, slots=True)
class PostState:
    """What the editing workflow needs to know about one live (not deleted) post."""

    id: int
    slug: str
    status: str
    version: int
    published_at: datetime | None
    scheduled_at: datetime | None
    source_path: str | None
    body_format: str
    body_source: str
    title: str
    summary: str | None
    lang: str | None
    feature_image_id: int | None
    feature_image_alt: str | None
    feature_image_caption: str | None
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Conflict:
    """The post changed since the version the writer edited."""

    current_version: int


@dataclass(slots=True)
class _Problems:
    found: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        self.found.setdefault(name, message)

    def raise_if_any(self) -> None:
        if self.found:
            raise InvalidFields(self.found)


# ---------------------------------------------------------------------------------------------------
# Reading


def _state(row: Any) -> PostState:
    m = row._mapping
    return PostState(**{name: m[name] for name in PostState.__slots__})  # type: ignore[attr-defined]


def find_post(conn: Connection, *, slug: str | None = None, post_id: int | None = None) -> PostState | None:
    """The live post with this slug or id, whatever its status; None when missing or deleted."""
    condition = posts.c.slug == slug if slug is not None else posts.c.id == post_id
    row = conn.execute(select(posts).where(condition, posts.c.deleted_at.is_(None))).first()
    return _state(row) if row is not None else None


def find_post_for_update(conn: Connection, post_id: int) -> PostState | None:
    """`find_post` by id, holding the row until the transaction ends (PostgreSQL; SQLite locks the file)."""
    query = select(posts).where(posts.c.id == post_id, posts.c.deleted_at.is_(None))
    if conn.dialect.name == "postgresql":
        query = query.with_for_update()
    row = conn.execute(query).first()
    return _state(row) if row is not None else None


def post_links(conn: Connection, post_id: int) -> dict[str, list[str]]:
    """A post's author slugs, tag names and people slugs, in order."""
    found: dict[str, list[str]] = {}
    for key, table, column, other in (
        ("authors", post_authors, people.c.slug, people),
        ("tags", post_tags, tags.c.name, tags),
        ("people", post_people, people.c.slug, people),
    ):
        key_column = table.c.person_id if other is people else table.c.tag_id
        query = (
            select(column)
            .select_from(table.join(other, other.c.id == key_column))
            .where(table.c.post_id == post_id)
            .order_by(table.c.position)
        )
        found[key] = [value for (value,) in conn.execute(query)]
    return found


# ---------------------------------------------------------------------------------------------------
# Bodies


@dataclass(frozen=True, slots=True)
class RenderedBody:
    html: str
    text: str
    reading_time_minutes: int


def render_body(conn: Connection, body_format: str, source: str, source_path: str) -> RenderedBody:
    """Render and sanitise a body as an import would; raise `InvalidFields` for images not in the store."""
    sizes = {
        path: (width, height)
        for path, width, height in conn.execute(select(images.c.path, images.c.width, images.c.height))
    }
    missing: list[str] = []

    def rewrite(src: str) -> str:
        if is_external(src):
            return src
        try:
            path = resolve_image(src, source_path)
        except BadReference as error:
            missing.append(str(error))
            return src
        if path not in sizes:
            missing.append(f"missing image file {path!r}")
        return image_url(path)

    raw = markdown_to_html(source) if body_format == "markdown" else source
    html = sanitize_html(raw, rewrite)
    if missing:
        raise InvalidFields({"bodySource": missing[0]})

    def size_of(url: str) -> tuple[int, int] | None:
        stored = image_path_for_url(url)
        return sizes.get(stored) if stored is not None else None

    html = add_image_sizes(html, size_of)
    text = html_to_text(html)
    return RenderedBody(html, text, reading_time_minutes(text))


# ---------------------------------------------------------------------------------------------------
# Posts


def _text(problems: _Problems, name: str, value: str | None, limit: int, *, required: bool) -> str | None:
    if value is None:
        return None
    stripped = value.strip()
    if required and not stripped:
        problems.add(name, "must not be empty")
    elif len(stripped) > limit:
        problems.add(name, f"must be at most {limit} characters")
    return stripped


def _check_slug(problems: _Problems, name: str, slug: str) -> None:
    if not SLUG.fullmatch(slug) or len(slug) > MAX_SLUG:
        problems.add(name, f"{slug!r} is not a slug: lower-case letters, digits and single hyphens")


def _check_lang(problems: _Problems, lang: str | None) -> None:
    if lang and not langcodes.tag_is_valid(lang):
        problems.add("lang", f"{lang!r} is not a valid BCP 47 language tag (for example en-GB)")


def _ids_for(conn: Connection, table: Table, key: str, values: Sequence[str]) -> dict[str, int]:
    if not values:
        return {}
    query = select(table.c[key], table.c.id).where(table.c[key].in_(sorted(set(values))))
    return {value: ident for value, ident in conn.execute(query)}


def _feature_values(
    conn: Connection, problems: _Problems, fields: PostFields, source_path: str
) -> dict[str, Any]:
    if fields.remove_feature_image:
        return {"feature_image_id": None, "feature_image_alt": None, "feature_image_caption": None}
    feature = fields.feature_image
    if feature is None:
        return {}
    try:
        path = resolve_image(feature.path, source_path)
    except BadReference as error:
        problems.add("featureImage.path", str(error))
        return {}
    image_id = conn.execute(select(images.c.id).where(images.c.path == path)).scalar()
    if image_id is None:
        problems.add("featureImage.path", f"no stored image {path!r}")
        return {}
    return {
        "feature_image_id": image_id,
        "feature_image_alt": feature.alt,
        "feature_image_caption": feature.caption or None,
    }


def _store_people(conn: Connection) -> list[PersonEntry]:
    rows = conn.execute(select(people.c.slug, people.c.name, people.c.aliases))
    return [PersonEntry(slug=slug, name=name, aliases=list(aliases or [])) for slug, name, aliases in rows]


def _replace_links(conn: Connection, post_id: int, table: Table, column: str, ids: Sequence[int]) -> None:
    conn.execute(table.delete().where(table.c.post_id == post_id))
    rows = [{"post_id": post_id, column: other, "position": index} for index, other in enumerate(ids)]
    if rows:
        conn.execute(table.insert(), rows)


def _tag_ids(conn: Connection, names: Sequence[str]) -> list[int]:
    wanted = {slugify(name): name.strip() for name in names}
    found = _ids_for(conn, tags, "slug", list(wanted))
    for slug, name in wanted.items():
        if slug not in found:
            key = conn.execute(tags.insert().values(slug=slug, name=name)).inserted_primary_key
            if key is None:
                raise RuntimeError("the insert returned no primary key")
            found[slug] = int(key[0])
    return [found[slugify(name)] for name in dict.fromkeys(names)]


def _check_links(conn: Connection, problems: _Problems, fields: PostFields) -> dict[str, int]:
    authors = list(fields.authors or [])
    author_ids = _ids_for(conn, people, "slug", authors)
    unknown = [slug for slug in authors if slug not in author_ids]
    if unknown:
        problems.add("authors", f"no person with slug {unknown[0]!r}")
    for name in fields.tags or []:
        slug = slugify(name)
        if not slug:
            problems.add("tags", f"tag {name!r} has no letters or digits")
        elif len(name.strip()) > MAX_TAG:
            problems.add("tags", f"tag names must be at most {MAX_TAG} characters")
    return author_ids


def _pinned_related(
    conn: Connection, problems: _Problems, related: Sequence[str], own_slug: str
) -> list[str]:
    """The pinned related slugs to store: each an existing post other than this one, once."""
    wanted = list(dict.fromkeys(slug.strip() for slug in related))
    known = {row[0] for row in conn.execute(select(posts.c.slug).where(posts.c.slug.in_(wanted)))}
    for slug in wanted:
        if slug == own_slug:
            problems.add("related", "a post cannot be related to itself")
        elif slug not in known:
            problems.add("related", f"no post with slug {slug!r}")
    return wanted


def _write_links(
    conn: Connection,
    post_id: int,
    fields: PostFields,
    author_ids: Mapping[str, int],
    title: str,
    body_text: str,
) -> None:
    if fields.authors is not None:
        ids = [author_ids[slug] for slug in dict.fromkeys(fields.authors)]
        _replace_links(conn, post_id, post_authors, "person_id", ids)
    if fields.tags is not None:
        _replace_links(conn, post_id, post_tags, "tag_id", _tag_ids(conn, fields.tags))
    # The people a post is about follow its text and its byline, whatever changed.
    author_slugs = post_links(conn, post_id)["authors"]
    mentioned = mentioned_people(f"{title}\n{body_text}", _store_people(conn), authors=author_slugs)
    person_ids = _ids_for(conn, people, "slug", mentioned)
    _replace_links(conn, post_id, post_people, "person_id", [person_ids[slug] for slug in mentioned])


def create_post(conn: Connection, fields: PostFields, now: datetime | None = None) -> int:
    """Insert a draft; return its id. Title and body are required; the slug defaults to the title's."""
    moment = now or datetime.now(UTC)
    problems = _Problems()
    title = _text(problems, "title", fields.title, MAX_TITLE, required=True)
    if title is None:
        problems.add("title", "is required")
    slug = fields.slug.strip() if fields.slug is not None else slugify(title or "")
    _check_slug(problems, "slug", slug)
    if slug and conn.execute(select(posts.c.id).where(posts.c.slug == slug)).first() is not None:
        problems.add("slug", f"a post with slug {slug!r} already exists")
    body_format = fields.body_format or "markdown"
    if body_format not in BODY_FORMATS:
        problems.add("bodyFormat", f"use {' or '.join(BODY_FORMATS)}")
    if fields.body_source is None:
        problems.add("bodySource", "is required")
    _check_lang(problems, fields.lang)
    source_path = f"posts/{slug}{_EXTENSIONS.get(body_format, '.md')}"
    feature = _feature_values(conn, problems, fields, source_path)
    author_ids = _check_links(conn, problems, fields)
    pinned = _pinned_related(conn, problems, fields.related or [], slug)
    problems.raise_if_any()
    body = render_body(conn, body_format, fields.body_source or "", source_path)
    values = {
        "slug": slug,
        "title": title,
        "summary": fields.summary.strip() or None if fields.summary is not None else None,
        "body_format": body_format,
        "body_source": fields.body_source,
        "body_html": body.html,
        "body_text": body.text,
        "status": DRAFT,
        "published_at": fields.published_at,
        "lang": fields.lang or None,
        "reading_time_minutes": body.reading_time_minutes,
        "pinned_related": pinned,
        "source_path": source_path,
        "version": 1,
        "created_at": moment,
        "updated_at": moment,
        **feature,
    }
    key = conn.execute(posts.insert().values(values)).inserted_primary_key
    if key is None:
        raise RuntimeError("the insert returned no primary key")
    post_id = int(key[0])
    _write_links(conn, post_id, fields, author_ids, title or "", body.text)
    return post_id


def update_post(
    conn: Connection, post: PostState, expected_version: int, fields: PostFields, now: datetime | None = None
) -> int | Conflict:
    """Apply `fields` to `post` if it is still at `expected_version`; return the new version or a Conflict."""
    if post.version != expected_version:
        return Conflict(post.version)
    problems = _Problems()
    values: dict[str, Any] = {}
    title = _text(problems, "title", fields.title, MAX_TITLE, required=True)
    if title is not None:
        values["title"] = title
    if fields.slug is not None and fields.slug.strip() != post.slug:
        slug = fields.slug.strip()
        _check_slug(problems, "slug", slug)
        if conn.execute(select(posts.c.id).where(posts.c.slug == slug)).first() is not None:
            problems.add("slug", f"a post with slug {slug!r} already exists")
        values["slug"] = slug
    if fields.summary is not None:
        values["summary"] = fields.summary.strip() or None
    if fields.lang is not None:
        _check_lang(problems, fields.lang)
        values["lang"] = fields.lang or None
    body_format = fields.body_format or post.body_format
    if body_format not in BODY_FORMATS:
        problems.add("bodyFormat", f"use {' or '.join(BODY_FORMATS)}")
    source_path = post.source_path or f"posts/{post.slug}{_EXTENSIONS.get(body_format, '.md')}"
    values.update(_feature_values(conn, problems, fields, source_path))
    author_ids = _check_links(conn, problems, fields)
    if fields.published_at is not None:
        values["published_at"] = fields.published_at
    if fields.related is not None:
        values["pinned_related"] = _pinned_related(
            conn, problems, fields.related, values.get("slug", post.slug)
        )
    problems.raise_if_any()
    body_text: str | None = None
    if fields.body_source is not None or fields.body_format is not None:
        source = fields.body_source if fields.body_source is not None else post.body_source
        body = render_body(conn, body_format, source, source_path)
        values.update(
            body_format=body_format,
            body_source=source,
            body_html=body.html,
            body_text=body.text,
            reading_time_minutes=body.reading_time_minutes,
        )
        body_text = body.text
    new_version = post.version + 1
    result = conn.execute(
        posts.update()
        .where(posts.c.id == post.id, posts.c.version == expected_version, posts.c.deleted_at.is_(None))
        .values(values | {"version": new_version, "updated_at": now or datetime.now(UTC)})
    )
    if result.rowcount != 1:
        current = conn.execute(select(posts.c.version).where(posts.c.id == post.id)).scalar()
        return Conflict(int(current or post.version))
    if body_text is None:
        body_text = str(conn.execute(select(posts.c.body_text).where(posts.c.id == post.id)).scalar_one())
    _write_links(conn, post.id, fields, author_ids, values.get("title", post.title), body_text)
    return new_version


def set_status(
    conn: Connection,
    post: PostState,
    status: str,
    *,
    now: datetime | None = None,
    scheduled_at: datetime | None = None,
) -> int | Conflict:
    """Move `post` to `status` (draft, scheduled or published) unless it changed meanwhile.

    Publishing keeps a published date the post already has (an imported post's date) and otherwise
    stamps `now`. Returns the new version.
    """
    if status not in (DRAFT, SCHEDULED, PUBLISHED):
        raise ValueError(f"unknown status {status!r}")
    moment = now or datetime.now(UTC)
    values: dict[str, Any] = {"status": status, "scheduled_at": scheduled_at if status == SCHEDULED else None}
    if status == PUBLISHED and post.published_at is None:
        values["published_at"] = moment
    new_version = post.version + 1
    result = conn.execute(
        posts.update()
        .where(posts.c.id == post.id, posts.c.version == post.version, posts.c.deleted_at.is_(None))
        .values(values | {"version": new_version, "updated_at": moment})
    )
    if result.rowcount != 1:
        current = conn.execute(select(posts.c.version).where(posts.c.id == post.id)).scalar()
        return Conflict(int(current or post.version))
    return new_version


def soft_delete(conn: Connection, post: PostState, now: datetime | None = None) -> None:
    """Mark the post deleted: it leaves every reader's view (previews included) but its row stays."""
    moment = now or datetime.now(UTC)
    conn.execute(
        posts.update()
        .where(posts.c.id == post.id)
        .values(deleted_at=moment, updated_at=moment, version=posts.c.version + 1)
    )


def due_scheduled_posts(conn: Connection, now: datetime) -> list[PostState]:
    """Scheduled posts whose time has come, oldest first."""
    query = (
        select(posts)
        .where(posts.c.status == SCHEDULED, posts.c.deleted_at.is_(None), posts.c.scheduled_at <= now)
        .order_by(posts.c.scheduled_at, posts.c.id)
    )
    return [_state(row) for row in conn.execute(query)]


# ---------------------------------------------------------------------------------------------------
# People


@dataclass(frozen=True, slots=True)
class PersonState:
    id: int
    slug: str
    name: str
    pronouns: str | None
    show_pronouns: bool
    role: str | None
    bio: str | None
    aliases: tuple[str, ...]


def find_person(conn: Connection, slug: str) -> PersonState | None:
    row = conn.execute(select(people).where(people.c.slug == slug)).first()
    if row is None:
        return None
    m = row._mapping
    return PersonState(
        m["id"],
        m["slug"],
        m["name"],
        m["pronouns"],
        m["show_pronouns"],
        m["role"],
        m["bio"],
        tuple(m["aliases"]),
    )


def _person_values(problems: _Problems, fields: PersonFields) -> dict[str, Any]:
    values: dict[str, Any] = {}
    name = _text(problems, "name", fields.name, MAX_NAME, required=True)
    if name is not None:
        values["name"] = " ".join(name.split())
    pronouns = _text(problems, "pronouns", fields.pronouns, MAX_PRONOUNS, required=False)
    if pronouns is not None:
        values["pronouns"] = pronouns or None
    if fields.show_pronouns is not None:
        values["show_pronouns"] = fields.show_pronouns
    role = _text(problems, "role", fields.role, MAX_NAME, required=False)
    if role is not None:
        values["role"] = role or None
    if fields.bio is not None:
        values["bio"] = fields.bio.strip() or None
    if fields.aliases is not None:
        aliases = [" ".join(alias.split()) for alias in fields.aliases]
        if any(not alias or len(alias) > MAX_NAME for alias in aliases):
            problems.add("aliases", f"each alias must be 1 to {MAX_NAME} characters")
        values["aliases"] = aliases
    return values


def create_person(conn: Connection, fields: PersonFields, now: datetime | None = None) -> int:
    """Insert a person; return the id. Consent to show pronouns is false unless given."""
    moment = now or datetime.now(UTC)
    problems = _Problems()
    if fields.name is None:
        problems.add("name", "is required")
    values = _person_values(problems, fields)
    slug = fields.slug.strip() if fields.slug is not None else slugify(fields.name or "")
    _check_slug(problems, "slug", slug)
    if slug and find_person(conn, slug) is not None:
        problems.add("slug", f"a person with slug {slug!r} already exists")
    problems.raise_if_any()
    row = {
        "show_pronouns": False,
        "aliases": [],
        **values,
        "slug": slug,
        "created_at": moment,
        "updated_at": moment,
    }
    key = conn.execute(people.insert().values(row)).inserted_primary_key
    if key is None:
        raise RuntimeError("the insert returned no primary key")
    return int(key[0])


def update_person(
    conn: Connection, person: PersonState, fields: PersonFields, now: datetime | None = None
) -> None:
    """Apply `fields` to `person` (the slug stays: posts and links name people by it)."""
    problems = _Problems()
    values = _person_values(problems, replace(fields, slug=None))
    problems.raise_if_any()
    if values:
        conn.execute(
            people.update()
            .where(people.c.id == person.id)
            .values(values | {"updated_at": now or datetime.now(UTC)})
        )


def relink_mentions(conn: Connection) -> list[int]:
    """Recompute the people every live post names (after a person's name or aliases changed).

    Returns the ids of posts whose people changed. Authors stay out of a post's people, as on import.
    """
    directory = _store_people(conn)
    ids = _ids_for(conn, people, "slug", [person.slug for person in directory])
    changed: list[int] = []
    rows = conn.execute(
        select(posts.c.id, posts.c.title, posts.c.body_text).where(posts.c.deleted_at.is_(None))
    )
    for post_id, title, body_text in rows.all():
        links = post_links(conn, post_id)
        wanted = mentioned_people(f"{title}\n{body_text}", directory, authors=links["authors"])
        if wanted != links["people"]:
            _replace_links(conn, post_id, post_people, "person_id", [ids[slug] for slug in wanted])
            changed.append(post_id)
    return changed


def posts_of_person(conn: Connection, person_id: int) -> list[int]:
    """Ids of the posts a person wrote or appears in."""
    authored = select(post_authors.c.post_id).where(post_authors.c.person_id == person_id)
    appears = select(post_people.c.post_id).where(post_people.c.person_id == person_id)
    return sorted({int(post_id) for (post_id,) in conn.execute(authored.union(appears))})
