"""Scheduled publishing inside `content-api serve`: a daemon thread that publishes due posts.

Every `interval` seconds it runs `publish_due` (the same gate as `publishPost`, and the same function
as `content-api publish-due` for cron). Several workers or replicas may each run one: a post is
published by whichever locks it first, and the others skip it.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import Engine

from a11y_audit import Config
from content_api.services.publishing import Blocked, publish_due

logger = logging.getLogger("content_api.scheduler")

CHECK_SECONDS = 30.0


class Scheduler:
    def __init__(self, engine: Engine, config: Config, *, interval: float = CHECK_SECONDS) -> None:
        self._engine = engine
        self._config = config
        self._interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="publish-scheduler", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def run_once(self) -> None:
        for result in publish_due(self._engine, self._config):
            if isinstance(result.outcome, Blocked):
                logger.warning("scheduled post %s held back: the audit found errors", result.slug)
            else:
                logger.info("scheduled post %s published", result.slug)

    def _run(self) -> None:
        # The first pass comes one interval after start-up, not during it: a post is at most one
        # interval late either way, and start-up (and a burst of first requests) is not slowed.
        while not self._stop.wait(self._interval):
            try:
                self.run_once()
            except Exception:  # a database hiccup must not end the thread; the next pass tries again
                logger.exception("scheduled publishing pass failed")


class BackgroundWork:
    """The server's background threads: scheduled publishing and webhook delivery."""

    def __init__(self, engine: Engine, config: Config, *, schedule_interval: float = CHECK_SECONDS) -> None:
        from content_api.services.webhooks import Dispatcher

        self.scheduler = Scheduler(engine, config, interval=schedule_interval)
        self.dispatcher = Dispatcher(engine)

    def start(self) -> None:
        self.scheduler.start()
        self.dispatcher.start()

    def stop(self) -> None:
        self.scheduler.stop()
        self.dispatcher.stop()
