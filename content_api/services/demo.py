"""Loading the bundled demo content the way an editor's folder is loaded: through the publishing gate.

The demo folder holds a few posts marked `published` that carry accessibility errors on purpose; the
gate keeps them as drafts, so a fresh demo site shows what the gate does.
"""

from __future__ import annotations

from sqlalchemy import Engine

from a11y_audit import Config
from content_api.content.demo import DEMO_DIR
from content_api.services.publishing import GatedImport, import_folder_gated
from content_api.store.db import migrate


def load_demo_site(engine: Engine) -> GatedImport:
    """Migrate the store and import the demo folder through the gate; running it again changes nothing.

    The audit runs with the default configuration, whatever config files lie above the installed
    package, so every installation gets the same demo site.
    """
    migrate(engine)
    return import_folder_gated(engine, DEMO_DIR, Config())
