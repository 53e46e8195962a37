"""A content folder as read from disk and checked: what the importer writes and the exporter reads back."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from content_api.content.imagefacts import ImageFacts


@dataclass(frozen=True)
class ImageFile:
    path: str  # "images/team/ana.png"
    data: bytes
    facts: ImageFacts


@dataclass(frozen=True)
class ImageRef:
    """An image used by a post or person: the stored path and the words that go with it."""

    path: str
    alt: str | None = None
    caption: str | None = None


@dataclass
class PersonEntry:
    slug: str
    name: str
    pronouns: str | None = None
    show_pronouns: bool = False
    role: str | None = None
    bio: str | None = None
    avatar: ImageRef | None = None
    aliases: list[str] = field(default_factory=list)


@dataclass
class PostEntry:
    source_path: str  # "posts/welcome.md"
    slug: str
    title: str
    body_format: str  # "markdown" or "html"
    body_source: str
    body_html: str
    body_text: str
    status: str
    published_at: datetime | None
    reading_time_minutes: int
    summary: str | None = None
    lang: str | None = None
    feature_image: ImageRef | None = None
    authors: list[str] = field(default_factory=list)  # people slugs, in order
    tags: list[str] = field(default_factory=list)  # tag names, in order
    listed_people: list[str] = field(default_factory=list)  # front matter `people:` slugs
    people: list[str] = field(default_factory=list)  # listed and mentioned people, authors excluded
    related: list[str] = field(default_factory=list)  # pinned related post slugs
    # Line of each front matter key, for problems found when posts are checked against each other.
    key_lines: dict[str, int] = field(default_factory=dict, repr=False, compare=False)


@dataclass
class ContentFolder:
    people: list[PersonEntry]
    posts: list[PostEntry]
    images: dict[str, ImageFile]
    tags: dict[str, str]  # slug -> name, first spelling seen
