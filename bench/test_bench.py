"""Checks of the benchmark tooling itself (not part of the product's suite):

.venv/bin/pytest -p no:xdist bench/test_bench.py
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
from pathlib import Path

import httpx
import pytest
import yaml
from bs4 import BeautifulSoup
from markdown_it import MarkdownIt

sys.path.insert(0, str(Path(__file__).resolve().parent))
import articles
import raw_app


def _body_text_from_html(document: str) -> str:
    soup = BeautifulSoup(document, "html.parser")
    article = soup.find("article")
    assert article is not None
    # Drop what the page template adds around the post body: the title, byline and feature figure.
    for element in article.find_all(["h1", "figure"], recursive=False):
        element.decompose()
    byline = article.find("p", recursive=False)
    assert byline is not None and byline.get_text().startswith("By ")
    byline.decompose()
    return " ".join(article.get_text(" ").split())


def _body_text_from_markdown(post: str) -> str:
    _, front, body = post.split("---\n", 2)
    assert yaml.safe_load(front)["status"] == "published"
    rendered = MarkdownIt("commonmark").render(body)
    return " ".join(BeautifulSoup(rendered, "html.parser").get_text(" ").split())


def test_the_same_seed_writes_identical_files(tmp_path: Path) -> None:
    first = articles.write_corpus(tmp_path / "a", 6, seed=11)
    second = articles.write_corpus(tmp_path / "b", 6, seed=11)
    assert [a.slug for a in first] == [a.slug for a in second]
    for sub in ("posts", "html"):
        names = sorted(p.name for p in (tmp_path / "a" / sub).iterdir())
        assert names == sorted(p.name for p in (tmp_path / "b" / sub).iterdir())
        for name in names:
            assert (tmp_path / "a" / sub / name).read_bytes() == (tmp_path / "b" / sub / name).read_bytes()
    other = articles.write_corpus(tmp_path / "c", 6, seed=12)
    assert [a.slug for a in other] != [a.slug for a in first]


def test_articles_are_news_posts_of_the_promised_length() -> None:
    people = articles.make_people(2026)
    for index in range(40):
        article = articles.make_article(index, people, 2026)
        text = _body_text_from_markdown(articles.render_markdown(article))
        words = len(text.split())
        assert articles.MIN_WORDS <= words <= articles.MAX_WORDS, (index, words)
        assert re.search(r"^## ", article.body, re.MULTILINE)
        assert "![" in article.body or "<img" in article.body
        assert re.search(r"^(- |\d+\. )", article.body, re.MULTILINE)
        assert "## Other news you might be interested in" in article.body


def test_markdown_and_html_hold_the_same_article(tmp_path: Path) -> None:
    written = articles.write_corpus(tmp_path, 5, seed=3)
    for article in written:
        post = (tmp_path / "posts" / f"{article.stem}.md").read_text(encoding="utf-8")
        document = (tmp_path / "html" / f"{article.stem}.html").read_text(encoding="utf-8")
        assert _body_text_from_markdown(post) == _body_text_from_html(document)
        soup = BeautifulSoup(document, "html.parser")
        assert soup.html is not None and soup.html.get("lang") == "en-GB"
        assert soup.title is not None and article.title in soup.title.get_text()


def test_image_paths_resolve_to_written_files(tmp_path: Path) -> None:
    articles.write_corpus(tmp_path, 4, seed=5)
    for document in (tmp_path / "html").iterdir():
        for img in BeautifulSoup(document.read_text(encoding="utf-8"), "html.parser").find_all("img"):
            assert (document.parent / str(img["src"])).resolve().is_file()


def test_defects_appear_only_when_asked_for() -> None:
    people = articles.make_people(7)
    with_defects = [articles.make_article(i, people, 7) for i in range(60)]
    clean = [articles.make_article(i, people, 7, defects=False) for i in range(60)]
    seen = {defect for article in with_defects for defect in article.defects}
    assert len(seen) >= 8
    assert all(not article.defects for article in clean)
    for article in clean:
        assert "click here" not in article.body and "<img" not in article.body
        assert not re.search(r"!\[IMG_\d+\.jpg\]", article.body)


def test_pronouns_in_clean_articles_are_shown_only_with_consent() -> None:
    people = articles.make_people(2026)
    for index in range(30):
        body = articles.make_article(index, people, 2026, defects=False).body
        for person in people:
            if person.pronouns and f"{person.name} ({person.pronouns})" in body:
                assert person.show_pronouns, person.name


def test_people_registry_mixes_consent(tmp_path: Path) -> None:
    articles.write_corpus(tmp_path, 1)
    people = yaml.safe_load((tmp_path / "people.yaml").read_text(encoding="utf-8"))
    assert len(people) == 40 and len({p["slug"] for p in people}) == 40
    assert any(p.get("show_pronouns") for p in people)
    assert any(p.get("pronouns") and not p.get("show_pronouns") for p in people)
    assert any("pronouns" not in p for p in people)


def test_cli_rejects_bad_arguments(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        articles.main([str(tmp_path), "--formats", "pdf"])
    assert stopped.value.code == 2
    assert "--formats" in capsys.readouterr().err
    assert articles.main([str(tmp_path), "--count", "2", "--formats", "md"]) == 0
    assert len(list((tmp_path / "posts").glob("*.md"))) == 2
    assert not (tmp_path / "html").exists()


def test_raw_app_returns_recorded_bytes_for_known_bodies_only(tmp_path: Path) -> None:
    body = json.dumps({"query": '{ post(slug: "a") { title } }'})
    answer = '{"data":{"post":{"title":"A"}}}'
    record = {"body": body, "answer": answer, "content_type": "application/graphql-response+json"}
    answers_file = tmp_path / "answers.json"
    answers_file.write_text(json.dumps([record]), encoding="utf-8")
    app = raw_app.build_app(raw_app.load_answers(answers_file))

    async def exchange() -> tuple[httpx.Response, httpx.Response, httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            hit = await client.post("/graphql", content=body.encode())
            miss = await client.post("/graphql", content=b'{"query": "{ other }"}')
            health = await client.get("/healthz")
        return hit, miss, health

    hit, miss, health = asyncio.run(exchange())
    assert hit.status_code == 200
    assert hit.content == answer.encode()
    assert hit.headers["content-type"] == "application/graphql-response+json"
    assert miss.status_code == 400
    assert health.status_code == 200


def test_an_article_with_defects_is_its_clean_version_plus_the_defect_blocks() -> None:
    people = articles.make_people(2026)
    for index in range(30):
        flawed = articles.make_article(index, people, 2026)
        clean = articles.make_article(index, people, 2026, defects=False)
        assert (flawed.title, flawed.feature_image, flawed.summary) == (
            clean.title,
            clean.feature_image,
            clean.summary,
        )
        flawed_blocks = flawed.body.split("\n\n")
        clean_blocks = clean.body.split("\n\n")
        added = len(flawed.defects)
        assert len(flawed_blocks) == len(clean_blocks) + added
        assert flawed_blocks[: -2 - added] == clean_blocks[:-2]
        assert flawed_blocks[-2:] == clean_blocks[-2:]


def test_raw_app_answers_a_recorded_conditional_get_with_304(tmp_path: Path) -> None:
    query_string = "query=%7B+tags+%7B+slug+%7D+%7D"
    answer = '{"data":{"tags":[]}}'
    etag = 'W/"abc"'
    record = {
        "query_string": query_string,
        "answer": answer,
        "content_type": "application/json",
        "etag": etag,
    }
    answers_file = tmp_path / "answers.json"
    answers_file.write_text(json.dumps([record]), encoding="utf-8")
    app = raw_app.build_app(raw_app.load_answers(answers_file), raw_app.load_get_answers(answers_file))

    async def exchange() -> tuple[httpx.Response, httpx.Response, httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            fresh = await client.get(f"/graphql?{query_string}")
            unchanged = await client.get(f"/graphql?{query_string}", headers={"If-None-Match": etag})
            unknown = await client.get("/graphql?query=other")
        return fresh, unchanged, unknown

    fresh, unchanged, unknown = asyncio.run(exchange())
    assert fresh.status_code == 200 and fresh.content == answer.encode()
    assert fresh.headers["etag"] == etag
    assert unchanged.status_code == 304 and unchanged.content == b""
    assert unknown.status_code == 400
