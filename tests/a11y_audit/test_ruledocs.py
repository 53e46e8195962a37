from __future__ import annotations

from pathlib import Path

from a11y_audit import all_rules
from a11y_audit.ruledocs import generated_files, rule_markdown, write_docs

DOCS = Path(__file__).resolve().parents[2] / "docs" / "rules"


def test_docs_rules_is_current() -> None:
    """docs/rules/ equals what the registry generates; run `python -m a11y_audit.ruledocs docs/rules`."""
    wanted = generated_files()
    present = {p.name: p.read_text(encoding="utf-8") for p in DOCS.glob("*.md")}
    assert sorted(present) == sorted(wanted)
    stale = [name for name, text in wanted.items() if present[name] != text]
    assert not stale, f"regenerate docs/rules: {stale}"


def test_rule_page_has_fixed_sections_and_examples() -> None:
    rule = next(r for r in all_rules() if r.id == "HDG002")
    page = rule_markdown(rule)
    for section in ("## What it finds", "## Why it matters", "## How to fix", "## Examples", "## Options"):
        assert section in page
    assert "`body-start-level` | `1`" in page
    assert rule.bad[0].rstrip() in page


def test_write_docs_removes_stale_pages(tmp_path: Path) -> None:
    (tmp_path / "OLD001.md").write_text("gone")
    written = write_docs(tmp_path)
    assert not (tmp_path / "OLD001.md").exists()
    assert (tmp_path / "README.md") in written
