"""Pronoun rules (PRN): people's pronouns, shown only with their consent and used as they recorded them.

The rules read the people registry (`people.yaml`, `--people` or the post's front matter). A person is
found by full name, alias or a first name no one else in the registry has. Pronouns are the person's: a
finding about someone who has not agreed to show their pronouns never repeats the recorded ones, in its
message, hint or snippet.

Attributing a pronoun to a person is a heuristic: a gendered pronoun is tied to the people named earlier
in its sentence or, failing that, in the nearest earlier sentence of the paragraph (or the first sentence
of the next paragraph). "They" forms are never flagged, since plural "they" is everywhere. A pronoun in a
quotation, or with a second person (or an unknown capitalised name) in range, is reported as info only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from bs4 import Tag

from ..context import RuleContext
from ..document import HEADING_TAGS, Document, normalize_space
from ..model import Finding, Severity
from ..people import PRONOUN_FORMS, PRONOUN_SETS, Mention, People, Person, parse_pronouns
from ..registry import rule
from ..text import Sentence, sentences_of, words
from ..text.tokens import word_alternation
from .readability import Locator

_CACHE_ATTR = "_a11y_pronouns"
_SUBJECTS = frozenset(forms[0] for forms in PRONOUN_SETS.values()) | {"zie"}
_FORMS = sorted({*PRONOUN_FORMS, "any", "all"}, key=len, reverse=True)
_P = "(?:" + "|".join(_FORMS) + ")"
_SLASH_SET = rf"{_P}(?:\s*/\s*{_P})+"
_LIST_SET = rf"{_P}(?:\s*(?:/|,|\band\b|\bor\b)\s*{_P})*"
# Pronoun labels: "she/they", "(he)" after a name, "pronouns are they/them", "uses the pronoun xe",
# "she/her pronouns".
_LABELS = [
    re.compile(rf"\b{_SLASH_SET}\b", re.I),
    re.compile(rf"\bpronouns?\b[^.;!?]{{0,20}}?(?:\bare\b|\bis\b|:)\s*[\"“']?({_LIST_SET})\b", re.I),
    re.compile(rf"\b(?:uses?|using|goes\s+by|go\s+by)\s+(?:the\s+)?pronouns?\s+[\"“']?({_LIST_SET})\b", re.I),
    re.compile(rf"\b({_SLASH_SET}|{_P})\s+pronouns\b", re.I),
]
_PAREN_LABEL = re.compile(rf"\s*[(\[]\s*({_SLASH_SET}|{_P})(?:\s+pronouns)?\s*[)\]]", re.I)
_GENDERED = sorted(
    (f for f, key in PRONOUN_FORMS.items() if key not in ("they", "it", "ey")), key=len, reverse=True
)
_PRONOUN = re.compile(r"\b(" + word_alternation(_GENDERED) + r")\b", re.I)
_PREFERRED = re.compile(r"\b(?:preferred|chosen)\s+(?:gender\s+)?pronouns?\b", re.I)
# A capitalised word inside a sentence may name someone the registry does not know ("Ahmed, who has
# repaired bikes since he was ten"); days, months and "I" do not.
_CAPITALISED = re.compile(r"\b[A-Z][a-z][\w'’-]*")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = "January February March April May June July August September October November December"
_NOT_NAMES = frozenset((*_DAYS, *(d + "s" for d in _DAYS), *_MONTHS.split()))
_PAREN_SET = re.compile(rf"[(\[]\s*{_P}(?:\s+pronouns)?\s*[)\]]", re.I)
_NEAR_WORDS = 3
_QUOTE_MARK = re.compile(r'[“”"]')
_UNIT_TAGS = ("figcaption", "td", "th", "dt", "dd", "caption", *HEADING_TAGS)


@dataclass(frozen=True, slots=True)
class Label:
    """Pronouns written in the text and the person they are attached to."""

    start: int
    end: int
    sets: tuple[str, ...]
    mention: Mention


@dataclass(frozen=True, slots=True)
class Use:
    """A gendered pronoun and the people it may refer to."""

    form: str
    start: int
    candidates: tuple[Person, ...]
    quoted: bool
    crowded: bool


@dataclass
class Unit:
    """A piece of text the rules read: a paragraph, list item, heading, caption or front matter value."""

    text: str
    line: int
    element: Tag | None
    quoted: bool
    body: bool
    sentences: tuple[Sentence, ...] = ()
    mentions: list[Mention] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    uses: list[Use] = field(default_factory=list)
    quotes: list[tuple[int, int]] = field(default_factory=list)

    def sentence_at(self, offset: int) -> Sentence | None:
        for sentence in self.sentences:
            if sentence.start <= offset < sentence.end:
                return sentence
        return None

    def in_quote(self, offset: int) -> bool:
        return self.quoted or any(a <= offset < b for a, b in self.quotes)


@dataclass
class Analysis:
    units: list[Unit]
    locator: Locator


def _quote_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    if '"' not in text and "“" not in text:
        return spans  # no quotation opens here
    curly_open: int | None = None
    straight_open: int | None = None
    for mark in _QUOTE_MARK.finditer(text):
        i, ch = mark.start(), mark.group(0)
        if ch == "“":
            curly_open = i
        elif ch == "”" and curly_open is not None:
            spans.append((curly_open, i + 1))
            curly_open = None
        elif ch == '"':
            if straight_open is None:
                straight_open = i
            else:
                spans.append((straight_open, i + 1))
                straight_open = None
    return spans


def _is_label_set(text: str) -> bool:
    """Whether slash-joined pronouns read as a label ("she/her", "he/they"), not "his/her" or "he/she"."""
    forms = [f.strip().lower() for f in text.split("/")]
    keys = [PRONOUN_FORMS.get(f, f) for f in forms]
    subjects = [f for f in forms if f in _SUBJECTS]
    if not subjects:
        return "any" in forms
    paired = any(
        f not in _SUBJECTS and PRONOUN_FORMS.get(f) in {PRONOUN_FORMS.get(s) for s in subjects} for f in forms
    )
    with_they = "they" in keys and len(set(keys)) > 1
    return paired or with_they or "any" in forms


def _units(doc: Document) -> list[Unit]:
    units: list[Unit] = []
    front = doc.front_matter
    lines = doc.front_matter_lines
    for key in ("title", "summary"):
        value = front.get(key)
        if isinstance(value, str) and value.strip():
            units.append(Unit(normalize_space(value), lines.get(key, 1), None, False, False))
    image = front.get("feature_image")
    if isinstance(image, dict):
        for key in ("alt", "caption"):
            value = image.get(key)
            if isinstance(value, str) and value.strip():
                units.append(Unit(normalize_space(value), lines.get("feature_image", 1), None, False, False))
    body: list[tuple[int, Unit]] = []
    holding_blocks = {id(parent) for block in doc.text_blocks for parent in block.element.parents}
    for block in doc.text_blocks:
        quoted = "blockquote" in block.inside
        body.append((doc.order(block.element), Unit(block.text, block.line, block.element, quoted, True)))
    for el in doc.iter_visible(_UNIT_TAGS):
        if id(el) in holding_blocks:
            continue  # its paragraphs are units already
        text = normalize_space(el.get_text(" "))
        if text:
            body.append((doc.order(el), Unit(text, doc.line_of(el), el, False, True)))
    for img in doc.iter_visible(("img",)):
        alt = img.get("alt")
        if isinstance(alt, str) and alt.strip():
            body.append((doc.order(img), Unit(normalize_space(alt), doc.line_of(img), img, False, True)))
    body.sort(key=lambda pair: pair[0])
    units.extend(unit for _, unit in body)
    return units


def _labels(unit: Unit) -> list[Label]:
    spans: list[tuple[int, int, str]] = []
    lowered = unit.text.lower()
    # Every label but "(she)" after a name has a slash or the word "pronoun": skip the big patterns.
    patterns = _LABELS if "/" in lowered or "pronoun" in lowered else []
    for index, pattern in enumerate(patterns):
        for match in pattern.finditer(unit.text):
            group = 1 if pattern.groups else 0
            written = match.group(group)
            if index == 0 and not _is_label_set(written):
                continue
            if index == 3 and "/" not in written and written.lower() not in {*_SUBJECTS, "any"}:
                continue  # "her pronouns", "their pronouns": a possessive, not a label
            spans.append((match.start(), match.end(), written))
    for mention in unit.mentions:
        paren = _PAREN_LABEL.match(unit.text, mention.end)
        if paren is None and unit.text.startswith(("'s", "’s"), mention.end):
            paren = _PAREN_LABEL.match(unit.text, mention.end + 2)
        if paren is not None:
            opening = paren.start() + len(paren.group(0)) - len(paren.group(0).lstrip())
            spans.append((opening, paren.end(), paren.group(1)))
    spans.sort()
    labels: list[Label] = []
    last_end = -1
    for start, end, written in spans:
        if start < last_end:
            continue  # overlapping matches of the same label
        owner = _owner(unit, start, end)
        if owner is not None:
            labels.append(Label(start, end, parse_pronouns(written).sets, owner))
            last_end = end
    return labels


def _owner(unit: Unit, start: int, end: int) -> Mention | None:
    """The person a label belongs to: a name at most three words before it in its sentence ("Sam Lee
    (he/him)", "Sam's pronouns are", "Sam, who uses the pronoun"), else at most three words after it
    ("'My pronouns are they/them,' said Sam"). A label further from any name belongs to nobody: the
    sentence may be about pronouns in general ("Peggy ran a workshop on they/them pronouns")."""
    sentence = unit.sentence_at(start)
    if sentence is None:
        return None
    before = [m for m in unit.mentions if sentence.start <= m.start and m.end <= start]
    if before:
        nearest = before[-1]
        return nearest if len(words(unit.text[nearest.end : start])) <= _NEAR_WORDS else None
    after = [m for m in unit.mentions if end <= m.start < sentence.end]
    if after and len(words(unit.text[end : after[0].start])) <= _NEAR_WORDS:
        return after[0]
    return None


def _uses(unit: Unit, previous: Unit | None) -> list[Use]:
    taken = [(label.start, label.end) for label in unit.labels]
    uses: list[Use] = []
    sentence_starts: set[int] | None = None
    for match in _PRONOUN.finditer(unit.text):
        start = match.start()
        if any(a <= start < b for a, b in taken):
            continue
        if unit.text[start - 1 : start] == "/" or unit.text[match.end() : match.end() + 1] == "/":
            continue  # "his/her", "he/she": generic, not about one person
        sentence = unit.sentence_at(start)
        if sentence is None:
            continue
        window = [m for m in unit.mentions if sentence.start <= m.start < start]
        span_start = window[-1].end if window else sentence.start
        if not window:
            earlier = [m for m in unit.mentions if m.start < sentence.start]
            if earlier:
                last = unit.sentence_at(earlier[-1].start)
                window = [m for m in earlier if last is not None and m.start >= last.start]
                span_start = earlier[-1].end
            elif previous is not None and previous.mentions and sentence is unit.sentences[0]:
                last = previous.sentence_at(previous.mentions[-1].start)
                window = [m for m in previous.mentions if last is not None and m.start >= last.start]
                span_start = 0
        if not window:
            continue
        candidates = tuple({m.person.slug: m.person for m in window}.values())
        if sentence_starts is None:
            sentence_starts = {s.start for s in unit.sentences}
        crowded = _crowded(unit, span_start, start, sentence_starts)
        uses.append(Use(match.group(1).lower(), start, candidates, unit.in_quote(start), crowded))
    return uses


def _crowded(unit: Unit, span_start: int, start: int, sentence_starts: set[int]) -> bool:
    """Whether a capitalised word other than a registered name, a day or a month, and not opening a
    sentence, stands in `unit.text[span_start:start]`: someone the registry does not know may be meant."""
    for found in _CAPITALISED.finditer(unit.text[span_start:start]):
        if found.group(0) in _NOT_NAMES:
            continue
        offset = span_start + found.start()
        if offset in sentence_starts:
            continue
        if not any(m.start <= offset < m.end for m in unit.mentions):
            return True
    return False


def analyse(doc: Document, people: People) -> Analysis:
    """Units with their people, labels and pronouns, computed once per document for every PRN rule."""
    cached = doc.__dict__.get(_CACHE_ATTR)
    if isinstance(cached, Analysis):
        return cached
    units = _units(doc)
    previous: Unit | None = None
    for unit in units:
        unit.mentions = people.mentions(unit.text) if people else []
        unit.sentences = sentences_of(unit.text)
        unit.quotes = _quote_spans(unit.text)
        unit.labels = _labels(unit) if unit.mentions else []
        carry = previous if unit.body and previous is not None and previous.body else None
        unit.uses = _uses(unit, carry) if unit.mentions or carry is not None else []
        if unit.body and (unit.element is None or unit.element.name in ("p", "li")):
            previous = unit
        elif unit.body:
            previous = None  # a heading or caption starts a new context
    result = Analysis(units, Locator(doc))
    doc.__dict__[_CACHE_ATTR] = result
    return result


def _people(ctx: RuleContext) -> People:
    return ctx.people if isinstance(ctx.people, People) else People()


def _where(analysis: Analysis, unit: Unit, probe: str | Sentence) -> tuple[int, int]:
    if unit.element is None:
        return unit.line, 1
    if isinstance(probe, Sentence):
        return analysis.locator.locate(probe.text, unit.line)
    found = analysis.locator.find(probe, unit.line)
    return found if found is not None else (unit.line, 1)


def _redacted(unit: Unit, label: Label) -> str:
    """The label's sentence with every pronoun label in it hidden."""
    sentence = unit.sentence_at(label.start)
    start = sentence.start if sentence is not None else 0
    end = sentence.end if sentence is not None else len(unit.text)
    text = unit.text[start : label.start] + "(…)" + unit.text[label.end : end]
    for pattern in _LABELS:
        text = pattern.sub("…", text)
    text = _PAREN_SET.sub("(…)", text)
    text = normalize_space(text)
    return text if len(text) <= 120 else text[:119] + "…"


def _report(
    ctx: RuleContext,
    analysis: Analysis,
    unit: Unit,
    probe: str | Sentence,
    message: str,
    hint: str | None = None,
    **kw: Any,
) -> Finding:
    line, column = _where(analysis, unit, probe)
    return ctx.report(line, message, hint, column=column, **kw)


_NO_CONSENT = """---
people:
  - {slug: sam-lee, name: Sam Lee, pronouns: he/him, show_pronouns: false}
---
"""
_CONSENT = """---
people:
  - {slug: rhi-evans, name: Rhiannon Evans, aliases: [Rhi], pronouns: she/they, show_pronouns: true}
---
"""


@rule(
    id="PRN001",
    name="pronouns-without-consent",
    severity="error",
    summary="A person's pronouns are shown, but they have not agreed to show them.",
    why=(
        "Pronouns are the person's, shown only with their consent (`show_pronouns: true` in the people "
        "registry). Showing them without it can out someone or put them at risk, and a published page "
        "cannot be taken back from caches and archives. Labels are found next to a registered person's "
        "name: 'Sam Lee (he/him)', 'Sam's pronouns are...', 'who uses the pronoun...', 'he/him "
        "pronouns'. This is certain enough to block publication. The finding never repeats the person's "
        "recorded pronouns, and its snippet hides the label."
    ),
    fix="Remove the pronouns, or ask the person and record `show_pronouns: true` in people.yaml.",
    bad=[
        _NO_CONSENT + "Please welcome Sam Lee (he/him), our new driver.\n",
        _NO_CONSENT + "Sam's pronouns are he/him.\n",
    ],
    good=[
        _NO_CONSENT + "Please welcome Sam Lee, our new driver. Sam starts on Monday.\n",
        _CONSENT + "Please welcome Rhiannon Evans (she/they), our new youth worker.\n",
    ],
)
def pronouns_without_consent(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    analysis = analyse(doc, _people(ctx))
    for unit in analysis.units:
        for label in unit.labels:
            person = label.mention.person
            if person.show_pronouns:
                continue
            yield _report(
                ctx,
                analysis,
                unit,
                label.mention.matched,
                f"Pronouns shown for {person.name}, who has not agreed to show them",
                snippet=_redacted(unit, label),
            )


@rule(
    id="PRN002",
    name="pronoun-mismatch",
    severity="warning",
    summary="A pronoun near a person's name is not one of the pronouns they recorded.",
    why=(
        "Using the wrong pronoun for someone misgenders them (NLGJA, GLAAD, APA 7th ed. §4.18). A "
        "gendered pronoun (he, she and their forms, or a neopronoun such as xe) after a person's name in "
        "the same sentence or paragraph that is outside their recorded pronouns is flagged. 'They' is "
        "never flagged. The pronoun may refer to someone else, so this is a warning, and only info when "
        "it is inside a quotation (quotes are not altered) or another person is named in between. The "
        "message does not repeat pronouns of a person who has not agreed to show them."
    ),
    fix="Use the person's recorded pronouns or their name; check who the pronoun refers to.",
    bad=[_CONSENT + "Rhiannon Evans runs the youth club. He also plays bass.\n"],
    good=[
        _CONSENT + "Rhiannon Evans runs the youth club. She also plays bass, and they sing.\n",
        _CONSENT + "Rhi met Dev Patel, the new caretaker. He fixed the boiler in an hour.\n",
    ],
)
def pronoun_mismatch(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    analysis = analyse(doc, _people(ctx))
    for unit in analysis.units:
        reported: set[tuple[str, str]] = set()
        for use in unit.uses:
            if any(
                not p.has_pronouns or (p.pronouns and p.pronouns.allows(use.form)) for p in use.candidates
            ):
                continue  # it may refer to someone it fits, or to someone whose pronouns are not known
            if use.crowded:
                continue  # someone not in the registry is named nearer: most likely the one meant
            ambiguous = len(use.candidates) > 1
            person = use.candidates[-1]
            key = (person.slug, use.form)
            if key in reported:
                continue
            reported.add(key)
            names = " or ".join(p.name for p in use.candidates)
            why = " (in a quote)" if use.quoted else " (two people named)" if ambiguous else ""
            if person.show_pronouns and person.pronouns is not None and len(use.candidates) == 1:
                hint = f"{person.name} uses {person.pronouns.written}; check who “{use.form}” refers to."
            else:
                hint = "Check who the pronoun refers to; if unsure, use the person's name."
            yield _report(
                ctx,
                analysis,
                unit,
                unit.sentence_at(use.start) or person.first_name,
                f"“{use.form}” may not match the pronouns recorded for {names}{why}",
                hint,
                severity=Severity.INFO if use.quoted or ambiguous else None,
                snippet=_context(unit, use.start),
            )


def _context(unit: Unit, offset: int) -> str:
    sentence = unit.sentence_at(offset)
    text = sentence.text if sentence is not None else unit.text
    return text if len(text) <= 120 else text[:119] + "…"


@rule(
    id="PRN003",
    name="pronoun-for-person-without-pronouns",
    severity="info",
    summary="A gendered pronoun is used for a person with no pronouns recorded.",
    why=(
        "Pronouns are never to be guessed from a name, a photo or a job title. When a person's pronouns "
        "are not recorded, AP and NLGJA advise asking them, or using their name instead. This is info: the "
        "pronoun may well be right, and it may refer to someone else."
    ),
    fix="Ask the person which pronouns they use and record them, or use their name.",
    bad=[
        "---\npeople:\n  - {slug: tomasz-nowak, name: Tomasz Nowak}\n---\n"
        "Tomasz Nowak runs the garden. He is there most mornings.\n"
    ],
    good=[
        "---\npeople:\n  - {slug: tomasz-nowak, name: Tomasz Nowak}\n---\n"
        "Tomasz Nowak runs the garden. Tomasz is there most mornings.\n"
    ],
)
def pronoun_for_person_without_pronouns(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    analysis = analyse(doc, _people(ctx))
    for unit in analysis.units:
        reported: set[str] = set()
        for use in unit.uses:
            if len(use.candidates) != 1 or use.crowded:
                continue
            person = use.candidates[0]
            if person.has_pronouns or person.slug in reported:
                continue
            reported.add(person.slug)
            yield _report(
                ctx,
                analysis,
                unit,
                unit.sentence_at(use.start) or person.first_name,
                f"“{use.form}” used for {person.name}, who has no pronouns recorded",
                snippet=_context(unit, use.start),
            )


def _may_say_preferred(text: str) -> bool:
    """A quick test that lets most texts skip the case-insensitive `_PREFERRED` scan.

    Of the letters of "preferred" and "chosen", case-insensitive matching pairs only "s" with a character
    other than its capital: the long s, which `lower()` keeps, so it is folded here.
    """
    lowered = text.lower()
    if "ſ" in lowered:
        lowered = lowered.replace("ſ", "s")
    return "preferred" in lowered or "chosen" in lowered


@rule(
    id="PRN004",
    name="preferred-pronouns",
    severity="warning",
    summary='"Preferred pronouns" or "chosen pronouns" is used.',
    why=(
        "A person's pronouns are not a preference or a choice others may set aside; the NLGJA, AP and "
        "GLAAD style guides all advise writing 'pronouns' ('whose pronouns are they/them'). In a "
        "quotation it is info only, since quotes are not altered."
    ),
    fix='Write "pronouns": "whose pronouns are she/they", or "who uses the pronoun they".',
    bad=["Add your preferred pronouns to your name badge if you like."],
    good=["Add your pronouns to your name badge if you like."],
)
def preferred_pronouns(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    analysis = analyse(doc, _people(ctx))
    for unit in analysis.units:
        if not _may_say_preferred(unit.text):
            continue
        for match in _PREFERRED.finditer(unit.text):
            quoted = unit.in_quote(match.start())
            yield _report(
                ctx,
                analysis,
                unit,
                match.group(0),
                f"Write “pronouns”, not “{match.group(0).lower()}”" + (" (in a quote)" if quoted else ""),
                severity=Severity.INFO if quoted else None,
                snippet=_context(unit, match.start()),
            )


@rule(
    id="PRN005",
    name="pronouns-missing-at-first-mention",
    severity="warning",
    summary="A person who agreed to show their pronouns is first named without them (opt-in policy).",
    why=(
        "Some sites introduce each person with their pronouns, for those who agreed to show them, so "
        "readers need not guess. This is a site policy, not a WCAG requirement, so the rule is off by "
        'default: turn it on with `extend-select = ["PRN005"]`. It never asks for pronouns of someone '
        "who has not agreed to show them or has none recorded."
    ),
    fix="Add the pronouns after the first mention of the name: 'Rhiannon Evans (she/they)'.",
    bad=[_CONSENT + "Please welcome Rhiannon Evans, our new youth worker.\n"],
    good=[
        _CONSENT + "Please welcome Rhiannon Evans (she/they), our new youth worker. Rhi starts today.\n",
        _NO_CONSENT + "Please welcome Sam Lee, our new driver.\n",
    ],
    enabled_by_default=False,
)
def pronouns_missing_at_first_mention(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    analysis = analyse(doc, _people(ctx))
    seen: set[str] = set()
    for unit in analysis.units:
        if not unit.body:
            continue
        labelled = {id(label.mention) for label in unit.labels}
        for mention in unit.mentions:
            person = mention.person
            if person.slug in seen:
                continue
            seen.add(person.slug)
            if not person.show_pronouns or not person.has_pronouns or person.pronouns is None:
                continue
            if id(mention) in labelled or any(label.mention.person is person for label in unit.labels):
                continue
            yield _report(
                ctx,
                analysis,
                unit,
                mention.matched,
                f"First mention of {person.name} does not give their pronouns",
                f"Write “{person.name} ({person.pronouns.written})” here.",
                snippet=_context(unit, mention.start),
            )


@rule(
    id="PRN006",
    name="pronouns-differ-from-record",
    severity="warning",
    summary="Pronouns shown for a person who agreed to show them differ from the ones they recorded.",
    why=(
        "A label such as '(he/him)' next to someone who recorded 'she/they' misgenders them in the most "
        "visible place. The order of a person's sets matters too ('she/they' is not 'they/she'). Only "
        "people who agreed to show their pronouns are checked here; for the others any label is an error "
        "(PRN001)."
    ),
    fix="Show the pronouns exactly as the person recorded them in people.yaml.",
    bad=[_CONSENT + "Please welcome Rhiannon Evans (he/him), our new youth worker.\n"],
    good=[_CONSENT + "Please welcome Rhiannon Evans (she/they), our new youth worker.\n"],
)
def pronouns_differ_from_record(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    analysis = analyse(doc, _people(ctx))
    for unit in analysis.units:
        for label in unit.labels:
            person = label.mention.person
            if not person.show_pronouns:
                continue
            recorded = person.pronouns
            if recorded is None or not person.has_pronouns:
                message = f"Pronouns shown for {person.name}, who has none recorded"
                hint = "Check with the person and record their pronouns in people.yaml."
            elif recorded.any or label.sets == recorded.sets:
                continue
            else:
                message = f"Pronouns shown for {person.name} differ from the ones they recorded"
                hint = f"{person.name} recorded “{recorded.written}”."
            yield _report(
                ctx,
                analysis,
                unit,
                label.mention.matched,
                message,
                hint,
                snippet=_context(unit, label.start),
            )
