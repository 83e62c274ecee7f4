"""Benchmark the dev server's rebuild after one abstract edit, in this process (no
watcher, no browser: bench/serve.py measures those), with and without `{% fragment %}`.

    python bench/rebuild.py [--sizes 33,300,1000,10000] [--runs 15]

For each size it starts a `dev.preview.Preview` on a synthetic site (the demo's profile
for 33), builds once, then edits a different paper's abstract before each rebuild and
prints the median, min and max rebuild time, first with the fragment store the dev
server uses and then without one (each card rendered anew), so the fragments' worth is
measured rather than assumed.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.dev import incremental, preview  # noqa: E402
from tests.synth_profile import synth_profile  # noqa: E402

AS_OF = "2026-11-23"


def make_site(folder: Path, papers: int) -> Path:
    (folder / "content").mkdir(parents=True)
    profile = folder / "content" / "profile.txt"
    if papers == 33:
        shutil.copyfile(REPO / "content" / "profile.txt", profile)
    else:
        profile.write_text(synth_profile(papers, 3), encoding="utf-8")
    (folder / "site.yaml").write_text(f"as_of: {AS_OF}\n", encoding="utf-8")
    return folder


def abstract_ends(text: str) -> list[int]:
    """Where each entry's last paragraph ends (an edit there changes only that paper)."""
    headers = [m.start() for m in re.finditer(r"^\d*\.?\d*[A-Z]{2,}[A-Z][a-z]{2} \d", text,
                                              re.M)]
    ends = []
    for start, stop in zip(headers, [*headers[1:], len(text)], strict=True):
        ends.append(start + len(text[start:stop].rstrip("\n")))
    return ends


class Fragmentless(incremental.Fragments):
    """A store that keeps nothing: every card is rendered anew."""

    def stored(self, keys):
        return None

    def store(self, keys, html):
        pass


def measure(site: Path, runs: int, fragments: bool) -> list[float]:
    saved = preview.Fragments
    if not fragments:
        preview.Fragments = Fragmentless  # type: ignore[misc]
    try:
        server = preview.Preview(site, {}, log=lambda *args: None)
        assert server.rebuild("start")
        profile = site / "content" / "profile.txt"
        text = profile.read_text(encoding="utf-8")
        ends = abstract_ends(text)
        times = []
        for run in range(runs):
            at = ends[(run * 7 + 1) % len(ends)]
            profile.write_text(text[:at] + f" Edited {run}." + text[at:], encoding="utf-8")
            started = time.perf_counter()
            assert server.rebuild("edit"), server.snapshot.error
            times.append((time.perf_counter() - started) * 1000)
        profile.write_text(text, encoding="utf-8")
        return times
    finally:
        preview.Fragments = saved  # type: ignore[misc]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="33,300,1000,10000")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for size in map(int, args.sizes.split(",")):
            site = make_site(Path(tmp) / f"site{size}", size)
            for fragments in (True, False):
                times = measure(site, args.runs, fragments)
                label = "with fragments   " if fragments else "without fragments"
                print(f"{size:>6} papers, {label}: rebuild median "
                      f"{statistics.median(times):.1f} ms (min {min(times):.1f}, "
                      f"max {max(times):.1f}, n={len(times)})", flush=True)


if __name__ == "__main__":
    main()
