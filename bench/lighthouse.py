"""Lighthouse scores of built sites, measured the way their users measure them.

    python bench/lighthouse.py [--sites demo,synth300] [--runs 1] [--min 98]
                               [--reports DIR]

A researcher who publishes a portfolio checks it with Lighthouse (PageSpeed Insights,
Chrome's DevTools), so this runs that same tool on our output rather than trusting our
own checks. It builds two sites into a temporary folder with a fixed as-of date (the
one bench/run.py uses, so the builds are the same every time):
  - demo: this repository's site.yaml and content/ (33 papers, a CV page);
  - synth300: the 300-paper synthetic site of the site checks (tests/site/conftest.py:
    the profile of tests/synth_profile.py with seed 3, a photo, links, news, an about
    page), any synthN for N papers,
each built for the address it is then served at: a threaded stdlib HTTP server on
127.0.0.1 that answers as GitHub Pages does (gzip for text when the request accepts it,
index.html for folders, 404.html for missing paths, a 10-minute Cache-Control): the
site checks' own (tests/site/sitekit.py).

Lighthouse comes from npm, pinned in bench/lighthouse/package.json (`npm ci` runs there
when node_modules/ is missing), and drives Debian's Chromium (/usr/bin/chromium; never a
downloaded browser: `apt-get install -y chromium`), headless. Each site's home page,
publications page, first paper page (the first folder of papers/), CV page and talks
page (cv/ and talks/, when the site has them) are measured as mobile (Lighthouse's
default: a mid-range phone, simulated 4G) and as desktop (`--preset=desktop`), in the
categories performance, accessibility, best practices and SEO, one run after another
(Lighthouse wants the machine to itself).

It prints a table of the scores (0-100; the median of `--runs` runs) with the
performance metrics LCP, TBT and CLS, then every audit that cost a score below `--min`
points (audit id, score, displayed value, the element or resource), the lowest score,
and whether every score reached `--min`; the exit code is 1 when one did not.

Lighthouse 12.x, not 13: 13 needs Node 22 and Debian's is 20. package.json overrides
third-party-web to the version lighthouse asks for, because its trace engine asks for
the "latest" tag, which `npm ci` resolves again and then refuses the lock.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
NODE_FOLDER = BENCH / "lighthouse"
LIGHTHOUSE = NODE_FOLDER / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
SHORT = {"performance": "perf", "accessibility": "a11y", "best-practices": "bp", "seo": "seo"}
FORM_FACTORS = ["mobile", "desktop"]


def load(path: Path, name: str) -> ModuleType:
    """The module in `path`, imported under `name` (bench/ and tests/site/ are no packages)."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader, path
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


AS_OF: str = load(BENCH / "run.py", "bench_run").AS_OF
CHROMIUM: Path = load(REPO / "tests" / "browser.py", "tests_browser").CHROMIUM


# --- The sites -----------------------------------------------------------------------------


def site_checks() -> ModuleType:
    """tests/site/conftest.py, whose synthetic site and server the site checks use."""
    for path in (REPO, REPO / "tests" / "site"):  # conftest imports `tests` and `sitekit`
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))
    return load(REPO / "tests" / "site" / "conftest.py", "site_checks_conftest")


def build(site: Path, output: Path, base_url: str) -> None:
    """`python -m generator build` of this checkout, for `base_url`, into `output`."""
    command = [sys.executable, "-m", "generator", "build", "-q", "-C", str(site),
               "-o", str(output), "--as-of", AS_OF, "--base-url", base_url]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"build failed: {' '.join(command)}\n{done.stdout}{done.stderr}")


def pages_of(output: Path) -> dict[str, str]:
    """Page name -> URL path: the home and publications pages, the first paper's page, the
    CV and the talks when built."""
    papers = sorted(p.parent.name for p in (output / "papers").glob("*/index.html"))
    if not papers:
        raise SystemExit(f"{output}: no paper pages (papers/*/index.html)")
    pages = {"home": "/", "publications": "/publications/", "paper": f"/papers/{papers[0]}/"}
    for name in ("cv", "talks"):
        if (output / name / "index.html").is_file():
            pages[name] = f"/{name}/"
    return pages


# --- Lighthouse ----------------------------------------------------------------------------


def ensure_tools() -> None:
    if not CHROMIUM.is_file():
        raise SystemExit(f"{CHROMIUM} is missing: apt-get install -y chromium")
    if shutil.which("node") is None or shutil.which("npm") is None:
        raise SystemExit("node and npm are missing: apt-get install -y nodejs npm")
    if not LIGHTHOUSE.exists():
        print(f"npm ci in {NODE_FOLDER.relative_to(REPO)}", file=sys.stderr)
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=NODE_FOLDER, check=True)


