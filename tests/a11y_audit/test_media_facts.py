"""Image facts, animation timing and bounded decoding."""

from __future__ import annotations

import io
import time

import pytest
from PIL import Image

from a11y_audit.media import ImageError, Limits, effective_delay_ms, inspect_image, sniff_format, total_plays
from a11y_audit.media.decode import count_gif_frames
from a11y_audit.media.timing import AnimationTiming

from .test_media_samples import (
    BLACK,
    RED,
    WHITE,
    encode,
    many_frames_gif,
    png_header_only,
    solid,
)

STEPS = [solid((60, 40), (40 * i, 0, 0)) for i in range(6)]


def test_three_second_animation_played_once_is_not_too_long():
    facts = inspect_image(encode(STEPS, 500), "steps.gif")
    assert (facts.animated, facts.frame_count, facts.duration_ms, facts.loop_count) == (True, 6, 3000, 1)
    assert facts.timing is not None and facts.timing.total_ms == 3000
    assert not facts.timing.longer_than(5000)


def test_endless_loop_counts_as_longer_than_five_seconds():
    facts = inspect_image(encode(STEPS[:2], 500, loop=0), "blink.gif")
    assert facts.loop_count == 0 and facts.duration_ms == 1000
    assert facts.timing is not None and facts.timing.endless and facts.timing.total_ms is None
    assert facts.timing.longer_than(5000)


def test_gif_loop_count_is_repeats_but_apng_and_webp_count_plays():
    gif = inspect_image(encode(STEPS, 500, loop=1), "twice.gif")
    assert gif.loop_count == 2 and gif.timing is not None and gif.timing.total_ms == 6000
    apng = inspect_image(encode(STEPS, 500, loop=2, fmt="PNG"), "twice.png")
    assert (apng.format, apng.animated, apng.loop_count) == ("PNG", True, 2)
    webp = inspect_image(encode(STEPS, 500, loop=3, fmt="WEBP"), "thrice.webp")
    assert (webp.format, webp.animated, webp.loop_count, webp.duration_ms) == ("WEBP", True, 3, 3000)
    assert total_plays("GIF", None) == 1
    assert total_plays("WEBP", 0) == 0


def test_browsers_show_delays_of_ten_ms_or_less_for_100_ms():
    assert [effective_delay_ms(d) for d in (None, 0, 10, 20, 70)] == [100, 100, 100, 20, 70]
    facts = inspect_image(encode(STEPS, 10), "fast.gif")
    assert facts.duration_ms == 600


def test_animated_apng_and_webp_flashes_are_found():
    frames = [solid((400, 300), BLACK), solid((400, 300), WHITE)] * 4
    for fmt, name in (("PNG", "a.png"), ("WEBP", "a.webp")):
        facts = inspect_image(encode(frames, 125, loop=0, fmt=fmt), name)
        assert facts.flash_verdict == "fail", fmt


@pytest.mark.parametrize(
    ("fmt", "name", "media_type"),
    [("PNG", "a.png", "image/png"), ("JPEG", "a.jpg", "image/jpeg"), ("WEBP", "a.webp", "image/webp")],
)
def test_still_images_have_facts_and_pass(fmt, name, media_type):
    facts = inspect_image(encode([solid((30, 20), RED)], 0, fmt=fmt), name)
    assert (facts.format, facts.media_type, facts.width, facts.height) == (fmt, media_type, 30, 20)
    assert (facts.animated, facts.frame_count, facts.duration_ms, facts.loop_count) == (False, 1, None, None)
    assert facts.flash is None and facts.flash_verdict == "pass"


def test_png_that_is_really_a_jpeg_is_named_and_refused():
    with pytest.raises(ImageError) as caught:
        inspect_image(encode([solid((10, 10), RED)], 0, fmt="JPEG"), "images/photo.png")
    assert caught.value.code == "wrong-format"
    assert str(caught.value) == "images/photo.png: content is JPEG, not the PNG its name says"


