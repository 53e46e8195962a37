"""The DataLoaders of one request. `Loaders` is built per request (see `content_api.context`), so no
cache is ever shared between requests or readers with different scopes.

Each loader turns the keys gathered during one tick of execution into one SQL statement, which makes
the number of statements depend on the depth of a query, not on the length of its lists.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, Generic, Protocol, TypeVar, overload

from sqlalchemy import Connection
from strawberry.dataloader import DataLoader

from content_api.store import queries as store
from content_api.store import related as related_store
from content_api.store.queries import (
    ImageRecord,
    PersonRecord,
    PostKey,
    PostLink,
    PostOrder,
    PostRecord,
    PostScope,
    TagRecord,
)
from content_api.store.related import RelatedEntry

Run = Callable[[Callable[[Connection], Any]], Awaitable[Any]]
K = TypeVar("K", contravariant=True)
V = TypeVar("V")


class Loader(Protocol[K, V]):
    """What resolvers use of a loader: Strawberry's DataLoader, or a `waves.WaveLoader`."""

    def load(self, key: K) -> Awaitable[V]: ...

    def load_many(self, keys: Sequence[K]) -> Awaitable[list[V]]: ...


# Builds one loader from its batch function; `DataLoader` under asyncio.
LoaderFactory = Callable[[Callable[[Sequence[Any]], Awaitable[Sequence[Any]]]], Any]


Owner = TypeVar("Owner")
R = TypeVar("R")


class made_on_first_use(Generic[Owner, R]):
    """`functools.cached_property` without its lock (Python 3.11 takes one on every first access).

    A request's loaders are made on first use, by one thread at a time; the value is stored in the
    instance's `__dict__`, so later reads do not call this descriptor at all.
    """

    def __init__(self, make: Callable[[Owner], R]) -> None:
        self._make = make
        self._name = make.__name__
        self.__doc__ = make.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @overload
    def __get__(self, instance: None, owner: type) -> made_on_first_use[Owner, R]: ...
    @overload
    def __get__(self, instance: Owner, owner: type) -> R: ...
    def __get__(self, instance: Owner | None, owner: type) -> R | made_on_first_use[Owner, R]:
        if instance is None:
            return self
        value = self._make(instance)
        instance.__dict__[self._name] = value
        return value


@dataclass(frozen=True, slots=True)
class ParentPostsKey:
    """One page of a person's (as author) or a tag's posts."""

    link: PostLink
    parent_id: int
    order: PostOrder
    limit: int
    after: PostKey | None


