"""Each limit refuses a document just over it and accepts one just under it, with a stable code."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from graphql import FieldNode, FragmentDefinitionNode, get_introspection_query, parse
from graphql.language import Lexer, Source, TokenKind
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_graphql import nodes, queries
from sqlalchemy import Engine

from content_api.http.complexity import _ShapeWalk
from content_api.http.screen import screen
from content_api.schema.schema import schema as content_schema
from content_api.schema.schema import schema_sdl
from tests.content_api.limits_helpers import NEW, codes, limited_client, post, site_engine

# Field chains that are valid in the schema, cycling Post -> authors -> posts -> edges -> node -> ...
_CHAIN = ["authors", "posts", "edges", "node"]
_LEAF = {"authors": "slug", "posts": "totalCount", "edges": "cursor", "node": "title"}


def nested(depth: int) -> str:
    """A valid query whose deepest leaf sits below `depth` fields that have selections."""
    names = ["posts", "edges", "node"]
    while len(names) < depth:
        names.append(_CHAIN[(len(names) - 3) % 4])
    names = names[:depth]
    return "{ " + " { ".join(names) + " { " + _LEAF[names[-1]] + " }" * depth + " }"


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = site_engine(tmp_path_factory.mktemp("limits"))
    yield engine
    engine.dispose()


def test_nested_builds_the_depth_it_says() -> None:
    assert nested(3) == "{ posts { edges { node { title } } } }"
    assert nested(5) == "{ posts { edges { node { authors { posts { totalCount } } } } } }"


# Chains this deep are costly at 20 items a page; the depth tests leave the cost out of it.
NO_COST_LIMIT = 10**12


def test_depth_just_under_runs_and_just_over_is_refused(engine: Engine) -> None:
    with limited_client(engine, max_cost=NO_COST_LIMIT) as client:
        assert "errors" not in post(client, nested(10))
        answer = post(client, nested(11))
    assert answer["_status"] == 400
    assert codes(answer) == ["QUERY_TOO_DEEP"]
    assert answer["errors"][0]["extensions"]["limit"] == 10
    assert "data" not in answer


def test_depth_through_fragments_is_counted(engine: Engine) -> None:
    # The text nests only two selection sets per fragment; the spreads make it 11 deep.
    deep = (
        "{ posts { edges { node { ...A } } } }"
        " fragment A on Post { authors { posts { edges { node { ...B } } } } }"
        " fragment B on Post { authors { posts { edges { node { title } } } } }"
    )
    with limited_client(engine, max_depth=11, max_cost=NO_COST_LIMIT) as client:
        assert "errors" not in post(client, deep)
    with limited_client(engine, max_depth=10, max_cost=NO_COST_LIMIT) as client:
        assert codes(post(client, deep)) == ["QUERY_TOO_DEEP"]


def test_a_lower_depth_limit_is_applied(engine: Engine) -> None:
    with limited_client(engine, max_depth=4) as client:
        assert "errors" not in post(client, nested(4))
        assert codes(post(client, nested(5))) == ["QUERY_TOO_DEEP"]


def _aliased(count: int) -> str:
    return "{ " + " ".join(f"t{i}: tags {{ slug }}" for i in range(count)) + " }"


def test_aliases_just_under_run_and_just_over_are_refused(engine: Engine) -> None:
    with limited_client(engine) as client:
        ok = post(client, _aliased(30))
        assert "errors" not in ok and len(ok["data"]) == 30
        answer = post(client, _aliased(31))
    assert answer["_status"] == 400
    assert codes(answer) == ["TOO_MANY_ALIASES"]


def test_aliases_in_a_fragment_count_once_each(engine: Engine) -> None:
    fragment = "fragment F on Query { " + " ".join(f"t{i}: tags {{ slug }}" for i in range(3)) + " }"
    with limited_client(engine, max_aliases=3) as client:
        assert "errors" not in post(client, "{ ...F } " + fragment)
    with limited_client(engine, max_aliases=2) as client:
        assert codes(post(client, "{ ...F } " + fragment)) == ["TOO_MANY_ALIASES"]


def _tokens(count: int) -> str:
    # 15 tokens around a list of count - 15 numbers (repeated fields would be slow to validate instead)
    return "query($v: [Int] = [" + " 1" * (count - 15) + " ]) { __typename }"


def _lexer_count(document: str) -> int:
    lexer = Lexer(Source(document))
    count = 0
    while lexer.advance().kind is not TokenKind.EOF:
        count += 1
    return count


POST_PAGE = """
query PostPage($slug: String!) {
  post(slug: $slug) {
    id slug title summary bodyHtml publishedAt lang readingTimeMinutes
    featureImage { url alt caption width height }
    authors { slug name pronouns role }
    tags { slug name }
  }
}
"""


def test_tokens_just_under_run_and_just_over_are_refused(engine: Engine) -> None:
    count = _lexer_count(POST_PAGE)
    variables = {"slug": "winter-appeal"}
    with limited_client(engine, max_tokens=count) as client:
        assert post(client, POST_PAGE, variables)["data"]["post"]["title"] == "Winter appeal"
    with limited_client(engine, max_tokens=count - 1) as client:
        answer = post(client, POST_PAGE, variables)
        assert answer["_status"] == 400
        assert codes(answer) == ["TOO_MANY_TOKENS"]


def test_default_token_limit_is_two_thousand(engine: Engine) -> None:
    assert _lexer_count(_tokens(2000)) == 2000
    with limited_client(engine) as client:
        # 2000 tokens reach validation (which finds $v unused); 2001 do not.
        assert codes(post(client, _tokens(2000))) == ["GRAPHQL_VALIDATION_FAILED"]
        assert codes(post(client, _tokens(2001))) == ["TOO_MANY_TOKENS"]


@pytest.mark.parametrize(
    "document",
    [
        'query Q($n: Int = 5, $f: PostFilter = {tag: "x"}) { posts(first: $n, filter: $f) { totalCount } }',
        '# a comment { {\n{ search(query: "a \\" { b", first: -1) { totalCount } }',
        '{ search(query: """block "" \\""" { text""") { totalCount } } # end',
        "{ a: posts { ... on PostConnection { totalCount } ...F } } fragment F on PostConnection { x }",
        "{ n: node(id: 1.5e3) { id } , , }",
    ],
)
def test_the_scan_counts_tokens_as_graphql_core_does(document: str) -> None:
    assert screen(document, max_tokens=10_000, max_aliases=100, max_depth=100).tokens == _lexer_count(
        document
    )


