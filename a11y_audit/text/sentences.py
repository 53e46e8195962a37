"""Sentence splitting for English prose that survives abbreviations, initials, decimals and list numbers.

A split happens after `.`, `!`, `?` or an ellipsis (with any closing quotes or brackets) when whitespace or
the end of the text follows and the next word does not start in lower case. A blank line always ends a
sentence. A period is not an ending when it closes a title that always precedes a name (Dr., Mrs., St.),
a Latin abbreviation that introduces more words (e.g., i.e.), an initial (J. K. Rowling), a list number at
the start of a line ("1. Gather the forms") or a word such as "No." before a number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Never end a sentence: they always lead into the next word.
_TITLES = _word_set(
    """
    dr mr mrs ms mx messrs prof rev revd fr st sgt lt col capt cpt gen maj adm cmdr gov sen rep hon
    pres supt insp det cllr mt ft pt mme mlle
    e.g eg i.e ie n.b cf viz vs v approx ca fig figs vol vols ch pp ed eds dept est
    """
)
# Abbreviations before a number ("No. 5", "p. 12"); elsewhere the same word may end a sentence.
_BEFORE_NUMBER = _word_set("no nos p art sec para op")
# Dotted initialisms that are often the last word of a sentence ("at 3 p.m. She left.").
_MAY_END = _word_set("a.m p.m am pm etc u.k u.s u.s.a u.n e.u inc ltd co corp plc jr sr bros")

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_ENDING = re.compile(r"""(?:[.!?…]+)["'”’»)\]]*(?=\s|$)""")
_OPENERS = "(\"'“‘«["
_INITIALS = re.compile(r"[A-Za-z](?:\.[A-Za-z])*")
_WORDLIKE = re.compile(r"[^\W_]")


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence and where it is in the text it came from (`text[start:end]`)."""

    text: str
    start: int
    end: int


def split_sentences(text: str) -> list[Sentence]:
    """Split prose into sentences. Pieces without any letter or digit are dropped."""
    sentences: list[Sentence] = []
    block_start = 0
    for brk in _PARAGRAPH_BREAK.finditer(text):
        _split_block(text, block_start, brk.start(), sentences)
        block_start = brk.end()
    _split_block(text, block_start, len(text), sentences)
    return sentences


@lru_cache(maxsize=2048)
def sentences_of(text: str) -> tuple[Sentence, ...]:
    """`split_sentences`, cached: the rules of several families split the same paragraphs."""
    return tuple(split_sentences(text))


def _split_block(text: str, start: int, end: int, out: list[Sentence]) -> None:
    sentence_start = start
    block = text[start:end]
    for match in _ENDING.finditer(block):
        stop = start + match.end()
        if stop < end and not _is_boundary(text, start + match.start(), stop, end):
            continue
        _emit(text, sentence_start, stop, out)
        sentence_start = stop
    _emit(text, sentence_start, end, out)


def _emit(text: str, start: int, end: int, out: list[Sentence]) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped or not _WORDLIKE.search(stripped):
        return
    offset = start + (len(piece) - len(piece.lstrip()))
    out.append(Sentence(stripped, offset, offset + len(stripped)))


def _is_boundary(text: str, mark_start: int, mark_end: int, end: int) -> bool:
    nxt = mark_end
    while nxt < end and text[nxt].isspace():
        nxt += 1
    if nxt >= end:
        return True
    following = text[nxt]
    if following in "“‘\"'«([":
        following = text[nxt + 1] if nxt + 1 < end else ""
    if following.islower():
        return False
    mark = text[mark_start:mark_end].rstrip("\"'”’»)]")
    if mark != ".":
        return True
    line_start = text.rfind("\n", 0, mark_start) + 1
    before = text[max(line_start, mark_start - 40) : mark_start]
    pieces = before.rsplit(None, 1)
    if not pieces or before[-1:].isspace():
        return True
    token = pieces[-1].lstrip(_OPENERS)
    if not token:
        return True
    at_line_start = len(pieces) == 1 and mark_start - 40 < line_start
    if token.isdigit() and at_line_start and len(token) <= 3:
        return False  # a list number at the start of a line: "1. Gather the forms"
    lowered = token.lower()
    if lowered in _TITLES:
        return False
    if lowered in _BEFORE_NUMBER:
        return not following.isdigit()
    if lowered in _MAY_END:
        return True
    if token == "I":
        return True  # the pronoun, far more often than an initial: "...and so did I."
    # An initial or initials before a surname: "J. K. Rowling", "T.S. Eliot".
    is_initial = _INITIALS.fullmatch(token) is not None and (len(token) == 1 or "." in token)
    return not (is_initial and token[0].isupper())
