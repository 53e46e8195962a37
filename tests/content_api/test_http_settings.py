"""Server settings are read once from the environment, and bad values are refused with one line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine
from starlette.testclient import TestClient

from content_api.app import create_app
from content_api.settings import Settings, SettingsError
from tests.content_api.graphql_site import build_site, graphql


def test_defaults() -> None:
    settings = Settings.from_env({})
    assert settings.database_url == "sqlite:///content.db"
    assert settings.dev_mode is False
    assert settings.cors_origins == ()
    assert settings.public_url == ""
    assert settings.image_max_age == 3600
    assert settings.reads_in_flight == 4


def test_values_from_the_environment_round_trip() -> None:
    settings = Settings.from_env(
        {
            "CONTENT_API_DATABASE_URL": "postgresql://news@db/news",
            "CONTENT_API_DEV": "true",
            "CONTENT_API_CORS_ORIGINS": "https://a.example, https://b.example,",
            "CONTENT_API_PUBLIC_URL": "https://news.example/",
            "CONTENT_API_IMAGE_MAX_AGE": "86400",
            "CONTENT_API_READS_IN_FLIGHT": "12",
        }
    )
    assert settings.database_url == "postgresql+psycopg://news@db/news"
    assert settings.dev_mode is True
    assert settings.cors_origins == ("https://a.example", "https://b.example")
    assert settings.public_url == "https://news.example"
    assert settings.image_max_age == 86400
    assert settings.reads_in_flight == 12
    assert Settings.from_env(settings.to_env()) == settings


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CONTENT_API_DEV", "maybe"),
        ("CONTENT_API_IMAGE_MAX_AGE", "-5"),
        ("CONTENT_API_READS_IN_FLIGHT", "0"),
        ("CONTENT_API_READS_IN_FLIGHT", "many"),
    ],
)
def test_bad_values_are_refused(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({name: value})


def test_serve_refuses_a_bad_setting_with_one_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "content_api.cli", "serve"],
        env={"CONTENT_API_DEV": "sometimes", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert result.stderr == "content-api: CONTENT_API_DEV must be 1 or 0 (true/false), not 'sometimes'\n"


def test_public_url_prefixes_image_links(engine: Engine) -> None:
    build_site(engine)
    settings = Settings(database_url="unused", public_url="https://cdn.example")
    with TestClient(create_app(settings, engine)) as client:
        answer = graphql(client, '{ post(slug: "allotment-opens") { featureImage { url } } }')
    assert answer["data"]["post"]["featureImage"]["url"] == "https://cdn.example/images/feature-garden.png"
