from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from content_api.cli import main
from content_api.store.db import make_engine
from content_api.store.tables import posts

FIXTURES = Path(__file__).parent / "fixtures"


def post_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(posts)).scalar_one()


def test_import_then_reimport(database_url: str, engine: Engine, capsys):
    assert main(["import", str(FIXTURES / "site"), "--database-url", database_url]) == 0
    out = capsys.readouterr().out
    assert out.startswith("imported 4 posts (4 new, 0 updated, 0 unchanged), 3 people, 3 tags, 3 images;")
    assert post_count(engine) == 4
    assert main(["import", str(FIXTURES / "site"), "--database-url", database_url]) == 0
    assert "(0 new, 0 updated, 4 unchanged)" in capsys.readouterr().out


def test_bad_folder_exits_2_with_one_line_per_problem(database_url: str, engine: Engine, capsys):
    assert main(["import", str(FIXTURES / "bad"), "--database-url", database_url]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 13
    assert err[0] == "images/broken.png:1: cannot be opened as PNG (Truncated File Read)"
    assert "posts/unknown-author.md:6: unknown author slug 'nobody-here' (not in people.yaml)" in err
    assert post_count(engine) == 0


def test_export_round_trip_and_refusal(database_url: str, engine: Engine, tmp_path: Path, capsys):
    assert main(["import", str(FIXTURES / "site"), "--database-url", database_url]) == 0
    out_dir = tmp_path / "out"
    assert main(["export", str(out_dir), "--database-url", database_url]) == 0
    assert f"exported 4 posts, 3 people, 3 images to {out_dir}" in capsys.readouterr().out
    assert main(["export", str(out_dir), "--database-url", database_url]) == 2
    assert capsys.readouterr().err.strip() == f"{out_dir}:1: export folder exists and is not empty"
    assert main(["import", str(out_dir), "--database-url", database_url]) == 0
    assert "(0 new, 0 updated, 4 unchanged)" in capsys.readouterr().out


def test_demo_loads_a_folder_through_the_import_path_and_is_idempotent(
    database_url: str, engine: Engine, monkeypatch, capsys
):
    monkeypatch.setattr("content_api.services.demo.DEMO_DIR", FIXTURES / "site")
    assert main(["demo", "--database-url", database_url]) == 0
    assert "4 posts (4 new" in capsys.readouterr().out
    assert main(["demo", "--database-url", database_url]) == 0
    assert "4 posts (0 new, 0 updated, 4 unchanged)" in capsys.readouterr().out
    assert post_count(engine) == 4


def test_demo_content_bundled_in_the_package_loads(tmp_path: Path, capsys):
    url = f"sqlite:///{tmp_path}/demo.db"
    assert main(["demo", "--database-url", url]) == 0
    assert "0 unchanged" in capsys.readouterr().out
    assert main(["demo", "--database-url", url]) == 0
    assert "(0 new, 0 updated" in capsys.readouterr().out
    assert post_count(make_engine(url)) >= 30


def test_migrate_on_a_blank_database(blank_engine: Engine, capsys):
    url = blank_engine.url.render_as_string(hide_password=False)
    assert main(["migrate", "--database-url", url]) == 0
    assert capsys.readouterr().out.startswith("database at revision ")
    assert main(["migrate", "--database-url", url]) == 0


def test_import_into_an_unmigrated_database_says_to_migrate(blank_engine: Engine, capsys):
    url = blank_engine.url.render_as_string(hide_password=False)
    assert main(["import", str(FIXTURES / "site"), "--database-url", url]) == 1
    err = capsys.readouterr().err.strip()
    assert "\n" not in err
    assert err.endswith("has no tables yet; run `content-api migrate`")


UNREACHABLE = "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2"
UNREACHABLE_LINE = "content-api: cannot use the database postgresql+psycopg://nobody@127.0.0.1:1/none"


@pytest.mark.parametrize("command", [["migrate"], ["demo"], ["export", "x"]])
def test_unreachable_database_is_one_line(command: list[str], capsys):
    assert main([*command, "--database-url", UNREACHABLE]) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(UNREACHABLE_LINE)


def test_unreachable_database_exits_without_traceback(tmp_path: Path):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "content_api.cli",
            "import",
            str(FIXTURES / "site"),
            "--database-url",
            UNREACHABLE,
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert proc.returncode == 1
    assert proc.stderr.strip().startswith(UNREACHABLE_LINE)
    assert len(proc.stderr.strip().splitlines()) == 1


def test_export_into_an_unwritable_place_is_one_line(
    database_url: str, engine: Engine, tmp_path: Path, capsys
):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert main(["import", str(FIXTURES / "site"), "--database-url", database_url]) == 0
    capsys.readouterr()
    assert main(["export", str(blocker / "inside"), "--database-url", database_url]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("content-api: cannot use ")
    assert "\n" not in err


def test_bad_database_url_is_a_usage_error(capsys):
    assert main(["migrate", "--database-url", "mysql://localhost/x"]) == 2
    assert capsys.readouterr().err.startswith("content-api: bad database URL: unsupported database URL")


def test_missing_folder_is_reported(database_url: str, tmp_path: Path, capsys):
    assert main(["import", str(tmp_path / "nowhere"), "--database-url", database_url]) == 2
    assert capsys.readouterr().err.strip() == f"{tmp_path / 'nowhere'}:1: no such content folder"
