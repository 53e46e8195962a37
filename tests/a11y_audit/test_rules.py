"""Behaviour of the alt-text, headings, links, language and markup rules beyond their doc examples."""

from __future__ import annotations

from pathlib import Path

import pytest

from a11y_audit import Config, Severity, audit, audit_source

FAMILIES = ("alt-text", "headings", "links", "language", "markup")


def rules_for(text: str, fmt: str = "markdown", select: tuple[str, ...] = FAMILIES) -> list[str]:
    report = audit_source(text, format=fmt, config=Config(select=select))
    return [f.rule for f in report.findings]


@pytest.mark.parametrize(
    ("alt", "src", "expected"),
    [
        ("Sunset", "sunset.jpg", []),
        ("team-photo-2024", "team-photo-2024.jpg", ["ALT009"]),
        ("DSC_0042", "x.jpg", ["ALT009"]),
        ("C:\\photos\\oct.jpg", "oct.jpg", ["ALT009"]),
        ("https://example.org/a.png", "a.png", ["ALT009"]),
        ("A 2x4 plank leaning on the shed", "p.jpg", []),
        ("Poster, 1200 x 800 pixels", "p.jpg", ["ALT010"]),
        ("Picture 3", "p.jpg", ["ALT011"]),
        ("0001", "p.jpg", ["ALT011"]),
        ("Photo", "p.jpg", ["ALT011"]),
        ("Portrait of Ana Silva, the new coordinator", "ana.jpg", []),
        ("Photographer Ana Silva at work", "ana.jpg", []),
        ("An image of the hall", "h.jpg", ["ALT013"]),
        ("Screenshot of the booking form with the date field empty", "s.png", []),
        ("🎉", "party.png", []),
        ("...", "x.png", ["ALT012"]),
    ],
)
def test_alt_quality(alt: str, src: str, expected: list[str]) -> None:
    assert rules_for(f'<img src="{src}" alt="{alt}">', "html", ("alt-text",)) == expected


def test_decorative_image_in_a_link_with_text_passes_but_alone_fails() -> None:
    assert rules_for('<a href="/d"><img src="h.svg" alt=""> Donate</a>', "html") == []
    assert rules_for('<a href="/d"><img src="h.svg" alt=""></a>', "html") == ["LNK001"]


def test_hidden_images_are_not_judged() -> None:
    assert rules_for('<div hidden><img src="a.png"></div><img src="b.png" aria-hidden="true">', "html") == []


def test_presentational_role_is_ignored_when_focusable() -> None:
    assert rules_for('<img src="a.png" role="none" tabindex="0">', "html", ("ALT001",)) == ["ALT001"]
    assert rules_for('<img src="a.png" role="none">', "html", ("ALT001",)) == []


def test_feature_image_checks_use_front_matter_line() -> None:
    text = (
        "---\ntitle: T\nlang: en\nfeature_image:\n  src: /images/IMG_2041.jpg\n  alt: IMG_2041.jpg\n---\nHi."
    )
    report = audit_source(text, config=Config(select=("alt-text",)))
    assert [(f.rule, f.line) for f in report.findings] == [("ALT009", 4)]


def test_heading_order_in_a_whole_document_starts_anywhere() -> None:
    page = '<!DOCTYPE html><html lang="en"><body><h3>A</h3><h4>B</h4><h2>C</h2><h4>D</h4></body></html>'
    report = audit_source(page, format="html", config=Config(select=("headings",)))
    assert [(f.rule, f.message) for f in report.findings] == [
        ("HDG002", "Heading level 4 follows level 2; expected 3")
    ]


def test_aria_level_sets_the_heading_level() -> None:
    assert rules_for('<div role="heading" aria-level="4">Deep</div>', "html", ("HDG002",)) == ["HDG002"]
    assert rules_for('<div role="heading">Two by default</div>', "html", ("HDG002",)) == []


