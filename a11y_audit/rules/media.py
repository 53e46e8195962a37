"""Media rules (MED): images that flash, animate too long, cannot be opened, or are spacers with alt text.

Every local image a post shows is checked: `<img src>` and `srcset` candidates in the body and the front
matter's `feature_image`. Paths are relative to the post, or to the content folder when they start with
`/`; `data:` URIs are decoded in place; remote URLs are never fetched. Each file is opened once per
audit run (results are cached by path, modification time and displayed size).
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from bs4 import Tag

from ..aria import attr
from ..context import RuleContext
from ..document import Document
from ..errors import ConfigError
from ..media import FlashThresholds, ImageError, ImageFacts, Limits, inspect_image
from ..media.timing import FIVE_SECONDS_MS
from ..model import Finding
from ..registry import rule

_CACHE_ATTR = "_a11y_media"
_DISPLAY_NONE = re.compile(r"display\s*:\s*none", re.I)

# Small self-contained examples (data: URIs, so the examples run anywhere).
_FLASHING_GIF = (
    "data:image/gif;base64,R0lGODlhAgACAIEAAAAAAAAAAAAAAAAAACH/C05FVFNDQVBFMi4wAwEAAAAh+QQADAAAACwAAAAAAgAC"
    "AAAIBgABCAQQEAAh+QQBDAABACwAAAAAAgACAIH///8AAAAAAAAAAAAIBgABCAQQEAA7"
)
_LOOPING_GIF = (
    "data:image/gif;base64,R0lGODlhAgACAIEAAMjIyAAAAAAAAAAAACH/C05FVFNDQVBFMi4wAwEAAAAh+QQAMgAAACwAAAAAAgAC"
    "AAAIBgABCAQQEAAh+QQBMgABACwAAAAAAgACAIG+yNIAAAAAAAAAAAAIBgABCAQQEAA7"
)
_ONCE_GIF = (
    "data:image/gif;base64,R0lGODlhAgACAIEAAMjIyAAAAAAAAAAAACH5BAAyAAAALAAAAAACAAIAAAgGAAEIBBAQACH5BAEyAAEA"
    "LAAAAAACAAIAgb7I0gAAAAAAAAAAAAgGAAEIBBAQADs="
)
_STILL_PNG = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAQAAAADCAIAAAA7ljmRAAAAFElEQVR4nGOUi1rAAANMDEgAhQMAKJIB"
    "HpZd3HAAAAAASUVORK5CYII="
)
_SPACER_GIF = "data:image/gif;base64,R0lGODdhAQABAIEAAP///wAAAAAAAAAAACwAAAAAAQABAAAIBAABBAQAOw=="
_NOT_AN_IMAGE = "data:image/png;base64,PGh0bWw+Tm90IGZvdW5kPC9odG1sPg=="
_GIF_CALLED_PNG = "data:image/png;base64,R0lGODdhAQABAIEAAP///wAAAAAAAAAAACwAAAAAAQABAAAIBAABBAQAOw=="

_REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.I)
_DATA_URI = re.compile(r"^data:([a-z0-9.+/-]*)((?:;[^,;]*)*?)(;base64)?,", re.I)
_DATA_TYPES = {
    "image/gif": "GIF",
    "image/png": "PNG",
    "image/apng": "PNG",
    "image/jpeg": "JPEG",
    "image/jpg": "JPEG",
    "image/webp": "WEBP",
}
_CSS_PX = re.compile(r"(?:^|;)\s*(width|height)\s*:\s*(\d+(?:\.\d+)?)(?:px)?\s*(?=;|$)", re.I)
_LIMITS = Limits()
# Sizes beyond this are not real layout sizes (and rule out inf / nan from float parsing).
_LARGEST_CSS_PX = 100_000.0


@dataclass(frozen=True)
class ImageRef:
    """One image a post shows, where it is named, and the size it is displayed at (if the markup says)."""

    src: str
    element: Tag | None  # None for the front matter's feature image
    line: int
    alt: str | None
    display_size: tuple[float, float] | None

    @property
    def shown(self) -> str:
        """The reference as an editor would recognise it, short enough for a one-line message."""
        if self.src.lower().startswith("data:"):
            return "Inline image"
        return self.src if len(self.src) <= 40 else "…" + self.src[-39:]


@dataclass(frozen=True)
class Inspected:
    """An image reference with what opening it found: facts, a refusal, or nothing (not checked)."""

    ref: ImageRef
    facts: ImageFacts | None = None
    error: ImageError | None = None
    missing: bool = False


# -- finding the images a post shows ------------------------------------------------------------------


def _not_displayed(el: Tag) -> bool:
    """Not rendered at all: `hidden`, inline `display:none`, or inside a template or noscript."""
    node: Tag | None = el
    while node is not None and node.name not in ("[document]", "body"):
        if node.has_attr("hidden") or node.name in ("template", "noscript"):
            return True
        style = attr(node, "style")
        if style and _DISPLAY_NONE.search(style):
            return True
        node = node.parent
    return False


def _display_size(el: Tag) -> tuple[float, float] | None:
    """Width and height in CSS px from the `width`/`height` attributes or inline style, when both known."""
    sizes: dict[str, float] = {}
    for name in ("width", "height"):
        value = (attr(el, name) or "").strip().removesuffix("px")
        try:
            number = float(value)
        except ValueError:
            continue
        if 0 < number < _LARGEST_CSS_PX:
            sizes[name] = number
    for name, value in _CSS_PX.findall(attr(el, "style") or ""):
        if 0 < float(value) < _LARGEST_CSS_PX:
            sizes[name.lower()] = float(value)
    if "width" in sizes and "height" in sizes:
        return sizes["width"], sizes["height"]
    return None


def _srcset_urls(value: str) -> list[str]:
    urls = []
    for candidate in value.split(","):
        parts = candidate.strip().split()
        if parts and not parts[0].lower().startswith("data:"):
            urls.append(parts[0])
    return urls


def image_refs(doc: Document) -> list[ImageRef]:
    """Every image the post displays: the feature image, then body images and `srcset` candidates."""
    refs: list[ImageRef] = []
    feature = doc.front_matter.get("feature_image")
    if isinstance(feature, dict) and isinstance(feature.get("src"), str) and feature["src"].strip():
        alt = feature.get("alt")
        refs.append(
            ImageRef(
                feature["src"].strip(),
                None,
                doc.front_matter_lines.get("feature_image", 1),
                alt if isinstance(alt, str) else None,
                None,
            )
        )
    for el in doc.by_tag("img", "source"):
        if _not_displayed(el):
            continue
        line = doc.line_of(el)
        alt = attr(el, "alt") if el.name == "img" else None
        size = _display_size(el)
        seen: set[str] = set()
        src = (attr(el, "src") or "").strip()
        if src and el.name == "img":
            refs.append(ImageRef(src, el, line, alt, size))
            seen.add(src)
        for url in _srcset_urls(attr(el, "srcset") or ""):
            if url not in seen:
                seen.add(url)
                refs.append(ImageRef(url, el, line, alt, size))
    return refs


# -- opening them --------------------------------------------------------------------------------------


def _local_path(doc: Document, src: str) -> Path | None:
    """The file a local reference names, or None for remote URLs."""
    if _REMOTE.match(src):
        return None  # http(s), file: and other URLs are never fetched or read
    path = unquote(urlsplit(src).path)
    if path.startswith("/"):
        return doc.content_root / path.lstrip("/")
    return doc.base_dir / path


def _located(doc: Document) -> bool:
    """Whether the post has a real place on disk, so a missing image is really missing."""
    return doc.path != "<source>" and doc.base_dir.is_dir()


@lru_cache(maxsize=256)
def _inspect_file(
    path: str, modified_ns: int, size: int, display: tuple[float, float] | None, thresholds: FlashThresholds
) -> ImageFacts | ImageError:
    del modified_ns, size  # part of the cache key only: a changed file is inspected again
    try:
        with open(path, "rb") as handle:
            data = handle.read(_LIMITS.max_bytes + 1)
        return inspect_image(data, path, display_size=display, limits=_LIMITS, thresholds=thresholds)
    except ImageError as exc:
        return exc
    except OSError as exc:
        return ImageError("unreadable", path, f"cannot be read ({exc.strerror or exc})")


@lru_cache(maxsize=64)
def _inspect_data_uri(
    uri: str, display: tuple[float, float] | None, thresholds: FlashThresholds
) -> ImageFacts | ImageError | None:
    match = _DATA_URI.match(uri)
    if match is None or not match.group(3):
        return None  # not base64 (e.g. inline SVG text): nothing raster to check
    expected = _DATA_TYPES.get(match.group(1).lower())
    if expected is None:
        return None
    name = "inline data: image"
    payload = uri[match.end() :]
    if len(payload) > _LIMITS.max_bytes * 4 // 3 + 4:
        return ImageError("too-large", name, f"over the {_LIMITS.max_bytes:,}-byte limit")
    try:
        data = base64.b64decode(unquote(payload), validate=False)
    except (binascii.Error, ValueError):
        return ImageError("unreadable", name, "its base64 data is damaged")
    try:
        return inspect_image(
            data, name, display_size=display, limits=_LIMITS, thresholds=thresholds, expected_format=expected
        )
    except ImageError as exc:
        return exc


def inspect_ref(doc: Document, ref: ImageRef, thresholds: FlashThresholds) -> Inspected:
    """Open one referenced image (cached); SVG and remote images are not checked."""
    if ref.src.lower().startswith("data:"):
        found = _inspect_data_uri(ref.src, ref.display_size, thresholds)
    else:
        path = _local_path(doc, ref.src)
        if path is None or path.suffix.lower() == ".svg":
            return Inspected(ref)
        try:
            info = path.stat()
        except (OSError, ValueError):  # ValueError: a NUL character in the path
            return Inspected(ref, missing=_located(doc))
        if not stat.S_ISREG(info.st_mode):
            return Inspected(ref, error=ImageError("unreadable", ref.src, "is not a regular file"))
        found = _inspect_file(os.fspath(path), info.st_mtime_ns, info.st_size, ref.display_size, thresholds)
    if isinstance(found, ImageError):
        return Inspected(ref, error=found)
    return Inspected(ref, facts=found)


def inspected_images(doc: Document, thresholds: FlashThresholds | None = None) -> list[Inspected]:
    """Every image of the post, inspected once per document for all media rules sharing `thresholds`."""
    thresholds = thresholds or FlashThresholds()
    by_thresholds: dict[FlashThresholds, list[Inspected]] = doc.__dict__.setdefault(_CACHE_ATTR, {})
    found = by_thresholds.get(thresholds)
    if found is None:
        found = by_thresholds[thresholds] = [inspect_ref(doc, ref, thresholds) for ref in image_refs(doc)]
    return found


def _report(ctx: RuleContext, ref: ImageRef, message: str, hint: str | None = None) -> Finding:
    where: Tag | int = ref.element if ref.element is not None else ref.line
    snippet = None if ref.element is not None else f"feature_image: {ref.src}"[:120]
    return ctx.report(where, message if len(message) < 80 else message[:78] + "…", hint, snippet=snippet)


def _thresholds(options: dict[str, Any]) -> FlashThresholds:
    model = str(options.get("red_model", "wcag22")).lower()
    if model not in ("wcag22", "wcag21"):
        raise ConfigError(f"option red_model of MED001 must be 'wcag22' or 'wcag21', got {model!r}")
    return FlashThresholds(
        max_flashes_per_second=int(options.get("max_flashes_per_second", 3)),
        field_fraction=float(options.get("field_fraction", 0.25)),
        red_model="wcag21" if model == "wcag21" else "wcag22",
    )


# -- the rules -----------------------------------------------------------------------------------------


@rule(
    id="MED001",
    name="image-flashes",
    severity="error",
    wcag=["2.3.1"],
    summary="An animated image flashes more than three times a second over a large enough area.",
    why=(
        "Flashing can cause seizures in people with photosensitive epilepsy, and the harm is done before "
        "anyone can look away: WCAG 2.3.1 is one of the few criteria that apply to a whole page whatever "
        "else it offers. A general flash is a swing in relative luminance of 10% or more where the darker "
        "state is below 0.8; a red flash is a change to or from a saturated red (WCAG 2.2's definition). "
        "More than three flashes in any one second fail when the flashing part covers more than a quarter "
        "of a 10-degree field of view (21,824 of 341 x 256 CSS px) as displayed. Looping animations are "
        "checked while looping, with browser frame timings. Fine balanced patterns (noise, dithering, small "
        "checkerboards) are exempt, as WCAG allows. This is a screening check, not a certification."
    ),
    fix="Remove the flashing, slow it to three flashes a second or fewer, or show it much smaller.",
    bad=[f'<img src="{_FLASHING_GIF}" width="400" height="300" alt="Strobe light at the gig">'],
    good=[
        f'<img src="{_FLASHING_GIF}" width="80" height="60" alt="Small blinking light">',
        f'<img src="{_STILL_PNG}" width="400" height="300" alt="Blue sky">',
    ],
    options={"max_flashes_per_second": 3, "field_fraction": 0.25, "red_model": "wcag22"},
)
def image_flashes(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    thresholds = _thresholds(ctx.options)
    animated = 0
    for found in inspected_images(doc, thresholds):
        facts = found.facts
        if facts is None or facts.flash is None:
            continue
        animated += 1
        if not facts.flash.fails:
            continue
        worst = facts.flash.worst
        count = f"{worst.flashes_per_second:g}"
        if worst.kind == "red":
            message = f"{found.ref.shown} has {count} red flashes in one second"
        else:
            message = f"{found.ref.shown} flashes {count} times in one second"
        if worst.at_ms:
            message += f" (at {worst.at_ms / 1000:.1f} s)"
        yield _report(
            ctx,
            found.ref,
            message,
            f"Flashing covers {worst.area:,.0f} px² of a 10° field (limit {worst.area_limit:,.0f});"
            " remove it, slow it to 3 a second, or show it smaller",
        )
    ctx.metric("media.animated_images", animated)


@rule(
    id="MED002",
    name="animation-too-long",
    severity="warning",
    wcag=["2.2.2"],
    summary="An animated image plays for more than five seconds (or loops forever) with no way to stop it.",
    why=(
        "Movement that goes on pulls attention away from the text: readers with attention or reading "
        "difficulties cannot concentrate, and screen magnifier users lose their place. WCAG 2.2.2 (Pause, "
        "Stop, Hide) allows automatic movement for five seconds; longer needs a pause control, which an "
        "image does not have (technique G152). Play time is the frame delays, as browsers show them (10 ms "
        "or less counts as 100 ms), times the number of plays; an endless loop is always too long. A "
        "warning, because a page may offer its own pause control that the audit cannot see."
    ),
    fix="Make it stop within five seconds (fewer loops, or play once), or use a video with controls.",
    bad=[f'<img src="{_LOOPING_GIF}" alt="Logo shimmering">'],
    good=[f'<img src="{_ONCE_GIF}" alt="Logo shimmering once">', f'<img src="{_STILL_PNG}" alt="Blue sky">'],
    options={"max_seconds": 5.0},
)
def animation_too_long(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    limit_ms = float(ctx.options.get("max_seconds", FIVE_SECONDS_MS / 1000)) * 1000
    for found in inspected_images(doc, FlashThresholds()):
        timing = found.facts.timing if found.facts is not None else None
        if timing is None or not timing.longer_than(limit_ms):
            continue
        limit = f"{limit_ms / 1000:g} s"
        if timing.endless:
            message = f"{found.ref.shown} animates forever (limit {limit})"
        else:
            message = f"{found.ref.shown} animates for {(timing.total_ms or 0) / 1000:g} s (limit {limit})"
        yield _report(ctx, found.ref, message)


@rule(
    id="MED003",
    name="image-unreadable",
    severity="error",
    wcag=["1.1.1", "2.3.1"],
    summary="An image file is missing, damaged, not what its extension says, or too large to check safely.",
    why=(
        "A missing or broken image shows readers a broken-image icon, and a file whose content does not "
        "match its name (a JPEG saved as .png, an HTML error page saved as .gif) is served with the wrong "
        "type and may not display at all. An image that cannot be opened also cannot be checked for "
        "flashing, so the audit refuses to pass it. Files are refused without being decoded when they "
        "are over the size limits: a decompression bomb (a tiny file that decodes to billions of pixels), "
        "more than 5,000 frames, frames over about 8 megapixels, or over 64 MB."
    ),
    fix="Re-export the image as a real GIF, PNG, JPEG or WebP with the matching extension, or fix the path.",
    bad=[
        f'<img src="{_GIF_CALLED_PNG}" alt="Our new logo">',
        f'<img src="{_NOT_AN_IMAGE}" alt="Our new logo">',
    ],
    good=[
        f'<img src="{_STILL_PNG}" alt="Blue sky">',
        "![A photo hosted elsewhere](https://example.org/garden.jpg)",
    ],
)
def image_unreadable(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    for found in inspected_images(doc, FlashThresholds()):
        if found.missing:
            yield _report(ctx, found.ref, f"Image file not found: {found.ref.shown}")
        elif found.error is not None:
            yield _report(ctx, found.ref, f"{found.ref.shown}: {found.error.detail}")


@rule(
    id="MED004",
    name="spacer-image-with-alt",
    severity="warning",
    wcag=["1.1.1"],
    summary="A tiny spacer or tracking image (2 x 2 px or smaller) has alt text.",
    why=(
        "Images of one or two pixels are spacers or tracking pixels: nobody can see them, but screen "
        "readers read their alt text aloud, which interrupts the text with words that describe nothing "
        "(WCAG technique F38 and H67). Give them an empty alt so assistive technology skips them."
    ),
    fix='Give the spacer image alt="" (or remove it and use CSS for spacing).',
    bad=[f'<img src="{_SPACER_GIF}" alt="spacer">'],
    good=[f'<img src="{_SPACER_GIF}" alt="">', f'<img src="{_STILL_PNG}" alt="Blue sky">'],
)
def spacer_image_with_alt(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    for found in inspected_images(doc, FlashThresholds()):
        facts = found.facts
        alt = (found.ref.alt or "").strip()
        if facts is None or not alt or facts.width > 2 or facts.height > 2:
            continue
        yield _report(ctx, found.ref, f"Spacer image ({facts.width} x {facts.height} px) has alt text")
