"""What one client may ask of `/graphql`: the configurable limits and their safe defaults.

Each limit has an environment variable (read once at start-up, like every other setting):

    CONTENT_API_MAX_DEPTH           10         nested fields below the root (leaf fields do not count)
    CONTENT_API_MAX_ALIASES         30         aliased fields in one document
    CONTENT_API_MAX_TOKENS          2000       lexical tokens in one document
    CONTENT_API_MAX_QUERY_CHARS     20000      characters in one document (large values go in variables)
    CONTENT_API_MAX_COST            50000      estimated field resolutions (see complexity.py)
    CONTENT_API_MAX_BODY_BYTES      1000000    POST body size; larger bodies get 413
    CONTENT_API_MAX_BATCH           10         operations in one batched POST (a JSON array); 1 = no batching
    CONTENT_API_QUERY_TIMEOUT       10         seconds one operation may run before it is cancelled
    CONTENT_API_RATE_LIMIT          0          requests per second per client; 0 = no rate limiting
    CONTENT_API_RATE_BURST          2 x rate   requests a client may send at once before the rate applies
    CONTENT_API_PERSISTED_QUERIES   apq        apq (automatic persisted queries), allowlist, or off
    CONTENT_API_PERSISTED_QUERY_FILE           JSON manifest of the allowed documents (allowlist mode)
    CONTENT_API_INTROSPECTION       dev mode   1 to allow introspection in production, 0 to refuse it

`first` is at most 100 on every list field; that bound is part of the schema, not a setting.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import NoReturn

MAX_DEPTH_ENV = "CONTENT_API_MAX_DEPTH"
MAX_ALIASES_ENV = "CONTENT_API_MAX_ALIASES"
MAX_TOKENS_ENV = "CONTENT_API_MAX_TOKENS"
MAX_QUERY_CHARS_ENV = "CONTENT_API_MAX_QUERY_CHARS"
MAX_COST_ENV = "CONTENT_API_MAX_COST"
MAX_BODY_BYTES_ENV = "CONTENT_API_MAX_BODY_BYTES"
MAX_BATCH_ENV = "CONTENT_API_MAX_BATCH"
QUERY_TIMEOUT_ENV = "CONTENT_API_QUERY_TIMEOUT"
RATE_LIMIT_ENV = "CONTENT_API_RATE_LIMIT"
RATE_BURST_ENV = "CONTENT_API_RATE_BURST"
PERSISTED_QUERIES_ENV = "CONTENT_API_PERSISTED_QUERIES"
PERSISTED_QUERY_FILE_ENV = "CONTENT_API_PERSISTED_QUERY_FILE"
INTROSPECTION_ENV = "CONTENT_API_INTROSPECTION"


class PersistedMode(Enum):
    """How `/graphql` treats documents: any document (and APQ hashes), only listed ones, or no hashes."""

    APQ = "apq"
    ALLOWLIST = "allowlist"
    OFF = "off"


@dataclass(frozen=True, slots=True)
class Limits:
    """The limits one server applies to every request; the defaults suit a public endpoint."""

    max_depth: int = 10
    max_aliases: int = 30
    # Parsing costs about 4 µs a token and 0.25 µs a character of a string literal, so these two
    # bound the work spent on a document before the other limits can refuse it (under 10 ms).
    max_tokens: int = 2000
    max_query_chars: int = 20_000
    # Two nested pages of a hundred (everyone's posts) fit; three do not.
    max_cost: int = 50_000
    max_body_bytes: int = 1_000_000
    max_batch: int = 10
    query_timeout: float = 10.0
    # Requests per second per client (API token, else address); 0 turns rate limiting off.
    rate_limit: float = 0.0
    # 0 means twice the rate (at least one request).
    rate_burst: int = 0
    persisted_queries: PersistedMode = PersistedMode.APQ
    persisted_query_file: str = ""
    # None: introspection follows development mode (on in development, off in production).
    introspection: bool | None = None

    @property
    def burst(self) -> int:
        """Requests a client may send back to back before it has to wait."""
        return self.rate_burst or max(1, math.ceil(2 * self.rate_limit))

    def allows_introspection(self, dev_mode: bool) -> bool:
        return dev_mode if self.introspection is None else self.introspection

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Limits:
        """Read the limits from `env`; unset variables keep their defaults."""
        defaults = cls()
        mode_raw = env.get(PERSISTED_QUERIES_ENV, "").strip().lower() or defaults.persisted_queries.value
        try:
            mode = PersistedMode(mode_raw)
        except ValueError:
            _fail(f"{PERSISTED_QUERIES_ENV} must be apq, allowlist or off, not {mode_raw!r}")
        query_file = env.get(PERSISTED_QUERY_FILE_ENV, "").strip()
        if mode is PersistedMode.ALLOWLIST:
            if not query_file:
                _fail(f"{PERSISTED_QUERIES_ENV}=allowlist needs {PERSISTED_QUERY_FILE_ENV} (a JSON manifest)")
            _check_manifest(query_file)
        return cls(
            max_depth=_count(env, MAX_DEPTH_ENV, defaults.max_depth, minimum=1),
            max_aliases=_count(env, MAX_ALIASES_ENV, defaults.max_aliases, minimum=0),
            max_tokens=_count(env, MAX_TOKENS_ENV, defaults.max_tokens, minimum=10),
            max_query_chars=_count(env, MAX_QUERY_CHARS_ENV, defaults.max_query_chars, minimum=100),
            max_cost=_count(env, MAX_COST_ENV, defaults.max_cost, minimum=1),
            max_body_bytes=_count(env, MAX_BODY_BYTES_ENV, defaults.max_body_bytes, minimum=64),
            max_batch=_count(env, MAX_BATCH_ENV, defaults.max_batch, minimum=1),
            query_timeout=_seconds(env, QUERY_TIMEOUT_ENV, defaults.query_timeout, allow_zero=False),
            rate_limit=_seconds(env, RATE_LIMIT_ENV, defaults.rate_limit, allow_zero=True),
            rate_burst=_count(env, RATE_BURST_ENV, defaults.rate_burst, minimum=0),
            persisted_queries=mode,
            persisted_query_file=query_file,
            introspection=_optional_flag(env, INTROSPECTION_ENV),
        )

    def to_env(self) -> dict[str, str]:
        """The environment variables that make `from_env` return these limits."""
        return {
            MAX_DEPTH_ENV: str(self.max_depth),
            MAX_ALIASES_ENV: str(self.max_aliases),
            MAX_TOKENS_ENV: str(self.max_tokens),
            MAX_QUERY_CHARS_ENV: str(self.max_query_chars),
            MAX_COST_ENV: str(self.max_cost),
            MAX_BODY_BYTES_ENV: str(self.max_body_bytes),
            MAX_BATCH_ENV: str(self.max_batch),
            QUERY_TIMEOUT_ENV: repr(self.query_timeout),
            RATE_LIMIT_ENV: repr(self.rate_limit),
            RATE_BURST_ENV: str(self.rate_burst),
            PERSISTED_QUERIES_ENV: self.persisted_queries.value,
            PERSISTED_QUERY_FILE_ENV: self.persisted_query_file,
            INTROSPECTION_ENV: "" if self.introspection is None else ("1" if self.introspection else "0"),
        }


def _fail(message: str) -> NoReturn:
    # Imported here: settings.py imports this module to build its `Settings`.
    from content_api.settings import SettingsError

    raise SettingsError(message)


def _check_manifest(path: str) -> None:
    from content_api.http.persisted import ManifestError, load_manifest

    try:
        load_manifest(path)
    except ManifestError as error:
        _fail(str(error))


def _count(env: Mapping[str, str], name: str, default: int, *, minimum: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isascii() or not raw.isdigit() or int(raw) < minimum:
        _fail(f"{name} must be a whole number of at least {minimum}, not {raw!r}")
    return int(raw)


def _seconds(env: Mapping[str, str], name: str, default: float, *, allow_zero: bool) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        bound = "zero or more" if allow_zero else "more than zero"
        _fail(f"{name} must be a number {bound}, not {raw!r}")
    return value


def _optional_flag(env: Mapping[str, str], name: str) -> bool | None:
    raw = env.get(name, "").strip().lower()
    if raw == "":
        return None
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    _fail(f"{name} must be 1 or 0 (true/false), not {raw!r}")