def test_bold_paragraph_rules() -> None:
    assert rules_for("**Note:** bring a coat.\n\nMore text.", select=("HDG005",)) == []
    assert rules_for("**Thank you!**\n\nMore text.", select=("HDG005",)) == []
    assert rules_for("**Last paragraph in bold**", select=("HDG005",)) == []
    assert rules_for("**Where to park**\n\nBehind the hall.", select=("HDG005",)) == ["HDG005"]


def test_long_section_counts_words_between_headings() -> None:
    text = "## A\n\n" + "word " * 200 + "\n\n" + "word " * 150 + "\n\n## B\n\nShort."
    report = audit_source(text, config=Config(select=("HDG006",)))
    assert [(f.line, f.severity) for f in report.findings] == [(1, Severity.INFO)]
    assert "350 words" in report.findings[0].message


def test_link_text_comparisons() -> None:
    same = "[The report](/r) and [the report](/r/)."
    assert rules_for(same, select=("links",)) == []
    assert rules_for("[Read the report here](/r)", select=("links",)) == []
    labelled = '<a href="/r" aria-label="Read the annual report">More</a>'
    assert rules_for(labelled, "html", ("LNK002",)) == []  # the name is not vague ...
    assert rules_for(labelled, "html", ("LNK005",)) == ["LNK005"]  # ... but voice users cannot say it
    assert rules_for('<span role="link" tabindex="0"></span>', "html", ("LNK001",)) == ["LNK001"]


def test_raw_urls_in_text_are_information() -> None:
    report = audit_source(
        "See https://example.org/a, or [the page](https://example.org/b).", config=Config(select=("LNK003",))
    )
    assert [(f.message, str(f.severity)) for f in report.findings] == [
        ("A web address is written out in the text", "info")
    ]
    assert rules_for("Run `curl https://example.org/api` to test.", select=("LNK003",)) == []
    assert rules_for("Our site: <https://example.org>", select=("LNK003",)) == ["LNK003"]


@pytest.mark.parametrize(
    ("markup", "flagged"),
    [
        ('<a href="/a" aria-label="University Avenue">University Ave.</a>', False),
        ('<a href="/a" aria-label="non-standard">nonstandard</a>', False),
        ('<button aria-label="Close the dialog">×</button>', False),
        ('<button aria-label="Search by date">Search by date (YYYY-MM-DD)</button>', False),
        ('<a href="/a" aria-label="Discover Italy">Discover It</a>', True),
        ('<a href="/a" aria-label="WCAG">W C A G</a>', True),
        (
            '<a href="/a" aria-label="Download specification">Download <b aria-hidden="true">x</b> spec</a>',
            True,
        ),
    ],
)
def test_visible_label_in_name(markup: str, flagged: bool) -> None:
    assert rules_for(markup, "html", ("LNK005",)) == (["LNK005"] if flagged else [])


def test_xml_lang_must_match_lang() -> None:
    page = '<!DOCTYPE html><html lang="{}" xml:lang="{}"><body><p>x</p></body></html>'
    assert rules_for(page.format("fr", "en"), "html", ("LNG006",)) == ["LNG006"]
    assert rules_for(page.format("en-GB", "EN-us"), "html", ("LNG006",)) == []


def test_language_of_posts_and_parts() -> None:
    report = audit_source("---\nlang: en_GB\n---\nHi.", config=Config(select=("language",)))
    (finding,) = report.findings
    assert (finding.rule, finding.line, finding.hint) == ("LNG002", 2, 'Use "en-GB".')
    assert rules_for("---\nlang: en-GB\n---\nHi.", select=("language",)) == []
    assert rules_for('<div lang="xx-invalid"></div>', "html", ("language",)) == []
    assert rules_for('<div lang="english"><p lang="en">Hi</p></div>', "html", ("language",)) == []
    assert rules_for('<div lang="english"><img src="a.png" alt="A cat"></div>', "html", ("LNG004",)) == [
        "LNG004"
    ]


