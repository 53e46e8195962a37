from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text

from content_api.content import ContentError, export_store, import_folder
from content_api.store.maintenance import content_version
from content_api.store.search import count_search, search_post_ids
from content_api.store.tables import images, people, post_authors, post_people, post_tags, posts, tags
from tests.content_api.fixtures.snapshot import snapshot

FIXTURES = Path(__file__).parent / "fixtures"
SITE = FIXTURES / "site"
BAD = FIXTURES / "bad"


def post_row(engine: Engine, slug: str):
    with engine.connect() as conn:
        return conn.execute(select(posts).where(posts.c.slug == slug)).mappings().one()


def linked(engine: Engine, table, column, source, slug: str) -> list[str]:
    with engine.connect() as conn:
        query = (
            select(source.c.slug if source is not tags else tags.c.name)
            .select_from(table)
            .join(source, source.c.id == table.c[column])
            .join(posts, posts.c.id == table.c.post_id)
            .where(posts.c.slug == slug)
            .order_by(table.c.position)
        )
        return list(conn.execute(query).scalars())


def row_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            table.name: conn.execute(select(func.count()).select_from(table)).scalar_one()
            for table in (images, people, tags, posts, post_authors, post_tags, post_people)
        }


def copy_site(tmp_path: Path) -> Path:
    target = tmp_path / "site"
    shutil.copytree(SITE, target)
    return target


def test_import_writes_posts_people_tags_and_images(engine: Engine):
    summary = import_folder(engine, SITE)
    assert (summary.posts.created, summary.people.created, summary.tags.created, summary.images.created) == (
        4,
        3,
        3,
        3,
    )
    assert summary.content_version == 1

    post = post_row(engine, "garden-opens")
    assert post["title"] == "The community garden opens"
    assert post["status"] == "published"
    assert post["published_at"].isoformat() == "2025-04-12T00:00:00+00:00"
    assert post["lang"] == "en-GB"
    assert post["summary"] == "Our new garden is open to everyone on Saturdays."
    assert post["body_format"] == "markdown"
    assert post["source_path"] == "posts/garden-opens.md"
    assert post["feature_image_alt"] == "Raised beds with young plants"
    assert post["feature_image_caption"] == "The garden on opening day"
    assert post["pinned_related"] == ["youth-club-returns"]
    assert post["reading_time_minutes"] == 1
    assert "<h2>How to join</h2>" in post["body_html"]
    # Body images get the stored image's size unless the author gave one.
    assert '<img src="/images/garden.png" alt="A watering can" width="120" height="80">' in post["body_html"]
    assert "<table>" in post["body_html"]
    assert "Sam planted the first seeds." in post["body_text"]
    assert "<" not in post["body_text"]

    assert linked(engine, post_authors, "person_id", people, "garden-opens") == ["ana-lima"]
    assert linked(engine, post_tags, "tag_id", tags, "garden-opens") == ["Environment", "Community events"]
    # Mentioned by alias ("Sam"); authors never count as mentioned.
    assert linked(engine, post_people, "person_id", people, "garden-opens") == ["sam-okafor"]
    assert linked(engine, post_people, "person_id", people, "youth-club-returns") == ["jo-reed", "ana-lima"]

    with engine.connect() as conn:
        garden = conn.execute(select(images).where(images.c.path == "images/garden.png")).mappings().one()
        blink = conn.execute(select(images).where(images.c.path == "images/blink.gif")).mappings().one()
        ana = conn.execute(select(people).where(people.c.slug == "ana-lima")).mappings().one()
        sam = conn.execute(select(people).where(people.c.slug == "sam-okafor")).mappings().one()
    assert post["feature_image_id"] == garden["id"]
    assert (garden["width"], garden["height"], garden["format"], garden["media_type"]) == (
        120,
        80,
        "PNG",
        "image/png",
    )
    assert garden["data"] == (SITE / "images/garden.png").read_bytes()
    assert (garden["animated"], garden["flash_verdict"]) == (False, "pass")
    assert (blink["animated"], blink["frame_count"], blink["duration_ms"], blink["loop_count"]) == (
        True,
        2,
        250,
        0,
    )
    assert (ana["pronouns"], ana["show_pronouns"], ana["role"], ana["avatar_alt"]) == (
        "she/her",
        True,
        "Centre manager",
        "Ana smiling in the garden",
    )
    assert (sam["pronouns"], sam["show_pronouns"], sam["aliases"]) == ("they/them", False, ["Sam"])


