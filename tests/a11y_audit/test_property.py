"""Any text and any HTML, however broken, is audited without a crash."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from a11y_audit import AuditInputError, Severity, audit_source

TAGS = [
    "p", "div", "span", "a", "img", "h1", "h2", "h4", "svg", "title", "table", "tr", "td", "th", "figure",
    "figcaption", "iframe", "object", "area", "input", "strong", "li", "ul", "html", "body", "label",
    "select", "textarea", "button", "details", "summary", "map", "picture",
]  # fmt: skip
ATTRS = ["alt", "src", "href", "role", "lang", "id", "title", "aria-label", "aria-labelledby", "aria-hidden",
         "hidden", "tabindex", "type", "style", "aria-level", "data", "headers", "for", "value",
         "placeholder", "disabled"]  # fmt: skip
VALUES = st.one_of(
    st.sampled_from(["", " ", "img", "none", "presentation", "heading", "link", "en", "english", "x", "#a",
                     "true", "image", "display:none", "2", "-1", "--1", "²", "٣", "a.png", "IMG_01.jpg",
                     "1200x800"]),
    st.text(max_size=12),
)  # fmt: skip

attributes = st.dictionaries(st.sampled_from(ATTRS), VALUES, max_size=4)


def _render(tag: str, attrs: dict[str, str], children: list[str]) -> str:
    shown = "".join(f' {k}="{v.replace(chr(34), "&quot;")}"' for k, v in attrs.items())
    return f"<{tag}{shown}>{''.join(children)}</{tag}>"


html_nodes = st.recursive(
    st.one_of(
        st.text(max_size=20), st.sampled_from(["<br>", "<img src=x.png>", "</p>", "<p", "&amp;", "<!--"])
    ),
    lambda children: st.builds(_render, st.sampled_from(TAGS), attributes, st.lists(children, max_size=4)),
    max_leaves=25,
)


def _check(text: str, fmt: str) -> None:
    try:
        report = audit_source(text, format=fmt, path="prop.md")
    except AuditInputError:
        return  # malformed front matter is reported, not crashed on
    for finding in report.findings:
        assert finding.line >= 1 and finding.column >= 1
        assert isinstance(finding.severity, Severity)
        if finding.family in ("alt-text", "headings", "links", "language", "markup"):
            assert len(finding.message) < 80, finding.message


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_arbitrary_text_as_markdown_and_html(text: str) -> None:
    _check(text, "markdown")
    _check(text, "html")


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(html_nodes, min_size=1, max_size=5))
def test_generated_html(nodes: list[str]) -> None:
    html = "".join(nodes)
    _check(html, "html")
    _check("# Title\n\n" + html + "\n\n## End\n", "markdown")
    _check("---\nlang: en\n---\n" + html, "html")
