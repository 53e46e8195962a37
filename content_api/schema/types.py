"""GraphQL object types. They hold store records and resolve relations through the request's loaders;
no SQL is written here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from enum import Enum
from functools import lru_cache
from typing import Any, Generic, TypeVar
from urllib.parse import quote

import strawberry

from content_api.context import Context
from content_api.schema import editorial
from content_api.schema.audit_types import AuditReport
from content_api.schema.editorial import PostStatus
from content_api.schema.errors import BadUserInput, PostGone
from content_api.schema.loaders import ParentPostsKey
from content_api.schema.pagination import (
    DEFAULT_PAGE_SIZE,
    check_first,
    decode_post_cursor,
    global_id,
    post_cursor,
)
from content_api.services.related import DEFAULT_RELATED, MAX_RELATED
from content_api.services.related_scoring import SCORE_SCALE
from content_api.store import queries as store
from content_api.store.image_urls import image_url
from content_api.store.queries import ImageRecord, PersonRecord, PostLink, PostRecord, TagRecord
from content_api.store.related import RelatedEntry

Info = strawberry.Info[Context, None]
NodeT = TypeVar("NodeT")


# ---------------------------------------------------------------------------------------------------
# Relay plumbing


@strawberry.interface(description="An object with a global id; `node(id)` fetches any of them.")
class Node:
    id: strawberry.ID = strawberry.field(description="Global id, stable across requests.")


@strawberry.type(description="Where a page of a connection starts and ends.")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool = strawberry.field(
        description="Always false: connections page forward only (`first`/`after`)."
    )
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type(description="One item of a connection with its opaque cursor.")
class Edge(Generic[NodeT]):
    cursor: str
    node: NodeT


@strawberry.type(description="A page of a list, with the size of the whole list.")
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]]
    page_info: PageInfo
    # Counting costs a statement, so it only runs when a client selects totalCount.
    count_items: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="Number of items in the whole list, across all pages.")
    async def total_count(self) -> int:
        return await self.count_items()


def make_connection(
    items: Sequence[tuple[str, NodeT]], *, has_next_page: bool, count: Callable[[], Awaitable[int]]
) -> Connection[NodeT]:
    """A connection over `(cursor, node)` pairs already cut to the page size."""
    edges = [Edge(cursor=cursor, node=node) for cursor, node in items]
    page_info = PageInfo(
        has_next_page=has_next_page,
        has_previous_page=False,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )
    return Connection(edges=edges, page_info=page_info, count_items=count)


# ---------------------------------------------------------------------------------------------------
# Content types


@strawberry.enum(description="Result of the flash check (WCAG 2.3.1) run on an image when it was imported.")
class FlashVerdict(Enum):
    PASS = "pass"
    FAIL = "fail"


@lru_cache(maxsize=4096)
def quoted_image_url(path: str) -> str:
    """The image's URL without the base URL, quoted."""
    # The same few hundred images are linked from page after page.
    return quote(image_url(path))


@strawberry.type(description="An image stored with the content, with the text that stands in for it.")
class Image:
    url: str = strawberry.field(description="Absolute URL of the image file.")
    alt: str | None = strawberry.field(description="Alternative text; empty for a decorative image.")
    caption: str | None
    width: int = strawberry.field(description="Width in pixels.")
    height: int = strawberry.field(description="Height in pixels.")
    record: strawberry.Private[ImageRecord]

    @classmethod
    def build(cls, info: Info, record: ImageRecord, alt: str | None, caption: str | None) -> Image:
        url = info.context.image_base_url + quoted_image_url(record.path)
        return cls(url=url, alt=alt, caption=caption, width=record.width, height=record.height, record=record)

    @strawberry.field(description="File format: GIF, PNG, JPEG or WEBP.")
    def format(self) -> str:
        return self.record.format

    @strawberry.field(description="Whether the image moves (it has more than one frame).")
    def animated(self) -> bool:
        return self.record.animated

    @strawberry.field(
        description="Whether the image flashes more than three times a second over a large area; still "
        "images pass; null when it was not checked."
    )
    def flash_verdict(self) -> FlashVerdict | None:
        verdict = self.record.flash_verdict
        return FlashVerdict(verdict) if verdict in ("pass", "fail") else None


