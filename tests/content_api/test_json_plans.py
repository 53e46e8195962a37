"""JSON plans: whole answers written by one SQLite statement, held to graphql-core's answers.

Each test asks the same request of a server answering through JSON plans and of one running
graphql-core's executor only, and compares the answers; a spy records which requests the JSON
statement answered, so a test cannot pass by falling back. On PostgreSQL JSON plans are not used, and
the tests check that too.
"""

from __future__ import annotations

import json
import logging
import random
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, update
from starlette.testclient import TestClient

from content_api.store import json_answers
from content_api.store.tables import people, posts, tags
from tests.content_api.graphql_site import NEWS_LIST as LIST
from tests.content_api.graphql_site import (
    Site,
    beside_graphql_core,
    build_site,
    client_without_json_plans,
    statements,
)
from tests.content_api.publishing_helpers import token

__all__ = ["client_without_json_plans"]

ACCEPT = {"Accept": "application/graphql-response+json"}

POST_PAGE = """
query PostPage($slug: String!) {
  post(slug: $slug) {
    id slug title summary bodyHtml publishedAt updatedAt lang readingTimeMinutes
    featureImage { url alt caption width height format animated }
    authors { id slug name pronouns role bio }
    people { name pronouns }
    tags { id slug name }
    related(first: 3) { id slug title summary publishedAt featureImage { url alt } authors { name } }
  }
}"""

# Requests a JSON plan answers.
COVERED: list[tuple[str, dict[str, Any] | None]] = [
    (POST_PAGE, {"slug": "allotment-opens"}),
    (POST_PAGE, {"slug": "youth-club-trip"}),
    (POST_PAGE, {"slug": "no-such-post"}),
    # Drafts and scheduled posts are not found by anonymous readers.
    (POST_PAGE, {"slug": "draft-merger"}),
    (POST_PAGE, {"slug": "scheduled-gala"}),
    ('{ person(slug: "alice-ng") { name role ...P } } fragment P on Person { bio pronouns id }', None),
    ('{ person(slug: "bob-price") { __typename name pronouns } }', None),
    ('{ a: post(slug: "allotment-opens") { title } b: post(slug: "winter-appeal") { t: title slug } }', None),
    ('{ post(slug: "allotment-opens") { title } post(slug: "allotment-opens") { slug } }', None),
    ('{ post(slug: "allotment-opens") { ... on Post { title } ... { slug } __typename } __typename }', None),
    ('{ post(slug: "allotment-opens") { ... on Node { id } related { slug ...R } } } '
     "fragment R on RelatedPost { title bodyHtml tags { name } }", None),
    ("query($s: String!, $n: Int!) { post(slug: $s) { related(first: $n) { slug } } }",
     {"s": "allotment-opens", "n": 5}),
    ("query($s: String!, $n: Int!) { post(slug: $s) { related(first: $n) { slug } } }",
     {"s": "allotment-opens", "n": 0}),
    ('{ post(slug: "youth-club-trip") { featureImage { url } authors { avatar: __typename name } } }', None),
    (LIST, {"first": 3}),
    (LIST, {"first": 2, "after": None}),
    (LIST, {"first": 0}),
    (LIST, {"first": 100}),
    ("{ __typename posts { __typename totalCount } }", None),
    ("{ posts(first: 2, order: PUBLISHED_ASC) { pageInfo { hasNextPage hasPreviousPage startCursor endCursor "
     "__typename } edges { __typename cursor } } }", None),
    ("query($f: PostFilter, $o: PostOrder!) { posts(first: 5, filter: $f, order: $o) { totalCount edges { "
     "node { slug tags { slug } } } } }", {"f": {"tag": "food-bank"}, "o": "PUBLISHED_DESC"}),
    ('{ posts(first: 4, filter: {author: "alice-ng", publishedAfter: "2020-01-01T00:00:00Z"}) { totalCount '
     "edges { node { slug authors { slug } } } } }", None),
    ('{ p: posts(first: 3, filter: {person: "bob-price"}) { e: edges { n: node { ...F } c: cursor } } } '
     "fragment F on Post { t: title bodyHtml related(first: 1) { slug } }", None),
]  # fmt: skip

