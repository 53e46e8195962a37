"""The rule registry: one decorator registers a rule function with its metadata.

A rule is a function `(doc, ctx) -> Iterable[Finding]`. It yields `ctx.report(...)` for each problem. Rule
modules in `a11y_audit.rules` register themselves on import; `all_rules()` imports them all.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .model import Finding, Severity

if TYPE_CHECKING:
    from .context import RuleContext
    from .document import Document

FAMILIES = {
    "ALT": "alt-text",
    "HDG": "headings",
    "RDB": "readability",
    "LNG": "language",
    "PRN": "pronouns",
    "LNK": "links",
    "MKP": "markup",
    "MED": "media",
}
_ID = re.compile(r"^(ALT|HDG|RDB|LNG|PRN|LNK|MKP|MED)\d{3}$")
_NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")

RuleFunc = Callable[["Document", "RuleContext"], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    """A registered rule and everything its documentation is generated from."""

    id: str
    name: str
    family: str
    severity: Severity
    wcag: tuple[str, ...]
    act: tuple[str, ...]
    summary: str
    why: str
    fix: str
    bad: tuple[str, ...]
    good: tuple[str, ...]
    func: RuleFunc = field(compare=False, repr=False)
    options: dict[str, Any] = field(default_factory=dict, compare=False)
    enabled_by_default: bool = True
    reference: str = ""

    @property
    def help(self) -> str:
        return self.reference or f"a11y-audit explain {self.id}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "family": self.family,
            "severity": str(self.severity),
            "wcag": list(self.wcag),
            "act": list(self.act),
            "summary": self.summary,
            "why": self.why,
            "fix": self.fix,
            "options": dict(self.options),
            "enabled_by_default": self.enabled_by_default,
            "help": self.help,
            "bad": list(self.bad),
            "good": list(self.good),
        }


_RULES: dict[str, Rule] = {}
_NAMES: dict[str, str] = {}


def rule(
    *,
    id: str,
    name: str,
    severity: Severity | str,
    summary: str,
    why: str,
    fix: str,
    bad: Iterable[str],
    good: Iterable[str],
    wcag: Iterable[str] = (),
    act: Iterable[str] = (),
    options: dict[str, Any] | None = None,
    enabled_by_default: bool = True,
    reference: str = "",
) -> Callable[[RuleFunc], RuleFunc]:
    """Register a rule. The family comes from the id's prefix (ALT001 is alt-text)."""
    if not _ID.match(id):
        raise ValueError(f"rule id {id!r} must be a family prefix and three digits, e.g. ALT001")
    if not _NAME.match(name):
        raise ValueError(f"rule name {name!r} must be kebab-case")
    bad, good = tuple(bad), tuple(good)
    if not bad or not good:
        raise ValueError(f"rule {id} needs at least one bad and one good example")

    def register(func: RuleFunc) -> RuleFunc:
        if id in _RULES and _RULES[id].func is not func:
            raise ValueError(f"rule id {id} is already registered")
        if name in _NAMES and _NAMES[name] != id:
            raise ValueError(f"rule name {name} is already used by {_NAMES[name]}")
        _RULES[id] = Rule(
            id=id,
            name=name,
            family=FAMILIES[id[:3]],
            severity=Severity(severity),
            wcag=tuple(wcag),
            act=tuple(act),
            summary=summary,
            why=why,
            fix=fix,
            bad=bad,
            good=good,
            func=func,
            options=dict(options or {}),
            enabled_by_default=enabled_by_default,
            reference=reference,
        )
        _NAMES[name] = id
        return func

    return register


_loaded = False


def load_rule_modules() -> None:
    """Import every module of `a11y_audit.rules` so their rules register."""
    global _loaded
    if _loaded:
        return
    from . import rules as package

    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if not info.name.startswith("_"):
            importlib.import_module(f"{package.__name__}.{info.name}")
    _loaded = True


def all_rules() -> list[Rule]:
    """Every registered rule, sorted by id."""
    load_rule_modules()
    return [_RULES[k] for k in sorted(_RULES)]


def rule_count() -> int:
    """How many rules are registered (it grows when a rule is registered after the built-in ones)."""
    load_rule_modules()
    return len(_RULES)


def get_rule(rule_id: str) -> Rule | None:
    """A rule by id or name (case-insensitive for ids)."""
    load_rule_modules()
    found = _RULES.get(rule_id.upper())
    if found is None and rule_id in _NAMES:
        found = _RULES[_NAMES[rule_id]]
    return found


def resolve_selector(selector: str) -> list[Rule]:
    """Rules matched by an id, a name, a family, or an id prefix such as `ALT` or `ALT0`. Empty if none."""
    load_rule_modules()
    sel = selector.strip()
    if not sel:
        return []
    found = get_rule(sel)
    if found is not None:
        return [found]
    if sel.lower() in FAMILIES.values():
        return [r for r in all_rules() if r.family == sel.lower()]
    upper = sel.upper()
    if upper[:3] in FAMILIES and upper.isalnum():
        return [r for r in all_rules() if r.id.startswith(upper)]
    if sel.upper() == "ALL":
        return all_rules()
    return []
