"""The bundled demo content: a content folder shipped inside the package, loaded like any other."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from sqlalchemy import Engine

from content_api.content.importer import import_folder
from content_api.content.writer import ImportSummary
from content_api.store.db import migrate

DEMO_DIR = Path(str(files("content_api").joinpath("demo")))


def load_demo(engine: Engine, folder: Path | str | None = None) -> ImportSummary:
    """Migrate the store and import the demo folder (or `folder`); running it again changes nothing."""
    migrate(engine)
    return import_folder(engine, folder if folder is not None else DEMO_DIR)
