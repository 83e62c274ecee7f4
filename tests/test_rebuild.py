"""Rebuilding a site that was built before: the command line writes only what changed,
writes nothing when nothing changed, patches the output in place for a small change
(finishing a patch a killed build left halfway), and renders a large site over worker
processes with the same bytes as one process."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator import buildcache as cache
from generator.build import build
from generator.output import JOURNAL, MARKER, clean_leftovers, write_site

from .conftest import REPO, copy_demo, make_site
from .synth_profile import write_synth_profile
from .test_build import MINI_PROFILE
from .test_output import PAST, dead_pid, snapshot

DEMO_YAML = "as_of: 2026-11-23\n"


def cli_build(site: Path) -> str:
    """`scholarfolio build` as a user runs it; its summary line."""
    done = subprocess.run([sys.executable, "-m", "generator", "build", "-C", str(site)],
                          cwd=REPO, capture_output=True, text=True, check=True)
    return done.stdout


def aged(folder: Path) -> None:
    """Set every file's modification time far into the past, to see which get rewritten."""
    for path in folder.rglob("*"):
        if path.is_file():
            os.utime(path, ns=(PAST, PAST))


def rewritten(folder: Path) -> list[str]:
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*")
                  if path.is_file() and path.stat().st_mtime_ns != PAST)


@pytest.fixture
def demo(tmp_path) -> Path:
    return copy_demo(tmp_path / "site")


def test_a_second_build_with_nothing_changed_writes_no_file(demo):
    first = cli_build(demo)
    assert "changed" in first
    before = snapshot(demo)  # bytes and modification time of every file, cache included
    second = cli_build(demo)
    assert ", 0 changed)" in second
    assert snapshot(demo) == before
    assert sorted(p.name for p in demo.iterdir()) == [
        cache.FOLDER, "_site", "content", "site.yaml"]


def test_another_release_of_a_dependency_makes_the_next_build_a_full_one(demo, tmp_path):
    # importlib.metadata finds the first dist-info on the path: a folder put first on
    # PYTHONPATH makes the build see another Pygments version, as after an upgrade.
    seen = tmp_path / "other-versions"
    (seen / "pygments-1.0.dist-info").mkdir(parents=True)
    (seen / "pygments-1.0.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: Pygments\nVersion: 1.0\n", encoding="utf-8")
    upgraded = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(seen), *filter(None, [os.environ.get("PYTHONPATH")])])}

    def build_with(env: dict[str, str]) -> dict:
        """The build's record after a build: its digest of the inputs, and when written."""
        subprocess.run([sys.executable, "-m", "generator", "build", "-q", "-C", str(demo)],
                       cwd=REPO, env=env, check=True)
        [record] = (demo / cache.FOLDER).iterdir()
        return {"inputs": json.loads(record.read_text(encoding="utf-8"))["inputs"],
                "written": record.stat().st_mtime_ns}

    first = build_with(dict(os.environ))
    assert build_with(dict(os.environ)) == first  # stopped early: the record untouched
    after = build_with(upgraded)
    assert after["inputs"] != first["inputs"] and after["written"] != first["written"]
    assert build_with(upgraded) == after  # and the new version is what it now records
    assert build_with(dict(os.environ))["inputs"] == first["inputs"]


def test_an_output_file_edited_or_deleted_by_hand_is_written_again(demo):
    cli_build(demo)
    output = demo / "_site"
    page = output / "categories" / "index.html"
    good = page.read_bytes()
    page.write_bytes(good.replace(b"Categories", b"Edited"))
    (output / "404.html").unlink()
    assert ", 2 changed)" in cli_build(demo)
    assert page.read_bytes() == good and (output / "404.html").is_file()


def test_a_changed_abstract_rewrites_only_the_pages_that_show_it(demo):
    cli_build(demo)
    output = demo / "_site"
    aged(output)
    profile = demo / "content" / "profile.txt"
    text = profile.read_text(encoding="utf-8")
    old = "Humans learn powerful representations"
    assert text.count(old) == 1
    profile.write_text(text.replace(old, "Humans, revised, learn"), encoding="utf-8")
    summary = cli_build(demo)
    changed = rewritten(output)
    slug = next(p.parent.name for p in output.glob("papers/*/index.html")
                if b"Humans, revised, learn" in p.read_bytes())
    paper = f"papers/{slug}"
    # Its page, its RIS and CSL-JSON (they hold the abstract), the site's RIS and CSL-JSON
    # and the publications page (the search text of its card), and nothing else: the BibTeX holds no
    # abstract, and category pages and neighbours show no abstract.
    assert set(changed) == {f"{paper}/index.html", f"{paper}/citation.ris",
                            f"{paper}/citation.json", "papers.ris", "papers.json",
                            "publications/index.html"}
    assert f", {len(changed)} changed)" in summary
    assert not [p for p in demo.iterdir() if p.name.startswith("._site.")]
    # The same bytes as a clean build of the same input.
    clean = build(demo, {"output": str(demo.parent / "clean")})
    assert {k: v for k, (v, _) in snapshot(output).items()} == {
        **clean.files, MARKER: (output / MARKER).read_bytes()}


