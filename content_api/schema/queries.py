"""The root `Query` type: entry points into posts, people, tags, search and global ids."""

from __future__ import annotations

from datetime import UTC, datetime

import strawberry

from content_api.schema.pagination import (
    DEFAULT_PAGE_SIZE,
    check_first,
    decode_global_id,
    decode_person_cursor,
    decode_post_cursor,
    decode_search_cursor,
    person_cursor,
    post_cursor,
    search_cursor,
)
from content_api.schema.types import (
    Connection,
    Info,
    Node,
    Person,
    Post,
    PostOrder,
    RelatedPost,
    Tag,
    check_related_first,
    make_connection,
    related_posts,
)
from content_api.services.related import DEFAULT_RELATED
from content_api.store import queries as store
from content_api.store.queries import PersonKey


def post_page_request(
    first: int, after: str | None, filter: PostFilter | None, order: PostOrder
) -> tuple[store.PostFilter, store.PostOrder, store.PostKey | None]:
    """What `posts(first, after, filter, order)` asks the store for; BAD_USER_INPUT when `first` is out
    of range or `after` is not a cursor."""
    check_first(first)
    after_key = decode_post_cursor(after) if after is not None else None
    post_filter = filter.to_store() if filter is not None else store.PostFilter()
    return post_filter, order.to_store(), after_key


# Longer search queries are cut; search uses at most a handful of words anyway.
MAX_SEARCH_LENGTH = 500


@strawberry.input(description="Conditions on a post list; all given conditions must hold.")
class PostFilter:
    tag: str | None = strawberry.field(default=None, description="Slug of a tag the post has.")
    author: str | None = strawberry.field(default=None, description="Slug of one of the post's authors.")
    person: str | None = strawberry.field(
        default=None, description="Slug of a person the post is about or quotes."
    )
    published_after: datetime | None = strawberry.field(
        default=None, description="Published at or after this time (UTC when no offset is given)."
    )
    published_before: datetime | None = strawberry.field(
        default=None, description="Published strictly before this time (UTC when no offset is given)."
    )

    def to_store(self) -> store.PostFilter:
        return store.PostFilter(
            tag_slug=self.tag,
            author_slug=self.author,
            person_slug=self.person,
            published_after=_aware(self.published_after),
            published_before=_aware(self.published_before),
        )


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


@strawberry.type
class Query:
    @strawberry.field(description="The related news of the post with this slug (see Post.related), or null.")
    async def related_news(
        self, info: Info, slug: str, first: int = DEFAULT_RELATED
    ) -> list[RelatedPost] | None:
        check_related_first(first)
        record = await info.context.loaders.post_by_slug.load(slug)
        if record is None:
            return None
        return await related_posts(info, record.id, first)

    @strawberry.field(description="The post with this slug, or null.")
    async def post(self, info: Info, slug: str) -> Post | None:
        record = await info.context.loaders.post_by_slug.load(slug)
        return Post.from_record(record) if record is not None else None

    @strawberry.field(description="Published posts, filtered and ordered by published date.")
    async def posts(
        self,
        info: Info,
        first: int = DEFAULT_PAGE_SIZE,
        after: str | None = None,
        filter: PostFilter | None = None,
        order: PostOrder = PostOrder.PUBLISHED_DESC,
    ) -> Connection[Post]:
        post_filter, store_order, after_key = post_page_request(first, after, filter, order)
        context = info.context
        records = await context.db.run(
            lambda conn: store.post_page(
                conn, context.scope, post_filter, store_order, limit=first + 1, after=after_key
            )
        )

        async def count() -> int:
            return int(await context.db.run(lambda conn: store.count_posts(conn, context.scope, post_filter)))

        return make_connection(
            [(post_cursor(record.key), Post.from_record(record)) for record in records[:first]],
            has_next_page=len(records) > first,
            count=count,
        )

    @strawberry.field(description="The person with this slug, or null.")
    async def person(self, info: Info, slug: str) -> Person | None:
        record = await info.context.loaders.person_by_slug.load(slug)
        return Person.from_record(record) if record is not None else None

    @strawberry.field(description="Everyone, ordered by name.")
    async def people(
        self, info: Info, first: int = DEFAULT_PAGE_SIZE, after: str | None = None
    ) -> Connection[Person]:
        check_first(first)
        after_key = decode_person_cursor(after) if after is not None else None
        db = info.context.db
        records = await db.run(lambda conn: store.people_page(conn, limit=first + 1, after=after_key))

        async def count() -> int:
            return int(await db.run(store.count_people))

        return make_connection(
            [
                (person_cursor(PersonKey(record.name, record.id)), Person.from_record(record))
                for record in records[:first]
            ],
            has_next_page=len(records) > first,
            count=count,
        )

    @strawberry.field(description="Every tag that at least one published post has, by name.")
    async def tags(self, info: Info) -> list[Tag]:
        context = info.context
        records = await context.db.run(lambda conn: store.visible_tags(conn, context.scope))
        return [Tag.from_record(record) for record in records]

    @strawberry.field(description="Published posts matching the words of `query`, best match first.")
    async def search(
        self, info: Info, query: str, first: int = DEFAULT_PAGE_SIZE, after: str | None = None
    ) -> Connection[Post]:
        check_first(first)
        start = decode_search_cursor(after) + 1 if after is not None else 0
        text = query[:MAX_SEARCH_LENGTH]
        context = info.context
        ids = await context.db.run(
            lambda conn: store.search_post_ids(conn, context.scope, text, limit=first + 1, offset=start)
        )
        # The search index already applies the scope; loading through the scoped loader checks again.
        records = await context.loaders.post_by_id.load_many(ids[:first])
        items = [
            (search_cursor(start + position), Post.from_record(record))
            for position, record in enumerate(records)
            if record is not None
        ]

        async def count() -> int:
            return int(await context.db.run(lambda conn: store.count_search(conn, context.scope, text)))

        return make_connection(items, has_next_page=len(ids) > first, count=count)

    @strawberry.field(description="The object with this global id, or null.")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        type_name, pk = decode_global_id(id)
        loaders = info.context.loaders
        if type_name == "Post":
            post = await loaders.post_by_id.load(pk)
            return Post.from_record(post) if post is not None else None
        if type_name == "Person":
            person = await loaders.person_by_id.load(pk)
            return Person.from_record(person) if person is not None else None
        tag = await loaders.tag_by_id.load(pk)
        return Tag.from_record(tag) if tag is not None else None
