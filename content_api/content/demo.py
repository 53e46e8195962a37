"""Where the bundled demo content lives: a content folder shipped inside the package.

It is loaded like any editor's folder, through the publishing gate (`content_api.services.demo`).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

DEMO_DIR = Path(str(files("content_api").joinpath("demo")))
