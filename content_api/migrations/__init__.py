"""Alembic migration scripts, shipped inside the package and run by `content_api.store.db.migrate`."""
