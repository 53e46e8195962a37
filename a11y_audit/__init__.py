"""Pre-publication accessibility audit for news posts.

from a11y_audit import audit, audit_source
report = audit(["content/posts"])
file_report = audit_source(markdown_text, format="markdown", path="posts/hello.md")
"""

from .config import Config, load_config
from .document import Document
from .errors import AuditInputError, ConfigError
from .model import FailOn, FileReport, Finding, Report, Severity, Suppression
from .parse import parse_file, parse_source
from .people import People, find_people_file, load_people
from .registry import Rule, all_rules, get_rule, rule
from .runner import audit, audit_document, audit_file, audit_source

__all__ = [
    "AuditInputError",
    "Config",
    "ConfigError",
    "Document",
    "FailOn",
    "FileReport",
    "Finding",
    "People",
    "Report",
    "Rule",
    "Severity",
    "Suppression",
    "all_rules",
    "audit",
    "audit_document",
    "audit_file",
    "audit_source",
    "find_people_file",
    "get_rule",
    "load_config",
    "load_people",
    "parse_file",
    "parse_source",
    "rule",
]