def test_query_length_just_under_runs_and_just_over_is_refused(engine: Engine) -> None:
    base = "{ __typename }"
    with limited_client(engine) as client:
        padded = base + " " * (20_000 - len(base))
        assert post(client, padded)["data"] == {"__typename": "Query"}
        answer = post(client, padded + " ")
    assert answer["_status"] == 400
    assert codes(answer) == ["QUERY_TOO_LONG"]


def test_cost_counts_first_on_the_list_below_it(engine: Engine) -> None:
    # posts 1 + edges (1 + 50 x (node 1 + title 1)) = 102
    page = "{ posts(first: 50) { edges { node { title } } } }"
    by_variable = "query($n: Int!) { posts(first: $n) { edges { node { title } } } }"
    with limited_client(engine, max_cost=102) as client:
        assert "errors" not in post(client, page)
        assert "errors" not in post(client, by_variable, {"n": 50})
    with limited_client(engine, max_cost=101) as client:
        answer = post(client, page)
        assert answer["_status"] == 400
        assert codes(answer) == ["QUERY_TOO_COMPLEX"]
        assert answer["errors"][0]["extensions"]["cost"] == 102
        assert codes(post(client, by_variable, {"n": 50})) == ["QUERY_TOO_COMPLEX"]
        # The default `first` (20) and a variable's default count too: 1 + 1 + 20 x 2 = 42.
        assert "errors" not in post(client, "{ posts { edges { node { title } } } }")
        defaulted = "query($n: Int! = 50) { posts(first: $n) { edges { node { title } } } }"
        assert codes(post(client, defaulted)) == ["QUERY_TOO_COMPLEX"]


def test_cost_of_nested_lists_multiplies(engine: Engine) -> None:
    # A list without `first` counts 10: tags 1 + 10 x (posts 1 + edges (1 + 100 x (node 1 + title 1)))
    nested_lists = "{ tags { posts(first: 100) { edges { node { title } } } } }"
    with limited_client(engine, max_cost=2021) as client:
        assert "errors" not in post(client, nested_lists)
    with limited_client(engine, max_cost=2020) as client:
        assert codes(post(client, nested_lists)) == ["QUERY_TOO_COMPLEX"]


