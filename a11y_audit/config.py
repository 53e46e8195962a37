"""Configuration: `[tool.a11y-audit]` in pyproject.toml, `.a11y-audit.toml`, or a file named with --config.

Keys::

    select = ["alt-text", "HDG001"]       # rules to run (ids, names, families, id prefixes); default all
    extend-select = ["PRN005"]            # add rules that are off by default
    ignore = ["LNK003"]                   # rules not to run
    fail-on = "error"                     # error | warning | never
    people = "content/people.yaml"        # the people registry, relative to the config file
    [severity]                            # severity overrides
    "readability" = "info"
    [options.headings]                    # rule options (thresholds), by id, name or family
    body-start-level = 1
    [per-path-ignores]                    # glob (relative to the config file) -> rules
    "drafts/*" = ["readability"]
"""

from __future__ import annotations

import fnmatch
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .model import FailOn, Severity
from .registry import Rule, all_rules, resolve_selector, rule_count

KNOWN_KEYS = frozenset(
    {"select", "extend-select", "ignore", "fail-on", "people", "severity", "options", "per-path-ignores"}
)
CONFIG_FILES = (".a11y-audit.toml", "pyproject.toml")


@dataclass(frozen=True)
class RulePlan:
    """One rule as configured: its effective options and severity override."""

    rule: Rule
    options: dict[str, Any]
    severity: Severity | None


@dataclass
class Config:
    """A validated configuration. Build it with `load_config` or directly (all fields optional)."""

    select: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: FailOn = FailOn.ERROR
    people: str | None = None
    severity: dict[str, Severity] = field(default_factory=dict)
    options: dict[str, dict[str, Any]] = field(default_factory=dict)
    per_path_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    root: Path | None = None
    source: str | None = None
    _plans: dict[frozenset[str], list[RulePlan]] = field(default_factory=dict, repr=False, compare=False)
    _plans_for: int = field(default=-1, repr=False, compare=False)  # rules registered when _plans was made

    def __post_init__(self) -> None:
        self.fail_on = FailOn(self.fail_on)
        self.severity = {k: Severity(v) for k, v in self.severity.items()}
        self.select = tuple(self.select)
        self.extend_select = tuple(self.extend_select)
        self.ignore = tuple(self.ignore)
        self.per_path_ignores = {k: tuple(v) for k, v in self.per_path_ignores.items()}
        self.validate()

    # -- validation --------------------------------------------------------------------------------------

    def _resolve(self, selector: str, what: str) -> list[Rule]:
        rules = resolve_selector(selector)
        if not rules:
            raise ConfigError(f"unknown rule {selector!r} in {what}", path=self.source)
        return rules

    def validate(self) -> None:
        for what, selectors in (
            ("select", self.select),
            ("extend-select", self.extend_select),
            ("ignore", self.ignore),
        ):
            for sel in selectors:
                self._resolve(sel, what)
        for sel in self.severity:
            self._resolve(sel, "severity")
        for pattern, selectors in self.per_path_ignores.items():
            for sel in selectors:
                self._resolve(sel, f"per-path-ignores {pattern!r}")
        for sel, values in self.options.items():
            rules = self._resolve(sel, "options")
            if not isinstance(values, dict):
                raise ConfigError(f"options for {sel!r} must be a table", path=self.source)
            for key, value in values.items():
                name = key.replace("-", "_")
                owners = [r for r in rules if name in r.options]
                if not owners:
                    raise ConfigError(f"unknown option {key!r} for {sel!r}", path=self.source)
                for r in owners:
                    default = r.options[name]
                    if not _same_kind(default, value):
                        raise ConfigError(
                            f"option {key!r} of {r.id} must be {type(default).__name__}, got {value!r}",
                            path=self.source,
                        )

    # -- the rule plan -----------------------------------------------------------------------------------

    def ignored_for(self, path: str | None) -> frozenset[str]:
        """Selectors ignored for this path by `per-path-ignores`."""
        if not path or not self.per_path_ignores:
            return frozenset()
        p = Path(path)
        try:
            rel = p.resolve().relative_to(self.root.resolve()) if self.root else p
        except ValueError:
            rel = p
        candidates = {rel.as_posix(), p.as_posix(), p.name}
        found: set[str] = set()
        for pattern, selectors in self.per_path_ignores.items():
            if any(fnmatch.fnmatch(c, pattern) for c in candidates):
                found.update(selectors)
        return frozenset(found)

    def plan(self, path: str | None = None) -> list[RulePlan]:
        """The rules to run on `path`, with options and severities. Cached per set of path ignores (and
        made again if a rule was registered since)."""
        extra = self.ignored_for(path)
        registered = rule_count()
        cached = self._plans.get(extra)
        if cached is not None and self._plans_for == registered:
            return cached
        if self._plans_for != registered:
            self._plans.clear()
            self._plans_for = registered
        if self.select:
            chosen = {r.id: r for sel in self.select for r in resolve_selector(sel)}
        else:
            chosen = {r.id: r for r in all_rules() if r.enabled_by_default}
        for sel in self.extend_select:
            chosen.update({r.id: r for r in resolve_selector(sel)})
        for sel in (*self.ignore, *extra):
            for r in resolve_selector(sel):
                chosen.pop(r.id, None)
        plans: list[RulePlan] = []
        for rule_id in sorted(chosen):
            rule = chosen[rule_id]
            options = dict(rule.options)
            severity: Severity | None = None
            for sel, values in self.options.items():
                if any(r.id == rule.id for r in resolve_selector(sel)):
                    for key, value in values.items():
                        name = key.replace("-", "_")
                        if name in options:
                            options[name] = value
            for sel, sev in self.severity.items():
                if any(r.id == rule.id for r in resolve_selector(sel)):
                    severity = sev
            plans.append(RulePlan(rule, options, severity))
        self._plans[extra] = plans
        return plans

    def with_selection(self, select: list[str] | None, ignore: list[str] | None) -> Config:
        """A copy with command-line --select/--ignore applied (--select replaces, --ignore adds)."""
        return Config(
            select=tuple(select) if select else self.select,
            extend_select=self.extend_select if not select else (),
            ignore=self.ignore + tuple(ignore or ()),
            fail_on=self.fail_on,
            people=self.people,
            severity=dict(self.severity),
            options={k: dict(v) for k, v in self.options.items()},
            per_path_ignores=dict(self.per_path_ignores),
            root=self.root,
            source=self.source,
        )


