"""Compiled plans give byte for byte the answers graphql-core gives.

Every test asks two apps over the same store: one answering read queries through compiled plans
(the default), one with `compiled_plans=False`, both with the response cache off. Fixed queries cover
what front ends send; random queries built from the schema (fields, aliases, fragments, arguments
given inline or as variables, values that fail) cover the rest. Where a plan cannot answer, graphql-core
must, so errors are compared too.
"""

from __future__ import annotations

import asyncio
import json
import random
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    OperationDefinitionNode,
    build_schema,
    get_named_type,
    parse,
)
from graphql.execution.values import get_variable_values
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from starlette.testclient import TestClient

from content_api.http import planned as planned_module
from content_api.schema import plans as plans_module
from content_api.schema.plans import compile_plan
from content_api.schema.schema import schema
from content_api.services.auth import ANONYMOUS
from content_api.store.queries import PUBLIC
from content_api.store.tables import posts
from tests.content_api.graphql_site import NEWS_LIST as LIST
from tests.content_api.graphql_site import Site, beside_graphql_core, build_site

GRAPHQL_SCHEMA = schema._schema
ACCEPT = {"Accept": "application/graphql-response+json"}

POST_PAGE = """
query PostPage($slug: String!) {
  post(slug: $slug) {
    id slug title summary bodyHtml publishedAt updatedAt lang readingTimeMinutes
    featureImage { url alt caption width height format animated flashVerdict }
    authors { id slug name pronouns role bio avatar { url alt } }
    people { name }
    tags { id slug name }
    related(first: 3) { slug title summary publishedAt score reason { pinned tags people terms }
                        featureImage { url alt } }
  }
}"""

FIXED_QUERIES: list[tuple[str, dict[str, Any] | None]] = [
    (POST_PAGE, {"slug": "allotment-opens"}),
    (POST_PAGE, {"slug": "no-such-post"}),
    (LIST, {"first": 3}),
    (LIST, {"first": 2, "after": None}),
    ("{ tags { __typename slug name posts(first: 2) { totalCount edges { node { slug } } } } }", None),
    ("{ people(first: 10) { totalCount edges { cursor node { slug pronouns avatar { url alt } "
     "posts { totalCount edges { node { title } } } } } } }", None),
    ("{ person(slug: \"alice-ng\") { name role ...P } } fragment P on Person { bio pronouns }", None),
    ("{ a: post(slug: \"allotment-opens\") { title } b: post(slug: \"allotment-opens\") { t: title slug } }",
     None),
    ("{ post(slug: \"allotment-opens\") { title } post(slug: \"allotment-opens\") { slug } }", None),
    ("{ search(query: \"allotment\", first: 5) { totalCount edges { cursor node { slug title } } } }", None),
    ("{ relatedNews(slug: \"allotment-opens\", first: 2) { slug score reason { terms } } }", None),
    ("{ posts(first: 5, order: PUBLISHED_ASC, filter: {tag: \"food-bank\"}) { edges { node { slug } } } }",
     None),
    ("query Q($f: PostFilter) { posts(first: 5, filter: $f) { edges { node { slug } } } }",
     {"f": {"author": "alice-ng"}}),
    ("{ post(slug: \"allotment-opens\") { ... on Post { title } ... { slug } __typename } }", None),
]  # fmt: skip

UNSUPPORTED = [
    "mutation { __typename }",
    '{ post(slug: "x") { title @include(if: true) } }',
    '{ node(id: "x") { id } }',
    "{ __schema { queryType { name } } }",
    '{ post(slug: "x") { nope } }',
    "query A { __typename } query B { __typename }",
]


@pytest.fixture
def pair(engine: Engine) -> Iterator[tuple[TestClient, TestClient, Site]]:
    # These tests are about compiled plans; JSON plans are held to the same answers in
    # test_json_plans.py.
    with beside_graphql_core(engine, json_answers=False) as servers:
        yield servers


