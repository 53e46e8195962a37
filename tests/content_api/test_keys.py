"""API keys on both databases: the token is printed once and only its hash is stored; revoked, mistyped
and malformed tokens are refused; scopes are checked."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from content_api.cli import main
from content_api.services.auth import AuthenticationFailed, authenticate, bearer_token
from content_api.store.db import write_engine
from content_api.store.keys import KeyProblem, create_key, key_for_token
from content_api.store.tables import api_keys
from tests.content_api.publishing_helpers import PUBLISH, api, gql, seed


def test_create_prints_the_token_once_and_stores_only_its_hash(
    engine: Engine, database_url: str, capsys: pytest.CaptureFixture[str]
):
    assert (
        main(
            [
                "keys",
                "create",
                "--name",
                "front end",
                "--scope",
                "read:drafts",
                "--database-url",
                database_url,
            ]
        )
        == 0
    )
    out, err = capsys.readouterr()
    token = out.strip()
    assert token.startswith("cak_") and len(out.splitlines()) == 1
    assert "shown only now" in err
    with engine.connect() as conn:
        row = conn.execute(select(api_keys)).one()._mapping
    secret = token.split("_", 2)[2]
    assert row["secret_hash"] == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(dict(row))
    assert row["scopes"] == ["read:drafts"]

    assert main(["keys", "list", "--database-url", database_url]) == 0
    listed = capsys.readouterr().out
    assert "front end" in listed and "read:drafts" in listed and "active" in listed
    assert secret not in listed

    with engine.connect() as conn:
        assert key_for_token(conn, token) is not None
    assert main(["keys", "revoke", row["prefix"], "--database-url", database_url]) == 0
    capsys.readouterr()
    with engine.connect() as conn:
        assert key_for_token(conn, token) is None
    assert main(["keys", "list", "--database-url", database_url]) == 0
    assert "revoked" in capsys.readouterr().out


def test_bad_key_commands_exit_2_with_one_line(
    engine: Engine, database_url: str, capsys: pytest.CaptureFixture[str]
):
    with pytest.raises(SystemExit) as exit_info:
        main(["keys", "create", "--name", "x", "--scope", "everything", "--database-url", database_url])
    assert exit_info.value.code == 2
    capsys.readouterr()
    assert main(["keys", "revoke", "999", "--database-url", database_url]) == 2
    assert capsys.readouterr().err == "content-api: no API key with id or prefix '999'\n"
    assert main(["keys", "create", "--name", " ", "--scope", "write", "--database-url", database_url]) == 2
    assert "name" in capsys.readouterr().err


def test_near_misses_are_refused(engine: Engine):
    with write_engine(engine).begin() as conn:
        token = create_key(conn, "editor", ["write", "publish"]).token
        with pytest.raises(KeyProblem):
            create_key(conn, "nothing", [])
    prefix, secret = token.split("_")[1], token.split("_", 2)[2]
    flipped = secret[:-1] + ("A" if secret[-1] != "A" else "B")
    with engine.connect() as conn:
        assert key_for_token(conn, token).scopes == ("write", "publish")  # type: ignore[union-attr]
        for wrong in (f"cak_{prefix}_{flipped}", token + "x", token.upper(), "", "cak__", "Bearer " + token):
            assert key_for_token(conn, wrong) is None
        with pytest.raises(AuthenticationFailed):
            authenticate(conn, f"Bearer cak_{prefix}_{flipped}")
        with pytest.raises(AuthenticationFailed):
            authenticate(conn, f"Basic {token}")
        assert authenticate(conn, None).anonymous
        assert authenticate(conn, f"bearer {token}").allows("publish")
        assert not authenticate(conn, f"Bearer {token}").allows("read:drafts")
    assert bearer_token(None) is None


def test_revoked_key_gets_401_over_http(engine: Engine, tmp_path: Path):
    seed(engine, tmp_path / "site")
    with write_engine(engine).begin() as conn:
        new = create_key(conn, "old", ["admin"])
    with api(engine) as client:
        assert (
            gql(client, PUBLISH, {"slug": "x"}, new.token)["data"]["publishPost"]["__typename"] == "NotFound"
        )
        with write_engine(engine).begin() as conn:
            conn.execute(api_keys.update().values(revoked_at=new.key.created_at))
        refused = gql(client, PUBLISH, {"slug": "x"}, new.token)
        assert refused["_status"] == 401
        assert refused["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        # Reads refuse a bad token too, rather than quietly answering as anonymous.
        assert gql(client, "{ tags { slug } }", key=new.token)["_status"] == 401
        assert gql(client, "{ tags { slug } }")["_status"] == 200
