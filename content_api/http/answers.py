"""The response cache's store: answers of one content version, bounded in bytes."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

# Bytes charged per entry on top of its body: the key, the record and the dictionary slot.
ENTRY_OVERHEAD = 400


@dataclass(frozen=True, slots=True)
class CachedAnswer:
    body: bytes
    status: int
    content_type: str
    etag: str
    # The body compressed once when stored, for clients that accept gzip (None when too small).
    gzipped: bytes | None = None

    @property
    def size(self) -> int:
        return len(self.body) + len(self.gzipped or b"") + ENTRY_OVERHEAD


CacheKey = tuple[Any, ...]


class ResponseCache:
    """Answers of one content version, least recently used dropped first beyond `max_bytes`."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.version: int | None = None
        self.size = 0
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[CacheKey, CachedAnswer] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: CacheKey, version: int) -> CachedAnswer | None:
        if version != self.version:
            self._start(version)
        answer = self._entries.get(key)
        if answer is None:
            self.misses += 1
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return answer

    def put(self, key: CacheKey, version: int, answer: CachedAnswer) -> None:
        if self.version is not None and version < self.version:
            return  # computed from an older version than the one now served: never reachable
        if version != self.version:
            self._start(version)
        cost = answer.size
        if cost > self.max_bytes:
            return
        previous = self._entries.pop(key, None)
        if previous is not None:
            self.size -= previous.size
        self._entries[key] = answer
        self.size += cost
        while self.size > self.max_bytes:
            _, dropped = self._entries.popitem(last=False)
            self.size -= dropped.size

    def _start(self, version: int) -> None:
        # Versions only grow; a request that read an older one just finds nothing.
        if self.version is None or version > self.version:
            self._entries.clear()
            self.size = 0
            self.version = version
