"""Small bar charts drawn as SVG on the server: the geometry is computed here."""

from dataclasses import dataclass

WIDTH = 420  # small, so that labels stay legible when a phone scales the chart down
HEIGHT = 180
TOP = 22  # room for the count above the tallest bar
BOTTOM = 24  # room for the year under each bar
GAP = 0.25  # share of a slot left between bars
MAX_BAR = 56  # few years should not make slabs


@dataclass(frozen=True)
class Bar:
    """One bar with its label, its count and where to draw them."""

    label: str
    count: int
    x: float
    y: float
    width: float
    height: float
    center: float
    count_y: float
    url: str | None = None


@dataclass(frozen=True)
class BarChart:
    """A bar chart's size, bars, baseline and a sentence describing it."""

    width: int
    height: int
    baseline: float
    label_y: float
    bars: tuple
    description: str


def bar_chart(series, describe, url=None, width=WIDTH, height=HEIGHT) -> BarChart | None:
    """A BarChart of (label, count) pairs; ``url(label)`` links a bar when given."""
    series = list(series)
    if not series:
        return None
    top = max(count for _, count in series) or 1
    slot = width / len(series)
    baseline = height - BOTTOM
    room = baseline - TOP
    bars = []
    for i, (label, count) in enumerate(series):
        h = round(room * count / top, 1)
        if count and h < 2:
            h = 2.0  # a bar of one session stays visible
        bar_width = min(slot * (1 - GAP), MAX_BAR)
        x = round(i * slot + (slot - bar_width) / 2, 1)
        bars.append(Bar(label, count, x, round(baseline - h, 1), round(bar_width, 1), h,
                        round(i * slot + slot / 2, 1), round(baseline - h - 6, 1),
                        url(label) if url and count else None))
    return BarChart(width, height, baseline, height - 7, tuple(bars), describe(series))
