"""Opening images with bounds: file size, pixels, frames, decoded area and time are all capped.

Nothing here trusts the file: the format is sniffed from the first bytes and Pillow is only allowed the
four web formats; a GIF's frames are counted by walking its blocks before any decoding; frames are
decoded one at a time, downscaled at once, and never kept at full size.
"""

from __future__ import annotations

import io
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Literal

import numpy as np
from PIL import Image

from .colour import Pixels

ImageErrorCode = Literal[
    "unreadable", "wrong-format", "unsupported", "too-large", "too-many-frames", "too-slow"
]

# Formats the audit and the store accept, with their media types.
MEDIA_TYPES = {"GIF": "image/gif", "PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
_EXTENSION_FORMATS = {
    ".gif": "GIF",
    ".png": "PNG",
    ".apng": "PNG",
    ".jpg": "JPEG",
    ".jpeg": "JPEG",
    ".jpe": "JPEG",
    ".jfif": "JPEG",
    ".pjpeg": "JPEG",
    ".pjp": "JPEG",
    ".webp": "WEBP",
}
# File types that cannot be checked here; named in messages so an editor knows what the file really is.
_OTHER_SIGNATURES = (
    (b"BM", "BMP"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"\x00\x00\x01\x00", "ICO"),
    (b"%PDF", "PDF"),
)


class ImageError(ValueError):
    """An image that cannot be checked, with a message naming it and a machine-readable `code`."""

    def __init__(self, code: ImageErrorCode, name: str, detail: str) -> None:
        super().__init__(f"{name}: {detail}")
        self.code: ImageErrorCode = code
        self.name = name
        self.detail = detail


@dataclass(frozen=True)
class Limits:
    """Caps that keep a hostile or broken file from exhausting memory or time."""

    max_bytes: int = 64 * 1024 * 1024
    # Pixels of one frame (a still photo of 50 megapixels is fine: it is not decoded at full size).
    max_pixels: int = 50_000_000
    max_frames: int = 5_000
    # Pixels of one frame of an animation, which is decoded at full size (one frame at a time).
    max_frame_pixels: int = 8_388_608
    # Frames x pixels of an animation, which is decoded in full: about 1,600 frames of 640 x 480.
    max_animation_pixels: int = 500_000_000
    max_seconds: float = 20.0
    # Longest side of the grid frames are downscaled to before any per-pixel arithmetic.
    analysis_side: int = 128


def format_for_name(name: str) -> str | None:
    """The format a file name's extension promises, or None when the extension names no web format."""
    return _EXTENSION_FORMATS.get(PurePosixPath(name).suffix.lower())


def sniff_format(data: bytes) -> str | None:
    """The format the bytes really are, from their signature: GIF, PNG, JPEG, WEBP, another name, or None."""
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "PNG"
    if data[:3] == b"\xff\xd8\xff":
        return "JPEG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data[4:8] == b"ftyp":
        brand = data[8:12]
        return "AVIF" if brand in (b"avif", b"avis") else "HEIC" if brand.startswith(b"hei") else None
    for signature, label in _OTHER_SIGNATURES:
        if data.startswith(signature):
            return label
    head = data[:256].lstrip().lower()
    if head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in data[:4096].lower()):
        return "SVG"
    return None


def count_gif_frames(data: bytes, cap: int) -> int:
    """Frames in a GIF, found by walking its blocks without decoding; stops counting past `cap`."""
    size = len(data)
    if size < 13:
        return 0
    pos = 13
    packed = data[10]
    if packed & 0x80:
        pos += 3 * (1 << ((packed & 7) + 1))
    frames = 0
    while pos < size and frames <= cap:
        marker = data[pos]
        if marker == 0x21:  # extension: label, then data sub-blocks
            pos = _skip_sub_blocks(data, pos + 2)
        elif marker == 0x2C:  # image: descriptor, optional local colour table, LZW size, sub-blocks
            if pos + 10 > size:
                break
            local = data[pos + 9]
            pos += 10
            if local & 0x80:
                pos += 3 * (1 << ((local & 7) + 1))
            pos = _skip_sub_blocks(data, pos + 1)
            frames += 1
        else:  # trailer or trailing garbage: browsers stop here too
            break
    return frames


def _skip_sub_blocks(data: bytes, pos: int) -> int:
    size = len(data)
    while pos < size:
        length = data[pos]
        pos += 1 + length
        if length == 0:
            break
    return pos


def open_image(data: bytes, name: str, limits: Limits, *, expected_format: str | None = None) -> Image.Image:
    """Open `data` with Pillow after checking its size, signature and extension; pixels are not decoded.

    `expected_format` is the format the file is said to be; by default the one `name`'s extension names.
    """
    if len(data) > limits.max_bytes:
        raise ImageError(
            "too-large", name, f"file of {len(data):,} bytes is over the {limits.max_bytes:,}-byte limit"
        )
    actual = sniff_format(data)
    promised = expected_format or format_for_name(name)
    if actual is None:
        raise ImageError("unreadable", name, "not an image file (no known image signature)")
    if actual not in MEDIA_TYPES:
        raise ImageError("unsupported", name, f"{actual} image; only GIF, PNG, JPEG and WebP can be checked")
    if promised is not None and promised != actual:
        raise ImageError("wrong-format", name, f"content is {actual}, not the {promised} its name says")
    try:
        with warnings.catch_warnings():
            # Pillow's own bomb warning becomes a refusal, like its error above twice that size.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=[actual])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageError(
            "too-large", name, "too many pixels to open safely (a possible decompression bomb)"
        ) from exc
    except Image.UnidentifiedImageError as exc:
        raise ImageError("unreadable", name, f"cannot be opened as {actual}: its header is damaged") from exc
    except Exception as exc:  # Pillow raises many types for broken files; all mean "cannot be opened"
        raise ImageError("unreadable", name, f"cannot be opened as {actual} ({_reason(exc)})") from exc
    width, height = image.size
    if width * height > limits.max_pixels:
        image.close()
        raise ImageError(
            "too-large", name, f"{width} x {height} pixels is over the {limits.max_pixels:,}-pixel limit"
        )
    return image


