"""Batched POSTs: a JSON array of operations, answered with an array of their answers in order.

Each operation goes through the same limits and guards as a request of its own; a batch may hold at
most `max_batch` of them. The batch's status is the status its operations share, else 200.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.responses import Response

from content_api.http.errors import BAD_REQUEST, BATCH_TOO_LARGE, Rejection


def batch_items(payload: list[Any], max_batch: int) -> list[dict[str, Any]]:
    """The operations of a batch; a `Rejection` when there are none, too many, or one is no object."""
    if not payload:
        raise Rejection(400, "The batch is empty; send at least one operation.", BAD_REQUEST)
    if len(payload) > max_batch:
        raise Rejection(
            400,
            f"The batch has {len(payload)} operations; at most {max_batch} are allowed.",
            BATCH_TOO_LARGE,
            extensions={"limit": max_batch},
        )
    if not all(isinstance(item, dict) for item in payload):
        raise Rejection(400, "A batch must be a JSON array of request objects.", BAD_REQUEST)
    return payload


async def run_batch(
    items: list[Any], run_one: Callable[[Any], Awaitable[Response]], media_type: str
) -> Response:
    """Run each item in turn with `run_one` and join the answers into one JSON array."""
    parts: list[bytes] = []
    statuses: set[int] = set()
    for item in items:
        answer = await run_one(item)
        parts.append(bytes(answer.body))
        statuses.add(answer.status_code)
    status = statuses.pop() if len(statuses) == 1 else 200
    body = b"[" + b",".join(parts) + b"]"
    response = Response(body, status_code=status, media_type=f"{media_type}; charset=utf-8")
    response.headers["Vary"] = "Accept"
    return response