def test_html_posts_with_and_without_front_matter(engine: Engine):
    import_folder(engine, SITE)
    youth = post_row(engine, "youth-club-returns")
    assert youth["body_format"] == "html"
    assert youth["published_at"].isoformat() == "2025-09-01T17:30:00+00:00"
    assert '<img src="/images/blink.gif" alt="" width="16" height="12">' in youth["body_html"]
    # No front matter: slug from the file name, title from <title>, lang from <html lang>, a draft.
    whole = post_row(engine, "whole-document")
    assert (whole["title"], whole["lang"], whole["status"]) == ("Croeso i'r ganolfan", "cy", "draft")
    assert whole["body_html"].strip() == "<p>Mae'r ganolfan ar agor bob dydd.</p>"


def test_bodies_are_sanitised_and_keep_their_text(engine: Engine):
    import_folder(engine, SITE)
    html = post_row(engine, "garden-opens")["body_html"]
    for gone in ("<script", "alert(", "onclick", "steal()", "javascript:"):
        assert gone not in html
    assert '<p class="lead" id="join">Come along on Saturday. <a>Sign up here</a>.</p>' in html
    assert "onerror" not in post_row(engine, "youth-club-returns")["body_html"]


def test_reimport_updates_in_place_and_removes_links_no_longer_listed(engine: Engine, tmp_path: Path):
    import_folder(engine, SITE)
    before = post_row(engine, "garden-opens")
    untouched = post_row(engine, "secret-plans")

    again = import_folder(engine, SITE)
    assert (again.posts.created, again.posts.updated, again.posts.unchanged) == (0, 0, 4)
    assert again.content_version == 2
    assert post_row(engine, "garden-opens")["version"] == before["version"]

    folder = copy_site(tmp_path)
    source = folder / "posts/garden-opens.md"
    text = source.read_text()
    text = text.replace("title: The community garden opens", "title: The garden is open")
    text = text.replace("tags: [Environment, Community events]", "tags: [Community events]")
    text = text.replace("authors: [ana-lima]", "authors: [jo-reed, ana-lima]")
    source.write_text(text)
    people_file = folder / "people.yaml"
    people_file.write_text(people_file.read_text().replace("role: Volunteer", "role: Volunteer coordinator"))
    from PIL import Image

    Image.new("RGB", (60, 30), (200, 10, 10)).save(folder / "images/garden.png")

    summary = import_folder(engine, folder)
    assert (summary.posts.created, summary.posts.updated, summary.posts.unchanged) == (0, 1, 3)
    assert (summary.people.updated, summary.people.unchanged) == (1, 2)
    assert (summary.images.updated, summary.images.unchanged) == (1, 2)
    with engine.connect() as conn:
        garden = conn.execute(select(images).where(images.c.path == "images/garden.png")).mappings().one()
    assert (garden["width"], garden["height"]) == (60, 30)
    assert garden["data"] == (folder / "images/garden.png").read_bytes()
    after = post_row(engine, "garden-opens")
    assert after["id"] == before["id"]
    assert after["title"] == "The garden is open"
    assert after["version"] == before["version"] + 1
    assert after["updated_at"] > before["updated_at"]
    assert after["created_at"] == before["created_at"]
    assert post_row(engine, "secret-plans")["updated_at"] == untouched["updated_at"]
    assert linked(engine, post_tags, "tag_id", tags, "garden-opens") == ["Community events"]
    assert linked(engine, post_authors, "person_id", people, "garden-opens") == ["jo-reed", "ana-lima"]
    assert row_counts(engine)["posts"] == 4
    with engine.connect() as conn:
        assert conn.execute(select(people.c.role).where(people.c.slug == "jo-reed")).scalar_one() == (
            "Volunteer coordinator"
        )
        assert content_version(conn) == 3


