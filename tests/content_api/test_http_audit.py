"""The graphql-http package's conformance audit against a running server: no errors, no warnings."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from content_api.store.db import make_engine, migrate
from tests.content_api.server_process import running_server

AUDIT_DIR = Path(__file__).resolve().parents[2] / "scripts" / "graphql-http-audit"


def _install_audit_packages() -> None:
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        pytest.fail("node and npm are needed for the GraphQL-over-HTTP audit; install Node.js", pytrace=False)
    installed = AUDIT_DIR / "node_modules" / ".package-lock.json"
    lock = AUDIT_DIR / "package-lock.json"
    if installed.exists() and installed.stat().st_mtime >= lock.stat().st_mtime:
        return
    result = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund"], cwd=AUDIT_DIR, capture_output=True, text=True, timeout=300
    )
    if result.returncode != 0:
        pytest.fail(f"npm ci failed in {AUDIT_DIR}:\n{result.stderr}", pytrace=False)


@pytest.mark.slow
def test_graphql_over_http_audit_passes_every_check(tmp_path: Path) -> None:
    _install_audit_packages()
    database_url = f"sqlite:///{tmp_path}/audit.db"
    engine = make_engine(database_url)
    migrate(engine)
    engine.dispose()

    with running_server("--database-url", database_url) as base_url:
        result = subprocess.run(
            ["node", "audit.mjs", f"{base_url}/graphql"],
            cwd=AUDIT_DIR,
            capture_output=True,
            text=True,
            timeout=120,
        )
    lines = result.stdout.strip().splitlines()
    assert lines, result.stderr
    summary = json.loads(lines[-1])
    assert summary["total"] >= 61, summary
    assert (summary["error"], summary["warn"]) == (0, 0), result.stdout
    assert result.returncode == 0
