"""Link rules (LNK): every link has a name, and the name says where it goes."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bs4 import Comment, NavigableString, Tag

from ..aria import accessible_name, attr, role_of
from ..context import RuleContext
from ..document import Document, normalize_space
from ..model import Finding
from ..registry import rule

LINK_ROLES = frozenset({"", "link", "doc-backlink", "doc-biblioref", "doc-glossref", "doc-noteref"})
VAGUE = frozenset(
    {
        "click here", "here", "click", "click this", "click this link", "tap here", "press here",
        "read more", "more", "learn more", "find out more", "see more", "view more", "read on",
        "this link", "link", "this", "more info", "more information", "more details", "details",
        "continue", "continue reading", "go", "go here", "this page", "this article", "this website",
        "website", "page", "read this", "info", "click for more", "click here for more",
    }
)  # fmt: skip
_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.I)
_URL_IN_TEXT = re.compile(r"(?<![\w/])(?:https?://|www\.)[^\s<>\"]+", re.I)


def _key(text: str) -> str:
    return normalize_space(text).strip(" .,:;!?\"'()[]…»›>-–—").casefold()


def links(doc: Document) -> Iterator[Tag]:
    """Links exposed to assistive technology: `a[href]` (not re-roled), and elements with role=link."""
    for el in doc.by_tag("a"):
        if (
            el.has_attr("href")
            and role_of(el) in LINK_ROLES | {"none", "presentation"}
            and not doc.is_hidden(el)
        ):
            yield el
    for el in doc.with_attr("role"):
        if el.name not in ("a", "area") and role_of(el) == "link" and not doc.is_hidden(el):
            yield el


@rule(
    id="LNK001",
    name="link-empty",
    severity="error",
    wcag=["2.4.4", "4.1.2"],
    act=["c487ae"],
    summary="A link has no text, so it has no name.",
    why=(
        "Screen readers announce a link without a name as 'link' or read its address; voice-control "
        "users cannot say it. A link holding only an image with empty alt is such a link (ACT rule "
        "'Link has non-empty accessible name', WCAG technique H30)."
    ),
    fix="Put words in the link, or give the image inside it alt text naming where the link goes.",
    bad=["[](https://example.org/report)", '<a href="/donate"><img src="heart.svg" alt=""></a>'],
    good=[
        "[Read the annual report](https://example.org/report)",
        '<a href="/donate"><img src="heart.svg" alt="Donate"></a>',
    ],
)
def link_empty(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    for el in links(doc):
        if not accessible_name(doc, el):
            href = attr(el, "href") or ""
            yield ctx.report(el, f"Link has no text ({href[:50]})" if href else "Link has no text")


@rule(
    id="LNK002",
    name="link-vague-text",
    severity="warning",
    wcag=["2.4.4"],
    summary='A link\'s text does not say where it goes ("click here", "read more", "here").',
    why=(
        "Screen reader users often list all links on a page; a list of 'click here' and 'read more' says "
        "nothing. The words around a link may explain it (WCAG 2.4.4 allows that), so it is a warning."
    ),
    fix='Use words that name the destination: "read the annual report", not "click here".',
    bad=["To read the report, [click here](https://example.org/report).", "[Read more](/news/fair)"],
    good=["Read [the annual report](https://example.org/report).", "[More about the fair](/news/fair)"],
)
def link_vague_text(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    for el in links(doc):
        name = _key(accessible_name(doc, el))
        if name in VAGUE:
            yield ctx.report(el, f'Link text "{name}" does not say where it goes')


@rule(
    id="LNK003",
    name="link-text-is-url",
    severity="info",
    wcag=["2.4.4"],
    summary="A link's text, or a bit of plain text, is a web address.",
    why=(
        "Screen readers spell web addresses out character by character. A short address people may type "
        "is fine, so this is information only."
    ),
    fix="Use words that name the page, such as the page's title, unless readers need the address itself.",
    bad=[
        "Photos: <https://example.org/news/2025/spring-fair-photos>",
        "The photos are at https://example.org/news/2025/spring-fair-photos now.",
    ],
    good=["[Photos from the spring fair](https://example.org/news/2025/spring-fair-photos)"],
)
def link_text_is_url(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    linked: set[str] = set()
    for el in links(doc):
        text = normalize_space(el.get_text(" "))
        if _URL.match(text) and not attr(el, "aria-label"):
            linked.add(text)
            yield ctx.report(el, "Link text is a web address")
    for block in doc.text_blocks:
        if "http" not in block.text and "www." not in block.text:
            continue
        inside_links = {normalize_space(a.get_text(" ")) for a in block.element.find_all("a")}
        for match in _URL_IN_TEXT.finditer(block.text):
            url = match.group(0).rstrip(".,;:!?)")
            in_code = any(url in c.get_text() for c in block.element.find_all("code"))
            if url not in inside_links and url not in linked and not in_code:
                yield ctx.report(block.element, "A web address is written out in the text")
                break


def _target(href: str) -> str:
    href = href.strip()
    return href[:-1] if href.endswith("/") and len(href) > 1 else href


@rule(
    id="LNK004",
    name="link-same-text-different-targets",
    severity="warning",
    wcag=["2.4.4", "2.4.9"],
    summary="Two links with the same text go to different places.",
    why=(
        "Listed out of context, links with the same words look like the same destination; readers "
        "cannot tell which one they want."
    ),
    fix="Make each link's text name its own destination.",
    bad=["[The report](/reports/2024) and [the report](/reports/2025)."],
    good=["[The 2024 report](/reports/2024) and [the 2025 report](/reports/2025)."],
)
def link_same_text_different_targets(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    seen: dict[str, set[str]] = {}
    for el in links(doc):
        href = attr(el, "href")
        if href is None:
            continue
        name = _key(accessible_name(doc, el))
        if not name or name in VAGUE:
            continue
        target = _target(href)
        targets = seen.setdefault(name, set())
        if targets and target not in targets:
            yield ctx.report(el, f'Another link with the text "{name[:40]}" goes elsewhere')
        targets.add(target)


_LABEL_ROLES = frozenset(
    {
        "button", "checkbox", "gridcell", "link", "menuitem", "menuitemcheckbox", "menuitemradio",
        "option", "radio", "switch", "tab", "treeitem",
    }
)  # fmt: skip
_IMPLICIT_LABEL_ROLES = {"a": "link", "button": "button", "summary": "button", "option": "option"}
_PARENTHESES = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_NOT_WORD = re.compile(r"[^\w]+|_")
_JOINING_HYPHEN = re.compile(r"(?<=\w)[-‐‑](?=\w)")
_ABBREVIATION_DOT = re.compile(r"(?<=\w)\.(?=\s|$)")
_NOT_WORD_OR_MARK = re.compile(r"[^\w\u2024]+|_")


def _words(text: str) -> list[str]:
    """Lower-case words; hyphens join ("non-standard" = "nonstandard"), a final '.' marks an abbreviation."""
    text = _JOINING_HYPHEN.sub("", text.casefold())
    text = _ABBREVIATION_DOT.sub("\u2024 ", text)  # keep "ave." distinguishable from "ave"
    return [w for w in _NOT_WORD_OR_MARK.sub(" ", text).split() if w != "\u2024"]


def _same_word(name_word: str, shown_word: str) -> bool:
    if shown_word.endswith("\u2024"):
        stem = shown_word.rstrip("\u2024")
        return name_word.rstrip("\u2024").startswith(stem) and bool(stem)
    return name_word.rstrip("\u2024") == shown_word


def _visible_text(doc: Document, el: Tag) -> str:
    """Text shown on screen inside the element (aria-hidden text is still shown; display:none is not)."""
    parts = []
    for node in el.descendants:
        if isinstance(node, NavigableString) and not isinstance(node, Comment):
            parent = node.parent
            if parent is not None and not doc.is_not_rendered(parent):
                parts.append(str(node))
        elif isinstance(node, Tag) and node.name == "br":
            parts.append(" ")
    return normalize_space(" ".join(parts))


def _contains_in_order(name: list[str], label: list[str]) -> bool:
    if not label:
        return True
    width = len(label)
    return any(
        all(_same_word(n, s) for n, s in zip(name[i : i + width], label, strict=True))
        for i in range(len(name) - width + 1)
    )


@rule(
    id="LNK005",
    name="label-not-in-name",
    severity="warning",
    wcag=["2.5.3"],
    act=["2ee8b8"],
    summary="A link or button's aria-label does not contain the words shown on it.",
    why=(
        "People using voice control say what they see ('click Give'); if the aria-label replaces the "
        "visible words with others, the command does not work (WCAG 2.5.3 Label in Name). A hint in "
        "brackets after the label is allowed."
    ),
    fix="Start the aria-label with the visible words, or remove the aria-label.",
    bad=['<a href="/appeal" aria-label="Donate to the winter appeal">Give</a>'],
    good=[
        '<a href="/appeal" aria-label="Give to the winter appeal">Give</a>',
        '<a href="/appeal">Give to the winter appeal</a>',
    ],
)
def label_not_in_name(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    candidates = [*doc.with_attr("aria-label"), *doc.with_attr("aria-labelledby")]
    seen: set[int] = set()
    for el in candidates:
        if id(el) in seen or doc.is_hidden(el):
            continue
        seen.add(id(el))
        role = role_of(el) or _IMPLICIT_LABEL_ROLES.get(el.name, "")
        if el.name == "a" and not el.has_attr("href") and not role_of(el):
            continue
        if role not in _LABEL_ROLES:
            continue
        visible = _PARENTHESES.sub(" ", _visible_text(doc, el))
        shown = _words(visible)
        if not shown or (len(visible.strip()) == 1 and not visible.strip().isalnum()):
            continue  # a lone symbol such as "×" or "›" is an icon, not a label to speak
        if not _contains_in_order(_words(accessible_name(doc, el)), shown):
            yield ctx.report(el, "The label does not include the visible words")
