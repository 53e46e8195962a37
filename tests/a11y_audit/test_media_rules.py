"""The media rules (MED) on posts in a content folder, and their documented examples."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from a11y_audit import Config, audit, audit_file, audit_source, get_rule

from .test_media_samples import BLACK, GREY_AS_BRIGHT_AS_RED, RED, WHITE, alternating, encode, solid

MEDIA_RULES = ("MED001", "MED002", "MED003", "MED004")


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A content folder with a posts/ folder and some images."""
    (tmp_path / "posts").mkdir()
    images = tmp_path / "images"
    images.mkdir()
    black, white = solid((400, 300), BLACK), solid((400, 300), WHITE)
    (images / "strobe.gif").write_bytes(alternating(black, white, flashes_per_second=4, seconds=2))
    (images / "calm.gif").write_bytes(alternating(black, white, flashes_per_second=1, seconds=3))
    (images / "endless.gif").write_bytes(alternating(black, white, flashes_per_second=1, seconds=2, loop=0))
    (images / "twice.gif").write_bytes(alternating(black, white, flashes_per_second=1, seconds=3, loop=1))
    (images / "photo.jpg").write_bytes(encode([solid((60, 40), (30, 90, 160))], 0, fmt="JPEG"))
    (images / "spacer.gif").write_bytes(encode([solid((1, 1), WHITE)], 0))
    return tmp_path


def post(content: Path, body: str, front: str = "") -> Path:
    path = content / "posts" / "p.md"
    path.write_text(f"---\ntitle: A post\n{front}---\n\n{body}\n", encoding="utf-8")
    return path


def media(report) -> list[tuple[str, str, int, str]]:
    return [(f.rule, str(f.severity), f.line, f.message) for f in report.findings if f.rule.startswith("MED")]


@pytest.mark.parametrize("rule_id", MEDIA_RULES)
def test_documented_examples_behave_as_documented(rule_id):
    rule = get_rule(rule_id)
    assert rule is not None and rule.family == "media"
    for example in rule.bad:
        assert rule_id in [f.rule for f in audit_source(example).findings], example[:60]
    for example in rule.good:
        assert rule_id not in [f.rule for f in audit_source(example).findings], example[:60]


def test_flashing_gif_relative_to_the_post_and_to_the_content_folder(content):
    path = post(
        content,
        'Intro.\n\n![The stage lights](../images/strobe.gif)\n\n<img src="/images/strobe.gif" alt="Again">',
    )
    found = media(audit_file(path))
    assert [(r, s, line) for r, s, line, _ in found] == [("MED001", "error", 7), ("MED001", "error", 9)]
    assert found[0][3].startswith("../images/strobe.gif flashes 4.5 times in one second")
    assert all(len(message) < 80 for *_, message in found)


def test_the_displayed_size_decides_the_flashing_area(content):
    small = post(content, '<img src="../images/strobe.gif" width="100" height="75" alt="Tiny lights">')
    assert media(audit_file(small)) == []
    styled = post(content, '<img src="../images/strobe.gif" style="width: 120px; height: 90px" alt="Tiny">')
    assert media(audit_file(styled)) == []


def test_calm_animation_played_once_passes_every_media_rule(content):
    report = audit_file(post(content, "![Lights fading in and out](../images/calm.gif)"))
    assert media(report) == []
    assert set(MEDIA_RULES) <= set(report.passed)
    assert report.metrics["media.animated_images"] == 1


def test_endless_and_repeated_animations_are_warnings(content):
    report = audit_file(post(content, "![A](../images/endless.gif)\n\n![B](../images/twice.gif)"))
    assert media(report) == [
        ("MED002", "warning", 5, "../images/endless.gif animates forever (limit 5 s)"),
        ("MED002", "warning", 7, "../images/twice.gif animates for 6 s (limit 5 s)"),
    ]
    relaxed = Config(options={"MED002": {"max-seconds": 10.0}})
    assert [f[3] for f in media(audit_file(post(content, "![B](../images/twice.gif)"), config=relaxed))] == []


def test_missing_mislabelled_and_garbage_images_are_errors_naming_them(content):
    (content / "images" / "logo.png").write_bytes((content / "images" / "photo.jpg").read_bytes())
    (content / "images" / "broken.gif").write_bytes(b"<html><body>404 Not Found</body></html>")
    (content / "images" / "folder.png").mkdir()
    body = "\n\n".join(
        f"![Picture {i}](../images/{name})"
        for i, name in enumerate(("nope.png", "logo.png", "broken.gif", "folder.png", "photo.jpg"))
    )
    found = media(audit_file(post(content, body)))
    assert found == [
        ("MED003", "error", 5, "Image file not found: ../images/nope.png"),
        ("MED003", "error", 7, "../images/logo.png: content is JPEG, not the PNG its name says"),
        ("MED003", "error", 9, "../images/broken.gif: not an image file (no known image signature)"),
        ("MED003", "error", 11, "../images/folder.png: is not a regular file"),
    ]


