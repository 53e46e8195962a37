"""Serving benchmark: ``content-api serve`` against a raw Starlette app returning the same JSON bytes.

    .venv/bin/python bench/serve_bench.py [--store generated|demo] [--posts 500] [--duration 10] [--rounds 3]
                                          [--scale-posts 100000] [--backend sqlite|postgres] [--without-plans]

1. Loads a store into a SQLite file under ``bench/out/serve/`` (or, with ``--backend postgres``, into a fresh
   schema ``bench_serve`` of the database ``--postgres-url``): by default 500 generated posts and 40 people
   (``bench/articles.py --clean``, through ``content-api import``), or the bundled demo (``--store demo``).
2. Starts ``content-api serve --workers 2`` twice on 127.0.0.1: as configured by default (response cache on)
   and with ``CONTENT_API_RESPONSE_CACHE_MB=0`` (response cache off; parser and validation caches on);
   with ``--without-plans`` a third time, response cache off and ``CONTENT_API_COMPILED_PLANS=0``;
   with ``--without-json-answers`` once more, response cache off and ``CONTENT_API_JSON_ANSWERS=0``.
   Records the answers to the post-page query (post, feature image, authors, tags, related news), to a
   20-item list query and to the post-page query as a GET with its ETag, and starts ``bench/raw_app.py``
   (uvicorn, 2 workers, 127.0.0.1) that returns those recorded bytes for the same requests (304 for the
   conditional GET): the ceiling for this stack.
3. Drives each server with ``wrk -t2 -c32 -d10s`` (``bench/wrk_post.lua``, ``bench/wrk_get.lua``; Debian's
   ``wrk`` is installed when missing; a Python load generator stands in only when it cannot be had), three
   rounds with the servers taking turns, and prints the median req/s, p50, p99 and ratio to raw, measured
   in the same run, then checks the issue's targets.
   Results go to ``bench/out/serve_bench.json``.
4. Unless ``--scale-posts 0``, runs ``bench/scale_bench.py`` (post by slug and the first page of posts at
   1,000 and 100,000 posts, in process, on the same backend) and adds its two targets to the list.

Every server is stopped at the end, also on failure or Ctrl-C.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out" / "serve"
VENV_BIN = ROOT / ".venv" / "bin"
HOST = "127.0.0.1"

sys.path.insert(0, str(BENCH))
import articles  # noqa: E402  (the sibling generator module)
from page_queries import LIST_QUERY  # noqa: E402
from page_queries import POST_PAGE_WITH_RELATED_QUERY as POST_PAGE_QUERY  # noqa: E402


class BenchError(Exception):
    """The benchmark cannot go on; the message says why in one line."""


# Names of the measured cases, with the ratio each must reach (issue 8).
POST_PAGE = "post page"
LIST = "20-item list"
CONDITIONAL = "post page, GET 304"
RAW = "raw Starlette JSON"
CACHED = "content-api serve"
UNCACHED = "serve, no response cache"
# With --without-plans: the same with compiled plans off (graphql-core's executor), for comparison.
UNPLANNED = "serve, no response cache, no plans"
# With --without-json-answers: the same with JSON plans off (compiled plans only), for comparison.
UNJSONED = "serve, no response cache, no JSON plans"
# The PostgreSQL schema the store goes to with --backend postgres (dropped and made again each run).
POSTGRES_SCHEMA = "bench_serve"
TARGETS = [
    (CACHED, POST_PAGE, 0.6),
    (UNCACHED, POST_PAGE, 0.25),
    (CACHED, LIST, 0.5),
    (CACHED, CONDITIONAL, 0.8),
]
# The warm post page's p99 may be at most this many times its p50.
MAX_TAIL = 3.0


@dataclass(frozen=True)
class Load:
    """One request, repeated: a POST of `body`, or a GET of `path` with `etag` in If-None-Match."""

    method: str
    body: bytes = b""
    path: str = "/graphql"
    etag: str = ""


@dataclass
class LoadResult:
    server: str
    query: str
    requests: int
    seconds: float
    req_per_s: float
    # Latency of the requests that completed within the run (wrk counts no other).
    p50_ms: float
    p99_ms: float
    errors: int
    generator: str


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def tool(name: str) -> str:
    """A console script of this project, preferring the virtualenv's."""
    candidate = VENV_BIN / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise BenchError(f"{name} is not installed; run `make test` or `pip install -e .` first")
    return found


