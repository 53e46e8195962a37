"""Flash analysis by the WCAG 2.3.1 definitions (general flash and red flash thresholds).

The model, per cell of a downscaled frame grid:

* a **general transition** is a swing of relative luminance by 0.1 or more between a peak and a valley,
  where the darker state is below 0.8; small same-direction steps accumulate (peaks and valleys are
  tracked), so a fade in several frames counts like a cut;
* a **red transition** (WCAG 2.2 working definition) is a change to or from a saturated red
  (R / (R + G + B) >= 0.8) whose CIE 1976 UCS chromaticity moves by more than 0.2; the WCAG 2.0/2.1
  measure, a change of (R - G - B) x 320 by more than 20 on saturated reds, can be chosen instead;
* a flash is a pair of opposing transitions, so more than three flashes in one second is seven or more
  transitions inside any one-second window;
* the flashing cells of one second fail when their combined displayed area inside any 10-degree field
  (341 x 256 CSS px, a 10-degree field at 1024 x 768) is more than a quarter of that field, 21,824 px²;
* frames are analysed on cells of at least 0.1 degree (3.41 CSS px), and a cell counts only if it also
  flashes when averaged over half a degree around it, so fine balanced patterns (noise, dithering,
  checkerboards), which WCAG exempts, cancel out.

This is a screening heuristic in the spirit of PEAT and EA's IRIS, not a certification.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from .colour import (
    FloatArray,
    Pixels,
    chromaticity_uv,
    red_proportion,
    red_value,
    relative_luminance,
    srgb_to_linear,
)

RedModel = Literal["wcag22", "wcag21"]
FlashKind = Literal["general", "red"]

# A frame for analysis: sRGB pixel values 0..255 of shape (rows, columns, 3), and how long it shows (ms).
Frame = tuple[Pixels, float]

WINDOW_MS = 1000.0
# Looping animations are analysed while looping: after the first cycle, the opening frames are played
# again for this long so flashes across the loop point are seen.
REPLAY_MS = 2000.0
_EPSILON = 1e-6


@dataclass(frozen=True)
class FlashThresholds:
    """The numbers of the WCAG flash definitions, all adjustable."""

    luminance_change: float = 0.1
    darker_below: float = 0.8
    saturated_red: float = 0.8
    red_chromaticity_change: float = 0.2
    red_value_change: float = 20.0
    max_flashes_per_second: int = 3
    field_size: tuple[float, float] = (341.0, 256.0)
    field_fraction: float = 0.25
    red_model: RedModel = "wcag22"

    @property
    def max_transitions(self) -> int:
        """Transitions allowed in one second: each flash is two of them."""
        return 2 * self.max_flashes_per_second

    @property
    def smoothing(self) -> float:
        """CSS px in half a degree of view (17 px): flashing must also show averaged over patches this wide.

        WCAG exempts fine balanced patterns (noise, checkerboards of squares under 0.1 degree); averaging
        over a wider patch exempts them reliably whatever the grid, at the price of also letting through
        balanced patterns of 0.1 to 0.5 degree. Solid flashing areas are unaffected.
        """
        return self.field_size[0] * 0.05

    @property
    def finest_pattern(self) -> float:
        """CSS px in 0.1 degree of view (a hundredth of the 10-degree field's width): 3.41 by default.

        Balanced patterns finer than this (noise, checkerboards) are exempt from the thresholds.
        """
        return self.field_size[0] / 100

    @property
    def area_limit(self) -> float:
        """Largest flashing area (CSS px²) allowed inside one 10-degree field: 21,824 by default."""
        return self.field_size[0] * self.field_size[1] * self.field_fraction


@dataclass(frozen=True)
class FlashMeasure:
    """The worst of one kind of flashing found in an animation."""

    kind: FlashKind
    # Most flashes seen in any one second at any place, however small the area.
    flashes_per_second: float
    # Largest displayed area (CSS px²) in one 10-degree field flashing more often than allowed.
    area: float
    # Start of the one-second window where that area was seen (ms from the start), None if nowhere.
    at_ms: float | None
    area_limit: float

    @property
    def fails(self) -> bool:
        return self.area > self.area_limit


@dataclass(frozen=True)
class FlashResult:
    """Verdict of a flash analysis with the general and red measures behind it."""

    general: FlashMeasure
    red: FlashMeasure
    frames: int
    analysed_ms: float

    @property
    def fails(self) -> bool:
        return self.general.fails or self.red.fails

    @property
    def verdict(self) -> Literal["pass", "fail"]:
        return "fail" if self.fails else "pass"

    @property
    def worst(self) -> FlashMeasure:
        """The failing measure to report first (general before red), else the one flashing most."""
        for measure in (self.general, self.red):
            if measure.fails:
                return measure
        return max((self.general, self.red), key=lambda m: m.flashes_per_second)


class _PeakValleyTracker:
    """Counts transitions of a signal per cell: swings of at least `delta` between a peak and a valley."""

    def __init__(self, first: FloatArray, delta: float, darker_below: float | None) -> None:
        self.delta = np.float32(delta - _EPSILON)
        self.darker_below = None if darker_below is None else np.float32(darker_below)
        self.peak = first.copy()
        self.valley = first.copy()
        # Direction of the last counted transition: +1 up, -1 down, 0 none yet.
        self.direction = np.zeros(first.shape, dtype=np.int8)

    def step(self, value: FloatArray) -> NDArray[np.bool_]:
        np.maximum(self.peak, value, out=self.peak)
        np.minimum(self.valley, value, out=self.valley)
        rise = value - self.valley
        fall = self.peak - value
        up = (self.direction <= 0) & (rise >= self.delta)
        down = (self.direction >= 0) & (fall >= self.delta)
        if self.darker_below is not None:
            up &= self.valley < self.darker_below
            down &= value < self.darker_below
        both = up & down
        if both.any():
            prefer_up = rise >= fall
            up &= ~both | prefer_up
            down &= ~both | ~prefer_up
        moved = up | down
        if moved.any():
            self.direction[up] = 1
            self.direction[down] = -1
            self.peak[moved] = value[moved]
            self.valley[moved] = value[moved]
        return moved


class _RedChromaticityTracker:
    """WCAG 2.2 red transitions: to or from a saturated red, moving chromaticity by more than `delta`."""

    def __init__(self, u: FloatArray, v: FloatArray, saturated: NDArray[np.bool_], delta: float) -> None:
        self.delta_sq = np.float32(delta * delta)
        self.u, self.v, self.saturated = u.copy(), v.copy(), saturated.copy()

    def step(self, u: FloatArray, v: FloatArray, saturated: NDArray[np.bool_]) -> NDArray[np.bool_]:
        distance_sq = (u - self.u) ** 2 + (v - self.v) ** 2
        moved = (saturated | self.saturated) & (distance_sq > self.delta_sq)
        if moved.any():
            self.u[moved] = u[moved]
            self.v[moved] = v[moved]
            self.saturated[moved] = saturated[moved]
        return moved


class _OneSecondCounter:
    """Transitions per cell inside the sliding window (t - 1 s, t]."""

    def __init__(self, shape: tuple[int, ...]) -> None:
        self.counts = np.zeros(shape, dtype=np.int32)
        self.events: deque[tuple[float, NDArray[np.bool_]]] = deque()

    def push(self, at_ms: float, transitions: NDArray[np.bool_]) -> NDArray[np.int32]:
        while self.events and self.events[0][0] <= at_ms - WINDOW_MS + _EPSILON:
            self.counts -= self.events.popleft()[1]
        if transitions.any():
            self.events.append((at_ms, transitions))
            self.counts += transitions
        return self.counts


class _KindTracker:
    """The running worst result for one kind of flash, seen in one or more views of the frames.

    A cell flashes too often only when it does so in every view at once: the cell itself, and the same
    place smoothed over a wider patch (so fine balanced patterns, which cancel out there, are exempt).
    """

    def __init__(
        self, kind: FlashKind, shape: tuple[int, int], views: int, field: _FieldGeometry, limit: int
    ) -> None:
        self.kind = kind
        self.counters = [_OneSecondCounter(shape) for _ in range(views)]
        self.field = field
        self.limit = limit
        self.most_transitions = 0
        self.area = 0.0
        self.at_ms: float | None = None

    def push(self, at_ms: float, transitions: list[NDArray[np.bool_]]) -> None:
        counts = [counter.push(at_ms, seen) for counter, seen in zip(self.counters, transitions, strict=True)]
        if not any(seen.any() for seen in transitions):
            return
        agreed = counts[0] if len(counts) == 1 else np.minimum.reduce(counts)
        self.most_transitions = max(self.most_transitions, int(agreed.max()))
        too_many = agreed > self.limit
        if too_many.any():
            area = self.field.worst_area(too_many)
            if area > self.area:
                self.area = area
                self.at_ms = max(0.0, at_ms - WINDOW_MS)

    def measure(self, area_limit: float) -> FlashMeasure:
        return FlashMeasure(self.kind, self.most_transitions / 2, self.area, self.at_ms, area_limit)


class _View:
    """General and red transition trackers over one view (per-cell values) of the frames."""

    def __init__(self, linear: FloatArray, thresholds: FlashThresholds) -> None:
        t = thresholds
        luminance, saturated = _measures(linear, t)
        self.general = _PeakValleyTracker(luminance, t.luminance_change, t.darker_below)
        self.red_value: _PeakValleyTracker | None = None
        self.red_chroma: _RedChromaticityTracker | None = None
        if t.red_model == "wcag21":
            self.red_value = _PeakValleyTracker(red_value(linear, saturated), t.red_value_change, None)
        else:
            u, v = chromaticity_uv(linear)
            self.red_chroma = _RedChromaticityTracker(u, v, saturated, t.red_chromaticity_change)
        self.thresholds = t

    def step(self, linear: FloatArray) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
        luminance, saturated = _measures(linear, self.thresholds)
        general = self.general.step(luminance)
        if self.red_value is not None:
            return general, self.red_value.step(red_value(linear, saturated))
        assert self.red_chroma is not None
        if not (saturated.any() or self.red_chroma.saturated.any()):
            return general, np.zeros_like(saturated)  # no saturated red before or now: nothing can move
        u, v = chromaticity_uv(linear)
        return general, self.red_chroma.step(u, v, saturated)


def _measures(linear: FloatArray, t: FlashThresholds) -> tuple[FloatArray, NDArray[np.bool_]]:
    saturated = red_proportion(linear) >= np.float32(t.saturated_red - _EPSILON)
    return relative_luminance(linear), saturated


class _BoxSmoother:
    """Mean over a `size` (rows, columns) patch around each cell, clipped at the edges (same shape out)."""

    def __init__(self, grid: tuple[int, int], size: tuple[int, int]) -> None:
        (self.row_lo, self.row_hi), (self.col_lo, self.col_hi) = (
            _patch_bounds(n, k) for n, k in zip(grid, size, strict=True)
        )
        cells = (self.row_hi - self.row_lo)[:, None] * (self.col_hi - self.col_lo)[None, :]
        self.scale = (1.0 / cells).astype(np.float32)[..., None]

    def __call__(self, values: FloatArray) -> FloatArray:
        # Separable: running sums down the rows, then across the columns.
        rows, cols, channels = values.shape
        down = np.zeros((rows + 1, cols, channels), dtype=np.float32)
        np.cumsum(values, axis=0, out=down[1:])
        by_rows = down[self.row_hi] - down[self.row_lo]
        across = np.zeros((rows, cols + 1, channels), dtype=np.float32)
        np.cumsum(by_rows, axis=1, out=across[:, 1:])
        return (across[:, self.col_hi] - across[:, self.col_lo]) * self.scale


def _patch_bounds(length: int, size: int) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    start = np.arange(length) - size // 2
    return np.clip(start, 0, length), np.clip(start + size, 0, length)


class _FieldGeometry:
    """Maps grid cells to displayed CSS pixels and finds the worst 10-degree field."""

    def __init__(
        self, grid: tuple[int, int], display: tuple[float, float], field: tuple[float, float]
    ) -> None:
        rows, cols = grid
        cell_w, cell_h = display[0] / cols, display[1] / rows
        self.cell_area = cell_w * cell_h
        self.window = (
            min(rows, max(1, round(field[1] / cell_h))),
            min(cols, max(1, round(field[0] / cell_w))),
        )
        # Coarse grids (tiny images shown large) round the window up; no field holds more than its area.
        self.largest = min(field[0], display[0]) * min(field[1], display[1])

    def worst_area(self, mask: NDArray[np.bool_]) -> float:
        win_rows, win_cols = self.window
        if (win_rows, win_cols) == mask.shape:
            return min(self.largest, float(mask.sum()) * self.cell_area)
        integral = np.zeros((mask.shape[0] + 1, mask.shape[1] + 1), dtype=np.int32)
        np.cumsum(np.cumsum(mask, axis=0, dtype=np.int32), axis=1, out=integral[1:, 1:])
        sums = (
            integral[win_rows:, win_cols:]
            - integral[:-win_rows, win_cols:]
            - integral[win_rows:, :-win_cols]
            + integral[:-win_rows, :-win_cols]
        )
        return min(self.largest, float(sums.max()) * self.cell_area)


class FlashAnalyser:
    """Streaming flash analysis: feed frames in display order with `add`, then read `result()`.

    `display_size` is the (width, height) in CSS pixels the frames are shown at; the frames themselves
    may be any (downscaled) grid of that picture.
    """

    def __init__(self, display_size: tuple[float, float], thresholds: FlashThresholds | None = None) -> None:
        if not (0 < display_size[0] < math.inf and 0 < display_size[1] < math.inf):
            raise ValueError(f"display size must be positive and finite, got {display_size}")
        self.display_size = display_size
        self.thresholds = thresholds or FlashThresholds()
        self.frames = 0
        self.clock_ms = 0.0
        self._grid: tuple[int, int] | None = None
        self._views: list[_View] = []
        self._smoother: _BoxSmoother | None = None
        self._kinds: dict[FlashKind, _KindTracker] = {}

    def add(self, pixels: Pixels, duration_ms: float) -> None:
        """Analyse the next frame, shown for `duration_ms` from the end of the previous one."""
        linear = srgb_to_linear(pixels)
        if self._grid is None:
            self._start((pixels.shape[0], pixels.shape[1]), linear)
        elif pixels.shape[:2] != self._grid:
            raise ValueError("all frames of one analysis must have the same grid size")
        else:
            seen = [
                view.step(values) for view, values in zip(self._views, self._view_values(linear), strict=True)
            ]
            self._kinds["general"].push(self.clock_ms, [general for general, _ in seen])
            self._kinds["red"].push(self.clock_ms, [red for _, red in seen])
        self.frames += 1
        self.clock_ms += duration_ms

    def _view_values(self, linear: FloatArray) -> list[FloatArray]:
        return [linear] if self._smoother is None else [linear, self._smoother(linear)]

    def _start(self, grid: tuple[int, int], linear: FloatArray) -> None:
        t = self.thresholds
        self._grid = grid
        cell_h, cell_w = self.display_size[1] / grid[0], self.display_size[0] / grid[1]
        patch = (max(1, round(t.smoothing / cell_h)), max(1, round(t.smoothing / cell_w)))
        if patch != (1, 1):
            self._smoother = _BoxSmoother(grid, patch)
        self._views = [_View(values, t) for values in self._view_values(linear)]
        field = _FieldGeometry(grid, self.display_size, t.field_size)
        self._kinds = {
            kind: _KindTracker(kind, grid, len(self._views), field, t.max_transitions)
            for kind in ("general", "red")
        }

    def result(self) -> FlashResult:
        limit = self.thresholds.area_limit
        if not self._kinds:
            empty = FlashResult(
                FlashMeasure("general", 0.0, 0.0, None, limit),
                FlashMeasure("red", 0.0, 0.0, None, limit),
                0,
                0,
            )
            return empty
        return FlashResult(
            self._kinds["general"].measure(limit),
            self._kinds["red"].measure(limit),
            self.frames,
            self.clock_ms,
        )


def analyse_flashes(
    frames: Iterable[Frame],
    *,
    display_size: tuple[float, float],
    plays: int = 1,
    thresholds: FlashThresholds | None = None,
) -> FlashResult:
    """Analyse one cycle of frames, then the loop point as browsers play it.

    `plays` is how many times the animation plays in all (0 = endless). Frames are consumed once, in
    order, so a decoder can stream them; only the opening `REPLAY_MS` of frames are kept for the replay.
    """
    analyser = FlashAnalyser(display_size, thresholds)
    opening: list[Frame] = []
    for pixels, duration in frames:
        if analyser.clock_ms < REPLAY_MS:
            opening.append((pixels, duration))
        analyser.add(pixels, duration)
    cycle_ms = analyser.clock_ms
    more_plays = math.inf if plays <= 0 else plays - 1
    replayed = 0.0
    while more_plays > 0 and replayed < REPLAY_MS and len(opening) > 1 and cycle_ms > 0:
        for pixels, duration in opening:
            analyser.add(pixels, duration)
            replayed += duration
            if replayed >= REPLAY_MS:
                break
        more_plays -= 1
    return analyser.result()
