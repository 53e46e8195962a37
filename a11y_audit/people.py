"""The people registry: who a post may be about, their pronouns and whether they agreed to show them.

It is read from a content folder's `people.yaml` (found by looking upward from a post), from the file named
by `--people`, or from a post's own front matter (`people:`, a list in the same shape). Each person has a
`slug` and a `name`; `pronouns` is free text as the person wrote it ("she/they"); `show_pronouns` is their
consent to display them and is false when absent; `aliases` are other names they go by in text.

People are found in text by full name, by alias and by first name, but only by a first name no one else
in the registry shares (two Sams means "Sam" names nobody for certain).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from .errors import AuditInputError

PEOPLE_FILE = "people.yaml"

# Each pronoun set and the forms that belong to it. Sets are named by their subject form.
PRONOUN_SETS: dict[str, tuple[str, ...]] = {
    "he": ("he", "him", "his", "himself"),
    "she": ("she", "her", "hers", "herself"),
    "they": ("they", "them", "their", "theirs", "themself", "themselves"),
    "xe": ("xe", "xem", "xyr", "xyrs", "xemself"),
    "ze": ("ze", "zie", "hir", "hirs", "hirself", "zir", "zirs", "zirself"),
    "fae": ("fae", "faer", "faers", "faerself"),
    "ey": ("ey", "em", "eir", "eirs", "emself"),
    "it": ("it", "its", "itself"),
}
PRONOUN_FORMS: dict[str, str] = {form: key for key, forms in PRONOUN_SETS.items() for form in forms}
_ANY = frozenset({"any", "all"})
_PRONOUN_TOKEN = re.compile(r"[^\W\d_]+")
# A character that joins a name to the word before it ("O'Neill", "Jean-Sam"): no mention starts after it.
_NAME_JOINED = re.compile(r"[\w'’-]")
_FILLER = frozenset({"pronoun", "pronouns", "and", "or", "use", "uses", "only", "name", "ask", "none", "no"})

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class PeopleFileError(AuditInputError):
    """A people registry that cannot be used; `str()` names the file and line."""


@dataclass(frozen=True, slots=True)
class Pronouns:
    """A person's pronouns as written, and the sets they name, in the person's order."""

    written: str
    sets: tuple[str, ...]
    any: bool = False

    def allows(self, form: str) -> bool:
        """Whether the pronoun form (lower case: "he", "her", "xem"...) belongs to one of the sets."""
        if self.any:
            return True
        key = PRONOUN_FORMS.get(form)
        return key is not None and key in self.sets


def parse_pronouns(written: str) -> Pronouns:
    """Read "she/they", "he/him/his", "they/them", "xe/xem" or "any pronouns" into sets, keeping order."""
    sets: list[str] = []
    any_pronouns = False
    for token in _PRONOUN_TOKEN.findall(written.lower()):
        if token in _ANY:
            any_pronouns = True
            continue
        if token in _FILLER:
            continue
        key = PRONOUN_FORMS.get(token, token)
        if key not in sets:
            sets.append(key)
    return Pronouns(written.strip(), tuple(sets), any_pronouns)


@dataclass(frozen=True, slots=True)
class Person:
    """One entry of the registry."""

    slug: str
    name: str
    pronouns: Pronouns | None = None
    show_pronouns: bool = False
    aliases: tuple[str, ...] = ()
    role: str | None = None
    source: str = ""
    line: int = 0

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.split() else self.name

    @property
    def given_names(self) -> tuple[str, ...]:
        """The first name, and for names of three or more words the name without the surname ("Mei Lin")."""
        parts = self.name.split()
        if len(parts) >= 3:
            return (parts[0], " ".join(parts[:-1]))
        return tuple(parts[:1])

    @property
    def names(self) -> tuple[str, ...]:
        """The full name and the aliases: the names that always mean this person."""
        return (self.name, *self.aliases)

    @property
    def has_pronouns(self) -> bool:
        """Whether pronouns are recorded (a set or "any")."""
        return self.pronouns is not None and (bool(self.pronouns.sets) or self.pronouns.any)


@dataclass(frozen=True, slots=True)
class Mention:
    """A person's name found in text: `text[start:end]`."""

    person: Person
    start: int
    end: int
    matched: str


