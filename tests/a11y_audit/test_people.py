"""The people registry: loading, clear errors, upward discovery, name matching and pronoun parsing."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from a11y_audit import audit_source
from a11y_audit.cli import main
from a11y_audit.config import Config
from a11y_audit.people import (
    People,
    PeopleFileError,
    Person,
    find_people_file,
    load_people,
    parse_people,
    parse_pronouns,
)

REGISTRY = """\
# staff and volunteers
- slug: rhiannon-evans
  name: Rhiannon Evans
  aliases: [Rhi]
  pronouns: she/they
  show_pronouns: true

- slug: sam-okafor
  name: Sam Okafor
  pronouns: they/them

- slug: sam-lee
  name: Sam Lee
  pronouns: he/him
  show_pronouns: false

- slug: tomasz-nowak
  name: Tomasz Nowak
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_loads_fields_and_defaults(tmp_path: Path) -> None:
    people = load_people(write(tmp_path / "people.yaml", REGISTRY))
    assert len(people) == 4
    rhi = people.get("rhiannon-evans")
    assert rhi is not None
    assert rhi.pronouns is not None and rhi.pronouns.sets == ("she", "they")
    assert rhi.show_pronouns is True and rhi.aliases == ("Rhi",)
    okafor = people.get("sam-okafor")
    assert okafor is not None and okafor.show_pronouns is False  # consent is false when absent
    tomasz = people.get("tomasz-nowak")
    assert tomasz is not None and tomasz.pronouns is None and not tomasz.has_pronouns
    assert okafor.line == 8  # the line of the entry, for messages


def test_mapping_with_people_key_and_empty_file() -> None:
    people = parse_people("people:\n  - {slug: a, name: Ann Bell}\n")
    assert [p.slug for p in people] == ["a"]
    assert len(parse_people("")) == 0


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("- slug: a\n  name: Ann\n- slug: b\n  pronouns: she/her\n", 3, "person 2 has no name"),
        ("- slug: a\n  name: Ann\n  show_pronouns: yes please\n", 1, "show_pronouns must be true or false"),
        (
            "- slug: a\n  name: Ann\n- slug: a\n  name: Ann Other\n",
            3,
            "slug 'a' is used twice (first on line 1)",
        ),
        ("- slug: a\n  name: Ann\n  aliases: {x: 1}\n", 1, "aliases must be a list of names"),
        ("- slug: a\n  name: Ann\n  pronouns: 3\n", 1, "pronouns must be text"),
        ("- slug: a\n  name: [Ann\n", 3, "malformed YAML"),
        ("just some text\n", 1, "expected a list of people"),
        ("- 12\n", 1, "person 1 must be a mapping"),
    ],
)
def test_bad_files_name_the_file_and_line(tmp_path: Path, text: str, line: int, words: str) -> None:
    path = tmp_path / "people.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PeopleFileError) as caught:
        load_people(path)
    assert caught.value.line == line
    assert str(caught.value).startswith(f"{path}:{line}: ")
    assert words in str(caught.value)


def test_missing_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(PeopleFileError, match="cannot read the people file"):
        load_people(tmp_path / "nope.yaml")
    bad = tmp_path / "people.yaml"
    bad.write_bytes(b"- slug: a\n  name: Ren\xe9e\n")
    with pytest.raises(PeopleFileError, match=r":2: the people file is not UTF-8"):
        load_people(bad)


def test_find_people_file_looks_upward(tmp_path: Path) -> None:
    registry = write(tmp_path / "content" / "people.yaml", REGISTRY)
    post = write(tmp_path / "content" / "posts" / "2026" / "hello.md", "Hello.\n")
    assert find_people_file(post) == registry.resolve()
    assert find_people_file(post.parent) == registry.resolve()
    assert find_people_file(tmp_path) is None


def test_names_aliases_and_unshared_first_names() -> None:
    people = parse_people(REGISTRY)
    text = "Rhi met Sam Lee and Tomasz. Sam waved. Rhiannon Evans's van and Sam Okafor's."
    found = [(m.matched, m.person.slug) for m in people.mentions(text)]
    assert found == [
        ("Rhi", "rhiannon-evans"),
        ("Sam Lee", "sam-lee"),
        ("Tomasz", "tomasz-nowak"),
        # "Sam" alone is shared by two people: it names nobody
        ("Rhiannon Evans", "rhiannon-evans"),
        ("Sam Okafor", "sam-okafor"),
    ]


def test_matching_is_case_sensitive_and_whole_word() -> None:
    people = People([Person("will-hay", "Will Hay"), Person("rhi", "Rhiannon Evans", aliases=("Rhi",))])
    assert people.mentions("We will see. rhiannon wrote. Rhino. Rhi-fi.") == []
    assert [m.matched for m in people.mentions("Will said so, and Will\nHay agreed.")] == [
        "Will",
        "Will\nHay",
    ]


def test_a_name_joined_to_the_word_before_it_is_no_mention_but_a_name_after_it_is() -> None:
    people = People([Person("sam-lee", "Sam Lee"), Person("lee-ray", "Lee Ray")])
    found = [(m.matched, m.start) for m in people.mentions("O'Sam Lee Ray, re-Sam Lee and xSam Lee came.")]
    # "Sam Lee" is never matched after a joining character; the search goes on inside it ("Lee" is Lee Ray's
    # unshared first name).
    assert found == [("Lee Ray", 6), ("Lee", 22), ("Lee", 35)]
    assert [m.matched for m in people.mentions("Sam Lee, (Lee Ray) and ’Sam Lee")] == [
        "Sam Lee",
        "Lee Ray",
        "Lee",
    ]


