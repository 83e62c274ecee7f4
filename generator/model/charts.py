"""Charts and badges, laid out in Python from the same views the pages show; the theme
draws them as SVG (partials/chart.html, badge.svg)."""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from typing import NamedTuple

from ..i18n import N_
from .formatting import format_number
from .views import CategoryView, Metric, PaperView


class Facets(NamedTuple):
    """What the home page's paper filters count: papers per year, newest year first, and
    papers with code."""

    years: tuple[tuple[int, int], ...]
    with_code: int


def paper_facets(papers: tuple[PaperView, ...]) -> Facets:
    years: dict[int, int] = {}
    for view in papers:
        years[view.year] = years.get(view.year, 0) + 1
    return Facets(tuple(sorted(years.items(), reverse=True)), sum(v.has_code for v in papers))


class Bar(NamedTuple):
    """One bar of a chart, laid out: its label, count and the bar's width in the viewBox."""

    label: str
    count: int
    y: int
    width: float
    text: str = ""  # the label as drawn: cut with "…" to its room, so it never meets the bar


class Chart(NamedTuple):
    """A horizontal bar chart, drawn as inline SVG by the theme (partials/chart.html)."""

    key: str
    title: str
    bars: tuple[Bar, ...]
    width: int
    height: int
    label_width: int = 48  # room for the labels left of the bars

    @property
    def summary(self) -> str:
        """The numbers as text, for the chart's aria-label."""
        return f"{self.title}: {self.numbers}"

    @property
    def numbers(self) -> str:
        """Each bar's label and count, for the chart's aria-label after its title."""
        return ", ".join(f"{bar.label} {bar.count}" for bar in self.bars)


CHART_LABEL_WIDTH = 48  # room for a year or a category code left of the bars
CHART_ROW = 22
#: The labels' size in the chart's units (style.css sets the same): a chart is drawn
#: 320 units wide and never narrower than 16rem (256 px), so text is at least 11 px.
CHART_FONT = 14
#: A character's width, at most, as a share of the font's size (sans-serif capitals and
#: digits stay under it): what a count's room is reckoned with.
CHAR_WIDTH = 0.65
#: Narrower letters, as shares of the font's size: the widest common sans-serif faces'
#: (DejaVu Sans, Verdana) advance widths, rounded up, so a label's room is not reckoned
#: for capitals alone ("Journal articles" was cut to "Journal arti…" with room to spare).
_NARROW = {**dict.fromkeys("ijl'.,:;|!", 0.3), **dict.fromkeys("frt()[] -", 0.42),
           **dict.fromkeys("sz", 0.55), **dict.fromkeys("abcdeghknopquvxy", 0.64),
           **dict.fromkeys("I", 0.32)}
#: The wider: round and wide capitals; M, W, m, w and East Asian scripts: a full em.
_WIDE = {**dict.fromkeys("ABCDGHKNOQRUVXY&", 0.8), **dict.fromkeys("mwMW%", 1.0)}


def text_width(text: str) -> float:
    """About how wide `text` is drawn at CHART_FONT, at most, in the chart's units."""
    return CHART_FONT * sum(
        _NARROW.get(c) or _WIDE.get(c)
        or (1.0 if unicodedata.east_asian_width(c) in "WF" else CHAR_WIDTH) for c in text)


def _cut(label: str, room: int) -> str:
    """`label` as it fits in `room` units, cut with "…" when longer."""
    if text_width(label) + 8 <= room:
        return label
    cut = label
    while len(cut) > 1 and text_width(cut.rstrip() + "…") + 8 > room:
        cut = cut[:-1]
    return cut.rstrip() + "…"


def bar_chart(key: str, title: str, counts: list[tuple[str, int]], width: int = 320) -> Chart:
    """Lay out a bar per (label, count), longest bar `width - label - count` wide."""
    top = max((count for _, count in counts), default=0) or 1
    # Wider for names (a keyword's category), up to half the chart; a longer name is
    # cut to its room (the aria-label says it whole).
    longest = max((text_width(label) for label, _ in counts), default=0)
    labels = max(CHART_LABEL_WIDTH, min(round(width * 0.5), math.ceil(longest) + 8))
    # Room right of the longest bar for its count ("3,890"), 40 px at least.
    counts_room = max(40, round(len(f"{top:,}") * CHART_FONT * CHAR_WIDTH) + 8)
    room = width - labels - counts_room
    bars = tuple(Bar(label, count, i * CHART_ROW, round(room * count / top, 1),
                     _cut(label, labels))
                 for i, (label, count) in enumerate(counts))
    return Chart(key, title, bars, width, max(1, len(bars)) * CHART_ROW, labels)


class Badge(NamedTuple):
    """A shields-style badge of three parts, each as wide as its text: the label, the
    value, and where the number comes from and on which day ("OpenAlex, 2026-12-07"),
    drawn so that an <img> of it in a README shows it too."""

    key: str
    label: str
    value: str
    label_width: int
    value_width: int
    source: str = ""  # where the number comes from and on which day: "profile, 2026-11-23"
    source_width: int = 0

    @property
    def width(self) -> int:
        return self.label_width + self.value_width + self.source_width


def _text_width(text: str) -> int:
    """About how wide 11 px Verdana sets `text`, as shields.io pads it."""
    return round(sum(7.5 if c.isupper() or c.isdigit() else 6.2 for c in text)) + 10


def badge(key: str, label: str, value: str, source: str = "") -> Badge:
    return Badge(key, label, value, _text_width(label), _text_width(value), source,
                 _text_width(source) if source else 0)


def _source(metric: Metric) -> str:
    """"OpenAlex, 2026-12-07": a metric's source and day, drawn in its badge."""
    return ", ".join(filter(None, (metric.source, metric.date and metric.date.isoformat())))


def charts(views: tuple[PaperView, ...], categories: tuple[CategoryView, ...]
            ) -> tuple[Chart, ...]:
    """Papers per year (oldest first) and per category (most first), for the home page."""
    if not views:
        return ()
    years: dict[int, int] = {}
    for view in views:
        years[view.year] = years.get(view.year, 0) + 1
    # Every year of the range, a year without papers too: a gap is part of the story.
    span = range(min(years), max(years) + 1)
    return (
        bar_chart("years", N_("Papers per year"), [(str(y), years.get(y, 0)) for y in span]),
        bar_chart("categories", N_("Papers per category"),
                  [(c.ref.short, c.count) for c in categories]),
    )


def badges(metrics: tuple[Metric, ...], papers: int, as_of: dt.date | None = None
           ) -> tuple[Badge, ...]:
    """badges/h-index.svg, citations.svg and papers.svg, with the home page's numbers: of
    each kind the first `metrics:` lists (the profile's h-index before OpenAlex's when
    both are listed so); without a papers metric, the papers the site lists on `as_of`."""
    found: dict[str, Metric] = {}
    for metric in metrics:
        found.setdefault(metric.key, metric)
    items = [badge(key, key, found[key].value, _source(found[key]))
             for key in ("h-index", "citations") if key in found]
    if "papers" in found:
        items.append(badge("papers", "papers", found["papers"].value, _source(found["papers"])))
    else:
        items.append(badge("papers", "papers", format_number(papers),
                           ", ".join(filter(None, ("site", as_of and as_of.isoformat())))))
    return tuple(items)