@strawberry.enum(description="Order of a post list by published date.")
class PostOrder(Enum):
    PUBLISHED_DESC = "PUBLISHED_DESC"
    PUBLISHED_ASC = "PUBLISHED_ASC"

    def to_store(self) -> store.PostOrder:
        return store.PostOrder[self.name]


async def _load_image(info: Info, image_id: int | None, alt: str | None, caption: str | None) -> Image | None:
    """The image with this id through the request's loader, with the alt and caption its user gives it."""
    if image_id is None:
        return None
    image = await info.context.loaders.image_by_id.load(image_id)
    if image is None:
        return None
    return Image.build(info, image, alt, caption)


def _post_fields(record: PostRecord) -> dict[str, Any]:
    """A post's fields as `Post` (and `RelatedPost`) take them."""
    return {
        "id": strawberry.ID(global_id("Post", record.id)),
        "slug": record.slug,
        "title": record.title,
        "summary": record.summary,
        "published_at": record.published_at,
        "updated_at": record.updated_at,
        "lang": record.lang,
        "reading_time_minutes": record.reading_time_minutes,
        "record": record,
    }


async def _body_html(root: Post, info: Info) -> str:
    body = root.record.body_html
    if body is None:  # read as an entry of a list, without its body
        body = await info.context.loaders.body_of_post.load(root.record.id)
        if body is None:
            raise PostGone(f"The post {root.record.slug!r} was taken down while this request ran.")
    return body


@strawberry.type(description="A published news post.")
class Post(Node):
    slug: str
    title: str
    summary: str | None
    body_html: str = strawberry.field(resolver=_body_html, description="The body as sanitised HTML.")
    published_at: datetime | None
    updated_at: datetime
    lang: str | None = strawberry.field(description="BCP 47 language tag of the post, e.g. en-GB.")
    reading_time_minutes: int
    record: strawberry.Private[PostRecord]

    @classmethod
    def from_record(cls, record: PostRecord) -> Post:
        return cls(**_post_fields(record))

    @strawberry.field
    def feature_image(self, info: Info) -> Image | None:
        # Read with the post itself (store.queries.with_feature_image): no loader, no statement.
        record = self.record
        if record.feature_image is None:
            return None
        return Image.build(info, record.feature_image, record.feature_image_alt, record.feature_image_caption)

    @strawberry.field(description="The authors, in byline order.")
    async def authors(self, info: Info) -> list[Person]:
        records = await info.context.loaders.authors_of_post.load(self.record.id)
        return [Person.from_record(record) for record in records]

    @strawberry.field(description="People the post is about or quotes, authors excluded.")
    async def people(self, info: Info) -> list[Person]:
        records = await info.context.loaders.people_of_post.load(self.record.id)
        return [Person.from_record(record) for record in records]

    @strawberry.field
    async def tags(self, info: Info) -> list[Tag]:
        records = await info.context.loaders.tags_of_post.load(self.record.id)
        return [Tag.from_record(record) for record in records]

    @strawberry.field(description="Only PUBLISHED for anonymous readers; a read:drafts key sees drafts too.")
    async def status(self, info: Info) -> PostStatus:
        return await editorial.post_status(info, self.record.id)

    @strawberry.field(description="Bumped on every change; send it back with updatePost.")
    async def version(self, info: Info) -> int:
        return await editorial.post_version(info, self.record.id)

    @strawberry.field(description="When a scheduled post goes live (after passing the audit then).")
    async def scheduled_at(self, info: Info) -> datetime | None:
        return await editorial.post_scheduled_at(info, self.record.id)

    @strawberry.field(description="The latest stored accessibility audit of the post. Needs read:drafts.")
    async def audit(self, info: Info) -> AuditReport | None:
        return await editorial.post_audit(info, self.record.id)

    @strawberry.field(
        description=(
            "Other published news to read next: posts an editor pinned first, then the most related by "
            f"text, tags and people, newer posts gently preferred. `first` is 0 to {MAX_RELATED}."
        )
    )
    async def related(self, info: Info, first: int = DEFAULT_RELATED) -> list[RelatedPost]:
        return await related_posts(info, self.record.id, first)


def check_related_first(first: int) -> int:
    """`first` itself when it is within 0..MAX_RELATED, else a BAD_USER_INPUT error."""
    if first < 0 or first > MAX_RELATED:
        raise BadUserInput(f"`first` must be between 0 and {MAX_RELATED} for related news, got {first}.")
    return first


