"""Errors about the input of an audit (files, config, options): the CLI turns them into exit code 2."""

from __future__ import annotations


class AuditInputError(Exception):
    """A file, config or option the audit cannot use. `str()` is one line naming where."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        self.message = message
        self.path = path
        self.line = line
        where = path or ""
        if path and line:
            where = f"{path}:{line}"
        super().__init__(f"{where}: {message}" if where else message)


class ConfigError(AuditInputError):
    """A bad config file, config key, rule selector or option value."""