# Requests no JSON plan answers (the compiled plan or graphql-core does), with the same answers.
NOT_COVERED: list[tuple[str, dict[str, Any] | None]] = [
    ('{ post(slug: "allotment-opens") { related(first: 2) { slug score } } }', None),
    ('{ post(slug: "allotment-opens") { authors { avatar { url } } } }', None),
    ('{ post(slug: "allotment-opens") { featureImage { flashVerdict } } }', None),
    ('{ post(slug: "allotment-opens") { title } posts(first: 2) { totalCount } }', None),
    ('{ post(slug: "allotment-opens") { related(first: 99) { slug } } }', None),
    ("query($n: Int!) { post(slug: \"allotment-opens\") { related(first: $n) { slug } } }", {"n": -1}),
    ('{ post(slug: "allotment-opens") { title @include(if: true) } }', None),
    ('{ person(slug: "alice-ng") { posts(first: 1) { edges { node { slug } } } } }', None),
    ("{ posts(first: 101) { totalCount } }", None),
    ('{ posts(after: "not a cursor") { totalCount } }', None),
    ('{ posts(first: 2) { totalCount } post(slug: "allotment-opens") { title } }', None),
    ("{ posts(first: 2) { edges { node { slug } } } more: posts(first: 3) { totalCount } }", None),
    ("{ posts(first: 2) { edges { a: node { slug } b: node { title } } } }", None),
]  # fmt: skip


@pytest.fixture
def pair(engine: Engine) -> Iterator[tuple[TestClient, TestClient, Site]]:
    """(a server answering through JSON plans where it can, a server using graphql-core only, the site)."""
    with beside_graphql_core(engine) as servers:
        yield servers


