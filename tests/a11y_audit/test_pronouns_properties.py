"""Properties of the pronoun rules over generated posts: no crash, and recorded pronouns stay private."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from a11y_audit import audit_source
from a11y_audit.config import Config
from a11y_audit.errors import AuditInputError
from a11y_audit.people import People, Person, parse_pronouns

PEOPLE = People(
    [
        Person("kofi", "Kofi Mensah", parse_pronouns("xe/xem"), show_pronouns=False),
        Person("peggy", "Margaret Hughes", parse_pronouns("she/her"), aliases=("Peggy",)),
        Person("rhi", "Rhiannon Evans", parse_pronouns("she/they"), show_pronouns=True, aliases=("Rhi",)),
        Person("tomasz", "Tomasz Nowak"),
    ]
)
PRIVATE = {"xe/xem", "she/her"}
CONFIG = Config(select=("pronouns",))

pieces = st.sampled_from(
    [
        "Kofi Mensah",
        "Margaret Hughes",
        "Peggy",
        "Rhi",
        "Rhiannon Evans",
        "Tomasz",
        "Kofi",
        " (xe/xem)",
        " (she/her)",
        " (he/him)",
        "'s pronouns are she/her",
        " uses they/them pronouns",
        " he ",
        " she ",
        " her ",
        " him ",
        " they ",
        " xe ",
        " his/her ",
        "preferred pronouns",
        ". ",
        ", ",
        '"',
        "“",
        "”",
        "\n\n",
        "\n",
        "> ",
        "- ",
        "## ",
        "said ",
        "the van ",
        "<p>",
        "</p>",
        "<blockquote>",
        '<img alt="',
        '">',
        "(",
        ")",
        "/",
    ]
)
posts = st.lists(pieces, max_size=40).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(posts, st.sampled_from(["markdown", "html"]))
def test_never_crashes_and_never_repeats_private_pronouns(text: str, fmt: str) -> None:
    report = audit_source(text, format=fmt, people=PEOPLE, config=CONFIG)
    for finding in report.findings:
        for private in PRIVATE:
            assert private not in finding.message
            assert private not in finding.hint
        if finding.rule == "PRN001":
            assert "xe/xem" not in finding.snippet and "she/her" not in finding.snippet


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
@example("---\n")
@example("---\r\ntitle: [\n")
def test_arbitrary_text_is_audited_or_refused_with_a_place(text: str) -> None:
    """Any text is audited, or refused with an input error that names the line; nothing else escapes."""
    try:
        report = audit_source(text, people=PEOPLE, config=Config(select=("pronouns", "readability")))
    except AuditInputError as error:
        assert error.line is not None and error.line >= 1
        assert str(error).startswith(f"<source>:{error.line}: ")
    else:
        assert all(finding.line >= 1 for finding in report.findings)
