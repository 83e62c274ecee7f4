"""What `scholarfolio sync` left in content/ for the pages' metrics: the dated snapshots
(content/metrics/<YYYY-MM-DD>.json, oldest first) and each synced work's citation count
(the `custom` fields of content/synced.json), read as plain data for the model."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import SiteError
from ..identity import Key, file_identifiers

METRICS = "metrics"  # content/metrics/
SYNCED = "synced.json"


@dataclass(frozen=True)
class YearCounts:
    """One year of an author's `counts_by_year`: works published and citations received."""

    year: int
    works: int | None
    citations: int | None


@dataclass(frozen=True)
class Snapshot:
    """An author's metrics on one day, as a source gave them; None where it gave none."""

    date: dt.date
    source: str
    h_index: int | None = None
    i10_index: int | None = None
    cited_by_count: int | None = None
    works_count: int | None = None
    by_year: tuple[YearCounts, ...] = ()
    path: str = ""  # where it was read from, for messages


@dataclass(frozen=True)
class WorkCount:
    """A work's citation count as a sync found it, with its source and day (the day of
    the latest snapshot; None when there is none)."""

    count: int
    source: str
    date: dt.date | None


@dataclass(frozen=True)
class Synced:
    """The snapshots, oldest first, and the works' counts by their DOI and arXiv keys
    (`identity.file_identifiers`: the same rule the build's merge uses)."""

    snapshots: tuple[Snapshot, ...] = ()
    counts: Mapping[Key, WorkCount] = field(default_factory=dict)

    @property
    def latest(self) -> Snapshot | None:
        return self.snapshots[-1] if self.snapshots else None


def load_synced(content: Path, display: Callable[[Path], str] = str) -> Synced:
    """content/metrics/*.json and synced.json's counts; an empty Synced when sync never ran."""
    folder = content / METRICS
    snapshots = []
    if folder.is_dir():
        for path in sorted(folder.glob("*.json")):
            try:
                day = dt.date.fromisoformat(path.stem)
            except ValueError:
                continue  # not a snapshot: sync names them by their day
            snapshots.append(_snapshot(_json(path, display), day, display(path)))
    snapshots.sort(key=lambda s: s.date)
    latest = snapshots[-1].date if snapshots else None
    counts: dict[Key, WorkCount] = {}
    path = content / SYNCED
    if path.is_file():
        items = _json(path, display)
        for item in items if isinstance(items, list) else ():
            custom = item.get("custom") if isinstance(item, dict) else None
            count = custom.get("cited-by-count") if isinstance(custom, dict) else None
            if not isinstance(count, int) or isinstance(count, bool):
                continue
            found = WorkCount(count, str(custom.get("cited-by-source") or "OpenAlex"), latest)
            doi = item.get("DOI") if isinstance(item.get("DOI"), str) else None
            arxiv = custom.get("arxiv") if isinstance(custom.get("arxiv"), str) else None
            for key in file_identifiers(doi, arxiv):  # the identity rule's DOI and arXiv keys
                counts.setdefault(key, found)
    return Synced(tuple(snapshots), counts)


def _json(path: Path, display: Callable[[Path], str]) -> Any:
    try:
        return json.loads(path.read_bytes().decode("utf-8"))
    except json.JSONDecodeError as exc:
        raise SiteError(f"{display(path)}:{exc.lineno}:{exc.colno}: expected JSON as "
                        f"`scholarfolio sync` writes it ({exc.msg})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SiteError(f"{display(path)}:1:1: expected a UTF-8 JSON file ({exc})") from None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _snapshot(data: Any, day: dt.date, shown: str) -> Snapshot:
    if not isinstance(data, dict):
        raise SiteError(f"{shown}:1:1: expected an object of metrics, as `scholarfolio sync` "
                        "writes it")
    years = data.get("counts_by_year")
    by_year = tuple(sorted(
        (YearCounts(y["year"], _int(y.get("works_count")), _int(y.get("cited_by_count")))
         for y in (years if isinstance(years, list) else ())
         if isinstance(y, dict) and _int(y.get("year")) is not None),
        key=lambda y: y.year))
    return Snapshot(day, str(data.get("source") or "OpenAlex"), _int(data.get("h_index")),
                    _int(data.get("i10_index")), _int(data.get("cited_by_count")),
                    _int(data.get("works_count")), by_year, shown)
