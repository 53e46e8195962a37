"""Readability rules on realistic posts: good writing passes, each defect is found at its severity."""

from __future__ import annotations

import time

import pytest

from a11y_audit import FileReport, Severity, audit_source
from a11y_audit.config import Config
from a11y_audit.registry import all_rules

READABILITY = Config(select=("readability",))

GOOD_POST = """\
---
title: The pantry opens on Saturdays
lang: en-GB
---

From 6 September, Llanfelin Pantry will open on Saturday mornings too. We will be in the small hall from
ten until one. You do not need a referral. Just come along.

## Why Saturdays

Many of the people we help work during the week. Some have two jobs. A weekday food bank is no use to them.
We asked at the door in July, and Saturday was the answer most people gave.

> "I work nights at the depot. By the time I finish, the pantry has shut," one visitor told us.

## What to bring

Bring a bag if you can. We have some spare bags, but not many.

| What | When | Where the volunteers will meet you if it is raining or the car park is closed for the market |
| --- | --- | --- |
| Food parcels | 10am to 1pm | Small hall, by the side door on Mill Lane next to the allotment gates |

```
pantry-rota --saturday --volunteers=4 --notify-by-text-message-to-every-registered-volunteer-on-the-list
```

## How to help

We need four volunteers each Saturday. You can help for an hour or the whole morning. Ask Dev at the
pantry, or send a message through the website. Thank you.
"""


def findings(report: FileReport) -> list[tuple[str, Severity, int]]:
    return [(f.rule, f.severity, f.line) for f in report.findings]


def test_good_post_passes_and_still_shows_scores() -> None:
    report = audit_source(GOOD_POST, path="posts/saturdays.md", config=READABILITY)
    assert findings(report) == []
    metrics = report.metrics
    assert float(metrics["readability.flesch_kincaid_grade"]) < 6
    assert float(metrics["readability.flesch_reading_ease"]) > 70
    # the quote, the table, the code block and the headings are not scored
    assert metrics["readability.words"] == 31 + 38 + 14 + 30
    assert metrics["readability.long_sentences"] == 0
    assert set(report.passed) >= {"RDB001", "RDB002", "RDB003", "RDB004"}


def test_quoted_long_sentence_is_info_only() -> None:
    quote = "> " + " ".join(["We waited in the rain for the van to come"] * 3) + ".\n"
    report = audit_source(quote, config=Config(select=("RDB002",)))
    assert [(f.rule, f.severity) for f in report.findings] == [("RDB002", Severity.INFO)]
    assert report.findings[0].message == "Sentence of 30 words (over 25) in a quote"


BAD_POST = """\
---
title: Annual general meeting
---

The annual general meeting was held in the main hall on Thursday. Members were welcomed by the chair.

The treasurer presented the accounts for the year, explaining that income from grants had risen while
income from donations had fallen slightly, and that the reserves policy agreed last year had been
followed in full by the finance committee.

The accounts were approved. The minutes were signed. New trustees were elected by a show of hands.
Refreshments were provided by the café.
"""


def test_bad_post_finds_long_sentence_and_passive_voice() -> None:
    report = audit_source(BAD_POST, path="posts/agm.md", config=READABILITY)
    got = findings(report)
    assert ("RDB002", Severity.WARNING, 7) in got  # the 39-word sentence starts on line 7
    assert ("RDB004", Severity.WARNING, 5) in got  # first passive sentence
    passive = next(f for f in report.findings if f.rule == "RDB004")
    assert passive.message == "7 of 7 sentences are passive (100%, target 15% or less)"
    assert "was held" in passive.snippet
    long_one = next(f for f in report.findings if f.rule == "RDB002")
    assert long_one.message == "Sentence of 39 words (over 25)"
    assert long_one.snippet.startswith("The treasurer presented")
    assert report.metrics["readability.long_sentences"] == 1


def test_sentence_line_and_column_inside_a_wrapped_paragraph() -> None:
    text = (
        "Short one here.\nThe second sentence starts mid-line and then "
        + "goes on " * 12
        + "until it stops.\n"
    )
    report = audit_source(text, config=Config(select=("RDB002",)))
    assert [(f.line, f.column) for f in report.findings] == [(2, 1)]
    text = (
        "Short one here. The second sentence starts mid-line and then "
        + "goes on " * 12
        + "until it stops.\n"
    )
    report = audit_source(text, config=Config(select=("RDB002",)))
    assert [(f.line, f.column) for f in report.findings] == [(1, 17)]


def test_thresholds_come_from_config() -> None:
    config = Config(select=("RDB002",), options={"RDB002": {"max_words": 45}})
    assert audit_source(BAD_POST, config=config).findings == []
    config = Config(select=("RDB004",), options={"passive-voice": {"max_share": 1.0}})
    assert audit_source(BAD_POST, config=config).findings == []


