"""Webhooks on both databases: signatures, retries with backoff, the delivery log, claims that stop two
workers sending twice, and a failing or slow receiver that never slows publishing."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from content_api.services import webhooks
from content_api.services.webhooks import MAX_ATTEMPTS, deliver_due, retry_delay, sign, verify
from content_api.store import webhooks as store
from content_api.store.db import write_engine
from content_api.store.tables import webhook_deliveries
from content_api.store.webhooks import Delivery
from tests.content_api.publishing_helpers import (
    PUBLISH,
    api,
    create_post,
    gql,
    registered_receiver,
    seed,
    token,
)


def test_signature_covers_timestamp_and_body():
    body = b'{"event":"post.published"}'
    header = sign("s3cret", 1_700_000_000, body)
    assert header.startswith("t=1700000000,v1=")
    assert verify("s3cret", header, body, now=1_700_000_100)
    assert not verify("s3cret", header, body + b" ", now=1_700_000_100)
    assert not verify("other", header, body, now=1_700_000_100)
    assert not verify("s3cret", header.replace("t=1700000000", "t=1700000001"), body, now=1_700_000_100)
    assert not verify("s3cret", header, body, now=1_700_000_000 + 3600)
    assert not verify("s3cret", "garbage", body, now=1_700_000_000)


def queue_one(engine: Engine, now: datetime) -> None:
    with write_engine(engine).begin() as conn:
        store.add_endpoint(conn, "http://127.0.0.1:9/hook", "s")
        store.enqueue(conn, "post.published", '{"event":"post.published"}', now)


def test_retries_back_off_then_give_up(engine: Engine):
    start = datetime(2030, 1, 1, tzinfo=UTC)
    queue_one(engine, start)
    calls: list[int] = []

    def failing(delivery: Delivery, timestamp: int) -> tuple[int | None, str | None]:
        calls.append(timestamp)
        return 503, "receiver answered 503"

    moment = start
    waits = []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert deliver_due(engine, now=lambda m=moment: m, send=failing) == 1
        assert deliver_due(engine, now=lambda m=moment: m, send=failing) == 0  # not due again yet
        with engine.connect() as conn:
            row = conn.execute(select(webhook_deliveries)).one()._mapping
        assert row["attempts"] == attempt
        assert row["last_status_code"] == 503
        if attempt < MAX_ATTEMPTS:
            assert row["status"] == "pending"
            waits.append(row["next_attempt_at"] - moment)
            moment = row["next_attempt_at"]
    assert row["status"] == "failed"
    assert waits == [retry_delay(n) for n in range(1, MAX_ATTEMPTS)]
    assert waits[1] == 2 * waits[0] and waits[2] == 2 * waits[1]
    assert len(calls) == MAX_ATTEMPTS
    assert deliver_due(engine, now=lambda: moment + timedelta(days=1), send=failing) == 0


def test_a_claimed_delivery_is_not_sent_twice(engine: Engine):
    now = datetime(2030, 1, 1, tzinfo=UTC)
    queue_one(engine, now)
    with write_engine(engine).begin() as conn:
        first = store.claim_due(conn, now, timedelta(seconds=30))
    with write_engine(engine).begin() as conn:
        second = store.claim_due(conn, now + timedelta(seconds=5), timedelta(seconds=30))
    assert len(first) == 1 and second == []
    # A worker that died holding it loses the claim when the hold runs out.
    with write_engine(engine).begin() as conn:
        assert len(store.claim_due(conn, now + timedelta(seconds=31), timedelta(seconds=30))) == 1


def test_a_slow_failing_receiver_never_slows_publishing(engine: Engine, tmp_path: Path):
    seed(engine, tmp_path / "site")
    editor = token(engine, "write", "publish")
    admin = token(engine, "admin")
    with registered_receiver(engine, status=500, delay=3.0) as hook, api(engine) as client:
        create_post(client, editor, slug="quick")
        started = time.monotonic()
        result = gql(client, PUBLISH, {"slug": "quick"}, editor)["data"]["publishPost"]
        elapsed = time.monotonic() - started
        assert result["__typename"] == "PublishSuccess"
        assert elapsed < 2.0, f"publishing waited {elapsed:.1f}s for the receiver"
        received = hook.wait_for(1, timeout=10)
        assert json.loads(received[0].body)["post"]["slug"] == "quick"
        deadline = time.monotonic() + 10
        log: list[dict[str, object]] = []
        while time.monotonic() < deadline:
            log = gql(
                client, "{ webhookDeliveries { status attempts lastStatusCode lastError } }", key=admin
            )["data"]["webhookDeliveries"]
            if log and log[0]["attempts"] == 1:
                break
            time.sleep(0.1)
        assert log == [
            {"status": "pending", "attempts": 1, "lastStatusCode": 500, "lastError": "receiver answered 500"}
        ]


def test_unreachable_receiver_is_logged(engine: Engine):
    now = datetime.now(UTC)
    queue_one(engine, now)
    assert deliver_due(engine) == 1
    with engine.connect() as conn:
        row = conn.execute(select(webhook_deliveries)).one()._mapping
    assert row["status"] == "pending"
    assert row["last_status_code"] is None
    assert row["last_error"].startswith("cannot reach the receiver")


def test_removed_endpoints_get_nothing_new(engine: Engine, monkeypatch: pytest.MonkeyPatch):
    with write_engine(engine).begin() as conn:
        endpoint = store.add_endpoint(conn, "http://127.0.0.1:9/a", "s")
        assert store.remove_endpoint(conn, endpoint.id)
        assert store.enqueue(conn, "post.updated", "{}") == 0
        assert not store.remove_endpoint(conn, endpoint.id + 100)
    assert webhooks.EVENTS == ("post.published", "post.updated", "post.unpublished")


def test_events_follow_what_the_public_sees(engine: Engine, tmp_path: Path):
    seed(engine, tmp_path / "site")
    editor = token(engine, "write", "publish")
    update = """mutation($v: Int!) { updatePost(input: {slug: "ev", version: $v, title: "New title"}) {
      __typename ... on PostSaved { version } } }"""

    def events() -> list[str]:
        with engine.connect() as conn:
            return [
                e
                for (e,) in conn.execute(select(webhook_deliveries.c.event).order_by(webhook_deliveries.c.id))
            ]

    with registered_receiver(engine) as hook, api(engine) as client:
        create_post(client, editor, slug="ev")
        gql(client, update, {"v": 1}, editor)
        assert events() == []  # a draft's edits are nobody's business yet
        assert gql(client, PUBLISH, {"slug": "ev"}, editor)["data"]["publishPost"]["version"] == 3
        gql(client, update, {"v": 3}, editor)
        gql(client, 'mutation { unpublishPost(slug: "ev") { __typename } }', key=editor)
        assert events() == ["post.published", "post.updated", "post.unpublished"]
        received = hook.wait_for(3)
        assert [json.loads(r.body)["event"] for r in received] == events()
        assert json.loads(received[1].body)["post"]["title"] == "New title"
