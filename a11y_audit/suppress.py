"""Inline suppression: `<!-- a11y-audit: ignore RULE[, RULE...] -- reason -->`.

`ignore` covers findings on the comment's own line and on the next non-blank line after it; `ignore-file`
covers the whole file. A reason after `--` is required: a suppression without one does not apply and is
reported, as is one that matched no finding.
"""

from __future__ import annotations

import re

from .document import Document
from .model import Finding, Suppression
from .registry import resolve_selector

_COMMENT = re.compile(r"<!--(.*?)-->", re.S)
_DIRECTIVE = re.compile(r"^\s*a11y-audit\s*:\s*(ignore-file|ignore)\b(.*)$", re.S | re.I)


def parse_suppressions(doc: Document) -> tuple[list[Suppression], dict[int, int]]:
    """The document's suppression comments, and for each `ignore` its last covered line."""
    if "a11y-audit" not in doc.source:
        return [], {}
    comment_texts = {str(c) for c in doc.comments}
    lines = doc.source_lines
    found: list[Suppression] = []
    reach: dict[int, int] = {}
    for match in _COMMENT.finditer(doc.source):
        body = match.group(1)
        directive = _DIRECTIVE.match(body)
        if directive is None or body not in comment_texts:
            continue
        kind, rest = directive.group(1).lower(), directive.group(2)
        targets, _, reason = rest.partition("--")
        selectors = tuple(s for s in re.split(r"[\s,]+", targets.strip()) if s)
        start_line = doc.source.count("\n", 0, match.start()) + 1
        end_line = doc.source.count("\n", 0, match.end()) + 1
        item = Suppression(selectors, reason.strip(), start_line, whole_file=kind == "ignore-file")
        if not selectors:
            item.problem = "names no rule"
        elif not item.reason:
            item.problem = "needs a reason after '--'"
        else:
            unknown = [s for s in selectors if not resolve_selector(s)]
            if unknown:
                item.problem = f"unknown rule {unknown[0]!r}"
        last = end_line
        after_comment = lines[end_line - 1][doc.source_lines[end_line - 1].find("-->") + 3 :] if lines else ""
        if not after_comment.strip():
            nxt = end_line + 1
            while nxt <= len(lines) and not lines[nxt - 1].strip():
                nxt += 1
            last = min(nxt, len(lines)) if lines else end_line
        reach[len(found)] = last
        found.append(item)
    return found, reach


def apply_suppressions(
    doc: Document, findings: list[Finding]
) -> tuple[list[Finding], list[Suppression], int]:
    """(findings left, the suppressions with `used` set, how many findings were suppressed)."""
    suppressions, reach = parse_suppressions(doc)
    if not suppressions:
        return findings, [], 0
    active = [
        (i, s, {r.id for sel in s.selectors for r in resolve_selector(sel)})
        for i, s in enumerate(suppressions)
    ]
    active = [a for a in active if not a[1].problem]
    kept: list[Finding] = []
    dropped = 0
    for finding in findings:
        matched = False
        for i, sup, ids in active:
            if finding.rule not in ids:
                continue
            if sup.whole_file or sup.line <= finding.line <= reach[i]:
                sup.used = True
                matched = True
        if matched:
            dropped += 1
        else:
            kept.append(finding)
    return kept, suppressions, dropped
