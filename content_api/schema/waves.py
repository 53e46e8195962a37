"""Running the schema's resolvers without an event loop, in waves.

The resolvers are coroutines that wait on the request's loaders and on nothing else. `Waves` steps
them by hand: it runs every coroutine that can make progress until each one is either finished or
waiting on a `WaveLoader`, then lets every loader with waiting keys run its batch (one SQL statement
per loader, as with DataLoader), hands the values back and starts the next wave. The batching is the
same as under asyncio, without a task, a future and a trip through the event loop per field.

A batch function must complete without suspending: the store calls behind it run synchronously on
the connection the request holds (see `content_api.schema.plans`). A coroutine that waits on
anything else (an asyncio future, a sleep) stops the run with `Unfinished`, and the caller answers
the request the usual way instead.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Awaitable, Callable, Coroutine, Generator, Hashable, Sequence
from typing import Any, Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

BatchFn = Callable[[Sequence[K]], Awaitable[Sequence[V]]]
Done = Callable[[Any], None]


class Unfinished(Exception):
    """A resolver or a batch function waited on something a wave cannot provide."""


class _Load(Generic[V]):
    """The value of one key of one loader, once its batch has run; awaiting it waits for the batch."""

    __slots__ = ("done", "error", "value", "waiters")

    def __init__(self) -> None:
        self.done = False
        self.value: Any = None
        self.error: BaseException | None = None
        self.waiters: list[tuple[Coroutine[Any, Any, Any], Done]] = []

    def __await__(self) -> Generator[Any, None, V]:
        if not self.done:
            yield self
        if self.error is not None:
            raise self.error
        return self.value  # type: ignore[no-any-return]


async def _gather(loads: list[_Load[V]]) -> list[V]:
    # Every key is queued before the first await, so one batch serves them all.
    return [await load for load in loads]


def finish_now(awaitable: Awaitable[V]) -> V:
    """The result of an awaitable that must complete without suspending."""
    step = awaitable.__await__()
    try:
        step.send(None)
    except StopIteration as stop:
        return stop.value  # type: ignore[no-any-return]
    step.close()
    raise Unfinished("a batch function suspended")


class WaveLoader(Generic[K, V]):
    """A per-request loader with DataLoader's interface (`load`, `load_many`) for `Waves`.

    Keys are cached for the request, like DataLoader's: the same key loads once.
    """

    __slots__ = ("_batch", "_cache", "_queue", "_waves")

    def __init__(self, batch: BatchFn[K, V], waves: Waves) -> None:
        self._batch = batch
        self._waves = waves
        self._cache: dict[K, _Load[V]] = {}
        self._queue: list[K] = []

    def load(self, key: K) -> _Load[V]:
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = _Load()
            if not self._queue:
                self._waves.waiting_loaders.append(self)
            self._queue.append(key)
        return found

    def load_many(self, keys: Sequence[K]) -> Coroutine[Any, Any, list[V]]:
        return _gather([self.load(key) for key in keys])

    def dispatch(self) -> list[_Load[V]]:
        """Run the batch for the queued keys; return their loads, now done."""
        keys, self._queue = self._queue, []
        loads = [self._cache[key] for key in keys]
        try:
            values = finish_now(self._batch(keys))
            if len(values) != len(keys):
                raise RuntimeError(f"a batch of {len(keys)} keys returned {len(values)} values")
        except Unfinished:
            raise
        except Exception as error:  # every key of a failed batch fails, as with DataLoader
            for load in loads:
                load.error = error
                load.done = True
            return loads
        for load, value in zip(loads, values, strict=True):
            if isinstance(value, BaseException):
                load.error = value
            else:
                load.value = value
            load.done = True
        return loads


class Waves:
    """The coroutines of one request and the loaders they wait on."""

    __slots__ = ("_ready", "waiting_loaders")

    def __init__(self) -> None:
        self._ready: deque[tuple[Coroutine[Any, Any, Any], Done]] = deque()
        self.waiting_loaders: list[WaveLoader[Any, Any]] = []

    def loader(self, batch: BatchFn[K, V]) -> WaveLoader[K, V]:
        return WaveLoader(batch, self)

    def start(self, coroutine: Coroutine[Any, Any, Any], done: Done) -> None:
        """Run `coroutine` in this or a later wave and call `done` with its result."""
        self._ready.append((coroutine, done))

    def run(self) -> None:
        """Step every coroutine to its end; an exception of any of them stops the run and is raised."""
        ready = self._ready
        try:
            while True:
                while ready:
                    coroutine, done = ready.popleft()
                    try:
                        awaited = coroutine.send(None)
                    except StopIteration as stop:
                        done(stop.value)
                        continue
                    if type(awaited) is not _Load:
                        coroutine.close()
                        raise Unfinished(f"a resolver waited on {type(awaited).__name__}")
                    awaited.waiters.append((coroutine, done))
                if not self.waiting_loaders:
                    return
                loaders, self.waiting_loaders = self.waiting_loaders, []
                for loader in loaders:
                    for load in loader.dispatch():
                        ready.extend(load.waiters)
                        load.waiters = []
        except BaseException:
            self.abandon()
            raise

    def abandon(self) -> None:
        """Close every coroutine still queued or waiting, so none is left half-run."""
        for coroutine, _done in self._ready:
            coroutine.close()
        self._ready.clear()
        for loader in self.waiting_loaders:
            for key in loader._queue:
                for coroutine, _done in loader._cache[key].waiters:
                    coroutine.close()
        self.waiting_loaders = []
