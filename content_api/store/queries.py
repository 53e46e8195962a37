"""Read queries for the API, in SQLAlchemy Core. They return small frozen records, never rows or ORM objects.

Which posts a reader may see is decided in exactly one place: `PostScope.visible()`. Every query that
touches posts (lists, counts, lookups, a person's or tag's posts, search, image visibility) takes a
scope and applies that predicate; nothing here filters on `status` by itself.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Connection,
    FromClause,
    Integer,
    Select,
    Table,
    and_,
    bindparam,
    case,
    exists,
    func,
    literal,
    null,
    or_,
    select,
    tuple_,
)

from content_api.store import search as fulltext
from content_api.store.image_urls import image_url
from content_api.store.prepared import PreparedRead
from content_api.store.tables import (
    PUBLISHED,
    images,
    people,
    post_authors,
    post_people,
    post_tags,
    posts,
    tags,
)
from content_api.store.version import counted

# ---------------------------------------------------------------------------------------------------
# Visibility


@dataclass(frozen=True, slots=True)
class PostScope:
    """The set of posts one reader may see, as a predicate over the `posts` table.

    Anonymous readers get `PUBLIC`. A reader with more rights (a preview token) gets a scope with more
    statuses; every query below is written against `visible()`, so widening a scope is the only change
    that grants access anywhere.
    """

    statuses: frozenset[str]

    def visible(self, table: FromClause = posts) -> ColumnElement[bool]:
        """SQL condition that is true exactly for the posts this scope may see (`table`: the posts
        table or an alias of it)."""
        return and_(table.c.status.in_(sorted(self.statuses)), table.c.deleted_at.is_(None))


PUBLIC = PostScope(frozenset({PUBLISHED}))


# ---------------------------------------------------------------------------------------------------
# Records
#
# What the API reads is handed on as named tuples: immutable like frozen dataclasses, and several
# times cheaper to build, which counts when a page of posts builds a hundred of them.


class PostRecord(NamedTuple):
    id: int
    slug: str
    title: str
    summary: str | None
    # None when the post was read as an entry of a list (`LISTED_POST_COLUMNS`): `post_bodies` has it.
    body_html: str | None
    published_at: datetime | None
    updated_at: datetime
    lang: str | None
    reading_time_minutes: int
    feature_image_id: int | None
    feature_image_alt: str | None
    feature_image_caption: str | None
    # Read with the post (one outer join), so showing it takes no statement of its own.
    feature_image: ImageRecord | None

    @property
    def key(self) -> PostKey:
        return PostKey(self.published_at, self.id)


class PersonRecord(NamedTuple):
    id: int
    slug: str
    name: str
    # Already None unless the person consented to show their pronouns.
    pronouns: str | None
    role: str | None
    bio: str | None
    avatar_image_id: int | None
    avatar_alt: str | None


class TagRecord(NamedTuple):
    id: int
    slug: str
    name: str


class ImageRecord(NamedTuple):
    """What is known about an image, without its bytes."""

    id: int
    path: str
    media_type: str
    format: str
    width: int
    height: int
    animated: bool
    frame_count: int
    duration_ms: int | None
    loop_count: int | None
    flash_verdict: str | None


@dataclass(frozen=True, slots=True)
class ImageFile:
    path: str
    media_type: str
    sha256: str
    data: bytes
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class PostKey:
    """A position in the published-date order: keyset pagination compares (published_at, id)."""

    published_at: datetime | None
    id: int


@dataclass(frozen=True, slots=True)
class PersonKey:
    """A position in the name order of people."""

    name: str
    id: int


class PostOrder(Enum):
    PUBLISHED_DESC = "published_desc"
    PUBLISHED_ASC = "published_asc"


@dataclass(frozen=True, slots=True)
class PostFilter:
    """Conditions on a post list; every given condition must hold."""

    tag_slug: str | None = None
    author_slug: str | None = None
    person_slug: str | None = None
    # Half-open interval: published_after <= published_at < published_before.
    published_after: datetime | None = None
    published_before: datetime | None = None


class PostLink(Enum):
    """How a parent (a person or a tag) is linked to its posts."""

    AUTHOR = "author"
    TAG = "tag"


_POST_OWN_COLUMNS = (
    posts.c.id,
    posts.c.slug,
    posts.c.title,
    posts.c.summary,
    posts.c.body_html,
    posts.c.published_at,
    posts.c.updated_at,
    posts.c.lang,
    posts.c.reading_time_minutes,
    posts.c.feature_image_id,
    posts.c.feature_image_alt,
    posts.c.feature_image_caption,
)


def shown_pronouns(table: FromClause = people) -> ColumnElement[str | None]:
    """A person's pronouns where they consented to show them, else null (`table`: people or an alias).

    Pronouns never leave the store without the person's consent: every read of them goes through this.
    """
    return case((table.c.show_pronouns.is_(True), table.c.pronouns), else_=null())


_PERSON_COLUMNS = (
    people.c.id,
    people.c.slug,
    people.c.name,
    shown_pronouns().label("pronouns"),
    people.c.role,
    people.c.bio,
    people.c.avatar_image_id,
    people.c.avatar_alt,
)

_IMAGE_COLUMNS = (
    images.c.id,
    images.c.path,
    images.c.media_type,
    images.c.format,
    images.c.width,
    images.c.height,
    images.c.animated,
    images.c.frame_count,
    images.c.duration_ms,
    images.c.loop_count,
    images.c.flash_verdict,
)


# A post's feature image comes with the post: every statement selecting `POST_COLUMNS` reads from
# `with_feature_image(...)`.
_FEATURE = images.alias("feature")
POST_COLUMNS = (
    *_POST_OWN_COLUMNS,
    *(_FEATURE.c[column.name].label(f"feature_{column.name}") for column in _IMAGE_COLUMNS),
)
_OWN = len(_POST_OWN_COLUMNS)
# The same for lists of posts (pages, related news), without the body: list items seldom show it, and
# the bodies are most of a post's bytes (about 10 kB each, a 20-post page reading 200 kB for nothing).
LISTED_POST_COLUMNS = tuple(
    null().label("body_html") if column is posts.c.body_html else column for column in POST_COLUMNS
)


def with_feature_image(source: FromClause) -> FromClause:
    """`source` (the posts table, or a join that includes it) with each post's feature image."""
    return source.outerjoin(_FEATURE, _FEATURE.c.id == posts.c.feature_image_id)


