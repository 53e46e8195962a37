"""Readability rules (RDB): reading grade, long sentences, long paragraphs and passive voice.

Only body prose is measured: paragraphs and list items, without headings, code, tables, figure captions,
navigation or footers. Quoted passages (`blockquote`) are left out of the scores, since a writer cannot
reword a quote, and long sentences in them are reported as info only. Every rule of the family records the
scores in the report's metrics, so they are shown even when every rule passes.

Scores checked against published values: Wikipedia's worked examples for the Flesch tests ("The cat sat on
the mat." scores 116; the 13-word platypus sentence scores 37.5 and grade 11.3) are reproduced exactly.
Syllables come from the CMU Pronouncing Dictionary (as textstat does when its dictionary is present) with a
vowel-group guess for names and new words, so scores can differ from other tools by a few tenths: tools
that use hyphenation (Pyphen) count fewer syllables, and tools that drop sentences of two words or fewer
(textstat) count fewer, longer sentences.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

from bs4 import Tag

from ..context import RuleContext
from ..document import Document, TextBlock, normalize_space
from ..model import Finding, Severity
from ..registry import rule
from ..text import Scores, SentenceStats, passive_phrases, score, sentence_stats, sentences_of

# Blocks inside these are not body prose.
_NOT_PROSE = frozenset({"table", "figure", "figcaption", "nav", "footer", "header", "aside"})
_CODE = ("code", "kbd", "samp", "pre")
_CACHE_ATTR = "_a11y_readability"
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


@dataclass(frozen=True, slots=True)
class ProseSentence:
    stats: SentenceStats
    line: int
    column: int
    quoted: bool


@dataclass(frozen=True, slots=True)
class ProseBlock:
    block: TextBlock
    words: int
    quoted: bool


@dataclass(frozen=True, slots=True)
class Prose:
    """The body prose of a document, split and counted once for every readability rule."""

    sentences: list[ProseSentence]
    blocks: list[ProseBlock]
    scores: Scores
    first_line: int
    lang: str | None

    @property
    def english(self) -> bool:
        """The formulas and the passive-voice patterns are for English; a post without `lang` counts."""
        return self.lang is None or self.lang.strip().lower().split("-")[0] in ("en", "")


def _blocks_with_code(doc: Document) -> set[int]:
    """Ids of the elements that hold code, found from the code elements up (cheaper than searching down)."""
    holders: set[int] = set()
    for code in doc.by_tag(*_CODE):
        holders.update(id(parent) for parent in code.parents)
    return holders


def _block_text(block: TextBlock, with_code: set[int]) -> str:
    if id(block.element) not in with_code:
        return block.text
    parts = [
        str(s)
        for s in block.element.find_all(string=True)
        if not any(isinstance(p, Tag) and p.name in _CODE for p in s.parents)
    ]
    return normalize_space(" ".join(parts))


class Locator:
    """Finds the source line of text inside a block, searching forward from the block's first line."""

    def __init__(self, doc: Document) -> None:
        self.lines = doc.source_lines
        # The lines joined once, so a probe is looked for with one `str.find` over the block's lines.
        self.text = "\n".join(self.lines)
        self.starts: list[int] = []
        self.blank: list[int] = []
        offset = 0
        for index, line in enumerate(self.lines):
            self.starts.append(offset)
            offset += len(line) + 1
            if not line.strip():
                self.blank.append(index)

    def find(self, probe: str, first: int) -> tuple[int, int] | None:
        """(line, column) of `probe` at or after line `first`, within the block (up to a blank line)."""
        if "\n" in probe:
            return None  # no single line holds it
        begin = max(first - 1, 0)
        stop = min(len(self.lines), first - 1 + 60)
        after = bisect.bisect_right(self.blank, first - 1)
        if after < len(self.blank) and self.blank[after] < stop:
            stop = self.blank[after]  # the block ends at the next blank line
        if begin >= stop:
            return None
        end = self.starts[stop - 1] + len(self.lines[stop - 1])
        found = self.text.find(probe, self.starts[begin], end)
        if found < 0:
            return None
        index = bisect.bisect_right(self.starts, found) - 1
        return index + 1, found - self.starts[index] + 1

    def locate(self, text: str, first: int) -> tuple[int, int]:
        """(line, column) of the start of a sentence; the block's line when it cannot be found."""
        words = [match.group() for match in islice(_WORD.finditer(text), 3)]  # only the first three are used
        probes = [" ".join(words[:n]) for n in (3, 2) if len(words) >= n]
        if words and len(words[0]) >= 4:
            probes.append(words[0])
        for probe in probes:
            found = self.find(probe, first)
            if found is not None:
                return found
        return first, 1


