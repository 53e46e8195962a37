"""Alt-text rules (ALT): whether images have a text alternative, and whether it is a real one.

The checks for a missing name follow the W3C ACT rules; the checks of alt quality follow WCAG failure F30,
Sa11y, Editoria11y and Wagtail (see docs/rules). Only what good writing never does is an error.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from bs4 import NavigableString, Tag

from ..aria import (
    PRESENTATIONAL,
    accessible_name,
    attr,
    has_global_naming_attr,
    is_focusable,
    is_presentational,
    role_of,
)
from ..context import RuleContext
from ..document import Document, find_ancestor, next_element_sibling, normalize_space
from ..model import Finding
from ..registry import rule

IMAGE_EXTENSIONS = (
    "apng", "avif", "bmp", "gif", "heic", "heif", "ico", "jfif", "jpe", "jpeg", "jpg", "png", "svg", "tif",
    "tiff", "webp",
)  # fmt: skip
_FILE_NAME = re.compile(r"^[^\s/\\]+\.(?:" + "|".join(IMAGE_EXTENSIONS) + r")$", re.I)
_PATH = re.compile(r"^(?:[a-z]:)?[\w.-]*[/\\][^\s]*\.(?:" + "|".join(IMAGE_EXTENSIONS) + r")$", re.I)
_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.I)
# A file stem that reads as machine-made: an underscore, a digit, or two hyphens ("img_2041", "a-b-c").
_MACHINE_STEM = re.compile(r"[_\d]|-.*-")
_LETTERS = re.compile(r"[^\W\d_]+")
_DIMENSIONS = re.compile(r"\b\d{2,6}\s*[x×]\s*\d{2,6}\b", re.I)
_CAMERA_NAME = re.compile(r"^(?:img|dsc|dscn|dcim|pxl|photo|image|screenshot)[_-]?\d{3,}", re.I)
_PLACEHOLDER_SET = frozenset(
    {
        "alt", "alt text", "chart", "decorative", "graphic", "icon", "image", "img", "picture", "pic",
        "photo", "photograph", "portrait", "placeholder", "placeholder image", "spacer", "tbd", "todo",
        "to do", "thumbnail", "test", "hero image", "hero slide", "slide image", "featured image",
        "feature image", "untitled", "untitled image", "unnamed", "undefined", "null", "none", "blank",
        "insert alt text", "description", "image description", "alt tag",
    }
)  # fmt: skip
_PLACEHOLDER_NUMBERED = re.compile(r"^(?:image|img|picture|pic|photo|graphic|figure|fig)\s*#?\s*\d+$", re.I)
_REDUNDANT_OPENING = re.compile(
    r"^(?:an?\s+|the\s+)?(?:image|picture|photo|photograph|graphic|pic|img)\s+(?:of|showing|shows|depicting)\b",
    re.I,
)
_SVG_IMAGE_ROLES = frozenset({"img", "graphics-document", "graphics-symbol"})
_OBJECT_MEDIA = re.compile(r"\.(?:" + "|".join(IMAGE_EXTENSIONS) + r"|mp4|webm|ogv|mov|mp3|ogg|wav)$", re.I)
_ADJACENT_CONTAINERS = ("a", "button", "p", "li", "td", "th", "figcaption")


def _key(text: str) -> str:
    """Text compared loosely: case, punctuation at the ends and runs of space ignored."""
    return normalize_space(text).strip(" .,:;!?\"'()[]-–—").casefold()


@dataclass(frozen=True)
class ImageAlt:
    """An image's alt text to judge, from an `img` element or the front matter's feature image."""

    alt: str
    src: str
    where: Tag | int


def _images_with_alt(doc: Document) -> Iterator[ImageAlt]:
    for img in doc.images:
        if doc.is_hidden(img):
            continue
        src = attr(img, "src") or ""
        if img.has_attr("aria-label") or img.has_attr("aria-labelledby"):
            # Screen readers announce the ARIA name instead of the alt, so that is the text to judge.
            name = accessible_name(doc, img)
            if name:
                yield ImageAlt(name, src, img)
                continue
        alt = attr(img, "alt")
        if alt is None or not alt.strip():
            continue
        yield ImageAlt(alt, src, img)
    feature = _feature_image(doc)
    if feature is not None and feature.alt.strip():
        yield feature


def _feature_image(doc: Document) -> ImageAlt | None:
    value = doc.front_matter.get("feature_image")
    if not isinstance(value, dict) or not value.get("src"):
        return None
    alt = value.get("alt")
    line = doc.front_matter_lines.get("feature_image", 1)
    return ImageAlt("" if alt is None else str(alt), str(value["src"]), line)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _file_name(src: str) -> str:
    if not src or src.startswith("data:"):
        return ""
    return unquote(PurePosixPath(urlsplit(src).path).name)


# -- a text alternative exists -------------------------------------------------------------------------


@rule(
    id="ALT001",
    name="image-missing-alt",
    severity="error",
    wcag=["1.1.1"],
    act=["23a2a8"],
    summary="An image has no alt text and no other accessible name.",
    why=(
        "Screen readers announce an image without alt text by its file name or just as 'image', so "
        "blind readers miss what it shows (WCAG failure F65; ACT rule 'Image has non-empty accessible "
        "name'). In Markdown, `![](photo.jpg)` has no alt text: write what the image shows between the "
        'brackets, or use `<img src="..." alt="">` for a purely decorative image. The feature image '
        "in front matter needs `alt` too."
    ),
    fix='Add alt text that says what the image shows, or alt="" if it is purely decorative.',
    bad=[
        "![](images/team-photo.jpg)",
        '<p><img src="chart.png"></p>',
        "---\ntitle: Spring fair\nfeature_image:\n  src: /images/fair.jpg\n---\nHello.\n",
    ],
    good=[
        "![Five volunteers planting trees in the park](images/planting.jpg)",
        '<img src="divider.png" alt="">',
        '<img src="logo.png" aria-label="Riverside Community Trust">',
        "---\ntitle: Fair\nfeature_image:\n  src: /images/fair.jpg\n  alt: Stalls on the green\n---\nHi.\n",
    ],
)
def image_missing_alt(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    for img in doc.images:
        if doc.is_hidden(img) or img.has_attr("alt") or is_presentational(img):
            continue
        if accessible_name(doc, img):
            continue
        name = _file_name(attr(img, "src") or "")
        yield ctx.report(
            img, f"Image has no alt text ({_shorten(name, 50)})" if name else "Image has no alt text"
        )
    feature = _feature_image(doc)
    if feature is not None and not feature.alt.strip():
        yield ctx.report(feature.where, "The feature image has no alt text")


@rule(
    id="ALT002",
    name="image-alt-whitespace",
    severity="error",
    wcag=["1.1.1"],
    act=["23a2a8"],
    summary="An image's alt text is only spaces.",
    why=(
        "An alt made of spaces is neither a description nor the empty alt that marks a decorative image; "
        "some screen readers then read the file name (axe-core 'alt-space-value')."
    ),
    fix='Describe the image, or use alt="" (no space) if it is purely decorative.',
    bad=['<img src="team.jpg" alt=" ">'],
    good=['<img src="team.jpg" alt="The new team on the office steps">', '<img src="rule.png" alt="">'],
)
def image_alt_whitespace(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    for img in doc.images:
        alt = attr(img, "alt")
        if alt and not alt.strip() and not doc.is_hidden(img):
            yield ctx.report(img, "Image alt text is only spaces")


@rule(
    id="ALT003",
    name="role-img-missing-name",
    severity="error",
    wcag=["1.1.1"],
    act=["23a2a8"],
    summary='An element with role="img" has no accessible name.',
    why=(
        'role="img" tells screen readers the element is an image, so it needs a name just like an '
        "<img> needs alt text (axe-core 'role-img-alt')."
    ),
    fix="Give the element an aria-label (or aria-labelledby) that says what the image shows.",
    bad=['<div role="img" class="chart"></div>'],
    good=['<div role="img" aria-label="Bar chart: donations doubled in 2025"></div>'],
)
def role_img_missing_name(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    for el in doc.with_attr("role"):
        if el.name in ("img", "svg") or role_of(el) != "img" or doc.is_hidden(el):
            continue
        if any(p.name == "svg" for p in el.parents):
            continue
        if not accessible_name(doc, el):
            yield ctx.report(el, 'Element with role="img" has no accessible name')


@rule(
    id="ALT004",
    name="svg-missing-name",
    severity="error",
    wcag=["1.1.1"],
    act=["7d6734"],
    summary="An SVG graphic with an image role has no accessible name.",
    why=(
        "An <svg> (or a shape inside one) with role img, graphics-document or graphics-symbol is "
        "announced as an image; without a <title> or aria-label it is an image with no description. Text "
        "drawn with <text> does not count."
    ),
    fix="Add a <title> as the first child of the <svg>, or an aria-label.",
    bad=['<svg role="img" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4"/></svg>'],
    good=[
        '<svg role="img" viewBox="0 0 10 10"><title>Green dot: open</title>'
        '<circle cx="5" cy="5" r="4"/></svg>',
        '<svg aria-hidden="true" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4"/></svg>',
    ],
)
def svg_missing_name(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    for svg in doc.by_tag("svg"):
        candidates = [svg, *(d for d in svg.find_all(True) if d.has_attr("role"))]
        for el in candidates:
            if role_of(el) not in _SVG_IMAGE_ROLES or doc.is_hidden(el):
                continue
            if not accessible_name(doc, el):
                yield ctx.report(el, "SVG image has no title or aria-label")


@rule(
    id="ALT005",
    name="image-button-missing-name",
    severity="error",
    wcag=["1.1.1", "4.1.2"],
    act=["59796f"],
    summary='An image button (input type="image") has no accessible name.',
    why=(
        "An image button's alt text is the button's label; without it a screen reader says only "
        "'button', and speech-input users cannot name it (WCAG failure F65)."
    ),
    fix='Add alt text that says what the button does, e.g. alt="Search".',
    bad=['<input type="image" src="search.svg" name="go">'],
    good=['<input type="image" src="search.svg" alt="Search">'],
)
def image_button_missing_name(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    for el in doc.by_tag("input"):
        if str(el.get("type", "")).strip().lower() != "image" or doc.is_hidden(el):
            continue
        if not accessible_name(doc, el):
            yield ctx.report(el, "Image button has no alt text or label")


@rule(
    id="ALT006",
    name="area-missing-alt",
    severity="error",
    wcag=["1.1.1", "2.4.4", "4.1.2"],
    act=["c487ae"],
    summary="A clickable area of an image map has no alt text.",
    why=(
        "Each <area> with an href is a link; its alt text is the link's name. Without it, screen readers "
        "read the address or nothing (axe-core 'area-alt')."
    ),
    fix="Give each <area> alt text naming where it leads.",
    bad=['<map name="m"><area shape="rect" coords="0,0,10,10" href="/sun"></map>'],
    good=['<map name="m"><area shape="rect" coords="0,0,10,10" href="/sun" alt="The Sun"></map>'],
)
def area_missing_alt(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    for el in doc.by_tag("area"):
        if not el.has_attr("href") or doc.is_hidden(el):
            continue
        if not accessible_name(doc, el):
            yield ctx.report(el, "Image map area has no alt text")


@rule(
    id="ALT007",
    name="object-missing-name",
    severity="error",
    wcag=["1.1.1"],
    act=["8fc3b6"],
    summary="An <object> showing an image, audio or video has no accessible name.",
    why=(
        "Screen readers cannot describe what an <object> shows unless it has a name from aria-label, "
        "aria-labelledby or title (axe-core 'object-alt')."
    ),
    fix="Add an aria-label or title that says what the object shows.",
    bad=['<object data="map.png" type="image/png"></object>'],
    good=['<object data="map.png" type="image/png" aria-label="Map of the new bus routes"></object>'],
)
def object_missing_name(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    for el in doc.by_tag("object"):
        if doc.is_hidden(el) or is_presentational(el):
            continue
        kind = str(el.get("type", "")).lower()
        data = attr(el, "data") or ""
        media = kind.startswith(("image/", "audio/", "video/")) or bool(_OBJECT_MEDIA.search(data))
        if not media:
            continue
        if not accessible_name(doc, el):
            yield ctx.report(el, "Embedded object has no accessible name")


@rule(
    id="ALT008",
    name="decorative-image-exposed",
    severity="error",
    wcag=["1.1.1"],
    act=["46ca7f"],
    summary="An element marked decorative also has a label, a title or focus, so it is not ignored.",
    why=(
        'alt="" or role="none" says "ignore me", but an aria-label, aria-labelledby, a tabindex or (on '
        "an image) a title makes browsers expose it anyway, with mixed signals (WCAG technique H67; ACT "
        "rule 'Element marked as decorative is not exposed')."
    ),
    fix="Decide: if it is decorative remove the label/title/tabindex; if not, give it real alt text.",
    bad=[
        '<img src="flourish.png" alt="" aria-label="Flourish">',
        '<img src="swirl.png" alt="" title="swirl">',
    ],
    good=['<img src="flourish.png" alt="">', '<img src="logo.png" alt="" role="presentation">'],
)
def decorative_image_exposed(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    seen: set[int] = set()
    candidates = [el for el in doc.images if attr(el, "alt") == ""]
    candidates += [el for el in doc.with_attr("role") if role_of(el) in PRESENTATIONAL]
    for el in candidates:
        if id(el) in seen or doc.is_hidden(el):
            continue
        seen.add(id(el))
        title = attr(el, "title")
        if has_global_naming_attr(el) or is_focusable(el):
            yield ctx.report(el, "Decorative element also has a label or keyboard focus")
        elif el.name == "img" and title is not None and title.strip():
            yield ctx.report(el, 'Image has alt="" but also a title')


# -- the alt text is a real description --------------------------------------------------------------


@rule(
    id="ALT009",
    name="alt-is-file-name",
    severity="error",
    wcag=["1.1.1"],
    summary="An image's alt text is a file name, a path or a web address.",
    why=(
        "Content systems often fill alt with the file name; a screen reader then reads 'IMG underscore "
        "2041 dot jpg' (WCAG failure F30; ACT rule 9eb3f6)."
    ),
    fix="Replace it with a short description of what the image shows.",
    bad=["![IMG_2041.JPG](images/IMG_2041.JPG)", '<img src="a/b/team.png" alt="team.png">'],
    good=[
        "![The team at the spring fair](images/IMG_2041.JPG)",
        '<img src="x.png" alt="Sunset over Leith">',
        '<img src="a/IMG_2041.jpg" alt="IMG_2041.jpg" aria-label="The team at the spring fair">',
    ],
)
def alt_is_file_name(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    for image in _images_with_alt(doc):
        alt = image.alt.strip()
        name = _file_name(image.src)
        stem = name.rsplit(".", 1)[0] if "." in name else name
        is_file = bool(_FILE_NAME.match(alt) or _PATH.match(alt))
        if not is_file and name:
            folded = alt.casefold()
            is_file = folded == name.casefold() or (
                folded == stem.casefold() and " " not in alt and _MACHINE_STEM.search(stem) is not None
            )
        if is_file or _CAMERA_NAME.match(alt):
            yield ctx.report(image.where, "Alt text is a file name, not a description")
        elif _URL.match(alt):
            yield ctx.report(image.where, "Alt text is a web address, not a description")


@rule(
    id="ALT010",
    name="alt-is-dimensions",
    severity="error",
    wcag=["1.1.1"],
    summary="An image's alt text is only its size, such as 1200x800.",
    why="Pixel dimensions tell a listener nothing about the image (Sa11y 'ALT_FILE_EXT').",
    fix="Replace the size with a short description of what the image shows.",
    bad=['<img src="hero.jpg" alt="1200x800">', '<img src="b.jpg" alt="banner 728 x 90">'],
    good=['<img src="hero.jpg" alt="Volunteers sorting food parcels">'],
)
def alt_is_dimensions(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    for image in _images_with_alt(doc):
        match = _DIMENSIONS.search(image.alt)
        if match is None:
            continue
        rest = _DIMENSIONS.sub(" ", image.alt)
        words = _LETTERS.findall(rest)
        if len(words) <= 2:
            yield ctx.report(image.where, "Alt text gives the image size, not what it shows")


@rule(
    id="ALT011",
    name="alt-placeholder",
    severity="error",
    wcag=["1.1.1"],
    summary='An image\'s alt text is a placeholder such as "image", "photo" or "spacer".',
    why=(
        "Placeholder words only repeat that there is an image, which the screen reader already said "
        "(WCAG failures F30 and F39; Sa11y and Editoria11y treat these as errors)."
    ),
    fix='Describe what the image shows, or use alt="" if it is purely decorative.',
    bad=["![image](images/fair.jpg)", '<img src="s.gif" alt="spacer">', '<img src="p.jpg" alt="Photo 1">'],
    good=["![Children painting a mural on the library wall](images/fair.jpg)", '<img src="s.gif" alt="">'],
)
def alt_placeholder(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    for image in _images_with_alt(doc):
        key = _key(image.alt)
        if key in _PLACEHOLDER_SET or _PLACEHOLDER_NUMBERED.match(key) or key.isdigit():
            yield ctx.report(image.where, f'Alt text "{image.alt.strip()[:40]}" is a placeholder')


def _pronounceable(text: str) -> bool:
    for ch in text:
        if ch.isalnum():
            return True
        if unicodedata.category(ch) == "So":  # emoji and other symbols have names screen readers read
            return True
    return False


@rule(
    id="ALT012",
    name="alt-unpronounceable",
    severity="error",
    wcag=["1.1.1"],
    summary='An image\'s alt text is only punctuation, such as "-" or "...".',
    why="Punctuation is read as nothing or as symbol names; it does not describe the image (Sa11y).",
    fix='Describe the image, or use alt="" if it is purely decorative.',
    bad=['<img src="line.png" alt="---">'],
    good=['<img src="line.png" alt="">', '<img src="q.png" alt="?!: the quiz logo">'],
)
def alt_unpronounceable(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    for image in _images_with_alt(doc):
        if not _pronounceable(image.alt):
            yield ctx.report(image.where, "Alt text has no words, only punctuation")


@rule(
    id="ALT013",
    name="alt-image-of",
    severity="warning",
    wcag=["1.1.1"],
    summary='Alt text starts with "image of", "photo of" or similar.',
    why=(
        "Screen readers already say it is an image, so 'image of' is heard twice. It is a judgement call "
        "(the kind of image sometimes matters), so it is a warning (Editoria11y 'altImageOf')."
    ),
    fix='Start with what the image shows: "Volunteers at the fair", not "Image of volunteers at the fair".',
    bad=["![Image of volunteers at the fair](fair.jpg)", '<img src="a.jpg" alt="A photo of the new hall">'],
    good=["![Volunteers at the fair](fair.jpg)", '<img src="a.jpg" alt="Photographer Ana Silva at work">'],
)
def alt_image_of(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    for image in _images_with_alt(doc):
        if _REDUNDANT_OPENING.match(image.alt.strip()):
            yield ctx.report(image.where, 'Alt text starts with "image of" or similar')


def _markdown_caption(img: Tag) -> str | None:
    """An italic line set as a caption right under an image: `![alt](x.jpg)` then `*caption*`."""
    parent = img.parent
    if parent is None or parent.name != "p" or find_ancestor(img, ("figure",)) is not None:
        return None
    after = img.next_sibling
    while after is not None and (
        (isinstance(after, NavigableString) and not after.strip())
        or (isinstance(after, Tag) and after.name == "br")
    ):
        after = after.next_sibling
    if isinstance(after, Tag) and after.name in ("em", "i"):
        return after.get_text(" ")
    if after is None:
        nxt = next_element_sibling(parent)
        if isinstance(nxt, Tag) and nxt.name == "p":
            children = [c for c in nxt.children if not (isinstance(c, NavigableString) and not c.strip())]
            if len(children) == 1 and isinstance(children[0], Tag) and children[0].name in ("em", "i"):
                return children[0].get_text(" ")
    return None


@rule(
    id="ALT014",
    name="alt-same-as-caption",
    severity="warning",
    wcag=["1.1.1"],
    summary="An image's alt text repeats its caption word for word.",
    why=(
        "Screen reader users hear the same words twice. The caption can carry the context while the alt "
        "says what the image shows (Sa11y 'IMAGE_FIGURE_DUPLICATE_ALT')."
    ),
    fix='Make the alt describe the picture and let the caption add the context, or use alt="".',
    bad=[
        '<figure><img src="a.jpg" alt="Our new hall"><figcaption>Our new hall</figcaption></figure>',
        "![The new hall](hall.jpg)\n*The new hall*\n",
        "---\nfeature_image:\n  src: a.jpg\n  alt: The new hall\n  caption: The new hall\n---\nText.\n",
    ],
    good=[
        '<figure><img src="a.jpg" alt="A bright room with a wooden floor">'
        "<figcaption>Our new hall opens on Monday</figcaption></figure>"
    ],
)
def alt_same_as_caption(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    for fig in doc.by_tag("figure"):
        caption = fig.find("figcaption")
        if caption is None or doc.is_hidden(fig):
            continue
        text = _key(caption.get_text(" "))
        if not text:
            continue
        for img in fig.find_all("img"):
            alt = attr(img, "alt")
            if alt and _key(alt) == text:
                yield ctx.report(img, "Alt text is the same as the caption")
    for img in doc.images:
        alt = attr(img, "alt")
        written = _markdown_caption(img)
        if alt and written is not None and _key(alt) == _key(written) and not doc.is_hidden(img):
            yield ctx.report(img, "Alt text is the same as the caption")
    feature = doc.front_matter.get("feature_image")
    if (
        isinstance(feature, dict)
        and feature.get("alt")
        and feature.get("caption")
        and _key(str(feature["alt"])) == _key(str(feature["caption"]))
    ):
        line = doc.front_matter_lines.get("feature_image", 1)
        yield ctx.report(line, "The feature image's alt text is the same as its caption")


@rule(
    id="ALT015",
    name="alt-same-as-nearby-text",
    severity="warning",
    wcag=["1.1.1"],
    summary="An image's alt text repeats the text right next to it.",
    why=(
        "When the link, button or paragraph around an image already says the same words, the alt makes "
        "screen readers say them twice (axe-core 'image-redundant-alt')."
    ),
    fix='Use alt="" for the image when the text beside it already says the same thing.',
    bad=['<a href="/donate"><img src="heart.svg" alt="Donate"> Donate</a>'],
    good=['<a href="/donate"><img src="heart.svg" alt=""> Donate</a>'],
)
def alt_same_as_nearby_text(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    for img in doc.images:
        alt = attr(img, "alt")
        if not alt or not alt.strip() or doc.is_hidden(img) or is_presentational(img):
            continue
        container = find_ancestor(img, _ADJACENT_CONTAINERS)
        if container is None or container.name == "figcaption":
            continue
        text = _key(container.get_text(" "))
        if text and text == _key(alt):
            yield ctx.report(img, "Alt text repeats the text next to the image")


@rule(
    id="ALT016",
    name="alt-too-long",
    severity="warning",
    wcag=["1.1.1"],
    summary="An image's alt text is very long (over 250 characters by default).",
    why=(
        "Long alt text cannot be skimmed or navigated; complex images (charts, maps) are better "
        "described in the text or a caption. No screen reader cuts alt off, so this is a warning; 250 "
        "follows Sa11y (Editoria11y uses 160)."
    ),
    fix="Keep the alt to what the image shows in a sentence or two; move details into the text.",
    bad=['<img src="c.png" alt="' + ("A long description of a chart with many numbers. " * 6).strip() + '">'],
    good=['<img src="c.png" alt="Bar chart: donations doubled between 2024 and 2025">'],
    options={"max_length": 250},
)
def alt_too_long(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    limit = int(ctx.options["max_length"])
    for image in _images_with_alt(doc):
        length = len(normalize_space(image.alt))
        if length > limit:
            yield ctx.report(image.where, f"Alt text is {length} characters long (limit {limit})")
