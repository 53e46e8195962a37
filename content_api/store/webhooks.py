"""Webhook endpoints and the delivery outbox.

A content change enqueues one delivery per active endpoint in the same transaction as the change, so
a rolled-back change announces nothing and a committed one is never forgotten. Workers claim due
deliveries for a while (`claimed_until`), so several processes can send without sending twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, and_, or_, select

from content_api.store.tables import webhook_deliveries, webhook_endpoints

PENDING = "pending"
DELIVERED = "delivered"
FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Endpoint:
    id: int
    url: str
    secret: str
    active: bool
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Delivery:
    id: int
    endpoint_id: int
    url: str
    secret: str
    event: str
    payload: str
    status: str
    attempts: int
    next_attempt_at: datetime
    last_status_code: int | None
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None


def add_endpoint(conn: Connection, url: str, secret: str, now: datetime | None = None) -> Endpoint:
    key = conn.execute(
        webhook_endpoints.insert().values(
            url=url, secret=secret, active=True, created_at=now or datetime.now(UTC)
        )
    ).inserted_primary_key
    if key is None:
        raise RuntimeError("the insert returned no primary key")
    return list_endpoints(conn, [int(key[0])])[0]


def list_endpoints(conn: Connection, ids: list[int] | None = None) -> list[Endpoint]:
    query = select(webhook_endpoints).order_by(webhook_endpoints.c.id)
    if ids is not None:
        query = query.where(webhook_endpoints.c.id.in_(ids))
    return [Endpoint(**row._mapping) for row in conn.execute(query)]


def remove_endpoint(conn: Connection, endpoint_id: int) -> bool:
    """Stop sending to an endpoint (its delivery log stays readable). False when there is none."""
    result = conn.execute(
        webhook_endpoints.update().where(webhook_endpoints.c.id == endpoint_id).values(active=False)
    )
    return result.rowcount == 1


def enqueue(conn: Connection, event: str, payload: str, now: datetime | None = None) -> int:
    """Queue `payload` (the exact JSON body) for every active endpoint; return how many were queued."""
    moment = now or datetime.now(UTC)
    endpoint_ids = [
        int(ident)
        for (ident,) in conn.execute(
            select(webhook_endpoints.c.id).where(webhook_endpoints.c.active.is_(True))
        )
    ]
    rows = [
        {
            "endpoint_id": endpoint_id,
            "event": event,
            "payload": payload,
            "status": PENDING,
            "attempts": 0,
            "next_attempt_at": moment,
            "created_at": moment,
        }
        for endpoint_id in endpoint_ids
    ]
    if rows:
        conn.execute(webhook_deliveries.insert(), rows)
    return len(rows)


_DELIVERY_COLUMNS = (
    webhook_deliveries.c.id,
    webhook_deliveries.c.endpoint_id,
    webhook_endpoints.c.url,
    webhook_endpoints.c.secret,
    webhook_deliveries.c.event,
    webhook_deliveries.c.payload,
    webhook_deliveries.c.status,
    webhook_deliveries.c.attempts,
    webhook_deliveries.c.next_attempt_at,
    webhook_deliveries.c.last_status_code,
    webhook_deliveries.c.last_error,
    webhook_deliveries.c.created_at,
    webhook_deliveries.c.delivered_at,
)


def _joined() -> object:
    return webhook_deliveries.join(
        webhook_endpoints, webhook_endpoints.c.id == webhook_deliveries.c.endpoint_id
    )


def claim_due(conn: Connection, now: datetime, hold: timedelta, limit: int = 20) -> list[Delivery]:
    """Claim up to `limit` pending deliveries that are due and not held by another worker."""
    due = (
        select(*_DELIVERY_COLUMNS)
        .select_from(_joined())  # type: ignore[arg-type]
        .where(
            webhook_deliveries.c.status == PENDING,
            webhook_deliveries.c.next_attempt_at <= now,
            or_(webhook_deliveries.c.claimed_until.is_(None), webhook_deliveries.c.claimed_until < now),
        )
        .order_by(webhook_deliveries.c.next_attempt_at, webhook_deliveries.c.id)
        .limit(limit)
    )
    claimed: list[Delivery] = []
    for row in conn.execute(due).all():
        delivery = Delivery(*tuple(row))
        # Only one worker's UPDATE matches while the claim is free.
        result = conn.execute(
            webhook_deliveries.update()
            .where(
                webhook_deliveries.c.id == delivery.id,
                webhook_deliveries.c.status == PENDING,
                or_(webhook_deliveries.c.claimed_until.is_(None), webhook_deliveries.c.claimed_until < now),
            )
            .values(claimed_until=now + hold)
        )
        if result.rowcount == 1:
            claimed.append(delivery)
    return claimed


def record_attempt(
    conn: Connection,
    delivery_id: int,
    *,
    delivered: bool,
    status_code: int | None,
    error: str | None,
    now: datetime,
    retry_at: datetime | None,
) -> None:
    """Log one attempt: delivered, to be retried at `retry_at`, or failed for good (`retry_at` None)."""
    status = DELIVERED if delivered else (PENDING if retry_at is not None else FAILED)
    conn.execute(
        webhook_deliveries.update()
        .where(webhook_deliveries.c.id == delivery_id)
        .values(
            status=status,
            attempts=webhook_deliveries.c.attempts + 1,
            last_status_code=status_code,
            last_error=error,
            claimed_until=None,
            next_attempt_at=retry_at if retry_at is not None else now,
            delivered_at=now if delivered else None,
        )
    )


def delivery_log(conn: Connection, *, limit: int, before_id: int | None = None) -> list[Delivery]:
    """Deliveries newest first, for admins: what was sent where, how often, and what came back."""
    query = select(*_DELIVERY_COLUMNS).select_from(_joined())  # type: ignore[arg-type]
    if before_id is not None:
        query = query.where(webhook_deliveries.c.id < before_id)
    query = query.order_by(webhook_deliveries.c.id.desc()).limit(limit)
    return [Delivery(*tuple(row)) for row in conn.execute(query)]


def has_due(conn: Connection, now: datetime) -> bool:
    query = select(webhook_deliveries.c.id).where(
        and_(webhook_deliveries.c.status == PENDING, webhook_deliveries.c.next_attempt_at <= now)
    )
    return conn.execute(query.limit(1)).first() is not None