def _ask(client: TestClient, query: str, variables: dict[str, Any] | None) -> tuple[int, bytes]:
    response = client.post("/graphql", json={"query": query, "variables": variables}, headers=ACCEPT)
    return response.status_code, response.content


@pytest.fixture
def plan_runs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records each time a compiled plan answered a request (its operation's first field)."""
    seen: list[str] = []
    original = plans_module.Plan.execute

    def spy(self: plans_module.Plan, *args: Any, **kwargs: Any) -> Any:
        data = original(self, *args, **kwargs)
        seen.append(next(iter(data), ""))
        return data

    monkeypatch.setattr(plans_module.Plan, "execute", spy)
    return seen


@pytest.mark.parametrize(("query", "variables"), FIXED_QUERIES)
def test_plans_answer_front_end_queries_as_graphql_core_does(
    pair: tuple[TestClient, TestClient, Site],
    plan_runs: list[str],
    query: str,
    variables: dict[str, Any] | None,
) -> None:
    planned, executed, _site = pair
    expected = _ask(executed, query, variables)
    assert plan_runs == []
    got = _ask(planned, query, variables)
    assert got == expected
    assert expected[0] == 200 and b'"errors"' not in expected[1], expected
    assert len(plan_runs) == 1, "the plan did not answer"


def test_the_post_page_has_its_content(pair: tuple[TestClient, TestClient, Site]) -> None:
    planned, _executed, _site = pair
    status, body = _ask(planned, POST_PAGE, {"slug": "allotment-opens"})
    post = json.loads(body)["data"]["post"]
    assert status == 200
    assert post["authors"] and post["tags"] and post["featureImage"]["url"].startswith("https://news.test/")
    assert post["related"], "the site's posts have related news"


@pytest.mark.parametrize("query", UNSUPPORTED)
def test_what_plans_do_not_cover_is_left_to_graphql_core(query: str) -> None:
    assert compile_plan(GRAPHQL_SCHEMA, query, None) is None


def test_front_end_queries_compile() -> None:
    for query, _variables in FIXED_QUERIES:
        assert compile_plan(GRAPHQL_SCHEMA, query, None) is not None, query


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        (POST_PAGE.replace("related(first: 3)", "related(first: 99)"), {"slug": "allotment-opens"}),
        (LIST, {"first": 101}),
        (LIST, {"first": 2, "after": "not a cursor"}),
        (LIST, {"first": "two"}),
        (LIST, {}),
        ("{ post(slug: \"allotment-opens\") { audit { errorCount } } }", None),
    ],
)  # fmt: skip
def test_errors_come_out_as_graphql_core_gives_them(
    pair: tuple[TestClient, TestClient, Site],
    plan_runs: list[str],
    query: str,
    variables: dict[str, Any] | None,
) -> None:
    planned, executed, _site = pair
    expected = _ask(executed, query, variables)
    assert b'"errors"' in expected[1]
    assert _ask(planned, query, variables) == expected
    assert plan_runs == [], "a plan answered a request that has errors"


def test_drafts_stay_hidden_and_previews_see_them(
    pair: tuple[TestClient, TestClient, Site], engine: Engine
) -> None:
    planned, executed, _site = pair
    query = "{ posts(first: 50) { edges { node { slug title bodyHtml } } } }"
    status, body = _ask(planned, query, None)
    assert status == 200
    for word in ("zephyrine", "quokka"):
        assert word.encode() not in body.lower()
    assert _ask(executed, query, None) == (status, body)


