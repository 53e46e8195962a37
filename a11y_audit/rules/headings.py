"""Heading rules (HDG): headings that exist, have names, nest in order and are not faked with bold text.

A post's body sits under the page template's title, which is the `h1`; so in a Markdown post or an HTML
fragment the level before the first body heading is 1 (option `body-start-level`). Whole HTML documents
carry their own `h1`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bs4 import NavigableString, Tag

from ..aria import accessible_name, attr, is_presentational, role_of
from ..context import RuleContext
from ..document import HEADING_TAGS, Document, find_ancestor, next_element_sibling, normalize_space
from ..model import Finding
from ..registry import rule

# A sentence, not a title: a stop, question or exclamation inside, or punctuation at the end. A colon inside
# is allowed ("Day three: the river").
_SENTENCE_PUNCTUATION = re.compile(r"[.;?!]\s|[.:;?!,]$|[\"“”]")
_NOT_A_HEADING_CONTEXT = ("table", "li", "blockquote", "figcaption", "dd", "dt", "td", "th")


def heading_level(el: Tag) -> int:
    """The level a screen reader announces: aria-level when valid, else h1-h6, else 2 for role=heading."""
    level = attr(el, "aria-level")
    if level is not None and level.strip().isascii() and level.strip().isdecimal() and int(level) >= 1:
        return int(level)
    if el.name in HEADING_TAGS and role_of(el) in ("", "heading"):
        return int(el.name[1])
    return 2


def _headings(doc: Document) -> Iterator[Tag]:
    """Headings exposed to assistive technology, in order."""
    for el in doc.headings:
        if doc.is_hidden(el) or is_presentational(el):
            continue
        role = role_of(el)
        if el.name in HEADING_TAGS and role not in ("", "heading", "none", "presentation"):
            continue
        yield el


def _is_post(doc: Document) -> bool:
    return not doc.whole_document


@rule(
    id="HDG001",
    name="heading-empty",
    severity="error",
    wcag=["1.3.1", "2.4.6"],
    act=["ffd0e9"],
    summary="A heading has no text.",
    why=(
        "Screen reader users jump between headings to find their way; an empty heading is announced as "
        "'heading level 2' with nothing after it (ACT rule 'Heading has non-empty accessible name'). An "
        "image with empty alt inside a heading does not give it text."
    ),
    fix="Write the heading's text, or remove the empty heading.",
    bad=["## \n\nSome text.", '<h2><img src="x.png" alt=""></h2>'],
    good=["## What happens next\n\nSome text.", '<h2><img src="logo.png" alt="Our partners"></h2>'],
)
def heading_empty(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    for el in _headings(doc):
        if not accessible_name(doc, el):
            yield ctx.report(el, "Heading is empty")


@rule(
    id="HDG002",
    name="heading-skipped-level",
    severity="warning",
    wcag=["1.3.1"],
    summary="A heading skips a level, such as an h4 right after an h2.",
    why=(
        "Heading levels show how sections nest; a jump from h2 to h4 makes readers wonder what they "
        "missed. Skipping is best practice rather than a WCAG failure (technique G141), so it is a "
        "warning. In a post the template's title is the h1, so the body starts at h2."
    ),
    fix="Use the next level down (the message says which), or restructure the sections.",
    bad=["## Our plans\n\n#### Budget\n\nText.", "### Starts too deep\n\nText."],
    good=["## Our plans\n\n### Budget\n\nText.\n\n## Next year\n\nText."],
    options={"body_start_level": 1},
)
def heading_skipped_level(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    previous: int | None = int(ctx.options["body_start_level"]) if _is_post(doc) else None
    for el in _headings(doc):
        level = heading_level(el)
        if previous is not None and level > previous + 1:
            yield ctx.report(
                el,
                f"Heading level {level} follows level {previous}; expected {previous + 1}",
                f"Make this a level {previous + 1} heading, or add the missing level above it.",
            )
        previous = level


@rule(
    id="HDG003",
    name="heading-h1-in-body",
    severity="warning",
    wcag=["1.3.1"],
    summary="A post's body has a top-level heading (h1) although the page title already is one.",
    why=(
        "The page template shows the post's title as the h1. A second h1 in the body makes two "
        "competing titles for screen reader users who list headings. Set the title in front matter and "
        "start body sections at h2 (##)."
    ),
    fix="Move the title to front matter `title`, and use ## for sections.",
    bad=["# Welcome to our new volunteers\n\nText."],
    good=["## Meet the team\n\nText."],
    options={"body_start_level": 1},
)
def heading_h1_in_body(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    if not _is_post(doc) or int(ctx.options["body_start_level"]) < 1:
        return
    for el in _headings(doc):
        if heading_level(el) == 1:
            yield ctx.report(el, "Top-level heading in the body; the title is already the h1")


@rule(
    id="HDG004",
    name="heading-too-long",
    severity="warning",
    wcag=["2.4.6"],
    summary="A heading is very long (over 160 characters by default).",
    why=(
        "Headings are for scanning; a long one is probably a paragraph set as a heading (Editoria11y "
        "flags over 160 characters, Sa11y over 170)."
    ),
    fix="Shorten the heading to the topic of the section and move the rest into the text.",
    bad=["## " + "This heading goes on and on about everything the section will go on to say " * 3],
    good=["## Where the money goes\n\nText."],
    options={"max_length": 160},
)
def heading_too_long(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    limit = int(ctx.options["max_length"])
    for el in _headings(doc):
        length = len(normalize_space(el.get_text(" ")))
        if length > limit:
            yield ctx.report(el, f"Heading is {length} characters long (limit {limit})")


def _only_bold(p: Tag) -> str | None:
    """The text of a paragraph that is entirely one bold run, else None."""
    bold: Tag | None = None
    for child in p.children:
        if isinstance(child, NavigableString):
            if str(child).strip():
                return None
            continue
        if isinstance(child, Tag):
            if child.name in ("strong", "b") and bold is None:
                bold = child
            elif child.name == "br":
                continue
            else:
                return None
    if bold is None or bold.find("a") is not None:
        return None
    return normalize_space(bold.get_text(" "))


@rule(
    id="HDG005",
    name="bold-paragraph-as-heading",
    severity="warning",
    wcag=["1.3.1"],
    summary="A short paragraph in bold looks like a heading but is not marked as one.",
    why=(
        "Sighted readers see a heading; screen reader users cannot jump to it or hear it as one (WCAG "
        "failure F2). Whether it is meant as a heading is a judgement, so it is a warning."
    ),
    fix="Make it a real heading (## in Markdown) at the right level.",
    bad=[
        "**Opening times**\n\nWe open at nine every weekday and close at five.",
        "**Day three: the river**\n\nOn the last day we walked up the gorge.",
    ],
    good=[
        "## Opening times\n\nWe open at nine every weekday.",
        "**Please bring your own cup.**\n\nThe café has run out.",
    ],
    options={"min_length": 3, "max_length": 120},
)
def bold_paragraph_as_heading(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    low, high = int(ctx.options["min_length"]), int(ctx.options["max_length"])
    for p in doc.by_tag("p"):
        text = _only_bold(p)
        if text is None or not (low <= len(text) <= high) or _SENTENCE_PUNCTUATION.search(text):
            continue
        if find_ancestor(p, _NOT_A_HEADING_CONTEXT) is not None or doc.is_hidden(p):
            continue
        following = next_element_sibling(p)
        if following is None or following.name not in ("p", "ul", "ol", "table", "blockquote", "figure"):
            continue
        yield ctx.report(p, "Bold paragraph looks like a heading")


@rule(
    id="HDG006",
    name="long-section-without-heading",
    severity="info",
    wcag=["2.4.10"],
    summary="A long stretch of text (over 300 words by default) has no sub-heading.",
    why=(
        "Sub-headings let readers skim and find their place; Yoast's readability check asks for one at "
        "least every 300 words. Information only: some pieces read best unbroken (WCAG 2.4.10, AAA)."
    ),
    fix="Break the section up with a sub-heading that says what the next part is about.",
    bad=["## Story\n\n" + ("Word " * 320).strip() + "."],
    good=["## Story\n\n" + ("Word " * 150).strip() + ".\n\n## More\n\n" + ("Word " * 150).strip() + "."],
    options={"max_words": 300},
)
def long_section_without_heading(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    limit = int(ctx.options["max_words"])
    marks: list[tuple[int, Tag | None, int]] = [(doc.order(h), h, 0) for h in _headings(doc)]
    for block in doc.text_blocks:
        marks.append((doc.order(block.element), None, len(block.text.split())))
    marks.sort(key=lambda m: m[0])
    words = 0
    start: Tag | None = None
    first_block: Tag | None = None
    for order, heading, count in marks:
        if heading is not None:
            if words > limit:
                yield _long(ctx, start or first_block, words, limit)
            words, start, first_block = 0, heading, None
            continue
        if first_block is None:
            first_block = doc.elements[order]
        words += count
    if words > limit:
        yield _long(ctx, start or first_block, words, limit)


def _long(ctx: RuleContext, where: Tag | None, words: int, limit: int) -> Finding:
    return ctx.report(where, f"{words} words without a sub-heading (limit {limit})")