def test_lang_on_text_nobody_can_see_or_hear_is_not_judged() -> None:
    hidden = '<p lang="hidden"><span style="display: none">Text</span></p>'
    assert rules_for(hidden, "html", ("LNG004",)) == []
    aria_hidden = '<p lang="hidden"><span aria-hidden="true">Text</span></p>'
    assert rules_for(aria_hidden, "html", ("LNG004",)) == ["LNG004"]


def test_aria_label_is_judged_instead_of_alt() -> None:
    named = '<img src="a/IMG_2041.jpg" alt="IMG_2041.jpg" aria-label="The team at the fair">'
    assert rules_for(named, "html", ("alt-text",)) == []
    assert rules_for('<img src="a.jpg" alt="The team" aria-label="image">', "html", ("ALT011",)) == ["ALT011"]


def test_aria_names_are_checked_against_the_specification() -> None:
    assert rules_for('<span role="doc-biblioref link">x</span>', "html", ("MKP009",)) == []
    assert rules_for('<span role="bibliographic-reference lnik">x</span>', "html", ("MKP009",)) == ["MKP009"]
    assert rules_for('<div role="lnik" aria-hidden="true">x</div>', "html", ("MKP009",)) == []
    report = audit_source(
        '<p aria-labeled="a" aria-hidden="false">x</p>', format="html", config=Config(select=("MKP010",))
    )
    assert [f.message for f in report.findings] == ["aria-labeled is not a WAI-ARIA attribute"]


def test_keyboard_reachable_content_inside_aria_hidden() -> None:
    assert rules_for('<a href="/"><svg aria-hidden="true"></svg> Home</a>', "html", ("MKP011",)) == []
    assert rules_for('<div aria-hidden="true"><input disabled></div>', "html", ("MKP011",)) == []
    hidden_twice = '<div aria-hidden="true"><div aria-hidden="true"><button>Go</button></div></div>'
    assert rules_for(hidden_twice, "html", ("MKP011",)) == ["MKP011"]
    assert rules_for('<p tabindex="0" aria-hidden="true">Text</p>', "html", ("MKP011",)) == ["MKP011"]


def test_references_to_missing_ids() -> None:
    assert rules_for('<input aria-describedby="gone hint"><p id="hint">x</p>', "html", ("MKP012",)) == []
    assert rules_for('<input aria-describedby="gone">', "html", ("MKP012",)) == ["MKP012"]
    closed = '<input role="combobox" aria-expanded="false" aria-controls="list">'
    assert rules_for(closed, "html", ("MKP012",)) == []
    assert rules_for(closed.replace("false", "true"), "html", ("MKP012",)) == ["MKP012"]


def test_roles_need_their_container_and_states() -> None:
    assert rules_for('<ul><div role="listitem">x</div></ul>', "html", ("MKP013",)) == []
    skipped = '<div role="list"><div role="presentation"><div role="listitem">x</div></div></div>'
    assert rules_for(skipped, "html", ("MKP013",)) == []
    live = '<div role="list"><div aria-live="polite"><div role="listitem">x</div></div></div>'
    assert rules_for(live, "html", ("MKP013",)) == ["MKP013"]
    owned = '<div role="list" aria-owns="i"></div><div id="i" role="listitem">x</div>'
    assert rules_for(owned, "html", ("MKP013",)) == []
    report = audit_source('<div role="scrollbar"></div>', format="html", config=Config(select=("MKP014",)))
    assert [f.message for f in report.findings] == ['role="scrollbar" needs aria-controls and aria-valuenow']
    assert rules_for('<h2 role="heading">Title</h2>', "html", ("MKP014",)) == []


def test_prohibited_labels_and_focus_inside_controls() -> None:
    assert rules_for('<span aria-label="x">y</span>', "html", ("MKP015",)) == ["MKP015"]
    assert rules_for('<a href="/" aria-label="Home page">Home</a>', "html", ("MKP015",)) == []
    assert rules_for('<div role="region" aria-label="Share">x</div>', "html", ("MKP015",)) == []
    assert rules_for("<button><a>plain</a></button>", "html", ("MKP016",)) == []
    assert rules_for('<button>Save <a href="/x">more</a></button>', "html", ("MKP016",)) == ["MKP016"]


