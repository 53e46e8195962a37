"""`schema.graphql` at the repository root is the live schema, as `content-api export-schema` prints it."""

from __future__ import annotations

from pathlib import Path

import pytest

from content_api.cli import main
from content_api.schema.schema import schema_sdl

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schema.graphql"


def test_checked_in_schema_matches_the_live_schema() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_sdl(), (
        "schema.graphql is out of date: run `content-api export-schema > schema.graphql`"
    )


def test_export_schema_prints_the_sdl(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export-schema"]) == 0
    assert capsys.readouterr().out == SCHEMA_FILE.read_text(encoding="utf-8")


def test_schema_has_the_public_contract() -> None:
    sdl = schema_sdl()
    for line in (
        "post(slug: String!): Post",
        "person(slug: String!): Person",
        "tags: [Tag!]!",
        "node(id: ID!): Node",
        "type Post implements Node",
        "type Person implements Node",
        "type Tag implements Node",
        "totalCount: Int!",
        "  PUBLISHED_DESC\n  PUBLISHED_ASC",
    ):
        assert line in sdl
    assert "search(query: String!, first: Int! = 20, after: String = null): PostConnection!" in sdl