def lighthouse(url: str, form_factor: str, report: Path) -> dict[str, Any]:
    """One Lighthouse run of `url`: its JSON report (also written to `report`)."""
    command = [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
               "--chrome-flags=--headless=new --no-sandbox",
               "--only-categories=" + ",".join(CATEGORIES)]
    if form_factor == "desktop":
        command.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": str(CHROMIUM)}
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    if done.returncode != 0 or not report.is_file():
        raise SystemExit(f"lighthouse failed ({done.returncode}): {url} {form_factor}\n"
                         f"{done.stderr[-3000:]}")
    result = json.loads(report.read_text(encoding="utf-8"))
    if result.get("runtimeError"):
        raise SystemExit(f"lighthouse: {url} {form_factor}: {result['runtimeError']}")
    for warning in result.get("runWarnings", []):
        print(f"  lighthouse warning ({url} {form_factor}): {warning}", file=sys.stderr)
    return result


@dataclass
class Measured:
    """The runs of one page in one form factor."""

    site: str
    page: str
    form_factor: str
    reports: list[dict[str, Any]] = field(default_factory=list)

    def score(self, category: str) -> int:
        """The median of the runs' scores, 0-100 as Lighthouse shows it (a missing
        score counts 0)."""
        values = [(r["categories"][category]["score"] or 0) * 100 for r in self.reports]
        return round(statistics.median(values))

    def metric(self, audit: str) -> float:
        return statistics.median(r["audits"][audit]["numericValue"] for r in self.reports)

    def worst(self, category: str) -> dict[str, Any]:
        """The run with the lowest score in `category`: the one whose audits to show."""
        return min(self.reports, key=lambda r: r["categories"][category]["score"] or 0)


def describe(item: dict[str, Any]) -> str:
    """What one row of an audit's details points at: the element or the resource."""
    parts = []
    node = item.get("node")
    if isinstance(node, dict) and node.get("type") == "node":
        parts.append(f"{node.get('selector', '')} {node.get('snippet', '')}".strip())
    for key in ("url", "source", "sourceLocation"):
        value = item.get(key)
        if isinstance(value, dict):
            value = value.get("url") or value.get("value")
        if isinstance(value, str) and value:
            parts.append(value)
            break
    for key in ("description", "label", "groupLabel", "statistic", "value", "phase",
                "timing", "duration", "startTime", "responseTime", "total", "scripting",
                "score", "wastedBytes", "wastedMs", "totalBytes", "cacheLifetimeMs"):
        value = item.get(key)
        if isinstance(value, dict) and "value" in value:  # {"type": "numeric", "value": 2013}
            value = value["value"]
        if isinstance(value, float):
            value = round(value, 3)
        if value is not None and not isinstance(value, dict | list):
            parts.append(f"{key}={value}")
    return "; ".join(parts) or json.dumps(item)[:200]


def detail_rows(details: dict[str, Any] | None, limit: int = 8) -> list[str]:
    """The rows of an audit's details (one level of nested tables and lists too)."""
    if not details:
        return []
    rows: list[str] = []
    for item in details.get("items", []):
        if not isinstance(item, dict):
            continue
        if item.get("type") in ("table", "list", "opportunity"):
            rows += detail_rows(item, limit)
        elif isinstance(item.get("subItems"), dict):
            rows.append(describe(item))
            rows += ["  " + row for row in detail_rows(item["subItems"], limit)]
        else:
            rows.append(describe(item))
    return rows[:limit]


# The diagnostics (weight 0) that say where a metric's time went, shown under it.
DIAGNOSTICS = {
    "first-contentful-paint": ("render-blocking-resources", "server-response-time"),
    "largest-contentful-paint": ("largest-contentful-paint-element", "lcp-lazy-loaded",
                                 "render-blocking-resources"),
    "total-blocking-time": ("long-tasks", "mainthread-work-breakdown", "bootup-time",
                            "dom-size"),
    "cumulative-layout-shift": ("layout-shifts",),
    "speed-index": ("mainthread-work-breakdown",),
}


