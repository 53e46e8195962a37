"""The ceiling for this stack in the serving benchmark: Starlette answering with precomputed bytes.

``POST /graphql`` looks the request body up in a table of answers recorded from the real server and returns
the same JSON bytes with the same content type, so the difference to ``content-api serve`` is the work of
parsing, validating and executing the query, loading the data and encoding the answer. The table is the
JSON file named by ``BENCH_RAW_ANSWERS`` (``[{"body": ..., "answer": ..., "content_type": ...}]``), read
once by each worker at import.

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
    }


def build_app(answers: dict[bytes, tuple[bytes, str]]) -> Starlette:
    async def graphql(request: Request) -> Response:
        found = answers.get(await request.body())
        if found is None:
            return Response(_UNKNOWN, status_code=400, media_type="application/json")
        body, content_type = found
        return Response(body, media_type=content_type)

    async def healthz(_request: Request) -> Response:
        return Response(b'{"status":"ok"}', media_type="application/json")

    return Starlette(routes=[Route("/graphql", graphql, methods=["POST"]), Route("/healthz", healthz)])


_path = os.environ.get(ANSWERS_ENV)
app = build_app(load_answers(Path(_path)) if _path else {})
