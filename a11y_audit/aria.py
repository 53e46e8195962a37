"""A markup-only approximation of the accessible name computation (W3C accname 1.2).

No CSS or scripts are evaluated: elements are hidden only by `hidden`, `aria-hidden="true"` and inline
`display:none` / `visibility:hidden`.
"""

from __future__ import annotations

from bs4 import NavigableString, Tag
from bs4.element import Comment

from .document import Document, normalize_space

# Roles whose name may come from their content.
NAME_FROM_CONTENT_ROLES = frozenset(
    {
        "button", "cell", "checkbox", "columnheader", "gridcell", "heading", "link", "menuitem",
        "menuitemcheckbox", "menuitemradio", "option", "radio", "row", "rowheader", "switch", "tab",
        "tooltip", "treeitem", "doc-backlink", "doc-biblioref", "doc-glossref", "doc-noteref",
    }
)  # fmt: skip
NAME_FROM_CONTENT_TAGS = frozenset(
    {"a", "button", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "summary", "option", "label", "legend"}
)
PRESENTATIONAL = frozenset({"none", "presentation"})


def role_of(el: Tag) -> str:
    """The first token of the element's `role` attribute, lower-cased, or ''."""
    value = el.get("role")
    if isinstance(value, list):
        value = " ".join(value)
    return value.strip().lower().split(" ")[0] if isinstance(value, str) and value.strip() else ""


GLOBAL_NAMING_ATTRS = ("aria-label", "aria-labelledby", "aria-describedby", "aria-details")
_FOCUSABLE_TAGS = frozenset({"button", "select", "textarea", "iframe", "summary"})


def is_focusable(el: Tag) -> bool:
    """Focusable by keyboard from markup alone (tabindex, links with href, form controls)."""
    if el.has_attr("tabindex") or el.has_attr("contenteditable"):
        return True
    name = el.name
    if name in ("a", "area") and el.has_attr("href"):
        return True
    if name == "input" and str(el.get("type", "")).lower() != "hidden":
        return not el.has_attr("disabled")
    return name in _FOCUSABLE_TAGS and not el.has_attr("disabled")


def has_global_naming_attr(el: Tag) -> bool:
    return any(el.has_attr(a) for a in GLOBAL_NAMING_ATTRS)


def is_presentational(el: Tag) -> bool:
    """role none/presentation that browsers honour: not on a focusable element or one with aria naming."""
    return role_of(el) in PRESENTATIONAL and not is_focusable(el) and not has_global_naming_attr(el)


def attr(el: Tag, name: str) -> str | None:
    value = el.get(name)
    if value is None:
        return None
    return " ".join(value) if isinstance(value, list) else str(value)


def _labelledby(doc: Document, el: Tag, seen: set[int]) -> str | None:
    ids = attr(el, "aria-labelledby")
    if ids is None:
        return None
    parts = []
    for ident in ids.split():
        targets = doc.by_id(ident)
        if targets and id(targets[0]) not in seen:
            target = targets[0]
            parts.append(_text_alternative(doc, target, seen | {id(target)}, via_reference=True))
    name = normalize_space(" ".join(parts))
    return name or None


def accessible_name(doc: Document, el: Tag) -> str:
    """The element's accessible name, whitespace-normalised ('' when it has none). Cached per document."""
    key = id(el)
    found = doc.name_cache.get(key)
    if found is None:
        found = doc.name_cache[key] = normalize_space(_text_alternative(doc, el, {key}, root=True))
    return found


def allows_name_from_content(el: Tag) -> bool:
    role = role_of(el)
    if role in PRESENTATIONAL and not is_presentational(el):
        role = ""  # the role is ignored on focusable or labelled elements
    return role in NAME_FROM_CONTENT_ROLES or (not role and el.name in NAME_FROM_CONTENT_TAGS)


def _text_alternative(
    doc: Document, el: Tag, seen: set[int], *, root: bool = False, via_reference: bool = False
) -> str:
    if not root and not via_reference and doc.is_hidden(el):
        return ""
    if not via_reference:
        by_reference = _labelledby(doc, el, seen)
        if by_reference:
            return by_reference
    label = attr(el, "aria-label")
    if label is not None and label.strip():
        return label
    native = "" if is_presentational(el) else _native_name(doc, el)
    if native.strip():
        return native
    if not root or via_reference or allows_name_from_content(el):
        content = _from_content(doc, el, seen)
        if content.strip():
            return content
    if is_presentational(el):
        return ""
    title = attr(el, "title")
    return title if title and title.strip() else ""


_DEFAULT_BUTTON_LABELS = {"submit": "Submit", "reset": "Reset"}


def _native_name(doc: Document, el: Tag) -> str:
    name = el.name
    if name == "input":
        kind = str(el.get("type", "")).strip().lower()
        if kind in ("submit", "reset", "button"):
            value = attr(el, "value")
            if value is not None and value.strip():
                return value
            return _DEFAULT_BUTTON_LABELS.get(kind, "")
    if name in ("img", "area") or (name == "input" and str(el.get("type", "")).lower() == "image"):
        alt = attr(el, "alt")
        if alt is not None:
            return alt
        return ""
    if name == "svg":
        for child in el.children:
            if isinstance(child, Tag) and child.name == "title":
                text = normalize_space(child.get_text(" "))
                if text:
                    return text
        return ""
    if name in ("figure",):
        return ""
    if name == "table":
        caption = el.find("caption")
        return normalize_space(caption.get_text(" ")) if caption else ""
    return ""


def _from_content(doc: Document, el: Tag, seen: set[int]) -> str:
    parts: list[str] = []
    for child in el.children:
        if isinstance(child, Comment):
            continue
        if isinstance(child, NavigableString):
            parts.append(str(child))
        elif isinstance(child, Tag):
            if id(child) in seen or doc.is_hidden(child):
                continue
            if child.name in ("script", "style", "template", "title"):
                continue
            parts.append(_text_alternative(doc, child, seen | {id(child)}))
    return " ".join(parts) if parts else ""
