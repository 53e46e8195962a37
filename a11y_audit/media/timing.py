"""How long an animation plays in a browser (WCAG 2.2.2 Pause, Stop, Hide; technique G152)."""

from __future__ import annotations

from dataclasses import dataclass

# Chromium and Firefox show a frame whose delay is 10 ms or less for 100 ms instead.
SHORTEST_HONOURED_DELAY_MS = 10.0
SUBSTITUTED_DELAY_MS = 100.0
FIVE_SECONDS_MS = 5000.0


def effective_delay_ms(declared: float | None) -> float:
    """The time a browser shows a frame with the declared delay (ms; None or missing counts as 0)."""
    if declared is None or declared <= SHORTEST_HONOURED_DELAY_MS:
        return SUBSTITUTED_DELAY_MS
    return float(declared)


def total_plays(image_format: str, loop: int | None) -> int:
    """How many times an animation plays in all; 0 means endlessly.

    The formats count differently: a GIF's NETSCAPE loop count is the number of *repeats* after the first
    play (browsers play `loop=1` twice) and no loop block means one play; APNG `num_plays` and the WebP
    loop count are the total number of plays. In every format 0 means forever.
    """
    if loop is None:
        return 1
    if loop <= 0:
        return 0
    if image_format == "GIF":
        return loop + 1
    return loop


@dataclass(frozen=True)
class AnimationTiming:
    """One cycle's length (ms, browser-effective delays) and the number of plays (0 = endless)."""

    cycle_ms: float
    plays: int

    @property
    def endless(self) -> bool:
        return self.plays == 0

    @property
    def total_ms(self) -> float | None:
        """Total play time, or None when the animation never stops."""
        return None if self.endless else self.cycle_ms * self.plays

    def longer_than(self, limit_ms: float = FIVE_SECONDS_MS) -> bool:
        total = self.total_ms
        return total is None or total > limit_ms
