"""`scholarfolio build` as the command line runs it (`generator.cli.main`, in this process):
the build cache that lets a build with no change stop early, rendering over forked
workers, and pages listing hundreds of papers written in chunks. The other tests mostly
build with `build(keep_files=True)`, which takes none of these paths; here every build's
output is compared with that in-memory build's bytes.

Already pinned elsewhere, so not repeated here: a second build rewrites no file's bytes
or time, an output file edited or deleted by hand is written again, an abstract edit
rewrites its five files, an unreadable cache is ignored (tests/test_rebuild.py, through a
subprocess), and a template error in a worker's share of the site (test_rebuild.py) or in
one worker's share (tests/test_pipeline.py).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.build import BuildResult, build
from generator.buildcache import FOLDER as CACHE
from generator.cli import main
from generator.output import MARKER
from generator.render.parallel import LARGE_LIST, PARALLEL_ROUTES

from .conftest import copy_demo, make_site
from .synth_profile import synth_profile

PAST = 1_000_000_000_000_000_000  # 2001-09-09, in nanoseconds
CHUNK = 1 << 16  # render/pages.py writes a long page in chunks of about this many bytes
PAPERS = 600  # over 2,000 routes (four files a paper)
LARGE_YAML = "as_of: 2026-11-23\nbase_url: https://example.org/folio/\n"
#: The pages of a large site that list every paper, and so are written in chunks.
STREAMED = ("publications/index.html", "feed.xml", "sitemap.xml", "papers.json", "papers.bib")
SUMMARY = re.compile(r"Built (\d+) pages \((\d+) files, (\d+) changed\) in \d+ ms → (.+)/\n")


@dataclass(frozen=True)
class Summary:
    pages: int
    files: int
    changed: int


def run(site: Path, *options: str) -> tuple[int, str, str]:
    """`scholarfolio build -C site OPTIONS`: exit code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["build", "-C", str(site), *options])
    return code, out.getvalue(), err.getvalue()


def cli_build(site: Path, *options: str) -> Summary:
    """A build that must succeed; what its summary line says."""
    code, out, err = run(site, *options)
    assert code == 0, err
    match = SUMMARY.fullmatch(out)
    assert match, out
    return Summary(int(match[1]), int(match[2]), int(match[3]))


def identities(folder: Path) -> dict[str, tuple[int, int, int]]:
    """Every file and folder under `folder`, and the folder itself (""): (inode,
    modification time, size). A file written again, even with the same bytes, is a new
    inode with a new time; a folder that gained or lost an entry has a new time."""
    found = {"": _identity(folder)}
    for path in sorted(folder.rglob("*")):
        found[path.relative_to(folder).as_posix()] = _identity(path)
    return found


def _identity(path: Path) -> tuple[int, int, int]:
    info = path.lstat()
    return info.st_ino, info.st_mtime_ns, info.st_size


def file_identities(folder: Path) -> dict[str, tuple[int, int, int]]:
    return {path: ids for path, ids in identities(folder).items()
            if path and (folder / path).is_file() and path != MARKER}


def contents(folder: Path) -> dict[str, bytes]:
    """Every output file's bytes (the marker left out: the in-memory build has none)."""
    return {path: (folder / path).read_bytes() for path in file_identities(folder)}


def rewritten(before: dict[str, tuple[int, int, int]], folder: Path) -> set[str]:
    """The files of `folder` that are new or written again since `before`."""
    return {path for path, ids in file_identities(folder).items() if before.get(path) != ids}


def differing(old: BuildResult, new: BuildResult) -> set[str]:
    """The files whose bytes differ between two in-memory builds (or that are new)."""
    return {path for path, data in new.files.items() if old.files.get(path) != data}


def cache_record(site: Path) -> Path:
    [record] = (site / CACHE).iterdir()  # one output folder, one record
    return record


@contextlib.contextmanager
def counted_forks() -> Iterator[list[int]]:
    """The process ids of the children forked inside the block (multiprocessing's fork
    start method calls os.fork)."""
    forks: list[int] = []
    real = os.fork

    def fork() -> int:
        pid = real()
        if pid:
            forks.append(pid)
        return pid

    os.fork = fork
    try:
        yield forks
    finally:
        os.fork = real


