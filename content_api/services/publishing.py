"""The publishing gate: a post goes live only when the accessibility audit finds no error in it.

The audit is `a11y_audit`'s own, through its public API, run exactly as `a11y-audit check` runs on a
content folder: the post is written out with its front matter into a temporary folder beside the
site's `people.yaml` (from the store) and the image files it uses (from the store), and audited with
the site's configuration. So media and alt checks see the stored images, pronoun checks see the
stored people and their consent, and a post passes in the API exactly when it passes in CI.

Every publish runs in one transaction: audit, store the report, change the status, bump the content
version, refresh related news and queue the webhooks. Any failure part-way rolls all of it back. A
blocked publish stores only its report, so `Post.audit` can show the editor why.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any

import yaml
from sqlalchemy import Connection, Engine, select

from a11y_audit import Config, FileReport, Severity, audit_file, load_config, load_people
from content_api.content import read_folder
from content_api.content.writer import ImportSummary, write_folder
from content_api.services import webhooks
from content_api.services.related import refresh_related
from content_api.store.audits import save_report
from content_api.store.db import write_engine
from content_api.store.image_urls import image_path_for_url, image_url
from content_api.store.maintenance import bump_content_version, lock_content_writes, refresh_statistics
from content_api.store.tables import DRAFT, PUBLISHED, SCHEDULED, images, people, posts
from content_api.store.writes import (
    Conflict,
    InvalidFields,
    PostFields,
    PostState,
    due_scheduled_posts,
    find_post,
    find_post_for_update,
    post_links,
    set_status,
)

AUDIT_CONFIG_ENV = "CONTENT_API_AUDIT_CONFIG"
_EXTENSIONS = {"markdown": ".md", "html": ".html"}
_IMG_SRC = re.compile(r"""<img\b[^>]*?\ssrc=["']([^"']+)["']""", re.I)


# ---------------------------------------------------------------------------------------------------
# Configuration


def site_config(path: str | None = None) -> Config:
    """The site's audit configuration: `path`, else `$CONTENT_API_AUDIT_CONFIG`, else the defaults.

    Raises `a11y_audit.ConfigError` for a missing or malformed file.
    """
    chosen = path or os.environ.get(AUDIT_CONFIG_ENV) or None
    return load_config(chosen) if chosen else Config()


@cache
def server_config() -> Config:
    """`site_config()` read once per process, for the server."""
    return site_config()


# ---------------------------------------------------------------------------------------------------
# Auditing a post from the store


@dataclass(frozen=True, slots=True)
class AuditSubject:
    """A post as the audit reads it: the file an editor would have written."""

    slug: str
    title: str
    body_format: str
    body_source: str
    body_html: str
    source_path: str
    lang: str | None = None
    summary: str | None = None
    authors: Sequence[str] = ()
    tags: Sequence[str] = ()
    feature_path: str | None = None
    feature_alt: str | None = None
    feature_caption: str | None = None
    published_at: datetime | None = None


def _safe_source_path(source_path: str | None, slug: str, body_format: str) -> str:
    if source_path:
        candidate = PurePosixPath(source_path)
        if candidate.parts[:1] == ("posts",) and ".." not in candidate.parts and not candidate.is_absolute():
            return source_path
    return f"posts/{slug}{_EXTENSIONS.get(body_format, '.md')}"


def subject_for_post(conn: Connection, post: PostState) -> AuditSubject:
    """What to audit for a stored post."""
    links = post_links(conn, post.id)
    feature_path = None
    if post.feature_image_id is not None:
        feature_path = conn.execute(
            select(images.c.path).where(images.c.id == post.feature_image_id)
        ).scalar()
    body_html = conn.execute(select(posts.c.body_html).where(posts.c.id == post.id)).scalar_one()
    return AuditSubject(
        slug=post.slug,
        title=post.title,
        body_format=post.body_format,
        body_source=post.body_source,
        body_html=str(body_html),
        source_path=_safe_source_path(post.source_path, post.slug, post.body_format),
        lang=post.lang,
        summary=post.summary,
        authors=links["authors"],
        tags=links["tags"],
        feature_path=feature_path,
        feature_alt=post.feature_image_alt,
        feature_caption=post.feature_image_caption,
        published_at=post.published_at,
    )


def subject_for_draft(conn: Connection, fields: PostFields) -> AuditSubject:
    """What to audit for post fields that are not saved (`auditDraft`); raise `InvalidFields` when the
    body names images the store does not hold."""
    from content_api.content.fields import slugify
    from content_api.content.paths import BadReference, resolve_image
    from content_api.store.writes import render_body

    body_format = fields.body_format or "markdown"
    if body_format not in _EXTENSIONS:
        raise InvalidFields({"bodyFormat": "use markdown or html"})
    slug = (fields.slug or slugify(fields.title or "") or "draft").strip()
    source_path = f"posts/{slug}{_EXTENSIONS[body_format]}"
    body = render_body(conn, body_format, fields.body_source or "", source_path)
    feature = fields.feature_image
    feature_path = None
    if feature is not None:
        try:
            feature_path = resolve_image(feature.path, source_path)
        except BadReference as error:
            raise InvalidFields({"featureImage.path": str(error)}) from None
    return AuditSubject(
        slug=slug,
        title=(fields.title or "").strip(),
        body_format=body_format,
        body_source=fields.body_source or "",
        body_html=body.html,
        source_path=source_path,
        lang=fields.lang,
        summary=fields.summary,
        authors=list(fields.authors or []),
        tags=list(fields.tags or []),
        feature_path=feature_path,
        feature_alt=feature.alt if feature else None,
        feature_caption=feature.caption if feature else None,
    )


def _people_entries(conn: Connection) -> list[dict[str, Any]]:
    """The store's people in the shape of a content folder's `people.yaml`."""
    entries = []
    query = select(
        people.c.slug,
        people.c.name,
        people.c.pronouns,
        people.c.show_pronouns,
        people.c.role,
        people.c.aliases,
    ).order_by(people.c.slug)
    for slug, name, pronouns, show, role, aliases in conn.execute(query):
        entry: dict[str, Any] = {"slug": slug, "name": name, "show_pronouns": bool(show)}
        if pronouns:
            entry["pronouns"] = pronouns
        if role:
            entry["role"] = role
        if aliases:
            entry["aliases"] = list(aliases)
        entries.append(entry)
    return entries


def _front_matter(subject: AuditSubject) -> dict[str, Any]:
    meta: dict[str, Any] = {"title": subject.title, "slug": subject.slug}
    if subject.published_at is not None:
        meta["date"] = subject.published_at
    if subject.lang:
        meta["lang"] = subject.lang
    if subject.summary:
        meta["summary"] = subject.summary
    if subject.authors:
        meta["authors"] = list(subject.authors)
    if subject.tags:
        meta["tags"] = list(subject.tags)
    if subject.feature_path is not None:
        feature: dict[str, Any] = {"src": image_url(subject.feature_path)}
        if subject.feature_alt is not None:
            feature["alt"] = subject.feature_alt
        if subject.feature_caption:
            feature["caption"] = subject.feature_caption
        meta["feature_image"] = feature
    return meta


def _used_images(subject: AuditSubject) -> set[str]:
    used = {path for src in _IMG_SRC.findall(subject.body_html) if (path := image_path_for_url(src))}
    if subject.feature_path is not None:
        used.add(subject.feature_path)
    return used


def audit_subject(conn: Connection, subject: AuditSubject, config: Config) -> FileReport:
    """Audit `subject` as `a11y-audit check` would audit its file in the site's content folder."""
    wanted = _used_images(subject)
    with tempfile.TemporaryDirectory(prefix="content-audit-") as tmp:
        root = Path(tmp)
        registry = root / "people.yaml"
        registry.write_text(yaml.safe_dump(_people_entries(conn), allow_unicode=True), encoding="utf-8")
        if wanted:
            for path, data in conn.execute(
                select(images.c.path, images.c.data).where(images.c.path.in_(wanted))
            ):
                target = root / path
                if root.resolve() not in target.resolve().parents:
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(bytes(data))
        post_file = root / subject.source_path
        post_file.parent.mkdir(parents=True, exist_ok=True)
        front = yaml.safe_dump(_front_matter(subject), sort_keys=False, allow_unicode=True, width=1000)
        post_file.write_text(f"---\n{front}---\n{subject.body_source}", encoding="utf-8")
        # Per-path ignores are globs relative to the config's folder, the content folder's root:
        # the post sits at the same place under the temporary root.
        site = dataclasses.replace(config, root=root) if config.per_path_ignores else config
        report = audit_file(post_file, config=site, people=load_people(registry))
    report.path = subject.source_path
    return report


