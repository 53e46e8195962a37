"""The CI files for content repositories run: the workflow's audit commands and the pre-commit hook
are executed as written against a content folder, with the exit codes the docs promise."""

from __future__ import annotations

import os
import shlex
import string
import subprocess
import sys
from pathlib import Path

import yaml

from tests.content_api.publishing_helpers import GOOD_BODY, NO_ALT_BODY, write_site

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
FRONT = "---\ntitle: Garden\nslug: {slug}\nlang: en-GB\nstatus: published\ndate: 2026-03-01\n---\n"


def content_repository(tmp_path: Path, *, broken: bool) -> Path:
    repo = tmp_path / "repo"
    folder = write_site(repo / "content")
    (folder / "posts" / "good.md").write_text(FRONT.format(slug="good") + GOOD_BODY, encoding="utf-8")
    if broken:
        (folder / "posts" / "bad.md").write_text(FRONT.format(slug="bad") + NO_ALT_BODY, encoding="utf-8")
    return repo


def run(command: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    argv = shlex.split(string.Template(command).safe_substitute(env))
    argv[0] = str(BIN / argv[0])
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def workflow_commands() -> tuple[dict[str, str], list[str]]:
    workflow = yaml.safe_load((ROOT / "docs" / "github-workflow.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["audit"]["steps"]
    lines = [
        line.strip()
        for step in steps
        for line in str(step.get("run", "")).splitlines()
        if line.strip().startswith("a11y-audit ")
    ]
    return {k: str(v) for k, v in workflow["env"].items()}, lines


def test_workflow_commands_run_and_fail_only_on_errors(tmp_path: Path):
    variables, commands = workflow_commands()
    assert [command.split()[2] for command in commands] == ['"$CONTENT_DIR"'] * 4
    for broken in (False, True):
        repo = content_repository(tmp_path / str(broken), broken=broken)
        env = {**os.environ, **variables}
        results = [run(command, repo, env) for command in commands]
        # Annotations and reports never fail the job; the last step fails exactly when an error remains.
        assert [r.returncode for r in results[:-1]] == [0, 0, 0], [r.stderr for r in results]
        assert results[-1].returncode == (1 if broken else 0), results[-1].stderr
        assert ("::error" in results[0].stdout) is broken
        assert (repo / "a11y-audit.sarif").is_file() and (repo / "a11y-audit.html").is_file()


def test_pre_commit_hook_entry(tmp_path: Path):
    hooks = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"a11y-audit", "a11y-audit-warnings"}
    repo = content_repository(tmp_path, broken=True)
    posts = repo / "content" / "posts"
    entry = hooks["a11y-audit"]["entry"]
    assert run(f"{entry} {posts / 'good.md'}", repo, dict(os.environ)).returncode == 0
    failed = run(f"{entry} {posts / 'good.md'} {posts / 'bad.md'}", repo, dict(os.environ))
    assert failed.returncode == 1
    assert "ALT001" in failed.stdout
