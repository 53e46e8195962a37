"""The ASGI application, assembled from plain lists of routes and middleware."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import Engine
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.routing import Route

from content_api.http.errors import exception_handlers
from content_api.http.front import KnownAnswers
from content_api.http.graphql import GraphQLEndpoint
from content_api.http.health import HealthEndpoint
from content_api.http.images import ImageEndpoint
from content_api.http.ratelimit import RateLimitMiddleware
from content_api.schema.schema import schema
from content_api.services.publishing import server_config
from content_api.services.scheduler import BackgroundWork
from content_api.settings import Settings
from content_api.store.db import make_engine

# Responses smaller than this are sent as they are; compressing them costs more than it saves.
GZIP_MINIMUM_SIZE = 1000
# zlib level 6 compresses JSON almost as well as 9 in about half the time.
GZIP_LEVEL = 6


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> Starlette:
    """Build the app. Settings come from the environment unless given; so does the engine."""
    settings = settings or Settings.from_env()
    owns_engine = engine is None
    engine = engine or make_engine(settings.database_url)

    graphql = GraphQLEndpoint(schema, engine, settings)
    images = ImageEndpoint(engine, settings.image_max_age)
    health = HealthEndpoint(engine)
    routes = [
        Route("/graphql", graphql.handle, methods=["GET", "POST"]),
        Route("/images/{path:path}", images.handle, methods=["GET", "HEAD"]),
        Route("/healthz", health.handle, methods=["GET", "HEAD"]),
    ]
    middleware = [Middleware(GZipMiddleware, minimum_size=GZIP_MINIMUM_SIZE, compresslevel=GZIP_LEVEL)]
    limits = settings.limits
    if limits.rate_limit > 0:
        middleware.append(Middleware(RateLimitMiddleware, rate=limits.rate_limit, burst=limits.burst))
    # Requests the response cache knows are answered before the other layers run (after the rate
    # limiter when there is one; CORS, inserted below, stays outermost).
    known = Middleware(KnownAnswers, caching=graphql.caching)
    if limits.rate_limit > 0:
        middleware.append(known)
    else:
        middleware.insert(0, known)
    if settings.cors_origins:
        middleware.insert(
            0,
            Middleware(
                CORSMiddleware,
                allow_origins=list(settings.cors_origins),
                allow_methods=["GET", "POST"],
                allow_headers=["Content-Type", "Accept", "Authorization"],
                max_age=600,
            ),
        )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # Objects made during start-up live for the whole process: keep them out of the
        # collector's full passes, which otherwise show up as pauses in tail latency.
        gc.collect()
        gc.freeze()
        background = BackgroundWork(engine, server_config())
        background.start()
        yield
        background.stop()
        graphql.close()
        if owns_engine:
            engine.dispose()

    return Starlette(
        routes=routes,
        middleware=middleware,
        lifespan=lifespan,
        debug=False,
        exception_handlers=exception_handlers(),
    )
