"""Flash analysis speed on a generated animated GIF (default: 100 frames of 640 x 480).

The GIF has a gradient background, a moving block and a full-frame brightness pulse, so the analysis sees
transitions everywhere. Three timings measured in the same run (medians of `--repeat` runs, except the
slow last one, run once):

* decode only: Pillow seeks and loads every frame (the floor any analysis pays);
* inspect_image: what the audit and the importer run (bounded decoding, downscaling, flash analysis);
* full resolution: the same analysis on every pixel of every frame, without downscaling (the naive way).

    python bench/flash_bench.py [--frames 100] [--size 640x480] [--repeat 5] [--budget 1.0]

Exits 1 when inspect_image's median is over the budget (seconds).
"""

from __future__ import annotations

import argparse
import io
import shlex
import statistics
import sys
import time
from collections.abc import Callable, Iterator

import numpy as np
from PIL import Image

from a11y_audit.media import FlashResult, analyse_flashes, effective_delay_ms, inspect_image


def make_gif(frames: int, width: int, height: int) -> bytes:
    """A looping GIF whose frames move a block over a gradient and pulse in brightness four times a second."""
    x = np.linspace(0, 1, width, dtype=np.float32)[None, :]
    y = np.linspace(0, 1, height, dtype=np.float32)[:, None]
    images = []
    for i in range(frames):
        level = 0.25 + 0.65 * (i % 3 == 0)  # one bright frame in three at 40 ms: about 8 pulses a second
        rgb = np.stack(
            [np.broadcast_to(level * x, (height, width)), np.broadcast_to(level * y, (height, width)),
             np.full((height, width), level * 0.5)],
            axis=-1,
        )  # fmt: skip
        left = (i * 11) % max(1, width - width // 5)
        rgb[height // 3 : height // 3 + height // 4, left : left + width // 5] = (0.9, 0.1, 0.1)
        images.append(Image.fromarray((rgb * 255).astype(np.uint8)).quantize(64))
    buffer = io.BytesIO()
    images[0].save(buffer, format="GIF", save_all=True, append_images=images[1:], duration=40, loop=0)
    return buffer.getvalue()


def decode_only(data: bytes) -> None:
    with Image.open(io.BytesIO(data)) as image:
        for index in range(getattr(image, "n_frames", 1)):
            image.seek(index)
            image.load()


def full_resolution(data: bytes) -> FlashResult:
    """The naive way: every frame converted and analysed pixel by pixel at full size."""
    with Image.open(io.BytesIO(data)) as image:
        size = image.size

        def frames() -> Iterator[tuple[np.ndarray, float]]:
            for index in range(getattr(image, "n_frames", 1)):
                image.seek(index)
                yield np.asarray(image.convert("RGB")), effective_delay_ms(image.info.get("duration"))

        return analyse_flashes(frames(), display_size=(float(size[0]), float(size[1])), plays=0)


def median_seconds(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--frames", type=int, default=100)
    parser.add_argument("--size", default="640x480", help="WIDTHxHEIGHT")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--budget", type=float, default=1.0, help="seconds allowed for inspect_image")
    args = parser.parse_args(argv)
    try:
        width, height = (int(part) for part in args.size.lower().split("x"))
    except ValueError:
        parser.error(f"--size must look like 640x480, got {args.size!r}")
    if args.frames < 2 or args.repeat < 1 or width < 1 or height < 1:
        parser.error("--frames must be at least 2, --repeat and the size at least 1")

    data = make_gif(args.frames, width, height)
    facts = inspect_image(data, "bench.gif")
    floor = median_seconds(lambda: decode_only(data), args.repeat)
    fast = median_seconds(lambda: inspect_image(data, "bench.gif"), args.repeat)
    naive = median_seconds(lambda: full_resolution(data), 1)  # slow: one run is enough to compare

    given = sys.argv[1:] if argv is None else argv
    command = " ".join(shlex.quote(part) for part in ["python", "bench/flash_bench.py", *given])
    print(f"command: {command}")
    print(
        f"gif: {facts.frame_count} frames of {facts.width} x {facts.height}, {len(data):,} bytes,"
        f" verdict {facts.flash_verdict} ({facts.flash.worst.kind if facts.flash else '-'}"
        f" {facts.flash.worst.flashes_per_second if facts.flash else 0:g} flashes/s)"
    )
    print(f"{'measure':<34}{'median s':>10}{'x decode':>10}")
    for label, seconds in (
        ("decode only (Pillow)", floor),
        ("inspect_image (downscaled)", fast),
        ("same analysis at full resolution", naive),
    ):
        print(f"{label:<34}{seconds:>10.3f}{seconds / floor:>10.2f}")
    within = fast < args.budget
    print(f"inspect_image {'within' if within else 'OVER'} the {args.budget:g} s budget")
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