def test_a_resolver_that_waits_on_the_event_loop_hands_the_request_to_graphql_core(
    pair: tuple[TestClient, TestClient, Site], monkeypatch: pytest.MonkeyPatch, plan_runs: list[str]
) -> None:
    from content_api.schema import types

    planned, executed, _site = pair
    original = types.Post.tags

    async def slow_tags(self: Any, info: Any) -> Any:
        await asyncio.sleep(0)
        return await original(self, info)

    resolver = types.Post.__strawberry_definition__.get_field("tags").base_resolver  # type: ignore[attr-defined,union-attr]
    monkeypatch.setattr(resolver, "wrapped_func", slow_tags)
    query = '{ post(slug: "allotment-opens") { title tags { slug } } }'
    got = _ask(planned, query, None)
    assert got == _ask(executed, query, None)
    assert json.loads(got[1])["data"]["post"]["tags"]
    assert plan_runs == []


# ---------------------------------------------------------------------------------------------------
# Random queries


# Fields that need an API key (or are mutations' helpers); random queries seldom ask for them.
EDITORIAL_FIELDS = {"auditDraft", "webhookDeliveries", "audit", "webhooks", "apiKeys"}


class _QueryMaker:
    """Builds a random valid-or-not query over the schema's read fields."""

    def __init__(self, rng: random.Random, site: Site) -> None:
        self.rng = rng
        self.slugs = [*site.posts, *site.people, *site.tags, "nope"]
        self.variables: dict[str, Any] = {}
        self.definitions: list[str] = []
        self.fragments: list[str] = []

    def value(self, name: str, type_: Any) -> Any:
        rng = self.rng
        named = get_named_type(type_)
        if name == "first":
            return rng.choice([101, -1]) if rng.random() < 0.1 else rng.choice([0, 1, 2, 3, 5, 20])
        if name == "after":
            return (
                "bogus"
                if rng.random() < 0.1
                else rng.choice([None, "WyJwIiwiMjAyNS0wMS0wMlQwOTowMDowMCswMDowMCIsMV0"])
            )
        if name == "query":
            return rng.choice(["allotment", "zephyrine", "the", "", "opens"])
        if isinstance(named, GraphQLEnumType):
            return rng.choice(list(named.values))
        if isinstance(named, GraphQLInputObjectType):
            return {
                key: rng.choice(self.slugs)
                for key in rng.sample(["tag", "author", "person"], rng.randint(0, 2))
            }
        if isinstance(named, GraphQLScalarType) and named.name in ("String", "ID"):
            return rng.choice(self.slugs)
        return None

    def literal(self, value: Any, type_: Any) -> str:
        if isinstance(get_named_type(type_), GraphQLEnumType):
            return str(value)
        if isinstance(value, dict):
            return "{" + ", ".join(f"{k}: {json.dumps(v)}" for k, v in value.items()) + "}"
        return json.dumps(value)

    def arguments(self, field: Any) -> str | None:
        parts = []
        for name, argument in field.args.items():
            required = isinstance(argument.type, GraphQLNonNull)
            if not required and self.rng.random() < 0.4:
                continue
            value = self.value(name, argument.type)
            if value is None and required:
                return None
            if self.rng.random() < 0.4:
                variable = f"v{len(self.variables)}"
                self.variables[variable] = value
                self.definitions.append(f"${variable}: {argument.type}")
                parts.append(f"{name}: ${variable}")
            else:
                parts.append(f"{name}: {self.literal(value, argument.type)}")
        return f"({', '.join(parts)})" if parts else ""

    def selection(self, type_: Any, depth: int) -> str:
        rng = self.rng
        if isinstance(type_, GraphQLInterfaceType):
            concrete = rng.choice(GRAPHQL_SCHEMA.get_possible_types(type_))
            return f"{{ __typename ... on {concrete.name} {self.selection(concrete, depth)} }}"
        names = sorted(type_.fields)
        if type_ is GRAPHQL_SCHEMA.query_type or rng.random() < 0.9:
            # Mostly what anonymous front ends read; editorial fields need a key and end in errors.
            names = [name for name in names if name not in EDITORIAL_FIELDS] or names
        chosen = rng.sample(names, min(len(names), rng.randint(1, 5)))
        parts = []
        for name in chosen:
            field = type_.fields[name]
            named = get_named_type(field.type)
            if isinstance(named, (GraphQLObjectType, GraphQLInterfaceType)) and depth <= 0:
                continue
            arguments = self.arguments(field)
            if arguments is None:
                continue
            alias = f"a{rng.randint(0, 3)}_{name}: " if rng.random() < 0.2 else ""
            sub = ""
            if isinstance(named, (GraphQLObjectType, GraphQLInterfaceType)):
                sub = " " + self.selection(named, depth - 1)
            parts.append(f"{alias}{name}{arguments}{sub}")
        if rng.random() < 0.2:
            parts.append("__typename")
        if isinstance(type_, GraphQLObjectType) and rng.random() < 0.2 and parts:
            fragment = f"F{len(self.fragments)}"
            self.fragments.append(f"fragment {fragment} on {type_.name} {{ {parts.pop()} }}")
            parts.append(f"...{fragment}")
        return "{ " + " ".join(parts or ["__typename"]) + " }"

    def query(self) -> tuple[str, dict[str, Any]]:
        root = GRAPHQL_SCHEMA.query_type
        assert root is not None
        body = self.selection(root, depth=3)
        header = f"query Random({', '.join(self.definitions)})" if self.definitions else "query Random"
        return " ".join([header, body, *self.fragments]), self.variables


