"""Server settings, read once at start-up from the environment (the CLI sets them from its options).

Every value has an environment variable so that each uvicorn worker process, which imports the app on
its own, sees the same settings as the command that started it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from content_api.http.limits import Limits
from content_api.store.db import DATABASE_URL_ENV, resolve_url

DEV_ENV = "CONTENT_API_DEV"
CORS_ORIGINS_ENV = "CONTENT_API_CORS_ORIGINS"
PUBLIC_URL_ENV = "CONTENT_API_PUBLIC_URL"
IMAGE_MAX_AGE_ENV = "CONTENT_API_IMAGE_MAX_AGE"
RESPONSE_CACHE_MB_ENV = "CONTENT_API_RESPONSE_CACHE_MB"
HTTP_MAX_AGE_ENV = "CONTENT_API_HTTP_MAX_AGE"
HTTP_STALE_ENV = "CONTENT_API_HTTP_STALE_WHILE_REVALIDATE"
COMPILED_PLANS_ENV = "CONTENT_API_COMPILED_PLANS"
READS_IN_FLIGHT_ENV = "CONTENT_API_READS_IN_FLIGHT"
JSON_ANSWERS_ENV = "CONTENT_API_JSON_ANSWERS"

DEFAULT_IMAGE_MAX_AGE = 3600
DEFAULT_RESPONSE_CACHE_MB = 64
# Measured on 2 cores with PostgreSQL on the same machine (bench/README.md, serve_bench.py --backend
# postgres): 2 to 4 reads at a time per worker served about 2,300 post pages a second with p99 under
# 35 ms; 15 at a time, about 1,400 with p99 0.5-0.7 s, the threads taking the interpreter lock from one
# another.
DEFAULT_READS_IN_FLIGHT = 4
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}


class SettingsError(ValueError):
    """A setting has a value the server cannot use; the message is one line for an operator."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the app needs to know about its surroundings."""

    database_url: str
    # Development mode serves GraphiQL at GET /graphql to browsers.
    dev_mode: bool = False
    # Origins allowed to call the API from a browser; "*" allows any origin.
    cors_origins: tuple[str, ...] = ()
    # Absolute base URL for image links (e.g. "https://news.example.org"); when empty, links are built
    # from the request's own base URL.
    public_url: str = ""
    # Cache-Control max-age for image responses, in seconds.
    image_max_age: int = DEFAULT_IMAGE_MAX_AGE
    # Size of each worker's cache of whole GraphQL answers, in MiB; 0 turns it off.
    response_cache_mb: int = DEFAULT_RESPONSE_CACHE_MB
    # Cache-Control for anonymous GET answers: how long browsers and CDNs may reuse one without
    # asking (0: revalidate every time, which the ETag makes cheap), and how long after that they
    # may serve it while revalidating in the background.
    http_max_age: int = 0
    http_stale_while_revalidate: int = 0
    # Answer read queries through compiled plans (content_api/schema/plans.py) rather than
    # graphql-core's executor; the answers are the same, only faster. Off is for comparison.
    compiled_plans: bool = True
    # On SQLite, with compiled plans: answer the queries a JSON plan covers (a post or a person by slug,
    # a page of posts, with what belongs to them; content_api/schema/json_plans.py) with one statement
    # whose result is the answer's JSON. The answers are the same; off is for comparison.
    json_answers: bool = True
    # On PostgreSQL: how many compiled-plan reads one worker runs at once (each in a worker thread, on
    # its own connection); more wait their turn in order. A database farther away wants more.
    reads_in_flight: int = DEFAULT_READS_IN_FLIGHT
    # Query limits, rate limiting, timeouts and persisted queries (content_api/http/limits.py).
    limits: Limits = field(default_factory=Limits)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read the settings from `environ` (default: the process environment)."""
        env = os.environ if environ is None else environ
        origins = tuple(o.strip() for o in env.get(CORS_ORIGINS_ENV, "").split(",") if o.strip())
        return cls(
            database_url=resolve_url(env.get(DATABASE_URL_ENV) or None),
            dev_mode=_flag(env, DEV_ENV),
            cors_origins=origins,
            public_url=env.get(PUBLIC_URL_ENV, "").strip().rstrip("/"),
            image_max_age=_non_negative_int(env, IMAGE_MAX_AGE_ENV, DEFAULT_IMAGE_MAX_AGE),
            response_cache_mb=_non_negative_int(env, RESPONSE_CACHE_MB_ENV, DEFAULT_RESPONSE_CACHE_MB, "MiB"),
            http_max_age=_non_negative_int(env, HTTP_MAX_AGE_ENV, 0),
            http_stale_while_revalidate=_non_negative_int(env, HTTP_STALE_ENV, 0),
            compiled_plans=_flag(env, COMPILED_PLANS_ENV, default=True),
            json_answers=_flag(env, JSON_ANSWERS_ENV, default=True),
            reads_in_flight=_positive_int(env, READS_IN_FLIGHT_ENV, DEFAULT_READS_IN_FLIGHT),
            limits=Limits.from_env(env),
        )

    def to_env(self) -> dict[str, str]:
        """The environment variables that make `from_env` return these settings."""
        return {
            DATABASE_URL_ENV: self.database_url,
            DEV_ENV: "1" if self.dev_mode else "0",
            CORS_ORIGINS_ENV: ",".join(self.cors_origins),
            PUBLIC_URL_ENV: self.public_url,
            IMAGE_MAX_AGE_ENV: str(self.image_max_age),
            RESPONSE_CACHE_MB_ENV: str(self.response_cache_mb),
            HTTP_MAX_AGE_ENV: str(self.http_max_age),
            HTTP_STALE_ENV: str(self.http_stale_while_revalidate),
            COMPILED_PLANS_ENV: "1" if self.compiled_plans else "0",
            JSON_ANSWERS_ENV: "1" if self.json_answers else "0",
            READS_IN_FLIGHT_ENV: str(self.reads_in_flight),
            **self.limits.to_env(),
        }


def _flag(env: Mapping[str, str], name: str, *, default: bool = False) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise SettingsError(f"{name} must be 1 or 0 (true/false), not {raw!r}")


def _non_negative_int(env: Mapping[str, str], name: str, default: int, unit: str = "seconds") -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit():
        raise SettingsError(f"{name} must be a whole number of {unit}, not {raw!r}")
    return int(raw)


def _positive_int(env: Mapping[str, str], name: str, default: int) -> int:
    value = _non_negative_int(env, name, default, "reads")
    if value < 1:
        raise SettingsError(f"{name} must be at least 1, not {value}")
    return value
