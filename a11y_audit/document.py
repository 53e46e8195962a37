"""The parsed form of one input, shared by every rule.

A `Document` is built once per file by `a11y_audit.parse`. It holds the BeautifulSoup tree of the body and an
index of its elements collected in a single walk, so rules look elements up instead of searching the tree.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup, Comment, PageElement, Tag

HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_DISPLAY_NONE = re.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\b", re.I)
_SPACE = re.compile(r"\s+")
# Blocks whose text is prose; `li` counts only when it holds no paragraph of its own.
_BLOCK_CONTAINERS = ("blockquote", "table", "figure", "figcaption", "li", "aside", "nav", "footer", "header")


def normalize_space(text: str) -> str:
    """Collapse runs of whitespace to one space and strip the ends."""
    return _SPACE.sub(" ", text).strip()


def find_ancestor(el: PageElement, names: Collection[str]) -> Tag | None:
    """The nearest enclosing element named one of `names`: BeautifulSoup's `find_parent` without its
    general matching machinery, which costs more than the walk itself in the rules' loops."""
    parent = el.parent
    while parent is not None:
        if parent.name in names:
            return parent
        parent = parent.parent
    return None


def next_element_sibling(el: PageElement) -> Tag | None:
    """The next sibling that is an element (`find_next_sibling(True)`), skipping text and comments."""
    sibling = el.next_sibling
    while sibling is not None and not isinstance(sibling, Tag):
        sibling = sibling.next_sibling
    return sibling


@dataclass(frozen=True, slots=True)
class TextBlock:
    """A paragraph or list item of body text."""

    element: Tag
    kind: str
    text: str
    line: int
    inside: frozenset[str]


@dataclass(slots=True)
class LineMap:
    """Maps lines of the rendered HTML to lines of the source file (Markdown input)."""

    rendered: list[int] = field(default_factory=list)
    source: list[int] = field(default_factory=list)

    def add(self, rendered_line: int, source_line: int) -> None:
        if self.rendered and self.rendered[-1] == rendered_line:
            self.source[-1] = source_line
            return
        self.rendered.append(rendered_line)
        self.source.append(source_line)

    def __call__(self, rendered_line: int) -> int:
        i = bisect.bisect_right(self.rendered, rendered_line) - 1
        if i < 0:
            return rendered_line
        return self.source[i] + rendered_line - self.rendered[i]


