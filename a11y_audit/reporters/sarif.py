"""SARIF 2.1.0, with every rule that ran described in `tool.driver.rules`."""

from __future__ import annotations

import json
from typing import Any

from ..model import Report, Severity
from . import RenderOptions

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render(report: Report, options: RenderOptions) -> str:
    used = sorted({f.rule for f in report.findings} | set(options.rules))
    index = {rule_id: i for i, rule_id in enumerate(used)}
    rules: list[dict[str, Any]] = []
    for rule_id in used:
        rule = options.rules.get(rule_id)
        if rule is None:
            rules.append({"id": rule_id})
            continue
        rules.append(
            {
                "id": rule.id,
                "name": rule.name,
                "shortDescription": {"text": rule.summary},
                "fullDescription": {"text": rule.why},
                "help": {
                    "text": f"{rule.fix}\n\nMore: {rule.help}",
                    "markdown": f"**How to fix:** {rule.fix}\n\n{rule.why}",
                },
                "defaultConfiguration": {"level": _LEVEL[rule.severity]},
                "properties": {
                    "family": rule.family,
                    "tags": ["accessibility", rule.family, *(f"WCAG {sc}" for sc in rule.wcag)],
                    "wcag": list(rule.wcag),
                    "act": list(rule.act),
                },
            }
        )
    results: list[dict[str, Any]] = []
    for file in report.files:
        for f in file.findings:
            results.append(
                {
                    "ruleId": f.rule,
                    "ruleIndex": index[f.rule],
                    "level": _LEVEL[f.severity],
                    "message": {"text": f"{f.message}. {f.hint}" if f.hint else f.message},
                    "locations": [
                        {
                            "physicalLocation": {
                                "artifactLocation": {"uri": file.path.replace("\\", "/")},
                                "region": {
                                    "startLine": f.line,
                                    "startColumn": f.column,
                                    "snippet": {"text": f.snippet},
                                },
                            }
                        }
                    ],
                }
            )
    sarif = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "a11y-audit",
                        "informationUri": "https://www.w3.org/WAI/WCAG22/quickref/",
                        "rules": rules,
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(sarif, indent=2, ensure_ascii=False) + "\n"
