"""The synced history's charts (#26): of a fixed size whatever the number of syncs (one
point per month, every sync in the table and the CSV), labels that never meet, the
caption with its chart, the year still being counted marked as such, and the whole
history in a closed box so the papers come first."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from generator.model.charts import CHAR_WIDTH, CHART_FONT

from . import test_metrics
from .test_metrics import LISTING, built, chart
from .test_sync import DATE

synced = test_metrics.synced  # the fixture: a site synced from the recorded responses

FIRST = dt.date(2024, 12, 30)
WEEKS = 104  # two years of weekly syncs


def weekly(root: Path) -> list[dict]:
    """WEEKS snapshots a week apart from FIRST in place of the synced ones, each from the
    latest with its h-index and citations growing; the list of them, oldest first."""
    folder = root / "content" / "metrics"
    latest = json.loads((folder / f"{DATE}.json").read_text("utf-8"))
    for path in folder.glob("*.json"):
        path.unlink()
    written = []
    for week in range(WEEKS):
        day = FIRST + dt.timedelta(weeks=week)
        snapshot = dict(latest, date=day.isoformat(), h_index=10 + week // 15,
                        cited_by_count=2000 + 19 * week)
        (folder / f"{day.isoformat()}.json").write_text(json.dumps(snapshot), "utf-8")
        written.append(snapshot)
    return written


def view_box(figure: str) -> tuple[int, int]:
    found = re.search(r'<svg viewBox="0 0 (\d+) (\d+)"', figure)
    assert found
    return int(found.group(1)), int(found.group(2))


def test_years_of_weekly_syncs_draw_charts_of_the_same_size_one_point_a_month(synced):
    small = built(synced, page=LISTING)
    sizes = {key: view_box(chart(small, key)) for key in ("h-index-over-time",
                                                          "citations-over-time")}
    snapshots = weekly(synced)
    listing = built(synced, page=LISTING)
    last_of_month: dict[str, dict] = {}
    for snapshot in snapshots:
        last_of_month[snapshot["date"][:7]] = snapshot
    for key, field in (("h-index-over-time", "h_index"),
                       ("citations-over-time", "cited_by_count")):
        figure = chart(listing, key)
        assert view_box(figure) == sizes[key] and sizes[key][1] <= 200
        assert len(re.findall(r'<circle class="dot"', figure)) == len(last_of_month) == 25
        label = re.search(r'aria-label="([^"]+)"', figure).group(1)
        assert label.endswith(", ".join(f"{month} {s[field]:,}"
                                        for month, s in last_of_month.items()))
        rows = re.findall(r'<tr><th scope="row">([^<]+)</th><td>([^<]+)</td></tr>', figure)
        assert rows == [(s["date"], f"{s[field]:,}") for s in snapshots]  # every sync
    csv = (synced / "_site" / "metrics" / "metrics.csv").read_text("utf-8").splitlines()
    assert len(csv) == 1 + WEEKS


def test_time_labels_never_meet_and_stay_inside_the_chart(synced):
    weekly(synced)
    listing = built(synced, page=LISTING)
    for key in ("citations-per-year", "h-index-over-time", "citations-over-time"):
        figure = chart(listing, key)
        width, _ = view_box(figure)
        ticks = [(float(x), text) for x, text in re.findall(
            r'<text class="tick" x="([\d.]+)" y="\d+" text-anchor="middle">([^<]+)</text>',
            figure)]
        assert len(ticks) >= 2
        spans = [(x - len(t) * CHART_FONT * CHAR_WIDTH / 2,
                  x + len(t) * CHART_FONT * CHAR_WIDTH / 2) for x, t in ticks]
        assert all(a[1] < b[0] for a, b in zip(spans, spans[1:], strict=False)), spans
        assert spans[0][0] >= -4 and spans[-1][1] <= width + 4


def test_each_caption_follows_its_drawing_and_the_numbers_follow_the_figure(synced):
    listing = built(synced, page=LISTING)
    blocks = re.findall(r'<div class="chart-block">(.*?)</div>', listing, re.S)
    assert len(blocks) == 3
    for block in blocks:
        assert re.search(r"</svg>\s*<figcaption>[^<]+(<small[^>]*>[^<]*</small>)?"
                         r"</figcaption>\s*</figure>\s*<details", block), block[-600:]


def test_the_history_is_a_closed_box_so_the_papers_come_first(synced):
    listing = built(synced, page=LISTING)
    section = re.search(r'<section class="metrics-history"[^>]*>\s*(<details[^>]*>)\s*<summary>'
                        r'<h2 id="history-heading">', listing)
    assert section and " open" not in section.group(1)


def test_the_year_still_being_counted_is_marked_so_far_in_the_chart_and_the_table(synced):
    path = synced / "content" / "metrics" / f"{DATE}.json"
    latest = json.loads(path.read_text("utf-8"))
    full = built(synced, page=LISTING)
    assert "so far" not in full  # the last year given (2025) ended before the day of the sync
    latest["counts_by_year"].append({"year": 2026, "works_count": 1, "cited_by_count": 250})
    path.write_text(json.dumps(latest), "utf-8")
    figure = chart(built(synced, page=LISTING), "citations-per-year")
    note = f"2026 so far (to {DATE})"
    assert f"<figcaption>Citations per year <small class=\"partial-note\">· {note}</small>" \
        in figure
    assert f'<tr><th scope="row">{note}</th><td>250</td></tr>' in figure
    assert f"{note} 250\"" in figure  # the text alternative
    assert len(re.findall(r'<rect class="bar partial"', figure)) == 1
