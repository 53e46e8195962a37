"""Snapshot tests: each report format for one fixed report. Set UPDATE_SNAPSHOTS=1 to rewrite them."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from a11y_audit import Config, Report, all_rules, audit_source
from a11y_audit.model import FailOn
from a11y_audit.reporters import RenderOptions, ReportFormat, render

SNAPSHOTS = Path(__file__).parent / "snapshots"
SELECT = ("ALT001", "ALT013", "HDG002", "LNK002", "LNK003")
POST = """---
title: Snapshot
lang: en-GB
---
![](images/team.jpg)

![Image of the hall](hall.jpg)

#### Too deep

Read [click here](/report) or <https://example.org/a/long/address>.

<!-- a11y-audit: ignore ALT001 -- kept to show an unused suppression -->
Nothing to suppress here.
"""


def _report() -> Report:
    config = Config(select=SELECT)
    return Report(files=[audit_source(POST, format="markdown", path="posts/snapshot.md", config=config)])


def _options() -> RenderOptions:
    rules = {r.id: r for r in all_rules() if r.id in SELECT}
    return RenderOptions(rules=rules, fail_on=FailOn.ERROR)


SUFFIX = {
    ReportFormat.TEXT: "txt",
    ReportFormat.JSON: "json",
    ReportFormat.SARIF: "sarif",
    ReportFormat.JUNIT: "xml",
    ReportFormat.GITHUB: "github",
    ReportFormat.HTML: "html",
}


@pytest.mark.parametrize("fmt", list(ReportFormat))
def test_snapshot(fmt: ReportFormat) -> None:
    text = render(_report(), fmt, _options())
    target = SNAPSHOTS / f"report.{SUFFIX[fmt]}"
    if os.environ.get("UPDATE_SNAPSHOTS"):
        SNAPSHOTS.mkdir(exist_ok=True)
        target.write_text(text, encoding="utf-8")
    assert text == target.read_text(encoding="utf-8")


def test_report_has_expected_findings() -> None:
    report = _report()
    assert [(f.rule, f.line) for f in report.findings] == [
        ("ALT001", 5),
        ("ALT013", 7),
        ("HDG002", 9),
        ("LNK002", 11),
        ("LNK003", 11),
    ]
    assert report.files[0].unused_suppressions[0].line == 13


def test_sarif_is_valid_shape() -> None:
    data = json.loads(render(_report(), ReportFormat.SARIF, _options()))
    run = data["runs"][0]
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert ids == sorted(SELECT)
    for result in run["results"]:
        assert ids[result["ruleIndex"]] == result["ruleId"]
        assert result["level"] in {"error", "warning", "note"}
        assert result["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1
    assert all(r["help"]["text"] for r in run["tool"]["driver"]["rules"])


def test_junit_counts_failures_at_fail_on() -> None:
    root = ET.fromstring(render(_report(), ReportFormat.JUNIT, _options()))
    assert root.get("failures") == "1"
    warn = RenderOptions(rules=_options().rules, fail_on=FailOn.WARNING)
    assert ET.fromstring(render(_report(), ReportFormat.JUNIT, warn)).get("failures") == "4"


def test_github_commands_escape_values() -> None:
    lines = render(_report(), ReportFormat.GITHUB, _options()).splitlines()
    assert lines[0].startswith("::error file=posts/snapshot.md,line=5,col=1,title=ALT001 image-missing-alt::")
    assert any(line.startswith("::notice") and "LNK003" in line for line in lines)


def test_html_is_self_contained_and_escaped() -> None:
    page = render(_report(), ReportFormat.HTML, _options())
    soup = BeautifulSoup(page, "html.parser")
    assert soup.find(["script", "link", "img", "iframe", "object"]) is None
    assert not soup.find_all(attrs={"src": True}) and not soup.find_all(attrs={"href": True})
    assert soup.html is not None and soup.html.get("lang") == "en"
    assert "Why it matters" in page and "How to fix" in page
    assert "&lt;https://example.org/a/long/address&gt;" in page
