"""Report formats. Each module renders a `Report` to a string; `render` picks one by `ReportFormat`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from ..model import FailOn, Report
from ..registry import Rule


class ReportFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    SARIF = "sarif"
    JUNIT = "junit"
    GITHUB = "github"
    HTML = "html"


@dataclass(frozen=True)
class RenderOptions:
    """What a reporter may need besides the report: rule metadata, colour, the failing threshold."""

    rules: dict[str, Rule]
    color: bool = False
    fail_on: FailOn = FailOn.ERROR
    width: int = 100


Renderer = Callable[[Report, RenderOptions], str]


def renderer_for(fmt: ReportFormat) -> Renderer:
    from . import github, html, json, junit, sarif, text

    renderers: dict[ReportFormat, Renderer] = {
        ReportFormat.TEXT: text.render,
        ReportFormat.JSON: json.render,
        ReportFormat.SARIF: sarif.render,
        ReportFormat.JUNIT: junit.render,
        ReportFormat.GITHUB: github.render,
        ReportFormat.HTML: html.render,
    }
    return renderers[fmt]


def render(report: Report, fmt: ReportFormat | str, options: RenderOptions) -> str:
    """The report in the given format."""
    return renderer_for(ReportFormat(fmt))(report, options)
