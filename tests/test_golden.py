"""Golden output: three sites built by the command line must match, byte for byte, what
tests/golden/ says they were, so that any change to what the build writes shows up here
and, for a few representative files, as a readable diff in `git diff tests/golden/`.

- demo: the repository's own site.yaml and content/.
- synth-40: 40 synthetic papers (seed 1) for https://ana.github.io/site/.
- synth-600: 600 synthetic papers (seed 3) for https://example.org/: over 2,000 routes,
  so the build renders them over forked workers (`--jobs 2`).

Each is built as a user would build it, `python -m generator build --as-of 2026-11-23
--output DIR` in a temporary copy of the site, with this environment (so PYTHONPATH
picks the generator under test; the repository comes after it) and an empty cache of
compiled templates. tests/golden/<site>.json maps every file of the built folder to its
sha256 and size; tests/golden/<site>/ holds the full text of a few files.

When a change to the output is intended, regenerate the expected data and commit it:

    python -m tests.test_golden --update            # every site; or name some: demo synth-40
    python -m tests.test_golden                     # compare only, as the test does
    PYTHONPATH=/other/checkout python -m tests.test_golden --update   # from its generator
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from .synth_profile import synth_profile

REPO = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
AS_OF = "2026-11-23"
UPDATE = "python -m tests.test_golden --update"
#: Files of a built site that may differ between two builds of the same input. None do:
#: two builds are identical, including the `.scholarfolio` marker (a fixed sentence).
NOT_DETERMINISTIC: frozenset[str] = frozenset()
#: Files drawn by Pillow with the system's font (generator/card.py): the same bytes on one
#: machine (tests/test_card.py), other bytes under another Pillow or font, so the golden
#: output records that they are there, not their bytes.
DRAWN: frozenset[str] = frozenset({"assets/card.png"})
MAX_LISTED = 40  # lines of added/removed/changed files in a failure message
MAX_DIFF = 60  # lines of unified diff of the representative files


@dataclass(frozen=True)
class Site:
    name: str
    papers: int | None  # None: the demo site (the repository's site.yaml and content/)
    seed: int = 0
    site_yaml: str = ""
    jobs: int | None = None
    #: Files whose full expected text is kept under tests/golden/<name>/.
    text_files: tuple[str, ...] = ()

    def prepare(self, folder: Path) -> Path:
        """The site's folder, made in `folder`: a copy of the demo or a synthetic site."""
        site = folder / self.name
        if self.papers is None:
            shutil.copytree(REPO / "content", site / "content")
            shutil.copyfile(REPO / "site.yaml", site / "site.yaml")
        else:
            (site / "content").mkdir(parents=True)
            profile = synth_profile(self.papers, self.seed).encode("utf-8")
            (site / "content" / "profile.txt").write_bytes(profile)
            (site / "site.yaml").write_text(self.site_yaml, encoding="utf-8")
        return site


SITES = {
    site.name: site
    for site in [
        Site("demo", None, text_files=(
            "index.html",
            "papers/neural-processes/index.html",  # a paper with its own Markdown page
            "categories/index.html",
            "papers.bib",
        )),  # base_url "/": no feed.xml or sitemap.xml (synth-40 keeps those)
        Site("synth-40", 40, seed=1, site_yaml="base_url: https://ana.github.io/site/\n",
             text_files=("feed.xml", "sitemap.xml")),
        Site("synth-600", 600, seed=3, site_yaml="base_url: https://example.org/\n", jobs=2),
    ]
}