def post_record(row: Any) -> PostRecord:
    """The record of a row whose first columns are `POST_COLUMNS` or `LISTED_POST_COLUMNS`."""
    image = _image(row[_OWN : len(POST_COLUMNS)]) if row[_OWN] is not None else None
    return PostRecord(*(*row[:_OWN], image))


def _person(row: Any) -> PersonRecord:
    return PersonRecord(*row[: len(_PERSON_COLUMNS)])


def _image(row: Any) -> ImageRecord:
    return ImageRecord(*row[: len(_IMAGE_COLUMNS)])


# Lookups by key run on every request: their statements are built and compiled once (with an
# expanding bound parameter for the keys) and run as prepared reads (content_api/store/prepared.py).


def _keys(name: str = "keys") -> Any:
    return bindparam(name, expanding=True)


@cache
def _posts_by_key(scope: PostScope, column: str) -> PreparedRead:
    statement = (
        select(*POST_COLUMNS)
        .select_from(with_feature_image(posts))
        .where(scope.visible(), posts.c[column].in_(_keys()))
    )
    return PreparedRead(statement, "keys")


@cache
def _people_of_posts_read(table: Table) -> PreparedRead:
    statement = (
        select(*_PERSON_COLUMNS, table.c.post_id)
        .select_from(people.join(table, table.c.person_id == people.c.id))
        .where(table.c.post_id.in_(_keys()))
        .order_by(table.c.post_id, table.c.position, people.c.id)
    )
    return PreparedRead(statement, "keys")


