"""What a rule gets besides the document: its options, the people registry and a `report` helper."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bs4 import Tag

from .document import normalize_space
from .model import Finding, Severity

if TYPE_CHECKING:
    from .config import Config
    from .document import Document
    from .registry import Rule


@dataclass
class RuleContext:
    """Passed to a rule with the document. `options` holds the rule's defaults merged with config."""

    rule: Rule
    doc: Document
    options: dict[str, Any]
    config: Config
    people: Any = None
    metrics: dict[str, float | int | str] = field(default_factory=dict)
    severity_override: Severity | None = None

    def report(
        self,
        where: Tag | int | None,
        message: str,
        hint: str | None = None,
        *,
        severity: Severity | str | None = None,
        snippet: str | None = None,
        column: int | None = None,
    ) -> Finding:
        """A finding of this rule at an element, a 1-based source line, or (None) the top of the file.

        `severity` lets a rule grade one finding below or above its default; a severity set in config
        overrides both.
        """
        if isinstance(where, Tag):
            line, col = self.doc.position_of(where)
            shown = snippet if snippet is not None else self.doc.snippet_of(where)
        else:
            line = where if isinstance(where, int) and where > 0 else 1
            col = 1
            if snippet is not None:
                shown = snippet
            else:
                lines = self.doc.source_lines
                shown = normalize_space(lines[line - 1])[:120] if 0 < line <= len(lines) else ""
        if column is not None:
            col = column
        chosen = self.severity_override or (Severity(severity) if severity else self.rule.severity)
        return Finding(
            rule=self.rule.id,
            name=self.rule.name,
            family=self.rule.family,
            severity=chosen,
            message=message,
            hint=hint if hint is not None else self.rule.fix.split("\n", 1)[0],
            line=line,
            column=col,
            snippet=shown,
            wcag=self.rule.wcag,
            help=self.rule.help,
        )

    def metric(self, name: str, value: float | int | str) -> None:
        """Record a measurement (e.g. a readability score) shown in reports whether or not a rule fires."""
        self.metrics[name] = value
