"""Language rules (LNG): the page says which language it is in, and every language tag is a real one.

A tag is checked for syntax (BCP 47) and then against the IANA subtag registry through langcodes, offline.
For a Markdown or HTML post the page language is front matter `lang`; for a whole HTML document it is the
`lang` of `<html>`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

import langcodes
from bs4 import Comment, NavigableString, Tag
from langcodes.tag_parser import LanguageTagError

from ..aria import accessible_name, attr
from ..context import RuleContext
from ..document import Document
from ..model import Finding
from ..registry import rule

_ALNUM = "[a-z0-9]"
_WELL_FORMED = re.compile(
    r"^(?:(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})"  # language (+ extlang)
    r"(?:-[a-z]{4})?"  # script
    r"(?:-(?:[a-z]{2}|[0-9]{3}))?"  # region
    rf"(?:-(?:{_ALNUM}{{5,8}}|[0-9]{_ALNUM}{{3}}))*"  # variants
    rf"(?:-[0-9a-wyz](?:-{_ALNUM}{{2,8}})+)*"  # extensions
    rf"(?:-x(?:-{_ALNUM}{{1,8}})+)?"  # private use
    rf"|x(?:-{_ALNUM}{{1,8}})+)$",
    re.I,
)
_PRIMARY_SHAPE = re.compile(r"^(?:[a-z]{2,3}|[a-z]{5,8})$", re.I)


@lru_cache(maxsize=512)
def primary_subtag_is_registered(tag: str) -> bool:
    """Whether the tag's first subtag is a language in the IANA registry (case-insensitive)."""
    primary = tag.strip().split("-", 1)[0]
    if not _PRIMARY_SHAPE.match(primary):
        return False
    try:
        return bool(langcodes.Language.get(primary, normalize=False).is_valid())
    except (LanguageTagError, ValueError):
        return False


@lru_cache(maxsize=512)
def tag_is_well_formed_and_valid(tag: str) -> bool:
    """BCP 47 syntax, then every subtag registered (langcodes)."""
    tag = tag.strip()
    if not _WELL_FORMED.match(tag):
        return False
    try:
        return bool(langcodes.Language.get(tag, normalize=False).is_valid())
    except (LanguageTagError, ValueError):
        return False


def suggestion(tag: str) -> str | None:
    """The standard form of a tag langcodes can read, e.g. 'en-gb' -> 'en-GB', 'eng' -> 'en'."""
    try:
        fixed = str(langcodes.standardize_tag(tag.strip().replace("_", "-")))
    except (LanguageTagError, ValueError):
        return None
    return fixed if fixed != tag and tag_is_well_formed_and_valid(fixed) else None


def _page_lang(doc: Document) -> tuple[str | None, Tag | int]:
    """(the page language, where it is set)."""
    if doc.whole_document:
        html = doc.by_tag("html")
        value = attr(html[0], "lang") if html else None
        return value, html[0] if html else 1
    value = doc.front_matter.get("lang")
    return (None if value is None else str(value)), doc.front_matter_lines.get("lang", 1)


