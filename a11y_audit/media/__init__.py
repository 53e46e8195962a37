"""Image checks for moving and flashing pictures (WCAG 2.3.1 and 2.2.2), with bounded decoding.

`inspect_image(data, name)` returns an image's `ImageFacts`; the audit's media rules and the content
store's importer both use it.
"""

from .decode import MEDIA_TYPES, ImageError, Limits, format_for_name, sniff_format
from .facts import ImageFacts, inspect_image
from .flash import FlashAnalyser, FlashMeasure, FlashResult, FlashThresholds, analyse_flashes
from .timing import AnimationTiming, effective_delay_ms, total_plays

__all__ = [
    "MEDIA_TYPES",
    "AnimationTiming",
    "FlashAnalyser",
    "FlashMeasure",
    "FlashResult",
    "FlashThresholds",
    "ImageError",
    "ImageFacts",
    "Limits",
    "analyse_flashes",
    "effective_delay_ms",
    "format_for_name",
    "inspect_image",
    "sniff_format",
    "total_plays",
]
