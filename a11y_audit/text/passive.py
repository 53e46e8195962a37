"""Passive voice: a form of "be" (or "get") followed by a past participle.

Up to two adverbs may stand between them ("was quickly approved"). A participle is an irregular one from
a fixed list or a regular `-ed` word. Participles mostly used as adjectives after "be" ("is based in",
"was excited", "are married") are left out, which misses a few true passives to avoid many false ones.
"""

from __future__ import annotations

import re

from a11y_audit.text.tokens import word_alternation


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_AUXILIARIES = word_alternation(_word_set("am is are was were be been being get gets got gotten getting"))
_ADVERB = r"(?:[a-z]+ly|not|never|also|just|already|still|often|always|then|now|soon|even|rarely|n't)"
_PASSIVE = re.compile(
    rf"\b(?:{_AUXILIARIES})(?:\s+{_ADVERB}){{0,2}}\s+([a-z]+)\b",
    re.IGNORECASE,
)

IRREGULAR_PARTICIPLES = _word_set(
    """
    arisen awoken beaten become begun bent bet bid bitten bled blown broken brought built burnt bought
    caught chosen clung come cost crept cut dealt dug done drawn dreamt driven drunk eaten fallen fed felt
    fought found fled flung flown forbidden forecast forgotten forgiven frozen given gone ground grown
    hung heard hidden hit held hurt kept knelt known laid led leant leapt learnt left lent let lain lit
    lost made meant met mistaken misunderstood overcome overheard overseen overtaken overthrown paid
    proven put quit read rebuilt redone retold rewritten rid ridden rung risen run said seen sought sold
    sent set sewn shaken shed shone shot shown shrunk shut sung sunk sat slain slept slid slung spoken
    sped spent spilt spun spread sprung stood stolen stuck stung stunk strewn struck strung sworn swept
    swollen swum swung taken taught torn told thought thrown thrust trodden understood undertaken
    undone upheld upset woken worn woven wed wept won wound withdrawn withheld withstood written
    """
)

# "-ed" words usually read as adjectives after "be", or "-ed" words that are not participles at all.
ADJECTIVAL = _word_set(
    """
    tired excited interested pleased worried married located based supposed used bored scared concerned
    delighted thrilled surprised amazed committed dedicated involved qualified experienced talented
    skilled retired engaged determined exhausted overwhelmed satisfied disappointed embarrassed
    frightened confused relieved ashamed annoyed inspired motivated passionate related devoted
    prepared aged blessed beloved naked wicked sacred rugged ragged crooked learned
    red bed shed need seed feed speed breed weed greed indeed hundred kindred
    """
)


def is_participle(word: str) -> bool:
    """Whether `word` (lower case) may be a past participle in a passive."""
    if word in ADJECTIVAL:
        return False
    if word in IRREGULAR_PARTICIPLES:
        return True
    return len(word) > 4 and word.endswith("ed")


def passive_phrases(sentence: str) -> list[str]:
    """The passive phrases in one sentence, as written ("was approved", "were quickly told")."""
    found = []
    for match in _PASSIVE.finditer(sentence):
        if is_participle(match.group(1).lower()):
            found.append(match.group(0))
    return found


def is_passive(sentence: str) -> bool:
    """Whether the sentence has at least one passive phrase."""
    return bool(passive_phrases(sentence))
