"""The history's charts laid out: a series over time drawn at a fixed size, as columns
(citations per year) or a line (a metric at each sync, one point per month), so a site
synced every week for years draws a chart no taller than one synced twice. The theme
draws them as inline SVG (partials/time_chart.html) with every number in a table."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import NamedTuple

from .charts import text_width

WIDTH = 320  # the viewBox's width: drawn at least 16rem wide (style.css), as the bar charts
PLOT_HEIGHT = 130  # the plot's height in the viewBox, whatever the number of points
TOP = 10  # room above the plot for the highest tick's label
AXIS = 22  # room under the plot for the time labels
GAP = 10  # the least room between two time labels


class Row(NamedTuple):
    """One row of a chart's table: every value the chart stands for (each sync, each
    year), so the page keeps them all when the drawing shows a month's last."""

    label: str  # "2026-12-07", "2025"
    count: int
    partial: bool = False  # a year not over on the snapshot's day: its count so far


class Point(NamedTuple):
    """One drawn value: a column or a point of the line, in the viewBox's units."""

    label: str  # what the text alternative calls it: "2025-06" (a month), "2025" (a year)
    count: int
    x: float  # the column's left edge, or the point's centre
    y: float  # the column's top, or the point's centre
    partial: bool = False


class Tick(NamedTuple):
    """A label on an axis: its place and text."""

    at: float
    text: str


class TimeChart(NamedTuple):
    """A series over time, laid out in a viewBox of fixed size (`WIDTH` by `height`)."""

    key: str
    title: str
    columns: bool  # columns (per year) or a line (per sync)
    points: tuple[Point, ...]  # what is drawn
    rows: tuple[Row, ...]  # what the table lists: every value
    x_ticks: tuple[Tick, ...]  # time labels under the plot, never meeting
    y_ticks: tuple[Tick, ...]  # value labels left of the plot, with their grid lines
    left: int  # the plot's left edge (room for the value labels)
    right: int  # the plot's right edge
    column_width: float = 0
    partial_as_of: dt.date | None = None  # the day a partial value was counted to
    width: int = WIDTH
    height: int = TOP + PLOT_HEIGHT + AXIS

    @property
    def bottom(self) -> int:
        """The plot's baseline (the value 0) in the viewBox."""
        return TOP + PLOT_HEIGHT

    @property
    def path(self) -> str:
        """The line through the points, as an SVG `points` list."""
        return " ".join(f"{p.x:g},{p.y:g}" for p in self.points)


def _nice_top(top: int) -> tuple[int, int]:
    """The axis' top and its step: 1, 2 or 5 times a power of ten, about 3 steps."""
    if top <= 0:
        return 1, 1
    raw = top / 3
    power = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(s * power for s in (1, 2, 5, 10) if s * power >= raw)
    return step * math.ceil(top / step), step


def _time_ticks(candidates: Sequence[tuple[float, str]], left: float, right: float
                ) -> tuple[Tick, ...]:
    """Labels taken from the latest back, each kept only if it clears the one kept after
    it by `GAP` and stays inside the chart: so they never meet, whatever their count."""
    kept: list[Tick] = []
    for x, text in reversed(candidates):
        half = text_width(text) / 2
        at = min(max(x, left + half - 4), right - half + 4)  # inside, centred if it can
        if kept and at + half + GAP > kept[-1].at - text_width(kept[-1].text) / 2:
            continue
        kept.append(Tick(round(at, 1), text))
    return tuple(reversed(kept))


def _frame(counts: Sequence[int], right_room: float = 8) -> tuple[int, int, int, tuple[Tick, ...]]:
    """The value axis: its top, the plot's left and right edges, and its ticks."""
    top, step = _nice_top(max(counts, default=0))
    y_ticks = tuple(Tick(TOP + PLOT_HEIGHT - round(PLOT_HEIGHT * v / top, 1), f"{v:,}")
                    for v in range(0, top + 1, step))
    left = round(max(text_width(t.text) for t in y_ticks)) + 6
    return top, left, WIDTH - round(right_room), y_ticks


def _y(count: int, top: int) -> float:
    return round(TOP + PLOT_HEIGHT - PLOT_HEIGHT * count / top, 1)


def column_chart(key: str, title: str, years: Sequence[tuple[int, int]],
                 partial_as_of: dt.date | None = None) -> TimeChart:
    """A column per year, every year of the range; the last one marked partial when
    `partial_as_of` (the snapshot's day) falls in it."""
    counts = [count for _, count in years]
    top, left, right, y_ticks = _frame(counts)
    slot = (right - left) / max(1, len(years))
    partial = {year for year, _ in years[-1:]
               if partial_as_of is not None and partial_as_of.year == year}
    points = tuple(Point(str(year), count, round(left + slot * i + slot * 0.15, 1),
                         _y(count, top), year in partial)
                   for i, (year, count) in enumerate(years))
    ticks = _time_ticks([(left + slot * (i + 0.5), str(year))
                         for i, (year, _) in enumerate(years)], 0, WIDTH)
    rows = tuple(Row(str(year), count, year in partial) for year, count in years)
    return TimeChart(key, title, True, points, rows, ticks, y_ticks, left, right,
                     round(slot * 0.7, 1), partial_as_of if partial else None)


def line_chart(key: str, title: str, series: Sequence[tuple[dt.date, int]]) -> TimeChart:
    """A metric at each sync as a line of one point per month (the month's last sync),
    placed by its day; every sync stays in the table."""
    monthly: dict[tuple[int, int], tuple[dt.date, int]] = {}
    for day, count in sorted(series):
        monthly[(day.year, day.month)] = (day, count)
    drawn = list(monthly.values())
    counts = [count for _, count in drawn]
    # Room right of the line for the latest value, written beside its point.
    latest = f"{counts[-1]:,}" if counts else ""
    top, left, right, y_ticks = _frame(counts, text_width(latest) + 10)
    first, last = drawn[0][0], drawn[-1][0]
    span = max(1, (last - first).days)

    def x(day: dt.date) -> float:
        if first == last:
            return round((left + right) / 2, 1)
        return round(left + 4 + (right - left - 8) * (day - first).days / span, 1)

    points = tuple(Point(f"{day.year}-{day.month:02d}", count, x(day), _y(count, top))
                   for day, count in drawn)
    # A year's first point carries the year; within a year or two, each month.
    if len({day.year for day, _ in drawn}) > 2:
        candidates = [(x(day), str(day.year)) for i, (day, _) in enumerate(drawn)
                      if i == 0 or drawn[i - 1][0].year != day.year]
    else:
        candidates = [(x(day), f"{day.year}-{day.month:02d}") for day, _ in drawn]
    rows = tuple(Row(day.isoformat(), count) for day, count in sorted(series))
    return TimeChart(key, title, False, points, rows, _time_ticks(candidates, 0, right),
                     y_ticks, left, right)