@dataclass
class People:
    """A registry of people with name matching."""

    people: list[Person] = field(default_factory=list)
    source: str = ""

    def __post_init__(self) -> None:
        seen: dict[str, Person] = {}
        for person in self.people:
            seen[person.slug] = person
        self.people = list(seen.values())

    def __iter__(self) -> Iterator[Person]:
        return iter(self.people)

    def __len__(self) -> int:
        return len(self.people)

    def __bool__(self) -> bool:
        return bool(self.people)

    def get(self, slug: str) -> Person | None:
        return self._by_slug.get(slug)

    @cached_property
    def _by_slug(self) -> dict[str, Person]:
        return {p.slug: p for p in self.people}

    def merged(self, others: Iterable[Person]) -> People:
        """A registry where `others` replace people with the same slug and add the rest."""
        extra = list(others)
        if not extra:
            return self
        return People([*self.people, *extra], source=self.source)

    @cached_property
    def name_index(self) -> dict[str, Person]:
        """Every name that identifies exactly one person: full names, aliases, unshared given names."""
        owners: dict[str, set[str]] = {}
        for person in self.people:
            for name in person.names:
                key = _normalize(name)
                if key:
                    owners.setdefault(key, set()).add(person.slug)
        index = {name: self._by_slug[next(iter(slugs))] for name, slugs in owners.items() if len(slugs) == 1}
        first_owners: dict[str, set[str]] = {}
        for person in self.people:
            for first in person.given_names:
                if len(first) > 1:
                    first_owners.setdefault(first, set()).add(person.slug)
        for first, slugs in first_owners.items():
            if first in owners:
                continue  # already someone's full name or alias: that meaning wins
            if len(slugs) == 1:
                index[first] = self._by_slug[next(iter(slugs))]
        return index

    @cached_property
    def _pattern(self) -> re.Pattern[str] | None:
        names = sorted(self.name_index, key=len, reverse=True)
        if not names:
            return None
        alternatives = "|".join(r"\s+".join(re.escape(part) for part in name.split(" ")) for name in names)
        # No look-behind in front: a pattern that starts with the names lets the regex engine skip to the
        # possible first letters. `mentions` checks the character before each match instead.
        return re.compile(rf"(?:{alternatives})(?![\w-])")

    def mentions(self, text: str) -> list[Mention]:
        """The people named in `text`, in order. Matching is case-sensitive: names are capitalised.

        A name counts only where no letter, digit, apostrophe or hyphen comes right before it.
        """
        pattern = self._pattern
        if pattern is None:
            return []
        found = []
        index = self.name_index
        pos = 0
        while (match := pattern.search(text, pos)) is not None:
            start = match.start()
            if start > 0 and _NAME_JOINED.match(text, start - 1):
                pos = start + 1  # inside a longer word: try again from the next character
                continue
            matched = match.group(0)
            person = index.get(_normalize(matched))
            if person is not None:
                found.append(Mention(person, start, match.end(), matched))
            pos = match.end()
        return found


def _normalize(name: str) -> str:
    return " ".join(name.split())


# -- loading -----------------------------------------------------------------------------------------------


def find_people_file(start: str | Path) -> Path | None:
    """The nearest `people.yaml` in `start` (a folder, or a file's folder) or any folder above it."""
    folder = Path(start)
    if not folder.is_dir():
        folder = folder.parent
    folder = folder.resolve()
    for candidate in (folder, *folder.parents):
        path = candidate / PEOPLE_FILE
        if path.is_file():
            return path
    return None


def load_people(path: str | Path) -> People:
    """Read a people registry. A missing, unreadable or malformed file raises `PeopleFileError`."""
    shown = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise PeopleFileError(f"cannot read the people file ({exc.strerror or exc})", path=shown) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise PeopleFileError("the people file is not UTF-8 text", path=shown, line=line) from None
    return parse_people(text, source=shown)


def parse_people(text: str, *, source: str = "<people>", first_line: int = 1) -> People:
    """Read a registry from YAML text: a list of people, or a mapping with a `people` list."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + first_line if mark is not None else first_line
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise PeopleFileError(f"malformed YAML: {problem}", path=source, line=line) from None
    finally:
        loader.dispose()
    if data is None:
        return People([], source=source)
    if isinstance(data, Mapping) and isinstance(node, yaml.MappingNode):
        if "people" not in data:
            raise PeopleFileError(
                "expected a list of people (or a `people:` list)", path=source, line=first_line
            )
        data = data["people"]
        node = next(v for k, v in node.value if k.value == "people")
    if data is None:
        return People([], source=source)
    if not isinstance(data, list) or not isinstance(node, yaml.SequenceNode):
        line = node.start_mark.line + first_line if node is not None else first_line
        raise PeopleFileError("expected a list of people", path=source, line=line)
    return people_from_list(data, source=source, lines=[n.start_mark.line + first_line for n in node.value])


def people_from_list(items: list[Any], *, source: str, lines: list[int] | None = None) -> People:
    """Build a registry from already-parsed entries; `lines` gives each entry's line for error messages."""
    people: list[Person] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        line = lines[i] if lines and i < len(lines) else 0
        person = _person(item, i + 1, source, line)
        if person.slug in seen:
            raise PeopleFileError(
                f"slug {person.slug!r} is used twice (first on line {seen[person.slug]})",
                path=source,
                line=line,
            )
        seen[person.slug] = line
        people.append(person)
    return People(people, source=source)


