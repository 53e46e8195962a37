"""The `content-api` command: one `add_*_parser` function and one handler per subcommand.

Exit codes: 0 success; 1 the database cannot be used; 2 bad input (usage, a bad content folder), with
one line per problem on stderr and never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import ArgumentError, DBAPIError

from content_api.content import ContentError, ImportSummary, export_store
from content_api.publishing_cli import PARSERS as EDITORIAL_PARSERS
from content_api.publishing_cli import add_import_config_option, run_gated_import
from content_api.serve import add_export_schema_parser, add_serve_parser
from content_api.store.db import (
    DatabaseUnavailable,
    check_connection,
    current_revision,
    describe_connection_error,
    make_engine,
    migrate,
)

EXIT_DATABASE = 1
EXIT_INPUT = 2

Commands = argparse._SubParsersAction  # the object `add_subparsers` returns


class CommandFailed(Exception):
    """Ends a command with `exit_code` after printing each line of `lines` to stderr."""

    def __init__(self, exit_code: int, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.exit_code = exit_code
        self.lines = lines


def _add_database_url(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--database-url", help="database URL (default: $CONTENT_API_DATABASE_URL or sqlite:///content.db)"
    )


def _engine(args: argparse.Namespace, *, needs_schema: bool) -> Engine:
    """An engine for `--database-url` that has answered once (and is migrated, when `needs_schema`)."""
    try:
        engine = make_engine(args.database_url)
    except (DatabaseUnavailable, ArgumentError) as error:
        raise CommandFailed(EXIT_INPUT, [f"bad database URL: {str(error).splitlines()[0]}"]) from error
    check_connection(engine)
    if needs_schema and current_revision(engine) is None:
        where = engine.url.render_as_string(hide_password=True)
        raise CommandFailed(
            EXIT_DATABASE, [f"the database {where} has no tables yet; run `content-api migrate`"]
        )
    return engine


def _summary_line(summary: ImportSummary) -> str:
    posts = summary.posts
    return (
        f"{posts.total} posts ({posts.created} new, {posts.updated} updated, {posts.unchanged} unchanged), "
        f"{summary.people.total} people, {summary.tags.total} tags, {summary.images.total} images; "
        f"content version {summary.content_version}"
    )


def add_migrate_parser(commands: Commands) -> None:
    parser = commands.add_parser("migrate", help="bring the database schema to the latest migration")
    _add_database_url(parser)
    parser.set_defaults(handler=run_migrate)


def run_migrate(args: argparse.Namespace) -> int:
    engine = _engine(args, needs_schema=False)
    migrate(engine)
    print(f"database at revision {current_revision(engine)}")
    return 0


def add_import_parser(commands: Commands) -> None:
    parser = commands.add_parser("import", help="load a content folder (people.yaml, posts/, images/)")
    parser.add_argument("directory", metavar="DIR", type=Path, help="the content folder")
    add_import_config_option(parser)
    _add_database_url(parser)
    # Published posts go live only when they pass the audit; the others are stored as drafts (exit 1).
    parser.set_defaults(handler=run_gated_import)


def add_export_parser(commands: Commands) -> None:
    parser = commands.add_parser("export", help="write the store out as a content folder")
    parser.add_argument("directory", metavar="DIR", type=Path, help="an empty or new folder")
    _add_database_url(parser)
    parser.set_defaults(handler=run_export)


def run_export(args: argparse.Namespace) -> int:
    engine = _engine(args, needs_schema=True)
    summary = export_store(engine, args.directory)
    counts = f"{summary.posts} posts, {summary.people} people, {summary.images} images"
    print(f"exported {counts} to {args.directory}")
    return 0


def add_demo_parser(commands: Commands) -> None:
    parser = commands.add_parser("demo", help="load the bundled demo content (safe to run again)")
    _add_database_url(parser)
    parser.set_defaults(handler=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    from content_api.services.demo import load_demo_site

    engine = _engine(args, needs_schema=False)
    result = load_demo_site(engine)
    print(f"demo content loaded: {_summary_line(result.summary)}")
    if result.held_back:
        slugs = ", ".join(item.slug for item in result.held_back)
        print(f"kept as drafts by the audit (errors planted on purpose): {slugs}")
    return 0


PARSERS: list[Callable[[Commands], None]] = [
    add_serve_parser,
    add_migrate_parser,
    add_import_parser,
    add_export_parser,
    add_demo_parser,
    add_export_schema_parser,
    *EDITORIAL_PARSERS,
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="content-api", description="Headless GraphQL content API.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add_parser in PARSERS:
        add_parser(commands)
    return parser


def _fail(exit_code: int, lines: list[str]) -> int:
    for line in lines:
        print(line, file=sys.stderr)
    return exit_code


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except CommandFailed as error:
        return _fail(error.exit_code, [f"content-api: {line}" for line in error.lines])
    except ContentError as error:
        # One line per problem, `path:line: message`, as editors and CI annotations expect.
        return _fail(EXIT_INPUT, [str(problem) for problem in error.problems])
    except DatabaseUnavailable as error:
        return _fail(EXIT_DATABASE, [f"content-api: {error}"])
    except OSError as error:
        where = f" {error.filename}" if error.filename else ""
        return _fail(EXIT_INPUT, [f"content-api: cannot use{where}: {error.strerror or error}"])
    except DBAPIError as error:
        engine = make_engine(getattr(args, "database_url", None))
        return _fail(EXIT_DATABASE, [f"content-api: {describe_connection_error(engine, error)}"])
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
