"""The content-folder flow through the CLI, on both databases: `import` publishes only what passes the
audit, `publish SLUG` and `audit` work on the store, and webhooks are queued for what went live."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from content_api.cli import main
from content_api.store.tables import audit_reports, posts, webhook_deliveries
from tests.content_api.publishing_helpers import (
    GOOD_ALT,
    GOOD_BODY,
    NO_ALT_BODY,
    api,
    gql,
    registered_receiver,
    write_site,
)

FRONT = """---
title: {title}
slug: {slug}
date: 2026-03-0{day}
status: {status}
lang: en-GB
authors: [ana-lima]
---
"""


def write_post(folder: Path, slug: str, body: str, *, status: str = "published", day: int = 1) -> Path:
    path = folder / "posts" / f"{slug}.md"
    path.write_text(
        FRONT.format(title=slug.replace("-", " ").title(), slug=slug, day=day, status=status) + body
    )
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = write_site(tmp_path / "content")
    write_post(root, "garden-opens", GOOD_BODY, day=1)
    write_post(root, "seed-swap", GOOD_BODY.replace("garden opens", "seed swap starts"), day=2)
    write_post(root, "no-alt", NO_ALT_BODY, day=3)
    write_post(root, "still-a-draft", NO_ALT_BODY, status="draft", day=4)
    return root


def statuses(engine: Engine) -> dict[str, str]:
    with engine.connect() as conn:
        return dict(conn.execute(select(posts.c.slug, posts.c.status)).all())


VISIBLE = "{ posts { totalCount edges { node { slug } } } }"


def public_slugs(engine: Engine) -> list[str]:
    """The slugs an anonymous reader reaches, checked by list and by slug."""
    with api(engine) as client:
        found = gql(client, VISIBLE)["data"]["posts"]
        listed = sorted(edge["node"]["slug"] for edge in found["edges"])
        assert found["totalCount"] == len(listed)
        for slug in ("garden-opens", "seed-swap", "no-alt", "still-a-draft"):
            post = gql(client, "query($s: String!) { post(slug: $s) { slug } }", {"s": slug})["data"]["post"]
            assert (post is not None) == (slug in listed)
    return listed


def test_import_holds_back_a_failing_post_then_publishes_it_once_fixed(
    folder: Path, engine: Engine, database_url: str, capsys: pytest.CaptureFixture[str]
):
    with registered_receiver(engine):
        assert main(["import", str(folder), "--database-url", database_url]) == 1
    out, err = capsys.readouterr()
    assert out.startswith("imported 4 posts (4 new, 0 updated, 0 unchanged), 2 people, 0 tags, 1 images;")
    assert "2 published post(s) passed the audit" in out
    err_lines = err.splitlines()
    assert err_lines[0].startswith("held back 1 post(s) marked published")
    assert len(err_lines) == 2
    assert err_lines[1].startswith("posts/no-alt.md:")
    assert ": error ALT001 " in err_lines[1]
    assert statuses(engine) == {
        "garden-opens": "published",
        "seed-swap": "published",
        "no-alt": "draft",
        "still-a-draft": "draft",
    }
    assert public_slugs(engine) == ["garden-opens", "seed-swap"]
    with engine.connect() as conn:
        events = sorted(event for (event,) in conn.execute(select(webhook_deliveries.c.event)))
        reports = conn.execute(select(audit_reports.c.trigger, audit_reports.c.passed)).all()
    assert events == ["post.published", "post.published"]
    assert sorted(tuple(r) for r in reports) == [("import", False), ("import", True), ("import", True)]

    write_post(folder, "no-alt", NO_ALT_BODY.replace("![]", f"![{GOOD_ALT}]"), day=3)
    assert main(["import", str(folder), "--database-url", database_url]) == 0
    out = capsys.readouterr().out
    assert "(0 new, 1 updated, 3 unchanged)" in out
    assert statuses(engine)["no-alt"] == "published"
    assert public_slugs(engine) == ["garden-opens", "no-alt", "seed-swap"]


def test_a_live_post_broken_by_an_edit_is_taken_down_on_import(
    folder: Path, engine: Engine, database_url: str
):
    assert main(["import", str(folder), "--database-url", database_url]) == 1
    write_post(folder, "garden-opens", NO_ALT_BODY, day=1)
    with registered_receiver(engine):
        assert main(["import", str(folder), "--database-url", database_url]) == 1
    assert statuses(engine)["garden-opens"] == "draft"
    with engine.connect() as conn:
        assert [e for (e,) in conn.execute(select(webhook_deliveries.c.event))] == ["post.unpublished"]


def test_the_folders_config_applies(folder: Path, engine: Engine, database_url: str):
    (folder / ".a11y-audit.toml").write_text('ignore = ["ALT001"]\n', encoding="utf-8")
    assert main(["import", str(folder), "--database-url", database_url]) == 0
    assert statuses(engine)["no-alt"] == "published"


def test_publish_and_audit_commands(
    folder: Path, engine: Engine, database_url: str, capsys: pytest.CaptureFixture[str]
):
    main(["import", str(folder), "--database-url", database_url])
    capsys.readouterr()
    assert main(["publish", "no-alt", "--database-url", database_url]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "not published: no-alt has audit errors"
    assert err[1].startswith("posts/no-alt.md:") and "ALT001" in err[1]
    assert statuses(engine)["no-alt"] == "draft"

    assert main(["publish", "nothing", "--database-url", database_url]) == 2
    assert capsys.readouterr().err == "content-api: no post with slug 'nothing'\n"

    assert main(["audit", "garden-opens", "--database-url", database_url]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "garden-opens: 0 error(s), 0 warning(s), 0 info"
    assert main(["audit", "--all", "--database-url", database_url]) == 1
    out = capsys.readouterr().out
    assert "no-alt: 1 error(s)" in out and "still-a-draft: 1 error(s)" in out
    assert main(["audit", "--database-url", database_url]) == 2
    assert capsys.readouterr().err == "content-api: name posts to audit, or pass --all (not both)\n"

    write_post(folder, "no-alt", GOOD_BODY, status="draft", day=3)
    main(["import", str(folder), "--database-url", database_url])
    capsys.readouterr()
    assert main(["publish", "no-alt", "--database-url", database_url]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("no-alt: published (version ")
    assert statuses(engine)["no-alt"] == "published"


def test_a_bad_config_is_one_line_and_exit_2(
    folder: Path, engine: Engine, database_url: str, capsys: pytest.CaptureFixture[str]
):
    (folder / ".a11y-audit.toml").write_text("no-such-key = 1\n", encoding="utf-8")
    assert main(["import", str(folder), "--database-url", database_url]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1
    assert ".a11y-audit.toml" in err[0]
    assert statuses(engine) == {}


def test_publish_due_and_webhook_commands(
    folder: Path, engine: Engine, database_url: str, capsys: pytest.CaptureFixture[str]
):
    from datetime import UTC, datetime, timedelta

    from content_api.services import publishing
    from content_api.store.db import write_engine
    from tests.content_api.publishing_helpers import receiver

    main(["import", str(folder), "--database-url", database_url])
    with receiver() as hook:
        assert main(["webhooks", "add", hook.url, "--secret", "s3", "--database-url", database_url]) == 0
        assert main(["webhooks", "add", "ftp://nowhere", "--database-url", database_url]) == 2
        capsys.readouterr()
        soon = datetime.now(UTC) + timedelta(minutes=5)
        write_post(folder, "later", GOOD_BODY, status="draft", day=5)
        main(["import", str(folder), "--database-url", database_url])
        publishing.schedule_post(engine, "later", soon, publishing.site_config())
        with write_engine(engine).begin() as conn:  # its time has come
            conn.execute(
                posts.update().where(posts.c.slug == "later").values(scheduled_at=soon - timedelta(hours=1))
            )
        capsys.readouterr()
        assert main(["publish-due", "--database-url", database_url]) == 0
        assert capsys.readouterr().out == "published later\n"
        assert statuses(engine)["later"] == "published"
        # publish-due sent the webhook itself, for sites run from cron without a server.
        assert [r.headers["X-Content-Event"] for r in hook.received] == ["post.published"]
        assert main(["webhooks", "log", "--database-url", database_url]) == 0
        log = capsys.readouterr().out.splitlines()
        assert len(log) == 1 and "\tpost.published\t" in log[0] and "\tdelivered\t1\t200" in log[0]
        assert main(["webhooks", "list", "--database-url", database_url]) == 0
        assert capsys.readouterr().out == f"1\t{hook.url}\tactive\n"
        assert main(["webhooks", "remove", "1", "--database-url", database_url]) == 0
        assert main(["webhooks", "remove", "7", "--database-url", database_url]) == 2