def _is_list(type_: Any) -> bool:
    return isinstance(type_, GraphQLList) or (isinstance(type_, GraphQLNonNull) and _is_list(type_.of_type))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_random_queries_get_the_same_answer_from_plans_and_graphql_core(
    pair: tuple[TestClient, TestClient, Site], seed: int
) -> None:
    planned, executed, site = pair
    query, variables = _QueryMaker(random.Random(seed), site).query()
    assert _ask(planned, query, variables) == _ask(executed, query, variables), query


def test_random_queries_mostly_run_as_plans(
    pair: tuple[TestClient, TestClient, Site], plan_runs: list[str]
) -> None:
    """The random queries above exercise plans, not only the way back to graphql-core."""
    planned, executed, site = pair
    for seed in range(60):
        query, variables = _QueryMaker(random.Random(seed), site).query()
        assert _ask(planned, query, variables) == _ask(executed, query, variables), query
    assert len(plan_runs) >= 20, f"only {len(plan_runs)} of 60 random queries ran as plans"


def test_a_document_is_compiled_once(
    pair: tuple[TestClient, TestClient, Site], monkeypatch: pytest.MonkeyPatch, plan_runs: list[str]
) -> None:
    planned, _executed, _site = pair
    compiled: list[str] = []
    original = plans_module.compile_plan

    def counting(schema: Any, query: str, operation_name: str | None, **kwargs: Any) -> Any:
        compiled.append(query)
        return original(schema, query, operation_name, **kwargs)

    monkeypatch.setattr(plans_module, "compile_plan", counting)
    for slug in ("allotment-opens", "winter-appeal", "allotment-opens"):
        assert _ask(planned, POST_PAGE, {"slug": slug})[0] == 200
    assert compiled == [POST_PAGE]
    assert len(plan_runs) == 3


def test_a_fault_in_the_compiler_leaves_the_request_to_graphql_core(
    pair: tuple[TestClient, TestClient, Site], monkeypatch: pytest.MonkeyPatch, plan_runs: list[str]
) -> None:
    planned, executed, _site = pair

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise KeyError("a bug")

    monkeypatch.setattr(plans_module, "compile_plan", broken)
    got = _ask(planned, POST_PAGE, {"slug": "allotment-opens"})
    assert got == _ask(executed, POST_PAGE, {"slug": "allotment-opens"})
    assert got[0] == 200 and plan_runs == []


