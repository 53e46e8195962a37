"""Image references in a content folder: relative to the naming file, or from the folder root with `/`."""

from __future__ import annotations

import posixpath
from urllib.parse import unquote, urlsplit

from content_api.store.image_urls import IMAGES_DIR


class BadReference(Exception):
    """An image reference that cannot name a file of the folder's images directory."""


def is_external(src: str) -> bool:
    """True for references the folder does not hold: absolute URLs and protocol-relative ones."""
    parts = urlsplit(src)
    return bool(parts.scheme) or src.startswith("//")


def resolve_image(src: str, referring_file: str) -> str:
    """The folder path ("images/a.png") that `src` names from `referring_file` ("posts/x.md")."""
    reference = unquote(urlsplit(src.strip()).path)
    if not reference:
        raise BadReference("empty image path")
    if reference.startswith("/"):
        joined = reference.lstrip("/")
    else:
        joined = posixpath.join(posixpath.dirname(referring_file), reference)
    normal = posixpath.normpath(joined)
    if normal == ".." or normal.startswith("../") or normal.startswith("/"):
        raise BadReference(f"image path {src!r} leaves the content folder")
    if not normal.startswith(f"{IMAGES_DIR}/"):
        raise BadReference(f"image {src!r} is not inside the {IMAGES_DIR}/ folder")
    return normal
