"""Abuse benchmark: normal post-page traffic while another client floods `/graphql` with abusive requests.

    .venv/bin/python bench/abuse_bench.py [--duration 10] [--rate 200] [--flood-connections 8]

1. Loads the bundled demo content into a SQLite file under ``bench/out/abuse/`` and starts
   ``content-api serve`` (one worker, production mode, every limit at its default) with per-client
   rate limiting on (``--rate-limit``, default 300 requests/s, burst 600).
2. Unloaded: a reader requests post pages at a steady ``--rate`` over 4 keep-alive connections, as client
   198.51.100.7 (``X-Forwarded-For``, which uvicorn trusts from 127.0.0.1), and records each latency.
3. Loaded: the same reader again while a second process floods from client 203.0.113.66 with
   ``--flood-connections`` connections sending, as fast as it can, documents that are too deep, too
   costly, alias and token floods, repeated fields, schema dumps, oversized bodies and oversized batches.
4. Prints p50/p99 of the reader in both phases, the ratio of the p99s (the target: at most 2), and how the
   flood was answered (status codes). Results go to ``bench/out/abuse_bench.json``. Exit status 1 when
   the target is missed, 2 when the benchmark cannot run.

The server is stopped at the end, also on failure or Ctrl-C.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out" / "abuse"
VENV_BIN = ROOT / ".venv" / "bin"
HOST = "127.0.0.1"
READER_ADDRESS = "198.51.100.7"
FLOOD_ADDRESS = "203.0.113.66"
READER_CONNECTIONS = 4
TARGET_RATIO = 2.0

sys.path.insert(0, str(BENCH))
from page_queries import POST_PAGE_QUERY  # noqa: E402  (the sibling module)


class BenchError(Exception):
    """The benchmark cannot go on; the message says why in one line."""


def _abusive_bodies() -> list[bytes]:
    deep = "{ " + "posts { edges { node { authors { " * 6 + "slug" + " } } } }" * 6 + " }"
    aliases = "{ " + " ".join(f"a{i}: posts(first: 100) {{ totalCount }}" for i in range(300)) + " }"
    tokens = "{" + " f" * 6000 + " }"
    cost = (
        "{ people(first: 100) { edges { node { posts(first: 100) { edges { node {"
        " tags { posts(first: 100) { totalCount } } } } } } } } }"
    )
    repeated = '{ post(slug: "x") {' + " id" * 600 + " } }"
    schema_dump = "{ __schema { types { name fields { name type { name } } } } }"
    bodies = [
        json.dumps({"query": query}).encode()
        for query in (deep, aliases, tokens, cost, repeated, schema_dump)
    ]
    bodies.append(json.dumps([{"query": "{ __typename }"}] * 200).encode())
    bodies.append(json.dumps({"query": "{ __typename }", "pad": "x" * 1_200_000}).encode())
    return bodies


def _request(body: bytes, client: str) -> bytes:
    head = (
        "POST /graphql HTTP/1.1\r\n"
        f"Host: {HOST}\r\n"
        "Content-Type: application/json\r\n"
        "Accept: application/graphql-response+json\r\n"
        f"X-Forwarded-For: {client}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


class Connection:
    """One keep-alive HTTP/1.1 connection that reconnects when the server closes it."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def send(self, request: bytes) -> tuple[int, bytes]:
        for attempt in range(2):
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
            try:
                return await self._exchange(request)
            except (ConnectionError, asyncio.IncompleteReadError):
                self.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    async def _exchange(self, request: bytes) -> tuple[int, bytes]:
        assert self.reader is not None and self.writer is not None
        self.writer.write(request)
        await self.writer.drain()
        status_line = await self.reader.readuntil(b"\r\n")
        if not status_line:
            raise ConnectionError("closed")
        status = int(status_line.split()[1])
        length = 0
        closing = False
        while True:
            line = await self.reader.readuntil(b"\r\n")
            if line == b"\r\n":
                break
            name, _, value = line.decode("latin-1").partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
            elif name.strip().lower() == "connection" and value.strip().lower() == "close":
                closing = True
        body = await self.reader.readexactly(length)
        if closing:
            self.close()
        return status, body

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def _read_pages(
    port: int, slugs: list[str], rate: float, seconds: float
) -> tuple[list[float], Counter[int]]:
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    interval = READER_CONNECTIONS / rate
    requests = [
        _request(json.dumps({"query": POST_PAGE_QUERY, "variables": {"slug": slug}}).encode(), READER_ADDRESS)
        for slug in slugs
    ]
    started = time.perf_counter()

    async def reader(index: int) -> None:
        connection = Connection(port)
        due = started + index * interval / READER_CONNECTIONS
        count = 0
        while due < started + seconds:
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            sent = time.perf_counter()
            status, _ = await connection.send(requests[(index + count * READER_CONNECTIONS) % len(requests)])
            latencies.append(time.perf_counter() - sent)
            statuses[status] += 1
            count += 1
            due += interval
        connection.close()

    await asyncio.gather(*(reader(i) for i in range(READER_CONNECTIONS)))
    return latencies, statuses


def _flood(port: int, connections: int, stop: Any, results: Any) -> None:
    bodies = [_request(body, FLOOD_ADDRESS) for body in _abusive_bodies()]

    async def worker(index: int, statuses: Counter[int]) -> None:
        connection = Connection(port)
        count = index
        while not stop.is_set():
            try:
                status, _ = await connection.send(bodies[count % len(bodies)])
            except (ConnectionError, asyncio.IncompleteReadError, OSError):
                status = 0
                connection.close()
            statuses[status] += 1
            count += 1
        connection.close()

    async def run() -> Counter[int]:
        statuses: Counter[int] = Counter()
        await asyncio.gather(*(worker(i, statuses) for i in range(connections)))
        return statuses

    results.put(dict(asyncio.run(run())))


