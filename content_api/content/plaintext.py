"""Plain text of sanitised HTML (for search, reading time and related news) and reading time."""

from __future__ import annotations

import math
import re
from html.parser import HTMLParser

WORDS_PER_MINUTE = 230

_BLOCKS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
    "table", "tr", "td", "th", "caption", "figure", "figcaption", "section", "article", "aside",
    "header", "footer", "hr", "dl", "dt", "dd", "details", "summary",
}  # fmt: skip
_SPACES = re.compile(r"[ \t\r\f\v]+")
_WORD = re.compile(r"\w+(?:['’-]\w+)*")


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(html: str) -> str:
    """The readable text of `html`: one line per block, runs of spaces collapsed."""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def reading_time_minutes(text: str) -> int:
    """Minutes to read `text` at about 230 words a minute, rounded up, at least 1."""
    return max(1, math.ceil(word_count(text) / WORDS_PER_MINUTE))