def test_reading_grade_warns_above_target_and_needs_enough_text() -> None:
    rule = next(r for r in all_rules() if r.id == "RDB001")
    report = audit_source(rule.bad[0], config=Config(select=("RDB001",)))
    assert [(f.rule, f.severity) for f in report.findings] == [("RDB001", Severity.WARNING)]
    assert report.findings[0].message.startswith("Reading grade ")
    assert report.findings[0].message.endswith("is above the target of 9")
    lenient = Config(select=("RDB001",), options={"RDB001": {"target_grade": 40.0}})
    assert audit_source(rule.bad[0], config=lenient).findings == []
    # one hard sentence is too little text to judge
    short = "Notwithstanding considerable organisational difficulties, implementation proceeded."
    report = audit_source(short, config=Config(select=("RDB001",)))
    assert report.findings == []
    assert float(report.metrics["readability.flesch_kincaid_grade"]) > 20


def test_long_paragraph_warning_and_list_items_count_separately() -> None:
    paragraph = " ".join(["Volunteers sorted the tins and packed the bags for the families."] * 14)
    report = audit_source(paragraph + "\n", config=Config(select=("RDB003",)))
    assert [(f.rule, f.severity, f.message) for f in report.findings] == [
        ("RDB003", Severity.WARNING, "Paragraph of 154 words (over 150)")
    ]
    items = "\n".join(f"- {'Volunteers sorted the tins and packed the bags.' * 1}" for _ in range(30))
    assert audit_source(items + "\n", config=Config(select=("RDB003",))).findings == []


def test_html_fragment_and_inline_code_are_handled() -> None:
    html = (
        "<p>Run <code>pantry-rota --saturday --volunteers=4 --notify --all --the --time --please</code> "
        "each week.</p><figure><img src='a.png' alt='Tins'><figcaption>"
        + "A very long caption that goes on and on " * 5
        + "</figcaption></figure>"
    )
    report = audit_source(html, format="html", config=READABILITY)
    assert findings(report) == []
    assert report.metrics["readability.words"] == 3


def test_a_long_post_is_audited_quickly() -> None:
    body = "\n\n".join(
        "Our food bank opened a second site on Tuesday. Volunteers from the youth club painted the walls. "
        "The council was asked to fund new freezers. Dr. Amina Yusuf said the move would cut queues at "
        "9 a.m. on weekdays. Thank you to everyone who helped. We hand out 3.5 tonnes of food a month."
        for _ in range(36)
    )
    audit_source(body, config=READABILITY)
    started = time.perf_counter()
    report = audit_source(body, config=READABILITY)
    elapsed = time.perf_counter() - started
    assert 1900 < int(report.metrics["readability.words"]) < 2200
    assert elapsed < 0.25, f"{elapsed * 1000:.0f} ms"


@pytest.mark.parametrize("rule", [r for r in all_rules() if r.family == "readability"], ids=lambda r: r.id)
def test_documented_examples(rule) -> None:  # type: ignore[no-untyped-def]
    config = Config(select=(rule.id,))
    for bad in rule.bad:
        assert any(f.rule == rule.id for f in audit_source(bad, config=config).findings), bad
    for good in rule.good:
        assert audit_source(good, config=config).findings == [], good


def test_one_passive_sentence_in_eight_passes_by_default_but_not_at_ten_percent() -> None:
    text = (
        "The hall was painted in May. We bought new chairs. Volunteers cleaned the kitchen. "
        "The youth club moved the tables. Dev fixed the lights. We planted the beds. "
        "Rhi hung the posters. Everyone came to the opening."
    )
    assert audit_source(text, config=Config(select=("RDB004",))).findings == []
    strict = Config(select=("RDB004",), options={"RDB004": {"max_share": 0.1}})
    report = audit_source(text, config=strict)
    assert [f.message for f in report.findings] == ["1 of 8 sentences are passive (12%, target 10% or less)"]


def test_posts_in_other_languages_get_lengths_but_no_english_scores() -> None:
    welsh = (
        "---\nlang: cy\n---\n\n"
        + "Mae'r caffi iaith yn symud i nos Fawrth. Cafodd y neuadd ei pheintio gan y gwirfoddolwyr.\n\n" * 10
    )
    report = audit_source(welsh, config=READABILITY)
    assert findings(report) == []  # no grade or passive-voice warning from English formulas
    assert report.metrics["readability.scores"] == "not measured: lang cy is not English"
    assert "readability.flesch_kincaid_grade" not in report.metrics
    assert report.metrics["readability.sentences"] == 20
    long_welsh = "---\nlang: cy\n---\n\n" + " ".join(["gair"] * 30) + ".\n"
    assert [f.rule for f in audit_source(long_welsh, config=READABILITY).findings] == ["RDB002"]
