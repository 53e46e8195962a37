"""The flash benchmark script runs, prints its command and timings, and keeps to its budget flag."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "flash_bench.py"


@pytest.fixture(scope="module")
def flash_bench():
    spec = importlib.util.spec_from_file_location("flash_bench", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_small_run_prints_the_command_and_three_timings(flash_bench, capsys):
    assert flash_bench.main(["--frames", "12", "--size", "64x48", "--repeat", "1", "--budget", "30"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "command: python bench/flash_bench.py --frames 12 --size 64x48 --repeat 1 --budget 30\n"
    )
    # 64 x 48 px is under a quarter of a 10-degree field, so even this fast pulse passes.
    assert "12 frames of 64 x 48" in out and "verdict pass" in out
    for label in ("decode only", "inspect_image (downscaled)", "full resolution"):
        assert label in out
    assert "within the 30 s budget" in out


def test_an_impossible_budget_exits_1(flash_bench, capsys):
    assert flash_bench.main(["--frames", "4", "--size", "32x24", "--repeat", "1", "--budget", "0"]) == 1
    assert "OVER the 0 s budget" in capsys.readouterr().out


def test_bad_size_is_a_usage_error(flash_bench):
    with pytest.raises(SystemExit) as stopped:
        flash_bench.main(["--size", "big"])
    assert stopped.value.code == 2
