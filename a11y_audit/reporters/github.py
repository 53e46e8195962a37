"""GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` line per finding."""

from __future__ import annotations

from ..model import Report, Severity
from . import RenderOptions

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: Report, options: RenderOptions) -> str:
    lines = []
    for file in report.files:
        for f in file.findings:
            title = _prop(f"{f.rule} {f.name}")
            message = _data(f"{f.message}. {f.hint}" if f.hint else f.message)
            lines.append(
                f"::{_LEVEL[f.severity]} file={_prop(file.path)},line={f.line},col={f.column},"
                f"title={title}::{message}"
            )
        for s in file.unused_suppressions:
            why = s.problem or "matched no finding"
            lines.append(
                f"::notice file={_prop(file.path)},line={s.line},title=unused suppression::"
                + _data(f"Suppression of {', '.join(s.selectors) or '(nothing)'} {why}")
            )
    return "".join(line + "\n" for line in lines)