def test_a_null_in_a_non_null_field_is_answered_as_graphql_core_answers_it(
    pair: tuple[TestClient, TestClient, Site], monkeypatch: pytest.MonkeyPatch, plan_runs: list[str]
) -> None:
    from content_api.schema import types

    planned, executed, _site = pair

    async def no_tags(self: Any, info: Any) -> Any:
        return None  # `tags` is [Tag!]!

    resolver = types.Post.__strawberry_definition__.get_field("tags").base_resolver  # type: ignore[attr-defined,union-attr]
    monkeypatch.setattr(resolver, "wrapped_func", no_tags)
    query = '{ post(slug: "allotment-opens") { title tags { slug } } }'
    got = _ask(planned, query, None)
    assert got == _ask(executed, query, None)
    assert json.loads(got[1])["data"]["post"] is None and b'"errors"' in got[1]
    assert plan_runs == []


def test_each_request_reads_a_fresh_snapshot(
    pair: tuple[TestClient, TestClient, Site], engine: Engine
) -> None:
    """Plans' connections may be kept between requests (SQLite); a request still sees every commit made
    before it, and a request's own reads agree with each other."""
    planned, executed, _site = pair
    query = '{ post(slug: "allotment-opens") { title } posts(first: 50) { edges { node { title } } } }'
    for round_ in range(3):
        title = f"Allotment opens, take {round_}"
        with engine.begin() as conn:
            conn.execute(posts.update().where(posts.c.slug == "allotment-opens").values(title=title))
        status, body = _ask(planned, query, None)
        data = json.loads(body)["data"]
        assert status == 200 and data["post"]["title"] == title
        assert title in [edge["node"]["title"] for edge in data["posts"]["edges"]]
        assert (status, body) == _ask(executed, query, None)


def test_a_kept_connection_that_failed_is_replaced(engine: Engine) -> None:
    reader = planned_module._SqliteReader(engine)
    try:
        first = reader.run(lambda conn: conn)
        assert reader.run(lambda conn: conn) is first, "the connection is kept between requests"

        def fails(conn: Any) -> None:
            conn.exec_driver_sql("SELECT no_such_column FROM posts")

        with pytest.raises(DBAPIError):
            reader.run(fails)
        assert first.closed
        second = reader.run(lambda conn: conn)
        assert second is not first and not second.closed
        assert reader.run(lambda conn: conn.exec_driver_sql("SELECT count(*) FROM posts").scalar()) == 0
    finally:
        reader.close()
    assert second.closed


VARIABLES_QUERY = """
query V($slug: String!, $first: Int) { post(slug: $slug) { slug related(first: $first) { slug } } }"""


@pytest.mark.parametrize(
    ("variables", "plan_answers"),
    [
        ({"slug": "allotment-opens", "first": 2}, True),
        ({"slug": "allotment-opens"}, True),  # $first not given: the argument's default applies
        ({"slug": "allotment-opens", "first": None}, None),  # graphql-core decides
        ({"slug": "allotment-opens", "first": 2.0}, None),
        ({"slug": "allotment-opens", "first": 2**31}, False),
        ({"slug": "allotment-opens", "first": True}, False),
        ({"slug": 7}, False),
        ({"slug": None}, False),
        ({}, False),
    ],
)
def test_variables_are_coerced_as_graphql_core_coerces_them(
    pair: tuple[TestClient, TestClient, Site],
    plan_runs: list[str],
    variables: dict[str, Any],
    plan_answers: bool | None,
) -> None:
    planned, executed, _site = pair
    expected = _ask(executed, VARIABLES_QUERY, variables)
    assert _ask(planned, VARIABLES_QUERY, variables) == expected
    if plan_answers is not None:
        assert bool(plan_runs) is plan_answers, expected


_SCALARS_SCHEMA = build_schema(
    "type Query { f(s: String, i: Int, d: ID, x: Float, b: Boolean, n: Int!, e: E, l: [Int]): Int }"
    " enum E { A B }"
)
_SCALARS_OPERATION = parse(
    "query($s: String, $i: Int, $d: ID, $x: Float, $b: Boolean, $n: Int!)"
    " { f(s: $s, i: $i, d: $d, x: $x, b: $b, n: $n) }"
).definitions[0]
_ANY_JSON = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=3),
    st.lists(st.integers(), max_size=2),
)


