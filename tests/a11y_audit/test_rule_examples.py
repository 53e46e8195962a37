"""Every rule's documented bad examples yield the rule and its good examples do not."""

from __future__ import annotations

import pytest

from a11y_audit import Config, all_rules, audit_source
from a11y_audit.registry import Rule


def _format(example: str) -> str:
    return "html" if example.lstrip().startswith("<") else "markdown"


CASES = [
    pytest.param(r, ex, kind, id=f"{r.id}-{kind}-{i}")
    for r in all_rules()
    for kind, examples in (("bad", r.bad), ("good", r.good))
    for i, ex in enumerate(examples)
]


@pytest.mark.parametrize(("rule", "example", "kind"), CASES)
def test_rule_example(rule: Rule, example: str, kind: str) -> None:
    report = audit_source(example, format=_format(example), config=Config(select=(rule.id,)))
    fired = [f for f in report.findings if f.rule == rule.id]
    if kind == "bad":
        assert fired, f"{rule.id} did not flag its bad example"
        assert all(len(f.message) < 80 for f in fired)
    else:
        assert not fired, f"{rule.id} flagged its good example: {fired[0].message}"


def test_every_rule_has_unique_id_and_name() -> None:
    rules = all_rules()
    assert len({r.id for r in rules}) == len(rules)
    assert len({r.name for r in rules}) == len(rules)


def test_every_rule_is_documented() -> None:
    for r in all_rules():
        assert r.summary and r.why and r.fix, r.id
        assert r.id[:3] in {"ALT", "HDG", "RDB", "LNG", "PRN", "LNK", "MKP", "MED"}
