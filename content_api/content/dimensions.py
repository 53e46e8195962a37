"""Giving body images their width and height, so pages do not jump while images load."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

# Matches an <img> tag of sanitised HTML, where every attribute value is double-quoted and a quote
# inside a value is escaped, so a `>` inside a value (alt="a > b") does not end the tag.
_IMG = re.compile(r'<img\b(?:[^>"]|"[^"]*")*>')
_SRC = re.compile(r'\ssrc="([^"]*)"')
_SIZED = re.compile(r'\s(?:width|height)="')


def add_image_sizes(sanitised_html: str, size_of: Callable[[str], tuple[int, int] | None]) -> str:
    """Add `width` and `height` to each `img` that has neither, when `size_of(src)` knows its size."""

    def sized(match: re.Match[str]) -> str:
        tag = match.group(0)
        src = _SRC.search(tag)
        if src is None or _SIZED.search(tag):
            return tag
        size = size_of(html.unescape(src.group(1)))
        if size is None:
            return tag
        end = -2 if tag.endswith("/>") else -1
        return f'{tag[:end].rstrip()} width="{size[0]}" height="{size[1]}"{tag[end:]}'

    return _IMG.sub(sized, sanitised_html)
