"""`inspect_image`: everything the audit and the content store need to know about one image file."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .decode import MEDIA_TYPES, Limits, analysis_grid, frame_count, iter_frames, open_image, verify_still
from .flash import FlashResult, FlashThresholds, analyse_flashes
from .timing import AnimationTiming, effective_delay_ms, total_plays


@dataclass(frozen=True)
class ImageFacts:
    """What an image is and how it moves. Times use the delays browsers really show."""

    name: str
    format: str  # "GIF", "PNG", "JPEG" or "WEBP"
    media_type: str
    width: int
    height: int
    animated: bool
    frame_count: int
    # One cycle in milliseconds; None for a still image.
    duration_ms: int | None
    # Plays in all, 0 meaning endless; None for a still image.
    loop_count: int | None
    # None for a still image, which cannot flash.
    flash: FlashResult | None
    # The (width, height) in CSS px the flash analysis assumed the image is shown at.
    display_size: tuple[float, float]

    @property
    def flash_verdict(self) -> Literal["pass", "fail"]:
        return "pass" if self.flash is None else self.flash.verdict

    @property
    def timing(self) -> AnimationTiming | None:
        if self.duration_ms is None or self.loop_count is None:
            return None
        return AnimationTiming(float(self.duration_ms), self.loop_count)


def inspect_image(
    data: bytes,
    name: str,
    *,
    display_size: tuple[float, float] | None = None,
    limits: Limits | None = None,
    thresholds: FlashThresholds | None = None,
    expected_format: str | None = None,
) -> ImageFacts:
    """Open, measure and (when animated) flash-analyse an image held in memory.

    `name` is used for the extension check and in messages. `display_size` is the size in CSS px the
    image is shown at (defaults to its own pixel size). Raises `ImageError` (a `ValueError`) with a
    message naming the file when it cannot be opened, is not what its extension says, or is over a limit.
    """
    limits = limits or Limits()
    image = open_image(data, name, limits, expected_format=expected_format)
    with image:
        image_format = str(image.format)
        width, height = image.size
        shown = display_size or (float(width), float(height))
        count = frame_count(image, data, name, limits)
        still = ImageFacts(
            name, image_format, MEDIA_TYPES[image_format], width, height, False, 1, None, None, None, shown
        )
        if count <= 1:
            verify_still(image, name)
            return still
        thresholds = thresholds or FlashThresholds()
        # Cells of at least 0.1 degree: patterns finer than that (dithering, noise) are averaged away, as
        # WCAG's exception for fine balanced patterns allows.
        grid = analysis_grid(image.size, limits.analysis_side, shown, thresholds.finest_pattern)
        loop = image.info.get("loop")
        plays = total_plays(image_format, loop if isinstance(loop, int) else None)
        declared: list[float | None] = []
        frames = (
            (pixels, effective_delay_ms(delay))
            for pixels, delay in iter_frames(image, count, name, limits, declared, grid)
        )
        flash = analyse_flashes(frames, display_size=shown, plays=plays, thresholds=thresholds)
    if len(declared) <= 1:
        return still  # declared several frames, but only one could be read: browsers show it still
    cycle_ms = sum(effective_delay_ms(delay) for delay in declared)
    return ImageFacts(
        name,
        image_format,
        MEDIA_TYPES[image_format],
        width,
        height,
        True,
        len(declared),
        round(cycle_ms),
        plays,
        flash,
        shown,
    )
