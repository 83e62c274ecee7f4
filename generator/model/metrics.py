"""The headline metrics the pages show, each with its source and day: the profile's typed
numbers (dated by the profile's as_of), numbers typed in site.yaml, and the latest synced
snapshot's (content/metrics/, by `scholarfolio sync`), chosen by site.yaml's `metrics:`;
and the works' synced citation counts, set on the paper views."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from typing import Any, NamedTuple

from ..config.checks import OPENALEX_METRICS, Typed, openalex_field
from ..content.synced import Snapshot, Synced
from ..errors import SiteError
from ..i18n import N_
from ..identity import file_identifiers
from ..records import Profile
from ..text import visible
from .formatting import format_number
from .timecharts import TimeChart, column_chart, line_chart
from .views import Metric, PaperView


def with_counts(views: tuple[PaperView, ...], synced: Synced) -> tuple[PaperView, ...]:
    """The views, each with its synced citation count (by DOI, then arXiv id), if any."""
    if not synced.counts:
        return views
    found = []
    for view in views:
        count = next((synced.counts[key] for key in file_identifiers(view.doi, view.arxiv)
                      if key in synced.counts), None)
        found.append(view._replace(cited_by=count) if count is not None else view)
    return tuple(found)


#: The profile's own metrics: (key, the label shown by default, the Metrics field).
PROFILE_METRICS = (("h-index", N_("h-index"), "h_index"), ("papers", N_("Papers"), "papers"),
                   ("citations", N_("Citations"), "citations"),
                   ("novelty", N_("Novelty"), "novelty"), ("ai-score", N_("AI Score"), "ai_score"))


def metric_views(profile: Profile, chosen: tuple[tuple[str, Any], ...] = (),
                 snapshot: Snapshot | None = None) -> tuple[Metric, ...]:
    """The metrics the home page shows, each with its source and day: the profile's (known
    ones first; with none, the latest synced `snapshot`'s), or those site.yaml's
    `metrics:` chooses, in its order and with its labels: a value that names a metric of
    the profile (`citations`, `h-index`, `novelty`, or an unknown metric's label) shows
    that metric, `openalex.<name>` the snapshot's; any other value is shown as it is."""
    shown = _profile_metrics(profile)
    if not chosen and (shown or snapshot is None):
        return tuple(shown.values())
    items = []
    for label, value in chosen or OPENALEX_METRICS:
        if isinstance(value, Typed):  # typed with its own day (and source)
            text = format_number(value.value) if isinstance(value.value, (int, float)) \
                else str(value.value)
            key = _metric_key(label)
            items.append(Metric(key if key in _KEYS else "extra", visible(label),
                                visible(text), visible(value.source or "site.yaml"),
                                value.date))
            continue
        name = openalex_field(value)
        if name is not None:
            items.append(synced_metric(label, value, name, snapshot))
            continue
        ref = None
        if isinstance(value, str):
            ref = _metric_key(value) or (value.lower() if value.lower() in shown else None)
        if ref is not None and ref in shown:
            items.append(shown[ref]._replace(label=visible(label)))
            continue
        if ref == "papers":  # no count line in the profile: the papers the site lists
            items.append(Metric("papers", visible(label), format_number(len(profile.papers)),
                                N_("profile"), profile.as_of))
            continue
        if ref is not None:
            raise SiteError(f"site.yaml: metrics: '{label}: {value}' names the metric "
                            f"'{value}', which the profile does not give (it gives: "
                            f"{', '.join(shown) or 'none'})")
        key = _metric_key(label)
        text = format_number(value) if isinstance(value, (int, float)) else str(value)
        items.append(Metric(key if key in _KEYS else "extra", visible(label), visible(text),
                            "site.yaml", profile.as_of))
    return tuple(items)


_KEYS = {key for key, _, _ in PROFILE_METRICS}


def _metric_key(text: str) -> str | None:
    """`H-Index`, `h_index`, `AI score` -> the key of a profile metric; None if none."""
    key = "-".join(text.lower().replace("_", " ").split())
    return key if key in _KEYS else None


def _profile_metrics(profile: Profile) -> dict[str, Metric]:
    """The profile's metrics by key (an unknown metric by its label), in order."""
    m = profile.metrics
    items: dict[str, Metric] = {}
    for key, label, attr in PROFILE_METRICS:
        number = getattr(m, attr)
        if number is not None:
            text = format_number(number) + ("%" if key == "novelty" else "")
            items[key] = Metric(key, label, text, N_("profile"), profile.as_of)
    for index, extra in enumerate(m.extra):
        key = extra.label.lower() if extra.label.lower() not in items else f"extra-{index}"
        items[key] = Metric("extra", visible(extra.label), visible(extra.text) or "–",
                            N_("profile"), profile.as_of)
    return items


#: A snapshot field's key for styling and badges (see Metric.key).
_SYNCED_KEYS = {"h_index": "h-index", "i10_index": "i10-index",
                "cited_by_count": "citations", "works_count": "papers"}


def synced_metric(label: str, value: str, name: str, snapshot: Snapshot | None) -> Metric:
    """`metrics:`'s `label: openalex.<name>`, from the latest synced snapshot."""
    number = getattr(snapshot, name) if snapshot is not None else None
    if snapshot is None or number is None:
        where = (f"{snapshot.path} gives no {name}" if snapshot is not None
                 else "there is no snapshot in content/metrics/ (run `scholarfolio sync`)")
        raise SiteError(f"site.yaml: metrics: '{label}: {value}' names a synced metric, "
                        f"but {where}")
    return Metric(_SYNCED_KEYS[name], visible(label), format_number(number),
                  snapshot.source, snapshot.date)


class History(NamedTuple):
    """The synced metrics over time, for the pages' history charts and their CSV files:
    citations per year from the latest snapshot's counts_by_year (as far back as it
    reaches, the latest year marked partial), and the h-index and citations from the first
    sync on: each chart of a fixed size, its table every value (timecharts.py)."""

    charts: tuple[TimeChart, ...]
    source: str  # the latest snapshot's source: "OpenAlex"
    date: dt.date  # the latest snapshot's day
    first: dt.date  # the first snapshot's day
    metrics_url: str  # metrics.csv: one row per snapshot
    by_year_url: str  # citations-by-year.csv: the latest snapshot's counts_by_year


METRICS_CSV = "metrics/metrics.csv"
BY_YEAR_CSV = "metrics/citations-by-year.csv"


def history(synced: Synced, url: Callable[[str], str]) -> History | None:
    """The history charts of the synced snapshots; None when sync never ran."""
    latest = synced.latest
    if latest is None:
        return None
    snapshots = synced.snapshots
    charts = []
    if latest.by_year:
        years = {y.year: y.citations or 0 for y in latest.by_year}
        span = range(min(years), max(years) + 1)  # a year without citations is drawn too
        charts.append(column_chart("citations-per-year", N_("Citations per year"),
                                   [(y, years.get(y, 0)) for y in span], latest.date))
    for key, title, name in (("h-index-over-time", N_("h-index over time"), "h_index"),
                             ("citations-over-time", N_("Citations over time"), "cited_by_count")):
        points = [(s.date, getattr(s, name)) for s in snapshots if getattr(s, name) is not None]
        if points:
            charts.append(line_chart(key, title, points))
    return History(tuple(charts), latest.source, latest.date,
                   snapshots[0].date, url(METRICS_CSV), url(BY_YEAR_CSV))


def metrics_csv(synced: Synced) -> str:
    """metrics.csv: date, source and each headline number of every snapshot, oldest first."""
    rows = [("date", "source", "h_index", "i10_index", "cited_by_count", "works_count")]
    rows += [(s.date.isoformat(), s.source, s.h_index, s.i10_index, s.cited_by_count,
              s.works_count) for s in synced.snapshots]
    return _csv(rows)


def by_year_csv(synced: Synced) -> str:
    """citations-by-year.csv: the latest snapshot's works and citations per year."""
    latest = synced.latest
    rows: list[tuple[Any, ...]] = [("year", "works_count", "cited_by_count", "source",
                                    "as_of")]
    if latest is not None:
        rows += [(y.year, y.works, y.citations, latest.source, latest.date.isoformat())
                 for y in latest.by_year]
    return _csv(rows)


def _csv(rows: list[tuple[Any, ...]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows(("" if value is None else value for value in row) for row in rows)
    return out.getvalue()