@pytest.mark.parametrize(
    ("markup", "flagged"),
    [
        ('<div role="button" aria-pressed="Mixed">x</div>', False),
        ('<div role="alert" aria-relevant="text removals">x</div>', False),
        ('<div role="alert" aria-relevant="text always">x</div>', True),
        ('<div role="spinbutton" aria-valuenow="1.5e2" aria-label="n"></div>', False),
        ('<div role="gridcell" aria-rowindex="2.5">x</div>', True),
        ('<div role="alert" aria-live="">x</div>', False),
    ],
)
def test_aria_values(markup: str, flagged: bool) -> None:
    assert rules_for(markup, "html", ("MKP017",)) == (["MKP017"] if flagged else [])


def test_table_headers_need_cells() -> None:
    row_headers = (
        "<table><tr><th>Day</th><th>Open</th></tr><tr><th>Mon</th><td>9</td></tr>"
        "<tr><th>Tue</th><td>10</td></tr></table>"
    )
    assert rules_for(row_headers, "html", ("MKP018",)) == []
    spanning = '<table><tr><th>A</th><th>B</th></tr><tr><td colspan="2">both</td></tr></table>'
    assert rules_for(spanning, "html", ("MKP018",)) == []
    assert rules_for("| a | b |\n| - | - |\n| 1 | 2 |", select=("MKP018",)) == []
    assert rules_for("| a | b |\n| - | - |", select=("MKP018",)) == ["MKP018", "MKP018"]


def test_lists_menus_and_tables_hold_only_their_items() -> None:
    table = "| a | b |\n| - | - |\n| 1 | 2 |\n\n- one\n  - nested\n- two"
    assert rules_for(table, select=("MKP019",)) == []
    grouped = "<select multiple><optgroup label='x'><option>1</option></optgroup></select>"
    assert rules_for(grouped, "html", ("MKP019",)) == []
    stray = '<div role="menu"><div role="group"><span role="treeitem">x</span></div></div>'
    assert rules_for(stray, "html", ("MKP019",)) == ["MKP019"]
    assert rules_for('<ul role="menu" aria-busy="true">Loading</ul>', "html", ("MKP019",)) == []


def test_duplicate_id_is_an_error_only_when_referenced() -> None:
    text = '<p id="a">x</p><p id="a">y</p><p id="b">x</p><p id="b">y</p><a href="#b">jump</a>'
    report = audit_source(text, format="html", config=Config(select=("MKP001",)))
    assert [(f.message, str(f.severity)) for f in report.findings] == [
        ('The id "a" is used more than once', "warning"),
        ('The id "b" is used more than once', "error"),
    ]


def test_iframe_out_of_focus_order_is_not_judged() -> None:
    assert rules_for('<iframe src="/x" tabindex="-1"></iframe>', "html", ("MKP002",)) == []
    assert rules_for('<iframe src="/x" title=" "></iframe>', "html", ("MKP002",)) == ["MKP002"]


def test_good_writing_passes_clean(fixtures: Path) -> None:
    report = audit([fixtures / "good"], config=Config())
    problems = [
        (Path(f.path).name, x.rule, x.message)
        for f in report.files
        for x in f.findings
        if x.severity >= Severity.WARNING
    ]
    assert problems == []
    assert len(report.files) == 2


def test_defects_are_caught_at_their_severities(fixtures: Path) -> None:
    report = audit([fixtures / "bad" / "defects.md"], config=Config(select=FAMILIES))
    found = {(f.rule, str(f.severity)) for f in report.findings}
    assert found == {
        ("LNG002", "error"),
        ("HDG003", "warning"),
        ("ALT001", "error"),
        ("ALT011", "error"),
        ("ALT009", "error"),
        ("HDG002", "warning"),
        ("LNK002", "warning"),
        ("LNK001", "error"),
        ("LNG004", "error"),
        ("MKP001", "warning"),
        ("MKP002", "error"),
        ("HDG001", "error"),
    }
