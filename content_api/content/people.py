"""Reading `people.yaml`: a list of people with their names, roles and pronouns (and consent to show them)."""

from __future__ import annotations

from pathlib import Path

from content_api.content.fields import Fields
from content_api.content.model import ImageFile, PersonEntry
from content_api.content.problems import Problems
from content_api.content.references import image_ref
from content_api.content.yamltext import LineDict, YamlProblem, load_yaml

PEOPLE_FILE = "people.yaml"
PERSON_KEYS = frozenset({"slug", "name", "pronouns", "show_pronouns", "role", "bio", "avatar", "aliases"})


def read_people(folder: Path, images: dict[str, ImageFile], problems: Problems) -> list[PersonEntry]:
    """Every valid person of `people.yaml` (none when the file is absent); problems go to `problems`."""
    file = folder / PEOPLE_FILE
    if not file.is_file():
        return []
    text = read_text(file, PEOPLE_FILE, problems)
    if text is None:
        return []
    try:
        data = load_yaml(text)
    except YamlProblem as error:
        problems.add(PEOPLE_FILE, error.line, str(error))
        return []
    if data is None:
        return []
    if not isinstance(data, list):
        problems.add(PEOPLE_FILE, 1, "people.yaml must be a list of people")
        return []
    people: list[PersonEntry] = []
    lines: dict[str, int] = {}
    for index, item in enumerate(data):
        if not isinstance(item, LineDict):
            problems.add(PEOPLE_FILE, 1, f"person {index + 1} must be a mapping")
            continue
        person = _person(Fields(item, PEOPLE_FILE, problems), images)
        if person is None:
            continue
        if person.slug in lines:
            problems.add(
                PEOPLE_FILE,
                item.line_of("slug"),
                f"duplicate person slug {person.slug!r} (line {lines[person.slug]})",
            )
            continue
        lines[person.slug] = item.line_of("slug")
        people.append(person)
    return people


def _person(fields: Fields, images: dict[str, ImageFile]) -> PersonEntry | None:
    fields.check_keys(PERSON_KEYS)
    slug = fields.slug()
    name = fields.string("name", required=True, max_length=300)
    person = PersonEntry(
        slug=slug or "",
        name=name or "",
        pronouns=fields.string("pronouns", max_length=100),
        show_pronouns=fields.boolean("show_pronouns"),
        role=fields.string("role", max_length=300),
        bio=fields.string("bio"),
        avatar=image_ref(fields, "avatar", images, caption=False),
        aliases=fields.string_list("aliases"),
    )
    return person if slug and name else None


def read_text(file: Path, path: str, problems: Problems) -> str | None:
    """The file's text as UTF-8 (a byte order mark is dropped), or None with a problem added."""
    try:
        return file.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = file.read_bytes()[: error.start].count(b"\n") + 1
        problems.add(path, line, "not UTF-8 text")
    except OSError as error:
        problems.add(path, 1, f"cannot read file ({error.strerror})")
    return None