def in_memory(site: Path, output: Path) -> BuildResult:
    return build(site, {"output": str(output)}, keep_files=True)


# -- the build cache ----------------------------------------------------------------------


def test_a_build_with_nothing_changed_is_skipped_touching_no_file_folder_or_cache_record(
    tmp_path,
):
    """Not even a staging folder is made (the site folder's time would change), the output
    is not swapped for a copy of itself (its folders keep their inodes), and the record
    of the last build is not written again."""
    site = copy_demo(tmp_path / "site")
    first = cli_build(site)
    assert first.changed == first.files == len(contents(site / "_site"))
    before = identities(site)
    assert cache_record(site).relative_to(site).as_posix() in before
    second = cli_build(site)
    assert second == Summary(first.pages, first.files, 0)
    assert identities(site) == before


def test_a_profile_edit_rewrites_exactly_the_files_whose_bytes_it_changes(tmp_path):
    """A retitled paper: its page moves to a new slug; its neighbours, its category, the
    home page and the site's citation files change; every other file keeps its inode and
    time. What changes is what differs between in-memory builds of the two profiles."""
    site = copy_demo(tmp_path / "site")
    cli_build(site)
    old = in_memory(site, tmp_path / "old")
    output = site / "_site"
    before = file_identities(output)
    profile = site / "content" / "profile.txt"
    lines = profile.read_text(encoding="utf-8").split("\n")
    title = lines.index("CLMar 8, 2024") + 1  # a paper with no notes in content/papers/
    lines[title] = "A paper retitled " + lines[title]
    profile.write_text("\n".join(lines), encoding="utf-8")
    new = in_memory(site, tmp_path / "new")
    expected = differing(old, new)
    gone = set(old.files) - set(new.files)
    assert len(expected) > 5 and gone  # more than one page, and a moved one
    summary = cli_build(site)
    assert rewritten(before, output) == expected
    assert summary.changed == len(expected) and summary.files == len(new.files)
    assert contents(output) == new.files  # the old page's files are gone


def test_a_touched_output_file_costs_one_full_build_that_rewrites_nothing(tmp_path):
    """A file whose time changed might have changed: the next build renders the site,
    finds every file's bytes the same and writes none, records the new time, and the
    build after it is skipped again."""
    site = copy_demo(tmp_path / "site")
    cli_build(site)
    output = site / "_site"
    os.utime(output / "index.html", ns=(PAST, PAST))
    before = file_identities(output)
    record = _identity(cache_record(site))
    assert cli_build(site).changed == 0
    assert file_identities(output) == before
    assert _identity(cache_record(site)) != record  # a full build ran and recorded it
    after = identities(site)
    assert cli_build(site).changed == 0
    assert identities(site) == after  # skipped: the touched file is known now


