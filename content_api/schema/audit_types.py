"""GraphQL types of audit reports: what the publishing gate found in a post, in plain words."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

import strawberry

from content_api.store.audits import StoredReport


@strawberry.enum(description="How sure a finding is: errors block publishing, warnings and info do not.")
class FindingSeverity(Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@strawberry.type(description="One problem the accessibility audit found, where it is and how to fix it.")
class AuditFinding:
    rule: str = strawberry.field(description="Rule id, e.g. ALT001; `a11y-audit explain RULE` explains it.")
    name: str
    family: str = strawberry.field(description="alt-text, headings, readability, language, pronouns...")
    severity: FindingSeverity
    message: str
    hint: str = strawberry.field(description="How to fix it, in one line.")
    line: int = strawberry.field(description="Line in the post's source (front matter included).")
    column: int
    snippet: str
    wcag: list[str] = strawberry.field(description="WCAG success criteria, e.g. 1.1.1.")
    help: str = strawberry.field(description="Where the rule is documented.")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AuditFinding:
        return cls(
            rule=str(data["rule"]),
            name=str(data.get("name", "")),
            family=str(data.get("family", "")),
            severity=FindingSeverity(str(data["severity"])),
            message=str(data["message"]),
            hint=str(data.get("hint") or ""),
            line=int(data.get("line") or 0),
            column=int(data.get("column") or 0),
            snippet=str(data.get("snippet") or ""),
            wcag=[str(item) for item in data.get("wcag", [])],
            help=str(data.get("help") or ""),
        )


@strawberry.type(description="A score or measure the audit reports even when it passes.")
class AuditMetric:
    name: str
    value: str


@strawberry.type(description="The accessibility audit of a post: publishing is refused while errors > 0.")
class AuditReport:
    passed: bool = strawberry.field(description="True when no finding is an error.")
    errors: int
    warnings: int
    infos: int
    findings: list[AuditFinding]
    metrics: list[AuditMetric]
    audited_at: datetime | None = strawberry.field(description="When the report was stored; null if not.")
    post_version: int | None = strawberry.field(description="The post version that was audited.")
    trigger: str | None = strawberry.field(description="What ran it: publish, schedule, import or audit.")

    @classmethod
    def from_dict(
        cls,
        report: dict[str, Any],
        *,
        audited_at: datetime | None = None,
        post_version: int | None = None,
        trigger: str | None = None,
    ) -> AuditReport:
        findings = [AuditFinding.from_dict(item) for item in report.get("findings", [])]
        counts = report.get("counts", {})
        return cls(
            passed=int(counts.get("error", 0)) == 0,
            errors=int(counts.get("error", 0)),
            warnings=int(counts.get("warning", 0)),
            infos=int(counts.get("info", 0)),
            findings=findings,
            metrics=[AuditMetric(name=str(k), value=str(v)) for k, v in report.get("metrics", {}).items()],
            audited_at=audited_at,
            post_version=post_version,
            trigger=trigger,
        )

    @classmethod
    def from_stored(cls, stored: StoredReport) -> AuditReport:
        return cls.from_dict(
            stored.report,
            audited_at=stored.created_at,
            post_version=stored.post_version,
            trigger=stored.trigger,
        )