def _person(item: Any, number: int, source: str, line: int) -> Person:
    where: dict[str, Any] = {"path": source, "line": line or None}
    if not isinstance(item, Mapping):
        raise PeopleFileError(f"person {number} must be a mapping of fields", **where)
    slug = _required_text(item, "slug", number, where)
    name = _required_text(item, "name", number, where)
    pronouns_value = item.get("pronouns")
    if isinstance(pronouns_value, list) and all(isinstance(p, str) for p in pronouns_value):
        pronouns_value = "/".join(pronouns_value)
    if pronouns_value is not None and not isinstance(pronouns_value, str):
        raise PeopleFileError(f"person {slug!r}: pronouns must be text such as she/they", **where)
    show = item.get("show_pronouns", False)
    if show is None:
        show = False
    if not isinstance(show, bool):
        raise PeopleFileError(f"person {slug!r}: show_pronouns must be true or false", **where)
    aliases_value = item.get("aliases") or []
    if isinstance(aliases_value, str):
        aliases_value = [aliases_value]
    if not isinstance(aliases_value, list) or not all(
        isinstance(a, str) and a.strip() for a in aliases_value
    ):
        raise PeopleFileError(f"person {slug!r}: aliases must be a list of names", **where)
    role = item.get("role")
    return Person(
        slug=slug,
        name=_normalize(name),
        pronouns=parse_pronouns(pronouns_value) if pronouns_value and pronouns_value.strip() else None,
        show_pronouns=show,
        aliases=tuple(_normalize(a) for a in aliases_value),
        role=role if isinstance(role, str) else None,
        source=source,
        line=line,
    )


def _required_text(item: Mapping[str, Any], key: str, number: int, where: dict[str, Any]) -> str:
    value = item.get(key)
    if value is None:
        raise PeopleFileError(f"person {number} has no {key}", **where)
    if not isinstance(value, str) or not value.strip():
        raise PeopleFileError(f"person {number}: {key} must be non-empty text", **where)
    return value.strip()


# -- the registry a document is audited with ----------------------------------------------------------------

_loaded: dict[tuple[str, int, int], People] = {}


def load_people_cached(path: str | Path) -> People:
    """`load_people`, read again only when the file changes (a folder of posts shares one registry)."""
    p = Path(path)
    try:
        stat = p.stat()
    except OSError:
        return load_people(p)  # raises the clear error
    key = (str(p.resolve()), stat.st_mtime_ns, stat.st_size)
    found = _loaded.get(key)
    if found is None:
        if len(_loaded) > 64:
            _loaded.clear()
        found = _loaded[key] = load_people(p)
    return found


def people_for(doc: Any, people: Any = None, people_file: str | None = None) -> People:
    """The registry to audit `doc` with, plus the people its front matter defines.

    In order: `people` given by the caller (a `People` registry, a file such as `--people`, or a list of
    `Person` objects or of mappings shaped like people.yaml entries), `people_file` from the config, else
    the nearest `people.yaml` at or above the document's folder. People listed in the front matter
    (`people:` entries with `slug` and `name`) are added, replacing registry entries with their slug; plain
    slugs there only refer to the registry.
    """
    if isinstance(people, People):
        registry = people
    elif isinstance(people, str | Path):
        registry = load_people_cached(people)
    elif isinstance(people, Iterable) and not isinstance(people, Mapping | bytes):
        items = list(people)
        if all(isinstance(p, Person) for p in items):
            registry = People(items, source="<people>")
        else:
            registry = people_from_list(items, source="<people>")
    elif people is not None:
        raise PeopleFileError("people must be a registry, a file or a list of people")
    elif people_file:
        registry = load_people_cached(people_file)
    else:
        found = find_people_file(doc.base_dir)
        registry = load_people_cached(found) if found is not None else People()
    entries = doc.front_matter.get("people") if isinstance(doc.front_matter, Mapping) else None
    if not entries:
        return registry
    line = doc.front_matter_lines.get("people", 0)
    if not isinstance(entries, list):
        raise PeopleFileError("front matter `people` must be a list", path=doc.path, line=line or None)
    # A slug, or a mapping with only a known slug, refers to the registry; other entries define people.
    inline = [
        e
        for e in entries
        if not isinstance(e, str)
        and not (isinstance(e, Mapping) and "name" not in e and registry.get(str(e.get("slug"))) is not None)
    ]
    return registry.merged(people_from_list(inline, source=doc.path, lines=[line] * len(inline)))
