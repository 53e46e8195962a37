"""Editing and publishing over GraphQL: mutations with result unions, and the editors' queries.

Expected outcomes are union members, not errors: `PublishBlocked` carries the audit's findings,
`Conflict` the version now stored (the losing edit is not applied, the winning one is kept), `NotFound`
and `InvalidInput` (naming each bad field) say what is wrong. Missing or insufficient credentials are
GraphQL errors (`UNAUTHENTICATED`, `FORBIDDEN`) raised before any post is looked up.

The work runs in a worker thread: the audit is CPU work and the event loop keeps serving reads.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from enum import Enum
from typing import Annotated, Any, TypeVar

import strawberry
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from content_api.schema.access import require
from content_api.schema.audit_types import AuditFinding, AuditReport
from content_api.schema.errors import BadUserInput
from content_api.schema.types import Info, Person, Post
from content_api.services import publishing, webhooks
from content_api.services.auth import PREVIEW
from content_api.store import queries as store
from content_api.store import webhooks as webhook_store
from content_api.store import writes
from content_api.store.db import write_engine
from content_api.store.keys import ADMIN, PUBLISH, READ_DRAFTS, WRITE
from content_api.store.tables import PUBLISHED

T = TypeVar("T")
MAX_DELIVERIES = 100


async def _in_thread(work: Callable[[], T]) -> T:
    return await run_in_threadpool(work)


# ---------------------------------------------------------------------------------------------------
# Inputs


@strawberry.enum(description="The language a post body is written in.")
class BodyFormat(Enum):
    MARKDOWN = "markdown"
    HTML = "html"


@strawberry.input(description="A stored image used as a post's feature image.")
class FeatureImageInput:
    path: str = strawberry.field(description='Stored path or URL path: "images/a.png" or "/images/a.png".')
    alt: str | None = strawberry.field(default=None, description='Alternative text; "" for decorative.')
    caption: str | None = None

    def to_store(self) -> writes.FeatureImageInput:
        return writes.FeatureImageInput(self.path, self.alt, self.caption)


@strawberry.input(description="A new post (always created as a draft), or a draft to audit.")
class PostInput:
    title: str
    body_source: str = strawberry.field(description="The body as the editor writes it.")
    body_format: BodyFormat = BodyFormat.MARKDOWN
    slug: str | None = strawberry.field(default=None, description="Defaults to the title's slug.")
    summary: str | None = None
    lang: str | None = strawberry.field(default=None, description="BCP 47 tag, e.g. en-GB.")
    authors: list[str] | None = strawberry.field(default=None, description="People slugs, in byline order.")
    tags: list[str] | None = strawberry.field(default=None, description="Tag names; new ones are created.")
    feature_image: FeatureImageInput | None = None
    published_at: datetime | None = strawberry.field(
        default=None, description="Published date to show; set at first publication when absent."
    )
    related: list[str] | None = strawberry.field(
        default=None, description="Slugs of posts pinned as related news, shown first in this order."
    )

    def to_store(self) -> writes.PostFields:
        return writes.PostFields(
            title=self.title,
            slug=self.slug,
            summary=self.summary,
            body_format=self.body_format.value,
            body_source=self.body_source,
            lang=self.lang,
            authors=self.authors,
            tags=self.tags,
            feature_image=self.feature_image.to_store() if self.feature_image else None,
            published_at=_aware(self.published_at),
            related=self.related,
        )


@strawberry.input(description="Changes to a post. Fields left out stay as they are.")
class UpdatePostInput:
    slug: str = strawberry.field(description="The post to change.")
    version: int = strawberry.field(description="The version the edit was made from (Post.version).")
    title: str | None = None
    new_slug: str | None = None
    summary: str | None = None
    body_source: str | None = None
    body_format: BodyFormat | None = None
    lang: str | None = None
    authors: list[str] | None = None
    tags: list[str] | None = None
    feature_image: FeatureImageInput | None = None
    remove_feature_image: bool = False
    published_at: datetime | None = None
    related: list[str] | None = strawberry.field(
        default=None, description="Slugs of posts pinned as related news, in order ([] unpins all)."
    )

    def to_store(self) -> writes.PostFields:
        return writes.PostFields(
            title=self.title,
            slug=self.new_slug,
            summary=self.summary,
            body_format=self.body_format.value if self.body_format else None,
            body_source=self.body_source,
            lang=self.lang,
            authors=self.authors,
            tags=self.tags,
            feature_image=self.feature_image.to_store() if self.feature_image else None,
            remove_feature_image=self.remove_feature_image,
            published_at=_aware(self.published_at),
            related=self.related,
        )


@strawberry.input(description="A new person.")
class PersonInput:
    name: str
    slug: str | None = strawberry.field(default=None, description="Defaults to the name's slug.")
    pronouns: str | None = strawberry.field(default=None, description="As the person writes them.")
    show_pronouns: bool = strawberry.field(default=False, description="The person's consent to show them.")
    role: str | None = None
    bio: str | None = None
    aliases: list[str] | None = None

    def to_store(self) -> writes.PersonFields:
        return writes.PersonFields(
            slug=self.slug,
            name=self.name,
            pronouns=self.pronouns,
            show_pronouns=self.show_pronouns,
            role=self.role,
            bio=self.bio,
            aliases=self.aliases,
        )


@strawberry.input(description="Changes to a person. Fields left out stay as they are.")
class UpdatePersonInput:
    slug: str
    name: str | None = None
    pronouns: str | None = None
    show_pronouns: bool | None = None
    role: str | None = None
    bio: str | None = None
    aliases: list[str] | None = None

    def to_store(self) -> writes.PersonFields:
        return writes.PersonFields(
            name=self.name,
            pronouns=self.pronouns,
            show_pronouns=self.show_pronouns,
            role=self.role,
            bio=self.bio,
            aliases=self.aliases,
        )


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


# ---------------------------------------------------------------------------------------------------
# Results


@strawberry.type(description="The post was saved.")
class PostSaved:
    post: Post
    version: int


@strawberry.type(description="No post (or person) with that slug. Deleted posts are not found either.")
class NotFound:
    message: str


@strawberry.type(
    description="The post changed since the version the edit was made from; nothing was written."
)
class Conflict:
    message: str
    current_version: int
    current: Post | None = strawberry.field(description="The post as it is now, to merge the edit into.")


@strawberry.type(description="One field that cannot be saved, and why.")
class FieldProblem:
    field: str
    message: str


@strawberry.type(description="Some fields are invalid; nothing was written.")
class InvalidInput:
    message: str
    problems: list[FieldProblem]


@strawberry.type(description="The post passed the audit and is live. Warnings in the audit do not block.")
class PublishSuccess:
    post: Post
    version: int
    audit: AuditReport


@strawberry.type(description="The audit found errors; the post was not published. The report is stored.")
class PublishBlocked:
    message: str
    errors: list[AuditFinding] = strawberry.field(description="The findings that block publication.")
    audit: AuditReport


@strawberry.type(description="The post will go live at `scheduledAt` if it still passes the audit then.")
class ScheduleSuccess:
    post: Post
    version: int
    scheduled_at: datetime
    audit: AuditReport


@strawberry.type(description="The post is a draft again and no longer public.")
class UnpublishSuccess:
    post: Post
    version: int


@strawberry.type(description="The post was deleted: it is gone from every list, preview included.")
class DeleteSuccess:
    slug: str


@strawberry.type(description="The person was saved.")
class PersonSaved:
    person: Person


CreatePostResult = Annotated[PostSaved | InvalidInput, strawberry.union("CreatePostResult")]
UpdatePostResult = Annotated[
    PostSaved | NotFound | Conflict | InvalidInput, strawberry.union("UpdatePostResult")
]
PublishResult = Annotated[
    PublishSuccess | PublishBlocked | NotFound | Conflict, strawberry.union("PublishResult")
]
UnpublishResult = Annotated[UnpublishSuccess | NotFound | Conflict, strawberry.union("UnpublishResult")]
ScheduleResult = Annotated[
    ScheduleSuccess | PublishBlocked | NotFound | Conflict | InvalidInput, strawberry.union("ScheduleResult")
]
DeleteResult = Annotated[DeleteSuccess | NotFound, strawberry.union("DeleteResult")]
PersonResult = Annotated[PersonSaved | NotFound | InvalidInput, strawberry.union("PersonResult")]
AuditDraftResult = Annotated[AuditReport | InvalidInput, strawberry.union("AuditDraftResult")]


def _invalid(error: writes.InvalidFields) -> InvalidInput:
    problems = [FieldProblem(field=name, message=message) for name, message in error.problems.items()]
    return InvalidInput(message=f"invalid input: {error}", problems=problems)


def _not_found(slug: str, what: str = "post") -> NotFound:
    return NotFound(message=f"no {what} with slug {slug!r}")


def _load_post(engine: Engine, post_id: int) -> Post | None:
    # The writer sees what they wrote, draft or not; nested fields still follow the request's scope.
    with engine.connect() as conn:
        record = store.posts_by_ids(conn, PREVIEW, [post_id]).get(post_id)
    return Post.from_record(record) if record is not None else None


def _post(engine: Engine, post_id: int) -> Post:
    post = _load_post(engine, post_id)
    if post is None:
        raise RuntimeError(f"post {post_id} vanished right after it was written")
    return post


def _conflict(engine: Engine, slug: str, current_version: int) -> Conflict:
    with engine.connect() as conn:
        state = writes.find_post(conn, slug=slug)
    post = _load_post(engine, state.id) if state is not None else None
    return Conflict(
        message=f"the post is at version {current_version}; reload it, merge the edit and try again",
        current_version=current_version,
        current=post,
    )


def _blocked(blocked: publishing.Blocked) -> PublishBlocked:
    audit = AuditReport.from_dict(blocked.report.to_dict())
    errors = [finding for finding in audit.findings if finding.severity.value == "error"]
    found = f"the accessibility audit found {len(errors)} error(s) to fix"
    message = f"already published, unchanged; {found}" if blocked.live else f"not published: {found} first"
    return PublishBlocked(message=message, errors=errors, audit=audit)


def _engine(info: Info) -> Engine:
    return info.context.engine


# ---------------------------------------------------------------------------------------------------
# Work done in a thread


def _create(engine: Engine, fields: writes.PostFields) -> PostSaved | InvalidInput:
    try:
        with write_engine(engine).begin() as conn:
            post_id = writes.create_post(conn, fields)
            publishing.after_content_change(conn, [post_id])
    except writes.InvalidFields as error:
        return _invalid(error)
    return PostSaved(post=_post(engine, post_id), version=1)


def _update(engine: Engine, slug: str, version: int, fields: writes.PostFields) -> Any:
    try:
        with write_engine(engine).begin() as conn:
            found = writes.find_post(conn, slug=slug)
            post = writes.find_post_for_update(conn, found.id) if found is not None else None
            if post is None:
                return _not_found(slug)
            outcome = writes.update_post(conn, post, version, fields)
            if not isinstance(outcome, writes.Conflict):
                events = [(webhooks.UPDATED, post.id)] if post.status == PUBLISHED else []
                publishing.after_content_change(conn, [post.id], events)
    except writes.InvalidFields as error:
        return _invalid(error)
    if isinstance(outcome, writes.Conflict):
        return _conflict(engine, slug, outcome.current_version)
    if post.status == PUBLISHED:
        webhooks.notify()
    return PostSaved(post=_post(engine, post.id), version=outcome)


def _publish(engine: Engine, slug: str, version: int | None) -> Any:
    config = publishing.server_config()
    try:
        outcome = publishing.publish_post(engine, slug, config, expected_version=version)
    except publishing.NotFound:
        return _not_found(slug)
    if isinstance(outcome, writes.Conflict):
        return _conflict(engine, slug, outcome.current_version)
    if isinstance(outcome, publishing.Blocked):
        return _blocked(outcome)
    return PublishSuccess(
        post=_post(engine, outcome.post_id),
        version=outcome.version,
        audit=AuditReport.from_dict(outcome.report.to_dict()),
    )


def _unpublish(engine: Engine, slug: str, version: int | None) -> Any:
    try:
        outcome = publishing.unpublish_post(engine, slug, expected_version=version)
    except publishing.NotFound:
        return _not_found(slug)
    if isinstance(outcome, writes.Conflict):
        return _conflict(engine, slug, outcome.current_version)
    with engine.connect() as conn:
        state = writes.find_post(conn, slug=slug)
    if state is None:
        return _not_found(slug)
    return UnpublishSuccess(post=_post(engine, state.id), version=outcome)


def _schedule(engine: Engine, slug: str, at: datetime, version: int | None) -> Any:
    config = publishing.server_config()
    try:
        outcome = publishing.schedule_post(engine, slug, at, config, expected_version=version)
    except publishing.NotFound:
        return _not_found(slug)
    except writes.InvalidFields as error:
        return _invalid(error)
    if isinstance(outcome, writes.Conflict):
        return _conflict(engine, slug, outcome.current_version)
    if isinstance(outcome, publishing.Blocked):
        return _blocked(outcome)
    return ScheduleSuccess(
        post=_post(engine, outcome.post_id),
        version=outcome.version,
        scheduled_at=outcome.at,
        audit=AuditReport.from_dict(outcome.report.to_dict()),
    )


def _delete(engine: Engine, slug: str) -> DeleteSuccess | NotFound:
    with write_engine(engine).begin() as conn:
        found = writes.find_post(conn, slug=slug)
        post = writes.find_post_for_update(conn, found.id) if found is not None else None
        if post is None:
            return _not_found(slug)
        writes.soft_delete(conn, post)
        was_live = post.status == PUBLISHED
        version = publishing.after_content_change(conn, [post.id])
        if was_live:
            webhooks.enqueue_post_event(conn, webhooks.UNPUBLISHED, post, version)
    if was_live:
        webhooks.notify()
    return DeleteSuccess(slug=slug)


def _person(engine: Engine, person_id: int) -> Person:
    with engine.connect() as conn:
        record = store.people_by_ids(conn, [person_id]).get(person_id)
    if record is None:
        raise RuntimeError(f"person {person_id} vanished right after it was written")
    return Person.from_record(record)


def _create_person(engine: Engine, fields: writes.PersonFields) -> PersonSaved | InvalidInput:
    try:
        with write_engine(engine).begin() as conn:
            person_id = writes.create_person(conn, fields)
            publishing.after_content_change(conn, [])
    except writes.InvalidFields as error:
        return _invalid(error)
    return PersonSaved(person=_person(engine, person_id))


def _update_person(engine: Engine, slug: str, fields: writes.PersonFields) -> Any:
    try:
        with write_engine(engine).begin() as conn:
            person = writes.find_person(conn, slug)
            if person is None:
                return _not_found(slug, "person")
            writes.update_person(conn, person, fields)
            relinked = writes.relink_mentions(conn) if fields.name or fields.aliases is not None else []
            changed = sorted({*writes.posts_of_person(conn, person.id), *relinked})
            publishing.after_content_change(conn, changed)
    except writes.InvalidFields as error:
        return _invalid(error)
    return PersonSaved(person=_person(engine, person.id))


def _audit_draft(engine: Engine, fields: writes.PostFields) -> AuditReport | InvalidInput:
    config = publishing.server_config()
    try:
        with engine.connect() as conn:
            subject = publishing.subject_for_draft(conn, fields)
            report = publishing.audit_subject(conn, subject, config)
    except writes.InvalidFields as error:
        return _invalid(error)
    return AuditReport.from_dict(report.to_dict())


# ---------------------------------------------------------------------------------------------------
# The root types


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Create a draft post. Needs the `write` scope.")
    async def create_post(self, info: Info, input: PostInput) -> CreatePostResult:
        require(info, WRITE)
        engine, fields = _engine(info), input.to_store()
        return await _in_thread(lambda: _create(engine, fields))

    @strawberry.mutation(
        description="Change a post made from `input.version`; a stale version gets Conflict. Needs `write`."
    )
    async def update_post(self, info: Info, input: UpdatePostInput) -> UpdatePostResult:
        require(info, WRITE)
        engine, fields = _engine(info), input.to_store()
        return await _in_thread(lambda: _update(engine, input.slug, input.version, fields))

    @strawberry.mutation(
        description="Audit the post and publish it unless the audit finds errors. Needs `publish`."
    )
    async def publish_post(self, info: Info, slug: str, version: int | None = None) -> PublishResult:
        require(info, PUBLISH)
        engine = _engine(info)
        return await _in_thread(lambda: _publish(engine, slug, version))

    @strawberry.mutation(description="Take a post back to draft. Needs `publish`.")
    async def unpublish_post(self, info: Info, slug: str, version: int | None = None) -> UnpublishResult:
        require(info, PUBLISH)
        engine = _engine(info)
        return await _in_thread(lambda: _unpublish(engine, slug, version))

    @strawberry.mutation(
        description="Publish a post at a future time, through the audit (run now and again then). "
        "Needs `publish`."
    )
    async def schedule_post(
        self, info: Info, slug: str, at: datetime, version: int | None = None
    ) -> ScheduleResult:
        require(info, PUBLISH)
        engine, when = _engine(info), _aware(at) or at
        return await _in_thread(lambda: _schedule(engine, slug, when, version))

    @strawberry.mutation(
        description="Delete a post (kept in the store, gone from every view). Needs `write`."
    )
    async def delete_post(self, info: Info, slug: str) -> DeleteResult:
        require(info, WRITE)
        engine = _engine(info)
        return await _in_thread(lambda: _delete(engine, slug))

    @strawberry.mutation(description="Add a person. Needs `write`.")
    async def create_person(self, info: Info, input: PersonInput) -> PersonResult:
        require(info, WRITE)
        engine, fields = _engine(info), input.to_store()
        return await _in_thread(lambda: _create_person(engine, fields))

    @strawberry.mutation(description="Change a person, consent to show pronouns included. Needs `write`.")
    async def update_person(self, info: Info, input: UpdatePersonInput) -> PersonResult:
        require(info, WRITE)
        engine, fields = _engine(info), input.to_store()
        return await _in_thread(lambda: _update_person(engine, input.slug, fields))


@strawberry.type(description="One webhook delivery: what was sent where, and what came back.")
class WebhookDelivery:
    id: int
    url: str
    event: str
    payload: str = strawberry.field(description="The JSON body exactly as sent.")
    status: str = strawberry.field(description="pending (waiting or retrying), delivered or failed.")
    attempts: int
    next_attempt_at: datetime
    last_status_code: int | None
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None


@strawberry.type
class EditorialQuery:
    @strawberry.field(
        description="Audit post fields without saving anything, as publishPost would. Needs `read:drafts`."
    )
    async def audit_draft(self, info: Info, input: PostInput) -> AuditDraftResult:
        require(info, READ_DRAFTS)
        engine, fields = _engine(info), input.to_store()
        return await _in_thread(lambda: _audit_draft(engine, fields))

    @strawberry.field(description="Webhook deliveries, newest first. Needs `admin`.")
    async def webhook_deliveries(
        self, info: Info, first: int = 20, before_id: int | None = None
    ) -> list[WebhookDelivery]:
        require(info, ADMIN)
        if not 0 <= first <= MAX_DELIVERIES:
            raise BadUserInput(f"`first` must be between 0 and {MAX_DELIVERIES}")
        engine = _engine(info)

        def load() -> list[webhook_store.Delivery]:
            with engine.connect() as conn:
                return webhook_store.delivery_log(conn, limit=first, before_id=before_id)

        deliveries = await _in_thread(load)
        return [
            WebhookDelivery(
                id=d.id,
                url=d.url,
                event=d.event,
                payload=d.payload,
                status=d.status,
                attempts=d.attempts,
                next_attempt_at=d.next_attempt_at,
                last_status_code=d.last_status_code,
                last_error=d.last_error,
                created_at=d.created_at,
                delivered_at=d.delivered_at,
            )
            for d in deliveries
        ]