def prose(doc: Document) -> Prose:
    """Sentences and blocks of the document's body prose, with scores (computed once per document)."""
    cached = doc.__dict__.get(_CACHE_ATTR)
    if isinstance(cached, Prose):
        return cached
    locator = Locator(doc)
    with_code = _blocks_with_code(doc)
    sentences: list[ProseSentence] = []
    blocks: list[ProseBlock] = []
    for block in doc.text_blocks:
        if block.inside & _NOT_PROSE:
            continue
        quoted = "blockquote" in block.inside
        text = _block_text(block, with_code)
        line = block.line
        words = 0
        for sentence in sentences_of(text):
            stats = sentence_stats(sentence)
            if not stats.words:
                continue
            line, column = locator.locate(sentence.text, line)
            sentences.append(ProseSentence(stats, line, column, quoted))
            words += stats.words
        if words:
            blocks.append(ProseBlock(block, words, quoted))
    scored = score(s.stats for s in sentences if not s.quoted)
    first_line = next((s.line for s in sentences if not s.quoted), 1)
    result = Prose(sentences, blocks, scored, first_line, doc.lang)
    doc.__dict__[_CACHE_ATTR] = result
    return result


def _record_metrics(ctx: RuleContext, found: Prose) -> None:
    scores = found.scores
    ctx.metric("readability.words", scores.words)
    ctx.metric("readability.sentences", scores.sentences)
    ctx.metric("readability.words_per_sentence", round(scores.words_per_sentence, 1))
    if not found.english:
        ctx.metric("readability.scores", f"not measured: lang {found.lang} is not English")
        return
    ctx.metric("readability.flesch_reading_ease", round(scores.flesch_reading_ease, 1))
    ctx.metric("readability.flesch_kincaid_grade", round(scores.flesch_kincaid_grade, 1))
    ctx.metric("readability.passive_share", round(scores.passive_share, 3))