def run_step(command: list[str], *, what: str, env: dict[str, str] | None = None) -> None:
    print(f"$ {' '.join(command)}", file=sys.stderr)
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        tail = " | ".join((done.stderr or done.stdout).strip().splitlines()[-3:])
        raise BenchError(f"{what} failed (exit {done.returncode}): {tail}")


class Server:
    """A server process in its own process group, stopped with everything it started."""

    def __init__(self, name: str, command: list[str], port: int, env: dict[str, str], log: Path) -> None:
        self.name = name
        self.port = port
        self.log_path = log
        self._log: IO[bytes] = log.open("wb")
        print(f"$ {' '.join(command)}", file=sys.stderr)
        self.process = subprocess.Popen(
            command, env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/graphql"

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        health = f"http://{HOST}:{self.port}/healthz"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                tail = self.log_path.read_text(errors="replace").strip().splitlines()[-3:]
                raise BenchError(f"{self.name} exited with {self.process.returncode}: {' | '.join(tail)}")
            try:
                with urllib.request.urlopen(health, timeout=2) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        raise BenchError(f"{self.name} did not answer {health} within {timeout:.0f} s")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        self._log.close()


def store_url(args: argparse.Namespace, db_file: Path) -> str:
    """The store's URL: a SQLite file, or a fresh schema of the PostgreSQL database `--postgres-url`."""
    if args.backend == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_file}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{db_file}"
    from sqlalchemy import create_engine, make_url, text
    from sqlalchemy.exc import SQLAlchemyError

    try:
        admin = create_engine(args.postgres_url)
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{POSTGRES_SCHEMA}" CASCADE'))
            conn.execute(text(f'CREATE SCHEMA "{POSTGRES_SCHEMA}"'))
        admin.dispose()
    except SQLAlchemyError as error:
        first_line = str(error).strip().splitlines()[0]
        raise BenchError(f"cannot prepare PostgreSQL at {args.postgres_url}: {first_line}") from None
    parsed = make_url(args.postgres_url)
    options = {**parsed.query, "options": f"-csearch_path={POSTGRES_SCHEMA}"}
    return parsed.set(query=options).render_as_string(hide_password=False)


def prepare_store(kind: str, posts: int, database_url: str) -> None:
    cli = tool("content-api")
    if kind == "demo":
        run_step([cli, "demo", "--database-url", database_url], what="content-api demo")
        return
    folder = OUT / f"content-{posts}"
    written = articles.write_corpus(folder, posts, formats=("md",), defects=False)
    print(f"generated {len(written)} posts in {folder}", file=sys.stderr)
    run_step([cli, "migrate", "--database-url", database_url], what="content-api migrate")
    run_step([cli, "import", str(folder), "--database-url", database_url], what="content-api import")


def get_url(url: str, etag: str = "") -> tuple[int, bytes, dict[str, str]]:
    headers = {"Accept": "application/graphql-response+json, application/json;q=0.9"}
    if etag:
        headers["If-None-Match"] = etag
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.read(), dict(answer.headers.items())
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return 304, b"", dict(exc.headers.items())
        raise BenchError(f"{url} answered {exc.code}: {exc.read()[:300]!r}") from exc


def post_json(url: str, body: bytes) -> tuple[bytes, str]:
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "Accept": "application/graphql-response+json, application/json;q=0.9",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.read(), answer.headers.get("Content-Type", "application/json")
    except urllib.error.HTTPError as exc:
        raise BenchError(f"{url} answered {exc.code}: {exc.read()[:300]!r}") from exc


