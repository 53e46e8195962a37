"""Editorial fields of a post (status, version, schedule, latest audit) and their per-request loaders.

Built per request (see `content_api.context`), like the read loaders. A reader without `read:drafts`
only ever reaches published posts, so the status and version they see say nothing about drafts;
the audit needs `read:drafts`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

import strawberry
from sqlalchemy import Connection, select
from strawberry.dataloader import DataLoader

from content_api.schema.access import require
from content_api.schema.audit_types import AuditReport
from content_api.schema.loaders import Loader, LoaderFactory
from content_api.store.audits import StoredReport, latest_reports
from content_api.store.keys import READ_DRAFTS
from content_api.store.tables import posts

Run = Callable[[Callable[[Connection], Any]], Awaitable[Any]]


@strawberry.enum(description="Where a post is in its life: only PUBLISHED posts are public.")
class PostStatus(Enum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    PUBLISHED = "published"


@dataclass(frozen=True, slots=True)
class EditorialState:
    status: str
    version: int
    scheduled_at: datetime | None


def _states(conn: Connection, ids: Sequence[int]) -> dict[int, EditorialState]:
    query = select(posts.c.id, posts.c.status, posts.c.version, posts.c.scheduled_at).where(
        posts.c.id.in_(sorted(set(ids)))
    )
    return {row.id: EditorialState(row.status, row.version, row.scheduled_at) for row in conn.execute(query)}


class EditorialLoaders:
    """The loaders behind `Post.status`, `Post.version`, `Post.scheduledAt` and `Post.audit`."""

    def __init__(self, run: Run, loader: LoaderFactory = DataLoader) -> None:
        self._run = run
        self.state: Loader[int, EditorialState | None] = loader(self._load_states)
        self.report: Loader[int, StoredReport | None] = loader(self._load_reports)

    async def _load_states(self, ids: Sequence[int]) -> list[EditorialState | None]:
        found = await self._run(lambda conn: _states(conn, ids))
        return [found.get(key) for key in ids]

    async def _load_reports(self, ids: Sequence[int]) -> list[StoredReport | None]:
        found = await self._run(lambda conn: latest_reports(conn, ids))
        return [found.get(key) for key in ids]


def _loaders(info: strawberry.Info[Any, Any]) -> EditorialLoaders:
    loaders = info.context.editorial
    if not isinstance(loaders, EditorialLoaders):
        raise RuntimeError("the request context has no editorial loaders")
    return loaders


async def _state(info: strawberry.Info[Any, Any], post_id: int) -> EditorialState:
    state = await _loaders(info).state.load(post_id)
    if state is None:
        raise RuntimeError(f"post {post_id} vanished while the request ran")
    return state


async def post_status(info: strawberry.Info[Any, Any], post_id: int) -> PostStatus:
    return PostStatus((await _state(info, post_id)).status)


async def post_version(info: strawberry.Info[Any, Any], post_id: int) -> int:
    return (await _state(info, post_id)).version


async def post_scheduled_at(info: strawberry.Info[Any, Any], post_id: int) -> datetime | None:
    return (await _state(info, post_id)).scheduled_at


async def post_audit(info: strawberry.Info[Any, Any], post_id: int) -> AuditReport | None:
    require(info, READ_DRAFTS)
    stored = await _loaders(info).report.load(post_id)
    return AuditReport.from_stored(stored) if stored is not None else None
