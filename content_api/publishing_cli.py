"""The editorial subcommands of `content-api`: import through the gate, publish, audit, scheduled
publishing, API keys and webhooks.

Exit codes follow the rest of the command: 0 success; 1 something was held back or blocked by the
audit (the findings are printed, one `path:line:column: severity RULE message` line each) or the
database cannot be used; 2 bad input, with one line on stderr.
"""

from __future__ import annotations

import argparse
import secrets
import sys
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import Engine

from a11y_audit import AuditInputError, Config, FileReport, Severity
from content_api.services import publishing
from content_api.services.webhooks import deliver_due
from content_api.store import keys as key_store
from content_api.store import webhooks as webhook_store
from content_api.store.db import write_engine

EXIT_BLOCKED = 1
EXIT_INPUT = 2

Commands = argparse._SubParsersAction  # the object `add_subparsers` returns


def _engine(args: argparse.Namespace) -> Engine:
    from content_api.cli import _engine as checked_engine

    return checked_engine(args, needs_schema=True)


def _fail(lines: list[str], exit_code: int = EXIT_INPUT) -> Exception:
    from content_api.cli import CommandFailed

    return CommandFailed(exit_code, lines)


def _add_database_url(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--database-url", help="database URL (default: $CONTENT_API_DATABASE_URL or sqlite:///content.db)"
    )


def _add_config(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        metavar="FILE",
        help="the site's audit config, .a11y-audit.toml or pyproject.toml "
        "(default: $CONTENT_API_AUDIT_CONFIG)",
    )


def _config(args: argparse.Namespace) -> Config:
    try:
        return publishing.site_config(args.config)
    except AuditInputError as error:
        raise _fail([str(error)]) from error


def finding_lines(report: FileReport, minimum: Severity = Severity.INFO) -> list[str]:
    """One line per finding at or above `minimum`, as editors' tools and CI annotations read them."""
    return [
        f"{report.path}:{finding.line}:{finding.column}: {finding.severity} {finding.rule} {finding.message}"
        for finding in report.findings
        if finding.severity >= minimum
    ]


# ---------------------------------------------------------------------------------------------------
# import (through the gate)


def run_gated_import(args: argparse.Namespace) -> int:
    """`content-api import DIR`: published posts go live only when they pass the audit."""
    engine = _engine(args)
    try:
        config = publishing.site_config(args.config) if getattr(args, "config", None) else None
        result = publishing.import_folder_gated(engine, args.directory, config)
    except AuditInputError as error:
        raise _fail([str(error)]) from error
    summary = result.summary
    posts = summary.posts
    print(
        f"imported {posts.total} posts ({posts.created} new, {posts.updated} updated, "
        f"{posts.unchanged} unchanged), {summary.people.total} people, {summary.tags.total} tags, "
        f"{summary.images.total} images; {len(result.published)} published post(s) passed the audit; "
        f"content version {summary.content_version}"
    )
    if not result.held_back:
        return 0
    print(
        f"held back {len(result.held_back)} post(s) marked published: the audit found errors, "
        "so they were stored as drafts",
        file=sys.stderr,
    )
    for item in result.held_back:
        for line in finding_lines(item.report, Severity.ERROR):
            print(line, file=sys.stderr)
    return EXIT_BLOCKED


# ---------------------------------------------------------------------------------------------------
# publish, audit, publish-due


def add_publish_parser(commands: Commands) -> None:
    parser = commands.add_parser("publish", help="audit a stored post and publish it if no error remains")
    parser.add_argument("slug", metavar="SLUG")
    _add_config(parser)
    _add_database_url(parser)
    parser.set_defaults(handler=run_publish)


def run_publish(args: argparse.Namespace) -> int:
    engine = _engine(args)
    config = _config(args)
    try:
        outcome = publishing.publish_post(engine, args.slug, config)
    except publishing.NotFound:
        raise _fail([f"no post with slug {args.slug!r}"]) from None
    if isinstance(outcome, publishing.Blocked):
        print(f"not published: {args.slug} has audit errors", file=sys.stderr)
        for line in finding_lines(outcome.report, Severity.ERROR):
            print(line, file=sys.stderr)
        return EXIT_BLOCKED
    if isinstance(outcome, publishing.Published):
        for line in finding_lines(outcome.report, Severity.WARNING):
            print(line)
        state = "published" if outcome.changed else "already published"
        print(f"{args.slug}: {state} (version {outcome.version})")
        return 0
    raise _fail([f"{args.slug} changed while it was being published; try again"], EXIT_BLOCKED)


def add_audit_parser(commands: Commands) -> None:
    parser = commands.add_parser("audit", help="audit stored posts and store the reports")
    parser.add_argument("slugs", metavar="SLUG", nargs="*", help="posts to audit")
    parser.add_argument("--all", action="store_true", help="audit every post in the store")
    _add_config(parser)
    _add_database_url(parser)
    parser.set_defaults(handler=run_audit)


def run_audit(args: argparse.Namespace) -> int:
    if bool(args.slugs) == bool(args.all):
        raise _fail(["name posts to audit, or pass --all (not both)"])
    engine = _engine(args)
    config = _config(args)
    try:
        results = publishing.audit_stored(engine, None if args.all else args.slugs, config)
    except publishing.NotFound as error:
        raise _fail([f"no post with slug {error.args[0]!r}"]) from None
    errors = 0
    for slug, report in results:
        counts = report.counts()
        errors += counts.get(Severity.ERROR, 0)
        for line in finding_lines(report):
            print(line)
        found = [counts.get(severity, 0) for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO)]
        print(f"{slug}: {found[0]} error(s), {found[1]} warning(s), {found[2]} info")
    return EXIT_BLOCKED if errors else 0


