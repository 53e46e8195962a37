from __future__ import annotations

import json
from pathlib import Path

import pytest

from a11y_audit.cli import main

CLEAN = "## Opening times\n\nWe open at nine.\n"
WARN = "## Opening times\n\nTo see them, [click here](/times).\n"
ERROR = "![](photo.jpg)\n"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def posts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name, text in (("clean.md", CLEAN), ("warn.md", WARN), ("error.md", ERROR)):
        (tmp_path / name).write_text(text)
    return tmp_path


def test_exit_codes_follow_fail_on(posts: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sel = ("--select", "alt-text,links")
    assert run(capsys, "check", str(posts / "clean.md"), *sel)[0] == 0
    assert run(capsys, "check", str(posts / "warn.md"), *sel)[0] == 0
    assert run(capsys, "check", str(posts / "warn.md"), "--fail-on", "warning", *sel)[0] == 1
    assert run(capsys, "check", str(posts / "error.md"), *sel)[0] == 1
    assert run(capsys, "check", str(posts / "error.md"), "--fail-on", "never", *sel)[0] == 0


def test_json_report_shape_and_summary_on_stderr(posts: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", str(posts), "--format", "json", "--select", "alt-text,links")
    assert code == 1
    data = json.loads(out)
    assert [Path(f["path"]).name for f in data["files"]] == ["clean.md", "error.md", "warn.md"]
    finding = data["files"][1]["findings"][0]
    for key in ("rule", "family", "severity", "message", "line", "column", "wcag", "hint", "snippet", "help"):
        assert key in finding
    assert finding["rule"] == "ALT001" and finding["severity"] == "error" and finding["line"] == 1
    assert data["summary"]["errors"] == 1 and data["summary"]["warnings"] == 1
    assert err.strip().splitlines() == ["a11y-audit: 3 files checked: 1 errors, 1 warnings, 0 info"]


def test_output_file(posts: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = posts / "report.sarif"
    code, out, _ = run(capsys, "check", str(posts / "error.md"), "--format", "sarif", "--output", str(target))
    assert code == 1 and out == ""
    assert json.loads(target.read_text())["version"] == "2.1.0"


def test_config_fail_on_and_ignore_are_used(posts: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (posts / ".a11y-audit.toml").write_text('fail-on = "warning"\nselect = ["links"]\n')
    assert run(capsys, "check", str(posts / "warn.md"))[0] == 1
    assert run(capsys, "check", str(posts / "warn.md"), "--ignore", "LNK002")[0] == 0


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["check", "missing.md"], "missing.md: no such file or folder"),
        (["check", "clean.md", "--select", "XYZ999"], "unknown rule 'XYZ999' in --select"),
        (["check", "clean.md", "--ignore", "bogus"], "unknown rule 'bogus' in --ignore"),
        (["check", "clean.md", "--people", "nobody.yaml"], "nobody.yaml: people registry not found"),
        (["check", "clean.md", "--config", "none.toml"], "none.toml: config file not found"),
        (["check", "clean.md", "--jobs", "0"], "--jobs must be 1 or more"),
        (["explain", "NOPE001"], "unknown rule 'NOPE001'"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    posts: Path, capsys: pytest.CaptureFixture[str], argv: list[str], needle: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], err
    assert "Traceback" not in err


def test_bad_files_exit_2_naming_file_and_line(posts: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (posts / "fm.md").write_text("---\ntitle: [x\n---\nBody\n")
    code, _, err = run(capsys, "check", str(posts / "fm.md"))
    assert code == 2 and f"{posts / 'fm.md'}:3: malformed front matter" in err
    (posts / "enc.md").write_bytes(b"ok\n\xff\xfe bad\n")
    code, _, err = run(capsys, "check", str(posts / "enc.md"))
    assert code == 2 and f"{posts / 'enc.md'}:2: not UTF-8" in err
    (posts / ".a11y-audit.toml").write_text("colour = 1\n")
    code, _, err = run(capsys, "check", str(posts / "clean.md"))
    assert code == 2 and "unknown config key 'colour'" in err


def test_unknown_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["check", "x.md", "--format", "pdf"])
    assert info.value.code == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_config_is_found_from_the_checked_path(
    posts: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path_factory
) -> None:
    (posts / ".a11y-audit.toml").write_text('select = ["links"]\nfail-on = "warning"\n')
    monkeypatch.chdir(tmp_path_factory.mktemp("elsewhere"))
    assert run(capsys, "check", str(posts / "warn.md"))[0] == 1


def test_rules_json_lists_metadata(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules", "--format", "json")
    rules = {r["id"]: r for r in json.loads(out)}
    assert code == 0
    assert rules["ALT001"]["act"] == ["23a2a8"]
    assert rules["LNG004"]["family"] == "language"
    assert {"id", "family", "severity", "wcag", "act", "summary"} <= set(rules["HDG002"])


def test_rules_text_and_explain(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules")
    assert code == 0 and "HDG001  heading-empty" in out
    code, out, _ = run(capsys, "explain", "link-vague-text")
    assert code == 0
    assert out.startswith("# LNK002 link-vague-text")
    assert "## Why it matters" in out and "## How to fix" in out and "click here" in out


def test_jobs_and_text_output(posts: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", str(posts), "--jobs", "2", "--select", "alt-text,links")
    assert code == 1
    assert "error.md" in out and "1:1  error  ALT001" in out and "\x1b[" not in out
