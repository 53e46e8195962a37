"""The audit against axe-core on the same news articles, in one run.

    .venv/bin/python bench/audit_vs_axe.py [--articles 200] [--bulk-posts 10000] [--skip-axe] [--skip-bulk]

1. Generates the articles with ``bench/articles.py`` (Markdown posts and whole HTML documents).
2. axe-core 4.14 in headless Debian Chromium with ONE reused page: per article, load + inject + ``axe.run``.
   Chromium (``apt-get install -y chromium``) and the npm packages (``npm ci`` in ``bench/axe``) are set up
   here when missing; the product itself never needs a browser.
3. The project's audit in this process, through the public API (``a11y_audit.audit_source``), per article,
   on the same HTML documents, once before and once after the browser pass (both passes count); then the
   whole folder through ``a11y_audit.audit`` once, and ``a11y-audit check`` over it in one process.
4. ``a11y-audit check --jobs 2`` over ``--bulk-posts`` generated Markdown posts (target: under 60 s).

It prints per-article medians, the ratio (target: the audit at least 50 times faster) and the command that
reproduces each figure, and writes everything to ``bench/out/audit_vs_axe.json``.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
AXE_DIR = BENCH / "axe"
OUT = BENCH / "out"
CHROMIUM = Path("/usr/bin/chromium")
RATIO_TARGET = 50.0
BULK_TARGET_S = 60.0
BULK_TARGET_POSTS = 10_000

# The audit's rule family that should catch each kind of defect the generator writes.
DEFECT_FAMILIES = {
    "missing-alt": "alt-text",
    "filename-alt": "alt-text",
    "image-of-alt": "alt-text",
    "click-here": "links",
    "raw-url": "links",
    "skipped-heading": "headings",
    "empty-heading": "headings",
    "long-sentence": "readability",
    "pronouns-without-consent": "pronouns",
    "preferred-pronouns": "pronouns",
}
# The axe-core rule that reports each kind of defect, where axe-core has one.
AXE_RULE_FOR_DEFECT = {
    "missing-alt": "image-alt",
    "skipped-heading": "heading-order",
    "empty-heading": "empty-heading",
}
# axe-core rules grouped by the same families (rules outside these groups are counted apart).
AXE_FAMILIES = {
    "image-alt": "alt-text",
    "image-redundant-alt": "alt-text",
    "role-img-alt": "alt-text",
    "svg-img-alt": "alt-text",
    "input-image-alt": "alt-text",
    "area-alt": "alt-text",
    "object-alt": "alt-text",
    "link-name": "links",
    "identical-links-same-purpose": "links",
    "heading-order": "headings",
    "empty-heading": "headings",
    "page-has-heading-one": "headings",
    "p-as-heading": "headings",
    "html-has-lang": "language",
    "html-lang-valid": "language",
    "valid-lang": "language",
}

sys.path.insert(0, str(BENCH))
import articles  # noqa: E402  (the sibling generator module)


class SetupError(Exception):
    """Something the benchmark needs could not be set up; the message says what."""


def run_quiet(command: list[str], *, cwd: Path | None = None, what: str) -> None:
    """Run a setup command; on failure raise with the tail of its output."""
    print(f"$ {' '.join(command)}", file=sys.stderr)
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise SetupError(f"{what} failed (exit {done.returncode}): {' | '.join(tail)}")


def ensure_chromium() -> None:
    if CHROMIUM.exists():
        return
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        raise SetupError(f"{CHROMIUM} is missing; install Debian's chromium package (as root)")
    env_note = "apt-get install -y chromium"
    try:
        run_quiet(["apt-get", "install", "-y", "-q", "chromium"], what=env_note)
    except SetupError:
        run_quiet(["apt-get", "update", "-q"], what="apt-get update")
        run_quiet(["apt-get", "install", "-y", "-q", "chromium"], what=env_note)


def ensure_axe_packages() -> None:
    if shutil.which("node") is None or shutil.which("npm") is None:
        raise SetupError("node and npm are needed for the axe-core side (apt-get install -y nodejs npm)")
    installed = AXE_DIR / "node_modules" / ".package-lock.json"
    lock = AXE_DIR / "package-lock.json"
    if not installed.exists() or installed.stat().st_mtime < lock.stat().st_mtime:
        run_quiet(["npm", "ci", "--no-audit", "--no-fund"], cwd=AXE_DIR, what="npm ci in bench/axe")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class TreeMemory:
    """Samples the memory of a process and all its descendants; keeps the peak (MiB).

    Each process counts its proportional set size (PSS), so pages that Chromium's processes share are
    counted once in the sum, not once per process as resident sizes would be.
    """

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        self.pid = pid
        self.interval = interval
        self.peak_mib = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.peak_mib = max(self.peak_mib, self.sample())

    def sample(self) -> float:
        parents: dict[int, int] = {}
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                stat = Path(entry.path, "stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2 :].split()
            parents[int(entry.name)] = int(fields[1])
        tree = {self.pid}
        grew = True
        while grew:
            grew = False
            for pid, parent in parents.items():
                if parent in tree and pid not in tree:
                    tree.add(pid)
                    grew = True
        return sum(_pss_kib(pid) for pid in tree) / 1024


def _pss_kib(pid: int) -> int:
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    for line in rollup.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


@dataclass
class AxeResult:
    browser: str
    axe_core: str
    total_ms: list[float]
    run_ms: list[float]
    peak_mib: float
    violations: Counter[str] = field(default_factory=Counter)
    # Per article (same order as the files): violating nodes per rule and per family.
    per_rule: list[Counter[str]] = field(default_factory=list)
    families: list[Counter[str]] = field(default_factory=list)


class AxeSession:
    """``bench/axe/run_axe.mjs`` kept running: one browser, one page, one article per ``check`` call."""

    def __init__(self) -> None:
        ensure_chromium()
        ensure_axe_packages()
        self.log_path = OUT / "axe.log"
        self._log = self.log_path.open("w")
        command = ["node", str(AXE_DIR / "run_axe.mjs"), "--chromium", str(CHROMIUM)]
        print(f"$ {' '.join(command)} < (one article path per line)", file=sys.stderr)
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log, text=True, bufsize=1
        )
        self.meta = self._read()
        self.records: list[dict[str, Any]] = []

    def _read(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            self.process.wait(timeout=30)
            tail = self.log_path.read_text(errors="replace").strip()[-400:]
            raise SetupError(f"the axe-core runner stopped (exit {self.process.returncode}): {tail}")
        record: dict[str, Any] = json.loads(line)
        return record

    def check(self, path: Path) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(f"{path}\n")
        self.process.stdin.flush()
        self.records.append(self._read())

    def close(self) -> None:
        if self.process.stdin is not None and not self.process.stdin.closed:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()

    def result(self, peak_mib: float) -> AxeResult:
        violations: Counter[str] = Counter()
        families: list[Counter[str]] = []
        for record in self.records:
            violations.update(record["violations"])
            per_family: Counter[str] = Counter()
            for rule_id, nodes in record["violations"].items():
                per_family[AXE_FAMILIES.get(rule_id, "other")] += nodes
            families.append(per_family)
        return AxeResult(
            browser=self.meta["browser"],
            axe_core=self.meta["axe_core"],
            total_ms=[r["total_ms"] for r in self.records],
            run_ms=[r["run_ms"] for r in self.records],
            peak_mib=peak_mib,
            violations=violations,
            per_rule=[Counter(r["violations"]) for r in self.records],
            families=families,
        )


@dataclass
class AuditResult:
    per_article_ms: list[float]
    pass_medians_ms: list[float]
    one_call_s: float
    findings: Counter[str]
    severities: Counter[str]
    # Per article: findings per family that its defects added to its clean version.
    added: list[Counter[str]] = field(default_factory=list)


class AuditSession:
    """The project's audit in this process, timed per article through the public ``audit_source``."""

    def __init__(self, folder: Path) -> None:
        try:
            import a11y_audit
        except ImportError as exc:
            raise SetupError(f"the a11y_audit package cannot be imported: {exc}") from exc
        self.api = a11y_audit
        people_file = a11y_audit.find_people_file(folder)
        if people_file is None:
            raise SetupError(f"no people.yaml above {folder}")
        # Loaded once, as a process auditing many posts would.
        self.people = a11y_audit.load_people(people_file)
        self.passes: list[list[float]] = []
        self.findings: Counter[str] = Counter()
        self.severities: Counter[str] = Counter()

    def warm_up(self, path: Path) -> None:
        """Audit one article untimed, so imports and rule set-up are not counted against the first
        article, as the browser's start-up is not counted against axe-core."""
        self.api.audit_source(path.read_text(encoding="utf-8"), format="html", people=self.people)

    def run_pass(self, html_files: list[Path]) -> None:
        """Every article once, timed one by one; findings are counted on the first pass only."""
        timings: list[float] = []
        for path in html_files:
            started = time.perf_counter()
            text = path.read_text(encoding="utf-8")
            report = self.api.audit_source(
                text, format="html", path=str(path), base_dir=path.parent, people=self.people
            )
            timings.append((time.perf_counter() - started) * 1000)
            if not self.passes:
                for finding in report.findings:
                    self.findings[finding.rule] += 1
                    self.severities[str(finding.severity)] += 1
        self.passes.append(timings)

    def result(self, html_files: list[Path], written: list[articles.Article]) -> AuditResult:
        """The whole folder once through ``audit()``, and (untimed) what each article's defects added."""
        started = time.perf_counter()
        whole = self.api.audit([html_files[0].parent], people=self.people)
        one_call = time.perf_counter() - started
        if len(whole.files) != len(html_files):
            raise SetupError(f"audit() saw {len(whole.files)} files, expected {len(html_files)}")
        by_path = {str(report.path): report for report in whole.files}
        all_people = articles.make_people(articles.DEFAULT_SEED)
        added: list[Counter[str]] = []
        for path, article in zip(html_files, written, strict=True):
            with_defects = Counter(f.family for f in by_path[str(path)].findings)
            clean = articles.make_article(article.index, all_people, articles.DEFAULT_SEED, defects=False)
            clean_report = self.api.audit_source(
                articles.render_html(clean),
                format="html",
                path=str(path),
                base_dir=path.parent,
                people=self.people,
            )
            added.append(with_defects - Counter(f.family for f in clean_report.findings))
        timings = [ms for one_pass in self.passes for ms in one_pass]
        pass_medians = [statistics.median(one_pass) for one_pass in self.passes]
        return AuditResult(timings, pass_medians, one_call, self.findings, self.severities, added)


