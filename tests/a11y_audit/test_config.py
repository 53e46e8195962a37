from __future__ import annotations

from pathlib import Path

import pytest

from a11y_audit import Config, ConfigError, Severity, audit_source, load_config

SKIP = "## One\n\n#### Two\n\n[click here](/a)\n"


def _rules(report_findings: list) -> list[str]:
    return sorted({f.rule for f in report_findings})


def test_select_and_ignore_by_id_name_and_family() -> None:
    assert _rules(audit_source(SKIP, config=Config(select=("headings",))).findings) == ["HDG002"]
    assert _rules(audit_source(SKIP, config=Config(select=("link-vague-text",))).findings) == ["LNK002"]
    config = Config(select=("headings", "links"), ignore=("HDG002",))
    assert _rules(audit_source(SKIP, config=config).findings) == ["LNK002"]


def test_severity_override_and_options() -> None:
    config = Config(select=("HDG002",), severity={"headings": Severity.ERROR})
    (finding,) = audit_source(SKIP, config=config).findings
    assert finding.severity is Severity.ERROR
    deep = "### Starts at level three\n\nText.\n"
    assert audit_source(deep, config=Config(select=("HDG002",))).findings
    config = Config(select=("HDG002",), options={"HDG002": {"body-start-level": 2}})
    assert audit_source(deep, config=config).findings == []


def test_body_start_level_zero_lets_a_post_start_with_h1() -> None:
    text = "# Title\n\n## Section\n"
    assert audit_source(text, config=Config(select=("HDG003",))).findings
    options = {"headings": {"body-start-level": 0}}
    assert audit_source(text, config=Config(select=("HDG003",), options=options)).findings == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"select": ("NOPE001",)}, "unknown rule 'NOPE001' in select"),
        ({"ignore": ("nonsense",)}, "unknown rule 'nonsense' in ignore"),
        ({"options": {"HDG002": {"colour": 1}}}, "unknown option 'colour'"),
        ({"options": {"HDG002": {"body-start-level": "two"}}}, "must be int"),
        ({"per_path_ignores": {"drafts/*": ("bogus",)}}, "unknown rule 'bogus'"),
    ],
)
def test_bad_config_values_raise(kwargs: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Config(**kwargs)


def test_pyproject_table_is_found_upward(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "site"\n\n[tool.a11y-audit]\nignore = ["links"]\nfail-on = "warning"\n'
        '[tool.a11y-audit.severity]\nHDG002 = "info"\n'
        '[tool.a11y-audit.per-path-ignores]\n"drafts/*" = ["headings"]\n'
    )
    nested = tmp_path / "content" / "posts"
    nested.mkdir(parents=True)
    config = load_config(start=nested)
    assert config.source == str(tmp_path / "pyproject.toml")
    assert str(config.fail_on) == "warning"
    report = audit_source(SKIP, path=str(tmp_path / "posts" / "a.md"), config=config)
    assert [(f.rule, str(f.severity)) for f in report.findings] == [("HDG002", "info")]
    draft = audit_source(SKIP, path=str(tmp_path / "drafts" / "a.md"), config=config)
    assert draft.findings == []


def test_dedicated_file_wins_over_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.a11y-audit]\nselect = ["links"]\n')
    (tmp_path / ".a11y-audit.toml").write_text('select = ["headings"]\n')
    assert load_config(start=tmp_path).select == ("headings",)


def test_no_config_means_defaults(tmp_path: Path) -> None:
    config = load_config(start=tmp_path)
    assert config.source is None
    assert config.select == ()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("colour = 'red'\n", "unknown config key 'colour'"),
        ("select = [\n", "invalid TOML"),
        ("fail-on = 'sometimes'\n", "fail-on must be"),
        ("[severity]\nALT001 = 'fatal'\n", "severity for 'ALT001'"),
        ("select = 3\n", "must be a list"),
    ],
)
def test_bad_config_file_names_the_file(tmp_path: Path, text: str, message: str) -> None:
    target = tmp_path / ".a11y-audit.toml"
    target.write_text(text)
    with pytest.raises(ConfigError, match=message) as info:
        load_config(target)
    assert str(target) in str(info.value)


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.toml")


def test_default_config_plan_is_made_once_and_again_after_a_new_rule() -> None:
    from a11y_audit import registry
    from a11y_audit.config import default_config

    config = default_config()
    assert default_config() is config
    first = config.plan()
    assert config.plan() is first
    assert "MKP999" not in {p.rule.id for p in first}

    def always(doc: object, ctx: object) -> list[object]:
        return []

    registry.rule(
        id="MKP999",
        name="test-only-rule",
        severity="info",
        summary="s",
        why="w",
        fix="f",
        bad=["b"],
        good=["g"],
    )(always)
    try:
        assert "MKP999" in {p.rule.id for p in config.plan()}
        report = audit_source("Hello.\n")
        assert "MKP999" in report.passed
    finally:
        del registry._RULES["MKP999"]
        del registry._NAMES["test-only-rule"]
    assert "MKP999" not in {p.rule.id for p in config.plan()}
