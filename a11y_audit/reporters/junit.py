"""JUnit XML: one test suite per file, one test case per rule; findings at or above --fail-on fail it."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict

from ..model import FailOn, Finding, Report, Severity
from . import RenderOptions


def _fails(f: Finding, fail_on: FailOn) -> bool:
    if fail_on is FailOn.NEVER:
        return False
    return f.severity >= Severity(str(fail_on))


def render(report: Report, options: RenderOptions) -> str:
    root = ET.Element("testsuites", name="a11y-audit")
    total_tests = total_failures = 0
    for file in report.files:
        by_rule: dict[str, list[Finding]] = defaultdict(list)
        for f in file.findings:
            by_rule[f.rule].append(f)
        rule_ids = sorted(set(by_rule) | set(file.passed))
        suite = ET.SubElement(root, "testsuite", name=file.path)
        failures = 0
        for rule_id in rule_ids:
            rule = options.rules.get(rule_id)
            case = ET.SubElement(
                suite,
                "testcase",
                classname=file.path,
                name=f"{rule_id} {rule.name}" if rule else rule_id,
            )
            found = by_rule.get(rule_id, [])
            failing = [f for f in found if _fails(f, options.fail_on)]
            lines = [f"{f.line}:{f.column} {f.severity}: {f.message}. {f.hint}" for f in found]
            if failing:
                failures += 1
                failure = ET.SubElement(
                    case, "failure", message=failing[0].message, type=str(failing[0].severity)
                )
                failure.text = "\n".join(lines)
            elif found:
                out = ET.SubElement(case, "system-out")
                out.text = "\n".join(lines)
        suite.set("tests", str(len(rule_ids)))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        total_tests += len(rule_ids)
        total_failures += failures
    root.set("tests", str(total_tests))
    root.set("failures", str(total_failures))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