def test_a_deleted_page_folder_an_emptied_file_or_a_deleted_output_is_written_again(
    tmp_path,
):
    site = copy_demo(tmp_path / "site")
    cli_build(site)
    output = site / "_site"
    good = contents(output)
    paper = sorted((output / "papers").iterdir())[0]
    lost = len([path for path in paper.rglob("*") if path.is_file()])
    assert lost >= 4  # its page and three citation files
    shutil.rmtree(paper)
    assert cli_build(site).changed == lost
    assert contents(output) == good
    # Emptied with its modification time put back, as some tools keep times: the size
    # tells.
    page = output / "categories" / "index.html"
    info = page.stat()
    page.write_bytes(b"")
    os.utime(page, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert cli_build(site).changed == 1
    assert contents(output) == good
    shutil.rmtree(output)
    summary = cli_build(site)
    assert summary.changed == summary.files == len(good)
    assert contents(output) == good


def test_a_site_yaml_edit_rebuilds_and_one_that_changes_no_page_rewrites_nothing(tmp_path):
    site = copy_demo(tmp_path / "site")
    cli_build(site)
    output = site / "_site"
    settings = site / "site.yaml"
    # A comment: the settings file changed, so the site is rendered, to the same bytes.
    settings.write_text(settings.read_text(encoding="utf-8") + "# a comment\n",
                        encoding="utf-8")
    before = file_identities(output)
    record = _identity(cache_record(site))
    assert cli_build(site).changed == 0
    assert file_identities(output) == before
    assert _identity(cache_record(site)) != record
    # The full address: canonical URLs on every page, and a sitemap and a feed.
    old = in_memory(site, tmp_path / "old")
    text = settings.read_text(encoding="utf-8")
    assert text.count("base_url: /\n") == 1
    settings.write_text(text.replace("base_url: /\n", "base_url: https://example.org/\n"),
                        encoding="utf-8")
    new = in_memory(site, tmp_path / "new")
    expected = differing(old, new)
    assert {"sitemap.xml", "index.html"} <= expected
    summary = cli_build(site)
    assert rewritten(before, output) == expected
    assert summary.changed == len(expected)
    assert contents(output) == new.files


def test_deleting_the_cache_folder_costs_one_full_build_that_rewrites_nothing(tmp_path):
    site = copy_demo(tmp_path / "site")
    first = cli_build(site)
    output = site / "_site"
    good, before = contents(output), file_identities(output)
    shutil.rmtree(site / CACHE)
    assert cli_build(site) == Summary(first.pages, first.files, 0)
    assert file_identities(output) == before and contents(output) == good
    assert cache_record(site).is_file()  # made again: the next build is skipped
    after = identities(site)
    assert cli_build(site).changed == 0
    assert identities(site) == after


# -- a large site: workers and chunks -------------------------------------------------------


@dataclass(frozen=True)
class Large:
    site: Path  # built with --jobs 2 into its _site/, whose record is in its cache
    memory: BuildResult  # build(keep_files=True) of the same site
    one_job: Path  # the output of --jobs 1
    summaries: dict[str, Summary]
    forks: dict[str, int]


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Large:
    """A site of 600 synthetic papers built three ways: in memory, and by the command line
    with one process and with two (this one and a forked worker)."""
    root = tmp_path_factory.mktemp("large")
    site = make_site(root / "site", synth_profile(PAPERS), LARGE_YAML)
    memory = in_memory(site, root / "memory")
    assert len(memory.model.routes) > PARALLEL_ROUTES
    summaries, forks = {}, {}
    with counted_forks() as forked:
        summaries["1"] = cli_build(site, "--jobs", "1", "-o", str(root / "one"))
    forks["1"] = len(forked)
    with counted_forks() as forked:
        summaries["2"] = cli_build(site, "--jobs", "2")
    forks["2"] = len(forked)
    return Large(site, memory, root / "one", summaries, forks)


def copied_site(large: Large, folder: Path) -> Path:
    """A copy of the large site with its output, for a test that changes it."""
    shutil.copytree(large.site, folder, symlinks=True)
    return folder


def test_two_jobs_fork_a_worker_and_write_the_bytes_of_one_job_and_of_the_memory_build(
    large,
):
    assert large.forks == {"1": 0, "2": 1}
    one, two = contents(large.one_job), contents(large.site / "_site")
    assert two == one == large.memory.files
    pages = sum(1 for path in large.memory.files if path.endswith(".html"))
    everything = Summary(pages, len(large.memory.files), len(large.memory.files))
    assert large.summaries == {"1": everything, "2": everything}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_pages_listing_every_paper_are_written_in_chunks_whole_and_as_in_memory(large, jobs):
    output = large.one_job if jobs == "1" else large.site / "_site"
    slugs = [view.paper.slug for view in large.memory.model.papers]
    assert len(slugs) == PAPERS >= LARGE_LIST
    for path in STREAMED:
        data = (output / path).read_bytes()
        assert len(data) > CHUNK, path  # more than one chunk
        assert data == large.memory.files[path], path
        data.decode("utf-8")  # no character cut between chunks
    home = (output / "publications/index.html").read_text(encoding="utf-8")
    assert home.startswith("<!DOCTYPE html>\n") and home.endswith("</html>\n")
    assert home.count("<html") == home.count("</html>") == 1
    assert home.count("<body") == home.count("</body>") == 1
    for slug in slugs:
        assert f'href="/folio/papers/{slug}/"' in home, slug
    feed = ElementTree.fromstring((output / "feed.xml").read_bytes())
    assert len(feed.findall("{http://www.w3.org/2005/Atom}entry")) == PAPERS
    sitemap = ElementTree.fromstring((output / "sitemap.xml").read_bytes())
    locations = {loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert {f"https://example.org/folio/papers/{slug}/" for slug in slugs} <= locations
    assert len(json.loads((output / "papers.json").read_bytes())) == PAPERS
    bibtex = (output / "papers.bib").read_text(encoding="utf-8")
    assert len(re.findall(r"^@\w+\{", bibtex, flags=re.M)) == PAPERS


def test_a_rebuild_by_workers_rewrites_only_the_files_an_edit_changes_chunked_pages_too(
    large, tmp_path,
):
    """With no record of the last build (a copied site), workers compare every file with
    the output, chunked pages included, and write none; after an abstract edit they write
    exactly the files whose bytes differ, and their record lets the next build stop."""
    site = copied_site(large, tmp_path / "site")
    output = site / "_site"
    before = file_identities(output)
    with counted_forks() as forked:
        assert cli_build(site, "--jobs", "2").changed == 0
    assert len(forked) == 1
    assert file_identities(output) == before
    profile = site / "content" / "profile.txt"
    text = profile.read_text(encoding="utf-8")
    paper = large.memory.model.papers[PAPERS // 3].paper  # in the middle of the site
    assert text.count(paper.abstract) == 1
    profile.write_text(text.replace(paper.abstract, "Revised. " + paper.abstract),
                       encoding="utf-8")
    new = in_memory(site, tmp_path / "new")
    expected = differing(large.memory, new)
    # Chunked pages that change (the home page's search text) and that do not (BibTeX
    # holds no abstract): both ways through the comparison of a chunked page.
    assert set(STREAMED) & expected and set(STREAMED) - expected
    assert f"papers/{paper.slug}/index.html" in expected
    with counted_forks() as forked:
        summary = cli_build(site, "--jobs", "2")
    assert len(forked) == 1
    assert rewritten(before, output) == expected
    assert summary.changed == len(expected)
    assert contents(output) == new.files
    after = identities(site)
    assert cli_build(site, "--jobs", "2").changed == 0
    assert identities(site) == after  # skipped: the workers' record matches the output


def test_a_template_error_in_the_build_process_share_is_reported_and_keeps_site_and_cache(
    large, tmp_path,
):
    """The newest paper's page fails: it is in the first share of the site, the one the
    build process renders itself while a worker renders the rest. The error names the
    template's file and line, the build exits 1, the last site and the record of its
    build stay as they were, with nothing left beside them, and once the template is
    gone the next build is skipped."""
    site = copied_site(large, tmp_path / "site")
    assert cli_build(site, "--jobs", "2").changed == 0  # a record for this folder
    output = site / "_site"
    kept = {"output": identities(output), "cache": identities(site / CACHE)}
    names = sorted(path.name for path in site.iterdir())
    template = site / "templates" / "paper.html"
    template.parent.mkdir()
    template.write_text(
        '{% extends "theme/paper.html" %}\n{% block content %}{{ super() }}\n'
        "{% if newer is none %}{{ no_such_name }}{% endif %}{% endblock %}\n",
        encoding="utf-8")
    with counted_forks() as forked:
        code, out, err = run(site, "--jobs", "2")
    assert len(forked) == 1
    assert code == 1 and out == ""
    found = re.search(rf"^{re.escape(str(template))}:3:1: while rendering papers/([^/]+)/"
                      r"index\.html", err, flags=re.M)
    assert found, err
    page = large.memory.files[f"papers/{found[1]}/index.html"]
    assert b'class="pager-newer"' not in page and b'class="pager-older"' in page
    assert "'no_such_name' is undefined" in err and "Traceback" not in err
    assert {"output": identities(output), "cache": identities(site / CACHE)} == kept
    assert sorted(path.name for path in site.iterdir()) == sorted([*names, "templates"])
    shutil.rmtree(template.parent)
    assert cli_build(site, "--jobs", "2").changed == 0
    assert {"output": identities(output), "cache": identities(site / CACHE)} == kept

