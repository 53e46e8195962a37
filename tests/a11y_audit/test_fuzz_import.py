"""Generated Markdown and HTML posts, front matter included, never crash the audit or the import.

Each example is written into a content folder (with a real image and a people file) and goes through
`a11y-audit`'s file audit and the gated import, which audits and then writes the store. Either may
refuse the post with its own error (AuditInputError, ContentError); nothing else may escape, and a
refused import leaves the store exactly as it was.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from PIL import Image
from sqlalchemy import Engine, select

from a11y_audit import AuditInputError, Severity, audit_file
from content_api.content import ContentError
from content_api.services.publishing import import_folder_gated
from content_api.store.db import make_engine, migrate
from content_api.store.tables import metadata

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)

WORDS = st.sampled_from(
    ["Ann", "Lee", "she", "they", "the", "allotment", "click here", "image of", "IMG_0042.jpg", "x", "é",
     "🙂", "\u200b", "–", ":", "#", "*", "_", "`", "|", ">", "[", "]", "(", ")", "<", "&amp;", "\\"]
)  # fmt: skip
TEXT = st.lists(st.one_of(WORDS, st.text(max_size=8)), max_size=8).map(" ".join)
SOURCES = st.sampled_from(
    ["../images/photo.png", "/images/photo.png", "images/photo.png", "../images/missing.png", "http://x/y.png",
     "", "../../etc/passwd", "../images/", "javascript:alert(1)", "data:image/png;base64,AAAA"]
)  # fmt: skip
TAGS = ["p", "h1", "h2", "h3", "h7", "img", "a", "figure", "figcaption", "table", "tr", "td", "th", "ul",
        "li", "span", "html", "body", "script", "style", "iframe", "video", "svg", "button", "label",
        "input"]  # fmt: skip
ATTRS = ["alt", "src", "href", "lang", "role", "aria-label", "aria-hidden", "title", "id", "onclick", "style"]


def _element(tag: str, attrs: dict[str, str], children: list[str]) -> str:
    shown = "".join(f' {name}="{value.replace(chr(34), "&quot;")}"' for name, value in attrs.items())
    return f"<{tag}{shown}>{''.join(children)}</{tag}>"


HTML = st.recursive(
    st.one_of(TEXT, st.sampled_from(["<br>", "<img src=../images/photo.png>", "</p>", "<p", "<!--", "&#0;"])),
    lambda children: st.builds(
        _element,
        st.sampled_from(TAGS),
        st.dictionaries(st.sampled_from(ATTRS), st.one_of(TEXT, SOURCES), max_size=3),
        st.lists(children, max_size=3),
    ),
    max_leaves=20,
)
MARKDOWN_BLOCKS = st.one_of(
    TEXT,
    st.builds(lambda level, text: "#" * level + " " + text, st.integers(1, 7), TEXT),
    st.builds(lambda alt, src: f"![{alt}]({src})", TEXT, st.one_of(st.just("../images/photo.png"), SOURCES)),
    st.builds(lambda text, url: f"[{text}]({url})", TEXT, st.one_of(SOURCES, TEXT)),
    st.builds(lambda items: "\n".join(f"- {item}" for item in items), st.lists(TEXT, max_size=4)),
    st.builds(
        lambda cells: "| a | b |\n|---|---|\n" + "\n".join(f"| {c} | {c} |" for c in cells),
        st.lists(TEXT, max_size=3),
    ),
    st.builds(lambda code: f"```\n{code}\n```", TEXT),
    st.builds(lambda text: f"> {text}", TEXT),
    HTML,
)
MARKDOWN = st.lists(MARKDOWN_BLOCKS, max_size=8).map("\n\n".join)
VALUES = st.one_of(
    TEXT, st.none(), st.booleans(), st.integers(-5, 3000), st.lists(TEXT, max_size=3),
    st.sampled_from(["2025-02-30", "2025-03-01", "2025-03-01T10:00:00+01:00", "published", "draft", "en-GB",
                     "xx-!!", "ann-lee", "no-one"]),
)  # fmt: skip
STRUCTURED_FRONT_MATTER = st.fixed_dictionaries(
    {
        "title": TEXT.map(lambda text: f"News {text}"),
        "slug": st.from_regex(r"[a-z][a-z0-9-]{0,20}", fullmatch=True),
        "status": st.sampled_from(["draft", "published"]),
        "date": st.one_of(st.sampled_from(["2025-03-01", "2025-03-01T10:00:00+01:00"]), VALUES),
    },
    # Each field is mostly well-formed and sometimes anything at all.
    optional={
        "lang": st.one_of(st.sampled_from(["en-GB", "cy", "fr"]), VALUES),
        "summary": st.one_of(TEXT, TEXT, VALUES),
        "authors": st.one_of(st.just(["ann-lee"]), st.just([]), VALUES),
        "tags": st.one_of(st.lists(st.sampled_from(["News", "Food bank", "Youth"]), max_size=3), VALUES),
        "feature_image": st.one_of(
            st.fixed_dictionaries({"src": st.just("../images/photo.png"), "alt": TEXT}),
            st.fixed_dictionaries({"src": SOURCES, "alt": TEXT}),
            VALUES,
        ),
        "people": st.one_of(st.just(["ann-lee"]), VALUES),
    },
).map(lambda fields: "---\n" + yaml.safe_dump(fields, allow_unicode=True) + "---\n")
BROKEN_FRONT_MATTER = st.one_of(
    st.just(""),
    st.one_of(TEXT, st.just(": : :"), st.just("[unclosed"), st.just("- a\n- b")).map(
        lambda raw: f"---\n{raw}\n---\n"
    ),
)
# Mostly well-formed front matter (8 in 10), so that many posts get as far as the audit and the store.
FRONT_MATTER = st.integers(0, 9).flatmap(lambda n: STRUCTURED_FRONT_MATTER if n < 8 else BROKEN_FRONT_MATTER)


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


PNG = _png()


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('fuzz-import')}/store.db")
    migrate(engine)
    yield engine
    engine.dispose()


def _folder(root: Path, name: str, text: str) -> Path:
    (root / "posts").mkdir(parents=True)
    (root / "images").mkdir()
    (root / "images" / "photo.png").write_bytes(PNG)
    (root / "people.yaml").write_text(
        "- slug: ann-lee\n  name: Ann Lee\n  pronouns: she/her\n  show_pronouns: true\n", encoding="utf-8"
    )
    post = root / "posts" / name
    post.write_text(text, encoding="utf-8", errors="surrogatepass")
    return post


def _snapshot(engine: Engine) -> dict[str, list[Any]]:
    with engine.connect() as conn:
        return {
            table.name: sorted(map(repr, conn.execute(select(table)))) for table in metadata.sorted_tables
        }


def _audit_and_import(engine: Engine, name: str, text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "content"
        post = _folder(root, name, text)
        try:
            report = audit_file(post)
        except AuditInputError:
            pass
        else:
            assert all(isinstance(finding.severity, Severity) for finding in report.findings)
            assert all(finding.line >= 1 for finding in report.findings)
        before = _snapshot(engine)
        try:
            result = import_folder_gated(engine, root)
        except (ContentError, AuditInputError) as error:
            event(f"refused: {type(error).__name__}")
            assert str(error).strip()
            assert _snapshot(engine) == before
        else:
            event("imported" if not result.held_back else "imported as a draft (audit errors)")
            assert result.summary.posts.total == 1


@FUZZ
@given(front=FRONT_MATTER, body=MARKDOWN)
def test_generated_markdown_posts(engine: Engine, front: str, body: str) -> None:
    _audit_and_import(engine, "post.md", front + body)


@FUZZ
@given(front=FRONT_MATTER, body=st.lists(HTML, max_size=5).map("".join), whole=st.booleans())
def test_generated_html_posts(engine: Engine, front: str, body: str, whole: bool) -> None:
    if whole:
        body = f'<!doctype html><html lang="en"><head><title>T</title></head><body>{body}</body></html>'
    _audit_and_import(engine, "post.html", front + body)


@FUZZ
@given(text=st.text(max_size=300))
def test_arbitrary_text_posts(engine: Engine, text: str) -> None:
    _audit_and_import(engine, "post.md", text)
    _audit_and_import(engine, "post.html", text)