_TAGS_OF_POSTS = PreparedRead(
    select(tags.c.id, tags.c.slug, tags.c.name, post_tags.c.post_id)
    .select_from(tags.join(post_tags, post_tags.c.tag_id == tags.c.id))
    .where(post_tags.c.post_id.in_(_keys()))
    .order_by(post_tags.c.post_id, post_tags.c.position, tags.c.id),
    "keys",
)
_PEOPLE_BY_ID = PreparedRead(select(*_PERSON_COLUMNS).where(people.c.id.in_(_keys())), "keys")
_PEOPLE_BY_SLUG = PreparedRead(select(*_PERSON_COLUMNS).where(people.c.slug.in_(_keys())), "keys")
_IMAGES_BY_ID = PreparedRead(select(*_IMAGE_COLUMNS).where(images.c.id.in_(_keys())), "keys")


# ---------------------------------------------------------------------------------------------------
# Posts


def posts_by_ids(conn: Connection, scope: PostScope, ids: Collection[int]) -> dict[int, PostRecord]:
    """The visible posts among `ids`, by id (invisible or unknown ids are absent)."""
    if not ids:
        return {}
    rows = _posts_by_key(scope, "id").rows(conn, sorted(set(ids)))
    return {record.id: record for record in map(post_record, rows)}


def posts_by_slugs(conn: Connection, scope: PostScope, slugs: Collection[str]) -> dict[str, PostRecord]:
    """The visible posts among `slugs`, by slug."""
    if not slugs:
        return {}
    rows = _posts_by_key(scope, "slug").rows(conn, sorted(set(slugs)))
    return {record.slug: record for record in map(post_record, rows)}


def post_bodies(conn: Connection, scope: PostScope, ids: Collection[int]) -> dict[int, str]:
    """The bodies of the visible posts among `ids`, by id."""
    if not ids:
        return {}
    return {post_id: body for post_id, body in _visible_bodies(scope).rows(conn, sorted(set(ids)))}


@cache
def _visible_bodies(scope: PostScope) -> PreparedRead:
    return PreparedRead(
        select(posts.c.id, posts.c.body_html).where(scope.visible(), posts.c.id.in_(_keys())), "keys"
    )


_FILTER_FIELDS = ("tag_slug", "author_slug", "person_slug", "published_after", "published_before")


def _filter_shape(post_filter: PostFilter) -> tuple[str, ...]:
    """Which conditions of `post_filter` are set: statements are built once per shape."""
    return tuple(name for name in _FILTER_FIELDS if getattr(post_filter, name) is not None)


def _filter_params(post_filter: PostFilter) -> dict[str, Any]:
    return {
        name: getattr(post_filter, name) for name in _FILTER_FIELDS if getattr(post_filter, name) is not None
    }


def _filter_conditions(shape: tuple[str, ...]) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if "tag_slug" in shape:
        conditions.append(
            exists()
            .where(post_tags.c.post_id == posts.c.id, post_tags.c.tag_id == tags.c.id)
            .where(tags.c.slug == bindparam("tag_slug"))
        )
    if "author_slug" in shape:
        conditions.append(
            exists()
            .where(post_authors.c.post_id == posts.c.id, post_authors.c.person_id == people.c.id)
            .where(people.c.slug == bindparam("author_slug"))
        )
    if "person_slug" in shape:
        conditions.append(
            exists()
            .where(post_people.c.post_id == posts.c.id, post_people.c.person_id == people.c.id)
            .where(people.c.slug == bindparam("person_slug"))
        )
    published_at_type = posts.c.published_at.type
    if "published_after" in shape:
        conditions.append(posts.c.published_at >= bindparam("published_after", type_=published_at_type))
    if "published_before" in shape:
        conditions.append(posts.c.published_at < bindparam("published_before", type_=published_at_type))
    return conditions


# Where posts without a published date (drafts, in a preview scope) sort: after every dated post in
# ascending order, before them in descending order, so newest-first previews open with the drafts.
UNDATED = datetime(9999, 12, 31, tzinfo=UTC)


