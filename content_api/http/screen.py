"""A linear scan of a document's text that refuses token floods, alias floods and deep nesting early.

Parsing costs about 4 µs a token in graphql-core, so a flood would cost tens of milliseconds before
the limits could judge it. This scan reads tokens with one regular expression (in C) and stops at the
first limit crossed. It counts what graphql-core counts (punctuators, names, numbers, strings; not
commas, whitespace or comments), aliases as a `:` after a name outside any parentheses, and depth as
the nesting of field selection sets (inline fragments do not count, nor introspection fields where
introspection is exempt). Depth
through fragment spreads is only visible after parsing; the scan's depth never exceeds the real one,
so what it refuses the full check would refuse too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(
    r"""
    (?P<skip>[\s,\ufeff]++|\#[^\n\r]*+)
    |(?P<block>\"\"\"(?:\\\"\"\"|\\(?!\"\"\")|[^"\\]|"(?!""))*+\"\"\")
    |(?P<string>"(?:\\.|[^"\\\n\r])*+")
    |(?P<spread>\.\.\.)
    |(?P<name>[_A-Za-z][_0-9A-Za-z]*+)
    |(?P<number>-?[0-9][0-9.eE+\-]*+)
    |(?P<punct>[!$&()\[\]{}:=@|])
    |(?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


_PLAIN, _FIELD, _HIDDEN = 0, 1, 2
_NO_SPREAD, _SPREAD, _TYPE_CONDITION, _INLINE_HEADER = 0, 1, 2, 3


@dataclass(frozen=True, slots=True)
class Screening:
    """What the scan saw before it stopped; `over` names the first limit crossed, if any."""

    over: str | None
    tokens: int
    aliases: int
    depth: int


def screen(
    query: str, *, max_tokens: int, max_aliases: int, max_depth: int, exempt_introspection: bool = False
) -> Screening:
    """Scan `query` until it ends or crosses a limit ("tokens", "aliases" or "depth").

    With `exempt_introspection`, selections of introspection fields (`__schema`, `__type`) do not
    count towards the depth.
    """
    tokens = aliases = parens = deepest = depth = hidden = 0
    # One entry per open selection set: FIELD for a field's, PLAIN for a root's or an inline
    # fragment's, HIDDEN for an introspection field's (depth below it is not counted).
    braces: list[int] = []
    previous_name: str | None = None
    field_name: str | None = None
    after_at = False
    # Where a `...` stands: not after one, just after it, after `... on`, or in an inline fragment's
    # header (after its type or a directive), which the next `{` opens.
    spread = _NO_SPREAD
    for match in _TOKEN.finditer(query):
        kind = match.lastgroup
        if kind == "skip":
            continue
        tokens += 1
        if tokens > max_tokens:
            return Screening("tokens", tokens, aliases, deepest)
        text = match.group()
        if kind == "name":
            if parens == 0:
                if after_at:
                    after_at = False  # a directive's name
                elif spread == _SPREAD:
                    # `... on Type {` opens an inline fragment; `...Name` spreads a fragment.
                    spread = _TYPE_CONDITION if text == "on" else _NO_SPREAD
                elif spread == _TYPE_CONDITION:
                    spread = _INLINE_HEADER
                else:
                    field_name = text
            previous_name = text
            continue
        if kind == "spread":
            spread = _SPREAD
        elif kind == "punct":
            if text == "(":
                parens += 1
            elif text == ")":
                parens = max(0, parens - 1)
            elif parens == 0:
                if text == ":" and previous_name is not None:
                    aliases += 1
                    if aliases > max_aliases:
                        return Screening("aliases", tokens, aliases, deepest)
                elif text == "@":
                    after_at = True
                    if spread == _SPREAD:
                        spread = _INLINE_HEADER
                elif text == "{":
                    if not braces or spread in (_SPREAD, _INLINE_HEADER):
                        braces.append(_PLAIN)
                    elif hidden or (exempt_introspection and (field_name or "").startswith("__")):
                        braces.append(_HIDDEN)
                        hidden += 1
                    else:
                        braces.append(_FIELD)
                        depth += 1
                        if depth > max_depth:
                            return Screening("depth", tokens, aliases, depth)
                        deepest = max(deepest, depth)
                    spread = _NO_SPREAD
                elif text == "}" and braces:
                    closed = braces.pop()
                    depth -= closed == _FIELD
                    hidden -= closed == _HIDDEN
        previous_name = None
    return Screening(None, tokens, aliases, deepest)
