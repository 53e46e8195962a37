"""The `a11y-audit` command: `check`, `rules`, `explain`.

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage or input error (one line on
stderr, never a traceback). The report goes to stdout (or --output), the summary to stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .config import Config, load_config
from .errors import AuditInputError, ConfigError
from .model import FailOn, Report
from .registry import all_rules, get_rule, resolve_selector
from .reporters import RenderOptions, ReportFormat, render
from .reporters.text import summary_line
from .ruledocs import rule_markdown
from .runner import collect_files, iter_reports

PROGRESS_THRESHOLD = 50


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # one line, exit 2
        self.exit(2, f"{self.prog}: error: {message}\n")


def _selectors(value: str | None, option: str) -> list[str]:
    if not value:
        return []
    items = [s.strip() for s in value.split(",") if s.strip()]
    for item in items:
        if not resolve_selector(item):
            raise ConfigError(f"unknown rule {item!r} in {option}")
    return items


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="a11y-audit", description="Audit news posts for accessibility before publishing.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    check = sub.add_parser("check", help="audit .md and .html files and folders")
    check.add_argument("paths", nargs="+", metavar="PATH")
    check.add_argument("--format", choices=[f.value for f in ReportFormat], default="text")
    check.add_argument("--output", metavar="FILE", help="write the report here instead of stdout")
    check.add_argument("--fail-on", choices=[f.value for f in FailOn], default=None)
    check.add_argument("--people", metavar="FILE", help="the people registry (people.yaml)")
    check.add_argument("--config", metavar="FILE", help="config file (.a11y-audit.toml or pyproject.toml)")
    check.add_argument("--select", metavar="IDS", help="comma-separated rules to run (ids, names, families)")
    check.add_argument("--ignore", metavar="IDS", help="comma-separated rules not to run")
    check.add_argument("--jobs", type=int, default=1, metavar="N", help="processes to use (default 1)")

    rules = sub.add_parser("rules", help="list the rules")
    rules.add_argument("--format", choices=["text", "json", "markdown"], default="text")

    explain = sub.add_parser("explain", help="explain one rule")
    explain.add_argument("rule", metavar="RULE")
    return parser


@contextmanager
def _progress(total: int) -> Iterator[Any]:
    """A progress bar on stderr for long runs, only when stderr is a terminal."""
    if total < PROGRESS_THRESHOLD or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(file=sys.stderr),
        transient=True,
        auto_refresh=False,  # no refresh thread: the worker pool forks while the bar is shown
    ) as bar:
        task = bar.add_task("Auditing", total=total)
        step = max(1, total // 200)
        done = 0

        def advance() -> None:
            nonlocal done
            done += 1
            bar.advance(task)
            if done % step == 0 or done == total:
                bar.refresh()

        yield advance


def _load_config(args: argparse.Namespace) -> Config:
    # The config nearest to what is checked (as ruff and Vale do): the same result from any folder.
    first = Path(args.paths[0])
    start = first if first.is_dir() else first.parent
    config = load_config(args.config) if args.config else load_config(start=start)
    select = _selectors(args.select, "--select")
    ignore = _selectors(args.ignore, "--ignore")
    if select or ignore:
        config = config.with_selection(select, ignore)
    return config


def _check(args: argparse.Namespace) -> int:
    if args.jobs < 1:
        raise AuditInputError(f"--jobs must be 1 or more, got {args.jobs}")
    config = _load_config(args)
    people_path = args.people or config.people
    if people_path and not Path(people_path).is_file():
        raise AuditInputError("people registry not found", path=str(people_path))
    fail_on = FailOn(args.fail_on or config.fail_on)
    files = collect_files(args.paths)
    report = Report()
    with _progress(len(files)) as advance:
        for file_report in iter_reports(files, config=config, people=people_path, jobs=args.jobs):
            report.files.append(file_report)
            if advance is not None:
                advance()
    _emit(report, args, fail_on)
    print(summary_line(report), file=sys.stderr)
    return report.exit_code(fail_on)


def _emit(report: Report, args: argparse.Namespace, fail_on: FailOn) -> None:
    fmt = ReportFormat(args.format)
    to_terminal = args.output is None and sys.stdout.isatty()
    options = RenderOptions(
        rules={r.id: r for r in all_rules()},
        color=fmt is ReportFormat.TEXT and to_terminal,
        fail_on=fail_on,
    )
    text = render(report, fmt, options)
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise AuditInputError(f"cannot write report ({exc.strerror or exc})", path=args.output) from None
    else:
        sys.stdout.write(text)


def _rules(args: argparse.Namespace) -> int:
    rules = all_rules()
    if args.format == "json":
        keys = ("id", "name", "family", "severity", "wcag", "act", "summary", "options", "enabled_by_default")
        data = [{k: r.to_dict()[k] for k in keys} for r in rules]
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
    elif args.format == "markdown":
        sys.stdout.write("\n\n".join(rule_markdown(r) for r in rules))
    else:
        width = max(len(r.name) for r in rules)
        for r in rules:
            sys.stdout.write(f"{r.id}  {r.name:<{width}}  {r.severity:<7}  {r.summary}\n")
    return 0


def _explain(args: argparse.Namespace) -> int:
    found = get_rule(args.rule)
    if found is None:
        raise ConfigError(f"unknown rule {args.rule!r}")
    sys.stdout.write(rule_markdown(found))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handlers = {"check": _check, "rules": _rules, "explain": _explain}
    try:
        return handlers[args.command](args)
    except AuditInputError as exc:
        print(f"a11y-audit: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("a11y-audit: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug, not bad input: still one line, never a traceback
        print(f"a11y-audit: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
