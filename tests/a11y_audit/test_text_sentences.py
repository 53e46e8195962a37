"""Sentence splitting on the cases that break naive splitters."""

from __future__ import annotations

import pytest

from a11y_audit.text import split_sentences


def texts(source: str) -> list[str]:
    return [s.text for s in split_sentences(source)]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Hi. Yes. The cat sat on the mat.", ["Hi.", "Yes.", "The cat sat on the mat."]),
        (
            "Dr. Smith arrived at 3 p.m. on Monday. She spoke.",
            ["Dr. Smith arrived at 3 p.m. on Monday.", "She spoke."],
        ),
        ("Sentence one.\n\nSentence two is here.", ["Sentence one.", "Sentence two is here."]),
        (
            "It cost 3.5 million dollars. We paid it all back.",
            ["It cost 3.5 million dollars.", "We paid it all back."],
        ),
        ("Thank you. See you soon.", ["Thank you.", "See you soon."]),
        (
            "Mr. Okafor and Mrs. Jones met at St. Anne's Hall.",
            ["Mr. Okafor and Mrs. Jones met at St. Anne's Hall."],
        ),
        (
            "Bring a snack, e.g. Fruit or nuts. Then we start.",
            ["Bring a snack, e.g. Fruit or nuts.", "Then we start."],
        ),
        (
            "Use plain words, i.e. The ones people say. It helps.",
            ["Use plain words, i.e. The ones people say.", "It helps."],
        ),
        ("She moved to the U.K. in 2019. She loves it.", ["She moved to the U.K. in 2019.", "She loves it."]),
        ("We met at 9 a.m. The talk began at ten.", ["We met at 9 a.m.", "The talk began at ten."]),
        ("J. K. Rowling wrote it. T.S. Eliot did not.", ["J. K. Rowling wrote it.", "T.S. Eliot did not."]),
        ("1. Gather the forms.\n2. Sign them.", ["1. Gather the forms.", "2. Sign them."]),
        ("  3. Indented item.\nStep 4. Done.", ["3. Indented item.", "Step 4.", "Done."]),
        ("It was born in 1990. Then it grew.", ["It was born in 1990.", "Then it grew."]),
        ("Wait... what? It worked.", ["Wait... what?", "It worked."]),
        ("We waited… And then it rained.", ["We waited…", "And then it rained."]),
        ('"Stop." She did. “Really?” he asked.', ['"Stop."', "She did.", "“Really?” he asked."]),
        ("Is it true?! Yes!", ["Is it true?!", "Yes!"]),
        ("See item No. 5 on the list. It is short.", ["See item No. 5 on the list.", "It is short."]),
        ("No heading here, no full stop", ["No heading here, no full stop"]),
        ("So did I. Then we left.", ["So did I.", "Then we left."]),
        ("", []),
        ("... !!", []),
    ],
)
def test_splits(source: str, expected: list[str]) -> None:
    assert texts(source) == expected


def test_offsets_point_back_into_the_text() -> None:
    source = "  First one.\n\n  Second one here.  "
    for sentence in split_sentences(source):
        assert source[sentence.start : sentence.end] == sentence.text
