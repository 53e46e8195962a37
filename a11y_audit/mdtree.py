"""Build the BeautifulSoup tree of a Markdown body straight from markdown-it's tokens.

Rendering to HTML and parsing it back costs more than the Markdown parse itself, so for a body without raw
HTML the tree is built from the tokens through BeautifulSoup's own tree-building calls. The result equals
what parsing the rendered HTML gives (same elements, attributes and text, including the newlines the renderer
puts between blocks; a test checks this), except that `sourceline` holds the Markdown source line directly.
A body with raw HTML returns None and takes the render-and-parse path.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bs4 import BeautifulSoup
from markdown_it import MarkdownIt
from markdown_it.token import Token

_RAW_HTML = frozenset({"html_block", "html_inline"})


def _has_raw_html(tokens: Sequence[Token]) -> bool:
    for token in tokens:
        if token.type in _RAW_HTML:
            return True
        if token.children and any(child.type in _RAW_HTML for child in token.children):
            return True
    return False


def _breaks(children: Sequence[Token] | None) -> int:
    count = 0
    for child in children or ():
        if child.type in ("softbreak", "hardbreak"):
            count += 1
        elif child.type == "text":
            count += child.content.count("\n")
        count += _breaks(child.children)
    return count


class _Builder:
    def __init__(self, soup: BeautifulSoup) -> None:
        self.soup = soup

    def open(self, name: str, attrs: dict[str, Any], line: int) -> None:
        values = {str(k): " ".join(v) if isinstance(v, list) else str(v) for k, v in attrs.items()}
        self.soup.handle_starttag(name, None, None, values, sourceline=line, sourcepos=0)

    def close(self, name: str) -> None:
        self.soup.handle_endtag(name)

    def void(self, name: str, attrs: dict[str, Any], line: int) -> None:
        self.open(name, attrs, line)
        self.close(name)

    def text(self, text: str) -> None:
        if text:
            self.soup.handle_data(text)


def build_tree(md: MarkdownIt, tokens: Sequence[Token], env: Any, first_line: int) -> BeautifulSoup | None:
    """The tree for these block tokens, or None when the body holds raw HTML."""
    if _has_raw_html(tokens):
        return None
    soup = BeautifulSoup("", "html.parser")
    soup.reset()
    out = _Builder(soup)
    renderer: Any = md.renderer
    options = md.options
    offset = first_line - 1
    lines: list[int] = [first_line]
    count = len(tokens)
    for i, token in enumerate(tokens):
        kind = token.type
        if token.map is not None:
            line = token.map[0] + 1 + offset
        elif token.nesting == 1 and i + 1 < count and tokens[i + 1].map is not None:
            line = tokens[i + 1].map[0] + 1 + offset  # type: ignore[index]
        else:
            line = lines[-1]
        if kind == "inline":
            if not _inline(out, renderer, options, env, token.children or [], line):
                return None
            continue
        if kind in ("fence", "code_block"):
            code_line = line + 1 if kind == "fence" else line
            attrs: dict[str, Any] = {}
            if kind == "fence" and (token.info or token.attrs):
                # The renderer decides the code's class from the info string; read it from its output.
                opening = renderer.fence(tokens, i, options, env).split(">", 2)[1] + ">"
                code = BeautifulSoup(opening, "html.parser").find("code")
                attrs = dict(code.attrs) if code is not None else {}
            out.open("pre", {}, code_line)
            out.open("code", attrs, code_line)
            out.text(token.content)
            out.close("code")
            out.close("pre")
            out.text("\n")
            continue
        plain_list_item = kind == "list_item_open" and not (token.meta and "checked" in token.meta)
        if kind not in renderer.rules or plain_list_item:
            piece = renderer.renderToken(tokens, i, options, env)
        else:
            return None  # a token this builder does not know (a task-list item...): render and parse
        if not piece:
            continue  # hidden paragraphs of tight lists
        if piece.startswith("\n"):
            out.text("\n")
        if token.nesting == 1:
            out.open(token.tag, dict(token.attrs), line)
            lines.append(line)
        elif token.nesting == -1:
            out.close(token.tag)
            if len(lines) > 1:
                lines.pop()
        else:
            out.void(token.tag, dict(token.attrs), line)
        if piece.endswith("\n"):
            out.text("\n")
    soup.endData()
    while soup.currentTag is not soup and soup.popTag() is not None:
        pass
    return soup


def _inline(
    out: _Builder, renderer: Any, options: Any, env: Any, children: Sequence[Token], line: int
) -> bool:
    for child in children:
        kind = child.type
        if kind == "text":
            out.text(child.content)
            line += child.content.count("\n")
        elif kind == "softbreak":
            out.text("\n")
            line += 1
        elif kind == "hardbreak":
            out.void("br", {}, line)
            out.text("\n")
            line += 1
        elif kind == "code_inline":
            out.open("code", dict(child.attrs), line)
            out.text(child.content)
            out.close("code")
        elif kind == "image":
            attrs = dict(child.attrs)
            alt = renderer.renderInlineAsText(child.children or [], options, env)
            if alt:
                attrs["alt"] = alt
            else:
                attrs.pop("alt", None)  # `![](x.png)` has no alt text, as in the HTML renderer here
            out.void("img", attrs, line)
            line += _breaks(child.children)
        elif child.nesting == 1:
            out.open(child.tag, dict(child.attrs), line)
        elif child.nesting == -1:
            out.close(child.tag)
        else:
            return False
    return True
