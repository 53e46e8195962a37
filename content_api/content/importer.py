"""Importing a content folder: read and check everything, then write it all in one transaction."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from content_api.content.reader import read_folder
from content_api.content.writer import ImportSummary, write_folder
from content_api.services.related import refresh_related
from content_api.store.db import write_engine
from content_api.store.maintenance import lock_content_writes, refresh_statistics


def import_folder(engine: Engine, folder: Path | str) -> ImportSummary:
    """Import the content folder at `folder` into the store behind `engine`.

    Raises `ContentError` listing every problem (path, line, message) before anything is written.
    """
    content = read_folder(folder)
    with write_engine(engine).begin() as conn:
        lock_content_writes(conn)
        summary = write_folder(conn, content)
        refresh_related(conn)
    refresh_statistics(engine)
    return summary
