"""Results of an audit: findings, per-file reports and the whole report.

The shape follows axe-core: every rule that ran on a file either failed (an error finding), needs review
(only warnings or info) or passed (no finding). Counts of each are kept so a report can show what was
checked, not only what went wrong.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    """How sure a finding is and how much it matters. Ordered: info < warning < error."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANKS[self]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank >= other.rank

    __hash__ = str.__hash__


_RANKS = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


class FailOn(StrEnum):
    """The lowest severity that makes `a11y-audit check` exit 1."""

    ERROR = "error"
    WARNING = "warning"
    NEVER = "never"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found by one rule at one place."""

    rule: str
    name: str
    family: str
    severity: Severity
    message: str
    hint: str
    line: int
    column: int
    snippet: str
    wcag: tuple[str, ...]
    help: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "name": self.name,
            "family": self.family,
            "severity": str(self.severity),
            "message": self.message,
            "hint": self.hint,
            "line": self.line,
            "column": self.column,
            "snippet": self.snippet,
            "wcag": list(self.wcag),
            "help": self.help,
        }


@dataclass(slots=True)
class Suppression:
    """An inline `<!-- a11y-audit: ignore RULE -- reason -->` comment and whether it matched a finding."""

    selectors: tuple[str, ...]
    reason: str
    line: int
    whole_file: bool = False
    used: bool = False
    problem: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "rules": list(self.selectors),
            "reason": self.reason,
            "line": self.line,
            "scope": "file" if self.whole_file else "next-line",
            "used": self.used,
            "problem": self.problem,
        }


@dataclass(slots=True)
class FileReport:
    """Everything the audit found in one file."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    metrics: dict[str, float | int | str] = field(default_factory=dict)
    suppressions: list[Suppression] = field(default_factory=list)
    passed: list[str] = field(default_factory=list)
    suppressed: int = 0

    @property
    def failed(self) -> list[str]:
        """Ids of rules with at least one error here."""
        return sorted({f.rule for f in self.findings if f.severity is Severity.ERROR})

    @property
    def needs_review(self) -> list[str]:
        """Ids of rules that found only warnings or info here."""
        failed = set(self.failed)
        return sorted({f.rule for f in self.findings} - failed)

    @property
    def unused_suppressions(self) -> list[Suppression]:
        return [s for s in self.suppressions if not s.used or s.problem]

    def counts(self) -> Counter[Severity]:
        return Counter(f.severity for f in self.findings)

    def worst(self) -> Severity | None:
        return max((f.severity for f in self.findings), default=None)

    def to_dict(self) -> dict[str, Any]:
        counts = self.counts()
        return {
            "path": self.path,
            "findings": [f.to_dict() for f in self.findings],
            "metrics": dict(self.metrics),
            "rules": {"failed": self.failed, "needs_review": self.needs_review, "passed": list(self.passed)},
            "counts": {str(s): counts.get(s, 0) for s in Severity},
            "suppressions": [s.to_dict() for s in self.suppressions],
            "suppressed": self.suppressed,
        }


@dataclass(slots=True)
class Report:
    """The audit of several files."""

    files: list[FileReport] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return [f for file in self.files for f in file.findings]

    @property
    def summary(self) -> dict[str, Any]:
        counts: Counter[Severity] = Counter()
        for file in self.files:
            counts.update(file.counts())
        return {
            "files": len(self.files),
            "files_with_errors": sum(1 for f in self.files if f.worst() is Severity.ERROR),
            "errors": counts.get(Severity.ERROR, 0),
            "warnings": counts.get(Severity.WARNING, 0),
            "info": counts.get(Severity.INFO, 0),
            "rules_failed": sum(len(f.failed) for f in self.files),
            "rules_needing_review": sum(len(f.needs_review) for f in self.files),
            "rules_passed": sum(len(f.passed) for f in self.files),
            "suppressed": sum(f.suppressed for f in self.files),
            "unused_suppressions": sum(len(f.unused_suppressions) for f in self.files),
        }

    def exit_code(self, fail_on: FailOn | str = FailOn.ERROR) -> int:
        """0 when nothing is at or above `fail_on`, else 1."""
        fail_on = FailOn(fail_on)
        if fail_on is FailOn.NEVER:
            return 0
        threshold = Severity(str(fail_on))
        return 1 if any(f.severity >= threshold for f in self.findings) else 0

    def to_dict(self) -> dict[str, Any]:
        return {"files": [f.to_dict() for f in self.files], "summary": self.summary}