def _cut(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


_HARD_TEXT = (
    "Notwithstanding considerable organisational difficulties, the committee's comprehensive "
    "evaluation of community infrastructure requirements identified substantial opportunities for "
    "collaborative partnerships. Consequently, representatives from participating institutions "
    "anticipate implementing sustainable operational arrangements. Additional consultation regarding "
    "accessibility considerations will necessarily precede finalisation. Municipal authorities "
    "expressed considerable enthusiasm concerning preliminary recommendations. Implementation "
    "responsibilities remain provisionally allocated between voluntary organisations and "
    "professional administrators, subject to subsequent ratification by the governing assembly. "
    "Community representatives emphasised the importance of transparent communication throughout "
    "the implementation period. Subsequent evaluation will consider the effectiveness of "
    "organisational arrangements, particularly regarding communication with vulnerable individuals and "
    "intergenerational participation in community activities. Further information concerning "
    "consultation arrangements will be communicated to stakeholders in due course."
)
_EASY_TEXT = (
    "The food bank opens a second site on Tuesday. It is in the old school hall on Mill Lane. "
    "You do not need to book. Just come along between ten and two. We will have tea, soup and "
    "bread. Bring a bag if you can. Our volunteers will help you find what you need. If you have "
    "a dietary need, tell us at the door. We can also help with forms and bills. Ask for Dev or "
    "Siân. They know the advice team well. The hall has a ramp and a lift. There is a quiet room "
    "if the hall gets busy. Children are welcome too. See you there."
)


@rule(
    id="RDB001",
    name="reading-grade-too-high",
    severity="warning",
    wcag=["3.1.5"],
    summary="The body text needs more years of schooling to read than the target (grade 9).",
    why=(
        "WCAG 3.1.5 (AAA) asks for text readable after lower secondary education, about nine years of "
        "school, or a simpler version alongside. The Flesch-Kincaid grade estimates the school grade a "
        "reader needs from sentence length and syllables per word; grade 9 is the usual WCAG-aligned "
        "target. Long words and long sentences shut out readers with cognitive disabilities, readers "
        "of English as another language and anyone reading in a hurry. The score is a guide, not a "
        "verdict, so this is a warning. Scored only on at least 100 words and 5 sentences of body prose; "
        "quotes, headings, code, tables and captions are left out. The formula is for English: posts "
        "whose `lang` is another language are not scored.\n\n"
        "The scores match published values: Wikipedia's worked examples ('The cat sat on the mat.' 116; "
        "the platypus sentence 37.5 and grade 11.3) exactly, and textstat 0.7.13 with the CMU dictionary "
        "within 0.5 reading ease and 0.1 grade on four demo posts of 330-400 words. They differ on text "
        "full of very short sentences: textstat cuts at every full stop ('Dr.', 'p.m.') and then drops "
        "the pieces of two words or fewer, 'Thank you.' included, so 'Hi. Yes. The cat sat on the mat. "
        "Thank you. ...' counts 2 sentences there and 6 here (reading ease 103.6 there, 110.4 here). "
        "Syllables of words missing from the dictionary (names, new words) are guessed "
        "from vowel groups."
    ),
    fix="Use shorter sentences and everyday words, or add a plain-language summary (WCAG G86).",
    bad=[_HARD_TEXT],
    good=[_EASY_TEXT],
    options={"target_grade": 9.0, "min_words": 100, "min_sentences": 5},
)
def reading_grade_too_high(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    found = prose(doc)
    _record_metrics(ctx, found)
    scores = found.scores
    if not found.english:
        return
    if scores.words < ctx.options["min_words"] or scores.sentences < ctx.options["min_sentences"]:
        return
    target = float(ctx.options["target_grade"])
    grade = scores.flesch_kincaid_grade
    if grade > target:
        yield ctx.report(
            found.first_line,
            f"Reading grade {grade:.1f} is above the target of {target:g}",
            f"Reading ease {scores.flesch_reading_ease:.0f}, {scores.words_per_sentence:.0f} words a "
            "sentence: use shorter sentences and everyday words, or add a plain summary.",
            snippet=f"grade {grade:.1f}, reading ease {scores.flesch_reading_ease:.1f}, {scores.words} words",
        )


_LONG_SENTENCE = (
    "The trustees met on Tuesday evening in the main hall to agree the budget for next year, which "
    "includes money for a new van for the food bank, a part-time youth worker and repairs to the roof."
)


@rule(
    id="RDB002",
    name="long-sentence",
    severity="warning",
    wcag=["3.1.5"],
    summary="A sentence is longer than 25 words.",
    why=(
        "Long sentences are hard to follow, above all for readers with cognitive disabilities or "
        "reading in a second language. WCAG technique G153 gives 25 words as the usual limit for "
        "secondary education in English, and GOV.UK uses the same limit (readers understand over 90% "
        "of 14-word sentences, under 10% of 43-word ones). Sentences inside a quotation are reported as "
        "info: a quote should not be reworded, but it can be shortened or paraphrased."
    ),
    fix="Split the sentence in two, or turn a list of items into a bulleted list.",
    bad=[_LONG_SENTENCE],
    good=["The trustees met on Tuesday to agree next year's budget. It pays for a new van and roof repairs."],
    options={"max_words": 25},
)
def long_sentence(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    found = prose(doc)
    _record_metrics(ctx, found)
    limit = int(ctx.options["max_words"])
    long_ones = 0
    for sentence in found.sentences:
        words = sentence.stats.words
        if words <= limit:
            continue
        long_ones += 1
        yield ctx.report(
            sentence.line,
            f"Sentence of {words} words (over {limit})" + (" in a quote" if sentence.quoted else ""),
            severity=Severity.INFO if sentence.quoted else None,
            snippet=_cut(sentence.stats.sentence.text),
            column=sentence.column,
        )
    ctx.metric("readability.long_sentences", long_ones)


_LONG_PARAGRAPH = " ".join(
    [
        "The repair café has had a busy year.",
        "Volunteers fixed toasters, lamps, radios, bikes, clocks and a great many phones.",
        "Most repairs took less than an hour, and most things went home working.",
        "When something could not be fixed, we explained why and suggested where to take it.",
        "We also ran four evening classes on simple repairs at home.",
        "People learned to change a fuse, mend a puncture and sew on a button.",
        "The classes were full every time, so we will run more next year.",
        "Our thanks go to the hardware shop on the high street for the spare parts.",
        "They gave us screws, fuses and cables all year and never sent a bill.",
        "We also thank the youth club for lending us their tables on busy days.",
        "Next year we hope to open on two Saturdays a month instead of one.",
        "To do that we need three more volunteers who are happy with a screwdriver.",
        "You do not need to be an expert, because we will teach you.",
        "If you would like to help, please call the centre office or drop in on a Saturday.",
        "We would love to meet you, and there is always tea.",
    ]
)


@rule(
    id="RDB003",
    name="long-paragraph",
    severity="warning",
    wcag=["3.1.5"],
    summary="A paragraph is longer than 150 words.",
    why=(
        "Long paragraphs are hard to scan and easy to lose your place in, especially with a screen "
        "magnifier or when reading slowly. Plain-language guides keep to one idea a paragraph; Yoast's "
        "readability check, which many editors know, marks paragraphs over 150 words and flags those "
        "over 200. Quotations are reported as info."
    ),
    fix="Split the paragraph where the topic changes, one idea a paragraph.",
    bad=[_LONG_PARAGRAPH],
    good=["The repair café has had a busy year.\n\nVolunteers fixed toasters, lamps and radios."],
    options={"max_words": 150},
)
def long_paragraph(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    found = prose(doc)
    _record_metrics(ctx, found)
    limit = int(ctx.options["max_words"])
    for block in found.blocks:
        if block.words <= limit:
            continue
        yield ctx.report(
            block.block.element,
            f"Paragraph of {block.words} words (over {limit})" + (" in a quote" if block.quoted else ""),
            severity=Severity.INFO if block.quoted else None,
            snippet=_cut(block.block.text, 80),
        )


_PASSIVE_TEXT = (
    "The new van was bought in March. It was paid for by a grant. The old van was sold to a farm. "
    "The keys were handed over on Friday. Our drivers were trained by the council. We thank them."
)


@rule(
    id="RDB004",
    name="passive-voice",
    severity="warning",
    wcag=["3.1.5"],
    summary="More than 15% of sentences use the passive voice.",
    why=(
        "The passive voice hides who does what ('the form must be returned' rather than 'return the "
        "form'), which makes text longer and harder to act on. WCAG technique G153 recommends the active "
        "voice. Yoast's readability check, which many editors know, calls up to 10% passive sentences "
        "good, 10-15% acceptable and over 15% a problem; this rule warns over 15%, so ordinary news "
        "writing (about one passive sentence in ten) passes. Set `max-share = 0.1` for the stricter "
        "bound. Detection looks for a "
        "form of 'be' or 'get' followed by a past participle, and skips participles mostly used as "
        "adjectives ('is based in', 'was excited'), so it misses a few and is a warning only. Needs at "
        "least 5 sentences; quotes are left out; English posts only."
    ),
    fix="Say who does what: 'the board approved the plan', not 'the plan was approved'.",
    bad=[_PASSIVE_TEXT],
    good=[
        "We bought the new van in March. A grant paid for it. We sold the old van to a farm. "
        "We handed over the keys on Friday. The council trained our drivers. We thank them."
    ],
    options={"max_share": 0.15, "min_sentences": 5},
)
def passive_voice(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    found = prose(doc)
    _record_metrics(ctx, found)
    scores = found.scores
    if not found.english or scores.sentences < ctx.options["min_sentences"]:
        return
    limit = float(ctx.options["max_share"])
    if scores.passive_share <= limit:
        return
    passive = [s for s in found.sentences if s.stats.passive and not s.quoted]
    phrases = [p for s in passive[:4] for p in passive_phrases(s.stats.sentence.text)]
    yield ctx.report(
        passive[0].line,
        f"{scores.passive_sentences} of {scores.sentences} sentences are passive "
        f"({scores.passive_share:.0%}, target {limit:.0%} or less)",
        f"Say who does what, e.g. reword: {', '.join(phrases[:3])}.",
        snippet=_cut("; ".join(phrases)),
        column=passive[0].column,
    )