def build_env(cache: Path) -> dict[str, str]:
    """This process's environment, with the repository after any PYTHONPATH already set
    (PYTHONPATH=/other/checkout tests that checkout's generator) and a fresh cache of
    compiled templates, so nothing from earlier builds is reused."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in [env.get("PYTHONPATH", ""), str(REPO)] if p)
    env["XDG_CACHE_HOME"] = str(cache)
    return env


class BuildFailed(Exception):
    """The build command exited with an error; the message holds its output."""


def build(site: Site, workdir: Path) -> Path:
    """Build `site` in a new folder under `workdir` by the command line; its output."""
    folder = site.prepare(workdir)
    output = workdir / f"{site.name}-out"
    command = [sys.executable, "-m", "generator", "build", "-q", "--as-of", AS_OF,
               "--output", str(output)]
    if site.jobs is not None:
        command += ["--jobs", str(site.jobs)]
    done = subprocess.run(command, cwd=folder, env=build_env(workdir / "cache"),
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise BuildFailed(f"{' '.join(command)} failed ({done.returncode}) in {folder}:\n"
                          f"{done.stdout}{done.stderr}")
    return output


def generator_location(workdir: Path) -> str:
    """Where the build subprocesses import `generator` from (cwd and env as theirs)."""
    done = subprocess.run(
        [sys.executable, "-c", "import generator; print(generator.__file__)"],
        cwd=workdir, env=build_env(workdir / "cache"), capture_output=True, text=True)
    if done.returncode != 0:
        return f"not importable: {(done.stderr.strip().splitlines() or ['?'])[-1]}"
    return done.stdout.strip()


def manifest(output: Path) -> dict[str, dict[str, int | str]]:
    """Relative path -> sha256 and size of every file under `output`, sorted by path."""
    files = {}
    for path in sorted(output.rglob("*")):
        relative = path.relative_to(output).as_posix()
        if path.is_file() and relative in DRAWN:
            files[relative] = {"drawn": "by Pillow"}
        elif path.is_file() and relative not in NOT_DETERMINISTIC:
            data = path.read_bytes()
            files[relative] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    return dict(sorted(files.items()))


def dump_manifest(files: dict[str, dict[str, int | str]]) -> str:
    """JSON, one file a line, so that `git diff` shows which files changed."""
    lines = [f"  {json.dumps(path)}: {json.dumps(entry)}" for path, entry in files.items()]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def compare(site: Site, output: Path) -> str | None:
    """None when `output` is what tests/golden/ expects of `site`, else what differs."""
    manifest_path = GOLDEN / f"{site.name}.json"
    if not manifest_path.is_file():
        return f"{manifest_path.relative_to(REPO)} is missing; run `{UPDATE} {site.name}`"
    expected = json.loads(manifest_path.read_text(encoding="utf-8"))
    actual = manifest(output)
    if actual == expected:
        return None
    added = sorted(actual.keys() - expected.keys())
    removed = sorted(expected.keys() - actual.keys())
    changed = sorted(p for p in actual.keys() & expected.keys() if actual[p] != expected[p])
    lines = [f"site {site.name!r}: the build differs from {manifest_path.relative_to(REPO)}: "
             f"{len(added)} added, {len(removed)} removed, {len(changed)} changed "
             f"(of {len(expected)} expected files)"]
    listed = [f"  + {p} ({actual[p]['size']} bytes)" for p in added]
    listed += [f"  - {p} ({expected[p]['size']} bytes)" for p in removed]
    listed += [f"  ~ {p} ({expected[p]['size']} -> {actual[p]['size']} bytes)" for p in changed]
    lines += listed[:MAX_LISTED]
    if len(listed) > MAX_LISTED:
        lines.append(f"  ... and {len(listed) - MAX_LISTED} more")
    diff: list[str] = []
    for relative in site.text_files:
        golden = GOLDEN / site.name / relative
        built = output / relative
        old = golden.read_text(encoding="utf-8") if golden.is_file() else ""
        new = built.read_text(encoding="utf-8") if built.is_file() else ""
        diff += difflib.unified_diff(old.splitlines(), new.splitlines(),
                                     f"tests/golden/{site.name}/{relative}",
                                     f"built/{relative}", n=2, lineterm="")
    if diff:
        lines.append("diff of the representative files:")
        lines += [line if len(line) <= 200 else line[:199] + "…" for line in diff[:MAX_DIFF]]
        if len(diff) > MAX_DIFF:
            lines.append(f"... and {len(diff) - MAX_DIFF} more lines of diff")
    lines.append(f"If the change is intended: `{UPDATE} {site.name}`, then commit tests/golden/.")
    return "\n".join(lines)


def update(site: Site, output: Path) -> None:
    """Write the expected data of `site` from its built `output`."""
    GOLDEN.mkdir(exist_ok=True)
    (GOLDEN / f"{site.name}.json").write_text(dump_manifest(manifest(output)), encoding="utf-8")
    texts = GOLDEN / site.name
    if texts.exists():
        shutil.rmtree(texts)
    for relative in site.text_files:
        target = texts / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(output / relative, target)


@pytest.mark.parametrize("name", list(SITES))
def test_the_built_site_matches_the_golden_output(name, tmp_path):
    site = SITES[name]
    try:
        problem = compare(site, build(site, tmp_path))
    except BuildFailed as error:
        problem = str(error)
    if problem is not None:
        pytest.fail(f"{problem}\n(generator: {generator_location(tmp_path)})", pytrace=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Compare or regenerate tests/golden/.")
    parser.add_argument("--update", action="store_true",
                        help="write tests/golden/ from this build instead of comparing")
    parser.add_argument("sites", nargs="*", metavar="SITE",
                        help=f"sites to build (default: all of {', '.join(SITES)})")
    args = parser.parse_args(argv)
    unknown = [name for name in args.sites if name not in SITES]
    if unknown:
        parser.error(f"unknown site {', '.join(unknown)}; the sites are {', '.join(SITES)}")
    failed = 0
    with tempfile.TemporaryDirectory(prefix="golden-") as tmp:
        workdir = Path(tmp)
        print(f"generator: {generator_location(workdir)}")
        for name in args.sites or list(SITES):
            site = SITES[name]
            try:
                output = build(site, workdir)
            except BuildFailed as error:
                print(error, file=sys.stderr)
                return 2
            if args.update:
                update(site, output)
                print(f"{name}: wrote tests/golden/{name}.json"
                      + (f" and tests/golden/{name}/" if site.text_files else ""))
            else:
                problem = compare(site, output)
                failed += problem is not None
                print(problem or f"{name}: matches tests/golden/{name}.json")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