def _same_kind(default: Any, value: Any) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, int | float) and not isinstance(default, bool):
        return isinstance(value, int | float)
    if isinstance(default, list | tuple):
        return isinstance(value, list)
    return isinstance(value, type(default))


def _as_list(value: Any, key: str, source: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ConfigError(f"{key!r} must be a list of rule ids, names or families", path=source)


def config_from_table(table: dict[str, Any], *, source: str, root: Path) -> Config:
    """Build a Config from the `[tool.a11y-audit]` table (or a whole `.a11y-audit.toml`)."""
    for key in table:
        if key not in KNOWN_KEYS:
            raise ConfigError(f"unknown config key {key!r}", path=source)
    fail_on = table.get("fail-on", "error")
    if fail_on not in {f.value for f in FailOn}:
        raise ConfigError(f"fail-on must be error, warning or never, got {fail_on!r}", path=source)
    severity = table.get("severity", {})
    if not isinstance(severity, dict):
        raise ConfigError("'severity' must be a table of rule = severity", path=source)
    for sel, value in severity.items():
        if value not in {s.value for s in Severity}:
            raise ConfigError(
                f"severity for {sel!r} must be error, warning or info, got {value!r}", path=source
            )
    options = table.get("options", {})
    if not isinstance(options, dict):
        raise ConfigError("'options' must be a table of rule tables", path=source)
    per_path = table.get("per-path-ignores", {})
    if not isinstance(per_path, dict):
        raise ConfigError("'per-path-ignores' must be a table of glob = [rules]", path=source)
    people = table.get("people")
    if people is not None and not isinstance(people, str):
        raise ConfigError("'people' must be a path", path=source)
    return Config(
        select=_as_list(table.get("select", []), "select", source),
        extend_select=_as_list(table.get("extend-select", []), "extend-select", source),
        ignore=_as_list(table.get("ignore", []), "ignore", source),
        fail_on=FailOn(fail_on),
        people=str(root / people) if people else None,
        severity={str(k): Severity(v) for k, v in severity.items()},
        options={str(k): dict(v) if isinstance(v, dict) else v for k, v in options.items()},
        per_path_ignores={
            str(k): _as_list(v, f"per-path-ignores {k!r}", source) for k, v in per_path.items()
        },
        root=root,
        source=source,
    )


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise ConfigError(f"cannot read config ({exc.strerror or exc})", path=str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", path=str(path)) from None


def find_config_file(start: Path) -> Path | None:
    """The nearest `.a11y-audit.toml`, or `pyproject.toml` with `[tool.a11y-audit]`, at or above `start`."""
    start = start.resolve()
    for folder in (start, *start.parents):
        dedicated = folder / ".a11y-audit.toml"
        if dedicated.is_file():
            return dedicated
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and "a11y-audit" in _read_toml(pyproject).get("tool", {}):
            return pyproject
    return None


_default: Config | None = None


def default_config() -> Config:
    """The configuration with every default, made once: its rule plan is worked out once per process."""
    global _default
    if _default is None:
        _default = Config()
    return _default


def load_config(path: str | Path | None = None, *, start: str | Path | None = None) -> Config:
    """Load config from `path`, or find it upward from `start` (default: the working directory).

    With no config file found, the defaults apply. Bad files raise `ConfigError`.
    """
    if path is None:
        found = find_config_file(Path(start) if start is not None else Path.cwd())
        if found is None:
            return Config()
        path = found
    p = Path(path)
    if not p.is_file():
        raise ConfigError("config file not found", path=str(p))
    data = _read_toml(p)
    if p.name == "pyproject.toml":
        table = data.get("tool", {}).get("a11y-audit")
        if table is None:
            raise ConfigError("no [tool.a11y-audit] table", path=str(p))
    else:
        table = data
    return config_from_table(table, source=str(p), root=p.parent)
