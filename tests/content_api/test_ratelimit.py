"""Rate limiting per API token or client address: 429 with Retry-After, before any work is done."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine

from content_api.app import create_app
from content_api.http.limits import Limits
from content_api.http.ratelimit import TokenBuckets
from content_api.settings import Settings, SettingsError
from tests.content_api.limits_helpers import site_engine


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_allows_the_burst_then_the_rate() -> None:
    clock = FakeClock()
    buckets = TokenBuckets(rate=2.0, burst=3, clock=clock)
    assert [buckets.take("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert buckets.take("a") == pytest.approx(0.5)
    clock.now += 0.5
    assert buckets.take("a") == 0.0
    assert buckets.take("a") == pytest.approx(0.5)
    # Another client has its own bucket.
    assert buckets.take("b") == 0.0
    # A long pause refills to the burst, never beyond.
    clock.now += 60
    assert [buckets.take("a") for _ in range(4)][-1] > 0


def test_refused_requests_do_not_use_up_the_budget() -> None:
    clock = FakeClock()
    buckets = TokenBuckets(rate=1.0, burst=1, clock=clock)
    assert buckets.take("a") == 0.0
    for _ in range(50):
        assert buckets.take("a") > 0
    clock.now += 1.0
    assert buckets.take("a") == 0.0


def test_the_number_of_clients_kept_is_bounded() -> None:
    buckets = TokenBuckets(rate=1.0, burst=1, clock=FakeClock(), max_clients=2)
    for key in ("a", "b", "c"):
        assert buckets.take(key) == 0.0
    # "a" was forgotten, so it starts again with a full bucket; "c" was not.
    assert buckets.take("a") == 0.0
    assert buckets.take("c") > 0


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = site_engine(tmp_path_factory.mktemp("ratelimit"))
    yield engine
    engine.dispose()


async def _statuses(engine: Engine, requests: list[tuple[str, dict[str, str]]]) -> list[httpx.Response]:
    app = create_app(Settings(database_url="unused", limits=Limits(rate_limit=0.5, rate_burst=2)), engine)
    answers = []
    for address, headers in requests:
        transport = httpx.ASGITransport(app=app, client=(address, 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://news.test") as http:
            answers.append(await http.post("/graphql", json={"query": "{ __typename }"}, headers=headers))
    return answers


def test_a_client_over_its_budget_gets_429_with_retry_after(engine: Engine) -> None:
    started = time.monotonic()
    answers = asyncio.run(_statuses(engine, [("198.51.100.1", {})] * 3))
    assert [a.status_code for a in answers] == [200, 200, 429]
    # The refusal is held back for a second, so ignoring Retry-After buys a client nothing.
    assert time.monotonic() - started >= 0.95
    refused = answers[2]
    assert refused.headers["retry-after"] == "2"
    assert refused.json()["errors"][0]["extensions"] == {"code": "RATE_LIMITED", "retryAfter": 2}


def test_budgets_are_per_address_and_per_token(engine: Engine) -> None:
    token = {"Authorization": "Bearer one"}
    other_token = {"Authorization": "Bearer two"}
    requests = [
        ("198.51.100.1", {}),
        ("198.51.100.1", {}),
        ("198.51.100.2", {}),  # another address
        ("198.51.100.1", token),  # a token has its own budget, wherever it comes from
        ("198.51.100.3", token),
        ("198.51.100.3", token),
        ("198.51.100.3", other_token),
    ]
    answers = asyncio.run(_statuses(engine, requests))
    # The unknown tokens get 401 from the endpoint: the limiter let them through first.
    assert [a.status_code for a in answers] == [200, 200, 200, 401, 401, 429, 401]


def test_inventing_tokens_does_not_buy_a_fresh_budget(engine: Engine) -> None:
    # Burst 2 per token; the address is charged too, against four times that.
    requests = [("198.51.100.9", {"Authorization": f"Bearer made-up-{n}"}) for n in range(9)]
    answers = asyncio.run(_statuses(engine, requests))
    assert [a.status_code for a in answers] == [401] * 8 + [429]


def test_health_checks_are_never_limited(engine: Engine) -> None:
    async def run() -> list[int]:
        app = create_app(Settings(database_url="unused", limits=Limits(rate_limit=0.5, rate_burst=1)), engine)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://news.test") as http:
            return [(await http.get("/healthz")).status_code for _ in range(5)]

    assert asyncio.run(run()) == [200] * 5


def test_rate_limiting_is_off_by_default(engine: Engine) -> None:
    async def run() -> set[int]:
        app = create_app(Settings(database_url="unused"), engine)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://news.test") as http:
            return {
                (await http.post("/graphql", json={"query": "{ __typename }"})).status_code for _ in range(50)
            }

    assert asyncio.run(run()) == {200}


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CONTENT_API_RATE_LIMIT", "-1"),
        ("CONTENT_API_RATE_LIMIT", "fast"),
        ("CONTENT_API_RATE_LIMIT", "inf"),
        ("CONTENT_API_RATE_BURST", "1.5"),
        ("CONTENT_API_MAX_DEPTH", "0"),
        ("CONTENT_API_MAX_COST", "lots"),
        ("CONTENT_API_QUERY_TIMEOUT", "0"),
        ("CONTENT_API_PERSISTED_QUERIES", "sometimes"),
        ("CONTENT_API_INTROSPECTION", "maybe"),
    ],
)
def test_bad_limit_settings_are_one_line_errors(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name) as raised:
        Settings.from_env({name: value})
    assert "\n" not in str(raised.value)


def test_limit_settings_from_the_environment() -> None:
    limits = Settings.from_env(
        {"CONTENT_API_RATE_LIMIT": "5", "CONTENT_API_MAX_DEPTH": "6", "CONTENT_API_INTROSPECTION": "1"}
    ).limits
    assert (limits.rate_limit, limits.burst, limits.max_depth, limits.introspection) == (5.0, 10, 6, True)
    assert Settings.from_env({}).limits == Limits()


@pytest.mark.parametrize(
    "env",
    [
        {"CONTENT_API_RATE_LIMIT": "lots"},
        {"CONTENT_API_PERSISTED_QUERIES": "allowlist", "CONTENT_API_PERSISTED_QUERY_FILE": "missing.json"},
    ],
)
def test_serve_refuses_a_bad_limit_with_one_line(tmp_path: Path, env: dict[str, str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "content_api.cli", "serve"],
        env={**env, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "CONTENT_API_" in result.stderr or "persisted query file" in result.stderr
    assert "Traceback" not in result.stderr
