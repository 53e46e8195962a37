"""Content folders: the files editors write, imported into the store and exported back out.

    people.yaml     a list of people: slug, name, pronouns, show_pronouns, role, bio, avatar, aliases
    posts/*.md      YAML front matter (between `---` lines) and CommonMark with tables; raw HTML allowed
    posts/*.html    an HTML fragment or a whole document; front matter optional (then the slug is the file
                    name, the title the document's <title> or first <h1>, the language its <html lang>)
    images/...      PNG, JPEG, GIF, WebP, BMP or TIFF files; size and animation are read with Pillow

Post front matter: title, slug, date, status (draft, the default, or published), lang, summary, authors
(people slugs), tags (names), feature_image {src, alt, caption}, people (slugs of people the post is
about, besides those it names in its text), related (slugs of posts pinned as related news).

Image paths are relative to the file that names them, or start with `/` for the folder root; they must
lead into `images/`. Body images are served at `/images/...`. Bodies are sanitised: scripts, event
handlers, styles and `javascript:` URLs go, the text stays.

`import_folder` reads and checks everything first and raises `ContentError` listing every problem with
path and line; only a clean folder is written, in one transaction, in place by slug (images by path).
Posts, people and tags missing from a later import stay in the store. `export_store` writes the store
back out as a folder that imports to the same content.
"""

from content_api.content.exporter import export_store
from content_api.content.importer import import_folder
from content_api.content.problems import ContentError, Problem
from content_api.content.reader import read_folder
from content_api.content.writer import ImportSummary

__all__ = ["ContentError", "ImportSummary", "Problem", "export_store", "import_folder", "read_folder"]
