"""How long the publishing gate takes: publish and unpublish every demo post through the gate.

    .venv/bin/python bench/publish_bench.py [--database-url URL]

Loads the demo content into the given store (a fresh SQLite file by default; give only a scratch
database, since every post ends up published), then for each post
runs `publish_post` (audit from the store, report stored, status, content version, related news,
webhook queue, one transaction) and `unpublish_post`, and prints the median and p95 per publish beside
the median of the bare audit of the same post (`audit_subject`), the baseline the gate adds its
writes to.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from content_api.services import publishing
from content_api.services.demo import load_demo_site
from content_api.store.db import make_engine
from content_api.store.tables import posts
from content_api.store.writes import find_post


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}")
        load_demo_site(engine)
        config = publishing.site_config()
        with engine.connect() as conn:
            slugs = [slug for (slug,) in conn.execute(posts.select().with_only_columns(posts.c.slug))]
        audits, gates = [], []
        for slug in slugs:
            publishing.unpublish_post(engine, slug)
            with engine.connect() as conn:
                state = find_post(conn, slug=slug)
                assert state is not None
                started = time.perf_counter()
                publishing.audit_subject(conn, publishing.subject_for_post(conn, state), config)
                audits.append(time.perf_counter() - started)
            started = time.perf_counter()
            publishing.publish_post(engine, slug, config)
            gates.append(time.perf_counter() - started)
        engine.dispose()
    ms = sorted(1000 * g for g in gates)
    print(f"posts: {len(slugs)} on {engine.dialect.name}")
    print(f"audit only: median {1000 * statistics.median(audits):.1f} ms")
    p95 = ms[int(0.95 * (len(ms) - 1))]
    print(f"publish through the gate: median {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms")
    print(f"ratio gate/audit: {statistics.median(gates) / statistics.median(audits):.2f}")


if __name__ == "__main__":
    main()
