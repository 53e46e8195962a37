"""Facts about an image file, read with Pillow: size, format, and whether and how it moves."""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from a11y_audit.media import ImageError, inspect_image

# File name extensions taken from the images folder; other files there are left alone.
IMAGE_EXTENSIONS = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".tif", ".tiff"})
# Larger images are refused rather than decoded (Pillow's decompression-bomb guard uses the same idea).
MAX_PIXELS = 64_000_000


@dataclass(frozen=True)
class ImageFacts:
    sha256: str
    media_type: str
    format: str
    width: int
    height: int
    animated: bool
    frame_count: int
    duration_ms: int | None
    loop_count: int | None
    flash_verdict: str | None


class UnreadableImage(Exception):
    """The bytes are not an image Pillow can read; the message says why in a few words."""


def read_image_facts(data: bytes, name: str = "image") -> ImageFacts:
    """Read size, format, animation and flash facts from image bytes; raise `UnreadableImage` when that fails.

    GIF, PNG, JPEG and WebP go through the audit's bounded inspection (frame and pixel caps, the content
    must match `name`'s extension, animations get a flash verdict); other formats are only measured.
    """
    try:
        facts = inspect_image(data, name)
    except ImageError as error:
        if error.code != "unsupported":
            raise UnreadableImage(error.detail) from error
        return _measure_with_pillow(data)
    return ImageFacts(
        sha256=hashlib.sha256(data).hexdigest(),
        media_type=facts.media_type,
        format=facts.format,
        width=facts.width,
        height=facts.height,
        animated=facts.animated,
        frame_count=facts.frame_count,
        duration_ms=facts.duration_ms,
        loop_count=facts.loop_count,
        flash_verdict=facts.flash_verdict,
    )


def _measure_with_pillow(data: bytes) -> ImageFacts:
    """Size, format and animation facts of a format the audit does not check (BMP, TIFF)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise UnreadableImage(f"image is too large ({width}x{height} pixels)")
                image.load()
                return _facts(image, data)
    except UnidentifiedImageError as error:
        raise UnreadableImage("not an image file Pillow can read") from error
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise UnreadableImage("image is too large to decode safely") from error
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise UnreadableImage(f"damaged image file ({error})") from error


def _facts(image: Image.Image, data: bytes) -> ImageFacts:
    format_name = image.format or "unknown"
    frame_count = int(getattr(image, "n_frames", 1))
    animated = bool(getattr(image, "is_animated", False)) and frame_count > 1
    duration_ms: int | None = None
    loop_count: int | None = None
    if animated:
        total = 0
        for frame in range(frame_count):
            image.seek(frame)
            total += int(image.info.get("duration", 0) or 0)
        duration_ms = total
        # Without a loop count an animation plays once; 0 means it loops forever.
        loop_value = image.info.get("loop")
        loop_count = int(loop_value) if loop_value is not None else 1
    return ImageFacts(
        sha256=hashlib.sha256(data).hexdigest(),
        media_type=Image.MIME.get(format_name, "application/octet-stream"),
        format=format_name,
        width=image.size[0],
        height=image.size[1],
        animated=animated,
        frame_count=frame_count,
        duration_ms=duration_ms,
        loop_count=loop_count,
        # Still images cannot flash; moving ones are left for the media audit to judge.
        flash_verdict=None if animated else "pass",
    )