def test_bad_folder_lists_every_bad_file_and_writes_nothing(engine: Engine):
    with pytest.raises(ContentError) as caught:
        import_folder(engine, BAD)
    found = {(problem.path, problem.line, problem.message) for problem in caught.value.problems}
    assert found == {
        ("images/broken.png", 1, "cannot be opened as PNG (Truncated File Read)"),
        ("people.yaml", 3, "show_pronouns must be true or false, not 'yes please'"),
        ("people.yaml", 4, "duplicate person slug 'ana-lima' (line 1)"),
        ("people.yaml", 6, "bad slug 'Bad Slug': use lower-case letters, digits and single hyphens"),
        ("posts/bad-date.md", 5, "bad date 'the first of May': use YYYY-MM-DD or an ISO 8601 date and time"),
        ("posts/bad-status.md", 5, "bad status 'live': use draft or published"),
        ("posts/bad-status.md", 6, "unknown key 'tittle' (did you mean 'title'?)"),
        ("posts/duplicate.md", 3, "duplicate slug 'bad-date' (also in posts/bad-date.md)"),
        ("posts/invalid-yaml.md", 4, "invalid YAML: expected ',' or ']', but got '<stream end>'"),
        ("posts/missing-image.md", 5, "missing image file 'images/nowhere.png'"),
        ("posts/missing-image.md", 11, "missing image file 'images/also-gone.png'"),
        ("posts/missing-title.md", 2, "missing title"),
        ("posts/unknown-author.md", 6, "unknown author slug 'nobody-here' (not in people.yaml)"),
    }
    assert (
        str(caught.value).splitlines()[0]
        == "images/broken.png:1: cannot be opened as PNG (Truncated File Read)"
    )
    assert set(row_counts(engine).values()) == {0}
    with engine.connect() as conn:
        assert content_version(conn) == 0


def test_one_bad_file_keeps_the_store_exactly_as_it_was(engine: Engine, tmp_path: Path):
    import_folder(engine, SITE)
    before = snapshot(engine)
    folder = copy_site(tmp_path)
    (folder / "posts/garden-opens.md").write_text(
        (folder / "posts/garden-opens.md")
        .read_text()
        .replace("title: The community garden opens", "title: New")
    )
    (folder / "posts/broken.md").write_text(
        "---\ntitle: Broken\nslug: broken\ndate: 2025-13-45\n---\nText.\n"
    )
    with pytest.raises(ContentError) as caught:
        import_folder(engine, folder)
    assert [str(problem) for problem in caught.value.problems] == [
        "posts/broken.md:4: bad date '2025-13-45': use YYYY-MM-DD or an ISO 8601 date and time"
    ]
    assert snapshot(engine) == before
    with engine.connect() as conn:
        assert content_version(conn) == 1


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("no-front-matter.md", "Just text.\n", "posts/no-front-matter.md:1: missing front matter"),
        ("unclosed.md", "---\ntitle: x\n", "posts/unclosed.md:1: front matter starts with '---' but has no"),
        ("list.md", "---\n- a\n---\nText\n", "posts/list.md:2: front matter must be a YAML mapping"),
        ("latin1.md", b"---\ntitle: caf\xe9\n---\n", "posts/latin1.md:2: not UTF-8 text"),
        (
            "no-date.md",
            "---\ntitle: T\nslug: t\nstatus: published\n---\n",
            "posts/no-date.md:4: a published post",
        ),
        (
            "outside.md",
            "---\ntitle: T\nslug: t\n---\n![x](../../secret.png)\n",
            "posts/outside.md:5: image path",
        ),
        (
            "self.md",
            "---\ntitle: T\nslug: t\nrelated: [t]\n---\n",
            "posts/self.md:4: a post cannot be related",
        ),
        ("tags.md", "---\ntitle: T\nslug: t\ntags: {a: 1}\n---\n", "posts/tags.md:4: tags must be a list"),
        (
            "long-tag.md",
            "---\ntitle: T\nslug: t\ntags: [" + "x" * 201 + "]\n---\n",
            "posts/long-tag.md:4: tag",
        ),
        (
            "null-date.md",
            "---\ntitle: T\nslug: t\nstatus: published\ndate:\n---\n",
            "posts/null-date.md:4: a published",
        ),
    ],
)
def test_each_kind_of_bad_post_is_reported_with_its_line(tmp_path: Path, name: str, text, expected: str):
    (tmp_path / "posts").mkdir()
    target = tmp_path / "posts" / name
    if isinstance(text, bytes):
        target.write_bytes(text)
    else:
        target.write_text(text)
    with pytest.raises(ContentError) as caught:
        from content_api.content import read_folder

        read_folder(tmp_path)
    assert len(caught.value.problems) == 1
    assert str(caught.value.problems[0]).startswith(expected)