def costs(measured: Measured, category: str) -> list[str]:
    """The audits of `category` that cost points in its worst run, heaviest first."""
    report = measured.worst(category)
    lines = []
    refs = sorted(report["categories"][category]["auditRefs"], key=lambda r: -r["weight"])
    for ref in refs:
        audit = report["audits"][ref["id"]]
        if ref["weight"] <= 0 or audit.get("score") is None or audit["score"] >= 1:
            continue
        shown = audit.get("displayValue") or ""
        lines.append(f"    {audit['id']} (weight {ref['weight']}): score {audit['score']}"
                     + (f", {shown}" if shown else "") + f": {audit['title']}")
        lines += [f"      - {row}" for row in detail_rows(audit.get("details"))]
        for extra in DIAGNOSTICS.get(ref["id"], ()):
            found = report["audits"].get(extra)
            if found is None or found.get("scoreDisplayMode") == "notApplicable":
                continue
            shown = found.get("displayValue") or ""
            lines.append(f"      {extra}" + (f": {shown}" if shown else ""))
            lines += [f"        - {row}" for row in detail_rows(found.get("details"))]
    return lines


# --- Main ----------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", default="demo,synth300",
                        help="comma-separated: demo, synthN (N synthetic papers)")
    parser.add_argument("--runs", type=int, default=1, help="runs per page (the median)")
    parser.add_argument("--min", type=int, default=98, dest="minimum",
                        help="the score every category of every page must reach")
    parser.add_argument("--reports", type=Path, default=None, metavar="DIR",
                        help="keep every Lighthouse JSON report in DIR")
    args = parser.parse_args()
    sites = [s.strip() for s in args.sites.split(",") if s.strip()]
    if not sites:
        parser.error("--sites names no site")
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    for name in sites:
        if name != "demo" and not re.fullmatch(r"synth\d+", name):
            parser.error(f"unknown site {name!r}: demo or synthN")
    ensure_tools()
    checks = site_checks()
    sitekit = sys.modules["sitekit"]  # the site checks' server: gzip, as GitHub Pages
    version = json.loads((NODE_FOLDER / "node_modules" / "lighthouse" / "package.json")
                         .read_text(encoding="utf-8"))["version"]
    chromium = subprocess.run([str(CHROMIUM), "--version"], capture_output=True,
                              text=True).stdout.strip()
    print(f"Lighthouse {version}, {chromium}, {args.runs} run(s) per page, as of {AS_OF}")
    if args.reports:
        args.reports.mkdir(parents=True, exist_ok=True)
    measured: list[Measured] = []
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as tmp:
        for name in sites:
            source = REPO if name == "demo" else checks.write_synth_site(
                Path(tmp) / f"{name}-site", int(name[len("synth"):]))
            output = Path(tmp) / f"{name}-out"
            output.mkdir()
            server = sitekit.SiteServer(output, "/")
            try:
                build(source, output, server.origin + "/")
                for page, path in pages_of(output).items():
                    for form_factor in FORM_FACTORS:
                        one = Measured(name, page, form_factor)
                        for run in range(args.runs):
                            print(f"  {name} {page} {form_factor} run {run + 1}: "
                                  f"{server.origin}{path}", file=sys.stderr, flush=True)
                            report = Path(tmp) / f"{name}-{page}-{form_factor}-{run}.json"
                            one.reports.append(lighthouse(server.origin + path, form_factor,
                                                          report))
                            if args.reports:
                                shutil.copy(report, args.reports / report.name)
                        measured.append(one)
            finally:
                server.close()

    print()
    print("| site | page | form factor | " + " | ".join(SHORT[c] for c in CATEGORIES)
          + " | LCP | TBT | CLS |")
    print("| --- | --- | --- |" + " ---: |" * (len(CATEGORIES) + 3))
    for one in measured:
        scores = " | ".join(str(one.score(c)) for c in CATEGORIES)
        print(f"| {one.site} | {one.page} | {one.form_factor} | {scores} | "
              f"{one.metric('largest-contentful-paint') / 1000:.2f} s | "
              f"{one.metric('total-blocking-time'):.0f} ms | "
              f"{one.metric('cumulative-layout-shift'):.3f} |")

    below = [(one, c) for one in measured for c in CATEGORIES if one.score(c) < args.minimum]
    if below:
        print(f"\nWhat cost points where a score is below {args.minimum} "
              "(the worst run's audits with weight):")
        for one, category in below:
            print(f"  {one.site} {one.page} {one.form_factor}: {category} {one.score(category)}")
            for line in costs(one, category):
                print(line)
    one, category = min(((one, c) for one in measured for c in CATEGORIES),
                        key=lambda pair: pair[0].score(pair[1]))
    print(f"\nlowest score: {one.score(category)} "
          f"({one.site} {one.page} {one.form_factor} {category})")
    passed = not below
    print(f"every score >= {args.minimum}: {'yes' if passed else 'no'}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
