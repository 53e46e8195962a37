"""Terms of a post for related news: words that say what the post is about.

Lower-cased words of three letters or more, without English function words, with plurals folded into
the singular so that "volunteers" and "volunteer" count as one term. No stemmer: a term stays a word an
editor recognises when it is shown as the reason two posts are related.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection

# The title says most about what a post is about, the summary next: their words count several times.
TITLE_WEIGHT = 3
SUMMARY_WEIGHT = 2

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")

_STOPWORD_LIST = """
    about above across after afterwards again against all almost alone along already also although
    always among amongst and another any anyone anything anyway anywhere are around because been
    before beforehand behind being below beside besides between both but came can cannot could did
    does doing done down during each either else elsewhere enough even ever every everyone
    everything everywhere few for former formerly from further get gets getting give given gives go
    goes going gone got had has have having her here hereby herein hers herself him himself his how
    however into its itself just last later least less let lets like made make makes many may maybe
    meanwhile might mine more moreover most mostly much must myself near nearly neither never
    nevertheless next nobody none nor not nothing now nowhere off often once one only onto other
    others otherwise our ours ourselves out over own per perhaps put quite rather really said same
    say says see seem seemed seems several shall she should since some somehow someone something
    sometime sometimes somewhere still such than that the their theirs them themselves then there
    thereby therefore these they thing things this those though through throughout thus together too
    toward towards under until upon very via was way we well were what whatever when whenever where
    whereas wherever whether which while who whoever whole whom whose why will with within without
    would yet you your yours yourself yourselves also able came come comes coming new news week
    weeks year years day days time times told tell tells use used uses using want wanted wants went
    who's it's that's there's they're we're you're i'm i've we've they've don't doesn't didn't
    can't won't isn't aren't wasn't weren't
"""
STOPWORDS = frozenset(_STOPWORD_LIST.split())

# Words ending in "s" that are not plurals (or whose singular would mislead).
_NOT_PLURAL_LIST = (
    "always perhaps news series species thanks lens bus gas chaos atlas canvas christmas "
    "physics politics economics mathematics athletics gymnastics maths means"
)
_NOT_PLURAL = frozenset(_NOT_PLURAL_LIST.split())


# A capitalised word ending in "s" after a lower-case word or a comma: a name, not a plural.
_NAME_ENDING_IN_S = re.compile(r"(?<=[a-z,] )[A-Z][^\W\d_]*s\b")


def normalise(word: str, names: Collection[str] = ()) -> str | None:
    """The term for one lower-cased word, or None when the word says nothing about a topic.

    Words in `names` keep their final "s" ("wales", "jones"): names are not plurals.
    """
    if word.endswith(("'s", "’s")):
        word = word[:-2]
    if len(word) < 3 or len(word) > 40 or word in STOPWORDS:
        return None
    if len(word) > 4 and word not in names and word not in _NOT_PLURAL:
        if word.endswith("ies"):
            return word[:-3] + "y"
        if word.endswith(("sses", "ches", "shes", "xes", "zzes")):
            return word[:-2]
        if word.endswith("s") and not word.endswith(("ss", "us", "is", "ous")):
            return word[:-1]
    return word


class TermCounter:
    """Counts the terms of posts; remembers how each distinct word normalises (corpora repeat words)."""

    def __init__(self) -> None:
        self._terms: dict[str, str | None] = {}

    def words(self, text: str, names: Collection[str] = ()) -> Counter[str]:
        """Term counts of one text; `names` are lower-cased names ending in "s" (see `names`)."""
        counts: Counter[str] = Counter()
        terms = self._terms
        for word, count in Counter(_WORD.findall(text.lower())).items():
            if word in names:
                term = normalise(word, names)
            else:
                term = terms.get(word, "")
                if term == "":
                    term = terms[word] = normalise(word)
            if term is not None:
                counts[term] += count
        return counts

    def post(self, title: str, summary: str | None, body: str) -> Counter[str]:
        """Term counts of a post, its title and summary weighted above its body."""
        names = {name.lower() for name in _NAME_ENDING_IN_S.findall(f"{summary or ''}. {body}")}
        counts = self.words(body, names)
        for term, count in self.words(title, names).items():
            counts[term] += TITLE_WEIGHT * count
        if summary:
            for term, count in self.words(summary, names).items():
                counts[term] += SUMMARY_WEIGHT * count
        return counts
