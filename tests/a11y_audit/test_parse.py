from __future__ import annotations

from pathlib import Path

import pytest

from a11y_audit import AuditInputError, parse_file, parse_source

MARKDOWN = """---
title: Lines
lang: en-GB
---

# Heading on line 6

First paragraph on line 8
continues on line 9 with ![an inline image](a.png) here.

<div class="raw">
  <p>Raw HTML on line 12</p>
  <img src="b.png" alt="on line 13">
</div>

- item on line 16
- [a link on line 17](https://example.org)

| a | b |
| - | - |
| c | d |
"""


def test_markdown_elements_carry_source_lines() -> None:
    doc = parse_source(MARKDOWN, format="markdown", path="post.md")
    assert doc.front_matter == {"title": "Lines", "lang": "en-GB"}
    assert doc.front_matter_lines == {"title": 2, "lang": 3}
    assert doc.lang == "en-GB"
    assert not doc.whole_document
    lines = {el.name: doc.line_of(el) for el in doc.elements if el.name in ("h1", "a", "td")}
    assert lines == {"h1": 6, "a": 17, "td": 21}
    first, raw = (doc.line_of(p) for p in doc.by_tag("p")[:2])
    assert (first, raw) == (8, 12)
    images = [doc.position_of(img) for img in doc.images]
    assert images[0] == (9, 26)
    assert images[1][0] == 13
    assert [doc.line_of(li) for li in doc.by_tag("li")] == [16, 17]


def test_html_positions_count_front_matter() -> None:
    doc = parse_source("---\nlang: cy\n---\n<p>one</p>\n<p>two <img src=x.png></p>\n", format="html")
    img = doc.images[0]
    assert doc.position_of(img) == (5, 8)
    assert doc.lang == "cy"


def test_whole_document_is_detected_and_lang_comes_from_html() -> None:
    doc = parse_source(
        '<!-- c -->\n<!DOCTYPE html><html lang="fr"><body><p>x</p></body></html>', format="html"
    )
    assert doc.whole_document
    assert doc.lang == "fr"
    assert not parse_source("<p>fragment</p>", format="html").whole_document


def test_markdown_image_without_alt_has_no_alt_attribute() -> None:
    doc = parse_source("![](x.png) and ![ok](y.png)", format="markdown")
    assert [img.get("alt") for img in doc.images] == [None, "ok"]


def test_hidden_elements_are_indexed_once() -> None:
    doc = parse_source('<div aria-hidden="true"><p id="a">x</p></div><p hidden>y</p><p>z</p>', format="html")
    hidden = [doc.is_hidden(p) for p in doc.by_tag("p")]
    assert hidden == [True, True, False]
    assert [el.name for el in doc.by_id("a")] == ["p"]


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("---\ntitle: [unclosed\n---\nBody", "malformed front matter", 3),
        ("---\ntitle: x\nBody without an end", "no closing '---'", 1),
        ("---\n- a list\n---\nBody", "must be a mapping", 2),
    ],
)
def test_bad_front_matter_names_file_and_line(text: str, message: str, line: int) -> None:
    with pytest.raises(AuditInputError) as info:
        parse_source(text, format="markdown", path="posts/x.md")
    assert message in str(info.value)
    assert info.value.path == "posts/x.md"
    assert info.value.line == line
    assert str(info.value).startswith(f"posts/x.md:{line}:")


def test_bad_encoding_names_the_line(tmp_path: Path) -> None:
    target = tmp_path / "latin1.md"
    target.write_bytes("# Caf\u00e9\n\nline two\n\nna\u00efve\n".encode("latin-1"))
    with pytest.raises(AuditInputError) as info:
        parse_file(target)
    assert "not UTF-8" in str(info.value)
    assert info.value.line == 1


def test_unreadable_and_unsupported_files(tmp_path: Path) -> None:
    folder = tmp_path / "dir.md"
    folder.mkdir()
    with pytest.raises(AuditInputError, match="cannot read"):
        parse_file(folder)
    other = tmp_path / "notes.txt"
    other.write_text("hello")
    with pytest.raises(AuditInputError, match="not a Markdown"):
        parse_file(other)


def test_content_root_is_the_folder_with_people_or_posts(tmp_path: Path) -> None:
    (tmp_path / "posts").mkdir()
    post = tmp_path / "posts" / "a.md"
    post.write_text("Hello")
    assert parse_file(post).content_root == tmp_path.resolve()


def test_windows_line_endings_keep_front_matter_and_lines() -> None:
    doc = parse_source("---\r\ntitle: x\r\nlang: cy\r\n---\r\n\r\n## Head\r\n", format="markdown")
    assert doc.lang == "cy"
    assert [doc.line_of(h) for h in doc.headings] == [6]
