import re

import pytest

from a11y_audit.text.tokens import word_alternation

FORMS = ["he", "her", "hers", "herself", "him", "his", "she", "xe", "xem", "be", "been", "being"]


def test_prefix_tree_pattern_matches_each_choice_and_nothing_else() -> None:
    pattern = re.compile(rf"\b(?:{word_alternation(FORMS)})\b", re.I)
    for form in FORMS:
        assert pattern.fullmatch(form)
        assert pattern.fullmatch(form.upper())
    for other in ["h", "hi", "herse", "xem1", "bee", "beings", "", "s"]:
        assert not pattern.fullmatch(other)


@pytest.mark.parametrize(
    "text",
    [
        "She said he would bring his own; HERSELF, himself and hers.",
        "Xem, xe and xemself; being been be bee beings",
        "the/he/she, he_she her2 ſhe (him) “his”",
    ],
)
def test_prefix_tree_finds_what_a_plain_alternation_finds(text: str) -> None:
    tree = re.compile(rf"\b({word_alternation(FORMS)})\b", re.I)
    plain = re.compile(rf"\b({'|'.join(sorted(FORMS, key=len, reverse=True))})\b", re.I)
    assert [m.span(1) for m in tree.finditer(text)] == [m.span(1) for m in plain.finditer(text)]
    assert [m.span(1) for m in tree.finditer(text)] != []
