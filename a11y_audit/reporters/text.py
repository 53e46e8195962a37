"""Plain text for a terminal or a log, through rich (colour only when writing to a terminal)."""

from __future__ import annotations

import io

from rich.console import Console
from rich.markup import escape

from ..model import Report, Severity
from . import RenderOptions

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def _metric(value: float | int | str) -> str:
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def render(report: Report, options: RenderOptions) -> str:
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=options.color,
        no_color=not options.color,
        width=options.width,
        highlight=False,
        soft_wrap=True,
    )
    for file in report.files:
        if not file.findings and not file.unused_suppressions:
            continue
        console.print(f"[bold]{escape(file.path)}[/bold]")
        for f in file.findings:
            console.print(
                f"  {f.line}:{f.column}  [{_STYLE[f.severity]}]{f.severity}[/]  "
                f"[dim]{f.rule}[/dim] {escape(f.message)}"
            )
            if f.hint:
                console.print(f"      [dim]{escape(f.hint)}[/dim]")
        for s in file.unused_suppressions:
            why = s.problem or "matched no finding"
            console.print(
                f"  {s.line}:1  [magenta]suppression[/]  "
                f"{escape(', '.join(s.selectors) or '-')} {escape(why)}"
            )
        if file.metrics:
            shown = ", ".join(f"{k} {_metric(v)}" for k, v in sorted(file.metrics.items()))
            console.print(f"  [dim]{escape(shown)}[/dim]")
    return buffer.getvalue()


def summary_line(report: Report) -> str:
    """One line for stderr: how many files and findings."""
    s = report.summary
    files = "file" if s["files"] == 1 else "files"
    parts = [f"{s['errors']} errors", f"{s['warnings']} warnings", f"{s['info']} info"]
    extra = f", {s['suppressed']} suppressed" if s["suppressed"] else ""
    unused = f", {s['unused_suppressions']} unused suppressions" if s["unused_suppressions"] else ""
    return f"a11y-audit: {s['files']} {files} checked: {', '.join(parts)}{extra}{unused}"
