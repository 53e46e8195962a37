"""Reading one post file: Markdown or HTML with YAML front matter, rendered, sanitised and measured."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from bs4 import BeautifulSoup

from content_api.content.dimensions import add_image_sizes
from content_api.content.fields import Fields
from content_api.content.model import ImageFile, PostEntry
from content_api.content.paths import BadReference, is_external
from content_api.content.people import read_text
from content_api.content.plaintext import html_to_text, reading_time_minutes
from content_api.content.problems import Problems
from content_api.content.references import image_path, image_ref
from content_api.content.render import markdown_to_html
from content_api.content.sanitize import SrcRewriter, sanitize_html
from content_api.content.yamltext import LineDict, YamlProblem, load_yaml, shift_lines, split_front_matter
from content_api.store.image_urls import image_path_for_url, image_url
from content_api.store.tables import DRAFT, PUBLISHED

POST_KEYS = frozenset(
    {
        "title",
        "slug",
        "date",
        "status",
        "lang",
        "summary",
        "authors",
        "tags",
        "feature_image",
        "people",
        "related",
    }
)
IMPORT_STATUSES = (DRAFT, PUBLISHED)
FORMATS = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}


@dataclass(frozen=True)
class _Body:
    html: str  # the body to sanitise (for whole HTML documents, the inside of <body>)
    title: str | None  # an HTML document's <title> or first <h1>
    lang: str | None  # an HTML document's <html lang>


def read_post(folder: Path, path: str, images: dict[str, ImageFile], problems: Problems) -> PostEntry | None:
    """Read `path` ("posts/a.md"); None (with problems added) when the file cannot become a post."""
    text = read_text(folder / path, path, problems)
    if text is None:
        return None
    body_format = FORMATS[PurePosixPath(path).suffix.lower()]
    try:
        split = split_front_matter(text)
    except YamlProblem as error:
        problems.add(path, error.line, str(error))
        return None
    try:
        meta = load_yaml(split.front_matter) if split.front_matter is not None else None
    except YamlProblem as error:
        problems.add(path, error.line + split.front_matter_line - 1, str(error))
        return None
    if meta is None:
        if body_format == "markdown":
            problems.add(path, 1, "missing front matter (a '---' fenced YAML block with title and slug)")
            return None
        meta = LineDict()
        meta.key_lines, meta.duplicate_keys = {}, []
    if not isinstance(meta, LineDict):
        problems.add(path, split.front_matter_line, "front matter must be a YAML mapping")
        return None
    shift_lines(meta, split.front_matter_line - 1)
    fields = Fields(meta, path, problems)
    fields.check_keys(POST_KEYS)

    body = _markdown_body(split.body) if body_format == "markdown" else _html_body(split.body)
    rewriter = _src_rewriter(path, split.body, split.body_line, images, problems)
    body_html = add_image_sizes(sanitize_html(body.html, rewriter), _size_lookup(images))
    body_text = html_to_text(body_html)

    default_slug = PurePosixPath(path).stem if body_format == "html" else None
    slug = fields.slug(default=default_slug)
    title = fields.string("title", required=body.title is None, max_length=500) or body.title
    status = fields.string("status") or DRAFT
    if status not in IMPORT_STATUSES:
        fields.problem("status", f"bad status {status!r}: use {' or '.join(IMPORT_STATUSES)}")
    published_at = fields.moment("date")
    if status == PUBLISHED and meta.get("date") is None:
        fields.problem("status", "a published post needs a date")
    post = PostEntry(
        source_path=path,
        slug=slug or "",
        title=title or "",
        body_format=body_format,
        body_source=split.body,
        body_html=body_html,
        body_text=body_text,
        status=status,
        published_at=published_at,
        reading_time_minutes=reading_time_minutes(body_text),
        summary=fields.string("summary"),
        lang=fields.string("lang", max_length=35) or body.lang,
        feature_image=image_ref(fields, "feature_image", images, caption=True),
        authors=fields.string_list("authors"),
        tags=fields.string_list("tags"),
        listed_people=fields.string_list("people"),
        related=fields.string_list("related"),
        key_lines=dict(meta.key_lines),
    )
    return post if slug and title else None


def _markdown_body(source: str) -> _Body:
    return _Body(markdown_to_html(source), None, None)


def _html_body(source: str) -> _Body:
    lowered = source.lstrip()[:200].lower()
    if not (lowered.startswith("<!doctype") or lowered.startswith("<html") or "<body" in source.lower()):
        return _Body(source, _first_h1(BeautifulSoup(source, "html.parser")), None)
    soup = BeautifulSoup(source, "html.parser")
    root = soup.find("html")
    lang = root.get("lang") if root is not None else None
    title_tag = soup.find("title")
    title = title_tag.get_text(" ", strip=True) if title_tag is not None else None
    body = soup.find("body")
    inner = "".join(str(child) for child in body.contents) if body is not None else source
    return _Body(inner, title or _first_h1(soup), lang if isinstance(lang, str) else None)


def _first_h1(soup: BeautifulSoup) -> str | None:
    heading = soup.find("h1")
    text = heading.get_text(" ", strip=True) if heading is not None else ""
    return text or None


def _src_rewriter(
    path: str, body: str, body_line: int, images: dict[str, ImageFile], problems: Problems
) -> SrcRewriter:
    def rewrite(src: str) -> str:
        if is_external(src):
            return src
        try:
            return image_url(image_path(src, path, images))
        except BadReference as error:
            index = body.find(src)
            line = body_line + body.count("\n", 0, index) if index >= 0 else body_line
            problems.add(path, line, str(error))
            return src

    return rewrite


def _size_lookup(images: dict[str, ImageFile]) -> Callable[[str], tuple[int, int] | None]:
    def size_of(url: str) -> tuple[int, int] | None:
        stored = image_path_for_url(url)
        image = images.get(stored) if stored is not None else None
        return (image.facts.width, image.facts.height) if image is not None else None

    return size_of
