"""Speed of related news: the whole corpus from scratch, then single changes, timed.

Writes a generated corpus (`related_corpus.py`, 10,000 posts by default) into a fresh store, recomputes
every related list from scratch (`refresh_related(conn)`), then times single changes, each in its own
transaction as the API's publish/update/unpublish do: editing a post's text, unpublishing a post and
publishing it again. Every change is followed by `refresh_related(conn, [post_id])`.

    .venv/bin/python bench/related_speed.py [--posts 10000] [--changes 20] [--database-url URL]

Targets: from scratch under 120 s, one changed post under 200 ms (median, wall clock). Exits 1 when a
target is missed. "CPU here" is this process's CPU time: on a busy machine the wall clock also counts
waiting for a core, and on PostgreSQL it also counts the server's work.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Connection, Engine, select, text, update

sys.path.insert(0, str(Path(__file__).resolve().parent))

from related_corpus import TOPICS, generate, write_corpus

from content_api.services.related import RefreshSummary, refresh_related
from content_api.store.db import make_engine, migrate, write_engine
from content_api.store.maintenance import clear_store
from content_api.store.tables import DRAFT, PUBLISHED, posts

FULL_TARGET_SECONDS = 120.0
CHANGE_TARGET_MS = 200.0


Sample = tuple[float, float, RefreshSummary]


def timed_change(engine: Engine, change: Callable[[Connection], int]) -> Sample:
    """Wall-clock and this process's CPU milliseconds for the refresh after one change, in the change's
    transaction (the change's own write excluded)."""
    with write_engine(engine).begin() as conn:
        post_id = change(conn)
        started, cpu = time.perf_counter(), time.process_time()
        summary = refresh_related(conn, [post_id])
        return (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000, summary


def describe(label: str, samples: list[Sample]) -> str:
    times = sorted(ms for ms, _, _ in samples)
    cpu = statistics.median(ms for _, ms, _ in samples)
    lists = statistics.median(summary.lists for _, _, summary in samples)
    return (
        f"{label:<24} median {statistics.median(times):7.1f} ms   max {times[-1]:7.1f} ms"
        f"   (CPU here {cpu:5.1f} ms; {len(times)} changes, median {lists:.0f} lists rewritten)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--changes", type=int, default=20, help="changes of each kind to time")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--database-url", help="a disposable store (default: a temporary SQLite file)")
    args = parser.parse_args(argv)
    if args.posts < 10 or args.changes < 1:
        parser.error("--posts must be at least 10 and --changes at least 1")

    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(args.database_url or f"sqlite:///{folder}/related-speed.db")
        migrate(engine)
        clear_store(engine)
        corpus = generate(args.posts, seed=args.seed)
        with write_engine(engine).begin() as conn:
            ids = write_corpus(conn, corpus)
        with write_engine(engine).begin() as conn:
            # Planner statistics, as PostgreSQL's autovacuum would have gathered after such a load.
            conn.execute(text("ANALYZE"))
        print(f"related news speed: {len(ids)} posts, {engine.dialect.name}")

        with write_engine(engine).begin() as conn:
            started, cpu = time.perf_counter(), time.process_time()
            refresh_related(conn)
            full_seconds, full_cpu = time.perf_counter() - started, time.process_time() - cpu
        print(f"{'from scratch':<24} {full_seconds:7.1f} s   (CPU here {full_cpu:.1f} s)")

        rng = random.Random(args.seed)
        chosen = rng.sample(sorted(ids.values()), args.changes)
        extra_words = " ".join(rng.choice(TOPICS[rng.choice(list(TOPICS))]) for _ in range(40))

        def edit(post_id: int) -> Callable[[Connection], int]:
            def change(conn: Connection) -> int:
                body = conn.execute(select(posts.c.body_text).where(posts.c.id == post_id)).scalar_one()
                text = f"{body} Update: {extra_words}."
                conn.execute(
                    update(posts).where(posts.c.id == post_id).values(body_text=text, body_source=text)
                )
                return post_id

            return change

        def set_status(post_id: int, status: str) -> Callable[[Connection], int]:
            def change(conn: Connection) -> int:
                conn.execute(update(posts).where(posts.c.id == post_id).values(status=status))
                return post_id

            return change

        edits = [timed_change(engine, edit(post_id)) for post_id in chosen]
        unpublished = [timed_change(engine, set_status(post_id, DRAFT)) for post_id in chosen]
        published = [timed_change(engine, set_status(post_id, PUBLISHED)) for post_id in chosen]
        engine.dispose()

    print(describe("edit one post", edits))
    print(describe("unpublish one post", unpublished))
    print(describe("publish one post", published))
    worst_median = max(
        statistics.median(ms for ms, _, _ in samples) for samples in (edits, unpublished, published)
    )
    met = full_seconds < FULL_TARGET_SECONDS and worst_median < CHANGE_TARGET_MS
    print(
        f"\ntargets: from scratch < {FULL_TARGET_SECONDS:.0f} s, one changed post < {CHANGE_TARGET_MS:.0f} ms"
        f" (median): {'met' if met else 'NOT met'}"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
