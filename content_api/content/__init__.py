"""Content folders: `people.yaml`, `posts/*.md|*.html` with front matter, and `images/`.

`import_folder` reads, checks and writes a folder in one transaction; `export_store` writes the store
back out as a folder that imports to the same content.
"""

from content_api.content.exporter import export_store
from content_api.content.importer import import_folder
from content_api.content.problems import ContentError, Problem
from content_api.content.reader import read_folder
from content_api.content.writer import ImportSummary

__all__ = ["ContentError", "ImportSummary", "Problem", "export_store", "import_folder", "read_folder"]