def test_garbage_and_damaged_files_are_refused():
    with pytest.raises(ImageError) as caught:
        inspect_image(b"<html>not found</html>", "x.png")
    assert caught.value.code == "unreadable" and "x.png" in str(caught.value)
    jpeg = encode([solid((64, 64), WHITE)], 0, fmt="JPEG")
    with pytest.raises(ImageError) as caught:
        inspect_image(jpeg[: len(jpeg) - 10], "cut.jpg")
    assert caught.value.code == "unreadable" and "cut.jpg: broken JPEG data" in str(caught.value)
    gif = encode([solid((64, 64), BLACK), solid((64, 64), WHITE)] * 3, 100)
    with pytest.raises(ImageError, match=r"frame \d+ is broken"):
        inspect_image(gif[: len(gif) // 2], "half.gif")


def test_other_formats_are_named():
    assert sniff_format(b"BM" + b"\0" * 40) == "BMP"
    assert sniff_format(b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>') == "SVG"
    with pytest.raises(ImageError) as caught:
        inspect_image(b"BM" + b"\0" * 40, "old.bmp")
    assert caught.value.code == "unsupported" and "BMP" in str(caught.value)


def test_decompression_bombs_are_refused_quickly():
    started = time.perf_counter()
    with pytest.raises(ImageError) as over_pillow:
        inspect_image(png_header_only(30_000, 30_000), "bomb.png")
    with pytest.raises(ImageError) as over_ours:
        inspect_image(png_header_only(7_100, 7_100), "bomb.png")
    assert time.perf_counter() - started < 0.5
    assert over_pillow.value.code == over_ours.value.code == "too-large"
    assert "decompression bomb" in str(over_pillow.value)
    assert "7100 x 7100" in str(over_ours.value)


def test_big_animation_frames_are_refused_before_decoding():
    frames = [Image.new("L", (3000, 3000), 0), Image.new("L", (3000, 3000), 255)]
    with pytest.raises(ImageError) as caught:
        inspect_image(encode(frames, 100), "huge.gif")
    assert caught.value.code == "too-large" and "3000 x 3000" in str(caught.value)


@pytest.mark.parametrize("fmt", ["GIF", "PNG"])
def test_ten_thousand_frames_are_refused_quickly_with_a_clear_message(fmt):
    if fmt == "GIF":
        data = many_frames_gif(10_000)
    else:
        frames = [Image.new("L", (1, 1), 255 * (i % 2)) for i in range(10_000)]
        data = encode(frames, 20, loop=0, fmt="PNG")
    started = time.perf_counter()
    with pytest.raises(ImageError) as caught:
        inspect_image(data, f"many.{fmt.lower()}")
    assert time.perf_counter() - started < 0.5
    assert caught.value.code == "too-many-frames"
    assert "frames" in str(caught.value) and "5,000" in str(caught.value)


def test_gif_frames_are_counted_without_decoding_and_the_count_stops_at_the_cap():
    data = many_frames_gif(50)
    assert count_gif_frames(data, 1000) == Image.open(io.BytesIO(data)).n_frames == 50
    assert count_gif_frames(data, 10) == 11


def test_files_over_the_byte_limit_and_slow_decodes_are_refused():
    data = encode([solid((40, 40), BLACK), solid((40, 40), WHITE)], 100)
    with pytest.raises(ImageError, match="byte limit"):
        inspect_image(data, "a.gif", limits=Limits(max_bytes=100))
    with pytest.raises(ImageError) as caught:
        inspect_image(data, "a.gif", limits=Limits(max_seconds=-1))
    assert caught.value.code == "too-slow"


def test_transparent_frames_are_seen_on_a_white_page():
    clear = Image.new("RGBA", (400, 300), (0, 0, 0, 0))
    dark = Image.new("RGBA", (400, 300), (0, 0, 0, 255))
    facts = inspect_image(encode([clear, dark] * 4, 125, loop=0, fmt="PNG"), "t.png")
    assert facts.flash_verdict == "fail"
    same = inspect_image(
        encode([clear, Image.new("RGBA", (400, 300), (255, 255, 255, 255))] * 4, 125, loop=0, fmt="PNG"),
        "w.png",
    )
    assert same.flash_verdict == "pass"


def test_animation_timing_arithmetic():
    assert AnimationTiming(1200.0, 4).total_ms == 4800 and not AnimationTiming(1200.0, 4).longer_than(5000)
    assert AnimationTiming(1300.0, 4).longer_than(5000)
