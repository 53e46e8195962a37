"""Flash analysis against the WCAG general and red flash definitions."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from a11y_audit.media import FlashAnalyser, FlashThresholds, analyse_flashes, inspect_image
from a11y_audit.media.colour import chromaticity_uv, red_proportion, relative_luminance, srgb_to_linear

from .test_media_samples import (
    BLACK,
    GREY_AS_BRIGHT_AS_RED,
    RED,
    WHITE,
    alternating,
    encode,
    solid,
    with_box,
)


def grid(colour: tuple[float, float, float], shape: tuple[int, int] = (12, 16)) -> np.ndarray:
    return np.broadcast_to(np.asarray(colour, dtype=np.float32), (*shape, 3)).copy()


def grey_with_luminance(target: float) -> float:
    """The sRGB grey level (0..255, fractional) whose relative luminance is `target`."""
    encoded = target * 12.92 if target <= 0.0031308 else 1.055 * target ** (1 / 2.4) - 0.055
    return encoded * 255


def analyse_cycle(colours, frame_ms, *, display=(1024.0, 768.0), seconds=2.0, thresholds=None):
    analyser = FlashAnalyser(display, thresholds)
    count = round(seconds * 1000 / frame_ms)
    for i in range(count):
        analyser.add(grid(colours[i % len(colours)]), frame_ms)
    return analyser.result()


def test_relative_luminance_follows_the_wcag_formula():
    levels = np.array([[0, 0, 0], [255, 255, 255], [128, 128, 128], [255, 0, 0]], dtype=np.uint8)
    luminance = relative_luminance(srgb_to_linear(levels))
    assert luminance == pytest.approx([0.0, 1.0, 0.2158605, 0.2126], abs=1e-4)
    # Averaged (fractional) values go through the formula and agree with the table.
    assert relative_luminance(srgb_to_linear(levels.astype(np.float32))) == pytest.approx(luminance, abs=1e-5)


def test_red_proportion_and_chromaticity():
    linear = srgb_to_linear(
        np.array([[255, 0, 0], [255, 255, 255], [0, 0, 0], [255, 150, 150]], dtype=np.uint8)
    )
    assert red_proportion(linear) == pytest.approx([1.0, 1 / 3, 0.0, 0.6211], abs=1e-3)
    u, v = chromaticity_uv(linear)
    assert (u[0], v[0]) == pytest.approx((0.4507, 0.5229), abs=1e-3)
    # White and black (no chromaticity of its own) sit at the D65 white point.
    assert (u[1], v[1]) == pytest.approx((0.1978, 0.4683), abs=1e-3)
    assert (u[2], v[2]) == pytest.approx((0.1978, 0.4683), abs=1e-3)


def test_four_full_frame_flashes_a_second_fail():
    facts = inspect_image(
        alternating(solid((400, 300), BLACK), solid((400, 300), WHITE), flashes_per_second=4, loop=0), "f.gif"
    )
    assert facts.animated and facts.flash is not None
    assert facts.flash_verdict == "fail"
    assert facts.flash.general.fails and not facts.flash.red.fails
    assert facts.flash.general.flashes_per_second >= 4
    # The whole 10-degree field (341 x 256 px) flashes, far over a quarter of it.
    assert facts.flash.general.area == pytest.approx(341 * 256, rel=0.01)


def test_two_full_frame_flashes_a_second_pass():
    data = alternating(
        solid((400, 300), BLACK), solid((400, 300), WHITE), flashes_per_second=2, seconds=3, loop=0
    )
    facts = inspect_image(data, "f.gif")
    assert facts.flash is not None and facts.flash_verdict == "pass"
    assert facts.flash.general.flashes_per_second == 2
    assert facts.flash.general.area == 0


def test_exactly_three_flashes_pass_and_three_and_a_half_fail():
    black, white = (0.0, 0.0, 0.0), (255.0, 255.0, 255.0)
    three = analyse_cycle([black, white], 1000 / 6)
    assert three.general.flashes_per_second == 3 and not three.fails
    three_and_a_half = analyse_cycle([black, white], 1000 / 7)
    assert three_and_a_half.general.flashes_per_second == 3.5 and three_and_a_half.fails


def test_small_flashing_square_under_the_area_threshold_passes():
    still = solid((400, 300), WHITE)
    square = with_box((400, 300), WHITE, (20, 20, 140, 140), BLACK)  # 14,400 px² < 21,824 px²
    facts = inspect_image(alternating(still, square, flashes_per_second=4, loop=0), "s.gif")
    assert facts.flash is not None and facts.flash_verdict == "pass"
    assert facts.flash.general.flashes_per_second >= 4  # it does flash fast, just not over enough area
    assert 0 < facts.flash.general.area < 21_824


def test_two_small_squares_in_one_field_add_up_but_far_apart_do_not():
    size = (1200, 800)
    near = [(20, 20, 130, 130), (150, 20, 260, 130)]  # 12,100 px² each, both inside one 341 x 256 field
    far = [(20, 20, 130, 130), (1050, 650, 1160, 760)]
    for boxes, fails in ((near, True), (far, False)):
        lit = solid(size, WHITE)
        for box in boxes:
            lit.paste(BLACK, box)
        facts = inspect_image(alternating(solid(size, WHITE), lit, flashes_per_second=4, loop=0), "two.gif")
        assert facts.flash is not None
        assert facts.flash.general.fails is fails, boxes


def test_displayed_size_scales_the_flashing_area():
    data = alternating(solid((200, 150), BLACK), solid((200, 150), WHITE), flashes_per_second=4, loop=0)
    assert inspect_image(data, "f.gif").flash_verdict == "fail"  # 30,000 px² as is
    assert inspect_image(data, "f.gif", display_size=(100, 75)).flash_verdict == "pass"  # 7,500 px² shown


def test_saturated_red_flashes_fail_even_without_a_luminance_change():
    data = alternating(
        solid((400, 300), RED), solid((400, 300), GREY_AS_BRIGHT_AS_RED), flashes_per_second=4, loop=0
    )
    for model in ("wcag22", "wcag21"):
        facts = inspect_image(data, "red.gif", thresholds=FlashThresholds(red_model=model))
        assert facts.flash is not None
        assert facts.flash.red.fails, model
        assert not facts.flash.general.fails  # equal luminance: no general flash
        assert facts.flash.worst.kind == "red"


def test_a_pale_red_is_not_a_saturated_red():
    pink = (255.0, 150.0, 150.0)
    grey = (grey_with_luminance(float(relative_luminance(srgb_to_linear(np.array(pink, np.float32))))),) * 3
    result = analyse_cycle([pink, grey], 125)
    assert result.red.flashes_per_second == 0 and not result.fails


def test_dark_red_on_black_is_a_red_flash_only_by_the_wcag22_definition():
    dark_red, black = (60.0, 0.0, 0.0), (0.0, 0.0, 0.0)
    # (R - G - B) x 320 changes by about 14, under 20; the chromaticity moves from white point to red.
    assert not analyse_cycle([dark_red, black], 125, thresholds=FlashThresholds(red_model="wcag21")).fails
    assert analyse_cycle([dark_red, black], 125, thresholds=FlashThresholds(red_model="wcag22")).red.fails


def test_changes_with_a_light_darker_state_or_under_ten_percent_are_not_flashes():
    light = (grey_with_luminance(0.85),) * 3
    assert analyse_cycle([light, (255.0, 255.0, 255.0)], 125).general.flashes_per_second == 0
    low, a_bit_higher = (grey_with_luminance(0.50),) * 3, (grey_with_luminance(0.58),) * 3
    assert analyse_cycle([low, a_bit_higher], 125).general.flashes_per_second == 0
    enough = (grey_with_luminance(0.61),) * 3
    assert analyse_cycle([low, enough], 125).general.fails


def test_a_fade_in_small_steps_counts_like_a_cut():
    # Luminance 0.0 -> 0.3 -> 0.0 in steps of 0.05 (each under 0.1), eight swings a second.
    ramp = [0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.25, 0.2, 0.15, 0.1, 0.05]
    colours = [(grey_with_luminance(level),) * 3 for level in ramp]
    result = analyse_cycle(colours, 1000 / (4 * len(ramp)), seconds=2)
    assert result.general.flashes_per_second >= 4 and result.fails


def test_a_loop_is_analysed_while_looping():
    black, white = solid((400, 300), BLACK), solid((400, 300), WHITE)
    frames = [black, white, black, white]  # three changes in 480 ms
    once = inspect_image(encode(frames, 120), "once.gif")
    forever = inspect_image(encode(frames, 120, loop=0), "loop.gif")
    assert once.flash_verdict == "pass"
    assert forever.flash_verdict == "fail"  # white -> black at the loop point keeps it flashing


def test_analyse_flashes_replays_only_a_bounded_opening():
    frames = [(grid((255.0 * (i % 2),) * 3), 100.0) for i in range(4)]
    result = analyse_flashes(iter(frames), display_size=(400, 300), plays=0)
    assert result.fails
    assert result.analysed_ms <= 400 + 2000 + 100


def test_display_size_must_be_positive():
    with pytest.raises(ValueError):
        FlashAnalyser((0, 10))


def checkerboard(size: tuple[int, int], square: int, inverted: bool) -> Image.Image:
    rows, cols = np.mgrid[0 : size[1], 0 : size[0]]
    cells = (rows // square + cols // square + int(inverted)) % 2
    return Image.fromarray((cells * 255).astype(np.uint8))


@pytest.mark.parametrize(("square", "verdict"), [(1, "pass"), (2, "pass"), (3, "pass"), (40, "fail")])
def test_fine_balanced_patterns_are_exempt_but_coarse_ones_flash(square, verdict):
    size = (400, 300)
    frames = [checkerboard(size, square, inverted=i % 2 == 1) for i in range(8)]
    assert inspect_image(encode(frames, 125), "checks.gif").flash_verdict == verdict


def test_white_noise_is_a_fine_balanced_pattern():
    rng = np.random.default_rng(7)
    frames = [Image.fromarray((rng.integers(0, 2, (600, 800)) * 255).astype(np.uint8)) for _ in range(24)]
    facts = inspect_image(encode(frames, 50, loop=0), "static.gif")
    assert facts.flash is not None and not facts.flash.general.fails


def test_a_square_just_under_the_area_limit_passes_and_just_over_fails():
    for side, verdict in ((145, "pass"), (150, "fail")):  # 21,025 and 22,500 px² against 21,824
        still = solid((400, 300), WHITE)
        square = with_box((400, 300), WHITE, (17, 23, 17 + side, 23 + side), BLACK)
        assert (
            inspect_image(alternating(still, square, flashes_per_second=4), "sq.gif").flash_verdict == verdict
        )
