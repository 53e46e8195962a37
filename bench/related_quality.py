"""Quality of related news against known topic clusters, beside a tags-only baseline.

A generated corpus (`related_corpus.py`): posts in topic clusters, with noisy tags (about 20% untagged,
15% tagged with a random topic, one tag on most posts). For every post, the first three related posts
count as hits when they belong to the post's topic; precision at 3 is hits / 3 averaged over posts (a
missing entry is a miss). The baseline is Ghost's approach: the newest posts sharing any tag with the
post. Both are measured in the same run on the same store.

    .venv/bin/python bench/related_quality.py [--posts 800] [--seed 2026] [--database-url URL]

Exits 1 when precision at 3 is below the target (0.8).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from related_corpus import GeneratedCorpus, GeneratedPost, generate, write_corpus

from content_api.services.related import refresh_related
from content_api.store.db import make_engine, migrate, write_engine
from content_api.store.maintenance import clear_store
from content_api.store.queries import PUBLIC
from content_api.store.related import related_posts

TARGET = 0.8
K = 3


def tags_only_baseline(corpus: GeneratedCorpus, *, primary: bool) -> dict[str, list[str]]:
    """For each post, the newest `K` other posts sharing any of its tags, or its first (primary) tag:
    the two filters Ghost themes use for "related posts"."""
    newest_first = sorted(corpus.posts, key=lambda post: (post.published_at, post.slug), reverse=True)
    by_tag: dict[str, list[GeneratedPost]] = {}
    for post in newest_first:
        for tag in post.tags:
            by_tag.setdefault(tag, []).append(post)
    chosen: dict[str, list[str]] = {}
    for post in corpus.posts:
        wanted = post.tags[:1] if primary else post.tags
        pool = {other.slug: other for tag in wanted for other in by_tag[tag] if other.slug != post.slug}
        ordered = sorted(pool.values(), key=lambda other: (other.published_at, other.slug), reverse=True)
        chosen[post.slug] = [other.slug for other in ordered[:K]]
    return chosen


def precision(
    corpus: GeneratedCorpus, chosen: dict[str, list[str]], which: Callable[[GeneratedPost], bool]
) -> float:
    topic = {post.slug: post.topic for post in corpus.posts}
    selected = [post for post in corpus.posts if which(post)]
    if not selected:
        return float("nan")
    hits = sum(sum(topic[other] == post.topic for other in chosen[post.slug][:K]) for post in selected)
    return hits / (K * len(selected))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=800)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--database-url", help="an empty or disposable store (default: a temporary SQLite file)"
    )
    args = parser.parse_args(argv)
    if args.posts < 2 * K:
        parser.error(f"--posts must be at least {2 * K}")

    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(args.database_url or f"sqlite:///{folder}/related-quality.db")
        migrate(engine)
        clear_store(engine)
        corpus = generate(args.posts, seed=args.seed)
        with write_engine(engine).begin() as conn:
            ids = write_corpus(conn, corpus)
            started = time.perf_counter()
            refresh_related(conn)
            elapsed = time.perf_counter() - started
        slugs = {post_id: slug for slug, post_id in ids.items()}
        with engine.connect() as conn:
            lists = related_posts(conn, PUBLIC, list(ids.values()), K)
        engine.dispose()

    ours = {slug: [entry.post.slug for entry in lists.get(ids[slug], [])] for slug in slugs.values()}
    any_tag = tags_only_baseline(corpus, primary=False)
    primary_tag = tags_only_baseline(corpus, primary=True)
    kinds: list[tuple[str, Callable[[GeneratedPost], bool]]] = [
        ("all posts", lambda post: True),
        ("untagged", lambda post: not post.tags),
        ("tagged with another topic", lambda post: bool(post.tags) and post.tags[0] != post.topic),
        ("tagged with their topic", lambda post: bool(post.tags) and post.tags[0] == post.topic),
    ]
    topics = len({post.topic for post in corpus.posts})
    print(f"related news quality: {len(corpus.posts)} posts in {topics} topics, seed {args.seed}")
    print(f"(computed in {elapsed:.1f} s; precision at {K} against the topic clusters)\n")
    print(f"{'posts':<28}{'count':>7}{'related news':>14}{'any tag':>10}{'primary tag':>13}")
    for label, which in kinds:
        count = sum(1 for post in corpus.posts if which(post))
        print(
            f"{label:<28}{count:>7}{precision(corpus, ours, which):>14.3f}"
            f"{precision(corpus, any_tag, which):>10.3f}{precision(corpus, primary_tag, which):>13.3f}"
        )
    overall = precision(corpus, ours, lambda post: True)
    best_baseline = max(
        precision(corpus, any_tag, lambda post: True), precision(corpus, primary_tag, lambda post: True)
    )
    print(
        f"\nrelated news / best tags-only baseline: {overall / max(best_baseline, 1e-9):.2f}x; "
        f"target precision at {K} >= {TARGET}: {'met' if overall >= TARGET else 'NOT met'}"
    )
    return 0 if overall >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
