"""JSON: `{"files": [{"path", "findings": [...], ...}], "summary": {...}}` (the product's contract)."""

from __future__ import annotations

import json

from ..model import Report
from . import RenderOptions


def render(report: Report, options: RenderOptions) -> str:
    data = report.to_dict()
    data["tool"] = {"name": "a11y-audit", "version": _version()}
    return json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("newsroom-a11y")
    except PackageNotFoundError:
        return "0"
