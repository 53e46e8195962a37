"""Sanitising post bodies with nh3: scripts, event handlers and dangerous URLs go, the content stays.

Kept: structure and text markup, tables, figures, links with `href`, images with `src`, `alt`,
`title`, `width` and `height`; `lang`, `dir`, `title` anywhere, and `id` and `class` when their values
are plain names. Image sources are handed to a caller's function, which rewrites them to public URLs.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import nh3

_TAGS = (set(nh3.ALLOWED_TAGS) | {"figure", "figcaption", "tfoot", "section"}) - {
    "acronym",
    "area",
    "center",
    "map",
    "strike",
    "tt",
}
_GLOBAL_ATTRIBUTES = {"lang", "dir", "id", "class", "title"}
_ATTRIBUTES: dict[str, set[str]] = {
    "*": _GLOBAL_ATTRIBUTES,
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"colspan", "rowspan", "headers"},
    "th": {"colspan", "rowspan", "headers", "scope", "abbr"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start", "reversed"},
    "li": {"value"},
    "time": {"datetime"},
    "data": {"value"},
    "q": {"cite"},
    "blockquote": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
}
_URL_SCHEMES = {"http", "https", "mailto", "tel"}

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,63}")
_NUMBER = re.compile(r"\d{1,5}")
_LANG = re.compile(r"[A-Za-z0-9-]{1,35}")
_ENUMS = {
    "dir": {"ltr", "rtl", "auto"},
    "scope": {"row", "col", "rowgroup", "colgroup"},
    "loading": {"lazy", "eager"},
}
_NUMERIC = {"width", "height", "colspan", "rowspan", "span", "start", "value"}

SrcRewriter = Callable[[str], str]


def _filter(rewrite_src: SrcRewriter | None) -> Callable[[str, str, str], str | None]:
    def keep(tag: str, attribute: str, value: str) -> str | None:
        if attribute == "src" and tag == "img":
            return rewrite_src(value) if rewrite_src is not None else value
        if attribute == "id":
            return value if _NAME.fullmatch(value) else None
        if attribute == "class":
            names = [name for name in value.split() if _NAME.fullmatch(name)]
            return " ".join(names) or None
        if attribute in ("lang", "hreflang"):
            return value if _LANG.fullmatch(value) else None
        if attribute in _ENUMS:
            return value if value.lower() in _ENUMS[attribute] else None
        if attribute in _NUMERIC and tag != "data":
            return value if _NUMBER.fullmatch(value.strip()) else None
        return value

    return keep


def sanitize_html(html: str, rewrite_src: SrcRewriter | None = None) -> str:
    """Return `html` with only safe markup left; `rewrite_src` maps each `img` source to its public URL."""
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
        attribute_filter=_filter(rewrite_src),
    )
