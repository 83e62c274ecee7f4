"""Benchmark `scholarfolio serve`: save-to-reload and rebuild times.

    python bench/serve.py [--runs 7] [--papers 1000,10000]

For the demo site and a synthetic profile, it starts the dev server, opens a paper
page in headless Chromium (Debian's /usr/bin/chromium), then repeatedly rewrites
that paper's abstract in content/profile.txt and measures the time from the write
to the reloaded page's DOMContentLoaded with the new text (browser clock, so the
test driver's polling is not counted), and the server's own rebuild time. Prints the
median, min and max of each.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SYNTH = REPO / "tests" / "synth_profile.py"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_site(folder: Path, papers: int | None) -> Path:
    (folder / "content").mkdir(parents=True)
    if papers is None:
        shutil.copyfile(REPO / "content" / "profile.txt", folder / "content" / "profile.txt")
        shutil.copyfile(REPO / "site.yaml", folder / "site.yaml")
    else:
        text = subprocess.run([sys.executable, str(SYNTH), str(papers)], check=True,
                              capture_output=True, text=True).stdout
        (folder / "content" / "profile.txt").write_text(text, encoding="utf-8")
        (folder / "site.yaml").write_text("as_of: 2026-11-23\n", encoding="utf-8")
    return folder


def paper_slug(profile: Path, title: str) -> str:
    """The page name the generator gives the paper titled `title`."""
    sys.path.insert(0, str(REPO))
    import datetime as dt

    from generator.profile import read_profile

    papers = read_profile(profile, dt.date(2026, 11, 23)).papers
    return next(paper.slug for paper in papers if paper.title == title)


def measure(name: str, site: Path, runs: int, browser) -> None:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "generator", "serve", "-C", str(site),
                               "-p", str(port)], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, bufsize=1, cwd=site)
    try:
        started = time.perf_counter()
        while not (line := server.stdout.readline()).startswith("Serving"):
            if not line:
                raise SystemExit(f"{name}: the server stopped")
        print(f"{name}: first build and start {time.perf_counter() - started:.2f} s")
        profile = site / "content" / "profile.txt"
        text = profile.read_text(encoding="utf-8")
        # The second entry's abstract: the paragraph after its authors.
        header = list(re.finditer(r"^\d*\.?\d*[A-Z]{2,}[A-Z][a-z]{2} \d", text, re.M))[1]
        title = text[header.start():].split("\n")[1]
        end = text.index("\n\n", text.index("\n\n", text.index("\n\n", header.start()) + 2) + 2)
        page = browser.new_page()
        # The moment the reloaded document is parsed, on the same clock as time.time().
        page.add_init_script("addEventListener('DOMContentLoaded', "
                             "() => { window.__shownAt = Date.now(); });")
        slug = paper_slug(profile, title)
        page.goto(f"http://127.0.0.1:{port}/papers/{slug}/")  # a 10k home page is 22 MB
        page.wait_for_selector(f"h1:has-text({title!r})")
        reloads, rebuilds = [], []
        for run in range(runs):
            marker = f"BENCHMARK{run}X"
            changed = text[:end] + f" {marker}" + text[end:]
            temporary = profile.with_name("profile.txt.tmp")
            temporary.write_text(changed, encoding="utf-8")
            t0 = time.time() * 1000
            os.replace(temporary, profile)
            page.wait_for_selector(f"text={marker}", timeout=30_000)
            reloads.append(page.evaluate("window.__shownAt") - t0)
            while "changed:" not in (line := server.stdout.readline()):
                pass
            rebuilds.append(float(re.search(r"in (\d+) ms", line).group(1)))
            time.sleep(0.3)
        page.close()
        for label, values in (("save-to-reload", reloads), ("rebuild", rebuilds)):
            print(f"{name}: {label} median {statistics.median(values):.0f} ms "
                  f"(min {min(values):.0f}, max {max(values):.0f}, n={len(values)})")
    finally:
        server.terminate()
        server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--papers", default="1000,10000",
                        help="sizes of the synthetic sites, comma-separated")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=CHROMIUM_ARGS)
        measure("demo (33 papers)", make_site(Path(tmp) / "demo", None), args.runs, browser)
        for papers in map(int, args.papers.split(",")):
            measure(f"synthetic ({papers} papers)",
                    make_site(Path(tmp) / f"synth{papers}", papers), args.runs, browser)
        browser.close()


if __name__ == "__main__":
    main()
