"""Image samples generated with Pillow for the media tests (this module holds helpers, not tests)."""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Sequence

from PIL import Image

BLACK = (0, 0, 0)
WHITE = (255, 255, 255)
RED = (255, 0, 0)
# The grey with the relative luminance of pure red (0.2126): red and this grey flash in colour only.
GREY_AS_BRIGHT_AS_RED = (127, 127, 127)

Colour = tuple[int, int, int]


def solid(size: tuple[int, int], colour: Colour) -> Image.Image:
    return Image.new("RGB", size, colour)


def with_box(
    size: tuple[int, int], background: Colour, box: tuple[int, int, int, int], colour: Colour
) -> Image.Image:
    image = solid(size, background)
    image.paste(colour, box)
    return image


def encode(
    frames: Sequence[Image.Image],
    durations: Sequence[float] | float,
    *,
    loop: int | None = None,
    fmt: str = "GIF",
) -> bytes:
    """An animation (or a still image when there is one frame) in `fmt`; no `loop` means play once."""
    buffer = io.BytesIO()
    options: dict[str, object] = {}
    if len(frames) > 1:
        options = {"save_all": True, "append_images": list(frames[1:]), "duration": durations}
        if loop is not None:
            options["loop"] = loop
    frames[0].save(buffer, format=fmt, **options)
    return buffer.getvalue()


def alternating(
    first: Image.Image,
    second: Image.Image,
    *,
    flashes_per_second: float,
    seconds: float = 1.0,
    **kwargs: object,
) -> bytes:
    """Two pictures swapped so that each flash (there and back) takes 1 / `flashes_per_second`."""
    frame_ms = 1000 / (2 * flashes_per_second)
    count = max(2, round(seconds * 1000 / frame_ms))
    frames = [first if i % 2 == 0 else second for i in range(count)]
    return encode(frames, frame_ms, **kwargs)  # type: ignore[arg-type]


def png_header_only(width: int, height: int) -> bytes:
    """A PNG declaring `width` x `height` grey pixels with almost no data, shaped like a bomb."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def many_frames_gif(count: int) -> bytes:
    """A 1 x 1 GIF with `count` frames alternating black and white, 20 ms each."""
    frames = [Image.new("L", (1, 1), 255 * (i % 2)) for i in range(count)]
    return encode(frames, 20, loop=0)