@pytest.fixture
def json_runs(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Each answer (or page) a JSON statement gave."""
    seen: list[Any] = []
    for statement in (json_answers.JsonRead, json_answers.JsonPage):
        original = statement.run

        def spy(self: Any, *args: Any, original: Any = original, **kwargs: Any) -> Any:
            answer = original(self, *args, **kwargs)
            if answer is not None:
                seen.append(answer)
            return answer

        monkeypatch.setattr(statement, "run", spy)
    return seen


class _Ordered(dict[str, Any]):
    """A JSON object that equals another only with the same keys in the same order."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, dict) and list(self.items()) == list(other.items())

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = None  # type: ignore[assignment]


def _ask(client: TestClient, query: str, variables: dict[str, Any] | None) -> tuple[int, Any]:
    """Status and answer; the answer's objects compare with their keys' order (the document's order)."""
    response = client.post("/graphql", json={"query": query, "variables": variables}, headers=ACCEPT)
    return response.status_code, json.loads(response.content, object_pairs_hook=_Ordered)


def _on_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


@pytest.mark.parametrize(("query", "variables"), COVERED)
def test_json_plans_answer_as_graphql_core_does(
    engine: Engine,
    pair: tuple[TestClient, TestClient, Site],
    json_runs: list[Any],
    query: str,
    variables: dict[str, Any] | None,
) -> None:
    json_server, executed, _site = pair
    expected = _ask(executed, query, variables)
    assert expected[0] == 200 and "errors" not in expected[1], expected
    assert json_runs == []
    assert _ask(json_server, query, variables) == expected
    assert len(json_runs) == (1 if _on_sqlite(engine) else 0)


@pytest.mark.parametrize(("query", "variables"), NOT_COVERED)
def test_what_json_plans_do_not_cover_is_answered_the_other_way(
    pair: tuple[TestClient, TestClient, Site],
    json_runs: list[Any],
    query: str,
    variables: dict[str, Any] | None,
) -> None:
    json_server, executed, _site = pair
    assert _ask(json_server, query, variables) == _ask(executed, query, variables)
    assert json_runs == []


def test_the_post_page_is_complete(engine: Engine, pair: tuple[TestClient, TestClient, Site]) -> None:
    json_server, _executed, _site = pair
    status, answer = _ask(json_server, POST_PAGE, {"slug": "allotment-opens"})
    post = answer["data"]["post"]
    assert status == 200
    assert post["bodyHtml"].startswith("<p>Beds are ready")
    assert post["featureImage"]["url"] == "https://news.test/images/feature-garden.png"
    assert post["featureImage"]["animated"] is False
    assert [author["slug"] for author in post["authors"]] == ["alice-ng"]
    assert post["authors"][0]["pronouns"] == "she/her"  # consented
    assert post["people"] == [{"name": "Bob Price", "pronouns": None}]  # recorded, not consented
    assert post["tags"][0]["name"] == "Food bank"
    assert post["related"] and all(item["slug"] != "draft-merger" for item in post["related"])


def test_pages_follow_their_cursors(
    engine: Engine, pair: tuple[TestClient, TestClient, Site], json_runs: list[Any]
) -> None:
    json_server, executed, _site = pair
    after = None
    seen: list[str] = []
    pages = 0
    while pages < 10:
        pages += 1
        variables = {"first": 3, "after": after}
        got = _ask(json_server, LIST, variables)
        assert got == _ask(executed, LIST, variables)
        page = got[1]["data"]["posts"]
        seen += [edge["node"]["slug"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == got[1]["data"]["posts"]["totalCount"]
    assert len(json_runs) == (pages if _on_sqlite(engine) else 0)


def test_a_page_is_one_statement(engine: Engine, pair: tuple[TestClient, TestClient, Site]) -> None:
    json_server, _executed, _site = pair
    query = "{ posts(first: 10) { edges { node { slug authors { name } tags { name } related { slug } } } } }"
    with statements(engine) as seen:
        answer = _ask(json_server, query, None)
    assert len(answer[1]["data"]["posts"]["edges"]) == 10
    work = [statement for statement in seen if "site_state" not in statement]
    assert len(work) == (1 if _on_sqlite(engine) else 4), work


def test_a_preview_key_sees_drafts_through_json_plans_as_through_graphql_core(
    engine: Engine, pair: tuple[TestClient, TestClient, Site], json_runs: list[Any]
) -> None:
    json_server, executed, _site = pair
    headers = {**ACCEPT, "Authorization": f"Bearer {token(engine, 'read:drafts')}"}
    queries = [
        ('{ post(slug: "draft-merger") { slug title tags { name } related { slug } } }', "post"),
        ("{ posts(first: 20) { totalCount edges { node { slug } } } }", "posts"),
    ]
    for query, root in queries:
        answers = []
        for client in (json_server, executed):
            response = client.post("/graphql", json={"query": query}, headers=headers)
            answers.append((response.status_code, json.loads(response.content, object_pairs_hook=_Ordered)))
        assert answers[0] == answers[1]
        assert "draft-merger" in json.dumps(answers[0][1]["data"][root])
        anonymous = _ask(json_server, query, None)[1]["data"][root]
        assert "draft-merger" not in json.dumps(anonymous)
    # The two with the key and the two without.
    assert len(json_runs) == (4 if _on_sqlite(engine) else 0)


TRICKY = 'Quotes " and \\ back\\slash, tab\t, nul-ish \x01, line\u2028sep, café, 🌱, </script>'


def test_any_text_is_written_as_graphql_core_writes_it(
    engine: Engine, pair: tuple[TestClient, TestClient, Site], json_runs: list[Any]
) -> None:
    """Text SQLite escapes (nested values) and text orjson escapes (the post's own) both come out equal."""
    json_server, executed, _site = pair
    with engine.begin() as conn:
        conn.execute(update(posts).values(title=posts.c.title + TRICKY, summary=TRICKY))
        conn.execute(update(people).where(people.c.slug == "alice-ng").values(name=TRICKY, bio=None))
        conn.execute(update(tags).values(name=tags.c.name + TRICKY))
    for slug in ("allotment-opens", "youth-club-trip"):
        got = _ask(json_server, POST_PAGE, {"slug": slug})
        assert got == _ask(executed, POST_PAGE, {"slug": slug})
        assert TRICKY in got[1]["data"]["post"]["title"]
    assert len(json_runs) == (2 if _on_sqlite(engine) else 0)


def test_a_fault_in_a_json_plan_is_logged_and_the_request_still_answered(
    engine: Engine,
    pair: tuple[TestClient, TestClient, Site],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    json_server, executed, _site = pair

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise KeyError("a bug")

    monkeypatch.setattr(json_answers.JsonRead, "run", broken)
    with caplog.at_level(logging.ERROR, logger="content_api.http.planned"):
        got = _ask(json_server, POST_PAGE, {"slug": "allotment-opens"})
    assert got == _ask(executed, POST_PAGE, {"slug": "allotment-opens"})
    logged = [record for record in caplog.records if "JSON plan failed" in record.getMessage()]
    assert len(logged) == (1 if _on_sqlite(engine) else 0)


def test_json_answers_can_be_turned_off(
    engine: Engine, client_without_json_plans: TestClient, json_runs: list[Any]
) -> None:
    build_site(engine)
    status, answer = _ask(client_without_json_plans, POST_PAGE, {"slug": "allotment-opens"})
    assert status == 200 and answer["data"]["post"]["slug"] == "allotment-opens"
    assert json_runs == []


# --- random documents over the fields JSON plans cover ---------------------------------------------

_LEAVES = {
    "Post": ["id", "slug", "title", "summary", "bodyHtml", "publishedAt", "updatedAt", "lang",
             "readingTimeMinutes", "__typename"],
    "Person": ["id", "slug", "name", "pronouns", "role", "bio", "__typename"],
    "Tag": ["id", "slug", "name", "__typename"],
    "Image": ["url", "alt", "caption", "width", "height", "format", "animated", "__typename"],
}  # fmt: skip
_NESTED = {
    "Post": [("featureImage", "Image"), ("authors", "Person"), ("people", "Person"), ("tags", "Tag"),
             ("related", "RelatedPost")],
    "Person": [],
    "Tag": [],
    "Image": [],
}  # fmt: skip
_SLUGS = ["allotment-opens", "youth-club-trip", "winter-appeal", "new-trustees", "repair-cafe",
          "draft-merger", "no-such-post"]  # fmt: skip


class _Maker:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.variables: dict[str, Any] = {}
        self.definitions: list[str] = []
        self.fragments: list[str] = []

    def _alias(self, name: str) -> str:
        return f"a{self.rng.randrange(1000)}: {name}" if self.rng.random() < 0.2 else name

    def _value(self, graphql_type: str, value: Any) -> str:
        if self.rng.random() < 0.5:
            name = f"v{len(self.definitions)}"
            self.definitions.append(f"${name}: {graphql_type}")
            self.variables[name] = value
            return f"${name}"
        return json.dumps(value)

    def selection(self, type_name: str, depth: int) -> str:
        rng = self.rng
        kind = "Post" if type_name == "RelatedPost" else type_name
        parts = [self._alias(leaf) for leaf in rng.sample(_LEAVES[kind], rng.randint(1, 4))]
        if depth > 0:
            for name, target in _NESTED[kind]:
                if rng.random() < 0.4:
                    arguments = ""
                    if name == "related" and rng.random() < 0.8:
                        arguments = f"(first: {self._value('Int!', rng.randint(0, 4))})"
                    parts.append(f"{self._alias(name)}{arguments} {self.selection(target, depth - 1)}")
        if rng.random() < 0.2:
            fragment = f"F{len(self.fragments)}"
            condition = rng.choice([type_name, "Node"]) if kind in ("Post", "Person", "Tag") else type_name
            # The Node interface has only `id`.
            inside = self._alias("id") if condition == "Node" else parts.pop()
            self.fragments.append(f"fragment {fragment} on {condition} {{ {inside} }}")
            parts.append(f"...{fragment}")
        return "{ " + " ".join(parts) + " }"

    def page(self) -> str:
        rng = self.rng
        arguments = []
        if rng.random() < 0.7:
            arguments.append(f"first: {self._value('Int!', rng.randint(0, 12))}")
        if rng.random() < 0.3:
            arguments.append(f"order: {rng.choice(['PUBLISHED_ASC', 'PUBLISHED_DESC'])}")
        if rng.random() < 0.3:
            condition = rng.choice(['{tag: "food-bank"}', '{author: "alice-ng"}', '{tag: "youth"}'])
            arguments.append(f"filter: {condition}")
        parts = []
        for name in rng.sample(["totalCount", "pageInfo", "edges", "__typename"], rng.randint(1, 4)):
            if name == "pageInfo":
                inner = rng.sample(
                    ["hasNextPage", "hasPreviousPage", "startCursor", "endCursor", "__typename"], 2
                )
                parts.append(f"{self._alias(name)} {{ {' '.join(inner)} }}")
            elif name == "edges":
                inner = ["cursor"] if rng.random() < 0.5 else []
                inner.append(f"node {self.selection('Post', 1)}")
                parts.append(f"{self._alias(name)} {{ {' '.join(inner)} }}")
            else:
                parts.append(self._alias(name))
        listed = f"({', '.join(arguments)})" if arguments else ""
        return f"posts{listed} {{ {' '.join(parts)} }}"

    def query(self) -> tuple[str, dict[str, Any]]:
        roots = []
        if self.rng.random() < 0.3:
            roots.append(f"r: {self.page()}")
        for index in range(self.rng.randint(1, 2) if not roots else 0):
            if self.rng.random() < 0.75:
                slug = self._value("String!", self.rng.choice(_SLUGS))
                roots.append(f"r{index}: post(slug: {slug}) {self.selection('Post', 2)}")
            else:
                slug = self._value("String!", self.rng.choice(["alice-ng", "bob-price", "nobody"]))
                roots.append(f"r{index}: person(slug: {slug}) {self.selection('Person', 0)}")
        header = f"query Random({', '.join(self.definitions)})" if self.definitions else "query Random"
        return " ".join([header, "{ " + " ".join(roots) + " }", *self.fragments]), self.variables


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_random_documents_get_graphql_cores_answers(
    pair: tuple[TestClient, TestClient, Site], seed: int
) -> None:
    json_server, executed, _site = pair
    query, variables = _Maker(random.Random(seed)).query()
    assert _ask(json_server, query, variables) == _ask(executed, query, variables), query


def test_random_documents_run_as_json_plans(
    engine: Engine, pair: tuple[TestClient, TestClient, Site], json_runs: list[Any]
) -> None:
    """The random documents above are answered by JSON statements, not only by the way back."""
    json_server, executed, _site = pair
    for seed in range(40):
        query, variables = _Maker(random.Random(seed)).query()
        assert _ask(json_server, query, variables) == _ask(executed, query, variables), query
    assert len(json_runs) == (40 if _on_sqlite(engine) else 0)
