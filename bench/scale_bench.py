"""Store size benchmark: the post page and the first page of posts at 1,000 and at 100,000 posts.

    .venv/bin/python bench/scale_bench.py [--posts 100000] [--baseline 1000] [--backend sqlite|postgres]

1. Fills one store per size with generated rows written straight into the tables (40 people, 8 tags,
   4 images; nine posts in ten published, each with two authors, two tags and a feature image), under
   ``bench/out/scale/`` for SQLite or in a schema ``bench_scale_N`` of the PostgreSQL database named by
   ``--postgres-url``. A SQLite store of the right size is reused.
2. Builds one app per store in this process with the response cache off, so every request runs the
   query, and times requests through them (ASGI, no sockets): ``post(slug)`` with its feature image,
   authors and tags, and ``posts(first: 20)`` with ``totalCount``. Slugs rotate over posts spread across
   the table. The two stores take turns, a tenth of the requests at a time, so that the machine's changes
   of speed fall on both.
3. Prints p50 and p90 per size and the ratio of the large store to the small one (the target is at most
   1.5). Results go to ``bench/out/scale_bench.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from content_api.app import create_app
from content_api.settings import Settings
from content_api.store.db import make_engine, migrate, write_engine
from content_api.store.maintenance import bump_content_version
from content_api.store.tables import (
    DRAFT,
    PUBLISHED,
    images,
    people,
    post_authors,
    post_tags,
    posts,
    tags,
)

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out" / "scale"
TARGET_RATIO = 1.5
BATCH = 5000

sys.path.insert(0, str(BENCH))
from page_queries import POST_PAGE_QUERY as POST_PAGE  # noqa: E402  (the sibling module)

FIRST_PAGE = """
query FirstPage {
  posts(first: 20) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id slug title summary publishedAt featureImage { url alt } authors { slug name }
      tags { slug name } } }
  }
}
""".strip()

# A 1x1 PNG: the image rows need bytes, the benchmark never serves them.
_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
_PARAGRAPH = (
    "The community garden opened its new raised beds on Saturday, and volunteers from three streets "
    "spent the morning planting leeks, chard and broad beans with the school's eco club. "
)


def build_store(engine: Engine, count: int) -> None:
    """Write `count` posts and what they refer to into an empty, migrated store."""
    now = datetime(2026, 1, 1, tzinfo=UTC)
    with write_engine(engine).begin() as conn:
        image_ids = []
        for index in range(4):
            values = {
                "path": f"images/scale-{index}.png", "sha256": f"{index:064d}", "media_type": "image/png",
                "format": "PNG", "width": 1200, "height": 800, "animated": False, "frame_count": 1,
                "flash_verdict": "pass", "data": _PNG, "created_at": now, "updated_at": now,
            }  # fmt: skip
            image_ids.append(conn.execute(insert(images).values(values)).inserted_primary_key[0])  # type: ignore[index]
        person_ids = []
        for index in range(40):
            values = {
                "slug": f"person-{index:02d}", "name": f"Person {index:02d}", "pronouns": "they/them",
                "show_pronouns": index % 2 == 0, "role": "Volunteer", "bio": "Grows things.",
                "aliases": [], "created_at": now, "updated_at": now,
            }  # fmt: skip
            person_ids.append(conn.execute(insert(people).values(values)).inserted_primary_key[0])  # type: ignore[index]
        tag_ids = [
            conn.execute(insert(tags).values(slug=f"tag-{i}", name=f"Tag {i}")).inserted_primary_key[0]  # type: ignore[index]
            for i in range(8)
        ]
        body_html = "".join(f"<p>{_PARAGRAPH}</p>" for _ in range(8))
        body_text = _PARAGRAPH * 8
        for start in range(0, count, BATCH):
            rows = []
            for index in range(start, min(start + BATCH, count)):
                published = index % 10 != 9
                rows.append(
                    {
                        "slug": f"post-{index:06d}", "title": f"Garden news number {index}",
                        "summary": "New beds, new volunteers.", "body_format": "html",
                        "body_source": body_html, "body_html": body_html, "body_text": body_text,
                        "status": PUBLISHED if published else DRAFT,
                        "published_at": now + timedelta(minutes=index) if published else None,
                        "lang": "en-GB", "reading_time_minutes": 2, "feature_image_id": image_ids[index % 4],
                        "feature_image_alt": "Raised beds", "feature_image_caption": None,
                        "pinned_related": [], "version": 1, "created_at": now, "updated_at": now,
                    }
                )  # fmt: skip
            conn.execute(insert(posts), rows)
            ids = conn.execute(
                select(posts.c.id).where(posts.c.slug.in_([row["slug"] for row in rows])).order_by(posts.c.id)
            ).scalars()
            authors, labels = [], []
            for post_id in ids:
                for position in range(2):
                    person = person_ids[(post_id * 7 + position * 13) % len(person_ids)]
                    authors.append({"post_id": post_id, "person_id": person, "position": position})
                    labels.append(
                        {
                            "post_id": post_id,
                            "tag_id": tag_ids[(post_id + position * 3) % 8],
                            "position": position,
                        }
                    )
            conn.execute(insert(post_authors), authors)
            conn.execute(insert(post_tags), labels)
        bump_content_version(conn)
        if conn.dialect.name == "postgresql":
            conn.execute(text("ANALYZE"))
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.execute(text("ANALYZE"))
            conn.commit()


def post_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(posts)).scalar_one())


def store_for(args: argparse.Namespace, count: int) -> str:
    """The URL of a store holding `count` posts, built when needed."""
    if args.backend == "sqlite":
        OUT.mkdir(parents=True, exist_ok=True)
        path = OUT / f"store-{count}.db"
        url = f"sqlite:///{path}"
        if path.exists():
            engine = make_engine(url)
            try:
                if post_count(engine) == count:
                    return url
            except SQLAlchemyError:
                pass  # a broken leftover is rebuilt
            finally:
                engine.dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        schema = f"bench_scale_{count}"
        admin = make_engine(args.postgres_url)
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        admin.dispose()
        parsed = make_url(args.postgres_url)
        url = parsed.set(query={**parsed.query, "options": f"-csearch_path={schema}"}).render_as_string(
            hide_password=False
        )
    engine = make_engine(url)
    started = time.perf_counter()
    migrate(engine)
    build_store(engine, count)
    engine.dispose()
    print(f"built a store of {count:,} posts in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return url


async def _request(app: Any, body: bytes) -> tuple[int, bytes]:
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": "/graphql", "raw_path": b"/graphql", "query_string": b"", "root_path": "",
        "headers": [
            (b"host", b"news.example.org"), (b"content-type", b"application/json"),
            (b"accept", b"application/graphql-response+json"), (b"content-length", str(len(body)).encode()),
        ],
        "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 80),
    }  # fmt: skip
    sent = False
    status = 0
    chunks: list[bytes] = []

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return status, b"".join(chunks)


# The sizes take turns, a slice of the requests each, so that a change in the machine's speed during the
# run falls on both stores rather than on one (their ratio is the target).
ROUNDS = 10


def _bodies(count: int) -> dict[str, list[bytes]]:
    published = [index for index in range(count) if index % 10 != 9]
    step = max(1, len(published) // 50)
    slugs = [f"post-{index:06d}" for index in published[::step]][:50]
    return {
        "post by slug": [json.dumps({"query": POST_PAGE, "variables": {"slug": s}}).encode() for s in slugs],
        "first page of posts": [json.dumps({"query": FIRST_PAGE}).encode()],
    }


async def time_stores(urls: dict[int, str], requests: int) -> dict[int, dict[str, dict[str, float]]]:
    """p50 and p90 (ms) per store size and query, the sizes taking turns round after round."""
    apps = {count: create_app(Settings(database_url=url, response_cache_mb=0)) for count, url in urls.items()}
    bodies = {count: _bodies(count) for count in urls}
    samples: dict[int, dict[str, list[float]]] = {
        count: {name: [] for name in bodies[count]} for count in urls
    }
    async with contextlib.AsyncExitStack() as stack:
        for count, app in apps.items():
            await stack.enter_async_context(app.router.lifespan_context(app))
            for name, variants in bodies[count].items():
                for body in variants[:10] * 3:  # warm-up: parser, validation, statement caches
                    status, answer = await _request(app, body)
                    if status != 200 or b'"errors"' in answer:
                        raise SystemExit(f"scale_bench: {name} failed ({status}): {answer[:300]!r}")
        per_round = max(1, requests // ROUNDS)
        for round_number in range(ROUNDS):
            for count, app in apps.items():
                for name, variants in bodies[count].items():
                    for index in range(round_number * per_round, (round_number + 1) * per_round):
                        started = time.perf_counter()
                        await _request(app, variants[index % len(variants)])
                        samples[count][name].append((time.perf_counter() - started) * 1000)
    timings: dict[int, dict[str, dict[str, float]]] = {}
    for count, by_name in samples.items():
        timings[count] = {}
        for name, values in by_name.items():
            values.sort()
            timings[count][name] = {
                "p50_ms": statistics.median(values),
                "p90_ms": values[int(len(values) * 0.9)],
            }
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="post page and first page latency at two store sizes")
    parser.add_argument(
        "--posts", type=int, default=100_000, help="posts in the large store (default 100000)"
    )
    parser.add_argument("--baseline", type=int, default=1_000, help="posts in the small store (default 1000)")
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--postgres-url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--requests", type=int, default=300, help="timed requests per query (default 300)")
    args = parser.parse_args(argv)
    if not 100 <= args.baseline < args.posts <= 1_000_000 or args.requests < 10:
        parser.error("need 100 <= --baseline < --posts <= 1000000 and --requests >= 10")

    urls = {count: store_for(args, count) for count in (args.baseline, args.posts)}
    results = asyncio.run(time_stores(urls, args.requests))

    small, large = results[args.baseline], results[args.posts]
    print(f"\nLatency in process ({args.backend}, response cache off), {args.requests} requests per query:\n")
    print(f"| query | p50 at {args.baseline:,} | p50 at {args.posts:,} | p90 at {args.baseline:,} "
          f"| p90 at {args.posts:,} | ratio of p50 | target |")  # fmt: skip
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    verdicts = {}
    for name in small:
        ratio = large[name]["p50_ms"] / small[name]["p50_ms"]
        met = ratio <= TARGET_RATIO
        verdicts[name] = {"ratio": round(ratio, 3), "met": met}
        print(
            f"| {name} | {small[name]['p50_ms']:.2f} ms | {large[name]['p50_ms']:.2f} ms "
            f"| {small[name]['p90_ms']:.2f} ms | {large[name]['p90_ms']:.2f} ms | {ratio:.2f} "
            f"| <= {TARGET_RATIO} {'met' if met else 'MISSED'} |"
        )
    load = os.getloadavg()[0]
    print(f"\nload average (1 min) at the end: {load:.2f} on {os.cpu_count()} cores")
    summary = {"args": vars(args), "load_average": load, "results": results, "verdicts": verdicts}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    (OUT.parent / "scale_bench.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    return 0 if all(v["met"] for v in verdicts.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
