"""Alt-text rules (ALT): whether images have a text alternative, and whether it is a real one."""

from __future__ import annotations

from collections.abc import Iterator

from bs4 import Tag

from ..aria import PRESENTATIONAL, accessible_name, attr, role_of
from ..context import RuleContext
from ..document import Document
from ..model import Finding
from ..registry import rule


def _is_presentational(el: Tag) -> bool:
    return role_of(el) in PRESENTATIONAL


@rule(
    id="ALT001",
    name="image-missing-alt",
    severity="error",
    wcag=["1.1.1"],
    act=["23a2a8"],
    summary="An image has no alt text and no other accessible name.",
    why=(
        "Screen readers announce an image without alt text by its file name or just as 'image', so "
        "blind readers miss what it shows. WCAG failure F65; the ACT rule 'Image has non-empty accessible "
        "name'. In Markdown, `![](photo.jpg)` has no alt text: write what the image shows between the "
        'brackets, or use `<img src="..." alt="">` for a purely decorative image.'
    ),
    fix='Add alt text that says what the image shows, or alt="" if it is purely decorative.',
    bad=["![](images/team-photo.jpg)", '<p><img src="chart.png"></p>'],
    good=[
        "![Five volunteers planting trees in the park](images/planting.jpg)",
        '<img src="divider.png" alt="">',
        '<img src="logo.png" aria-label="Riverside Community Trust">',
    ],
)
def image_missing_alt(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    for img in doc.images:
        if doc.is_hidden(img) or img.has_attr("alt") or _is_presentational(img):
            continue
        if accessible_name(doc, img):
            continue
        src = attr(img, "src") or ""
        shown = f" ({src.rsplit('/', 1)[-1]})" if src else ""
        yield ctx.report(img, f"Image has no alt text{shown}")
