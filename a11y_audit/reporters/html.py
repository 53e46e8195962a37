"""A self-contained HTML report an editor can open in a browser and share: no scripts, no external files.

Each finding says what is wrong, where, why it matters and how to fix it, in plain words.
"""

from __future__ import annotations

from html import escape

from ..model import FileReport, Finding, Report, Severity
from . import RenderOptions

_CSS = """
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1b1b1b;background:#fafafa}
main{max-width:60rem;margin:0 auto;padding:1.5rem}
h1{font-size:1.6rem;margin:.2rem 0 1rem}h2{font-size:1.25rem;margin:2rem 0 .5rem;word-break:break-all}
.summary{display:flex;flex-wrap:wrap;gap:.75rem;padding:0;list-style:none}
.summary li{background:#fff;border:1px solid #ccc;border-radius:.4rem;padding:.5rem .9rem}
.summary strong{display:block;font-size:1.4rem}
.finding{background:#fff;border:1px solid #ccc;border-left:.4rem solid #777;border-radius:.3rem;
  margin:.75rem 0;padding:.6rem 1rem}
.finding.error{border-left-color:#b00020}.finding.warning{border-left-color:#9a6700}
.finding.info{border-left-color:#0b5cad}
.finding h3{font-size:1.05rem;margin:0 0 .3rem}
.badge{display:inline-block;font-size:.8rem;font-weight:600;border-radius:.25rem;padding:0 .4rem;
  margin-right:.4rem;color:#fff;background:#555;text-transform:uppercase}
.badge.error{background:#b00020}.badge.warning{background:#7a5200}.badge.info{background:#0b5cad}
dl{margin:.3rem 0;display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}
dt{font-weight:600}dd{margin:0}
code{font:.9rem ui-monospace,Menlo,Consolas,monospace;background:#f0f0f0;padding:0 .25rem;
  word-break:break-all}
table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #ccc;padding:.2rem .6rem;text-align:left}
.clean{color:#1d6b2f;font-weight:600}
"""

_WORD = {Severity.ERROR: "Must fix", Severity.WARNING: "Please check", Severity.INFO: "For information"}


def _label(key: str) -> str:
    """'readability.flesch_reading_ease' -> 'Readability: flesch reading ease'."""
    family, _, name = key.rpartition(".")
    words = name.replace("_", " ")
    return f"{family.replace('_', ' ').capitalize()}: {words}" if family else words.capitalize()


def _value(value: float | int | str) -> str:
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def _finding(f: Finding, options: RenderOptions) -> str:
    rule = options.rules.get(f.rule)
    why = rule.why if rule else ""
    sc = ", ".join(f"WCAG {x}" for x in f.wcag)
    rows = [
        ("Where", f"line {f.line}, column {f.column}: <code>{escape(f.snippet)}</code>"),
        ("Why it matters", escape(why)),
        ("How to fix", escape(f.hint)),
        ("Rule", f"{escape(f.rule)} {escape(f.name)}" + (f" ({escape(sc)})" if sc else "")),
    ]
    body = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows if v)
    return (
        f'<section class="finding {f.severity}"><h3><span class="badge {f.severity}">'
        f"{_WORD[f.severity]}</span>{escape(f.message)}</h3><dl>{body}</dl></section>"
    )


def _file(file: FileReport, options: RenderOptions) -> str:
    parts = [f"<h2>{escape(file.path)}</h2>"]
    counts = file.counts()
    parts.append(
        f"<p>{counts.get(Severity.ERROR, 0)} to fix, {counts.get(Severity.WARNING, 0)} to check, "
        f"{counts.get(Severity.INFO, 0)} for information; {len(file.passed)} checks passed.</p>"
    )
    if file.metrics:
        rows = "".join(
            f"<tr><th scope='row'>{escape(_label(k))}</th><td>{escape(_value(v))}</td></tr>"
            for k, v in sorted(file.metrics.items())
        )
        parts.append(f"<table><caption>Scores</caption><tbody>{rows}</tbody></table>")
    if not file.findings:
        parts.append('<p class="clean">No problems found.</p>')
    parts.extend(_finding(f, options) for f in file.findings)
    for s in file.unused_suppressions:
        why = s.problem or "matched no finding; remove it"
        parts.append(
            f"<p>Line {s.line}: the suppression of <code>{escape(', '.join(s.selectors) or '-')}</code> "
            f"{escape(why)}.</p>"
        )
    return "<article>" + "".join(parts) + "</article>"


def render(report: Report, options: RenderOptions) -> str:
    s = report.summary
    tiles = [
        ("Files", s["files"]),
        ("Must fix", s["errors"]),
        ("Please check", s["warnings"]),
        ("For information", s["info"]),
        ("Checks passed", s["rules_passed"]),
    ]
    summary = "".join(f"<li><strong>{v}</strong>{k}</li>" for k, v in tiles)
    files = "".join(_file(f, options) for f in report.files)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Accessibility report</title><style>{_CSS}</style></head>"
        f'<body><main><h1>Accessibility report</h1><ul class="summary">{summary}</ul>{files}'
        "</main></body></html>\n"
    )
