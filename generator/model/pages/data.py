"""The synced metrics' series as CSV, linked beside the history charts: metrics/metrics.csv
(one row per snapshot of content/metrics/) and metrics/citations-by-year.csv (the latest
snapshot's counts_by_year). Files, not pages: the sitemap does not list them."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..metrics import BY_YEAR_CSV, METRICS_CSV, by_year_csv, metrics_csv
from ..routes import FileRoute, Kind, Route, Text
from .kind import Layout, PageKind


def routes(layout: Layout, made: Sequence[Route]) -> Iterator[Route]:
    synced = layout.content.synced
    if synced.snapshots:
        yield FileRoute(METRICS_CSV, Text(metrics_csv(synced)), Kind.DATA)
        yield FileRoute(BY_YEAR_CSV, Text(by_year_csv(synced)), Kind.DATA)


DATA = PageKind(Kind.DATA, "the synced metrics as CSV", routes, ("metrics/",))