def run_sides(
    html_files: list[Path], written: list[articles.Article], *, with_axe: bool, with_audit: bool
) -> tuple[AxeResult | None, AuditResult | None]:
    """The audit over every article, then axe-core over every article, then the audit again.

    The audit's timings are those of both passes, so that a change in the machine's load during the long
    browser pass weighs on both sides. The passes are not interleaved article by article: Chromium keeps
    working for a while after ``axe.run`` returns, and the audit would pay for it.
    """
    audit_session = AuditSession(html_files[0].parent) if with_audit else None
    if audit_session is not None:
        audit_session.warm_up(html_files[0])
        audit_session.run_pass(html_files)
    axe: AxeResult | None = None
    if with_axe:
        axe_session = AxeSession()
        try:
            with TreeMemory(axe_session.process.pid) as memory:
                for path in html_files:
                    axe_session.check(path)
        finally:
            axe_session.close()
        axe = axe_session.result(memory.peak_mib)
    if audit_session is None:
        return axe, None
    if with_axe:
        audit_session.run_pass(html_files)
    return axe, audit_session.result(html_files, written)


def detection_table(written: list[articles.Article], axe: AxeResult | None, audit: AuditResult | None) -> str:
    """Per kind of defect: in how many articles each tool reported it.

    Each kind occurs at most once per article. axe-core is credited when its rule for that kind, if it
    has one, reports at least one node in the article. The audit is credited when the article has at
    least as many findings of the defect's family beyond those on its clean version as it has defects
    of that family.
    """
    rows = [
        "| defect written | articles | axe-core flagged | a11y-audit flagged |",
        "| --- | ---: | ---: | ---: |",
    ]
    for defect, family in DEFECT_FAMILIES.items():
        having = [i for i, article in enumerate(written) if defect in article.defects]
        if not having:
            continue
        cells = []
        if axe is None:
            cells.append("not run")
        elif defect not in AXE_RULE_FOR_DEFECT:
            cells.append("0 (no rule)")
        else:
            axe_rule = AXE_RULE_FOR_DEFECT[defect]
            cells.append(str(sum(axe.per_rule[i][axe_rule] >= 1 for i in having)))
        if audit is None:
            cells.append("not run")
        else:
            caught = 0
            for i in having:
                needed = sum(1 for d in written[i].defects if DEFECT_FAMILIES[d] == family)
                caught += audit.added[i][family] >= needed
            cells.append(str(caught))
        rows.append(f"| {defect} ({family}) | {len(having)} | {cells[0]} | {cells[1]} |")
    return "\n".join(rows)