def _position(scope: PostScope) -> ColumnElement[Any]:
    """The date a post sorts by. Published posts always have a date, so the public scope sorts by the
    indexed column itself; wider scopes put undated posts at `UNDATED` so keyset pagination never
    compares with NULL."""
    if scope.statuses == PUBLIC.statuses:
        return posts.c.published_at
    return func.coalesce(posts.c.published_at, literal(UNDATED, type_=posts.c.published_at.type))


def _after_condition(scope: PostScope, order: PostOrder, has_after: bool) -> list[ColumnElement[bool]]:
    if not has_after:
        return []
    position = tuple_(_position(scope), posts.c.id)
    target = tuple_(
        bindparam("after_published_at", type_=posts.c.published_at.type),
        bindparam("after_id", type_=Integer()),
    )
    return [position < target if order is PostOrder.PUBLISHED_DESC else position > target]


def _after_params(after: PostKey | None) -> dict[str, Any]:
    if after is None:
        return {}
    published_at = after.published_at if after.published_at is not None else UNDATED
    return {"after_published_at": published_at, "after_id": after.id}


def _order_by(scope: PostScope, order: PostOrder) -> tuple[Any, Any]:
    position = _position(scope)
    if order is PostOrder.PUBLISHED_DESC:
        return position.desc(), posts.c.id.desc()
    return position.asc(), posts.c.id.asc()


def post_page_statement(
    scope: PostScope,
    shape: tuple[str, ...],
    order: PostOrder,
    has_after: bool,
    columns: tuple[ColumnElement[Any], ...],
    source: FromClause = posts,
) -> Select[Any]:
    """`columns` of a page of visible posts, filtered by the conditions `shape` names (see
    `post_page_shape`), in `order`, after a position when `has_after`, from `source` (the posts table,
    or a join that includes it). Its arguments are `post_page_arguments(...)`."""
    return (
        select(*columns)
        .select_from(source)
        .where(scope.visible(), *_filter_conditions(shape), *_after_condition(scope, order, has_after))
        .order_by(*_order_by(scope, order))
        .limit(bindparam("limit", type_=Integer()))
    )


def post_page_arguments(post_filter: PostFilter, after: PostKey | None, limit: int) -> dict[str, Any]:
    """The arguments of `post_page_statement(...)` for this filter, position and page size."""
    return {**_filter_params(post_filter), **_after_params(after), "limit": limit}


def post_page_shape(post_filter: PostFilter) -> tuple[str, ...]:
    """Which of `post_filter`'s conditions are set: page statements differ by that, not by values."""
    return _filter_shape(post_filter)


@cache
def _post_page_read(
    scope: PostScope, shape: tuple[str, ...], order: PostOrder, has_after: bool
) -> PreparedRead:
    columns = LISTED_POST_COLUMNS
    return PreparedRead(
        post_page_statement(scope, shape, order, has_after, columns, with_feature_image(posts))
    )


@cache
def _count_posts_statement(scope: PostScope, shape: tuple[str, ...]) -> Select[Any]:
    return select(func.count()).select_from(posts).where(scope.visible(), *_filter_conditions(shape))


def post_page(
    conn: Connection,
    scope: PostScope,
    post_filter: PostFilter,
    order: PostOrder,
    *,
    limit: int,
    after: PostKey | None = None,
) -> list[PostRecord]:
    """Up to `limit` visible posts matching `post_filter`, in `order`, starting after `after`."""
    read = _post_page_read(scope, _filter_shape(post_filter), order, after is not None)
    params = post_page_arguments(post_filter, after, limit)
    return [post_record(row) for row in read.rows(conn, arguments=params)]


def count_posts(conn: Connection, scope: PostScope, post_filter: PostFilter) -> int:
    """How many visible posts match `post_filter` (kept until the content version changes)."""
    shape = _filter_shape(post_filter)
    params = _filter_params(post_filter)
    statement = _count_posts_statement(scope, shape)
    key = ("posts", scope, shape, tuple(params.values()))
    return counted(conn, key, lambda: int(conn.execute(statement, params).scalar_one()))


def _link_table(link: PostLink) -> Any:
    return post_authors if link is PostLink.AUTHOR else post_tags


