"""Where an image in the store is served: its public URL and the stored path behind a URL.

Images live in the content folder's `images/` directory and keep that path in the store
("images/team/ana.png"); their public URL is the same path from the site root ("/images/team/ana.png").
"""

from __future__ import annotations

IMAGES_DIR = "images"
URL_PREFIX = f"/{IMAGES_DIR}/"


def image_url(path: str) -> str:
    """The public URL of the stored image at `path` (which starts with "images/")."""
    return "/" + path.lstrip("/")


def image_path_for_url(url_path: str) -> str | None:
    """The stored path behind a URL path ("/images/a.png" -> "images/a.png"); None if not an image URL."""
    if not url_path.startswith(URL_PREFIX):
        return None
    rest = url_path[len(URL_PREFIX) :]
    parts = rest.split("/")
    if not rest or any(part in ("", ".", "..") for part in parts):
        return None
    return f"{IMAGES_DIR}/{rest}"