def test_text_without_a_location_does_not_call_its_images_missing():
    assert media(audit_source("![A garden](images/garden.png)")) == []


def test_remote_images_and_svg_are_not_checked(content):
    body = "![Remote](https://example.org/strobe.gif)\n\n![Protocol-relative](//cdn.example.org/a.gif)\n\n![Vector](../images/none.svg)"
    assert media(audit_file(post(content, body))) == []


def test_feature_image_in_front_matter_is_checked(content):
    front = "feature_image:\n  src: /images/strobe.gif\n  alt: Stage lights\n"
    found = media(audit_file(post(content, "Text.", front)))
    assert [(r, line) for r, _, line, _ in found] == [("MED001", 3)]


def test_spacer_with_alt_is_a_warning_and_with_empty_alt_passes(content):
    found = media(audit_file(post(content, '<img src="../images/spacer.gif" alt="spacer">')))
    assert found == [("MED004", "warning", 5, "Spacer image (1 x 1 px) has alt text")]
    assert media(audit_file(post(content, '<img src="../images/spacer.gif" alt="">'))) == []


def test_hidden_images_are_skipped_but_aria_hidden_ones_still_flash(content):
    hidden = post(content, '<img src="../images/strobe.gif" hidden alt="">')
    assert media(audit_file(hidden)) == []
    decorative = post(content, '<img src="../images/strobe.gif" aria-hidden="true" alt="">')
    assert [f[0] for f in media(audit_file(decorative))] == ["MED001"]


def test_srcset_candidates_are_checked(content):
    path = post(content, '<img src="../images/photo.jpg" srcset="../images/strobe.gif 2x" alt="Lights">')
    assert [f[0] for f in media(audit_file(path))] == ["MED001"]


def test_a_replaced_file_is_checked_again(content):
    path = post(content, "![Lights](../images/swap.gif)")
    swap = content / "images" / "swap.gif"
    swap.write_bytes((content / "images" / "strobe.gif").read_bytes())
    assert [f[0] for f in media(audit_file(path))] == ["MED001"]
    swap.write_bytes((content / "images" / "calm.gif").read_bytes())
    os.utime(swap, ns=(swap.stat().st_atime_ns, swap.stat().st_mtime_ns + 1_000_000_000))
    assert media(audit_file(path)) == []


def test_red_model_option_is_validated(content):
    path = post(content, "![Lights](../images/strobe.gif)")
    wcag21 = Config(options={"MED001": {"red-model": "wcag21"}})
    assert [f[0] for f in media(audit_file(path, config=wcag21))] == ["MED001"]
    with pytest.raises(Exception, match="red_model"):
        audit_file(path, config=Config(options={"MED001": {"red-model": "iso"}}))


def test_cli_reports_media_errors_as_json_with_exit_code_1(content):
    post(content, "![The stage lights](../images/strobe.gif)")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "a11y_audit.cli",
            "check",
            str(content / "posts"),
            "--format",
            "json",
            "--select",
            "media",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1, proc.stderr
    findings = json.loads(proc.stdout)["files"][0]["findings"]
    assert [(f["rule"], f["family"], f["severity"], f["wcag"]) for f in findings] == [
        ("MED001", "media", "error", ["2.3.1"])
    ]


def test_folder_audit_runs_every_post(content):
    post(content, "![The stage lights](../images/strobe.gif)")
    report = audit([content / "posts"], config=Config(select=("media",)))
    assert report.exit_code() == 1 and report.summary["errors"] == 1


def test_red_flashes_are_named_as_such(content):
    red = alternating(
        solid((400, 300), RED), solid((400, 300), GREY_AS_BRIGHT_AS_RED), flashes_per_second=4, seconds=2
    )
    (content / "images" / "red.gif").write_bytes(red)
    found = media(audit_file(post(content, "![Red warning light](../images/red.gif)")))
    assert found == [("MED001", "error", 5, "../images/red.gif has 4.5 red flashes in one second")]


@pytest.mark.parametrize(
    "src",
    [
        "data:image/png;base64,!!!not base64!!!",
        "data:image/gif;base64,",
        "data:,plain text",
        "../images/\x00nul.png",
        "../" * 300 + "x.png",
        "?query-only",
        "#fragment",
    ],
)
def test_odd_sources_never_crash_the_rules(content, src):
    path = post(content, f'<img src="{src}" width="inf" height="nan" srcset=", ,{src} 2x" alt="x">')
    report = audit_file(path, config=Config(select=("media",)))
    assert all(f.rule.startswith("MED") for f in report.findings)