@dataclass
class Document:
    """One parsed input file.

    `line_of`/`position_of` give 1-based source positions of elements, counting front matter, so findings
    point at the line an editor sees.
    """

    path: str
    source: str
    format: str  # "markdown" or "html"
    soup: BeautifulSoup
    base_dir: Path
    content_root: Path
    front_matter: dict[str, Any] = field(default_factory=dict)
    front_matter_lines: dict[str, int] = field(default_factory=dict)
    body_line: int = 1
    whole_document: bool = False
    line_map: LineMap | None = None
    name_cache: dict[int, str] = field(default_factory=dict, repr=False)

    # -- positions ---------------------------------------------------------------------------------------

    @cached_property
    def source_lines(self) -> list[str]:
        return self.source.splitlines()

    def line_of(self, el: Tag) -> int:
        rendered = el.sourceline or 1
        if self.line_map is not None:
            return self.line_map(rendered)
        return rendered + self.body_line - 1

    def position_of(self, el: Tag) -> tuple[int, int]:
        """1-based (line, column) of an element in the source file."""
        line = self.line_of(el)
        if self.line_map is None:
            return line, (el.sourcepos or 0) + 1
        return line, self._markdown_column(el, line)

    def _markdown_column(self, el: Tag, line: int) -> int:
        text = self.source_lines[line - 1] if 0 < line <= len(self.source_lines) else ""
        needles: list[str] = [f"<{el.name}"]
        if el.name == "img":
            needles[:0] = [f"![{el.get('alt', '')}", "!["]
        elif el.name == "a":
            needles[:0] = [f"[{el.get_text()}", f"<{el.get('href', '')}", "["]
        for needle in needles:
            i = text.find(needle)
            if i >= 0:
                return i + 1
        stripped = len(text) - len(text.lstrip())
        return stripped + 1

    def snippet_of(self, el: Tag, limit: int = 120) -> str:
        """The element's source line (Markdown) or markup on one line (HTML), cut to `limit` characters."""
        if self.line_map is not None:
            line = self.line_of(el)
            if 0 < line <= len(self.source_lines):
                text = self.source_lines[line - 1].strip()
                return text if len(text) <= limit else text[: limit - 1] + "…"
        if el.name in ("html", "body"):
            attrs = "".join(f' {k}="{v}"' for k, v in el.attrs.items() if isinstance(v, str))
            text = f"<{el.name}{attrs}>"
        else:
            text = normalize_space(str(el))
        return text if len(text) <= limit else text[: limit - 1] + "…"

    # -- the single walk ---------------------------------------------------------------------------------

    @cached_property
    def _index(self) -> _Index:
        return _Index.build(self.soup)

    @property
    def elements(self) -> list[Tag]:
        """Every element in document order."""
        return self._index.elements

    def by_tag(self, *names: str) -> list[Tag]:
        """Elements with any of the given tag names, in document order."""
        if len(names) == 1:
            return self._index.by_tag.get(names[0], [])
        found = [el for name in names for el in self._index.by_tag.get(name, [])]
        found.sort(key=self.order)
        return found

    def order(self, el: Tag) -> int:
        return self._index.order[id(el)]

    def is_hidden(self, el: Tag) -> bool:
        """Hidden from everyone (hidden attribute, inline display:none) or from assistive technology."""
        return id(el) in self._index.hidden

    def is_not_rendered(self, el: Tag) -> bool:
        """Hidden from everyone: `hidden`, inline display:none or visibility:hidden (not aria-hidden)."""
        return id(el) in self._index.not_rendered

    def by_id(self, ident: str) -> list[Tag]:
        return self._index.ids.get(ident, [])

    @property
    def ids(self) -> dict[str, list[Tag]]:
        return self._index.ids

    @property
    def comments(self) -> list[Comment]:
        return self._index.comments

    def with_attr(self, attr: str) -> list[Tag]:
        return self._index.with_attr.get(attr, [])

    @property
    def attribute_names(self) -> list[str]:
        """Every attribute name used in the document."""
        return list(self._index.with_attr)

    # -- shared views ------------------------------------------------------------------------------------

    @cached_property
    def lang(self) -> str | None:
        """The page language: `<html lang>` for a whole document, front matter `lang` for a post."""
        if self.whole_document:
            html = self.by_tag("html")
            value = html[0].get("lang") if html else None
            return value if isinstance(value, str) else None
        value = self.front_matter.get("lang")
        return str(value) if value is not None else None

    @cached_property
    def images(self) -> list[Tag]:
        return self.by_tag("img")

    @cached_property
    def headings(self) -> list[Tag]:
        """`h1`-`h6` and `role="heading"` elements, in document order."""
        found = list(self.by_tag(*HEADING_TAGS))
        ids = {id(el) for el in found}
        for el in self.with_attr("role"):
            if id(el) not in ids and str(el.get("role", "")).strip().lower() == "heading":
                found.append(el)
        found.sort(key=self.order)
        return found

    @cached_property
    def links(self) -> list[Tag]:
        """`a` and `area` elements with an `href`."""
        return [el for el in self.by_tag("a", "area") if el.has_attr("href")]

    @cached_property
    def body(self) -> Tag:
        body = self.by_tag("body")
        return body[0] if body else self.soup

    @cached_property
    def text_blocks(self) -> list[TextBlock]:
        """Paragraphs and list items (those without paragraphs of their own) with their lines."""
        blocks: list[TextBlock] = []
        for el in self.by_tag("p", "li"):
            if el.name == "li" and any(
                isinstance(d, Tag) and d.name in ("p", "ul", "ol") for d in el.descendants
            ):
                continue
            if self.is_hidden(el):
                continue
            text = normalize_space(el.get_text(" "))
            if not text:
                continue
            inside = frozenset(
                p.name for p in el.parents if isinstance(p, Tag) and p.name in _BLOCK_CONTAINERS
            )
            blocks.append(TextBlock(el, el.name, text, self.line_of(el), inside))
        return blocks

    def iter_visible(self, names: tuple[str, ...]) -> Iterator[Tag]:
        for el in self.by_tag(*names):
            if not self.is_hidden(el):
                yield el


@dataclass
class _Index:
    elements: list[Tag]
    by_tag: dict[str, list[Tag]]
    order: dict[int, int]
    hidden: set[int]
    not_rendered: set[int]
    ids: dict[str, list[Tag]]
    with_attr: dict[str, list[Tag]]
    comments: list[Comment]

    @classmethod
    def build(cls, soup: BeautifulSoup) -> _Index:
        elements: list[Tag] = []
        by_tag: dict[str, list[Tag]] = {}
        order: dict[int, int] = {}
        hidden: set[int] = set()
        not_rendered: set[int] = set()
        ids: dict[str, list[Tag]] = {}
        with_attr: dict[str, list[Tag]] = {}
        comments: list[Comment] = []
        for node in soup.descendants:
            if isinstance(node, Tag):
                order[id(node)] = len(elements)
                elements.append(node)
                by_tag.setdefault(node.name, []).append(node)
                attrs = node.attrs
                for key in attrs:
                    with_attr.setdefault(key, []).append(node)
                ident = attrs.get("id")
                if isinstance(ident, str) and ident:
                    ids.setdefault(ident, []).append(node)
                parent = node.parent
                parent_id = id(parent) if parent is not None else 0
                if parent_id in hidden or _hides(node):
                    hidden.add(id(node))
                    if parent_id in not_rendered or _not_rendered(node):
                        not_rendered.add(id(node))
            elif isinstance(node, Comment):
                comments.append(node)
        return cls(elements, by_tag, order, hidden, not_rendered, ids, with_attr, comments)


def _not_rendered(el: Tag) -> bool:
    attrs = el.attrs
    if "hidden" in attrs or el.name in ("template", "script", "style", "noscript"):
        return True
    style = attrs.get("style")
    return isinstance(style, str) and _DISPLAY_NONE.search(style) is not None


def _hides(el: Tag) -> bool:
    attrs = el.attrs
    if not attrs:
        return el.name in ("template", "script", "style", "noscript")
    if "hidden" in attrs:
        return True
    if str(attrs.get("aria-hidden", "")).strip().lower() == "true":
        return True
    style = attrs.get("style")
    if isinstance(style, str) and _DISPLAY_NONE.search(style):
        return True
    return el.name in ("template", "script", "style", "noscript")