@settings(max_examples=300, deadline=None)
@given(
    values=st.dictionaries(st.sampled_from(["s", "i", "d", "x", "b", "n", "extra"]), _ANY_JSON, max_size=7)
)
def test_plain_variables_coerce_exactly_as_graphql_core_or_not_at_all(values: dict[str, Any]) -> None:
    plan = _scalars_plan()
    assert plan.plain_variables is not None
    fast = plan._coerce_plainly(values)
    slow = get_variable_values(_SCALARS_SCHEMA, _SCALARS_OPERATION.variable_definitions, values)
    if fast is not None:
        assert not isinstance(slow, list), slow
        assert fast.coerced == slow.coerced
        assert _sources(fast) == _sources(slow)


def _scalars_plan() -> plans_module.Plan:
    """A plan of `_SCALARS_OPERATION` (it answers nothing; only its variables are of interest)."""
    assert isinstance(_SCALARS_OPERATION, OperationDefinitionNode)
    specs = plans_module._plain_variables(_SCALARS_SCHEMA, _SCALARS_OPERATION)
    return plans_module.Plan(_SCALARS_OPERATION, lambda source, run: {}, _SCALARS_SCHEMA, specs)


def _sources(values: Any) -> dict[str, Any]:
    return {
        name: (source.signature.name, str(source.signature.type), source.signature.default, source.value)
        for name, source in values.sources.items()
    }


def test_plain_values_take_the_short_way() -> None:
    plan = _scalars_plan()
    assert isinstance(_SCALARS_OPERATION, OperationDefinitionNode)
    for values in ({"s": "a", "i": 1, "d": "x", "x": 1.5, "b": True, "n": 2}, {"n": -5, "s": None}):
        fast = plan._coerce_plainly(values)
        slow = get_variable_values(_SCALARS_SCHEMA, _SCALARS_OPERATION.variable_definitions, values)
        assert fast is not None and not isinstance(slow, list)
        assert fast.coerced == slow.coerced and _sources(fast) == _sources(slow)


def test_variables_with_defaults_enums_or_lists_are_left_to_graphql_core() -> None:
    for operation in (
        "query($i: Int = 3) { f(i: $i) }",
        "query($e: E) { f(e: $e) }",
        "query($l: [Int]) { f(l: $l) }",
    ):
        definition = parse(operation).definitions[0]
        assert isinstance(definition, OperationDefinitionNode)
        assert plans_module._plain_variables(_SCALARS_SCHEMA, definition) is None


def test_plans_run_at_most_reads_in_flight_at_once(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """PostgreSQL: plans run in worker threads, two at a time here; SQLite: inline, one at a time."""

    build_site(engine)
    reads = planned_module.PlannedReads(
        GRAPHQL_SCHEMA, engine, query_timeout=10, reads_in_flight=2, json_answers=False
    )
    running, most = 0, 0
    lock = threading.Lock()
    original = plans_module.Plan.execute

    def slow(self: plans_module.Plan, *args: Any, **kwargs: Any) -> Any:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.02)
        try:
            return original(self, *args, **kwargs)
        finally:
            with lock:
                running -= 1

    monkeypatch.setattr(plans_module.Plan, "execute", slow)
    query = '{ post(slug: "allotment-opens") { title } }'

    async def many() -> list[Any]:
        asks = [
            reads.answer(query, None, None, scope=PUBLIC, image_base_url="https://x", principal=ANONYMOUS)
            for _ in range(8)
        ]
        return await asyncio.gather(*asks)

    try:
        answers = asyncio.run(many())
    finally:
        reads.close()
    assert all(answer == {"post": {"title": "The allotment opens"}} for answer in answers)
    assert most == (2 if engine.dialect.name == "postgresql" else 1)