def errors_of(report: FileReport) -> list[Any]:
    return [finding for finding in report.findings if finding.severity is Severity.ERROR]


# ---------------------------------------------------------------------------------------------------
# Content changes


def after_content_change(
    conn: Connection,
    post_ids: Iterable[int],
    events: Sequence[tuple[str, int]] = (),
    now: datetime | None = None,
) -> int:
    """What every content change does in its transaction: bump the content version, refresh related
    news for the changed posts and queue webhooks for `events` (event, post id). Returns the version."""
    version = bump_content_version(conn)
    refresh_related(conn, list(post_ids))
    for event, post_id in events:
        state = find_post(conn, post_id=post_id)
        if state is not None:
            webhooks.enqueue_post_event(conn, event, state, version, now)
    return version


# ---------------------------------------------------------------------------------------------------
# Publishing


@dataclass(frozen=True, slots=True)
class Published:
    post_id: int
    version: int
    report: FileReport
    changed: bool  # False when the post was already published


@dataclass(frozen=True, slots=True)
class Blocked:
    post_id: int
    report: FileReport
    # True when the post was already live: it stays published as it was, the audit only reports.
    live: bool = False


@dataclass(frozen=True, slots=True)
class Scheduled:
    post_id: int
    version: int
    report: FileReport
    at: datetime