def test_default_cost_limit_allows_two_nested_pages_of_a_hundred_but_not_three(engine: Engine) -> None:
    # people 1 + edges (1 + 100 x (node 1 + posts (1 + edges (1 + 100 x (node 1 + title 1))))) = 20402
    two = "{ people(first: 100) { edges { node { posts(first: 100) { edges { node { title } } } } } } }"
    three = (
        "{ people(first: 100) { edges { node { posts(first: 100) { edges { node {"
        " tags { posts(first: 100) { edges { node { title } } } } } } } } } } }"
    )
    with limited_client(engine) as client:
        assert "errors" not in post(client, two)
        answer = post(client, three)
        assert codes(answer) == ["QUERY_TOO_COMPLEX"]
        assert answer["errors"][0]["extensions"]["limit"] == 50_000


def test_repeated_fields_are_refused_before_validation_compares_them(engine: Engine) -> None:
    def repeated(count: int) -> str:
        return '{ post(slug: "winter-appeal") {' + " id" * count + " } }"

    spread = (
        '{ post(slug: "winter-appeal") { '
        + " ".join(f"...F{i}" for i in range(40))
        + " } } "
        + " ".join(f"fragment F{i} on Post {{ id }}" for i in range(40))
    )
    with limited_client(engine) as client:
        # 32 times: 496 pairs to compare; 33 times: 528, over the 500 allowed.
        assert "errors" not in post(client, repeated(32))
        answer = post(client, repeated(33))
        assert codes(answer) == ["QUERY_TOO_COMPLEX"]
        assert answer["errors"][0]["extensions"]["repeatedPairs"] == 528
        # Fragments that each add the same field are expanded before counting.
        assert codes(post(client, spread)) == ["QUERY_TOO_COMPLEX"]


def test_first_is_at_most_a_hundred(engine: Engine) -> None:
    with limited_client(engine) as client:
        assert "errors" not in post(client, "{ posts(first: 100) { totalCount } }")
        answer = post(client, "{ posts(first: 101) { totalCount } }")
    assert codes(answer) == ["BAD_USER_INPUT"]
    assert "between 0 and 100" in answer["errors"][0]["message"]


def test_body_size_just_under_runs_and_just_over_is_413(engine: Engine) -> None:
    def body_of(size: int) -> bytes:
        start, end = b'{"query": "{ __typename }', b'"}'
        return start + b" " * (size - len(start) - len(end)) + end

    with limited_client(engine, max_body_bytes=300) as client:
        headers = {"Accept": NEW, "Content-Type": "application/json"}
        ok = client.post("/graphql", content=body_of(300), headers=headers)
        assert ok.status_code == 200 and ok.json()["data"] == {"__typename": "Query"}
        over = client.post("/graphql", content=body_of(301), headers=headers)
        assert over.status_code == 413
        assert over.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"

        def chunked() -> Iterator[bytes]:
            # No Content-Length: the limit holds while the body streams in.
            yield body_of(301)[:200]
            yield body_of(301)[200:]

        streamed = client.post("/graphql", content=chunked(), headers=headers)
        assert streamed.status_code == 413


def test_batch_just_under_runs_and_just_over_is_refused(engine: Engine) -> None:
    one = {"query": "query($s: String!) { post(slug: $s) { title } }", "variables": {"s": "winter-appeal"}}
    with limited_client(engine, max_batch=3) as client:
        ok = client.post("/graphql", json=[one, one, one], headers={"Accept": NEW})
        assert ok.status_code == 200
        assert ok.json() == [{"data": {"post": {"title": "Winter appeal"}}}] * 3
        over = client.post("/graphql", json=[one] * 4, headers={"Accept": NEW})
        assert over.status_code == 400
        assert over.json()["errors"][0]["extensions"]["code"] == "BATCH_TOO_LARGE"
        mixed = client.post("/graphql", json=[one, {"query": nested(11)}], headers={"Accept": NEW})
        first, second = mixed.json()
        assert first == {"data": {"post": {"title": "Winter appeal"}}}
        assert codes(second) == ["QUERY_TOO_DEEP"]


