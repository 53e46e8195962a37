"""Refusing an abusive request runs no resolver and takes under 10 ms of the server's CPU time."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import Any

import orjson
import pytest
from sqlalchemy import Engine

from content_api.app import create_app
from content_api.http import graphql as graphql_module
from content_api.http.limits import Limits
from content_api.schema import plans
from content_api.schema.schema import schema
from content_api.settings import Settings
from tests.content_api.limits_helpers import ServerTimer, json_body, site_engine

BUDGET_SECONDS = 0.010
# Each abusive document is sent in this many variants, so none is answered from a cache.
VARIANTS = 8


def _deep(tag: int) -> str:
    chain = "posts { edges { node { authors { " * 12
    return "{ " + chain + f"slug{tag}" + " } } } }" * 12 + " }"


def _aliases(tag: int) -> str:
    return "{ " + " ".join(f"a{tag}_{i}: posts(first: 100) {{ totalCount }}" for i in range(400)) + " }"


def _tokens(tag: int) -> str:
    return "{" + f" f{tag}" * 6000 + " }"


def _cost(tag: int) -> str:
    # Three nested pages of a hundred: about a million fields.
    opens = f"people(first: {100 - tag}) {{ edges {{ node {{ posts(first: 100) {{ edges {{ node {{ tags {{"
    return "{ " + opens + " posts(first: 100) { totalCount }" + " }" * 7 + " }"


def _repeated(tag: int) -> str:
    return f'{{ post(slug: "s{tag}") {{' + " id" * 600 + " } }"


def _fragment_bomb(tag: int) -> str:
    # Each fragment spreads the next twice: 2^20 copies of `title` if anything expanded it naively.
    fragments = " ".join(f"fragment F{i} on Post {{ ...F{i + 1} ...F{i + 1} }}" for i in range(20))
    return f'{{ post(slug: "s{tag}") {{ ...F0 }} }} {fragments} fragment F20 on Post {{ title }}'


def _introspection(tag: int) -> str:
    return f"{{ __schema {{ t{tag}: types {{ name }} }} }}"


def _long_literal(tag: int) -> str:
    return f'{{ search(query: "{tag}' + "x" * 200_000 + '") { totalCount } }'


ABUSIVE: dict[str, tuple[Any, str, int]] = {
    # name: (body maker, expected code, expected status)
    "depth": (lambda tag: json_body(_deep(tag)), "QUERY_TOO_DEEP", 400),
    "aliases": (lambda tag: json_body(_aliases(tag)), "TOO_MANY_ALIASES", 400),
    "tokens": (lambda tag: json_body(_tokens(tag)), "TOO_MANY_TOKENS", 400),
    "cost": (lambda tag: json_body(_cost(tag)), "QUERY_TOO_COMPLEX", 400),
    "repeated fields": (lambda tag: json_body(_repeated(tag)), "QUERY_TOO_COMPLEX", 400),
    "introspection": (lambda tag: json_body(_introspection(tag)), "INTROSPECTION_DISABLED", 400),
    "long literal": (lambda tag: json_body(_long_literal(tag)), "QUERY_TOO_LONG", 400),
    "body": (
        lambda tag: orjson.dumps({"query": "{ __typename }", "pad": "x" * 2_000_000, "t": tag}),
        "PAYLOAD_TOO_LARGE",
        413,
    ),
    "batch": (
        lambda tag: orjson.dumps([{"query": f"{{ t{tag}: __typename }}"}] * 1000),
        "BATCH_TOO_LARGE",
        400,
    ),
}


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = site_engine(tmp_path_factory.mktemp("abuse"))
    yield engine
    engine.dispose()


@pytest.fixture
def timer(engine: Engine) -> ServerTimer:
    return ServerTimer(create_app(Settings(database_url="unused", limits=Limits()), engine))


@pytest.fixture
def executions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every call into the schema's executor, a compiled plan or building a request context, by name."""
    calls: list[str] = []
    original_execute = schema.execute
    original_context = graphql_module.Context.create

    async def spy_execute(*args: Any, **kwargs: Any) -> Any:
        calls.append("execute")
        return await original_execute(*args, **kwargs)

    def spy_context(*args: Any, **kwargs: Any) -> Any:
        calls.append("context")
        return original_context(*args, **kwargs)

    def spy_plan(*args: Any, **kwargs: Any) -> Any:
        calls.append("plan")
        return original_plan(*args, **kwargs)

    original_plan = plans.Plan.execute
    monkeypatch.setattr(schema, "execute", spy_execute)
    monkeypatch.setattr(graphql_module.Context, "create", spy_context)
    monkeypatch.setattr(plans.Plan, "execute", spy_plan)
    return calls


def test_the_spies_see_a_query_that_runs(timer: ServerTimer, executions: list[str]) -> None:
    status, body, _ = timer.post(json_body("{ tags { slug } }"))
    assert status == 200 and b"food-bank" in body
    assert executions == ["context", "plan"]


@pytest.mark.parametrize("name", list(ABUSIVE))
def test_abusive_requests_are_refused_cheaply_without_resolving(
    timer: ServerTimer, executions: list[str], name: str
) -> None:
    make, code, status = ABUSIVE[name]
    timer.post(json_body("{ __typename }"))  # the app's first request builds its middleware stack
    executions.clear()
    spent: list[float] = []
    for tag in range(VARIANTS):
        body = make(tag)
        gc.collect()  # a collection due anyway would be charged to whichever request it lands in
        answer_status, body, seconds = timer.post(body)
        answer = orjson.loads(body)
        assert answer_status == status, body[:300]
        assert answer["errors"][0]["extensions"]["code"] == code
        assert "data" not in answer
        spent.append(seconds)
    assert executions == [], f"{name}: the executor ran"
    assert max(spent) < BUDGET_SECONDS, f"{name}: {[round(s * 1000, 2) for s in spent]} ms"


def test_the_fragment_bomb_is_measured_once_per_fragment(timer: ServerTimer, executions: list[str]) -> None:
    timer.post(json_body("{ __typename }"))
    executions.clear()
    status, body, seconds = timer.post(json_body(_fragment_bomb(0)))
    answer = orjson.loads(body)
    # Counted through the fragments, `title` repeats 2^20 times in one selection set.
    assert status == 400 and answer["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert executions == []
    assert seconds < BUDGET_SECONDS