def record_answers(url: str) -> dict[str, dict[str, str]]:
    """Ask the real server once per query; these bytes are what the raw app will return."""
    list_body = json.dumps({"query": LIST_QUERY, "variables": {"first": 20}}).encode()
    list_answer, list_type = post_json(url, list_body)
    edges = _data(list_answer, "list query")["posts"]["edges"]
    if len(edges) != 20:
        raise BenchError(f"the list query answered {len(edges)} posts; the store needs at least 20")
    slug = next((e["node"]["slug"] for e in edges if e["node"]["featureImage"] and e["node"]["tags"]), None)
    if slug is None:
        raise BenchError("no post among the first 20 has a feature image and tags")
    post_body = json.dumps({"query": POST_PAGE_QUERY, "variables": {"slug": slug}}).encode()
    post_answer, post_type = post_json(url, post_body)
    post = _data(post_answer, "post-page query")["post"]
    if post is None or not post["authors"]:
        raise BenchError(f"the post-page query found no post (or no authors) for {slug!r}")
    if not post["related"]:
        raise BenchError(f"the post {slug!r} has no related news; the store needs related posts")
    query_string = urllib.parse.urlencode({"query": POST_PAGE_QUERY, "variables": json.dumps({"slug": slug})})
    status, get_answer, headers = get_url(f"{url}?{query_string}")
    etag = headers.get("etag") or headers.get("ETag")
    if status != 200 or not etag:
        raise BenchError(f"the post-page GET answered {status} without an ETag")
    return {
        POST_PAGE: _record(post_body, post_answer, post_type),
        LIST: _record(list_body, list_answer, list_type),
        CONDITIONAL: {
            "query_string": query_string,
            "answer": get_answer.decode(),
            "content_type": headers.get("content-type") or headers.get("Content-Type", ""),
            "etag": etag,
        },
    }


def _record(body: bytes, answer: bytes, content_type: str) -> dict[str, str]:
    return {"body": body.decode(), "answer": answer.decode(), "content_type": content_type}


def _data(answer: bytes, what: str) -> dict[str, Any]:
    parsed = json.loads(answer)
    if parsed.get("errors") or not parsed.get("data"):
        raise BenchError(f"the {what} failed: {json.dumps(parsed.get('errors'))[:300]}")
    data: dict[str, Any] = parsed["data"]
    return data


def ensure_wrk() -> str | None:
    """The wrk binary, installing Debian's package when missing; None when it cannot be had."""
    found = shutil.which("wrk")
    if found or shutil.which("apt-get") is None or os.geteuid() != 0:
        return found
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-q", "wrk"]
    # A stale package list is the usual reason for a failed install: refresh it once and try again.
    for command in (install, ["apt-get", "update", "-q"], install):
        print(f"$ {' '.join(command)}", file=sys.stderr)
        subprocess.run(command, capture_output=True, env=env, check=False)
        if shutil.which("wrk"):
            break
    return shutil.which("wrk")


def run_wrk(wrk: str, url: str, load: Load, args: argparse.Namespace, duration: float) -> dict[str, Any]:
    if load.method == "GET":
        script = BENCH / "wrk_get.lua"
        env = {**os.environ, "WRK_PATH": load.path, "WRK_ETAG": load.etag}
    else:
        body_file = OUT / "wrk-body.json"
        body_file.write_bytes(load.body)
        script = BENCH / "wrk_post.lua"
        env = {**os.environ, "WRK_BODY": str(body_file)}
    command = [
        wrk, f"-t{args.threads}", f"-c{args.connections}", f"-d{duration:g}s", "--timeout", "10s",
        "-s", str(script), url if load.method == "GET" else url + load.path,
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("WRK_JSON ")), None)
    if done.returncode != 0 or line is None:
        raise BenchError(
            f"wrk failed (exit {done.returncode}): {(done.stderr or done.stdout).strip()[-300:]}"
        )
    stats: dict[str, Any] = json.loads(line.removeprefix("WRK_JSON "))
    return stats


