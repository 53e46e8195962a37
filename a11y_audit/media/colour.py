"""Colour measures from the WCAG flash definitions, on arrays of 8-bit sRGB values.

Everything here is vectorised over a whole (downscaled) frame at once: a frame is an `(h, w, 3)` array of
sRGB channel values in 0..255 (floats, because downscaling averages them).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float32]
# A frame's sRGB values 0..255: 8-bit straight from a decoder, or floats (averaged or synthesised).
Pixels = NDArray[np.uint8] | NDArray[np.float32]

# sRGB -> linear light, per the WCAG "relative luminance" definition (0.04045 knee, 2.4 exponent).
_LEVELS = np.arange(256, dtype=np.float64) / 255.0
_LINEAR_TABLE = np.where(_LEVELS <= 0.04045, _LEVELS / 12.92, ((_LEVELS + 0.055) / 1.055) ** 2.4).astype(
    np.float32
)

# Linear sRGB -> CIE XYZ (D65), the matrix quoted with the WCAG 2.2 red-flash note.
_RGB_TO_XYZ = np.array(
    [
        [0.4124564, 0.3575761, 0.1804375],
        [0.2126729, 0.7151522, 0.0721750],
        [0.0193339, 0.1191920, 0.9503041],
    ],
    dtype=np.float32,
)
# Chromaticity of the D65 white point in CIE 1976 UCS; used for black, which has no chromaticity of its own.
WHITE_UV = (0.19784, 0.46834)


def srgb_to_linear(srgb: Pixels | NDArray[np.integer] | NDArray[np.floating]) -> FloatArray:
    """Linear-light values (0..1) for sRGB channel values in 0..255.

    Integral input uses a lookup table; averaged (fractional) input uses the formula.
    """
    arr = np.asarray(srgb)
    if np.issubdtype(arr.dtype, np.integer):
        return _LINEAR_TABLE[np.clip(arr, 0, 255)]
    c = np.clip(arr.astype(np.float32) / np.float32(255.0), 0.0, 1.0)
    return np.where(c <= 0.04045, c / np.float32(12.92), ((c + np.float32(0.055)) / np.float32(1.055)) ** 2.4)


def relative_luminance(linear: FloatArray) -> FloatArray:
    """WCAG relative luminance (0 black .. 1 white) of linear RGB pixels, shape `(..., 3)`."""
    return (
        np.float32(0.2126) * linear[..., 0]
        + np.float32(0.7152) * linear[..., 1]
        + np.float32(0.0722) * linear[..., 2]
    )


def red_proportion(linear: FloatArray) -> FloatArray:
    """R / (R + G + B) of linear RGB pixels; 0 for black. 0.8 or more is a saturated red."""
    total = linear.sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(total > 0, linear[..., 0] / np.where(total > 0, total, 1), 0)
    return ratio.astype(np.float32)


def red_value(linear: FloatArray, saturated: NDArray[np.bool_]) -> FloatArray:
    """The WCAG 2.0/2.1 red measure: (R - G - B) x 320 on saturated reds, negative values and others 0."""
    value = (linear[..., 0] - linear[..., 1] - linear[..., 2]) * np.float32(320.0)
    return np.where(saturated, np.maximum(value, 0), 0).astype(np.float32)


def chromaticity_uv(linear: FloatArray) -> tuple[FloatArray, FloatArray]:
    """CIE 1976 UCS chromaticity (u', v') of linear RGB pixels; black gets the white point's."""
    xyz = linear @ _RGB_TO_XYZ.T
    x, y, z = xyz[..., 0], xyz[..., 1], xyz[..., 2]
    denominator = x + 15 * y + 3 * z
    dark = denominator <= 1e-6
    safe = np.where(dark, 1, denominator)
    u = np.where(dark, np.float32(WHITE_UV[0]), 4 * x / safe).astype(np.float32)
    v = np.where(dark, np.float32(WHITE_UV[1]), 9 * y / safe).astype(np.float32)
    return u, v
