"""Reading a whole content folder and checking it, all problems at once."""

from __future__ import annotations

from pathlib import Path

from content_api.content.fields import slugify
from content_api.content.imagefacts import IMAGE_EXTENSIONS, UnreadableImage, read_image_facts
from content_api.content.mentions import mentioned_people
from content_api.content.model import ContentFolder, ImageFile, PersonEntry, PostEntry
from content_api.content.people import read_people
from content_api.content.posts import FORMATS, read_post
from content_api.content.problems import ContentError, Problem, Problems
from content_api.store.image_urls import IMAGES_DIR

POSTS_DIR = "posts"
MAX_TAG_NAME = 200
# Longest path (inside the folder) the store keeps for an image or a post's source file.
MAX_PATH = 500


def read_folder(folder: Path | str) -> ContentFolder:
    """Read and check the content folder at `folder`; raise `ContentError` listing every problem."""
    root = Path(folder)
    if not root.is_dir():
        raise ContentError([Problem(str(root), 1, "no such content folder")])
    problems = Problems()
    images = _read_images(root, problems)
    people = read_people(root, images, problems)
    posts = [
        post
        for path in _post_paths(root, problems)
        if (post := read_post(root, path, images, problems)) is not None
    ]
    tags = _check_posts(posts, people, problems)
    problems.raise_if_any()
    return ContentFolder(people=people, posts=posts, images=images, tags=tags)


def _relative_files(root: Path, directory: str) -> list[str]:
    base = root / directory
    if not base.is_dir():
        return []
    return sorted(
        file.relative_to(root).as_posix()
        for file in base.rglob("*")
        if file.is_file() and not any(part.startswith(".") for part in file.relative_to(root).parts)
    )


def _path_fits(path: str, problems: Problems) -> bool:
    if len(path) > MAX_PATH:
        problems.add(path, 1, f"path is longer than {MAX_PATH} characters")
        return False
    return True


def _read_images(root: Path, problems: Problems) -> dict[str, ImageFile]:
    images: dict[str, ImageFile] = {}
    for path in _relative_files(root, IMAGES_DIR):
        if Path(path).suffix.lower() not in IMAGE_EXTENSIONS or not _path_fits(path, problems):
            continue
        try:
            data = (root / path).read_bytes()
        except OSError as error:
            problems.add(path, 1, f"cannot read file ({error.strerror})")
            continue
        try:
            images[path] = ImageFile(path=path, data=data, facts=read_image_facts(data, path))
        except UnreadableImage as error:
            problems.add(path, 1, str(error))
    return images


def _post_paths(root: Path, problems: Problems) -> list[str]:
    found = [path for path in _relative_files(root, POSTS_DIR) if Path(path).suffix.lower() in FORMATS]
    return [path for path in found if _path_fits(path, problems)]


def _check_posts(posts: list[PostEntry], people: list[PersonEntry], problems: Problems) -> dict[str, str]:
    """Check what posts name (people, other posts, tags); fill in each post's people; return the tags."""
    person_slugs = {person.slug for person in people}
    post_slugs: dict[str, str] = {}
    tags: dict[str, str] = {}
    for post in posts:
        lines = post.key_lines
        if post.slug in post_slugs:
            problems.add(
                post.source_path,
                lines.get("slug", 1),
                f"duplicate slug {post.slug!r} (also in {post_slugs[post.slug]})",
            )
        else:
            post_slugs[post.slug] = post.source_path
        for key, slugs in (("authors", post.authors), ("people", post.listed_people)):
            for slug in slugs:
                if slug not in person_slugs:
                    what = "author" if key == "authors" else "person"
                    problems.add(
                        post.source_path,
                        lines.get(key, 1),
                        f"unknown {what} slug {slug!r} (not in people.yaml)",
                    )
        for name in post.tags:
            slug = slugify(name)
            if not slug:
                problems.add(post.source_path, lines.get("tags", 1), f"tag {name!r} has no letters or digits")
            elif len(name) > MAX_TAG_NAME or len(slug) > MAX_TAG_NAME:
                problems.add(post.source_path, lines.get("tags", 1), f"tag {name[:40]!r}... is too long")
            else:
                tags.setdefault(slug, name)
        post.people = mentioned_people(
            f"{post.title}\n{post.body_text}", people, listed=post.listed_people, authors=post.authors
        )
    for post in posts:
        for slug in post.related:
            if slug not in post_slugs:
                line = post.key_lines.get("related", 1)
                problems.add(post.source_path, line, f"unknown related post slug {slug!r}")
            elif slug == post.slug:
                line = post.key_lines.get("related", 1)
                problems.add(post.source_path, line, "a post cannot be related to itself")
    return tags
