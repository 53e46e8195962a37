"""The ceiling for this stack in the serving benchmark: Starlette answering with precomputed bytes.

``POST /graphql`` looks the request body up in a table of answers recorded from the real server and returns
the same JSON bytes with the same content type, so the difference to ``content-api serve`` is the work of
parsing, validating and executing the query, loading the data and encoding the answer. The table is the
JSON file named by ``BENCH_RAW_ANSWERS`` (``[{"body": ..., "answer": ..., "content_type": ...}]``), read
once by each worker at import.

``GET /graphql`` does the same for records that carry a ``query_string`` and an ``etag`` instead of a
``body``: it answers 304 with the ETag when ``If-None-Match`` equals it, else 200 with the recorded bytes,
the least a server can do for a conditional GET.

    BENCH_RAW_ANSWERS=answers.json uvicorn raw_app:app --app-dir bench --workers 2
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

ANSWERS_ENV = "BENCH_RAW_ANSWERS"
_UNKNOWN = b'{"errors":[{"message":"no recorded answer for this request body"}]}'


def load_answers(path: Path) -> dict[bytes, tuple[bytes, str]]:
    """Request body -> (answer bytes, content type)."""
    records = json.loads(path.read_text(encoding="utf-8"))
    return {
        record["body"].encode("utf-8"): (record["answer"].encode("utf-8"), record["content_type"])
        for record in records
        if "body" in record
    }


def load_get_answers(path: Path) -> dict[bytes, tuple[bytes, str, str]]:
    """Query string -> (answer bytes, content type, ETag)."""
    records = json.loads(path.read_text(encoding="utf-8"))
    return {
        record["query_string"].encode("latin-1"): (
            record["answer"].encode("utf-8"),
            record["content_type"],
            record["etag"],
        )
        for record in records
        if "query_string" in record
    }


def build_app(
    answers: dict[bytes, tuple[bytes, str]], get_answers: dict[bytes, tuple[bytes, str, str]] | None = None
) -> Starlette:
    by_query_string = get_answers or {}

    async def graphql(request: Request) -> Response:
        if request.method == "GET":
            recorded = by_query_string.get(request.scope["query_string"])
            if recorded is None:
                return Response(_UNKNOWN, status_code=400, media_type="application/json")
            body, content_type, etag = recorded
            if request.headers.get("if-none-match") == etag:
                return Response(status_code=304, headers={"ETag": etag})
            return Response(body, media_type=content_type, headers={"ETag": etag})
        found = answers.get(await request.body())
        if found is None:
            return Response(_UNKNOWN, status_code=400, media_type="application/json")
        body, content_type = found
        return Response(body, media_type=content_type)

    async def healthz(_request: Request) -> Response:
        return Response(b'{"status":"ok"}', media_type="application/json")

    return Starlette(routes=[Route("/graphql", graphql, methods=["GET", "POST"]), Route("/healthz", healthz)])


_path = os.environ.get(ANSWERS_ENV)
app = build_app(load_answers(Path(_path)), load_get_answers(Path(_path))) if _path else build_app({})
