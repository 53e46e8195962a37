"""The response cache, ETags and Cache-Control on `/graphql`; invalidation by the content version.

Runs on SQLite and PostgreSQL (the `engine` fixture).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine
from starlette.testclient import TestClient

from content_api.app import create_app
from content_api.http.answers import CachedAnswer, ResponseCache
from content_api.http.cache import HttpCaching, operation_type
from content_api.http.etag import etag_for, none_match
from content_api.services.publishing import unpublish_post
from content_api.settings import Settings, SettingsError
from content_api.store.db import write_engine
from content_api.store.keys import create_key
from content_api.store.maintenance import bump_content_version, content_version
from content_api.store.queries import PUBLIC, PostFilter, count_posts
from content_api.store.tables import posts
from content_api.store.version import ContentVersionWatch
from tests.content_api.graphql_site import Site, site

__all__ = ["site"]

POST = "query Post($slug: String!) { post(slug: $slug) { slug title authors { name } } }"
GRAPHQL_JSON = "application/graphql-response+json"


def _client(engine: Engine, **settings: Any) -> TestClient:
    url = engine.url.render_as_string(hide_password=False)
    return TestClient(create_app(Settings(database_url=url, **settings), engine), base_url="http://news.test")


@pytest.fixture
def client(engine: Engine) -> Iterator[TestClient]:
    with _client(engine) as test_client:
        yield test_client


def caching_of(client: TestClient) -> HttpCaching:
    for route in client.app.routes:  # type: ignore[attr-defined]
        if getattr(route, "path", None) == "/graphql":
            caching: HttpCaching = route.endpoint.__self__.caching
            return caching
    raise AssertionError("no /graphql route")


def post(client: TestClient, query: str, variables: dict[str, Any], token: str | None = None) -> Any:
    headers = {"Accept": GRAPHQL_JSON}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)


def get(client: TestClient, query: str, variables: str, **headers: str) -> Any:
    params = {"query": query, "variables": variables}
    return client.get("/graphql", params=params, headers={"Accept": GRAPHQL_JSON, **headers})


def key_token(engine: Engine, *scopes: str) -> str:
    with write_engine(engine).begin() as conn:
        return create_key(conn, "cache test", scopes).token


# --- the cache itself -------------------------------------------------------------------------------


def _answer(size: int) -> CachedAnswer:
    return CachedAnswer(b"x" * size, 200, "application/json", etag_for(b"x" * size))


def test_cache_drops_least_recently_used_answers_beyond_its_size() -> None:
    cache = ResponseCache(max_bytes=3 * (1000 + 400))
    for name in ("a", "b", "c"):
        cache.put((name,), 1, _answer(1000))
    assert cache.get(("a",), 1) is not None  # a is now the most recently used
    cache.put(("d",), 1, _answer(1000))
    assert len(cache) == 3 and cache.size <= cache.max_bytes
    assert cache.get(("b",), 1) is None
    assert cache.get(("a",), 1) is not None and cache.get(("d",), 1) is not None
    cache.put(("huge",), 1, _answer(10_000))
    assert cache.get(("huge",), 1) is None


def test_a_new_content_version_empties_the_cache_and_older_answers_are_not_kept() -> None:
    cache = ResponseCache(max_bytes=1_000_000)
    cache.put(("q",), 1, _answer(10))
    assert cache.get(("q",), 2) is None
    assert len(cache) == 0 and cache.size == 0
    cache.put(("q",), 1, _answer(10))  # ran against version 1, finished after version 2 was seen
    assert cache.get(("q",), 2) is None
    cache.put(("q",), 2, _answer(10))
    assert cache.get(("q",), 2) is not None


def test_if_none_match_uses_the_weak_comparison() -> None:
    tag = etag_for(b"{}")
    assert none_match(tag, tag)
    strong = tag.removeprefix("W/")
    assert tag.startswith('W/"') and none_match(f'"other", {strong}', tag)
    assert none_match("*", tag)
    assert not none_match('"other"', tag)
    assert not none_match(None, tag)
    assert not none_match("", tag)
    assert etag_for(b"{}") != etag_for(b"{ }")


def test_operation_type_reads_the_document() -> None:
    assert operation_type("{ tags { slug } }", None).value == "query"  # type: ignore[union-attr]
    assert operation_type("mutation M { x } query Q { y }", "M").value == "mutation"  # type: ignore[union-attr]
    assert operation_type("mutation M { x } query Q { y }", None) is None
    assert operation_type("{ broken", None) is None


# --- over HTTP --------------------------------------------------------------------------------------


def test_repeated_anonymous_queries_are_answered_from_the_cache(client: TestClient, site: Site) -> None:
    caching = caching_of(client)
    first = post(client, POST, {"slug": "winter-appeal"})
    assert first.json()["data"]["post"]["title"] == "Winter appeal"
    hits = caching.cache.hits
    again = post(client, POST, {"slug": "winter-appeal"})
    assert caching.cache.hits == hits + 1
    assert again.content == first.content
    assert again.headers["content-type"] == first.headers["content-type"]
    # Other variables, another media type: other answers.
    other = post(client, POST, {"slug": "new-trustees"})
    assert other.json()["data"]["post"]["slug"] == "new-trustees"
    legacy = client.post("/graphql", json={"query": POST, "variables": {"slug": "winter-appeal"}})
    assert legacy.headers["content-type"].startswith("application/json")
    assert caching.cache.hits == hits + 1
    assert len(caching.cache) == 3


def test_get_answers_carry_an_etag_and_a_matching_if_none_match_gets_304(
    client: TestClient, site: Site
) -> None:
    variables = '{"slug": "winter-appeal"}'
    first = get(client, POST, variables)
    assert first.status_code == 200
    etag = first.headers["etag"]
    assert etag == etag_for(first.content)
    assert first.headers["cache-control"] == "public, max-age=0, must-revalidate"
    assert "Authorization" in first.headers["vary"]
    for _ in range(2):  # once answered from the run, once from the cache
        unchanged = get(client, POST, variables, **{"If-None-Match": etag})
        assert unchanged.status_code == 304
        assert unchanged.content == b""
        assert unchanged.headers["etag"] == etag
    changed = get(client, POST, variables, **{"If-None-Match": '"stale"'})
    assert changed.status_code == 200 and changed.content == first.content
    assert changed.headers["etag"] == etag


def test_cache_control_lifetimes_come_from_the_settings(engine: Engine, site: Site) -> None:
    with _client(engine, http_max_age=60, http_stale_while_revalidate=30) as client:
        answer = get(client, POST, '{"slug": "winter-appeal"}')
    assert answer.headers["cache-control"] == "public, max-age=60, stale-while-revalidate=30"


def test_failed_queries_are_neither_cached_nor_cacheable(client: TestClient, site: Site) -> None:
    caching = caching_of(client)
    query = "query($n: Int!) { posts(first: $n) { totalCount } }"
    for _ in range(2):
        answer = get(client, query, '{"n": 500}')
        assert answer.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
        assert answer.headers["cache-control"] == "private, no-store"
        assert "etag" not in answer.headers
    assert len(caching.cache) == 0


def test_api_key_holders_bypass_the_cache_and_drafts_never_reach_anonymous_callers(
    engine: Engine, client: TestClient, site: Site
) -> None:
    caching = caching_of(client)
    preview = key_token(engine, "read:drafts")
    draft = '{"slug": "draft-merger"}'
    for _ in range(2):
        seen = get(client, POST, draft, Authorization=f"Bearer {preview}")
        assert seen.json()["data"]["post"]["slug"] == "draft-merger"
        assert seen.headers["cache-control"] == "private, no-store"
        assert "etag" not in seen.headers
    assert len(caching.cache) == 0
    hidden = get(client, POST, draft)
    assert hidden.json()["data"] == {"post": None}
    seen = post(client, POST, {"slug": "draft-merger"}, preview)
    assert seen.json()["data"]["post"]["slug"] == "draft-merger"
    assert post(client, POST, {"slug": "draft-merger"}).json()["data"] == {"post": None}


def test_unpublishing_stops_cached_answers_at_once(engine: Engine, client: TestClient, site: Site) -> None:
    variables = '{"slug": "winter-appeal"}'
    before = get(client, POST, variables)
    assert before.json()["data"]["post"]["slug"] == "winter-appeal"
    assert get(client, POST, variables, **{"If-None-Match": before.headers["etag"]}).status_code == 304

    unpublish_post(engine, "winter-appeal")

    deadline = time.monotonic() + 1.0
    after = get(client, POST, variables, **{"If-None-Match": before.headers["etag"]})
    while after.status_code == 304 and time.monotonic() < deadline:
        after = get(client, POST, variables, **{"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200
    assert after.json()["data"] == {"post": None}
    assert post(client, POST, {"slug": "winter-appeal"}).json()["data"] == {"post": None}


def test_a_mutation_through_this_server_is_seen_by_its_next_request(
    engine: Engine, client: TestClient, site: Site
) -> None:
    caching = caching_of(client)
    caching.watch.max_age = 3600.0  # only the server's own write may make it read the version again
    publisher = key_token(engine, "publish")
    assert post(client, POST, {"slug": "new-trustees"}).json()["data"]["post"] is not None
    unpublish = "mutation($slug: String!) { unpublishPost(slug: $slug) { __typename } }"
    done = post(client, unpublish, {"slug": "new-trustees"}, publisher).json()
    assert done["data"]["unpublishPost"]["__typename"] == "UnpublishSuccess"
    assert post(client, POST, {"slug": "new-trustees"}).json()["data"] == {"post": None}


def test_without_a_response_cache_answers_still_carry_etags(engine: Engine, site: Site) -> None:
    with _client(engine, response_cache_mb=0) as client:
        first = get(client, POST, '{"slug": "winter-appeal"}')
        second = get(client, POST, '{"slug": "winter-appeal"}', **{"If-None-Match": first.headers["etag"]})
        assert second.status_code == 304
        assert len(caching_of(client).cache) == 0


# --- the version watch ------------------------------------------------------------------------------


def _bump(engine: Engine) -> int:
    with write_engine(engine).begin() as conn:
        return bump_content_version(conn)


def test_version_watch_reads_again_after_max_age_or_forget(engine: Engine) -> None:
    async def scenario() -> None:
        watch = ContentVersionWatch(engine, max_age=3600.0)
        try:
            start = await watch.current()
            assert start is not None
            _bump(engine)
            assert await watch.current() == start
            watch.forget()
            assert await watch.current() == start + 1
        finally:
            watch.close()

    asyncio.run(scenario())


def test_default_version_watch_sees_a_change_within_a_second(engine: Engine) -> None:
    async def scenario() -> None:
        watch = ContentVersionWatch(engine)
        try:
            assert watch.max_age < 1.0
            before = await watch.current()
            new = _bump(engine)
            with engine.connect() as conn:
                assert content_version(conn) == new
            deadline = time.monotonic() + 1.0
            while await watch.current() == before and time.monotonic() < deadline:
                await asyncio.sleep(0.02)
            assert await watch.current() == new
        finally:
            watch.close()

    asyncio.run(scenario())


def test_requests_seen_before_are_recognised_by_their_bytes(
    engine: Engine, client: TestClient, site: Site
) -> None:
    caching = caching_of(client)
    first = post(client, POST, {"slug": "winter-appeal"})
    again = post(client, POST, {"slug": "winter-appeal"})
    assert caching.known_hits == 1 and again.content == first.content
    # The same operation spelled differently is found by its key, not by its bytes.
    spelled = client.post(
        "/graphql",
        content=b' {"variables": {"slug": "winter-appeal"}, "query": "' + POST.encode() + b'"}',
        headers={"Content-Type": "application/json", "Accept": GRAPHQL_JSON},
    )
    assert spelled.content == first.content and caching.known_hits == 1
    # A batch is never answered from its bytes; API-key holders never from the cache.
    batch = [{"query": POST, "variables": {"slug": "winter-appeal"}}]
    for _ in range(2):
        client.post("/graphql", json=batch, headers={"Accept": GRAPHQL_JSON})
    preview = key_token(engine, "read:drafts")
    for _ in range(2):
        assert post(client, POST, {"slug": "winter-appeal"}, preview).status_code == 200
    assert caching.known_hits == 1
    get(client, POST, '{"slug": "winter-appeal"}')
    conditional = get(
        client, POST, '{"slug": "winter-appeal"}', **{"If-None-Match": first.headers.get("etag", '"x"')}
    )
    assert caching.known_hits == 2
    assert conditional.status_code == 200  # POST answers carry no ETag, so this one was not a match
    unpublish_post(engine, "winter-appeal")
    deadline = time.monotonic() + 1.0
    while post(client, POST, {"slug": "winter-appeal"}).json()["data"] != {"post": None}:
        assert time.monotonic() < deadline, "a remembered request still answered after a second"


def test_counts_are_kept_until_the_content_version_changes(engine: Engine, site: Site) -> None:
    def count(post_filter: PostFilter) -> int:
        with engine.connect() as conn:
            return count_posts(conn, PUBLIC, post_filter)

    everything = count(PostFilter())
    tagged = count(PostFilter(tag_slug="youth"))
    assert everything == len(site.published_newest_first)
    with write_engine(engine).begin() as conn:
        # A write that does not bump the version is not a content change the API knows about...
        conn.execute(posts.update().where(posts.c.slug == "winter-appeal").values(status="draft"))
    assert count(PostFilter()) == everything
    with write_engine(engine).begin() as conn:
        bump_content_version(conn)
    # ...and every count is taken again once the version moves.
    assert count(PostFilter()) == everything - 1
    assert count(PostFilter(tag_slug="youth")) <= tagged
    assert count(PostFilter(tag_slug="no-such-tag")) == 0


def test_a_persisted_query_hash_over_get_is_cacheable_by_url(client: TestClient, site: Site) -> None:
    caching = caching_of(client)
    digest = hashlib.sha256(POST.encode()).hexdigest()
    extensions = json.dumps({"persistedQuery": {"version": 1, "sha256Hash": digest}})
    variables = json.dumps({"slug": "winter-appeal"})
    registered = client.post(
        "/graphql",
        json={"query": POST, "variables": {"slug": "winter-appeal"}, "extensions": json.loads(extensions)},
        headers={"Accept": GRAPHQL_JSON},
    )
    assert registered.json()["data"]["post"]["slug"] == "winter-appeal"

    def by_hash(**headers: str) -> Any:
        params = {"variables": variables, "extensions": extensions}
        return client.get("/graphql", params=params, headers={"Accept": GRAPHQL_JSON, **headers})

    first = by_hash()
    assert first.status_code == 200 and first.content == registered.content
    assert first.headers["cache-control"].startswith("public")
    known = caching.known_hits
    again = by_hash(**{"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert caching.known_hits == known + 1


def test_cached_answers_are_sent_gzipped_to_clients_that_accept_it(client: TestClient, site: Site) -> None:
    query = "{ posts(first: 20) { edges { cursor node { id slug title summary bodyHtml publishedAt } } } }"
    identity = get(client, query, "{}", **{"Accept-Encoding": "identity"})
    assert len(identity.content) >= 1000 and "content-encoding" not in identity.headers
    for _ in range(2):  # the fresh answer, then the cached one
        zipped = client.get(
            "/graphql",
            params={"query": query, "variables": "{}"},
            headers={"Accept": GRAPHQL_JSON, "Accept-Encoding": "gzip"},
        )
        assert zipped.headers["content-encoding"] == "gzip"
        assert int(zipped.headers["content-length"]) < len(identity.content)
        assert zipped.content == identity.content  # decoded by the client
        assert zipped.headers["etag"] == identity.headers["etag"]
        assert "Accept-Encoding" in zipped.headers["vary"]


def test_the_front_answers_known_requests_and_hands_other_bodies_on_intact(
    client: TestClient, site: Site
) -> None:
    caching = caching_of(client)
    endpoint_runs = 0
    lookup = caching.lookup

    async def counting_lookup(*args: Any, **kwargs: Any) -> Any:
        nonlocal endpoint_runs
        endpoint_runs += 1
        return await lookup(*args, **kwargs)

    caching.lookup = counting_lookup  # type: ignore[method-assign]
    bodies = [{"query": POST, "variables": {"slug": slug}} for slug in ("winter-appeal", "new-trustees")]
    for body in bodies * 3:
        answer = client.post("/graphql", json=body, headers={"Accept": GRAPHQL_JSON})
        assert answer.json()["data"]["post"]["slug"] == body["variables"]["slug"]  # type: ignore[index]
    # Each body reached the endpoint once; the front answered the repeats.
    assert endpoint_runs == 2
    assert caching.known_hits == 4
    # A body split over several messages, as a slow client sends it, is read whole and handed on.
    split = client.post(
        "/graphql",
        content=iter([b'{"query": "{ tags { slug } }"', b', "variables": {}}']),
        headers={"Accept": GRAPHQL_JSON, "Content-Type": "application/json", "Content-Length": "47"},
    )
    assert split.status_code == 200 and "tags" in split.json()["data"]
    assert endpoint_runs == 3


def test_cache_settings_come_from_the_environment_and_bad_values_are_refused() -> None:
    env = {
        "CONTENT_API_DATABASE_URL": "sqlite:///x.db",
        "CONTENT_API_RESPONSE_CACHE_MB": "0",
        "CONTENT_API_HTTP_MAX_AGE": "30",
        "CONTENT_API_HTTP_STALE_WHILE_REVALIDATE": "600",
    }
    settings = Settings.from_env(env)
    assert (settings.response_cache_mb, settings.http_max_age, settings.http_stale_while_revalidate) == (
        0,
        30,
        600,
    )
    assert Settings.from_env(settings.to_env()) == settings
    defaults = Settings.from_env({"CONTENT_API_DATABASE_URL": "sqlite:///x.db"})
    assert (defaults.response_cache_mb, defaults.http_max_age, defaults.http_stale_while_revalidate) == (
        64,
        0,
        0,
    )
    with pytest.raises(SettingsError, match="CONTENT_API_RESPONSE_CACHE_MB must be a whole number of MiB"):
        Settings.from_env({**env, "CONTENT_API_RESPONSE_CACHE_MB": "lots"})
    with pytest.raises(SettingsError, match="CONTENT_API_HTTP_MAX_AGE must be a whole number of seconds"):
        Settings.from_env({**env, "CONTENT_API_HTTP_MAX_AGE": "-1"})


def test_a_batch_of_cached_answers_is_one_json_array_also_for_gzip_clients(
    client: TestClient, site: Site
) -> None:
    query = "{ posts(first: 20) { edges { cursor node { id slug title summary bodyHtml publishedAt } } } }"
    batch = [{"query": query}, {"query": POST, "variables": {"slug": "winter-appeal"}}]
    headers = {"Accept": GRAPHQL_JSON, "Accept-Encoding": "gzip"}
    single = client.post("/graphql", json=batch[0], headers=headers)  # stored, gzipped form included
    assert single.headers["content-encoding"] == "gzip"
    for _ in range(2):
        answer = client.post("/graphql", json=batch, headers=headers)
        parts = answer.json()
        assert [part["data"] is not None for part in parts] == [True, True]
        assert parts[0] == single.json()
