"""Words of English prose: contractions, hyphenated words and decimals count as one word."""

from __future__ import annotations

import re

WORD = re.compile(r"[^\W_]+(?:[’'.\-][^\W_]+)*")


def words(text: str) -> list[str]:
    """The words of `text`, in order, as written."""
    return WORD.findall(text)
