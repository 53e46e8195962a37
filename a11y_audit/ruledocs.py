"""Rule documentation generated from the registry: `a11y-audit explain ID` and `docs/rules/*.md`.

Regenerate the folder with `python -m a11y_audit.ruledocs docs/rules`; a test checks it is current.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .registry import Rule, all_rules

_WCAG_URL = "https://www.w3.org/WAI/WCAG22/quickref/#"
_ACT_URL = "https://www.w3.org/WAI/standards-guidelines/act/rules/"


def _example(text: str) -> str:
    lang = "html" if text.lstrip().startswith("<") else "markdown"
    return f"```{lang}\n{text.rstrip()}\n```"


def rule_markdown(rule: Rule) -> str:
    """One rule's page: what it finds, why it matters, examples, how to fix, options."""
    lines = [
        f"# {rule.id} {rule.name}",
        "",
        f"Family: **{rule.family}**. Default severity: **{rule.severity}**."
        + ("" if rule.enabled_by_default else " Off by default; turn it on with `extend-select`."),
        "",
        "## What it finds",
        "",
        rule.summary,
        "",
        "## Why it matters",
        "",
        rule.why,
        "",
        "## How to fix",
        "",
        rule.fix,
        "",
        "## Examples",
        "",
        "Flagged:",
        "",
        *[_example(b) + "\n" for b in rule.bad],
        "Not flagged:",
        "",
        *[_example(g) + "\n" for g in rule.good],
    ]
    if rule.options:
        lines += ["## Options", "", "| option | default |", "| --- | --- |"]
        lines += [f"| `{k.replace('_', '-')}` | `{v!r}` |" for k, v in rule.options.items()]
        lines += [
            "",
            f"Set them in config under `[tool.a11y-audit.options.{rule.id}]` (or the rule's name or family).",
            "",
        ]
    refs = [f"- WCAG {sc}: <{_WCAG_URL}>" for sc in rule.wcag]
    refs += [f"- W3C ACT rule {act}: <{_ACT_URL}{act}/>" for act in rule.act]
    if refs:
        lines += ["## References", "", *refs, ""]
    lines += [
        "## Suppressing it",
        "",
        f"`<!-- a11y-audit: ignore {rule.id} -- the reason -->` on the line before the finding.",
        "",
    ]
    return "\n".join(lines)


def index_markdown(rules: list[Rule]) -> str:
    lines = [
        "# Rules",
        "",
        "Generated from the rule registry by `python -m a11y_audit.ruledocs docs/rules`; do not edit.",
        "",
        "| id | name | family | severity | WCAG | summary |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in rules:
        summary = r.summary.replace("|", "\\|").replace("<", "&lt;")
        lines.append(
            f"| [{r.id}]({r.id}.md) | {r.name} | {r.family} | {r.severity} "
            f"| {', '.join(r.wcag)} | {summary} |"
        )
    return "\n".join(lines) + "\n" + _USAGE


_USAGE = """
## Severities

- **error**: certainly a barrier, never raised by good writing (a missing alt, an empty heading). Blocks
  publication and fails `a11y-audit check` (exit 1) by default.
- **warning**: probably a barrier, but a judgement call (a skipped heading level, "click here"). Fails the
  check with `--fail-on warning`.
- **info**: worth knowing (a long section without a sub-heading). Never fails the check.

## Configuration

In `pyproject.toml` under `[tool.a11y-audit]`, or in `.a11y-audit.toml`, found in the folder of the first
path checked or the nearest parent that has one; or a file named with `--config`:

```toml
[tool.a11y-audit]
select = ["alt-text", "headings", "LNK001"]  # ids, names or families; default: all rules
extend-select = []                           # add rules that are off by default
ignore = ["link-text-is-url"]
fail-on = "error"                            # error | warning | never
people = "content/people.yaml"

[tool.a11y-audit.severity]
HDG002 = "error"

[tool.a11y-audit.options.headings]           # thresholds, by id, name or family
body-start-level = 1

[tool.a11y-audit.per-path-ignores]
"archive/*" = ["headings", "readability"]
```

An unknown key, rule, option or value stops the check with exit code 2 and a one-line message.

## Suppressing a finding

Put a comment on the line before the finding (or on the same line), with a reason after `--`:

```markdown
<!-- a11y-audit: ignore LNK002 -- the sentence before names the report -->
To read the report, [click here](/report).
```

`ignore-file` instead of `ignore` covers the whole file. A suppression without a reason, naming an unknown
rule, or matching no finding is listed in the report so it can be removed.
"""


def generated_files() -> dict[str, str]:
    """File name -> content of every page of `docs/rules/`."""
    rules = all_rules()
    files = {f"{r.id}.md": rule_markdown(r) for r in rules}
    files["README.md"] = index_markdown(rules)
    return files


def write_docs(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    wanted = generated_files()
    for stale in folder.glob("*.md"):
        if stale.name not in wanted:
            stale.unlink()
    for name, text in wanted.items():
        target = folder / name
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/rules")
    print(f"wrote {len(write_docs(out))} files to {out}")
