"""The graphql-http conformance audit with every limit switched on: still no errors, no warnings."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from content_api.store.db import make_engine, migrate
from tests.content_api.server_process import running_server
from tests.content_api.test_http_audit import AUDIT_DIR, _install_audit_packages

EVERY_LIMIT = {
    "CONTENT_API_MAX_DEPTH": "10",
    "CONTENT_API_MAX_ALIASES": "30",
    "CONTENT_API_MAX_TOKENS": "2000",
    "CONTENT_API_MAX_QUERY_CHARS": "20000",
    "CONTENT_API_MAX_COST": "50000",
    "CONTENT_API_MAX_BODY_BYTES": "1000000",
    "CONTENT_API_MAX_BATCH": "10",
    "CONTENT_API_QUERY_TIMEOUT": "10",
    # The audit sends about a hundred requests at once; a budget it stays within.
    "CONTENT_API_RATE_LIMIT": "50",
    "CONTENT_API_RATE_BURST": "500",
    "CONTENT_API_PERSISTED_QUERIES": "apq",
    "CONTENT_API_INTROSPECTION": "0",
}


@pytest.mark.slow
def test_graphql_over_http_audit_with_every_limit_on(tmp_path: Path) -> None:
    _install_audit_packages()
    database_url = f"sqlite:///{tmp_path}/audit.db"
    engine = make_engine(database_url)
    migrate(engine)
    engine.dispose()

    with running_server("--database-url", database_url, env=EVERY_LIMIT) as base_url:
        result = subprocess.run(
            ["node", "audit.mjs", f"{base_url}/graphql"],
            cwd=AUDIT_DIR,
            capture_output=True,
            text=True,
            timeout=120,
        )
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["total"] >= 61, summary
    assert (summary["error"], summary["warn"]) == (0, 0), result.stdout
    assert result.returncode == 0