class NotFound(LookupError):
    """No live post with that slug."""


PublishOutcome = Published | Blocked | Conflict


def _locked(conn: Connection, slug: str) -> PostState:
    found = find_post(conn, slug=slug)
    post = find_post_for_update(conn, found.id) if found is not None else None
    if post is None:
        raise NotFound(slug)
    return post


def publish_in(
    conn: Connection,
    post: PostState,
    config: Config,
    *,
    trigger: str = "publish",
    now: datetime | None = None,
) -> PublishOutcome:
    """Audit `post` and publish it when the audit finds no error, inside the caller's transaction."""
    moment = now or datetime.now(UTC)
    report = audit_subject(conn, subject_for_post(conn, post), config)
    save_report(conn, post.id, post.version, trigger, report.to_dict(), moment)
    if errors_of(report):
        return Blocked(post.id, report, live=post.status == PUBLISHED)
    if post.status == PUBLISHED:
        return Published(post.id, post.version, report, changed=False)
    new_version = set_status(conn, post, PUBLISHED, now=moment)
    if isinstance(new_version, Conflict):
        return new_version
    after_content_change(conn, [post.id], [(webhooks.PUBLISHED, post.id)], moment)
    return Published(post.id, new_version, report, changed=True)


def publish_post(
    engine: Engine,
    slug: str,
    config: Config,
    *,
    expected_version: int | None = None,
    trigger: str = "publish",
    now: datetime | None = None,
) -> PublishOutcome:
    """Publish the post with `slug` through the gate; raise `NotFound` when there is none."""
    with write_engine(engine).begin() as conn:
        post = _locked(conn, slug)
        if expected_version is not None and expected_version != post.version:
            return Conflict(post.version)
        outcome = publish_in(conn, post, config, trigger=trigger, now=now)
    if isinstance(outcome, Published) and outcome.changed:
        webhooks.notify()
    return outcome