@dataclass
class BulkResult:
    posts: int
    jobs: int
    wall_s: float
    exit_code: int
    files_reported: int


def run_check(folder: Path, jobs: int, report_file: Path) -> BulkResult:
    """Time ``a11y-audit check FOLDER --jobs N`` from process start to exit."""
    cli = ROOT / ".venv" / "bin" / "a11y-audit"
    executable = str(cli) if cli.exists() else (shutil.which("a11y-audit") or "a11y-audit")
    command = [executable, "check", str(folder), "--jobs", str(jobs), "--format", "json"]
    command += ["--output", str(report_file)]
    print(f"$ {' '.join(command)}", file=sys.stderr)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SetupError(f"a11y-audit check exited {done.returncode}: {done.stderr.strip()[-400:]}")
    reported = len(json.loads(report_file.read_text())["files"])
    files = sum(1 for p in folder.iterdir() if p.suffix in (".md", ".html"))
    if reported != files:
        raise SetupError(f"a11y-audit check reported {reported} files of {files} in {folder}")
    return BulkResult(files, jobs, wall, done.returncode, reported)


def run_bulk(count: int, jobs: int) -> BulkResult:
    folder = OUT / f"bulk-{count}"
    marker = folder / ".complete"
    if not marker.exists() or marker.read_text() != str(count):
        print(f"generating {count:,} posts in {folder} ...", file=sys.stderr)
        shutil.rmtree(folder, ignore_errors=True)
        articles.write_corpus(folder, count, formats=("md",))
        marker.write_text(str(count))
    return run_check(folder / "posts", jobs, OUT / f"bulk-{count}.json")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="a11y-audit against axe-core on the same articles")
    parser.add_argument("--articles", type=int, default=200, help="articles for the per-article comparison")
    parser.add_argument("--bulk-posts", type=int, default=10_000, help="posts for the --jobs 2 run")
    parser.add_argument("--jobs", type=int, default=2, help="--jobs for the bulk run (default 2)")
    parser.add_argument("--skip-axe", action="store_true", help="do not run the browser side")
    parser.add_argument("--skip-audit", action="store_true", help="run only the browser side")
    parser.add_argument("--skip-bulk", action="store_true", help="do not run the bulk check")
    args = parser.parse_args(argv)
    if args.articles < 1 or args.bulk_posts < 1 or args.jobs < 1:
        parser.error("--articles, --bulk-posts and --jobs must be positive")

    OUT.mkdir(exist_ok=True)
    # Two runs at once would overwrite each other's articles and slow each other down.
    lock = (OUT / ".audit_vs_axe.lock").open("w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print("audit_vs_axe: another run is in progress (bench/out/.audit_vs_axe.lock)", file=sys.stderr)
        return 2
    corpus = OUT / f"articles-{args.articles}"
    written = articles.write_corpus(corpus, args.articles)
    html_files = sorted((corpus / "html").glob("*.html"))
    words = sorted(a.words for a in written)
    print(
        f"{len(html_files)} articles, {words[0]:,}-{words[-1]:,} words "
        f"(median {statistics.median(words):,.0f}), "
        f"{sum(1 for a in written if a.defects)} with deliberate defects, in {corpus}"
    )
    results: dict[str, Any] = {"articles": len(html_files), "words_median": statistics.median(words)}
    axe: AxeResult | None = None
    audit: AuditResult | None = None
    try:
        axe, audit = run_sides(
            html_files, written, with_axe=not args.skip_axe, with_audit=not args.skip_audit
        )
        if axe is not None:
            results["axe"] = {
                "browser": axe.browser,
                "axe_core": axe.axe_core,
                "median_ms": statistics.median(axe.total_ms),
                "p90_ms": percentile(axe.total_ms, 0.9),
                "run_only_median_ms": statistics.median(axe.run_ms),
                "sum_s": sum(axe.total_ms) / 1000,
                "peak_mib": axe.peak_mib,
                "violations": dict(axe.violations),
            }
            print(
                f"\naxe-core {axe.axe_core} in headless {axe.browser}, "
                "one reused page (load + inject + run):\n"
                f"  per article: median {statistics.median(axe.total_ms):,.1f} ms, "
                f"p90 {percentile(axe.total_ms, 0.9):,.1f} ms (axe.run alone: median "
                f"{statistics.median(axe.run_ms):,.1f} ms)\n"
                f"  {len(html_files)} articles: {sum(axe.total_ms) / 1000:,.1f} s (sum of the articles' "
                f"times); peak memory of the browser tree {axe.peak_mib:,.0f} MiB\n"
                f"  violations (rule: nodes): {_counts(axe.violations)}"
            )
        if audit is not None:
            results["audit"] = {
                "median_ms": statistics.median(audit.per_article_ms),
                "pass_medians_ms": audit.pass_medians_ms,
                "p90_ms": percentile(audit.per_article_ms, 0.9),
                "one_call_s": audit.one_call_s,
                "findings": dict(audit.findings),
                "severities": dict(audit.severities),
            }
            print(
                "\na11y_audit.audit_source in one process (read + parse + every rule):\n"
                f"  per article: median {statistics.median(audit.per_article_ms):,.2f} ms, "
                f"p90 {percentile(audit.per_article_ms, 0.9):,.2f} ms (median of each pass: "
                f"{' / '.join(f'{m:,.2f}' for m in audit.pass_medians_ms)} ms)\n"
                f"  {len(html_files)} articles through a11y_audit.audit(folder): {audit.one_call_s:,.2f} s\n"
                f"  findings (rule: count): {_counts(audit.findings)}\n"
                f"  by severity: {_counts(audit.severities)}"
            )
        if not args.skip_audit:
            same = run_check(corpus / "html", 1, OUT / f"check-{len(html_files)}.json")
            results["check_same_articles"] = same.__dict__
            print(
                f"\na11y-audit check over the same {same.posts} HTML articles, one process, start-up "
                f"included: {same.wall_s:,.2f} s ({same.wall_s / same.posts * 1000:,.1f} ms per article)"
            )
        if axe is not None and audit is not None:
            ratio = statistics.median(axe.total_ms) / statistics.median(audit.per_article_ms)
            results["ratio"] = ratio
            verdict = "meets" if ratio >= RATIO_TARGET else "MISSES"
            print(
                f"\nratio (axe-core median / audit median): {ratio:,.1f}x "
                f"({verdict} the target of {RATIO_TARGET:.0f}x)"
            )
        if axe is not None or audit is not None:
            print("\nDeliberate defects and who reported them (family level):\n")
            print(detection_table(written, axe, audit))
            if axe is not None:
                clean_ones = [i for i, article in enumerate(written) if not article.defects]
                noise = sum(sum(axe.families[i].values()) for i in clean_ones)
                print(f"axe-core violations on the {len(clean_ones)} articles without defects: {noise}")
        if not args.skip_bulk and not args.skip_audit:
            bulk = run_bulk(args.bulk_posts, args.jobs)
            results["bulk"] = bulk.__dict__
            if bulk.posts >= BULK_TARGET_POSTS:
                verdict = "meets" if bulk.wall_s < BULK_TARGET_S else "MISSES"
                verdict += f" the target of {BULK_TARGET_S:.0f} s"
            else:
                verdict = f"the {BULK_TARGET_S:.0f} s target is for {BULK_TARGET_POSTS:,} posts"
            print(
                f"\na11y-audit check --jobs {bulk.jobs} over {bulk.posts:,} posts: {bulk.wall_s:,.1f} s "
                f"({bulk.posts / bulk.wall_s:,.0f} posts/s, exit {bulk.exit_code}, "
                f"{bulk.files_reported:,} files reported; {verdict})"
            )
    except SetupError as exc:
        print(f"audit_vs_axe: {exc}", file=sys.stderr)
        return 2
    finally:
        (OUT / "audit_vs_axe.json").write_text(json.dumps(results, indent=1, default=str))
    print(f"load average (1 min) at the end: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print(f"\nreproduce: .venv/bin/python bench/audit_vs_axe.py {' '.join(argv or sys.argv[1:])}".rstrip())
    return 0


def _counts(counter: Counter[str]) -> str:
    return ", ".join(f"{key} {value}" for key, value in counter.most_common()) or "none"


if __name__ == "__main__":
    sys.exit(main())
