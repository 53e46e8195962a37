"""Turn a file or a string into a `Document`: front matter, then Markdown or HTML, parsed once."""

from __future__ import annotations

import re
import warnings
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.utils import EnvType, OptionsDict

from .document import Document, LineMap
from .errors import AuditInputError
from .mdtree import build_tree

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
_FRONT_MATTER_END = re.compile(r"^(?:---|\.\.\.)[ \t\r]*$", re.M)
_WHOLE_DOCUMENT = re.compile(r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype|html[\s>])", re.I | re.S)
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineTrackingRenderer(RendererHTML):
    """Renders like markdown-it's HTML renderer and records where each block's output starts.

    Inline content keeps the source's line breaks (soft breaks render as newlines), so one anchor per block
    token is enough to map any rendered line back to its source line.
    """

    def render(self, tokens: Any, options: OptionsDict, env: EnvType) -> str:
        line_map: LineMap = env["line_map"]
        offset: int = env["line_offset"]
        out: list[str] = []
        rendered_line = 1
        for i, token in enumerate(tokens):
            if token.type == "inline":
                piece = self.renderInline(token.children, options, env) if token.children else ""
            elif token.type in self.rules:
                piece = self.rules[token.type](tokens, i, options, env)
            else:
                piece = self.renderToken(tokens, i, options, env)
            if token.map is not None and token.nesting >= 0:
                # A block after a hidden one (tight lists) starts with a newline: its tag is on the next line.
                start = rendered_line + len(piece) - len(piece.lstrip("\n"))
                line_map.add(start, token.map[0] + offset)
                if token.type == "fence":  # code starts on the line after the opening fence
                    line_map.add(start, token.map[0] + offset + 1)
            out.append(piece)
            rendered_line += piece.count("\n")
        return "".join(out)

    def image(self, tokens: Any, idx: int, options: OptionsDict, env: EnvType) -> str:
        # `![](x.png)` has no alt text at all; rendering it as alt="" would make it look decorative.
        token = tokens[idx]
        alt = self.renderInlineAsText(token.children or [], options, env)
        if not alt:
            attrs = "".join(f' {k}="{escapeHtml(str(v))}"' for k, v in token.attrs.items() if k != "alt")
            return f"<img{attrs} />"
        return super().image(tokens, idx, options, env)


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True}, renderer_cls=_LineTrackingRenderer)
    md.enable("table")
    md.enable("strikethrough")
    # Posts of one site link to the same addresses again and again; normalising a URL is pure.
    md.normalizeLink = lru_cache(maxsize=4096)(md.normalizeLink)  # type: ignore[method-assign]
    md.normalizeLinkText = lru_cache(maxsize=4096)(md.normalizeLinkText)  # type: ignore[method-assign]
    md.validateLink = lru_cache(maxsize=4096)(md.validateLink)  # type: ignore[method-assign]
    return md


def format_for(path: str | Path) -> str | None:
    """`markdown`, `html`, or None for files the audit does not read."""
    suffix = Path(path).suffix.lower()
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    if suffix in HTML_SUFFIXES:
        return "html"
    return None


def read_text(path: Path) -> str:
    """The file's text; unreadable files and files that are not UTF-8 raise `AuditInputError`."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise AuditInputError(f"cannot read file ({exc.strerror or exc})", path=str(path)) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise AuditInputError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})", path=str(path), line=line
        ) from None


def split_front_matter(text: str, path: str) -> tuple[dict[str, Any], dict[str, int], str, int]:
    """(front matter, line of each key, body, first line of the body) for text that may start with `---`."""
    if not (text.startswith("---\n") or text.startswith("---\r\n")):
        return {}, {}, text, 1
    start = text.index("\n") + 1
    end_match = _FRONT_MATTER_END.search(text, start)
    if end_match is None:
        raise AuditInputError("front matter starts with '---' but has no closing '---'", path=path, line=1)
    yaml_text = text[start : end_match.start()]
    body_start = text.find("\n", end_match.end())
    body = "" if body_start < 0 else text[body_start + 1 :]
    body_line = text.count("\n", 0, body_start + 1) + 1 if body_start >= 0 else text.count("\n") + 2
    loader = _Loader(yaml_text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise AuditInputError(f"malformed front matter: {problem}", path=path, line=line) from None
    finally:
        loader.dispose()
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise AuditInputError("front matter must be a mapping of keys to values", path=path, line=2)
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            lines[str(key_node.value)] = key_node.start_mark.line + 2
    return {str(k): v for k, v in data.items()}, lines, body, body_line


@lru_cache(maxsize=256)
def find_content_root(folder: Path) -> Path:
    """The nearest folder at or above `folder` holding `people.yaml` or a `posts/` folder, else `folder`."""
    for candidate in (folder, *folder.parents):
        if (candidate / "people.yaml").is_file() or (candidate / "posts").is_dir():
            return candidate
    return folder


def parse_source(
    text: str,
    *,
    format: str = "markdown",
    path: str | None = None,
    base_dir: str | Path | None = None,
) -> Document:
    """Parse text (a Markdown post or an HTML fragment or document, with optional front matter)."""
    if format not in ("markdown", "html"):
        raise AuditInputError(f"unknown format {format!r} (use markdown or html)", path=path)
    shown = path or "<source>"
    base = Path(base_dir) if base_dir is not None else (Path(path).parent if path else Path.cwd())
    front, front_lines, body, body_line = split_front_matter(text, shown)
    line_map: LineMap | None = None
    soup: BeautifulSoup | None = None
    if format == "markdown":
        md = _markdown()
        line_map = LineMap()
        env = {"line_map": line_map, "line_offset": body_line}
        tokens = md.parse(body, env)
        soup = build_tree(md, tokens, env, body_line)
        html = "" if soup is not None else md.renderer.render(tokens, md.options, env)
        whole = False
    else:
        html = body
        whole = bool(_WHOLE_DOCUMENT.match(body))
    if soup is None:
        with warnings.catch_warnings():
            # A short post such as "notes.md" looks like a file name to BeautifulSoup; it is text here.
            warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
            soup = BeautifulSoup(html, "html.parser")
    return Document(
        path=shown,
        source=text,
        format=format,
        soup=soup,
        base_dir=base,
        content_root=find_content_root(base.resolve()) if base_dir is not None or path else base,
        front_matter=front,
        front_matter_lines=front_lines,
        body_line=body_line,
        whole_document=whole,
        line_map=line_map,
    )


def parse_file(path: str | Path) -> Document:
    """Read and parse one `.md` or `.html` file."""
    p = Path(path)
    fmt = format_for(p)
    if fmt is None:
        raise AuditInputError("not a Markdown (.md) or HTML (.html) file", path=str(path))
    return parse_source(read_text(p), format=fmt, path=str(path), base_dir=p.parent)
