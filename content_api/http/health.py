"""`/healthz`: 200 when the database answers, 503 when it does not."""

from __future__ import annotations

import logging

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse

logger = logging.getLogger("content_api.health")


class HealthEndpoint:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def _ping(self) -> None:
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    async def handle(self, request: Request) -> JSONResponse:
        try:
            await run_in_threadpool(self._ping)
        except SQLAlchemyError as error:
            logger.warning("health check: database unavailable: %s", str(error).splitlines()[0])
            return JSONResponse({"status": "unavailable", "database": "unreachable"}, status_code=503)
        return JSONResponse({"status": "ok", "database": "ok"}, headers={"Cache-Control": "no-store"})