def _parent_column(link: PostLink) -> Any:
    return post_authors.c.person_id if link is PostLink.AUTHOR else post_tags.c.tag_id


def post_pages_by_parent(
    conn: Connection,
    scope: PostScope,
    link: PostLink,
    parent_ids: Collection[int],
    order: PostOrder,
    *,
    limit: int,
    after: PostKey | None = None,
) -> dict[int, list[PostRecord]]:
    """For many people (or tags) at once, up to `limit` of each one's visible posts: one statement."""
    if not parent_ids:
        return {}
    table = _link_table(link)
    parent = _parent_column(link)
    ranked = (
        select(
            *LISTED_POST_COLUMNS,
            parent.label("parent_id"),
            func.row_number().over(partition_by=parent, order_by=_order_by(scope, order)).label("position"),
        )
        .select_from(with_feature_image(posts.join(table, table.c.post_id == posts.c.id)))
        .where(
            scope.visible(),
            parent.in_(sorted(set(parent_ids))),
            *_after_condition(scope, order, after is not None),
        )
        .subquery()
    )
    query = select(ranked).where(ranked.c.position <= limit).order_by(ranked.c.parent_id, ranked.c.position)
    pages: dict[int, list[PostRecord]] = {parent_id: [] for parent_id in parent_ids}
    for row in conn.execute(query, _after_params(after)):
        pages[row.parent_id].append(post_record(row))
    return pages


def count_posts_by_parent(
    conn: Connection, scope: PostScope, link: PostLink, parent_ids: Collection[int]
) -> dict[int, int]:
    """For many people (or tags) at once, how many visible posts each has."""
    if not parent_ids:
        return {}
    table = _link_table(link)
    parent = _parent_column(link)
    query = (
        select(parent, func.count())
        .select_from(with_feature_image(posts.join(table, table.c.post_id == posts.c.id)))
        .where(scope.visible(), parent.in_(sorted(set(parent_ids))))
        .group_by(parent)
    )
    counts = dict.fromkeys(parent_ids, 0)
    counts.update({int(parent_id): int(n) for parent_id, n in conn.execute(query)})
    return counts


# ---------------------------------------------------------------------------------------------------
# Search


def search_post_ids(conn: Connection, scope: PostScope, text: str, *, limit: int, offset: int) -> list[int]:
    """Ids of the visible posts matching `text`, best match first."""
    return fulltext.search_post_ids(
        conn, text, statuses=tuple(sorted(scope.statuses)), limit=limit, offset=offset
    )


def count_search(conn: Connection, scope: PostScope, text: str) -> int:
    """How many visible posts match `text`."""
    return fulltext.count_search(conn, text, statuses=tuple(sorted(scope.statuses)))


# ---------------------------------------------------------------------------------------------------
# What belongs to a post (the posts themselves were already checked against the scope)


def _people_of_posts(
    conn: Connection, table: Any, post_ids: Collection[int]
) -> dict[int, list[PersonRecord]]:
    result: dict[int, list[PersonRecord]] = {post_id: [] for post_id in post_ids}
    if not post_ids:
        return result
    for row in _people_of_posts_read(table).rows(conn, sorted(set(post_ids))):
        result[row[-1]].append(_person(row))
    return result


def authors_by_post(conn: Connection, post_ids: Collection[int]) -> dict[int, list[PersonRecord]]:
    """The authors of each post, in byline order."""
    return _people_of_posts(conn, post_authors, post_ids)


def people_by_post(conn: Connection, post_ids: Collection[int]) -> dict[int, list[PersonRecord]]:
    """The people each post is about or quotes (authors excluded), in order."""
    return _people_of_posts(conn, post_people, post_ids)


def tags_by_post(conn: Connection, post_ids: Collection[int]) -> dict[int, list[TagRecord]]:
    """The tags of each post, in order."""
    result: dict[int, list[TagRecord]] = {post_id: [] for post_id in post_ids}
    if not post_ids:
        return result
    for tag_id, slug, name, post_id in _TAGS_OF_POSTS.rows(conn, sorted(set(post_ids))):
        result[post_id].append(TagRecord(tag_id, slug, name))
    return result