def unpublish_post(
    engine: Engine, slug: str, *, expected_version: int | None = None, now: datetime | None = None
) -> int | Conflict:
    """Take a post back to draft (a scheduled post loses its time); return the new version."""
    moment = now or datetime.now(UTC)
    with write_engine(engine).begin() as conn:
        post = _locked(conn, slug)
        if expected_version is not None and expected_version != post.version:
            return Conflict(post.version)
        if post.status == DRAFT:
            return post.version
        was_live = post.status == PUBLISHED
        new_version = set_status(conn, post, DRAFT, now=moment)
        if isinstance(new_version, Conflict):
            return new_version
        events = [(webhooks.UNPUBLISHED, post.id)] if was_live else []
        after_content_change(conn, [post.id], events, moment)
    if was_live:
        webhooks.notify()
    return new_version


def schedule_post(
    engine: Engine,
    slug: str,
    at: datetime,
    config: Config,
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Scheduled | Blocked | Conflict:
    """Schedule a draft to go live at `at` (in the future). The audit runs now, so a post that would be
    blocked is refused at once, and again when its time comes."""
    moment = now or datetime.now(UTC)
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    if at <= moment:
        raise InvalidFields({"at": "must be in the future"})
    with write_engine(engine).begin() as conn:
        post = _locked(conn, slug)
        if expected_version is not None and expected_version != post.version:
            return Conflict(post.version)
        if post.status == PUBLISHED:
            raise InvalidFields({"slug": "the post is already published; unpublish it first"})
        report = audit_subject(conn, subject_for_post(conn, post), config)
        save_report(conn, post.id, post.version, "schedule", report.to_dict(), moment)
        if errors_of(report):
            return Blocked(post.id, report)
        new_version = set_status(conn, post, SCHEDULED, now=moment, scheduled_at=at)
        if isinstance(new_version, Conflict):
            return new_version
        after_content_change(conn, [post.id], (), moment)
    return Scheduled(post.id, new_version, report, at)


@dataclass(frozen=True, slots=True)
class DueResult:
    slug: str
    outcome: PublishOutcome


def publish_due(engine: Engine, config: Config, now: datetime | None = None) -> list[DueResult]:
    """Publish every scheduled post whose time has come, each through the gate in its own transaction.

    A post the audit now blocks (an edit, or a person's changed consent) goes back to draft with its
    report, instead of being retried for ever.
    """
    moment = now or datetime.now(UTC)
    with engine.connect() as conn:
        due = [post.slug for post in due_scheduled_posts(conn, moment)]
    results: list[DueResult] = []
    for slug in due:
        with write_engine(engine).begin() as conn:
            post = find_post(conn, slug=slug)
            post = find_post_for_update(conn, post.id) if post is not None else None
            if post is None or post.status != SCHEDULED:
                continue  # another worker got there first
            outcome = publish_in(conn, post, config, trigger="schedule", now=moment)
            if isinstance(outcome, Blocked):
                reverted = set_status(conn, post, DRAFT, now=moment)
                if not isinstance(reverted, Conflict):
                    after_content_change(conn, [post.id], (), moment)
        results.append(DueResult(slug, outcome))
    if any(isinstance(result.outcome, Published) for result in results):
        webhooks.notify()
    return results


# ---------------------------------------------------------------------------------------------------
# Content folders


@dataclass(frozen=True, slots=True)
class HeldBack:
    slug: str
    source_path: str
    report: FileReport


@dataclass(frozen=True)
class GatedImport:
    summary: ImportSummary
    published: list[str] = field(default_factory=list)
    held_back: list[HeldBack] = field(default_factory=list)


def import_folder_gated(
    engine: Engine, folder: Path | str, config: Config | None = None, now: datetime | None = None
) -> GatedImport:
    """Import a content folder; a post marked `published` goes live only when its file passes the audit.

    The files are audited as `a11y-audit check` audits them (the folder's `people.yaml`, and its
    `.a11y-audit.toml` or `pyproject.toml` found upward unless `config` is given). Posts that fail are
    written as drafts and returned in `held_back` with their reports. Raises `ContentError` for a bad
    folder (nothing written) and `a11y_audit.AuditInputError` for a bad config or people file.
    """
    moment = now or datetime.now(UTC)
    root = Path(folder)
    content = read_folder(root)
    config = config if config is not None else load_config(start=root)
    registry = load_people(root / "people.yaml") if (root / "people.yaml").is_file() else None
    reports: dict[str, FileReport] = {}
    held: list[HeldBack] = []
    for entry in content.posts:
        if entry.status != PUBLISHED:
            continue
        report = audit_file(root / entry.source_path, config=config, people=registry)
        report.path = entry.source_path
        reports[entry.slug] = report
        if errors_of(report):
            entry.status = DRAFT
            held.append(HeldBack(entry.slug, entry.source_path, report))
    with write_engine(engine).begin() as conn:
        lock_content_writes(conn)
        before = {
            slug: (status, version)
            for slug, status, version in conn.execute(
                select(posts.c.slug, posts.c.status, posts.c.version).where(posts.c.deleted_at.is_(None))
            )
        }
        summary = write_folder(conn, content, moment)
        after = {
            slug: (ident, status, version)
            for ident, slug, status, version in conn.execute(
                select(posts.c.id, posts.c.slug, posts.c.status, posts.c.version).where(
                    posts.c.deleted_at.is_(None)
                )
            )
        }
        for slug, report in reports.items():
            ident, _status, version = after[slug]
            save_report(conn, ident, version, "import", report.to_dict(), moment)
        refresh_related(conn)
        queued = 0
        for entry in content.posts:
            ident, status, version = after[entry.slug]
            old = before.get(entry.slug)
            event = _import_event(old, status, version)
            if event is not None:
                state = find_post(conn, post_id=ident)
                if state is not None:
                    queued += webhooks.enqueue_post_event(conn, event, state, summary.content_version, moment)
    refresh_statistics(engine)
    if queued:
        webhooks.notify()
    published = [slug for slug in reports if slug not in {item.slug for item in held}]
    return GatedImport(summary=summary, published=published, held_back=held)


def _import_event(old: tuple[str, int] | None, status: str, version: int) -> str | None:
    was_live = old is not None and old[0] == PUBLISHED
    if status == PUBLISHED and not was_live:
        return webhooks.PUBLISHED
    if status != PUBLISHED and was_live:
        return webhooks.UNPUBLISHED
    if status == PUBLISHED and old is not None and old[1] != version:
        return webhooks.UPDATED
    return None


def audit_stored(engine: Engine, slugs: Sequence[str] | None, config: Config) -> list[tuple[str, FileReport]]:
    """Audit stored posts (all live ones when `slugs` is None) and store each report; raise `NotFound`
    naming the first unknown slug before auditing anything."""
    moment = datetime.now(UTC)
    with write_engine(engine).begin() as conn:
        if slugs is None:
            chosen = [
                state
                for (slug,) in conn.execute(
                    select(posts.c.slug).where(posts.c.deleted_at.is_(None)).order_by(posts.c.slug)
                )
                if (state := find_post(conn, slug=slug)) is not None
            ]
        else:
            chosen = []
            for slug in slugs:
                state = find_post(conn, slug=slug)
                if state is None:
                    raise NotFound(slug)
                chosen.append(state)
        results = []
        for post in chosen:
            report = audit_subject(conn, subject_for_post(conn, post), config)
            save_report(conn, post.id, post.version, "audit", report.to_dict(), moment)
            results.append((post.slug, report))
    return results
