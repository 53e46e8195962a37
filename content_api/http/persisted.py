"""Persisted queries: Apollo's automatic persisted queries (APQ) and an allow-list mode.

APQ: a client sends `extensions.persistedQuery = {"version": 1, "sha256Hash": HEX}` without the
document; an unknown hash is answered with `PersistedQueryNotFound` (code PERSISTED_QUERY_NOT_FOUND),
and the client sends the document with its hash once, after which the hash alone runs it (also over
GET, which makes the request cacheable by URL). Documents are remembered per process, most recently
used first, only once they pass the limits.

Allow-list mode runs only the documents of a manifest given at start-up, by hash or by full text:
Apollo's persisted query manifest (`{"format": "apollo-persisted-query-manifest", "operations": [{"id",
"body"}]}`), a JSON object of hash to document, or a JSON list of documents.
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import orjson

from content_api.http.errors import (
    BAD_REQUEST,
    PERSISTED_QUERY_NOT_FOUND,
    PERSISTED_QUERY_NOT_IN_LIST,
    PERSISTED_QUERY_NOT_SUPPORTED,
    Rejection,
    document_rejection,
)
from content_api.http.limits import Limits, PersistedMode

# Documents remembered by hash in APQ mode, per process.
APQ_CAPACITY = 2000
APQ_VERSION = 1
_HASH = re.compile(r"[0-9a-f]{64}")


class ManifestError(ValueError):
    """The allow-list manifest cannot be used; the message is one line for an operator."""


def document_hash(query: str) -> str:
    """The APQ hash of a document: the hex SHA-256 of its UTF-8 text."""
    return hashlib.sha256(query.encode("utf-8", "surrogatepass")).hexdigest()


def load_manifest(path: Path | str) -> dict[str, str]:
    """hash -> document for every operation of the manifest at `path`."""
    try:
        raw = orjson.loads(Path(path).read_bytes())
    except OSError as error:
        raise ManifestError(f"cannot read the persisted query file {path}: {error.strerror}") from None
    except orjson.JSONDecodeError:
        raise ManifestError(f"the persisted query file {path} is not valid JSON") from None
    documents: dict[str, str] = {}
    for declared, body in _entries(raw, path):
        if not isinstance(body, str) or not body.strip():
            raise ManifestError(f"the persisted query file {path} has an entry without a document")
        actual = document_hash(body)
        if declared is not None and declared != actual:
            raise ManifestError(
                f"the persisted query file {path}: id {declared!r} is not the SHA-256 of its document"
            )
        documents[actual] = body
    return documents


def _entries(raw: Any, path: Path | str) -> list[tuple[str | None, Any]]:
    if isinstance(raw, list):
        return [(None, body) for body in raw]
    if isinstance(raw, dict) and isinstance(raw.get("operations"), list):
        operations = raw["operations"]
        if not all(isinstance(op, dict) for op in operations):
            raise ManifestError(f"the persisted query file {path}: every operation must be an object")
        return [(op.get("id"), op.get("body")) for op in operations]
    if isinstance(raw, dict):
        return list(raw.items())
    raise ManifestError(f"the persisted query file {path} must be a JSON object or list")


class PersistedQueries:
    """Resolves persisted-query hashes to documents and enforces the allow-list."""

    def __init__(self, mode: PersistedMode, manifest: Mapping[str, str] | None = None) -> None:
        self.mode = mode
        self._manifest = dict(manifest or {})
        self._remembered: OrderedDict[str, str] = OrderedDict()

    @classmethod
    def from_limits(cls, limits: Limits) -> PersistedQueries:
        manifest = None
        if limits.persisted_queries is PersistedMode.ALLOWLIST:
            manifest = load_manifest(limits.persisted_query_file)
        return cls(limits.persisted_queries, manifest)

    def lookup(self, sha256: str) -> str | None:
        """The document with this hash, when the server knows it (listed, or sent before under APQ)."""
        if self.mode is PersistedMode.ALLOWLIST:
            return self._manifest.get(sha256)
        if self.mode is PersistedMode.APQ:
            document = self._remembered.get(sha256)
            if document is not None:
                self._remembered.move_to_end(sha256)
            return document
        return None

    def resolve(self, payload: dict[str, Any]) -> dict[str, Any]:
        """`payload` (the request's query, variables, operationName, extensions) with its document.

        Raises `Rejection` for an unknown hash, a hash that does not match the document, an
        unsupported protocol version, or (in allow-list mode) a document that is not listed.
        """
        extensions = payload.get("extensions")
        persisted = extensions.get("persistedQuery") if isinstance(extensions, dict) else None
        query = payload.get("query")
        if persisted is None:
            listed_only = self.mode is PersistedMode.ALLOWLIST
            if listed_only and isinstance(query, str) and document_hash(query) not in self._manifest:
                raise _not_in_list()
            return payload
        if self.mode is PersistedMode.OFF:
            raise document_rejection("PersistedQueryNotSupported", PERSISTED_QUERY_NOT_SUPPORTED)
        sha256 = _requested_hash(persisted)
        if query is None:
            document = self.lookup(sha256)
            if document is None:
                if self.mode is PersistedMode.ALLOWLIST:
                    raise _not_in_list()
                raise document_rejection("PersistedQueryNotFound", PERSISTED_QUERY_NOT_FOUND)
            return {**payload, "query": document}
        if isinstance(query, str):
            if document_hash(query) != sha256:
                raise Rejection(400, "The persisted query hash does not match the query.", BAD_REQUEST)
            if self.mode is PersistedMode.ALLOWLIST and sha256 not in self._manifest:
                raise _not_in_list()
        return payload

    def remember(self, query: str, extensions: Mapping[str, Any] | None) -> None:
        """Keep `query` under its hash when the client registered it the APQ way (and it passed)."""
        if self.mode is not PersistedMode.APQ or not extensions or "persistedQuery" not in extensions:
            return
        sha256 = document_hash(query)
        self._remembered[sha256] = query
        self._remembered.move_to_end(sha256)
        if len(self._remembered) > APQ_CAPACITY:
            self._remembered.popitem(last=False)


def _requested_hash(persisted: Any) -> str:
    if not isinstance(persisted, dict):
        raise Rejection(400, "`extensions.persistedQuery` must be an object.", BAD_REQUEST)
    if persisted.get("version") != APQ_VERSION:
        raise Rejection(
            400, f"Unsupported persisted query version; use {APQ_VERSION}.", PERSISTED_QUERY_NOT_SUPPORTED
        )
    sha256 = persisted.get("sha256Hash")
    if not isinstance(sha256, str) or not _HASH.fullmatch(sha256):
        raise Rejection(400, "`sha256Hash` must be 64 lowercase hex digits.", BAD_REQUEST)
    return sha256


def _not_in_list() -> Rejection:
    return document_rejection(
        "Only registered queries run on this server (PersistedQueryNotInList).", PERSISTED_QUERY_NOT_IN_LIST
    )
