"""The publishing gate on both databases: atomic publishes, the site's config and people, stored
images, warnings that do not block, and scheduled publishing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from a11y_audit import load_config
from content_api.services import publishing
from content_api.store.db import write_engine
from content_api.store.tables import audit_reports, images, posts, webhook_deliveries
from content_api.store.writes import FeatureImageInput, PostFields, create_post
from tests.content_api.publishing_helpers import (
    GOOD_BODY,
    NO_ALT_BODY,
    PUBLISH,
    api,
    count,
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


def draft(engine: Engine, slug: str, body: str = GOOD_BODY, **fields: object) -> int:
    values: dict[str, object] = {"title": "Garden opens", "slug": slug, "body_source": body, "lang": "en-GB"}
    values.update(fields)
    with write_engine(engine).begin() as conn:
        return create_post(conn, PostFields(**values))  # type: ignore[arg-type]


def snapshot(engine: Engine) -> tuple[object, ...]:
    with engine.connect() as conn:
        row = conn.execute(select(posts.c.status, posts.c.version, posts.c.published_at)).one()
    return (
        tuple(row),
        version_of_store(engine),
        count(engine, audit_reports),
        count(engine, webhook_deliveries),
    )


def test_a_failure_in_the_middle_of_a_publish_leaves_the_store_as_it_was(
    site: Engine, monkeypatch: pytest.MonkeyPatch
):
    draft(site, "fragile")
    before = snapshot(site)
    assert before[0] == ("draft", 1, None)

    def broken(conn, changed_post_ids=None):
        # By now the status changed and the report and content version were written.
        assert conn.execute(select(posts.c.status)).scalar_one() == "published"
        raise RuntimeError("related news index unavailable")

    monkeypatch.setattr(publishing, "refresh_related", broken)
    publisher = token(site, "publish")
    with registered_receiver(site) as hook, api(site) as client:
        before = snapshot(site)
        result = gql(client, PUBLISH, {"slug": "fragile"}, publisher)
        assert result["data"] is None
        assert result["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
        assert "related" not in result["errors"][0]["message"]
        assert snapshot(site) == before
        assert hook.received == []
    monkeypatch.undo()
    with api(site) as client:
        ok = gql(client, PUBLISH, {"slug": "fragile"}, publisher)["data"]["publishPost"]
    assert ok["__typename"] == "PublishSuccess"


def test_blocked_publish_stores_only_the_report(site: Engine):
    draft(site, "blocked", NO_ALT_BODY)
    outcome = publishing.publish_post(site, "blocked", publishing.site_config())
    assert isinstance(outcome, publishing.Blocked)
    with site.connect() as conn:
        assert tuple(conn.execute(select(posts.c.status, posts.c.version)).one()) == ("draft", 1)
        stored = conn.execute(
            select(audit_reports.c.passed, audit_reports.c.errors, audit_reports.c.report)
        ).one()
    assert stored.passed is False
    assert stored.errors == 1
    assert stored.report["findings"][0]["rule"] == "ALT001"
    assert stored.report["path"] == "posts/blocked.md"


def test_the_sites_config_decides(site: Engine, tmp_path: Path):
    draft(site, "configured", NO_ALT_BODY)
    config_file = tmp_path / ".a11y-audit.toml"
    config_file.write_text('[severity]\n"ALT001" = "warning"\n', encoding="utf-8")
    outcome = publishing.publish_post(site, "configured", publishing.site_config(str(config_file)))
    assert isinstance(outcome, publishing.Published)
    assert [(f.rule, str(f.severity)) for f in outcome.report.findings] == [("ALT001", "warning")]


def test_pronouns_come_from_the_store_with_consent(site: Engine):
    # Sam has pronouns on record but did not consent to showing them: displaying them is an error.
    body = "Sam Okafor (they/them) joins the garden team this spring.\n\nSam will run the Tuesday sessions.\n"
    draft(site, "sam-joins", body)
    outcome = publishing.publish_post(site, "sam-joins", publishing.site_config())
    assert isinstance(outcome, publishing.Blocked)
    rules = [finding.rule for finding in outcome.report.findings if str(finding.severity) == "error"]
    assert rules == ["PRN001"]
    assert "they/them" not in outcome.report.findings[0].message
    # Ana consented: the same sentence about her publishes.
    draft(
        site, "ana-joins", body.replace("Sam Okafor (they/them)", "Ana Lima (she/her)").replace("Sam", "Ana")
    )
    assert isinstance(
        publishing.publish_post(site, "ana-joins", publishing.site_config()), publishing.Published
    )


def test_stored_images_are_audited(site: Engine):
    # The feature image is written out from the store: its alt is judged, and its file is there.
    draft(site, "feature", feature_image=FeatureImageInput(path="/images/garden.png", alt="garden.png"))
    outcome = publishing.publish_post(site, "feature", publishing.site_config())
    assert isinstance(outcome, publishing.Blocked)
    assert [(f.rule, f.message) for f in outcome.report.findings] == [
        ("ALT009", "Alt text is a file name, not a description")
    ]
    # The media checks read the stored bytes: damaged bytes in the store are caught.
    with write_engine(site).begin() as conn:
        conn.execute(images.update().where(images.c.path == "images/garden.png").values(data=b"damaged"))
    draft(site, "body-image")
    damaged = publishing.publish_post(site, "body-image", publishing.site_config())
    assert isinstance(damaged, publishing.Blocked)
    assert [f.rule for f in damaged.report.findings] == ["MED003"]


def test_warnings_do_not_block(site: Engine):
    long_sentence = " ".join(["word"] * 40) + "."
    draft(site, "wordy", GOOD_BODY + "\n" + long_sentence + "\n")
    outcome = publishing.publish_post(site, "wordy", publishing.site_config())
    assert isinstance(outcome, publishing.Published)
    assert outcome.report.findings
    assert all(str(finding.severity) != "error" for finding in outcome.report.findings)


def test_scheduled_posts_go_live_at_their_time_through_the_gate(site: Engine):
    now = datetime(2030, 5, 1, 9, 0, tzinfo=UTC)
    draft(site, "later")
    draft(site, "broken-later")
    config = publishing.site_config()
    scheduled = publishing.schedule_post(site, "later", now + timedelta(hours=1), config, now=now)
    assert isinstance(scheduled, publishing.Scheduled)
    # A post scheduled while it passed, then broken by an edit, is held back when its time comes.
    assert isinstance(
        publishing.schedule_post(site, "broken-later", now + timedelta(hours=1), config, now=now),
        publishing.Scheduled,
    )
    with write_engine(site).begin() as conn:
        conn.execute(posts.update().where(posts.c.slug == "broken-later").values(body_source=NO_ALT_BODY))
    assert publishing.publish_due(site, config, now=now + timedelta(minutes=59)) == []
    results = {r.slug: r.outcome for r in publishing.publish_due(site, config, now=now + timedelta(hours=1))}
    assert isinstance(results["later"], publishing.Published)
    assert isinstance(results["broken-later"], publishing.Blocked)
    with site.connect() as conn:
        states = dict(conn.execute(select(posts.c.slug, posts.c.status)).all())
        published_at = conn.execute(select(posts.c.published_at).where(posts.c.slug == "later")).scalar_one()
    assert states == {"later": "published", "broken-later": "draft"}
    assert published_at == now + timedelta(hours=1)
    assert publishing.publish_due(site, config, now=now + timedelta(hours=2)) == []


def test_scheduling_refuses_the_past_and_blocked_posts(site: Engine):
    now = datetime(2030, 5, 1, 9, 0, tzinfo=UTC)
    draft(site, "bad", NO_ALT_BODY)
    config = publishing.site_config()
    with pytest.raises(publishing.InvalidFields) as error:
        publishing.schedule_post(site, "bad", now - timedelta(minutes=1), config, now=now)
    assert error.value.problems == {"at": "must be in the future"}
    assert isinstance(
        publishing.schedule_post(site, "bad", now + timedelta(days=1), config, now=now), publishing.Blocked
    )
    with site.connect() as conn:
        assert conn.execute(select(posts.c.status)).scalar_one() == "draft"


def test_schedule_over_graphql(site: Engine):
    draft(site, "soon")
    publisher = token(site, "publish", "read:drafts")
    query = """mutation($at: DateTime!) { schedulePost(slug: "soon", at: $at) {
      __typename ... on ScheduleSuccess { scheduledAt post { status scheduledAt } } } }"""
    at = (datetime.now(UTC) + timedelta(days=2)).replace(microsecond=0)
    with api(site) as client:
        result = gql(client, query, {"at": at.isoformat()}, publisher)["data"]["schedulePost"]
    assert result["__typename"] == "ScheduleSuccess"
    assert result["post"]["status"] == "SCHEDULED"
    assert datetime.fromisoformat(result["post"]["scheduledAt"]) == at


def test_config_file_is_loaded_by_the_public_api(tmp_path: Path):
    config_file = tmp_path / ".a11y-audit.toml"
    config_file.write_text('ignore = ["readability"]\n', encoding="utf-8")
    assert publishing.site_config(str(config_file)).ignore == load_config(config_file).ignore


def test_a_live_post_that_now_fails_stays_as_it_is(site: Engine):
    draft(site, "live")
    assert isinstance(publishing.publish_post(site, "live", publishing.site_config()), publishing.Published)
    with write_engine(site).begin() as conn:
        conn.execute(posts.update().values(body_source=NO_ALT_BODY))
    editor = token(site, "publish")
    with api(site) as client:
        result = gql(client, PUBLISH, {"slug": "live"}, editor)["data"]["publishPost"]
    assert result["__typename"] == "PublishBlocked"
    assert result["message"].startswith("already published, unchanged;")
    with site.connect() as conn:
        assert tuple(conn.execute(select(posts.c.status, posts.c.version)).one()) == ("published", 2)


def test_per_path_ignores_match_the_posts_place_in_the_content_folder(site: Engine, tmp_path: Path):
    draft(site, "archived", NO_ALT_BODY)
    config_file = tmp_path / "pyproject.toml"
    config_file.write_text(
        '[tool.a11y-audit.per-path-ignores]\n"posts/arch*" = ["ALT001"]\n', encoding="utf-8"
    )
    config = publishing.site_config(str(config_file))
    assert isinstance(publishing.publish_post(site, "archived", config), publishing.Published)
    draft(site, "current", NO_ALT_BODY)
    assert isinstance(publishing.publish_post(site, "current", config), publishing.Blocked)
