"""Simulated durations as people read them, and round bucket widths for time axes."""
from __future__ import annotations


def nice_window_ns(span_ns: int, buckets: int = 100) -> int:
    """A round bucket width (1, 2 or 5 times a power of ten ns) giving about ``buckets``."""
    target = max(1, span_ns // max(1, buckets))
    step = 1
    while True:
        for mult in (1, 2, 5):
            if step * mult >= target:
                return step * mult
        step *= 10


def format_ns(ns: int) -> str:
    """A human duration: 1.5s, 250ms, 40us, 7ns."""
    for unit, size in (("s", 1_000_000_000), ("ms", 1_000_000), ("us", 1_000)):
        if abs(ns) >= size:
            return f"{ns / size:g}{unit}"
    return f"{ns}ns"


def parse_duration_ns(text: str) -> int:
    """Parses "1.5s", "200ms", "300us", "10ns" or a bare integer of nanoseconds."""
    text = text.strip()
    for unit, size in (("ns", 1), ("us", 1_000), ("ms", 1_000_000), ("s", 1_000_000_000)):
        if text.endswith(unit):
            return int(round(float(text[: -len(unit)]) * size))
    return int(text)
