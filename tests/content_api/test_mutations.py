"""Mutations over HTTP on both databases: optimistic concurrency, named invalid fields, permissions
that reveal nothing, soft delete, people and consent, and the bookkeeping every change does."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from content_api.services import publishing
from content_api.store.db import write_engine
from content_api.store.tables import audit_reports, posts, webhook_deliveries
from content_api.store.writes import PostFields, find_post, update_post
from tests.content_api.publishing_helpers import (
    CREATE,
    GOOD_BODY,
    NO_ALT_BODY,
    POST,
    PUBLISH,
    UPDATE,
    api,
    count,
    create_post,
    gql,
    registered_receiver,
    seed,
    token,
    version_of_store,
)


@pytest.fixture
def site(engine: Engine, tmp_path: Path) -> Engine:
    seed(engine, tmp_path / "site")
    return engine


def test_two_updates_from_the_same_version_one_wins_the_other_conflicts(site: Engine):
    editor = token(site, "write", "read:drafts")
    with api(site) as client:
        create_post(client, editor, slug="news")
        first = {"slug": "news", "version": 1, "title": "Garden opens on Saturday"}
        second = {"slug": "news", "version": 1, "summary": "Tools to lend, gloves to bring."}
        won = gql(client, UPDATE, {"input": first}, editor)["data"]["updatePost"]
        lost = gql(client, UPDATE, {"input": second}, editor)["data"]["updatePost"]
        assert won["__typename"] == "PostSaved"
        assert won["version"] == 2
        assert lost["__typename"] == "Conflict"
        assert lost["currentVersion"] == 2
        # The conflict hands back the winning state, so the loser can merge: nothing is lost.
        assert lost["current"]["title"] == "Garden opens on Saturday"
        assert lost["current"]["version"] == 2
        with site.connect() as conn:
            row = conn.execute(select(posts.c.title, posts.c.summary, posts.c.version)).one()
        assert tuple(row) == ("Garden opens on Saturday", None, 2)
        merged = gql(client, UPDATE, {"input": second | {"version": 2}}, editor)["data"]["updatePost"]
        assert merged["__typename"] == "PostSaved"
        with site.connect() as conn:
            row = conn.execute(select(posts.c.title, posts.c.summary, posts.c.version)).one()
        assert tuple(row) == ("Garden opens on Saturday", "Tools to lend, gloves to bring.", 3)


def test_concurrent_updates_from_one_version_never_both_win(site: Engine):
    with api(site) as client:
        create_post(client, token(site, "write"), slug="race")

    def attempt(title: str) -> object:
        with write_engine(site).begin() as conn:
            post = find_post(conn, slug="race")
            assert post is not None
            return update_post(conn, post, 1, PostFields(title=title))

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(attempt, [f"Title {n}" for n in range(4)]))
    winners = [n for n, outcome in enumerate(outcomes) if outcome == 2]
    assert len(winners) == 1
    with site.connect() as conn:
        row = conn.execute(select(posts.c.title, posts.c.version)).one()
    assert tuple(row) == (f"Title {winners[0]}", 2)


def test_invalid_fields_are_named_and_nothing_is_written(site: Engine):
    editor = token(site, "write")
    with api(site) as client:
        result = gql(
            client,
            CREATE,
            {
                "input": {
                    "title": "  ",
                    "bodySource": "Hello ![x](/images/nowhere.png)",
                    "slug": "Not A Slug",
                    "lang": "english please",
                    "authors": ["nobody"],
                    "featureImage": {"path": "/images/missing.png", "alt": "x"},
                }
            },
            editor,
        )["data"]["createPost"]
        assert result["__typename"] == "InvalidInput"
        fields = {problem["field"] for problem in result["problems"]}
        assert fields == {"title", "slug", "lang", "authors", "featureImage.path"}
        assert count(site, posts) == 0
        # A body naming an image the store does not hold is refused, naming the body.
        body = gql(
            client, CREATE, {"input": {"title": "Hi", "bodySource": "![a](/images/nowhere.png)"}}, editor
        )
        problems = body["data"]["createPost"]["problems"]
        assert problems == [{"field": "bodySource", "message": "missing image file 'images/nowhere.png'"}]
        assert count(site, posts) == 0


def test_permissions_reveal_nothing_about_posts(site: Engine):
    reader = token(site, "read:drafts")
    editor = token(site, "write", "publish")
    with api(site) as client:
        create_post(client, editor, slug="exists")
        answers = {}
        for slug in ("exists", "missing"):
            for who, key in (("anonymous", None), ("reader", reader)):
                result = gql(client, PUBLISH, {"slug": slug}, key)
                assert result["data"] is None
                error = result["errors"][0]
                answers[(slug, who)] = (error["extensions"]["code"], error["message"])
        assert answers[("exists", "anonymous")] == answers[("missing", "anonymous")]
        assert answers[("exists", "reader")] == answers[("missing", "reader")]
        assert answers[("exists", "anonymous")][0] == "UNAUTHENTICATED"
        assert answers[("exists", "reader")][0] == "FORBIDDEN"
        wrong = gql(client, PUBLISH, {"slug": "exists"}, "cak_0123456789abcdef_" + "x" * 43)
        assert wrong["_status"] == 401
        assert wrong["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        assert "data" not in wrong
        with site.connect() as conn:
            assert conn.execute(select(posts.c.status)).scalar_one() == "draft"


def test_not_found_for_a_key_with_the_scope(site: Engine):
    editor = token(site, "write", "publish")
    with api(site) as client:
        result = gql(client, PUBLISH, {"slug": "nothing-here"}, editor)["data"]["publishPost"]
        assert result == {"__typename": "NotFound", "message": "no post with slug 'nothing-here'"}


def test_soft_delete_hides_the_post_from_everyone_and_keeps_the_row(site: Engine):
    editor = token(site, "write", "publish", "read:drafts")
    with registered_receiver(site), api(site) as client:
        create_post(client, editor, slug="to-go")
        assert gql(client, PUBLISH, {"slug": "to-go"}, editor)["data"]["publishPost"]["__typename"] == (
            "PublishSuccess"
        )
        deleted = gql(client, 'mutation { deletePost(slug: "to-go") { __typename } }', key=editor)
        assert deleted["data"]["deletePost"] == {"__typename": "DeleteSuccess"}
        assert gql(client, POST, {"slug": "to-go"})["data"]["post"] is None
        assert gql(client, POST, {"slug": "to-go"}, editor)["data"]["post"] is None
        again = gql(client, 'mutation { deletePost(slug: "to-go") { __typename } }', key=editor)
        assert again["data"]["deletePost"] == {"__typename": "NotFound"}
    with site.connect() as conn:
        row = conn.execute(select(posts.c.slug, posts.c.deleted_at)).one()
        events = [event for (event,) in conn.execute(select(webhook_deliveries.c.event))]
    assert row.slug == "to-go"
    assert row.deleted_at is not None
    assert sorted(events) == ["post.published", "post.unpublished"]


def test_people_and_consent(site: Engine):
    editor = token(site, "write")
    create = """mutation($input: PersonInput!) { createPerson(input: $input) {
      __typename ... on PersonSaved { person { slug name pronouns role } }
      ... on InvalidInput { problems { field } } } }"""
    update = """mutation($input: UpdatePersonInput!) { updatePerson(input: $input) {
      __typename ... on PersonSaved { person { slug pronouns } } ... on NotFound { message } } }"""
    with api(site) as client:
        made = gql(
            client, create, {"input": {"name": "Kai Rivers", "pronouns": "xe/xem", "role": "Cook"}}, editor
        )
        assert made["data"]["createPerson"]["person"] == {
            "slug": "kai-rivers",
            "name": "Kai Rivers",
            "pronouns": None,
            "role": "Cook",
        }
        consented = gql(client, update, {"input": {"slug": "kai-rivers", "showPronouns": True}}, editor)
        assert consented["data"]["updatePerson"]["person"] == {"slug": "kai-rivers", "pronouns": "xe/xem"}
        twice = gql(client, create, {"input": {"name": "Kai Rivers"}}, editor)["data"]["createPerson"]
        assert twice == {"__typename": "InvalidInput", "problems": [{"field": "slug"}]}
        missing = gql(client, update, {"input": {"slug": "nobody", "role": "x"}}, editor)["data"][
            "updatePerson"
        ]
        assert missing["__typename"] == "NotFound"


def test_every_change_bumps_the_content_version_and_refreshes_related(
    site: Engine, monkeypatch: pytest.MonkeyPatch
):
    calls: list[list[int] | None] = []
    real = publishing.refresh_related

    def spy(conn, changed_post_ids=None):
        calls.append(None if changed_post_ids is None else sorted(changed_post_ids))
        return real(conn, changed_post_ids)

    monkeypatch.setattr(publishing, "refresh_related", spy)
    editor = token(site, "write", "publish")
    with api(site) as client:
        start = version_of_store(site)
        create_post(client, editor, slug="counted")
        assert version_of_store(site) == start + 1
        gql(client, UPDATE, {"input": {"slug": "counted", "version": 1, "title": "Counted"}}, editor)
        assert version_of_store(site) == start + 2
        gql(client, PUBLISH, {"slug": "counted"}, editor)
        assert version_of_store(site) == start + 3
        gql(client, 'mutation { unpublishPost(slug: "counted") { __typename } }', key=editor)
        assert version_of_store(site) == start + 4
    with site.connect() as conn:
        post_id = conn.execute(select(posts.c.id)).scalar_one()
    assert calls == [[post_id]] * 4
    assert count(site, audit_reports) == 1


def test_audit_draft_reports_without_saving(site: Engine):
    reader = token(site, "read:drafts")
    query = """query($input: PostInput!) { auditDraft(input: $input) {
      __typename ... on AuditReport { passed errors findings { rule severity } auditedAt } } }"""
    with api(site) as client:
        good = gql(client, query, {"input": {"title": "T", "bodySource": GOOD_BODY, "lang": "en-GB"}}, reader)
        assert good["data"]["auditDraft"] == {
            "__typename": "AuditReport",
            "passed": True,
            "errors": 0,
            "findings": [],
            "auditedAt": None,
        }
        no_alt = gql(
            client, query, {"input": {"title": "T", "bodySource": NO_ALT_BODY, "lang": "en"}}, reader
        )
        report = no_alt["data"]["auditDraft"]
        assert report["passed"] is False
        assert report["findings"] == [{"rule": "ALT001", "severity": "ERROR"}]
        assert (
            gql(client, query, {"input": {"title": "T", "bodySource": "x"}})["errors"][0]["extensions"][
                "code"
            ]
            == "UNAUTHENTICATED"
        )
    assert count(site, posts) == 0
    assert count(site, audit_reports) == 0


def test_a_new_alias_links_the_posts_that_use_it(site: Engine):
    editor = token(site, "write", "read:drafts")
    people_of = 'query { post(slug: "cook") { people { slug } } }'
    update = """mutation($input: UpdatePersonInput!) { updatePerson(input: $input) { __typename } }"""
    with api(site) as client:
        create_post(client, editor, slug="cook", bodySource=GOOD_BODY + "\nThe soup is by Chef Okafor.\n")
        assert gql(client, people_of, key=editor)["data"]["post"]["people"] == []
        gql(client, update, {"input": {"slug": "sam-okafor", "aliases": ["Chef Okafor"]}}, editor)
        assert gql(client, people_of, key=editor)["data"]["post"]["people"] == [{"slug": "sam-okafor"}]