async def related_posts(info: Info, post_id: int, first: int) -> list[RelatedPost]:
    """The first `first` related posts of the post `post_id`, through the request's loader."""
    check_related_first(first)
    entries = await info.context.loaders.related_of_post.load((post_id, first))
    return [RelatedPost.from_entry(entry) for entry in entries]


@strawberry.type(description="Why a post is listed as related news.")
class RelatedReason:
    pinned: bool = strawberry.field(description="An editor pinned it to the post.")
    tags: list[str] = strawberry.field(
        description="Names of the tags both posts carry, rarest first (tags on most posts are left out)."
    )
    people: list[str] = strawberry.field(description="Names of people both posts are by or about.")
    terms: list[str] = strawberry.field(description="Words that weigh most in both posts, strongest first.")

    @classmethod
    def from_stored(cls, reason: dict[str, Any], pinned: bool) -> RelatedReason:
        def names(key: str) -> list[str]:
            value = reason.get(key)
            return [str(item) for item in value] if isinstance(value, list) else []

        return cls(pinned=pinned, tags=names("tags"), people=names("people"), terms=names("terms"))


def _related_reason(root: RelatedPost) -> RelatedReason:
    # Built when asked for: a post page's related news seldom shows why.
    return RelatedReason.from_stored(root.entry.reason, root.entry.pinned)


@strawberry.type(description="A published post listed as related news, with why it is listed.")
class RelatedPost(Post):
    score: float = strawberry.field(
        description="How related the post is, higher is closer (a pinned post may score 0)."
    )
    reason: RelatedReason = strawberry.field(resolver=_related_reason)
    entry: strawberry.Private[RelatedEntry]

    @classmethod
    def from_entry(cls, entry: RelatedEntry) -> RelatedPost:
        return cls(**_post_fields(entry.post), score=entry.score / SCORE_SCALE, entry=entry)


async def _parent_posts(
    info: Info, link: PostLink, parent_id: int, first: int, after: str | None
) -> Connection[Post]:
    check_first(first)
    after_key = decode_post_cursor(after) if after is not None else None
    loaders = info.context.loaders
    key = ParentPostsKey(link, parent_id, store.PostOrder.PUBLISHED_DESC, first + 1, after_key)
    records = await loaders.posts_of_parent.load(key)

    async def count() -> int:
        return await loaders.post_count_of_parent.load((link, parent_id))

    return make_connection(
        [(post_cursor(record.key), Post.from_record(record)) for record in records[:first]],
        has_next_page=len(records) > first,
        count=count,
    )


@strawberry.type(description="Someone who writes or appears in the news: staff, volunteers, partners.")
class Person(Node):
    slug: str
    name: str
    pronouns: str | None = strawberry.field(
        description="The person's pronouns as they write them; null unless they consented to show them."
    )
    role: str | None
    bio: str | None
    record: strawberry.Private[PersonRecord]

    @classmethod
    def from_record(cls, record: PersonRecord) -> Person:
        return cls(
            id=strawberry.ID(global_id("Person", record.id)),
            slug=record.slug,
            name=record.name,
            pronouns=record.pronouns,
            role=record.role,
            bio=record.bio,
            record=record,
        )

    @strawberry.field
    async def avatar(self, info: Info) -> Image | None:
        return await _load_image(info, self.record.avatar_image_id, self.record.avatar_alt, None)

    @strawberry.field(description="Posts this person wrote, newest first.")
    async def posts(
        self, info: Info, first: int = DEFAULT_PAGE_SIZE, after: str | None = None
    ) -> Connection[Post]:
        return await _parent_posts(info, PostLink.AUTHOR, self.record.id, first, after)


@strawberry.type(description="A topic posts are filed under.")
class Tag(Node):
    slug: str
    name: str
    record: strawberry.Private[TagRecord]

    @classmethod
    def from_record(cls, record: TagRecord) -> Tag:
        return cls(
            id=strawberry.ID(global_id("Tag", record.id)), slug=record.slug, name=record.name, record=record
        )

    @strawberry.field(description="Posts with this tag, newest first.")
    async def posts(
        self, info: Info, first: int = DEFAULT_PAGE_SIZE, after: str | None = None
    ) -> Connection[Post]:
        return await _parent_posts(info, PostLink.TAG, self.record.id, first, after)
