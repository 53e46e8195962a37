"""End to end over HTTP, on both databases: a draft with an image without alt is blocked with that
finding; once the alt is fixed it publishes, anonymous readers see it, and a webhook receiver on
loopback gets a payload whose signature verifies."""

from __future__ import annotations

import json
import time
from pathlib import Path

from sqlalchemy import Engine

from content_api.services.webhooks import SIGNATURE_HEADER, verify
from content_api.store.db import write_engine
from content_api.store.webhooks import add_endpoint
from tests.content_api.publishing_helpers import (
    GOOD_BODY,
    NO_ALT_BODY,
    POST,
    PUBLISH,
    UPDATE,
    api,
    create_post,
    gql,
    receiver,
    seed,
    token,
)

SECRET = "shared-secret-for-the-front-end"

AUDIT = """query($slug: String!) {
  post(slug: $slug) { status audit { passed errors trigger postVersion findings { rule severity line } } }
}"""

DELIVERIES = "{ webhookDeliveries(first: 10) { event status attempts lastStatusCode url } }"


def test_blocked_then_fixed_then_public_with_a_signed_webhook(engine: Engine, tmp_path: Path):
    seed(engine, tmp_path / "site")
    editor = token(engine, "write", "publish", "read:drafts")
    admin = token(engine, "admin")
    with receiver() as hook, api(engine) as client:
        with write_engine(engine).begin() as conn:
            add_endpoint(conn, hook.url, SECRET)

        created = create_post(client, editor, slug="garden-opens", bodySource=NO_ALT_BODY)
        assert created["__typename"] == "PostSaved"
        assert created["post"] == {"slug": "garden-opens", "status": "DRAFT", "version": 1}
        assert gql(client, POST, {"slug": "garden-opens"})["data"]["post"] is None

        blocked = gql(client, PUBLISH, {"slug": "garden-opens"}, editor)["data"]["publishPost"]
        assert blocked["__typename"] == "PublishBlocked"
        assert [error["rule"] for error in blocked["errors"]] == ["ALT001"]
        assert "alt" in blocked["errors"][0]["message"].lower()
        assert blocked["audit"] == {"passed": False, "errors": 1}
        # The blocked attempt is stored for the editor, and the post is still a draft nobody else sees.
        audit = gql(client, AUDIT, {"slug": "garden-opens"}, editor)["data"]["post"]
        assert audit["status"] == "DRAFT"
        assert audit["audit"]["passed"] is False
        assert audit["audit"]["trigger"] == "publish"
        assert [(f["rule"], f["severity"]) for f in audit["audit"]["findings"]] == [("ALT001", "ERROR")]
        assert gql(client, POST, {"slug": "garden-opens"})["data"]["post"] is None

        fixed = gql(
            client, UPDATE, {"input": {"slug": "garden-opens", "version": 1, "bodySource": GOOD_BODY}}, editor
        )["data"]["updatePost"]
        assert fixed["__typename"] == "PostSaved"
        assert fixed["version"] == 2
        assert 'alt="Raised beds full of lettuces beside the shed"' in fixed["post"]["bodyHtml"]

        published = gql(client, PUBLISH, {"slug": "garden-opens", "version": 2}, editor)["data"][
            "publishPost"
        ]
        assert published["__typename"] == "PublishSuccess"
        assert published["post"] == {"slug": "garden-opens", "status": "PUBLISHED"}
        assert published["audit"]["passed"] is True
        assert published["version"] == 3

        public = gql(client, POST, {"slug": "garden-opens"})["data"]["post"]
        assert public == {
            "slug": "garden-opens",
            "title": "Garden opens",
            "status": "PUBLISHED",
            "version": 3,
        }
        listed = gql(client, "{ posts { totalCount edges { node { slug } } } }")["data"]["posts"]
        assert listed["totalCount"] == 1

        received = hook.wait_for(1)
        assert len(received) == 1
        delivery = received[0]
        assert verify(SECRET, delivery.headers[SIGNATURE_HEADER], delivery.body, now=int(time.time()))
        assert not verify(
            "another secret", delivery.headers[SIGNATURE_HEADER], delivery.body, now=int(time.time())
        )
        payload = json.loads(delivery.body)
        assert payload["event"] == "post.published"
        assert payload["post"]["slug"] == "garden-opens"
        assert payload["post"]["status"] == "published"

        # The admin can read the delivery log; an editor cannot.
        log = gql(client, DELIVERIES, key=admin)
        deadline = time.monotonic() + 10
        while log["data"]["webhookDeliveries"][0]["status"] != "delivered" and time.monotonic() < deadline:
            time.sleep(0.05)
            log = gql(client, DELIVERIES, key=admin)
        assert log["data"]["webhookDeliveries"] == [
            {
                "event": "post.published",
                "status": "delivered",
                "attempts": 1,
                "lastStatusCode": 200,
                "url": hook.url,
            }
        ]
        denied = gql(client, DELIVERIES, key=editor)
        assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"
