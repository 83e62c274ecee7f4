"""Benchmark: the home page's filters (themes/scholar/static/filters.js) at 10,000 papers.

    python3 bench/filters.py                 # 10,000 papers, seed 1
    python3 bench/filters.py --papers 2000 --rounds 5
    python3 bench/filters.py --site OUT      # a site built before, with base_url /bench/

Builds a synthetic site (tests/synth_profile.py), serves it on 127.0.0.1, opens
its home page in headless Chromium (/usr/bin/chromium, through Playwright) and types into
the search box one key at a time, then deletes the query again, then clicks a category
chip and changes the sort. For every change it reports the time from the input event (its
`timeStamp`) to:

- script: the list updated: the `filters:updated` event the script dispatches when it has
  added, removed and moved the cards;
- layout: the same, plus the style and layout of the page, forced right there (the
  browser would do that work before the next paint anyway);
- paint: the event's duration by the Event Timing API, input to the next paint, for the
  keystrokes it reports (it reports none under 16 ms; those count as 16).

Prints median, 95th percentile and maximum per kind of change, the page's size and
load times. Run it on an otherwise idle machine: the figures are wall-clock times.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests" / "site")]

from sitekit import CHROMIUM, CHROMIUM_ARGS, SiteServer  # noqa: E402

from generator.build import build  # noqa: E402
from tests.synth_profile import write_synth_profile  # noqa: E402

SITE_YAML = "title: Filter benchmark\nas_of: 2026-11-23\nbase_url: /bench/\n"
# Typed key by key, then deleted key by key: one that keeps most papers (the first 200
# cards hardly change), one that narrows them down to a few (they change at every key).
QUERIES = ("neural scene", "kocisky (12")

# Installed once the page has loaded: records each change, from its event to the update.
MEASURE = """() => {
  const form = document.getElementById('paper-filters');
  const times = window.benchTimes = [];
  const paints = window.benchPaints = new Map();  // interactionId -> longest duration
  let started = null;
  const start = (event) => { started ??= event.timeStamp; };
  document.getElementById('filter-q').addEventListener('input', start, true);
  document.addEventListener('click', (e) => e.target.closest('.chip') && start(e), true);
  document.addEventListener('change', (e) => e.target.matches('select') && start(e), true);
  form.addEventListener('filters:updated', (event) => {
    if (started === null) return;
    const script = performance.now() - started;
    void document.body.offsetHeight;  // style and layout now
    times.push({script, layout: performance.now() - started, matching: event.detail.matching});
    started = null;
  });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.interactionId) {
        paints.set(entry.interactionId,
                   Math.max(paints.get(entry.interactionId) || 0, entry.duration));
      }
    }
  }).observe({type: 'event', durationThreshold: 16, buffered: true});
}"""

TAKE = """() => {
  const times = window.benchTimes.splice(0);
  const paints = [...window.benchPaints.values()];
  window.benchPaints.clear();
  return {times, paints};
}"""


def build_site(folder: Path, papers: int, seed: int) -> Path:
    (folder / "content").mkdir(parents=True)
    (folder / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    write_synth_profile(folder / "content" / "profile.txt", papers, seed)
    return build(folder, {"output": str(folder / "out")}).config.output


def summary(values: list[float]) -> str:
    if len(values) < 2:
        return f"{values[0]:6.1f} ms" if values else "n/a"
    p95 = statistics.quantiles(values, n=20, method="inclusive")[-1]
    return f"median {statistics.median(values):6.1f}   p95 {p95:6.1f}   max {max(values):6.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3, help="times the query is typed")
    parser.add_argument("--delay", type=int, default=150, help="ms between keys")
    parser.add_argument(
        "--site", type=Path, help="measure this built site (base path /bench/) instead of building"
    )
    args = parser.parse_args()
    if args.site:
        measure(args.site, args)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        output = build_site(Path(tmp), args.papers, args.seed)
        print(f"built {args.papers:,} papers in {time.perf_counter() - started:.1f} s")
        measure(output, args)
    return 0


def measure(output: Path, args) -> None:
    from playwright.sync_api import sync_playwright

    listing = output / "publications" / "index.html"
    print(f"publications page {listing.stat().st_size / 1e6:.1f} MB")
    server = SiteServer(output, "/bench/")
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(server.origin + "/bench/publications/", wait_until="load")
            loading = page.evaluate(
                "() => { const n = performance.getEntriesByType('navigation')[0];"
                " return [n.domContentLoadedEventEnd, n.loadEventEnd]; }"
            )
            print(f"home page: DOMContentLoaded {loading[0]:.0f} ms, load {loading[1]:.0f} ms")
            page.evaluate(MEASURE)
            report(page, args)
            browser.close()
    finally:
        server.close()


def report(page, args) -> None:
    search = page.locator("#filter-q")
    typed, deleted = [], []
    paints: list[float] = []
    keystrokes = 0
    for _ in range(args.rounds):
        for query in QUERIES:
            search.click()
            search.press_sequentially(query, delay=args.delay)
            page.wait_for_timeout(600)  # the typing pause: address and announcement
            result = page.evaluate(TAKE)
            typed += result["times"]
            paints += result["paints"]
            for _ in query:
                search.press("Backspace", delay=0)
                page.wait_for_timeout(args.delay)
            page.wait_for_timeout(600)
            result = page.evaluate(TAKE)
            deleted += result["times"]
            paints += result["paints"]
            keystrokes += 2 * len(query)
    paints += [16.0] * (keystrokes - len(paints))  # the Event Timing API skips those < 16 ms

    def line(label: str, times: list[dict], key: str) -> None:
        print(f"  {label:<24} {summary([t[key] for t in times])}   ({len(times)} updates)")

    print(f"search, {' and '.join(map(repr, QUERIES))} typed then deleted, {args.rounds} rounds:")
    for key in ("script", "layout"):
        line(f"typing, to {key}", typed, key)
        line(f"deleting, to {key}", deleted, key)
    print(f"  {'any key, to next paint':<24} {summary(paints)}   (Event Timing API)")
    matching = [t["matching"] for t in typed]
    print(f"  papers matching while typing: {max(matching):,} .. {min(matching):,}")

    clicks: list[dict] = []
    for code in ("CV", "LG", "CV", "LG"):
        page.locator(f'button.chip[data-cat="{code}"]').click()
        page.wait_for_timeout(100)
        clicks += page.evaluate(TAKE)["times"]
    line("category chip, to layout", clicks, "layout")
    sorts: list[dict] = []
    for sort in ("score", "title", "oldest", "newest"):
        page.locator("#filter-sort").select_option(sort)
        page.wait_for_timeout(100)
        sorts += page.evaluate(TAKE)["times"]
    line("sort (all shown)", sorts, "layout")


if __name__ == "__main__":
    sys.exit(main())
