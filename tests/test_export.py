"""`scholarfolio export`: run in a site folder (or with -C), it reads the site as `build`
does (every source, every per-paper file) and prints byte for byte the site's papers.bib,
papers.ris and papers.json; `--format json` gives the records under the README's key
names. Everything runs through the real command line, in a subprocess."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO, copy_demo, make_site

FILES = {"bibtex": "papers.bib", "ris": "papers.ris", "csljson": "papers.json"}
FIXTURES = REPO / "tests" / "fixtures"
BASE_URL = "https://example.org/portfolio/"
#: A per-paper file correcting the venue and the title of one of al-folio's papers.
CORRECTION = ("---\nvenue: Annalen der Physik\ntitle: On the Electrodynamics of Moving Bodies "
              "(corrected)\n---\n")
CORRECTED = "on-the-electrodynamics-of-moving-bodies"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd,
                          capture_output=True, timeout=120)


def built(site: Path, *options: str) -> Path:
    """The site built by the command line into site/_site."""
    done = run("build", "-q", "-C", str(site), *options, cwd=site)
    assert done.returncode == 0, done.stderr.decode()
    return site / "_site"


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    return copy_demo(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="module")
def mixed(tmp_path_factory) -> Path:
    """A site of a profile, a BibTeX file, a CSL-JSON file and a per-paper file."""
    site = make_site(tmp_path_factory.mktemp("mixed") / "site",
                     FIXTURES / "profiles" / "plain.txt", "as_of: 2026-11-23\n")
    shutil.copyfile(FIXTURES / "bib" / "al-folio.bib", site / "content" / "al-folio.bib")
    shutil.copyfile(FIXTURES / "csl" / "zotero.json", site / "content" / "zotero.json")
    (site / "content" / "papers").mkdir()
    (site / "content" / "papers" / f"{CORRECTED}.md").write_text(CORRECTION, encoding="utf-8")
    return site


@pytest.mark.parametrize("fmt", sorted(FILES))
@pytest.mark.parametrize("name", ["demo", "mixed"])
def test_export_in_a_site_folder_prints_the_built_file_byte_for_byte(request, name, fmt):
    site = request.getfixturevalue(name)
    output = built(site, "--base-url", BASE_URL)
    done = run("export", "--format", fmt, "--base-url", BASE_URL, cwd=site)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout == (output / FILES[fmt]).read_bytes()
    assert done.stdout.count(BASE_URL.encode()) >= 2  # the pages' URLs are in it


def test_export_of_the_demo_is_its_site_by_folder_by_option_and_by_profile(demo, tmp_path):
    output = built(demo)
    expected = (output / "papers.bib").read_bytes()
    by_option = run("export", "--format", "bibtex", "-C", str(demo), cwd=tmp_path)
    by_profile = run("export", "--format", "bibtex", str(demo / "content" / "profile.txt"),
                     cwd=tmp_path)
    assert (by_option.stdout, by_option.returncode) == (expected, 0)
    assert (by_profile.stdout, by_profile.returncode) == (expected, 0)
    assert b"@inproceedings{" in expected  # a per-paper file's venue (not all @misc)


def test_export_of_a_mixed_site_holds_every_source_and_the_correction(mixed):
    done = run("export", "--format", "bibtex", cwd=mixed)
    text = done.stdout.decode("utf-8")
    assert "Annalen der Physik" in text and "(corrected)" in text
    assert "author = {Einstein, Albert}" in text  # al-folio's BibTeX
    assert "title = {Attention is all you need}" in text  # Zotero's CSL-JSON
    assert "title = {Neural Processes}" in text  # the profile


def test_json_export_of_a_site_keeps_the_documented_keys_and_applies_corrections(mixed):
    done = run("export", "--format", "json", cwd=mixed)
    assert done.returncode == 0, done.stderr.decode()
    data = json.loads(done.stdout)
    assert {"name", "category", "metrics", "papers"} <= set(data)
    assert {"h_index", "papers", "citations", "novelty", "ai_score", "extra"} == set(
        data["metrics"])
    papers = {paper["slug"]: paper for paper in data["papers"]}
    assert set(papers) == {path.name for path in (built(mixed) / "papers").iterdir()}
    assert papers[CORRECTED]["title"] == "On the Electrodynamics of Moving Bodies (corrected)"
    assert all(set(paper) >= {"slug", "title", "authors", "author_names", "date", "line"}
               for paper in data["papers"])


def test_export_of_a_profile_outside_a_site_reads_that_file_alone(tmp_path):
    shutil.copyfile(REPO / "content" / "profile.txt", tmp_path / "profile.txt")
    done = run("export", "--format", "bibtex", "--as-of", "2026-11-23", "profile.txt",
               cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode()
    text = done.stdout.decode("utf-8")
    # No per-paper file gives a venue, no site an address.
    assert text.count("@misc{") == 33 and "url = " not in text


def test_export_without_a_site_says_what_was_expected(tmp_path):
    done = run("export", "--format", "bibtex", cwd=tmp_path)
    assert done.returncode == 1 and done.stdout == b""
    assert done.stderr.decode() == (
        f"{tmp_path.resolve()}: no site.yaml; expected a site folder holding site.yaml and "
        "content/ (run export in it, or with -C DIR), or a profile file (export "
        "content/profile.txt)\n")


def test_export_of_an_unknown_format_is_a_usage_message(demo):
    done = run("export", "--format", "docx", cwd=demo)
    assert done.returncode == 2 and done.stdout == b""
    assert b"invalid choice: 'docx'" in done.stderr and b"Traceback" not in done.stderr


def test_export_of_a_folder_and_a_profile_at_once_is_refused(demo):
    done = run("export", "-C", str(demo), "content/profile.txt", cwd=demo)
    assert done.returncode == 1
    assert done.stderr == b"export: give a site folder (-C DIR) or a profile file, not both\n"
