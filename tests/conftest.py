"""Shared fixtures: every store test runs on SQLite and on PostgreSQL.

`engine` is a migrated, empty store (cleared before each test); `database_url` is the URL of that same
store, for code under test that builds its own engine (the CLI). `blank_engine` is an empty database
with no tables, for migration tests. PostgreSQL tests fail, never skip, when the server is unreachable.
Each pytest process gets its own SQLite file and its own PostgreSQL schema, so `pytest -n 2` and
several concurrent runs do not share state.

Property tests explore new random examples on every run by default. `.ci/run` sets
`HYPOTHESIS_PROFILE=ci`, which derandomises them: CI on a clean clone then sees exactly the examples
`.ci/run` saw here, so a counterexample shows up before commit instead of at random in CI.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator

import pytest
from hypothesis import settings
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from content_api.store.db import make_engine, migrate
from content_api.store.maintenance import clear_store

POSTGRES_URL_ENV = "CONTENT_API_TEST_POSTGRES_URL"
DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"
BACKENDS = ("sqlite", "postgres")

settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def _postgres_server_url() -> str:
    return os.environ.get(POSTGRES_URL_ENV, DEFAULT_POSTGRES_URL)


def _unique_name(prefix: str) -> str:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"{prefix}_{worker}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    return re.sub(r"[^a-z0-9_]", "_", name.lower())


def _postgres_admin_engine() -> Engine:
    server_url = _postgres_server_url()
    admin = make_engine(server_url, pool_pre_ping=False)
    try:
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except DBAPIError as error:
        admin.dispose()
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        pytest.fail(
            f"PostgreSQL is unreachable at {make_url(server_url).render_as_string(hide_password=True)} "
            f"({reason}). Start it (see .ci/run) or point {POSTGRES_URL_ENV} at a server.",
            pytrace=False,
        )
    return admin


def _postgres_schema_url(schema: str) -> str:
    url = make_url(_postgres_server_url())
    query = dict(url.query)
    query["options"] = f"-csearch_path={schema}"
    return url.set(query=query).render_as_string(hide_password=False)


class _Database:
    """A private database for one backend and one pytest process: a SQLite file or a PostgreSQL schema."""

    def __init__(self, backend: str, tmp_dir: str) -> None:
        self.backend = backend
        self._admin: Engine | None = None
        if backend == "sqlite":
            self.url = f"sqlite:///{tmp_dir}/{_unique_name('store')}.db"
        else:
            self._admin = _postgres_admin_engine()
            self.schema = _unique_name("test_store")
            with self._admin.begin() as conn:
                conn.execute(text(f'CREATE SCHEMA "{self.schema}"'))
            self.url = _postgres_schema_url(self.schema)

    def drop(self) -> None:
        if self._admin is not None:
            with self._admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE'))
            self._admin.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The name of the database the test runs on: "sqlite" or "postgres"."""
    return str(request.param)


@pytest.fixture(scope="session")
def _migrated_database(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Database]:
    database = _Database(backend, str(tmp_path_factory.mktemp(backend)))
    engine = make_engine(database.url)
    migrate(engine)
    engine.dispose()
    yield database
    database.drop()


@pytest.fixture
def engine(_migrated_database: _Database) -> Iterator[Engine]:
    """A migrated store with no content, on SQLite and on PostgreSQL (ids `sqlite` and `postgres`)."""
    engine = make_engine(_migrated_database.url)
    clear_store(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def database_url(engine: Engine) -> str:
    """The URL of the store `engine` points at (empty and migrated), password included."""
    return engine.url.render_as_string(hide_password=False)


@pytest.fixture
def blank_engine(backend: str, tmp_path: object) -> Iterator[Engine]:
    """An empty database with no tables at all, for migration tests."""
    database = _Database(backend, str(tmp_path))
    engine = make_engine(database.url)
    yield engine
    engine.dispose()
    database.drop()