class Loaders:
    """All loaders of one request, reading through `run` with the reader's `scope`."""

    def __init__(self, run: Run, scope: PostScope, loader: LoaderFactory = DataLoader) -> None:
        self._run = run
        self._scope = scope
        # Loaders are made on first use: a request touches a few of them.
        self._loader = loader

    @made_on_first_use
    def post_by_id(self) -> Loader[int, PostRecord | None]:
        return self._loader(self._posts_by_id)

    @made_on_first_use
    def post_by_slug(self) -> Loader[str, PostRecord | None]:
        return self._loader(self._posts_by_slug)

    @made_on_first_use
    def body_of_post(self) -> Loader[int, str | None]:
        return self._loader(self._bodies_of_posts)

    @made_on_first_use
    def person_by_id(self) -> Loader[int, PersonRecord | None]:
        return self._loader(self._people_by_id)

    @made_on_first_use
    def person_by_slug(self) -> Loader[str, PersonRecord | None]:
        return self._loader(self._people_by_slug)

    @made_on_first_use
    def tag_by_id(self) -> Loader[int, TagRecord | None]:
        return self._loader(self._tags_by_id)

    @made_on_first_use
    def image_by_id(self) -> Loader[int, ImageRecord | None]:
        return self._loader(self._images_by_id)

    @made_on_first_use
    def authors_of_post(self) -> Loader[int, list[PersonRecord]]:
        return self._loader(self._authors_of_posts)

    @made_on_first_use
    def people_of_post(self) -> Loader[int, list[PersonRecord]]:
        return self._loader(self._people_of_posts)

    @made_on_first_use
    def tags_of_post(self) -> Loader[int, list[TagRecord]]:
        return self._loader(self._tags_of_posts)

    @made_on_first_use
    def posts_of_parent(self) -> Loader[ParentPostsKey, list[PostRecord]]:
        return self._loader(self._posts_of_parents)

    @made_on_first_use
    def post_count_of_parent(self) -> Loader[tuple[PostLink, int], int]:
        return self._loader(self._post_counts_of_parents)

    @made_on_first_use
    def related_of_post(self) -> Loader[tuple[int, int], list[RelatedEntry]]:
        return self._loader(self._related_of_posts)

    async def _posts_by_id(self, ids: Sequence[int]) -> list[PostRecord | None]:
        found = await self._run(lambda conn: store.posts_by_ids(conn, self._scope, ids))
        return [found.get(key) for key in ids]

    async def _posts_by_slug(self, slugs: Sequence[str]) -> list[PostRecord | None]:
        found = await self._run(lambda conn: store.posts_by_slugs(conn, self._scope, slugs))
        return [found.get(key) for key in slugs]

    async def _bodies_of_posts(self, ids: Sequence[int]) -> list[str | None]:
        found = await self._run(lambda conn: store.post_bodies(conn, self._scope, ids))
        return [found.get(key) for key in ids]

    async def _people_by_id(self, ids: Sequence[int]) -> list[PersonRecord | None]:
        found = await self._run(lambda conn: store.people_by_ids(conn, ids))
        return [found.get(key) for key in ids]

    async def _people_by_slug(self, slugs: Sequence[str]) -> list[PersonRecord | None]:
        found = await self._run(lambda conn: store.people_by_slugs(conn, slugs))
        return [found.get(key) for key in slugs]

    async def _tags_by_id(self, ids: Sequence[int]) -> list[TagRecord | None]:
        found = await self._run(lambda conn: store.tags_by_ids(conn, self._scope, ids))
        return [found.get(key) for key in ids]

    async def _images_by_id(self, ids: Sequence[int]) -> list[ImageRecord | None]:
        found = await self._run(lambda conn: store.images_by_ids(conn, ids))
        return [found.get(key) for key in ids]

    async def _authors_of_posts(self, post_ids: Sequence[int]) -> list[list[PersonRecord]]:
        found = await self._run(lambda conn: store.authors_by_post(conn, post_ids))
        return [found[key] for key in post_ids]

    async def _people_of_posts(self, post_ids: Sequence[int]) -> list[list[PersonRecord]]:
        found = await self._run(lambda conn: store.people_by_post(conn, post_ids))
        return [found[key] for key in post_ids]

    async def _tags_of_posts(self, post_ids: Sequence[int]) -> list[list[TagRecord]]:
        found = await self._run(lambda conn: store.tags_by_post(conn, post_ids))
        return [found[key] for key in post_ids]

    async def _posts_of_parents(self, keys: Sequence[ParentPostsKey]) -> list[list[PostRecord]]:
        # Keys that differ only in the parent share one windowed statement.
        groups: dict[tuple[PostLink, PostOrder, int, PostKey | None], list[int]] = defaultdict(list)
        for key in keys:
            groups[(key.link, key.order, key.limit, key.after)].append(key.parent_id)
        pages: dict[ParentPostsKey, list[PostRecord]] = {}
        for (link, order, limit, after), parent_ids in groups.items():
            page = partial(
                store.post_pages_by_parent,
                scope=self._scope,
                link=link,
                parent_ids=parent_ids,
                order=order,
                limit=limit,
                after=after,
            )
            found = await self._run(page)
            for parent_id in parent_ids:
                pages[ParentPostsKey(link, parent_id, order, limit, after)] = found[parent_id]
        return [pages[key] for key in keys]

    async def _related_of_posts(self, keys: Sequence[tuple[int, int]]) -> list[list[RelatedEntry]]:
        # Keys are (post id, how many); one batch per distinct count, usually one.
        groups: dict[int, list[int]] = defaultdict(list)
        for post_id, limit in keys:
            groups[limit].append(post_id)
        lists: dict[tuple[int, int], list[RelatedEntry]] = {}
        for limit, post_ids in groups.items():
            read = partial(related_store.related_posts, scope=self._scope, post_ids=post_ids, limit=limit)
            found = await self._run(read)
            lists.update({(post_id, limit): found.get(post_id, []) for post_id in post_ids})
        return [lists[key] for key in keys]

    async def _post_counts_of_parents(self, keys: Sequence[tuple[PostLink, int]]) -> list[int]:
        groups: dict[PostLink, list[int]] = defaultdict(list)
        for link, parent_id in keys:
            groups[link].append(parent_id)
        counts: dict[tuple[PostLink, int], int] = {}
        for link, parent_ids in groups.items():
            count = partial(store.count_posts_by_parent, scope=self._scope, link=link, parent_ids=parent_ids)
            found = await self._run(count)
            counts.update({(link, parent_id): n for parent_id, n in found.items()})
        return [counts[key] for key in keys]