def add_publish_due_parser(commands: Commands) -> None:
    parser = commands.add_parser(
        "publish-due", help="publish scheduled posts whose time has come (for cron), then send webhooks"
    )
    _add_config(parser)
    _add_database_url(parser)
    parser.set_defaults(handler=run_publish_due)


def run_publish_due(args: argparse.Namespace) -> int:
    engine = _engine(args)
    config = _config(args)
    blocked = 0
    for result in publishing.publish_due(engine, config):
        if isinstance(result.outcome, publishing.Blocked):
            blocked += 1
            print(f"held back {result.slug}: back to draft, the audit found errors", file=sys.stderr)
            for line in finding_lines(result.outcome.report, Severity.ERROR):
                print(line, file=sys.stderr)
        elif isinstance(result.outcome, publishing.Published):
            print(f"published {result.slug}")
    while deliver_due(engine):
        pass
    return EXIT_BLOCKED if blocked else 0


# ---------------------------------------------------------------------------------------------------
# keys


def add_keys_parser(commands: Commands) -> None:
    parser = commands.add_parser("keys", help="create, list and revoke API keys")
    actions = parser.add_subparsers(dest="keys_command", required=True, metavar="ACTION")
    create = actions.add_parser("create", help="create a key and print its token (shown only once)")
    create.add_argument("--name", required=True, help="who or what the key is for")
    create.add_argument(
        "--scope",
        dest="scopes",
        action="extend",
        nargs="+",
        required=True,
        choices=key_store.SCOPES,
        help="one or more of: " + ", ".join(key_store.SCOPES),
    )
    _add_database_url(create)
    create.set_defaults(handler=run_keys_create)
    listing = actions.add_parser("list", help="list keys (never their tokens)")
    _add_database_url(listing)
    listing.set_defaults(handler=run_keys_list)
    revoke = actions.add_parser("revoke", help="revoke a key by id or prefix")
    revoke.add_argument("key", metavar="KEY", help="the key's id or prefix (from `keys list`)")
    _add_database_url(revoke)
    revoke.set_defaults(handler=run_keys_revoke)


def run_keys_create(args: argparse.Namespace) -> int:
    engine = _engine(args)
    try:
        with write_engine(engine).begin() as conn:
            new = key_store.create_key(conn, args.name, args.scopes)
    except key_store.KeyProblem as error:
        raise _fail([str(error)]) from error
    print(new.token)
    print(
        f"created key {new.key.id} ({new.key.name}, {' '.join(new.key.scopes)}); "
        "the token above is shown only now",
        file=sys.stderr,
    )
    return 0


def run_keys_list(args: argparse.Namespace) -> int:
    engine = _engine(args)
    with engine.connect() as conn:
        found = key_store.list_keys(conn)
    for key in found:
        state = f"revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "active"
        print(
            f"{key.id}\t{key.prefix}\t{key.name}\t{' '.join(key.scopes)}\t{key.created_at:%Y-%m-%d}\t{state}"
        )
    return 0


