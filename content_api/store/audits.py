"""Stored audit reports: every audit the publishing gate ran, the latest one per post on demand."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, select

from content_api.store.tables import audit_reports


@dataclass(frozen=True, slots=True)
class StoredReport:
    id: int
    post_id: int
    post_version: int
    trigger: str
    passed: bool
    errors: int
    warnings: int
    infos: int
    # `a11y_audit.FileReport.to_dict()` of the audited post.
    report: dict[str, Any]
    created_at: datetime


def save_report(
    conn: Connection,
    post_id: int,
    post_version: int,
    trigger: str,
    report: dict[str, Any],
    now: datetime | None = None,
) -> int:
    """Store one audit of a post (a `FileReport.to_dict()`); return its id."""
    counts = report.get("counts", {})
    values = {
        "post_id": post_id,
        "post_version": post_version,
        "trigger": trigger,
        "passed": int(counts.get("error", 0)) == 0,
        "errors": int(counts.get("error", 0)),
        "warnings": int(counts.get("warning", 0)),
        "infos": int(counts.get("info", 0)),
        "report": report,
        "created_at": now or datetime.now(UTC),
    }
    key = conn.execute(audit_reports.insert().values(values)).inserted_primary_key
    if key is None:
        raise RuntimeError("the insert returned no primary key")
    return int(key[0])


def latest_reports(conn: Connection, post_ids: Collection[int]) -> dict[int, StoredReport]:
    """The most recent stored audit of each post that has one."""
    if not post_ids:
        return {}
    newest = (
        select(func.max(audit_reports.c.id))
        .where(audit_reports.c.post_id.in_(sorted(set(post_ids))))
        .group_by(audit_reports.c.post_id)
    )
    rows = conn.execute(select(audit_reports).where(audit_reports.c.id.in_(newest)))
    found: dict[int, StoredReport] = {}
    for row in rows:
        m = row._mapping
        found[m["post_id"]] = StoredReport(**{name: m[name] for name in StoredReport.__slots__})  # type: ignore[attr-defined]
    return found
