"""Typed reading of YAML mappings, reporting each bad field at its line."""

from __future__ import annotations

import difflib
import re
import unicodedata
from datetime import UTC, date, datetime, time
from typing import Any

from content_api.content.problems import Problems
from content_api.content.yamltext import LineDict

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_SLUG = 200


def slugify(name: str) -> str:
    """A URL slug for a display name: "Food Bank & Pantry" -> "food-bank-pantry", "Café" -> "cafe"."""
    # Fold accents first, so "Language café" becomes "language-cafe" rather than losing the letter.
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return "-".join(re.findall(r"[a-z0-9]+", folded.lower()))


def parse_datetime(value: Any) -> datetime:
    """A YAML date, datetime or ISO 8601 string as an aware UTC datetime (no offset means UTC)."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    elif isinstance(value, str):
        text = value.strip()
        moment = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text)
    else:
        raise ValueError(f"expected a date, got {type(value).__name__}")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


class Fields:
    """Reads fields from one mapping of one file, adding a problem for each bad one."""

    def __init__(self, data: LineDict, path: str, problems: Problems, what: str = "") -> None:
        self.data = data
        self.path = path
        self.problems = problems
        self.what = what

    def line(self, key: str) -> int:
        return self.data.line_of(key)

    def problem(self, key: str | None, message: str) -> None:
        line = self.line(key) if key is not None else self.data.line
        self.problems.add(self.path, line, f"{self.what}{message}")

    def check_keys(self, known: frozenset[str]) -> None:
        """Report duplicate keys, and unknown keys that look like misspellings of known ones."""
        for key, line in self.data.duplicate_keys:
            self.problems.add(self.path, line, f"{self.what}duplicate key {key!r}")
        for key in self.data:
            if key in known:
                continue
            close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.75)
            if close:
                self.problem(str(key), f"unknown key {key!r} (did you mean {close[0]!r}?)")

    def string(self, key: str, *, required: bool = False, max_length: int | None = None) -> str | None:
        value = self.data.get(key)
        if value is None:
            if required:
                self.problem(None, f"missing {key}")
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.problem(key, f"{key} must be text")
            return None
        text = str(value).strip()
        if required and not text:
            self.problem(key, f"{key} is empty")
            return None
        if max_length is not None and len(text) > max_length:
            self.problem(key, f"{key} is longer than {max_length} characters")
            return None
        return text or None

    def slug(self, key: str = "slug", *, default: str | None = None) -> str | None:
        """A slug field; `default` (for example from the file name) is used when the key is absent."""
        if self.data.get(key) is None and default is not None:
            value: str | None = default
        else:
            value = self.string(key, required=True, max_length=MAX_SLUG)
        if value is not None and not SLUG.fullmatch(value):
            self.problem(key, f"bad slug {value!r}: use lower-case letters, digits and single hyphens")
            return None
        return value

    def boolean(self, key: str, default: bool = False) -> bool:
        value = self.data.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.problem(key, f"{key} must be true or false, not {value!r}")
            return default
        return value

    def string_list(self, key: str) -> list[str]:
        value = self.data.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(
            isinstance(item, str | int) and not isinstance(item, bool) for item in value
        ):
            self.problem(key, f"{key} must be a list of text items")
            return []
        items = [str(item).strip() for item in value]
        if any(not item for item in items):
            self.problem(key, f"{key} has an empty item")
        seen: list[str] = []
        for item in items:
            if item and item not in seen:
                seen.append(item)
        return seen

    def moment(self, key: str) -> datetime | None:
        value = self.data.get(key)
        if value is None:
            return None
        try:
            return parse_datetime(value)
        except (ValueError, TypeError):
            self.problem(key, f"bad {key} {str(value)!r}: use YYYY-MM-DD or an ISO 8601 date and time")
            return None

    def mapping(self, key: str) -> LineDict | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, LineDict):
            self.problem(key, f"{key} must be a mapping")
            return None
        return value
