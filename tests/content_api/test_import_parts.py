"""Unit tests of the pieces the importer is built from: sanitising, text, mentions, image facts, paths."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from content_api.content.dimensions import add_image_sizes
from content_api.content.imagefacts import UnreadableImage, read_image_facts
from content_api.content.mentions import mentioned_people
from content_api.content.model import PersonEntry
from content_api.content.paths import BadReference, resolve_image
from content_api.content.plaintext import html_to_text, reading_time_minutes
from content_api.content.sanitize import sanitize_html
from content_api.store.image_urls import image_path_for_url, image_url


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("<p>Hi<script>alert(1)</script></p>", "<p>Hi</p>"),
        ('<p onclick="x()" onmouseover="y()">Text</p>', "<p>Text</p>"),
        ('<a href="javascript:alert(1)">Go</a>', "<a>Go</a>"),
        ('<a href="JaVaScRiPt&colon;alert(1)">Go</a>', "<a>Go</a>"),
        ('<a href="https://example.org/a" target="_blank">Go</a>', '<a href="https://example.org/a">Go</a>'),
        ('<img src="data:image/png;base64,AAAA" alt="x">', '<img alt="x">'),
        ("<iframe src='https://evil.example'></iframe><p>After</p>", "<p>After</p>"),
        ("<style>p{display:none}</style><p>Seen</p>", "<p>Seen</p>"),
        ('<p style="position:fixed">Styled</p>', "<p>Styled</p>"),
        ('<form action="/x"><p>Inside a form</p></form>', "<p>Inside a form</p>"),
        (
            '<p lang="cy" dir="ltr" id="intro" class="lead note">Helo</p>',
            '<p lang="cy" dir="ltr" id="intro" class="lead note">Helo</p>',
        ),
        ('<p id="a b" class="ok <x>">Text</p>', '<p class="ok">Text</p>'),
        (
            '<img src="x.png" alt="A" title="T" width="300" height="abc">',
            '<img src="x.png" alt="A" title="T" width="300">',
        ),
        (
            '<figure><img src="a.png" alt=""><figcaption>Cap</figcaption></figure>',
            '<figure><img src="a.png" alt=""><figcaption>Cap</figcaption></figure>',
        ),
        (
            '<table><tr><th scope="col">H</th></tr><tr><td colspan="2" onclick="x">D</td></tr></table>',
            '<table><tbody><tr><th scope="col">H</th></tr><tr><td colspan="2">D</td></tr></tbody></table>',
        ),
        ("<p>Keep <!-- a comment --> text</p>", "<p>Keep  text</p>"),
    ],
)
def test_sanitiser_removes_danger_and_keeps_content(dirty: str, clean: str):
    assert sanitize_html(dirty) == clean


def test_sanitiser_hands_every_image_source_to_the_rewriter():
    seen: list[str] = []

    def rewrite(src: str) -> str:
        seen.append(src)
        return "/images/" + src.rsplit("/", 1)[-1]

    html = sanitize_html(
        '<p><img src="../images/a.png" alt="A"><img src="/images/b.png" alt="B"></p>', rewrite
    )
    assert seen == ["../images/a.png", "/images/b.png"]
    assert sanitize_html('<img src="data:text/html,x" alt="D">', lambda src: src) == '<img alt="D">'
    assert html == '<p><img src="/images/a.png" alt="A"><img src="/images/b.png" alt="B"></p>'


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        (
            '<img src="/images/a.png" alt="x > y">',
            '<img src="/images/a.png" alt="x > y" width="30" height="20">',
        ),
        ('<img src="/images/a.png" alt="" width="10">', '<img src="/images/a.png" alt="" width="10">'),
        ('<img src="/images/other.png" alt="">', '<img src="/images/other.png" alt="">'),
        ('<img alt="no source">', '<img alt="no source">'),
    ],
)
def test_body_images_get_their_stored_size_unless_one_is_given(tag: str, expected: str):
    sizes = {"/images/a.png": (30, 20)}
    assert add_image_sizes(f"<p>{tag} and text</p>", sizes.get) == f"<p>{expected} and text</p>"


def test_plain_text_keeps_blocks_apart_and_decodes_entities():
    text = html_to_text("<h2>Title</h2><p>One &amp; two</p><ul><li>a</li><li>b</li></ul>")
    assert text == "Title\nOne & two\na\nb"


@pytest.mark.parametrize(("words", "minutes"), [(0, 1), (10, 1), (230, 1), (231, 2), (690, 3), (1000, 5)])
def test_reading_time_is_about_230_words_a_minute_and_at_least_one(words: int, minutes: int):
    assert reading_time_minutes(" ".join(["word"] * words)) == minutes


PEOPLE = [
    PersonEntry(slug="ana-lima", name="Ana Lima"),
    PersonEntry(slug="sam-okafor", name="Samuel Okafor", aliases=["Sam"]),
    PersonEntry(slug="jo-reed", name="Jo Reed"),
]


def test_mentions_are_whole_names_or_aliases_in_order_of_appearance():
    text = "Jo Reed met Sam. Samantha and Ana Limas are other people."
    assert mentioned_people(text, PEOPLE) == ["jo-reed", "sam-okafor"]


def test_listed_people_come_first_and_authors_are_left_out():
    text = "Ana Lima and Samuel Okafor spoke."
    assert mentioned_people(text, PEOPLE, listed=["jo-reed"], authors=["ana-lima"]) == [
        "jo-reed",
        "sam-okafor",
    ]


def gif_bytes(frames: int, duration: int, loop: int | None) -> bytes:
    images = [Image.new("L", (8, 8), 255 * (index % 2)) for index in range(frames)]
    out = io.BytesIO()
    extra = {"loop": loop} if loop is not None else {}
    images[0].save(out, "GIF", save_all=True, append_images=images[1:], duration=duration, **extra)
    return out.getvalue()


def test_image_facts_for_still_and_moving_images():
    still = io.BytesIO()
    Image.new("RGB", (30, 20)).save(still, "PNG")
    facts = read_image_facts(still.getvalue())
    assert (facts.format, facts.media_type, facts.width, facts.height) == ("PNG", "image/png", 30, 20)
    assert (facts.animated, facts.frame_count, facts.duration_ms, facts.flash_verdict) == (
        False,
        1,
        None,
        "pass",
    )

    moving = read_image_facts(gif_bytes(4, 100, 0))
    assert (moving.animated, moving.frame_count, moving.duration_ms, moving.loop_count) == (True, 4, 400, 0)
    assert moving.flash_verdict == "pass"  # 8 x 8 px flashing is far under the area threshold
    assert read_image_facts(gif_bytes(2, 50, None)).loop_count == 1


def test_unreadable_images_raise_a_short_reason():
    with pytest.raises(UnreadableImage, match="not an image file"):
        read_image_facts(b"hello, not an image")


@pytest.mark.parametrize(
    ("src", "referrer", "expected"),
    [
        ("../images/a.png", "posts/x.md", "images/a.png"),
        ("/images/team/b.jpg", "posts/x.md", "images/team/b.jpg"),
        ("images/c.png", "people.yaml", "images/c.png"),
        ("../images/d%20e.png", "posts/x.md", "images/d e.png"),
    ],
)
def test_image_references_resolve_from_the_naming_file_or_the_folder_root(src, referrer, expected):
    assert resolve_image(src, referrer) == expected


@pytest.mark.parametrize("src", ["../../etc/passwd", "/../x.png", "../posts/x.png", ""])
def test_image_references_outside_the_images_folder_are_refused(src):
    with pytest.raises(BadReference):
        resolve_image(src, "posts/x.md")


def test_public_image_urls_map_back_to_stored_paths():
    assert image_url("images/team/ana.png") == "/images/team/ana.png"
    assert image_path_for_url("/images/team/ana.png") == "images/team/ana.png"
    assert image_path_for_url("/images/../secret") is None
    assert image_path_for_url("/other/a.png") is None