async def _python_load(url: str, load: Load, connections: int, duration: float) -> dict[str, Any]:
    """Keep-alive HTTP/1.1 requests over ``connections`` sockets for ``duration`` seconds."""
    host_port = url.split("//", 1)[1].split("/", 1)[0]
    host, port = host_port.split(":")
    accept = "Accept: application/graphql-response+json, application/json;q=0.9\r\n"
    if load.method == "GET":
        condition = f"If-None-Match: {load.etag}\r\n" if load.etag else ""
        head = f"GET {load.path} HTTP/1.1\r\nHost: {host_port}\r\n{accept}{condition}\r\n".encode()
        body = b""
    else:
        body = load.body
        head = (
            f"POST {load.path} HTTP/1.1\r\nHost: {host_port}\r\nContent-Type: application/json\r\n"
            f"{accept}Content-Length: {len(body)}\r\n\r\n"
        ).encode()
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + duration

    async def worker() -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection(host, int(port))
        try:
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                writer.write(head + body)
                status_line = await reader.readline()
                length = 0
                while (header := await reader.readline()) not in (b"\r\n", b""):
                    name, _, value = header.decode("latin-1").partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value)
                await reader.readexactly(length)
                latencies.append(time.perf_counter() - started)
                if status_line.split(b" ")[1][:1] not in (b"2", b"3"):
                    errors += 1
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(connections)))
    elapsed = time.perf_counter() - started
    latencies.sort()

    def pct(share: float) -> int:
        return round(latencies[min(len(latencies) - 1, int(share * len(latencies)))] * 1e6)

    return {
        "requests": len(latencies),
        "duration_us": round(elapsed * 1e6),
        "p50_us": pct(0.5),
        "p99_us": pct(0.99),
        "status_errors": errors,
    }