def test_given_names_of_a_three_word_name() -> None:
    people = People([Person("mei", "Mei Lin Chen"), Person("mei-x", "Mei Jones")])
    found = [(m.matched, m.person.slug) for m in people.mentions("Mei Lin fixed it. Mei Lin Chen. Mei came.")]
    assert found == [("Mei Lin", "mei"), ("Mei Lin Chen", "mei")]  # "Mei" alone is shared


def test_first_name_that_is_someone_elses_alias_is_not_used() -> None:
    people = People([Person("a", "Alex Carter", aliases=("AJ",)), Person("b", "AJ Smith")])
    assert [m.person.slug for m in people.mentions("AJ came.")] == ["a"]


@pytest.mark.parametrize(
    ("written", "sets", "any_pronouns"),
    [
        ("she/her", ("she",), False),
        ("she/they", ("she", "they"), False),
        ("they/she", ("they", "she"), False),
        ("He/Him/His", ("he",), False),
        ("xe/xem", ("xe",), False),
        ("ze/hir", ("ze",), False),
        ("any pronouns", (), True),
        ("he and they", ("he", "they"), False),
    ],
)
def test_parse_pronouns(written: str, sets: tuple[str, ...], any_pronouns: bool) -> None:
    parsed = parse_pronouns(written)
    assert (parsed.sets, parsed.any) == (sets, any_pronouns)


def test_allows() -> None:
    assert parse_pronouns("she/they").allows("her")
    assert parse_pronouns("she/they").allows("themselves")
    assert not parse_pronouns("she/they").allows("his")
    assert parse_pronouns("any").allows("him")


# -- how an audit gets its registry ---------------------------------------------------------------------

NO_CONSENT_POST = "Please welcome Sam Lee (he/him), our new driver.\n"


def test_audit_finds_people_yaml_upward(tmp_path: Path) -> None:
    write(tmp_path / "people.yaml", REGISTRY)
    post = write(tmp_path / "posts" / "welcome.md", NO_CONSENT_POST)
    report = audit_source(post.read_text(), path=str(post), config=Config(select=("PRN001",)))
    assert [f.rule for f in report.findings] == ["PRN001"]


def test_explicit_people_file_wins_over_discovery(tmp_path: Path) -> None:
    write(tmp_path / "people.yaml", REGISTRY)
    other = write(tmp_path / "elsewhere.yaml", "- {slug: sam-lee, name: Sam Lee, show_pronouns: true}\n")
    post = write(tmp_path / "posts" / "welcome.md", NO_CONSENT_POST)
    config = Config(select=("PRN001",))
    assert audit_source(post.read_text(), path=str(post), people=str(other), config=config).findings == []
    assert (
        audit_source(post.read_text(), path=str(post), people=load_people(other), config=config).findings
        == []
    )


def test_callers_may_pass_people_as_records() -> None:
    config = Config(select=("PRN001",))
    records = [{"slug": "sam-lee", "name": "Sam Lee", "pronouns": "he/him"}]
    assert [f.rule for f in audit_source(NO_CONSENT_POST, people=records, config=config).findings] == [
        "PRN001"
    ]
    persons = [Person("sam-lee", "Sam Lee", show_pronouns=True)]
    both = Config(select=("PRN001", "PRN006"))
    report = audit_source(NO_CONSENT_POST, people=persons, config=both)
    assert [f.message for f in report.findings] == ["Pronouns shown for Sam Lee, who has none recorded"]
    with pytest.raises(PeopleFileError, match="person 1 has no name"):
        audit_source(NO_CONSENT_POST, people=[{"slug": "x"}], config=config)
    with pytest.raises(PeopleFileError, match="people must be a registry"):
        audit_source(NO_CONSENT_POST, people=42, config=config)


def test_front_matter_people_join_the_registry() -> None:
    post = (
        "---\npeople:\n  - {slug: kim, name: Kim Park, pronouns: she/her}\n  - sam-lee\n---\n"
        "Kim Park (she/her) is here.\n"
    )
    report = audit_source(post, config=Config(select=("PRN001",)))
    assert [(f.rule, f.line) for f in report.findings] == [("PRN001", 6)]


def test_front_matter_may_refer_to_registry_people_by_slug_alone(tmp_path: Path) -> None:
    write(tmp_path / "people.yaml", REGISTRY)
    post = write(tmp_path / "posts" / "p.md", "---\npeople:\n  - slug: sam-lee\n---\n" + NO_CONSENT_POST)
    report = audit_source(post.read_text(), path=str(post), config=Config(select=("PRN001",)))
    assert [f.rule for f in report.findings] == ["PRN001"]


def test_bad_front_matter_people_is_an_input_error() -> None:
    with pytest.raises(PeopleFileError, match=r"<source>:2: front matter `people` must be a list"):
        audit_source("---\npeople: Kim Park\n---\nHello.\n")


def test_cli_people_option_and_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    registry = write(tmp_path / "registry.yaml", REGISTRY)
    post = write(tmp_path / "post.md", NO_CONSENT_POST)
    assert (
        main(["check", str(post), "--select", "pronouns", "--people", str(registry), "--format", "json"]) == 1
    )
    assert '"PRN001"' in capsys.readouterr().out
    assert main(["check", str(post), "--select", "pronouns"]) == 0  # no registry found: nobody to check
    capsys.readouterr()
    assert main(["check", str(post), "--people", str(tmp_path / "missing.yaml")]) == 2
    assert "missing.yaml" in capsys.readouterr().err
    broken = write(tmp_path / "broken.yaml", "- slug: a\n  name: [Ann\n")
    assert main(["check", str(post), "--people", str(broken)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{broken}:3: malformed YAML" in err and "Traceback" not in err
