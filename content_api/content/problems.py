"""Problems found in a content folder, reported together before anything is written."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one file: its path inside the folder, a 1-based line and a message."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class ContentError(Exception):
    """The folder has problems; nothing was written. `problems` lists every one, sorted by path and line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(problem) for problem in self.problems))


@dataclass
class Problems:
    """Collects problems while a folder is read."""

    items: list[Problem] = field(default_factory=list)

    def add(self, path: str, line: int | None, message: str) -> None:
        self.items.append(Problem(path, max(line or 1, 1), message))

    def raise_if_any(self) -> None:
        if self.items:
            raise ContentError(self.items)
