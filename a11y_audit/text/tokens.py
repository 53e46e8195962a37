"""Words of English prose: contractions, hyphenated words and decimals count as one word."""

from __future__ import annotations

import re
from collections.abc import Iterable

_Tree = dict[str, "_Tree"]  # a prefix tree of characters; "" marks the end of a word
WORD = re.compile(r"[^\W_]+(?:[’'.\-][^\W_]+)*")


def words(text: str) -> list[str]:
    """The words of `text`, in order, as written."""
    return WORD.findall(text)


def word_alternation(choices: Iterable[str]) -> str:
    """A regex matching any of `choices`, written as a prefix tree ("h(?:e|i(?:m|s))" for he, him, his).

    A plain alternation makes the regex engine try every choice at every position of the text; the tree
    rejects a position after its first letter. Where a word boundary or whitespace must follow, the match is
    the same whichever order the choices come in, so the tree can replace a plain alternation there.
    """
    tree: _Tree = {}
    for choice in choices:
        node = tree
        for char in choice:
            node = node.setdefault(char, {})
        node[""] = {}
    return _branches(tree)


def _branches(node: _Tree) -> str:
    parts = [re.escape(char) + _branches(child) for char, child in sorted(node.items()) if char]
    if not parts:
        return ""
    body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
    if "" not in node:
        return body
    return body + "?" if len(parts) == 1 and len(parts[0]) == 1 else f"(?:{body})?"
