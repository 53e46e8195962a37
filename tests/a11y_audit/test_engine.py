from __future__ import annotations

from pathlib import Path

import pytest

from a11y_audit import (
    AuditInputError,
    Config,
    FailOn,
    FileReport,
    Report,
    Severity,
    audit,
    audit_source,
)

BROKEN = "![](x.png)\n\n[click here](/a)\n"


def test_severity_is_ordered() -> None:
    assert Severity.INFO < Severity.WARNING < Severity.ERROR
    assert max([Severity.WARNING, Severity.ERROR, Severity.INFO]) is Severity.ERROR
    assert Severity("warning") == "warning"


def test_findings_carry_position_snippet_wcag_and_help() -> None:
    report = audit_source(BROKEN, format="markdown", path="p.md", config=Config(select=("ALT001",)))
    (finding,) = report.findings
    assert (finding.rule, finding.name, finding.family) == ("ALT001", "image-missing-alt", "alt-text")
    assert (finding.line, finding.column) == (1, 1)
    assert finding.snippet == "![](x.png)"
    assert finding.wcag == ("1.1.1",)
    assert finding.help == "a11y-audit explain ALT001"
    assert finding.hint


def test_results_count_failed_review_and_passed_rules() -> None:
    config = Config(select=("ALT001", "LNK002", "HDG001"))
    report = audit_source(BROKEN, format="markdown", config=config)
    assert report.failed == ["ALT001"]
    assert report.needs_review == ["LNK002"]
    assert report.passed == ["HDG001"]


def test_exit_code_follows_fail_on() -> None:
    warning_only = audit_source("[click here](/a)", config=Config(select=("links",)))
    report = Report(files=[warning_only])
    assert report.exit_code(FailOn.ERROR) == 0
    assert report.exit_code("warning") == 1
    assert report.exit_code(FailOn.NEVER) == 0
    assert report.summary["warnings"] == 1


def test_suppression_with_reason_hides_the_finding_and_is_used() -> None:
    text = "<!-- a11y-audit: ignore LNK002 -- the sentence names the report -->\n[click here](/report)\n"
    report = audit_source(text, config=Config(select=("links",)))
    assert report.findings == []
    assert report.suppressed == 1
    assert report.suppressions[0].used
    assert report.suppressions[0].reason == "the sentence names the report"
    assert report.unused_suppressions == []


def test_suppression_reaches_only_the_next_line() -> None:
    text = "<!-- a11y-audit: ignore link-vague-text -- reason -->\n\n[click here](/a)\n\n[here](/b)\n"
    report = audit_source(text, config=Config(select=("links",)))
    assert [f.line for f in report.findings] == [5]


def test_suppression_without_reason_does_not_apply_and_is_reported() -> None:
    text = "<!-- a11y-audit: ignore LNK002 -->\n[click here](/report)\n"
    report = audit_source(text, config=Config(select=("links",)))
    assert [f.rule for f in report.findings] == ["LNK002"]
    (unused,) = report.unused_suppressions
    assert "reason" in unused.problem


def test_unused_and_unknown_suppressions_are_reported() -> None:
    text = (
        "<!-- a11y-audit: ignore ALT001 -- not needed -->\nPlain text.\n\n"
        "<!-- a11y-audit: ignore NOPE123 -- typo -->\nMore.\n"
    )
    report = audit_source(text, config=Config(select=("alt-text",)))
    problems = [(s.used, s.problem) for s in report.suppressions]
    assert problems == [(False, ""), (False, "unknown rule 'NOPE123'")]
    assert len(report.unused_suppressions) == 2


def test_ignore_file_suppresses_everywhere_in_the_file() -> None:
    text = "<!-- a11y-audit: ignore-file headings -- imported archive -->\n\n# One\n\n#### Two\n"
    report = audit_source(text, config=Config(select=("headings",)))
    assert report.findings == []
    assert report.suppressed == 2


def test_suppression_examples_in_code_are_ignored() -> None:
    text = "```\n<!-- a11y-audit: ignore LNK002 -- example -->\n```\n[click here](/x)\n"
    report = audit_source(text, config=Config(select=("links",)))
    assert [f.rule for f in report.findings] == ["LNK002"]
    assert report.suppressions == []


def test_audit_walks_folders_and_reports_in_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.html").write_text("<p>x</p>")
    (tmp_path / "a.md").write_text("Hello")
    (tmp_path / "skip.txt").write_text("not audited")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "x.md").write_text("![](x.png)")
    report = audit([tmp_path], config=Config(select=("alt-text",)))
    assert [Path(f.path).name for f in report.files] == ["a.md", "two.html"]


def test_audit_of_a_missing_path_raises_input_error(tmp_path: Path) -> None:
    with pytest.raises(AuditInputError, match="no such file"):
        audit([tmp_path / "missing.md"])


def test_jobs_give_the_same_report_as_one_process(tmp_path: Path) -> None:
    for i in range(6):
        (tmp_path / f"p{i}.md").write_text(f"![](img{i}.png)\n\n[here](/{i})\n")
    config = Config(select=("alt-text", "links"))
    one = audit([tmp_path], config=config)
    two = audit([tmp_path], config=config, jobs=2)
    assert one.to_dict() == two.to_dict()
    assert one.summary["errors"] == 6


def test_file_report_serialises_metrics_and_rule_results() -> None:
    report = FileReport(path="x.md")
    data = report.to_dict()
    assert data["rules"] == {"failed": [], "needs_review": [], "passed": []}
    assert data["counts"] == {"info": 0, "warning": 0, "error": 0}


def test_audit_pauses_the_garbage_collector_only_while_it_runs() -> None:
    import gc

    from a11y_audit import AuditInputError, audit_source

    assert gc.isenabled()
    audit_source("# Title\n\nSome text.\n")
    assert gc.isenabled()
    with pytest.raises(AuditInputError):
        audit_source("---\ntitle: [unclosed\n---\nBody\n")
    assert gc.isenabled()
    gc.disable()
    try:
        audit_source("Some text.\n")
        assert not gc.isenabled()  # the caller turned it off; the audit leaves it so
    finally:
        gc.enable()