def test_introspection_is_off_in_production_and_on_in_development(engine: Engine) -> None:
    query = "{ __schema { queryType { name } } }"
    with limited_client(engine) as client:
        answer = post(client, query)
        assert answer["_status"] == 400 and codes(answer) == ["INTROSPECTION_DISABLED"]
        # One named type may be looked up (the schema is public); it counts like any other field.
        assert post(client, '{ __type(name: "Post") { name } }')["data"] == {"__type": {"name": "Post"}}
        nested_types = (
            '{ __type(name: "Post") {' + " fields { type { ofType {" * 4 + " name" + " } } }" * 4 + " } }"
        )
        assert codes(post(client, nested_types)) == ["QUERY_TOO_DEEP"]
        # __typename is not introspection of the schema; clients rely on it.
        assert post(client, "{ __typename }")["data"] == {"__typename": "Query"}
    with limited_client(engine, dev_mode=True) as client:
        assert post(client, query)["data"] == {"__schema": {"queryType": {"name": "Query"}}}
        # In development introspection is exempt from depth and cost, so GraphiQL's query runs.
        assert "errors" not in post(client, get_introspection_query())
    with limited_client(engine, introspection=True) as client:
        assert "errors" not in post(client, query)


def test_graphiql_only_in_development(engine: Engine) -> None:
    browser = {"Accept": "text/html,application/xhtml+xml"}
    with limited_client(engine) as client:
        response = client.get("/graphql", headers=browser)
        assert "graphiql" not in response.text.lower()
        assert response.status_code == 406
    with limited_client(engine, dev_mode=True) as client:
        response = client.get("/graphql", headers=browser)
        assert response.status_code == 200 and "graphiql" in response.text.lower()


def test_limit_errors_are_200_for_legacy_json_clients(engine: Engine) -> None:
    with limited_client(engine) as client:
        response = client.post("/graphql", json={"query": nested(11)}, headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert response.json()["errors"][0]["extensions"]["code"] == "QUERY_TOO_DEEP"


@pytest.mark.parametrize(
    ("document", "depth"),
    [
        ("{ posts { ... on PostConnection { edges { node { title } } } } }", 3),
        ("{ posts { ... @include(if: true) { totalCount } } }", 1),
        ("{ posts { ... { totalCount } } }", 1),
        (
            "query Q @dir { posts { ...F edges @include(if: true) { cursor } } } fragment F on X { y { z } }",
            2,
        ),
        ('{ __type(name: "Post") { fields { name } } }', 2),
    ],
)
def test_the_scan_measures_depth_without_counting_fragments(document: str, depth: int) -> None:
    assert screen(document, max_tokens=1000, max_aliases=100, max_depth=100).depth == depth


@settings(max_examples=150, deadline=None)
@given(
    document=queries(schema_sdl(), custom_scalars={"DateTime": st.just(nodes.String("2025-01-01T00:00:00Z"))})
)
def test_the_scan_never_sees_more_depth_than_the_document_has(document: str) -> None:
    # What the scan refuses must be refused by the full check too, so its depth is a lower bound.
    node = parse(document)
    fragments = {d.name.value: d for d in node.definitions if isinstance(d, FragmentDefinitionNode)}
    real = (
        _ShapeWalk(content_schema._schema, fragments, 1000, exempt_introspection=False).document(node).depth
    )
    scanned = screen(document, max_tokens=100_000, max_aliases=100_000, max_depth=1000)
    assert scanned.depth <= real
    assert scanned.aliases == sum(1 for _ in _aliases(node))


def _aliases(node: Any) -> Iterator[None]:
    for definition in node.definitions:
        stack = [definition.selection_set] if getattr(definition, "selection_set", None) else []
        while stack:
            for selection in stack.pop().selections:
                if isinstance(selection, FieldNode) and selection.alias is not None:
                    yield None
                if getattr(selection, "selection_set", None) is not None:
                    stack.append(selection.selection_set)


def test_costs_kept_per_document_follow_the_page_size_variables() -> None:
    from content_api.http.complexity import DocumentGuard
    from content_api.http.errors import Rejection
    from content_api.http.limits import Limits
    from content_api.schema.schema import schema

    guard = DocumentGuard(schema._schema, Limits(max_cost=300), introspection=False)
    query = (
        "query($n: Int = 5, $slug: String) { posts(first: $n) { edges { node { title tags { name } } } } "
        "post(slug: $slug) { title } }"
    )

    def refused(variables: dict[str, object]) -> bool:
        try:
            guard.check(query, variables)
        except Rejection:
            return True
        return False

    # 4 + 13 n: 69 for five posts, 264 for twenty, 394 for thirty (the slug changes nothing).
    for _ in range(2):
        assert not refused({"n": 5, "slug": "a"})
        assert refused({"n": 100, "slug": "a"})
        assert not refused({"slug": "b"})  # the default, 5
        assert refused({"n": None})  # not a page size: counted as the largest
        assert not refused({"n": 20, "slug": "c"})
        assert refused({"n": 30})