def run_keys_revoke(args: argparse.Namespace) -> int:
    engine = _engine(args)
    with write_engine(engine).begin() as conn:
        key = key_store.revoke_key(conn, args.key)
    if key is None:
        raise _fail([f"no API key with id or prefix {args.key!r}"])
    print(f"revoked key {key.id} ({key.name})")
    return 0


# ---------------------------------------------------------------------------------------------------
# webhooks


def add_webhooks_parser(commands: Commands) -> None:
    parser = commands.add_parser("webhooks", help="manage webhook receivers and read the delivery log")
    actions = parser.add_subparsers(dest="webhooks_command", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="send publish, update and unpublish events to URL")
    add.add_argument("url", metavar="URL")
    add.add_argument("--secret", help="signing secret (default: a new random one, printed once)")
    _add_database_url(add)
    add.set_defaults(handler=run_webhooks_add)
    listing = actions.add_parser("list", help="list receivers")
    _add_database_url(listing)
    listing.set_defaults(handler=run_webhooks_list)
    remove = actions.add_parser("remove", help="stop sending to a receiver (its log stays)")
    remove.add_argument("endpoint_id", metavar="ID", type=int)
    _add_database_url(remove)
    remove.set_defaults(handler=run_webhooks_remove)
    log = actions.add_parser("log", help="recent deliveries, newest first")
    log.add_argument("--limit", type=int, default=20)
    _add_database_url(log)
    log.set_defaults(handler=run_webhooks_log)
    deliver = actions.add_parser("deliver", help="send the deliveries that are due now (for cron)")
    _add_database_url(deliver)
    deliver.set_defaults(handler=run_webhooks_deliver)


def run_webhooks_add(args: argparse.Namespace) -> int:
    parts = urlsplit(args.url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise _fail([f"bad webhook URL {args.url!r}: use http:// or https://"])
    engine = _engine(args)
    secret = args.secret or secrets.token_urlsafe(32)
    with write_engine(engine).begin() as conn:
        endpoint = webhook_store.add_endpoint(conn, args.url, secret)
    print(f"webhook {endpoint.id} -> {endpoint.url}")
    if not args.secret:
        print(f"signing secret: {secret}")
    return 0


def run_webhooks_list(args: argparse.Namespace) -> int:
    engine = _engine(args)
    with engine.connect() as conn:
        endpoints = webhook_store.list_endpoints(conn)
    for endpoint in endpoints:
        print(f"{endpoint.id}\t{endpoint.url}\t{'active' if endpoint.active else 'removed'}")
    return 0


def run_webhooks_remove(args: argparse.Namespace) -> int:
    engine = _engine(args)
    with write_engine(engine).begin() as conn:
        removed = webhook_store.remove_endpoint(conn, args.endpoint_id)
    if not removed:
        raise _fail([f"no webhook with id {args.endpoint_id}"])
    print(f"webhook {args.endpoint_id} removed")
    return 0


def run_webhooks_log(args: argparse.Namespace) -> int:
    if not 1 <= args.limit <= 1000:
        raise _fail(["--limit must be between 1 and 1000"])
    engine = _engine(args)
    with engine.connect() as conn:
        deliveries = webhook_store.delivery_log(conn, limit=args.limit)
    for d in deliveries:
        answer = d.last_status_code if d.last_status_code is not None else (d.last_error or "-")
        print(
            f"{d.id}\t{d.created_at:%Y-%m-%dT%H:%M:%SZ}\t{d.event}\t{d.url}\t{d.status}\t{d.attempts}\t{answer}"
        )
    return 0


def run_webhooks_deliver(args: argparse.Namespace) -> int:
    engine = _engine(args)
    sent = 0
    while batch := deliver_due(engine):
        sent += batch
    print(f"{sent} delivery attempt(s) made")
    return 0


PARSERS: list[Callable[[Commands], None]] = [
    add_publish_parser,
    add_audit_parser,
    add_publish_due_parser,
    add_keys_parser,
    add_webhooks_parser,
]


def add_import_config_option(parser: argparse.ArgumentParser) -> None:
    """`--config` for `content-api import` (default: the folder's own config, found upward)."""
    parser.add_argument(
        "--config",
        metavar="FILE",
        type=Path,
        help="audit config (default: .a11y-audit.toml or pyproject.toml found upward from DIR)",
    )
