"""Checking the images that people and posts name against the images the folder holds."""

from __future__ import annotations

from content_api.content.fields import Fields
from content_api.content.model import ImageFile, ImageRef
from content_api.content.paths import BadReference, is_external, resolve_image

FEATURE_KEYS = frozenset({"src", "alt", "caption"})


def image_path(src: str, referring_file: str, images: dict[str, ImageFile]) -> str:
    """The stored path `src` names; raise `BadReference` when it is outside images/ or missing."""
    if is_external(src):
        raise BadReference(f"image {src!r} is not in the content folder (external images are not stored)")
    path = resolve_image(src, referring_file)
    if path not in images:
        raise BadReference(f"missing image file {path!r}")
    return path


def image_ref(fields: Fields, key: str, images: dict[str, ImageFile], *, caption: bool) -> ImageRef | None:
    """Read `key` as `{src, alt[, caption]}` (or just a path) and check that the image exists."""
    value = fields.data.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        src, alt, text = value, None, None
    else:
        data = fields.mapping(key)
        if data is None:
            return None
        inner = Fields(data, fields.path, fields.problems, f"{fields.what}{key}: ")
        inner.check_keys(FEATURE_KEYS if caption else frozenset({"src", "alt"}))
        src = inner.string("src", required=True) or ""
        # An empty alt is kept as "" (a decorative image): the audit decides whether that is right.
        alt = "" if data.get("alt") == "" else inner.string("alt")
        text = inner.string("caption") if caption else None
        if not src:
            return None
    try:
        path = image_path(src, fields.path, images)
    except BadReference as error:
        fields.problem(key, str(error))
        return None
    return ImageRef(path=path, alt=alt, caption=text)
