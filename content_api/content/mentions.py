"""People a post is about: those it names in its text (by name or alias) and those its front matter lists."""

from __future__ import annotations

import re
from collections.abc import Iterable

from content_api.content.model import PersonEntry


def _pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    alternatives = sorted({name.strip() for name in names if name.strip()}, key=len, reverse=True)
    if not alternatives:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(name) for name in alternatives) + r")(?!\w)")


def mentioned_people(
    text: str, people: Iterable[PersonEntry], *, listed: Iterable[str] = (), authors: Iterable[str] = ()
) -> list[str]:
    """Slugs of the people listed, then of those named in `text` by first appearance; authors left out.

    Names match whole words, case as written: "Sam Patel" or an alias such as "Sammy".
    """
    excluded = set(authors)
    found: list[str] = [slug for slug in dict.fromkeys(listed) if slug not in excluded]
    first_seen: list[tuple[int, str]] = []
    for person in people:
        if person.slug in excluded or person.slug in found:
            continue
        pattern = _pattern([person.name, *person.aliases])
        match = pattern.search(text) if pattern is not None else None
        if match is not None:
            first_seen.append((match.start(), person.slug))
    return found + [slug for _index, slug in sorted(first_seen)]