# ---------------------------------------------------------------------------------------------------
# People


def people_by_ids(conn: Connection, ids: Collection[int]) -> dict[int, PersonRecord]:
    if not ids:
        return {}
    rows = _PEOPLE_BY_ID.rows(conn, sorted(set(ids)))
    return {record.id: record for record in map(_person, rows)}


def people_by_slugs(conn: Connection, slugs: Collection[str]) -> dict[str, PersonRecord]:
    if not slugs:
        return {}
    rows = _PEOPLE_BY_SLUG.rows(conn, sorted(set(slugs)))
    return {record.slug: record for record in map(_person, rows)}


def people_page(conn: Connection, *, limit: int, after: PersonKey | None = None) -> list[PersonRecord]:
    """Up to `limit` people in name order (ties by id), starting after `after`."""
    query: Select[Any] = select(*_PERSON_COLUMNS)
    if after is not None:
        query = query.where(
            tuple_(people.c.name, people.c.id) > tuple_(literal(after.name), literal(after.id))
        )
    query = query.order_by(people.c.name, people.c.id).limit(limit)
    return [_person(row) for row in conn.execute(query)]


def count_people(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(people)).scalar_one())


# ---------------------------------------------------------------------------------------------------
# Tags


def _tag_has_visible_post(scope: PostScope) -> ColumnElement[bool]:
    # A tag only exists for readers once a post they may see carries it: a tag used by drafts alone
    # would otherwise announce what the drafts are about.
    return (
        exists()
        .where(post_tags.c.tag_id == tags.c.id, post_tags.c.post_id == posts.c.id)
        .where(scope.visible())
    )


def visible_tags(conn: Connection, scope: PostScope) -> list[TagRecord]:
    """Every tag carried by at least one visible post, by name."""
    query = (
        select(tags.c.id, tags.c.slug, tags.c.name).where(_tag_has_visible_post(scope)).order_by(tags.c.name)
    )
    return [TagRecord(*row) for row in conn.execute(query)]


def tags_by_ids(conn: Connection, scope: PostScope, ids: Collection[int]) -> dict[int, TagRecord]:
    """The visible tags among `ids`, by id."""
    if not ids:
        return {}
    query = select(tags.c.id, tags.c.slug, tags.c.name).where(
        tags.c.id.in_(sorted(set(ids))), _tag_has_visible_post(scope)
    )
    return {row.id: TagRecord(*row) for row in conn.execute(query)}


# ---------------------------------------------------------------------------------------------------
# Images


def images_by_ids(conn: Connection, ids: Collection[int]) -> dict[int, ImageRecord]:
    if not ids:
        return {}
    rows = _IMAGES_BY_ID.rows(conn, sorted(set(ids)))
    return {record.id: record for record in map(_image, rows)}


def public_image_file(conn: Connection, scope: PostScope, path: str) -> ImageFile | None:
    """The bytes of the image at `path` if a reader in `scope` may see it, else None.

    An image is visible when it is a person's avatar, the feature image of a visible post, or is
    linked from the body of a visible post; an image that only a draft uses stays private.
    """
    url = image_url(path)
    used_by_visible_post = or_(
        exists().where(posts.c.feature_image_id == images.c.id, scope.visible()),
        exists().where(
            scope.visible(),
            or_(
                posts.c.body_html.contains(f'"{url}"', autoescape=True),
                posts.c.body_html.contains(f"'{url}'", autoescape=True),
            ),
        ),
    )
    is_avatar = exists().where(people.c.avatar_image_id == images.c.id)
    query = select(
        images.c.path, images.c.media_type, images.c.sha256, images.c.data, images.c.updated_at
    ).where(images.c.path == path, or_(is_avatar, used_by_visible_post))
    row = conn.execute(query).first()
    if row is None:
        return None
    return ImageFile(row.path, row.media_type, row.sha256, bytes(row.data), row.updated_at)