def test_missing_folder_is_a_problem_not_a_crash(tmp_path: Path):
    with pytest.raises(ContentError, match="no such content folder"):
        from content_api.content import read_folder

        read_folder(tmp_path / "nowhere")


def test_imported_posts_are_searchable_and_drafts_are_not(engine: Engine):
    import_folder(engine, SITE)
    with engine.connect() as conn:
        ids = search_post_ids(conn, "garden", limit=10, offset=0)
        titles = [
            conn.execute(select(posts.c.slug).where(posts.c.id == post_id)).scalar_one() for post_id in ids
        ]
        assert titles == ["garden-opens"]
        assert count_search(conn, "fete") == 0
        assert count_search(conn, "fete", statuses=("draft",)) == 1


def test_export_then_import_gives_the_same_store(engine: Engine, tmp_path: Path):
    import_folder(engine, SITE)
    before = snapshot(engine)
    out = tmp_path / "exported"
    summary = export_store(engine, out)
    assert (summary.posts, summary.people, summary.images) == (4, 3, 3)
    assert (out / "images/team/ana.jpg").read_bytes() == (SITE / "images/team/ana.jpg").read_bytes()
    assert (out / "posts/garden-opens.md").is_file()
    assert (out / "posts/youth-club-returns.html").is_file()

    from content_api.store.maintenance import clear_store

    clear_store(engine)
    import_folder(engine, out)
    assert snapshot(engine) == before


def test_export_refuses_a_folder_with_files(engine: Engine, tmp_path: Path):
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(ContentError, match="not empty"):
        export_store(engine, tmp_path)
    assert (tmp_path / "keep.txt").read_text() == "mine"


def test_concurrent_imports_both_succeed_one_after_the_other(engine: Engine):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda _index: import_folder(engine, SITE), range(2)))
    assert sorted(result.content_version for result in results) == [1, 2]
    assert sorted(result.posts.created for result in results) == [0, 4]
    assert row_counts(engine)["posts"] == 4


def test_an_import_leaves_the_planner_statistics_up_to_date(engine: Engine):
    if engine.dialect.name == "postgresql":
        # Emptied by TRUNCATE (clear_store): no statistics until the next ANALYZE.
        statistics = "SELECT reltuples FROM pg_class WHERE oid = 'posts'::regclass"
    else:
        # The planner's row count of posts: the first number of each of its indexes' statistics.
        statistics = "SELECT max(CAST(stat AS INTEGER)) FROM sqlite_stat1 WHERE tbl = 'posts'"
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))  # on the empty store: sqlite_stat1 exists, nothing for posts
    with engine.connect() as conn:
        before = conn.execute(text(statistics)).scalar()
    import_folder(engine, SITE)
    with engine.connect() as conn:
        after = conn.execute(text(statistics)).scalar()
        counted = conn.execute(select(func.count()).select_from(posts)).scalar_one()
    assert before != counted and after == counted == 4


def test_statistics_that_cannot_be_refreshed_do_not_fail_the_import(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
):
    from content_api.store import maintenance

    locked = sqlite3.OperationalError("database is locked")

    class Busy:
        def __init__(self, real: Engine) -> None:
            self.dialect = real.dialect

        def connect(self) -> None:
            raise locked

        begin = connect

    real_refresh = maintenance.refresh_statistics
    monkeypatch.setattr(
        "content_api.content.importer.refresh_statistics", lambda engine: real_refresh(Busy(engine))
    )
    summary = import_folder(engine, SITE)
    assert summary.posts.created == 4
    assert "could not refresh the planner's statistics: database is locked" in caplog.text
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(posts)).scalar_one() == 4