@rule(
    id="LNG001",
    name="page-lang-missing",
    severity="error",
    wcag=["3.1.1"],
    act=["b5c3f8"],
    summary="A whole HTML page has no lang attribute on <html>.",
    why=(
        "Screen readers pick their voice and pronunciation from the page's language; without it they "
        "guess, and may read English with a French voice (WCAG technique H57; ACT rule 'HTML page has "
        "lang attribute'). xml:lang alone does not count."
    ),
    fix='Add the language to the html element, e.g. <html lang="en-GB">.',
    bad=["<!DOCTYPE html><html><head><title>News</title></head><body><p>Hello.</p></body></html>"],
    good=['<!DOCTYPE html><html lang="en"><head><title>News</title></head><body><p>Hi.</p></body></html>'],
)
def page_lang_missing(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    if not doc.whole_document:
        return
    value, where = _page_lang(doc)
    if value is None or not value.strip():
        yield ctx.report(where, "The page does not say which language it is in")


@rule(
    id="LNG002",
    name="page-lang-invalid",
    severity="error",
    wcag=["3.1.1"],
    act=["bf051a"],
    summary="The page's language tag is not a real language code.",
    why=(
        "A tag such as 'english', 'eng' or 'en_GB' is not a BCP 47 language code, so screen readers "
        "ignore it and fall back to their default voice (ACT rule 'HTML page lang attribute has valid "
        "language tag'). For posts this is front matter `lang`."
    ),
    fix='Use a BCP 47 code: "en", "en-GB", "cy", "pt-BR".',
    bad=['<!DOCTYPE html><html lang="english"><body><p>Hello.</p></body></html>', "---\nlang: eng\n---\nHi."],
    good=['<!DOCTYPE html><html lang="en-GB"><body><p>Hello.</p></body></html>', "---\nlang: cy\n---\nHi."],
)
def page_lang_invalid(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    value, where = _page_lang(doc)
    if value is None or not value.strip():
        return
    if not primary_subtag_is_registered(value):
        fixed = suggestion(value)
        hint = f'Use "{fixed}".' if fixed else None
        yield ctx.report(where, f'"{value.strip()[:30]}" is not a language code', hint)


@rule(
    id="LNG003",
    name="post-lang-missing",
    severity="warning",
    wcag=["3.1.1"],
    summary="A post's front matter has no `lang`.",
    why=(
        "The page template takes the page language from the post; without it the site default is used, "
        "which is wrong for a post in another language. A warning because the default is often right."
    ),
    fix="Add `lang: en-GB` (or the post's language) to the front matter.",
    bad=["---\ntitle: Spring fair\n---\nHello."],
    good=["---\ntitle: Spring fair\nlang: en-GB\n---\nHello.", "Body text without front matter."],
)
def post_lang_missing(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    if doc.whole_document or not doc.front_matter:
        return
    if "lang" not in doc.front_matter:
        yield ctx.report(1, "The post's front matter has no lang")


def _has_own_content(doc: Document, el: Tag) -> bool:
    """Whether text or a named image inside takes its language from this element (not a nearer lang)."""
    for node in el.descendants:
        if isinstance(node, Comment):
            continue
        if isinstance(node, NavigableString):
            if not node.strip() or (node.parent is not None and doc.is_not_rendered(node.parent)):
                continue  # text neither shown nor in the accessibility tree takes no language
            owner = node.parent
        elif isinstance(node, Tag) and node.name in ("img", "area") and accessible_name(doc, node):
            owner = node
        else:
            continue
        while owner is not None and owner is not el and not owner.has_attr("lang"):
            owner = owner.parent
        if owner is el:
            return True
    return False


@rule(
    id="LNG004",
    name="element-lang-invalid",
    severity="error",
    wcag=["3.1.2"],
    act=["de46e4"],
    summary="A lang attribute on part of the page is not a real language code.",
    why=(
        "lang on a quote or paragraph switches the screen reader's voice; a tag it does not know makes "
        "it keep the wrong one (WCAG technique H58; ACT rule 'Element with lang attribute has valid "
        "language tag')."
    ),
    fix='Use a BCP 47 code such as lang="fr" or lang="es-MX".',
    bad=['<p lang="french">Bonjour à tous.</p>'],
    good=['<p lang="fr">Bonjour à tous.</p>', '<p lang="">Empty lang is ignored.</p>'],
)
def element_lang_invalid(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    for el in doc.with_attr("lang"):
        if el.name == "html":
            continue
        value = attr(el, "lang")
        if value is None or value == "" or primary_subtag_is_registered(value):
            continue
        if _has_own_content(doc, el):
            fixed = suggestion(value)
            hint = f'Use lang="{fixed}".' if fixed else None
            yield ctx.report(el, f'lang="{value.strip()[:30]}" is not a language code', hint)


@rule(
    id="LNG005",
    name="lang-tag-malformed",
    severity="warning",
    wcag=["3.1.1", "3.1.2"],
    summary="A language tag starts with a real language but the rest is not valid BCP 47.",
    why=(
        "Screen readers read the language from the first part, so it mostly works, but a region or "
        "script they do not know may be ignored (e.g. 'en-US-GB', 'en-UK')."
    ),
    fix='Use a valid tag such as "en-GB"; the message suggests one when it can.',
    bad=['<p lang="en-US-GB">Hello.</p>', "---\nlang: en-UK\n---\nHello."],
    good=['<p lang="en-GB">Hello.</p>', "---\nlang: zh-Hant-TW\n---\nHello."],
)
def lang_tag_malformed(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    page, where = _page_lang(doc)
    places: list[tuple[str, Tag | int]] = []
    if page is not None and page.strip():
        places.append((page, where))
    for el in doc.with_attr("lang"):
        value = attr(el, "lang")
        if el.name != "html" and value and value.strip():
            places.append((value, el))
    for value, at in places:
        if primary_subtag_is_registered(value) and not tag_is_well_formed_and_valid(value):
            fixed = suggestion(value)
            hint = f'Use "{fixed}".' if fixed else None
            yield ctx.report(at, f'Language tag "{value.strip()[:30]}" is not valid BCP 47', hint)


@rule(
    id="LNG006",
    name="lang-xml-lang-mismatch",
    severity="warning",
    wcag=["3.1.1"],
    act=["5b7ae0"],
    summary="The page's lang and xml:lang name different languages.",
    why=(
        "Browsers and screen readers may read either attribute; when they disagree, some readers hear the "
        "page in the wrong voice (ACT rule 'HTML page lang and xml:lang attributes have matching values')."
    ),
    fix="Make xml:lang the same as lang, or remove xml:lang (HTML pages need only lang).",
    bad=['<!DOCTYPE html><html lang="fr" xml:lang="en"><body><p>Bonjour.</p></body></html>'],
    good=['<!DOCTYPE html><html lang="en-GB" xml:lang="en"><body><p>Hello.</p></body></html>'],
)
def lang_xml_lang_mismatch(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    if not doc.whole_document:
        return
    html = doc.by_tag("html")
    if not html:
        return
    lang, xml_lang = attr(html[0], "lang"), attr(html[0], "xml:lang")
    if not lang or not lang.strip() or not xml_lang or not xml_lang.strip():
        return
    if not (primary_subtag_is_registered(lang) and primary_subtag_is_registered(xml_lang)):
        return
    if lang.strip().split("-")[0].lower() != xml_lang.strip().split("-")[0].lower():
        yield ctx.report(html[0], f'lang="{lang.strip()[:20]}" but xml:lang="{xml_lang.strip()[:20]}"')
