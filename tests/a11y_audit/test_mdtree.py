"""The tree built from Markdown tokens equals the tree of the rendered HTML, with the same source lines."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup, Tag
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from a11y_audit import all_rules
from a11y_audit.document import LineMap
from a11y_audit.mdtree import build_tree
from a11y_audit.parse import _markdown, split_front_matter

FIXTURES = Path(__file__).parent / "fixtures"

KITCHEN_SINK = """# Title with *emphasis* and `code`

Setext heading
--------------

A paragraph with **strong**, ~~struck~~, [a link](https://example.org "Title"), <https://example.org/auto>,
an entity &amp; &nbsp; &copy;, an escaped \\*star\\*, a hard break{two_spaces}
and a backslash break\\
and an image ![alt with *emphasis*
over two lines](a.png "t") in a [![linked image](b.png)](/target).

1. one
2. two

   loose paragraph in item

7) seven
8) eight

- tight
  - nested
    - deeper
- list

> A quote
> > nested quote
>
> - with a list

---

    indented code
    block

```python extra info
print("fenced & <escaped>")
```

~~~
no info
~~~

| left | centre | right |
| :--- | :----: | ----: |
| a | b | c |
| d | | f |

[ref]: https://example.org/ref
A [reference link][ref] and ![](empty-alt.png).

***
""".format(two_spaces="  ")


def _slow(body: str, first: int) -> tuple[BeautifulSoup, LineMap]:
    md = _markdown()
    line_map = LineMap()
    env = {"line_map": line_map, "line_offset": first}
    html = md.renderer.render(md.parse(body, env), md.options, env)
    return BeautifulSoup(html, "html.parser"), line_map


def _fast(body: str, first: int) -> BeautifulSoup | None:
    md = _markdown()
    env = {"line_map": LineMap(), "line_offset": first}
    return build_tree(md, md.parse(body, env), env, first)


def assert_same(body: str, first: int = 1) -> bool:
    fast = _fast(body, first)
    if fast is None:
        return False
    slow, line_map = _slow(body, first)
    assert str(fast) == str(slow)
    fast_tags = [el for el in fast.descendants if isinstance(el, Tag)]
    slow_tags = [el for el in slow.descendants if isinstance(el, Tag)]
    assert [el.sourceline for el in fast_tags] == [line_map(el.sourceline or 1) for el in slow_tags]
    fast_text = [str(n) for n in fast.descendants if not isinstance(n, Tag)]
    slow_text = [str(n) for n in slow.descendants if not isinstance(n, Tag)]
    assert fast_text == slow_text
    return True


def test_every_construct_matches_the_rendered_tree() -> None:
    assert assert_same(KITCHEN_SINK)
    assert assert_same(KITCHEN_SINK, first=7)


def test_raw_html_takes_the_render_path() -> None:
    assert _fast("Text <b>bold</b>", 1) is None
    assert _fast("<div>\nblock\n</div>", 1) is None


def test_fixtures_and_rule_examples_match() -> None:
    bodies = [split_front_matter(p.read_text(encoding="utf-8"), str(p))[1:] for p in FIXTURES.rglob("*.md")]
    for rule in all_rules():
        for example in (*rule.bad, *rule.good):
            if not example.lstrip().startswith("<"):
                bodies.append(split_front_matter(example, rule.id)[1:])
    built = sum(assert_same(body, first) for _, body, first in bodies)
    assert built >= len(bodies) // 2


PIECES = st.sampled_from(
    [
        "# ", "## ", "#### ", "- ", "1. ", "> ", "    ", "```", "~~~", "---", "***", "| a | b |", "|---|---|",
        "*", "**", "_", "~~", "`", "[", "]", "(", ")", "![", "](x.png)", "<https://e.org>", "&amp;", "&",
        "\\", "  \n", "\n", "\n\n", "word", "Two words", "é", "\t", "[r]: /u", "[r]", "x|y", ":---:", "2) ",
    ]
)  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PIECES, max_size=40).map("".join))
def test_generated_markdown_matches(body: str) -> None:
    assert_same(body)