def measure(
    wrk: str | None, server: Server, query: str, load: Load, args: argparse.Namespace, *, warm_up: bool = True
) -> LoadResult:
    base = f"http://{HOST}:{server.port}"
    if wrk is not None:
        if warm_up:
            run_wrk(wrk, base, load, args, args.warmup)
        stats = run_wrk(wrk, base, load, args, args.duration)
        error_keys = ("status_errors", "connect_errors", "read_errors", "write_errors", "timeouts")
        errors = sum(stats[key] for key in error_keys)
    else:
        if warm_up:
            asyncio.run(_python_load(base, load, args.connections, args.warmup))
        stats = asyncio.run(_python_load(base, load, args.connections, args.duration))
        errors = stats["status_errors"]
    seconds = stats["duration_us"] / 1e6
    return LoadResult(
        server=server.name,
        query=query,
        requests=stats["requests"],
        seconds=seconds,
        req_per_s=stats["requests"] / seconds,
        p50_ms=stats["p50_us"] / 1000,
        p99_ms=stats["p99_us"] / 1000,
        errors=errors,
        generator="wrk" if wrk is not None else "python",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="content-api serve against raw Starlette under load")
    parser.add_argument("--store", choices=("generated", "demo"), default="generated")
    parser.add_argument("--posts", type=int, default=500, help="posts in the generated store (default 500)")
    parser.add_argument("--workers", type=int, default=2, help="server workers, both servers (default 2)")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per measurement (default 10)")
    parser.add_argument(
        "--rounds", type=int, default=3, help="measurements per server and query, taking turns (default 3)"
    )
    parser.add_argument(
        "--warmup", type=float, default=2.0, help="seconds of warm-up before each (default 2)"
    )
    parser.add_argument("--connections", type=int, default=32, help="open connections (default 32)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--load-generator", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument(
        "--backend",
        choices=("sqlite", "postgres"),
        default="sqlite",
        help="where the store is (default sqlite; postgres: a schema bench_serve of --postgres-url)",
    )
    parser.add_argument("--postgres-url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument(
        "--without-plans",
        action="store_true",
        help="also measure the uncached server with compiled plans off (graphql-core's executor)",
    )
    parser.add_argument(
        "--without-json-answers",
        action="store_true",
        help="also measure the uncached server with JSON plans off (compiled plans only)",
    )
    parser.add_argument(
        "--scale-posts",
        type=int,
        default=100_000,
        help="then time post(slug) and the first page at 1,000 and this many posts (bench/scale_bench.py; "
        "default 100000, 0 skips it)",
    )
    args = parser.parse_args(argv)
    if not (0 < args.duration <= 120 and 0 < args.warmup <= 30):
        parser.error("--duration must be in (0, 120] and --warmup in (0, 30] seconds")
    if args.posts < 20 or min(args.workers, args.connections, args.threads, args.rounds) < 1:
        parser.error(
            "--posts must be at least 20; --workers, --connections, --threads and --rounds at least 1"
        )

    OUT.mkdir(parents=True, exist_ok=True)
    wrk = None if args.load_generator == "python" else ensure_wrk()
    if wrk is None and args.load_generator == "wrk":
        print("serve_bench: wrk is not installed and could not be installed", file=sys.stderr)
        return 2
    if wrk is None:
        print("wrk cannot be had here: using the Python load generator", file=sys.stderr)
    servers: list[Server] = []
    results: list[LoadResult] = []
    try:
        database_url = store_url(args, OUT / "content.db")
        prepare_store(args.store, args.posts, database_url)
        # One public URL for image links, so both servers give the same bytes whatever their ports.
        env = {
            **os.environ,
            "CONTENT_API_DATABASE_URL": database_url,
            "CONTENT_API_DEV": "0",
            "CONTENT_API_PUBLIC_URL": "https://news.example.org",
        }
        api = start_api(CACHED, args, database_url, env, "content-api.log")
        servers.append(api)
        uncached_env = {**env, "CONTENT_API_RESPONSE_CACHE_MB": "0"}
        uncached = start_api(UNCACHED, args, database_url, uncached_env, "content-api-uncached.log")
        servers.append(uncached)
        uncached_servers = [uncached]
        if args.without_json_answers:
            unjsoned_env = {**uncached_env, "CONTENT_API_JSON_ANSWERS": "0"}
            unjsoned = start_api(UNJSONED, args, database_url, unjsoned_env, "content-api-unjsoned.log")
            servers.append(unjsoned)
            uncached_servers.append(unjsoned)
        if args.without_plans:
            unplanned_env = {**uncached_env, "CONTENT_API_COMPILED_PLANS": "0"}
            unplanned = start_api(UNPLANNED, args, database_url, unplanned_env, "content-api-unplanned.log")
            servers.append(unplanned)
            uncached_servers.append(unplanned)
        for server in servers:
            server.wait_ready()
        answers = record_answers(api.url)
        answers_file = OUT / "answers.json"
        answers_file.write_text(json.dumps(list(answers.values())), encoding="utf-8")
        raw_port = free_port()
        raw = Server(
            RAW,
            [str(VENV_BIN / "python"), "-m", "uvicorn", "raw_app:app", "--app-dir", str(BENCH),
             "--host", HOST, "--port", str(raw_port), "--workers", str(args.workers), "--no-access-log",
             "--log-level", "warning"],
            raw_port, {**env, "BENCH_RAW_ANSWERS": str(answers_file)}, OUT / "raw.log",
        )  # fmt: skip
        servers.append(raw)
        raw.wait_ready()
        plan = [
            (POST_PAGE, Load("POST", answers[POST_PAGE]["body"].encode()), (raw, api, *uncached_servers)),
            (LIST, Load("POST", answers[LIST]["body"].encode()), (raw, api, *uncached_servers)),
            (
                CONDITIONAL,
                Load(
                    "GET",
                    path="/graphql?" + answers[CONDITIONAL]["query_string"],
                    etag=answers[CONDITIONAL]["etag"],
                ),
                (raw, api),
            ),
        ]
        for query, load, targets in plan:
            check_same_answers(query, load, answers[query], targets)
            # Servers take turns, round after round, so a change in the machine's other load falls on
            # all of them; each figure is the median of its rounds.
            rounds: dict[str, list[LoadResult]] = {server.name: [] for server in targets}
            for round_number in range(args.rounds):
                for server in targets:
                    result = measure(wrk, server, query, load, args, warm_up=round_number == 0)
                    rounds[server.name].append(result)
                    print(
                        f"  {server.name:<25} {query:<18} {result.req_per_s:>9,.0f} req/s  "
                        f"p50 {result.p50_ms:>7.2f} ms  p99 {result.p99_ms:>7.2f} ms  errors {result.errors}",
                        file=sys.stderr,
                    )
            results.extend(median_result(measured) for measured in rounds.values())
    except BenchError as exc:
        print(f"serve_bench: {exc}", file=sys.stderr)
        return 2
    finally:
        for server in reversed(servers):
            server.stop()
    print_table(results, args)
    verdicts = check_targets(results)
    if args.scale_posts:
        verdicts += run_scale_bench(args.scale_posts, args)
    load_average = os.getloadavg()[0]
    print(f"load average (1 min) at the end: {load_average:.2f} on {os.cpu_count()} cores")
    summary = {
        "args": vars(args),
        "load_average": load_average,
        "results": [asdict(r) for r in results],
        "targets": verdicts,
    }
    (OUT.parent / "serve_bench.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    stalled = [r for r in results if r.requests == 0]
    for r in stalled:
        print(f"serve_bench: {r.server} completed no {r.query} request in {r.seconds:.0f} s", file=sys.stderr)
    return 1 if stalled or any(r.errors for r in results) else 0


def median_result(rounds: list[LoadResult]) -> LoadResult:
    """One server's figures for one query: the median of its rounds (errors and requests summed)."""
    first = rounds[0]
    return LoadResult(
        server=first.server,
        query=first.query,
        requests=sum(r.requests for r in rounds),
        seconds=sum(r.seconds for r in rounds),
        req_per_s=statistics.median(r.req_per_s for r in rounds),
        p50_ms=statistics.median(r.p50_ms for r in rounds),
        p99_ms=statistics.median(r.p99_ms for r in rounds),
        errors=sum(r.errors for r in rounds),
        generator=first.generator,
    )


def start_api(
    name: str, args: argparse.Namespace, database_url: str, env: dict[str, str], log: str
) -> Server:
    port = free_port()
    return Server(
        name,
        [tool("content-api"), "serve", "--host", HOST, "--port", str(port), "--workers", str(args.workers),
         "--database-url", database_url],
        port, env, OUT / log,
    )  # fmt: skip


def check_same_answers(query: str, load: Load, record: dict[str, str], servers: tuple[Server, ...]) -> None:
    """Every server must give the recorded answer (304 for the conditional GET) before it is measured."""
    for server in servers:
        base = f"http://{HOST}:{server.port}"
        if load.method == "GET":
            status, _, _ = get_url(base + load.path, load.etag)
            if status != 304:
                raise BenchError(f"{server.name} answered {status}, not 304, to the conditional GET")
            continue
        answer, _ = post_json(base + load.path, load.body)
        if answer.decode() != record["answer"]:
            raise BenchError(f"{server.name} does not give the recorded answer to the {query} query")


def run_scale_bench(posts: int, args: argparse.Namespace) -> list[dict[str, Any]]:
    """The store-size targets, measured by bench/scale_bench.py in this run, on the same backend."""
    import scale_bench

    scale_args = ["--posts", str(posts), "--backend", args.backend, "--postgres-url", args.postgres_url]
    print(f"\n$ .venv/bin/python bench/scale_bench.py {' '.join(scale_args)}", file=sys.stderr)
    scale_bench.main(scale_args)
    summary = json.loads((OUT.parent / "scale_bench.json").read_text(encoding="utf-8"))
    verdicts = []
    for name, verdict in summary["verdicts"].items():
        what = f"{name}, p50 at {posts:,} posts / at {summary['args']['baseline']:,}"
        met = bool(verdict["met"])
        target = f"<= {scale_bench.TARGET_RATIO}"
        verdicts.append({"what": what, "target": target, "measured": verdict["ratio"], "met": met})
        print(f"- {what}: {verdict['ratio']} (target {target}) " + ("met" if met else "MISSED"))
    return verdicts


def check_targets(results: list[LoadResult]) -> list[dict[str, Any]]:
    """Print each target of the issue with the measured value; return them for the JSON summary."""
    found = {(r.server, r.query): r for r in results}
    verdicts: list[dict[str, Any]] = []
    print("\nTargets (ratios to raw in this run):\n")
    for server, query, wanted in TARGETS:
        measured, raw = found.get((server, query)), found.get((RAW, query))
        if measured is None or raw is None or not raw.req_per_s:
            continue
        ratio = measured.req_per_s / raw.req_per_s
        verdicts.append({"what": f"{server}: {query}", "target": f">= {wanted}", "measured": round(ratio, 3)})
    warm, raw_page = found.get((CACHED, POST_PAGE)), found.get((RAW, POST_PAGE))
    if warm is not None and warm.p50_ms:
        tail = warm.p99_ms / warm.p50_ms
        what = f"{CACHED}: {POST_PAGE} p99/p50"
        if raw_page is not None and raw_page.p50_ms:
            what += f" (raw: {raw_page.p99_ms / raw_page.p50_ms:.2f})"
        verdicts.append({"what": what, "target": f"<= {MAX_TAIL}", "measured": round(tail, 2)})
    for verdict in verdicts:
        bound = float(verdict["target"].split()[1])
        met = (
            verdict["measured"] >= bound
            if verdict["target"].startswith(">=")
            else verdict["measured"] <= bound
        )
        verdict["met"] = met
        print(
            f"- {verdict['what']}: {verdict['measured']} (target {verdict['target']}) "
            + ("met" if met else "MISSED")
        )
    return verdicts


def print_table(results: list[LoadResult], args: argparse.Namespace) -> None:
    raw_rate = {r.query: r.req_per_s for r in results if r.server.startswith("raw")}
    generator = results[0].generator if results else "wrk"
    load = (
        f"wrk -t{args.threads} -c{args.connections} -d{args.duration:g}s"
        if generator == "wrk"
        else f"Python load generator, {args.connections} connections, {args.duration:g} s"
    )
    store = f"{args.posts} generated posts" if args.store == "generated" else "the demo content"
    backend = "SQLite" if args.backend == "sqlite" else "PostgreSQL"
    print(
        f"\nServing on {backend} ({store}), {args.workers} workers each, {load}, 127.0.0.1; "
        f"median of {args.rounds} rounds, servers taking turns:\n"
    )
    print("| server | query | req/s | p50 ms | p99 ms | ratio to raw | errors |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        ratio = r.req_per_s / raw_rate[r.query] if raw_rate.get(r.query) else float("nan")
        print(
            f"| {r.server} | {r.query} | {r.req_per_s:,.0f} | {r.p50_ms:.2f} | {r.p99_ms:.2f} "
            f"| {ratio:.3f} | {r.errors} |"
        )
    print(f"\nreproduce: .venv/bin/python bench/serve_bench.py {' '.join(sys.argv[1:])}".rstrip())


if __name__ == "__main__":
    sys.exit(main())
