"""Alembic environment: runs on the connection `content_api.store.db.migrate` hands over.

Run by hand (`alembic -c ...`), it falls back to an engine built from `sqlalchemy.url` or
`CONTENT_API_DATABASE_URL`.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from content_api.store.db import make_engine
from content_api.store.tables import metadata


def run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=metadata)
    with context.begin_transaction():
        context.run_migrations()


shared = context.config.attributes.get("connection")
if shared is not None:
    run(shared)
else:
    engine = make_engine(context.config.get_main_option("sqlalchemy.url"))
    with engine.begin() as conn:
        run(conn)
    engine.dispose()
