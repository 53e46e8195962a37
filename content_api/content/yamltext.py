"""YAML that remembers lines: mappings know the line of each key, so problems can point at it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml


class LineDict(dict[str, Any]):
    """A YAML mapping with the 1-based line of the mapping itself and of each key."""

    line: int = 1
    key_lines: dict[str, int]
    duplicate_keys: list[tuple[str, int]]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> Any:
    data = LineDict()
    yield data
    data.update({str(key): value for key, value in loader.construct_mapping(node).items()})
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    data.duplicate_keys = []
    for key_node, _value in node.value:
        key = str(key_node.value)
        line = key_node.start_mark.line + 1
        if key in data.key_lines:
            data.duplicate_keys.append((key, line))
        else:
            data.key_lines[key] = line


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode) -> Any:
    # A date-shaped value that is no real date ("2025-13-45") stays text, so it is reported as a bad date.
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return loader.construct_scalar(node)


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


class YamlProblem(Exception):
    """YAML that does not parse; `line` is 1-based within the parsed text."""

    def __init__(self, line: int, message: str) -> None:
        self.line = line
        super().__init__(message)


def load_yaml(text: str) -> Any:
    """Parse YAML whose mappings are `LineDict`s; raise `YamlProblem` with a line when it is invalid."""
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 1
        reason = error.problem or error.context or "not valid YAML"
        raise YamlProblem(line, f"invalid YAML: {reason}") from error
    except (yaml.YAMLError, ValueError, TypeError) as error:
        raise YamlProblem(1, f"invalid YAML: {error}") from error


def shift_lines(value: Any, offset: int) -> None:
    """Move every line number in a parsed value down by `offset` (front matter starts below `---`)."""
    seen: set[int] = set()
    pending = [value]
    # Iterative, and each object once: YAML aliases can share or nest the same object many times.
    while pending:
        item = pending.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, LineDict):
            item.line += offset
            item.key_lines = {key: line + offset for key, line in item.key_lines.items()}
            item.duplicate_keys = [(key, line + offset) for key, line in item.duplicate_keys]
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)


_FENCE = re.compile(r"^---[ \t]*$")


@dataclass(frozen=True)
class Split:
    """A file split into its front matter text and its body."""

    front_matter: str | None
    body: str
    # 1-based line of the first front matter line, and of the first body line.
    front_matter_line: int
    body_line: int


def split_front_matter(text: str) -> Split:
    """Split `---`-fenced YAML front matter from the rest; raise `YamlProblem` when it is never closed."""
    lines = text.splitlines(keepends=True)
    if not lines or not _FENCE.match(lines[0].rstrip("\r\n")):
        return Split(None, text, 0, 1)
    for index in range(1, len(lines)):
        if _FENCE.match(lines[index].rstrip("\r\n")):
            return Split("".join(lines[1:index]), "".join(lines[index + 1 :]), 2, index + 2)
    raise YamlProblem(1, "front matter starts with '---' but has no closing '---' line")
