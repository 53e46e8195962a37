"""Run the configured rules over documents and files."""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.context
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .config import Config, default_config
from .context import RuleContext
from .document import Document
from .errors import AuditInputError
from .model import FileReport, Finding, Report
from .parse import format_for, parse_file, parse_source
from .people import people_for
from .suppress import apply_suppressions


class RuleCrashError(AuditInputError):
    """A rule raised on a document: reported as one line naming the rule and the file."""


def audit_document(doc: Document, *, config: Config | None = None, people: Any = None) -> FileReport:
    """Run every configured rule on a parsed document."""
    config = config or default_config()
    people = people_for(doc, people, config.people)
    findings: list[Finding] = []
    metrics: dict[str, float | int | str] = {}
    passed: list[str] = []
    for plan in config.plan(doc.path):
        ctx = RuleContext(
            rule=plan.rule,
            doc=doc,
            options=plan.options,
            config=config,
            people=people,
            metrics=metrics,
            severity_override=plan.severity,
        )
        try:
            produced = list(plan.rule.func(doc, ctx))
        except AuditInputError:
            raise
        except Exception as exc:
            raise RuleCrashError(
                f"rule {plan.rule.id} failed: {type(exc).__name__}: {exc}", path=doc.path
            ) from exc
        if produced:
            findings.extend(produced)
        else:
            passed.append(plan.rule.id)
    kept, suppressions, dropped = apply_suppressions(doc, findings)
    if dropped:
        still = {f.rule for f in kept}
        gone = {f.rule for f in findings} - still
        passed.extend(sorted(gone))
    kept.sort(key=lambda f: (f.line, f.column, -f.severity.rank, f.rule))
    return FileReport(
        path=doc.path,
        findings=kept,
        metrics=metrics,
        suppressions=suppressions,
        passed=sorted(passed),
        suppressed=dropped,
    )


def audit_source(
    text: str,
    *,
    format: str = "markdown",
    path: str | None = None,
    base_dir: str | Path | None = None,
    people: Any = None,
    config: Config | None = None,
) -> FileReport:
    """Audit one post given as text (Markdown or HTML, with optional front matter)."""
    with _collector_paused():
        # No local name for the document: it is freed before the collector resumes (see below).
        return audit_document(
            parse_source(text, format=format, path=path, base_dir=base_dir), config=config, people=people
        )


def audit_file(path: str | Path, *, config: Config | None = None, people: Any = None) -> FileReport:
    """Audit one `.md` or `.html` file."""
    with _collector_paused():
        return audit_document(parse_file(path), config=config, people=people)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while one post is parsed and audited.

    A post allocates tens of thousands of objects (its tree, sentences, findings), which set off dozens of
    collections that each walk the live tree again; about a tenth of the audit's time went there. Paused, the
    post's garbage (the tree's parent and child links are cycles) goes in one collection soon after. Only
    the caller that paused it resumes it, so nested or concurrent audits never leave it off. The callers
    drop the document before resuming, so that collection meets only the tree's cycles, not the whole live
    analysis.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def collect_files(paths: Iterable[str | Path]) -> list[Path]:
    """The files to audit: each file named, and every .md/.html file under each folder named (sorted)."""
    found: list[Path] = []
    seen: set[Path] = set()
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            inner = sorted(
                q
                for q in p.rglob("*")
                if q.is_file()
                and format_for(q) is not None
                and not any(part.startswith(".") for part in q.relative_to(p).parts)
            )
        elif p.exists():
            inner = [p]
        else:
            raise AuditInputError("no such file or folder", path=str(p))
        for q in inner:
            key = q.resolve()
            if key not in seen:
                seen.add(key)
                found.append(q)
    return found


def _audit_one(path: str, config: Config, people: Any) -> FileReport | AuditInputError:
    try:
        return audit_file(path, config=config, people=people)
    except AuditInputError as exc:
        return exc


_worker_setup: tuple[Config, Any] | None = None


def _init_worker(config: Config, people: Any) -> None:
    global _worker_setup
    _worker_setup = (config, people)
    # What the worker inherited (modules, rules, dictionaries, the registry) lives as long as it does: moved
    # out of the collector's generations, it is no longer traversed by every full collection, and pages
    # shared with the parent stay shared.
    gc.freeze()


def _audit_in_worker(path: str) -> FileReport | AuditInputError:
    if _worker_setup is None:
        raise RuntimeError("audit worker started without its initializer")
    config, people = _worker_setup
    return _audit_one(path, config, people)


def _pool_context() -> multiprocessing.context.BaseContext:
    # Forked workers inherit what the first file loaded (rule modules, dictionaries, people registry).
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else None)


def iter_reports(
    files: list[Path], *, config: Config, people: Any = None, jobs: int = 1
) -> Iterator[FileReport]:
    """Audit files in order, in this process or in a pool of `jobs` processes."""
    jobs = max(1, min(jobs, len(files), os.cpu_count() or 1))
    paths = [str(f) for f in files]
    done = 0
    while done < len(paths) and (jobs == 1 or done == 0):
        result = _audit_one(paths[done], config, people)
        if isinstance(result, AuditInputError):
            raise result
        done += 1
        yield result
    rest = paths[done:]
    if not rest:
        return
    chunk = max(1, min(64, len(rest) // (jobs * 8) or 1))
    with ProcessPoolExecutor(
        max_workers=jobs, mp_context=_pool_context(), initializer=_init_worker, initargs=(config, people)
    ) as pool:
        for result in pool.map(_audit_in_worker, rest, chunksize=chunk):
            if isinstance(result, AuditInputError):
                raise result
            yield result


def audit(
    paths: Iterable[str | Path] | str | Path,
    *,
    config: Config | None = None,
    people: Any = None,
    jobs: int = 1,
    on_file: Callable[[FileReport], None] | None = None,
) -> Report:
    """Audit files and folders. Bad input raises `AuditInputError` (its message names the file and line)."""
    if isinstance(paths, str | Path):
        paths = [paths]
    config = config or default_config()
    files = collect_files(paths)
    report = Report()
    for file_report in iter_reports(files, config=config, people=people, jobs=jobs):
        report.files.append(file_report)
        if on_file is not None:
            on_file(file_report)
    return report
