"""Markdown to HTML: CommonMark with tables and strikethrough; raw HTML passes through to the sanitiser."""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def markdown_to_html(source: str) -> str:
    """Render CommonMark to (unsanitised) HTML."""
    return _markdown().render(source)