def test_a_patch_killed_halfway_is_finished_by_the_next_build(tmp_path):
    out = tmp_path / "_site"
    files = {"index.html": b"old\n", **{f"p/{i}/index.html": b"x\n" for i in range(40)}}
    write_site(files, out)
    # What a build killed while moving its changed files into place leaves: a staging
    # folder holding the files not yet moved, and the journal of what goes away.
    staging = tmp_path / f"._site.staging-{dead_pid()}-0badc0de"
    (staging / "p" / "new").mkdir(parents=True)
    (staging / "p" / "new" / "index.html").write_bytes(b"new page\n")
    (staging / "index.html").write_bytes(b"new\n")
    (staging / JOURNAL).write_text("p/0/index.html\n", encoding="utf-8")
    clean_leftovers(out)
    assert (out / "index.html").read_bytes() == b"new\n"
    assert (out / "p" / "new" / "index.html").read_bytes() == b"new page\n"
    assert not (out / "p" / "0").exists()  # the file and the folder it left empty
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site"]


def test_a_staging_folder_without_a_journal_is_removed_not_rolled_forward(tmp_path):
    out = tmp_path / "_site"
    write_site({"index.html": b"old\n"}, out)
    staging = tmp_path / f"._site.staging-{dead_pid()}-0badc0de"
    staging.mkdir()
    (staging / "index.html").write_bytes(b"half-built\n")
    clean_leftovers(out)
    assert (out / "index.html").read_bytes() == b"old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site"]


def test_a_large_site_built_by_workers_or_one_streaming_process_matches_in_memory(tmp_path):
    # 800 papers: over 2,000 routes, so workers render
    profile = write_synth_profile(tmp_path / "profile.txt", 800)
    site = make_site(tmp_path / "site", profile,
                     "as_of: 2026-11-23\nbase_url: https://example.org/folio/\n")
    summary = cli_build(site)
    # The build's record holds each file's size and time as the processes wrote them:
    # the same as the file system says, so the next build can stop early.
    [record] = (site / cache.FOLDER).iterdir()
    recorded = json.loads(record.read_text(encoding="utf-8"))["files"]
    assert len(recorded) > 3000
    for relative, (size, mtime) in recorded.items():
        info = (site / "_site" / relative).lstat()
        assert (size, mtime) == (info.st_size, info.st_mtime_ns), relative
    in_process = build(site, {"output": str(tmp_path / "one")})
    assert len(in_process.model.routes) >= 2000
    built = snapshot(site / "_site")
    assert {k: v for k, (v, _) in built.items() if k != MARKER} == in_process.files
    assert f"({len(in_process.files)} files, {len(in_process.files)} changed)" in summary
    # One process, lists of 800 papers written in chunks as they are rendered: the same.
    subprocess.run([sys.executable, "-m", "generator", "build", "-q", "-j", "1", "-C",
                    str(site), "-o", str(tmp_path / "one-job")], cwd=REPO, check=True)
    one_job = snapshot(tmp_path / "one-job")
    assert {k: v for k, (v, _) in one_job.items() if k != MARKER} == in_process.files
    # Three processes (this one and two workers), each starting on its own share.
    subprocess.run([sys.executable, "-m", "generator", "build", "-q", "-j", "3", "-C",
                    str(site), "-o", str(tmp_path / "three-jobs")], cwd=REPO, check=True)
    three = snapshot(tmp_path / "three-jobs")
    assert {k: v for k, (v, _) in three.items() if k != MARKER} == in_process.files


def test_a_template_error_in_a_multi_process_build_names_the_line_and_keeps_the_site(tmp_path):
    """The oldest paper's page fails: it is in the second half of the site, the worker's
    share, so the error crosses processes and is still reported as a template error,
    and the last good site stays as it was with nothing beside it."""
    profile = write_synth_profile(tmp_path / "profile.txt", 800)
    site = make_site(tmp_path / "site", profile, "as_of: 2026-11-23\n")
    cli_build(site)
    before = snapshot(site / "_site")
    (site / "templates").mkdir()
    (site / "templates" / "paper.html").write_text(
        '{% extends "theme/paper.html" %}\n{% block content %}{{ super() }}\n'
        "{% if older is none %}{{ no_such_name }}{% endif %}{% endblock %}\n",
        encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "generator", "build", "-j", "2", "-C",
                           str(site)], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 1
    template = site / "templates" / "paper.html"
    assert f"{template}:3:1: while rendering papers/" in done.stderr
    assert "'no_such_name' is undefined" in done.stderr
    assert "Traceback" not in done.stderr
    assert snapshot(site / "_site") == before
    assert sorted(p.name for p in site.iterdir()) == [
        ".scholarfolio-cache", "_site", "content", "site.yaml", "templates"]


def test_the_cache_is_ignored_when_it_is_not_valid_json(demo):
    cli_build(demo)
    for path in (demo / cache.FOLDER).iterdir():
        path.write_text("{not json", encoding="utf-8")
    (demo / "_site" / "404.html").unlink()
    cli_build(demo)
    assert (demo / "_site" / "404.html").is_file()


def test_a_build_of_the_minimal_profile_then_the_demo_swaps_in_the_new_site(tmp_path):
    site = make_site(tmp_path / "site", MINI_PROFILE, DEMO_YAML)
    cli_build(site)
    shutil.copyfile(REPO / "content" / "profile.txt", site / "content" / "profile.txt")
    cli_build(site)  # almost every file changes: staged whole and swapped in
    assert len(list((site / "_site" / "papers").iterdir())) == 33
    assert not [p for p in site.iterdir() if p.name.startswith("._site.")]


def test_a_file_that_was_a_folder_is_swapped_in_whole_not_patched(tmp_path):
    out = tmp_path / "_site"
    files = {f"p/{i}/index.html": b"x\n" for i in range(40)}
    write_site({**files, "feed/index.html": b"a folder before\n"}, out)
    assert write_site({**files, "feed": b"a file now\n"}, out) == 1
    assert (out / "feed").read_bytes() == b"a file now\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site"]
