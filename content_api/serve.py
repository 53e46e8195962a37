"""`content-api serve` and `content-api export-schema`.

`serve` checks the database before starting uvicorn, so an unreachable or unmigrated database gives
one line on stderr and exit status 1 instead of a server that fails every request.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from collections.abc import Callable

from sqlalchemy.exc import ArgumentError

from a11y_audit import AuditInputError
from content_api.services.publishing import site_config
from content_api.settings import Settings, SettingsError
from content_api.store.db import DatabaseUnavailable, check_connection, current_revision, make_engine

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000

# Loads the bundled demo content into a migrated store (the `--demo` option).
DemoLoader = Callable[..., object]


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {value!r}") from None
    if not 0 < port < 65536:
        raise argparse.ArgumentTypeError(f"port must be between 1 and 65535, not {port}")
    return port


def _workers(value: str) -> int:
    try:
        workers = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of workers: {value!r}") from None
    if workers < 1:
        raise argparse.ArgumentTypeError(f"--workers must be at least 1, not {workers}")
    return workers


def add_serve_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("serve", help="serve the GraphQL API over HTTP")
    parser.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST})")
    parser.add_argument("--port", type=_port, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    parser.add_argument("--workers", type=_workers, default=1, help="worker processes (default 1)")
    parser.add_argument(
        "--database-url", help="database URL (default: $CONTENT_API_DATABASE_URL or ./content.db)"
    )
    parser.add_argument(
        "--demo", action="store_true", help="migrate and load the bundled demo content first; implies --dev"
    )
    parser.add_argument("--dev", action="store_true", help="development mode: GraphiQL at GET /graphql")
    parser.add_argument(
        "--cors-origin",
        action="append",
        default=None,
        metavar="ORIGIN",
        help="allow browser calls from ORIGIN (repeatable; '*' for any); default $CONTENT_API_CORS_ORIGINS",
    )
    parser.set_defaults(handler=run_serve)


def add_export_schema_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("export-schema", help="print the GraphQL schema (SDL)")
    parser.set_defaults(handler=run_export_schema)


def run_export_schema(args: argparse.Namespace) -> int:
    from content_api.schema.schema import schema_sdl

    sys.stdout.write(schema_sdl())
    return 0


def _bundled_demo_loader() -> DemoLoader:
    from content_api.services.demo import load_demo_site

    return load_demo_site


def _fail(message: str) -> int:
    print(f"content-api: {message}", file=sys.stderr)
    return 1


def run_serve(args: argparse.Namespace, load_demo: DemoLoader | None = None) -> int:
    try:
        settings = Settings.from_env()
    except (SettingsError, ArgumentError) as error:
        return _fail(str(error).splitlines()[0])
    try:
        site_config()  # the publishing gate's config ($CONTENT_API_AUDIT_CONFIG), checked before serving
    except AuditInputError as error:
        return _fail(str(error).splitlines()[0])
    overrides: dict[str, object] = {}
    if args.database_url:
        overrides["database_url"] = args.database_url
    if args.dev or args.demo:
        overrides["dev_mode"] = True
    if args.cors_origin:
        overrides["cors_origins"] = tuple(args.cors_origin)
    settings = dataclasses.replace(settings, **overrides)  # type: ignore[arg-type]

    try:
        engine = make_engine(settings.database_url)
    except (DatabaseUnavailable, ArgumentError) as error:
        return _fail(f"cannot use the database URL: {str(error).splitlines()[0]}")
    try:
        check_connection(engine)
        if args.demo:
            # The loader migrates first; loading again is a no-op, so restarts are cheap.
            (load_demo or _bundled_demo_loader())(engine)
        elif current_revision(engine) is None:
            where = engine.url.render_as_string(hide_password=True)
            return _fail(
                f"the database {where} has no tables yet; run `content-api migrate` (or serve --demo)"
            )
    except DatabaseUnavailable as error:
        return _fail(str(error))
    finally:
        engine.dispose()

    # Every worker process builds its app from the environment, so hand the settings over there.
    os.environ.update(settings.to_env())
    import uvicorn

    uvicorn.run(
        "content_api.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level="info",
        access_log=False,
    )
    return 0