@dataclass
class Phase:
    name: str
    requests: int
    p50_ms: float
    p99_ms: float
    statuses: dict[int, int]


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000


def _phase(name: str, latencies: list[float], statuses: Counter[int]) -> Phase:
    if not latencies:
        raise BenchError(f"{name}: the reader completed no request")
    return Phase(
        name, len(latencies), _percentile(latencies, 0.5), _percentile(latencies, 0.99), dict(statuses)
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _tool(name: str) -> str:
    candidate = VENV_BIN / name
    if not candidate.exists():
        raise BenchError(f"{candidate} is missing; run `make test` or `pip install -e .` first")
    return str(candidate)


def _slugs(port: int) -> list[str]:
    body = json.dumps({"query": "{ posts(first: 100) { edges { node { slug } } } }"}).encode()
    request = urllib.request.Request(
        f"http://{HOST}:{port}/graphql", body, {"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        edges = json.load(answer)["data"]["posts"]["edges"]
    slugs = [edge["node"]["slug"] for edge in edges]
    if not slugs:
        raise BenchError("the demo store has no published posts")
    return slugs


def _start_server(database_url: str, port: int, rate_limit: float, log: Any) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "CONTENT_API_RATE_LIMIT": str(rate_limit),
        "CONTENT_API_RATE_BURST": str(int(rate_limit * 2)),
    }
    command = [
        _tool("content-api"),
        "serve",
        "--database-url",
        database_url,
        "--host",
        HOST,
        "--port",
        str(port),
    ]
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"content-api serve exited with {process.returncode}; see {log.name}")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=1) as answer:
                if answer.status == 200:
                    return process
        except OSError:
            time.sleep(0.2)
    raise BenchError("content-api serve did not answer /healthz within 60 s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def run(args: argparse.Namespace) -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    database = OUT / "abuse.db"
    database.unlink(missing_ok=True)
    database_url = f"sqlite:///{database}"
    loaded = subprocess.run(
        [_tool("content-api"), "demo", "--database-url", database_url],
        capture_output=True,
        text=True,
        check=False,
    )
    if loaded.returncode != 0:
        raise BenchError(f"loading the demo content failed: {loaded.stderr.strip().splitlines()[-1:]}")
    port = _free_port()
    with (OUT / "server.log").open("wb") as log:
        server = _start_server(database_url, port, args.rate_limit, log)
        try:
            slugs = _slugs(port)
            # Warm-up: parse, validate and cache every page once.
            asyncio.run(_read_pages(port, slugs, args.rate, 2.0))
            unloaded = _phase("unloaded", *asyncio.run(_read_pages(port, slugs, args.rate, args.duration)))
            stop = multiprocessing.Event()
            results: Any = multiprocessing.Queue()
            flood = multiprocessing.Process(target=_flood, args=(port, args.flood_connections, stop, results))
            flood.start()
            time.sleep(1.0)  # let the flood reach full speed
            flood_started = time.perf_counter()
            during = _phase("under flood", *asyncio.run(_read_pages(port, slugs, args.rate, args.duration)))
            stop.set()
            flood_statuses = {int(k): v for k, v in results.get(timeout=60).items()}
            flood_seconds = time.perf_counter() - flood_started + 1.0
            flood.join(timeout=30)
        finally:
            _stop(server)

    ratio = during.p99_ms / unloaded.p99_ms
    flood_total = sum(flood_statuses.values())
    print(f"command: {' '.join([sys.executable, *sys.argv])}")
    print(f"load average before: {args.load_average:.2f}; cores: {os.cpu_count()}")
    print(
        f"reader: {args.rate:g} post pages/s over {READER_CONNECTIONS} connections, "
        f"{args.duration:g} s a phase; server rate limit {args.rate_limit:g}/s per client"
    )
    for phase in (unloaded, during):
        print(
            f"  {phase.name:<12} {phase.requests:>6} requests  p50 {phase.p50_ms:6.2f} ms"
            f"  p99 {phase.p99_ms:6.2f} ms  statuses {phase.statuses}"
        )
    print(
        f"flood: {flood_total} abusive requests in {flood_seconds:.1f} s "
        f"({flood_total / flood_seconds:.0f}/s) over {args.flood_connections} connections; "
        f"statuses {dict(sorted(flood_statuses.items()))}"
    )
    verdict = "PASS" if ratio <= TARGET_RATIO and set(during.statuses) == {200} else "FAIL"
    print(f"p99 under flood / unloaded p99 = {ratio:.2f} (target <= {TARGET_RATIO:g}): {verdict}")
    report = {
        "unloaded": asdict(unloaded),
        "under_flood": asdict(during),
        "flood_statuses": flood_statuses,
        "flood_requests_per_s": flood_total / flood_seconds,
        "p99_ratio": ratio,
        "verdict": verdict,
        "load_average_before": args.load_average,
    }
    (BENCH / "out" / "abuse_bench.json").write_text(json.dumps(report, indent=2) + "\n")
    return 0 if verdict == "PASS" else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per phase (default 10)")
    parser.add_argument("--rate", type=float, default=200.0, help="post pages per second (default 200)")
    parser.add_argument("--flood-connections", type=int, default=8, help="flood connections (default 8)")
    parser.add_argument(
        "--rate-limit",
        type=float,
        default=300.0,
        help="server rate limit per client, requests/s (default 300)",
    )
    args = parser.parse_args()
    args.load_average = os.getloadavg()[0]
    try:
        return run(args)
    except BenchError as error:
        print(f"abuse_bench: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
