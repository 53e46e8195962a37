"""Webhooks: signed JSON payloads about published content, sent from a background worker with retries.

A change queues its deliveries in its own transaction (`enqueue_post_event`); `Dispatcher` (a daemon
thread started by `content-api serve`) sends them afterwards, so a slow or failing receiver never holds
up a publish. Each attempt is logged; failures are retried with exponential backoff, up to
`MAX_ATTEMPTS`, after which the delivery is marked failed.

Signature: header `X-Content-Signature: t=<unix seconds>,v1=<hex>` where `<hex>` is
HMAC-SHA256(secret, f"{t}.{body}"). Receivers recompute it over the raw body and reject old timestamps.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import Connection, Engine

from content_api.store import webhooks as store
from content_api.store.db import write_engine
from content_api.store.webhooks import Delivery
from content_api.store.writes import PostState

logger = logging.getLogger("content_api.webhooks")

PUBLISHED = "post.published"
UPDATED = "post.updated"
UNPUBLISHED = "post.unpublished"
EVENTS = (PUBLISHED, UPDATED, UNPUBLISHED)

SIGNATURE_HEADER = "X-Content-Signature"
EVENT_HEADER = "X-Content-Event"
DELIVERY_HEADER = "X-Content-Delivery"
MAX_ATTEMPTS = 6
# Waits after failed attempts 1, 2, 3...: 10 s, 20 s, 40 s, 80 s, 160 s.
FIRST_RETRY = timedelta(seconds=10)
TIMEOUT_SECONDS = 5.0
# How long a worker holds a claimed delivery: longer than one attempt can take.
CLAIM_HOLD = timedelta(seconds=30)
# Deliveries queued by other processes (the CLI, other workers) are picked up within this time.
POLL_SECONDS = 5.0

# Set after a commit that queued deliveries, so this process's dispatcher sends them at once.
_wake = threading.Event()


def notify() -> None:
    """Tell this process's dispatcher that new deliveries are waiting."""
    _wake.set()


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header value for `body` sent at `timestamp`."""
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(secret: str, header: str, body: bytes, *, now: int, tolerance: int = 300) -> bool:
    """Whether `header` is a valid signature of `body` made within `tolerance` seconds of `now`."""
    fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(fields.get("t", ""))
    except ValueError:
        return False
    if abs(now - timestamp) > tolerance:
        return False
    expected = sign(secret, timestamp, body).split("v1=", 1)[1]
    return hmac.compare_digest(expected, fields.get("v1", ""))


def post_payload(event: str, post: PostState, content_version: int, now: datetime) -> str:
    """The JSON body announcing `event` for `post`: enough for a front end to decide what to rebuild."""
    body: dict[str, Any] = {
        "event": event,
        "occurredAt": now.isoformat(),
        "contentVersion": content_version,
        "post": {
            "slug": post.slug,
            "title": post.title,
            "status": post.status,
            "version": post.version,
            "publishedAt": post.published_at.isoformat() if post.published_at else None,
            "updatedAt": post.updated_at.isoformat(),
        },
    }
    return orjson.dumps(body).decode("utf-8")


def enqueue_post_event(
    conn: Connection, event: str, post: PostState, content_version: int, now: datetime | None = None
) -> int:
    """Queue `event` for every active endpoint inside the caller's transaction."""
    moment = now or datetime.now(UTC)
    return store.enqueue(conn, event, post_payload(event, post, content_version, moment), moment)


# ---------------------------------------------------------------------------------------------------
# Sending

Sender = Callable[[Delivery, int], tuple[int | None, str | None]]


def http_send(delivery: Delivery, timestamp: int) -> tuple[int | None, str | None]:
    """POST one delivery; (status code, error) where error is None on a 2xx answer."""
    body = delivery.payload.encode("utf-8")
    request = urllib.request.Request(
        delivery.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "content-api-webhooks/1",
            SIGNATURE_HEADER: sign(delivery.secret, timestamp, body),
            EVENT_HEADER: delivery.event,
            DELIVERY_HEADER: str(delivery.id),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            return int(response.status), None
    except urllib.error.HTTPError as error:
        return int(error.code), f"receiver answered {error.code}"
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", None) or error
        return None, f"cannot reach the receiver: {reason}"[:500]


def retry_delay(attempts_made: int) -> timedelta:
    """How long to wait after the `attempts_made`-th failed attempt."""
    return FIRST_RETRY * (2 ** (attempts_made - 1))


def deliver_due(
    engine: Engine, *, now: Callable[[], datetime] | None = None, send: Sender = http_send, limit: int = 20
) -> int:
    """Send the due deliveries (claimed first, so no other worker sends them too); return how many."""
    clock = now or (lambda: datetime.now(UTC))
    with write_engine(engine).begin() as conn:
        claimed = store.claim_due(conn, clock(), CLAIM_HOLD, limit)
    for delivery in claimed:
        moment = clock()
        status_code, error = send(delivery, int(moment.timestamp()))
        delivered = error is None and status_code is not None and 200 <= status_code < 300
        attempts = delivery.attempts + 1
        retry_at = None if delivered or attempts >= MAX_ATTEMPTS else moment + retry_delay(attempts)
        with write_engine(engine).begin() as conn:
            store.record_attempt(
                conn,
                delivery.id,
                delivered=delivered,
                status_code=status_code,
                error=error,
                now=moment,
                retry_at=retry_at,
            )
        if not delivered:
            logger.warning("webhook %s to %s: %s", delivery.id, delivery.url, error)
    return len(claimed)


class Dispatcher:
    """A daemon thread that sends due deliveries: at once when this process queued some, else every
    `poll_seconds` (for deliveries queued by other processes and for retries)."""

    def __init__(
        self, engine: Engine, *, poll_seconds: float = POLL_SECONDS, send: Sender = http_send
    ) -> None:
        self._engine = engine
        self._poll = poll_seconds
        self._send = send
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="webhook-dispatcher", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        _wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        # Wait first: at start-up nothing of this process is queued yet, and others' deliveries
        # are picked up by the first poll.
        while True:
            _wake.wait(self._poll)
            _wake.clear()
            if self._stop.is_set():
                return
            try:
                while deliver_due(self._engine, send=self._send) and not self._stop.is_set():
                    pass
            except Exception:  # a broken database must not end the worker; it tries again later
                logger.exception("webhook delivery pass failed")