def frame_count(image: Image.Image, data: bytes, name: str, limits: Limits) -> int:
    """Frames in an opened image, refusing more than `limits.max_frames` before decoding any of them."""
    if image.format == "GIF":
        count = count_gif_frames(data, limits.max_frames)
    else:
        count = int(getattr(image, "n_frames", 1))
    if count > limits.max_frames:
        shown = f"over {limits.max_frames:,}" if image.format == "GIF" else f"{count:,}"
        raise ImageError(
            "too-many-frames",
            name,
            f"{shown} frames; animations of more than {limits.max_frames:,} are refused",
        )
    width, height = image.size
    if count > 1 and width * height > limits.max_frame_pixels:
        raise ImageError(
            "too-large",
            name,
            f"animation frames of {width} x {height} pixels are over the"
            f" {limits.max_frame_pixels:,}-pixel limit",
        )
    if count > 1 and count * width * height > limits.max_animation_pixels:
        raise ImageError(
            "too-large",
            name,
            f"{count:,} frames of {width} x {height} pixels is too much to decode"
            f" (limit {limits.max_animation_pixels:,} pixels in all)",
        )
    return max(count, 1)


def verify_still(image: Image.Image, name: str) -> None:
    """Check a still image's data without decoding it at full size."""
    try:
        if image.format == "JPEG":
            image.draft("RGB", (64, 64))  # decodes at 1/8 scale: cheap, still reads every block
            image.load()
        elif image.format == "PNG":
            image.verify()  # chunk structure and checksums, no inflation
        else:
            image.load()  # GIF frames are small; WebP stills are decoded by libwebp in one call
    except Exception as exc:
        raise ImageError("unreadable", name, f"broken {image.format} data ({_reason(exc)})") from exc


def analysis_grid(
    size: tuple[int, int],
    longest_side: int,
    display_size: tuple[float, float] | None = None,
    finest_cell: float = 0.0,
) -> tuple[int, int]:
    """(width, height) of the downscaled grid a frame of `size` is analysed on.

    The grid has at most `longest_side` cells on its longer side, and when `display_size` (CSS px) is
    given, no cell is smaller than `finest_cell` CSS px on a side.
    """
    width, height = size
    scale = min(1.0, longest_side / max(width, height))
    if display_size is not None and finest_cell > 0:
        scale = min(scale, display_size[0] / finest_cell / width, display_size[1] / finest_cell / height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def iter_frames(
    image: Image.Image,
    count: int,
    name: str,
    limits: Limits,
    delays: list[float | None],
    grid: tuple[int, int] | None = None,
) -> Iterator[tuple[Pixels, float | None]]:
    """Yield each frame downscaled to `grid` (sRGB 0..255, composited on white) with its delay.

    The declared delay of each frame (ms, None when absent) is also appended to `delays` as it is read.
    Without a `grid`, frames are downscaled to `limits.analysis_side` cells on the longer side.
    """
    grid = grid or analysis_grid(image.size, limits.analysis_side)
    deadline = time.monotonic() + limits.max_seconds
    for index in range(count):
        if time.monotonic() > deadline:
            raise ImageError("too-slow", name, f"decoding took over {limits.max_seconds:g} s; refused")
        try:
            image.seek(index)
            image.load()  # WebP fills in the frame's duration only once it is loaded
            pixels = _downscaled(image, grid)
        except EOFError:
            break  # fewer frames than declared: browsers show what is there
        except Exception as exc:
            raise ImageError("unreadable", name, f"frame {index + 1} is broken ({_reason(exc)})") from exc
        duration = image.info.get("duration")
        delay = float(duration) if isinstance(duration, int | float) else None
        delays.append(delay)
        yield pixels, delay


def _downscaled(image: Image.Image, grid: tuple[int, int]) -> Pixels:
    transparent = image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in image.info
    frame = image.convert("RGBA" if transparent else "RGB")
    if frame.size != grid:
        # A whole-number box reduction first (fast), then an exact box resize of what is left.
        factor = min(frame.size[0] // grid[0], frame.size[1] // grid[1])
        if factor >= 2:
            frame = frame.reduce(factor)
        if frame.size != grid:
            frame = frame.resize(grid, Image.Resampling.BOX)  # RGBA is premultiplied by Pillow
    if transparent:
        # Transparent parts show the page behind them; posts are read on a white page.
        page = Image.new("RGBA", grid, (255, 255, 255, 255))
        frame = Image.alpha_composite(page, frame).convert("RGB")
    return np.asarray(frame)


def _reason(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) <= 80 else text[:77] + "..."
