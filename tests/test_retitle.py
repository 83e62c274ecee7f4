"""A paper whose title is corrected keeps its extras and its old address: the file
content/papers/<old-slug>.md is taken for the paper it most likely is (its doi:/arxiv:,
else the one close slug without a file of its own), with a warning, and the old address
redirects to the new. A file that is no paper's is still an error naming the likeliest."""

from __future__ import annotations

import subprocess
import sys

from .conftest import copy_demo

EXTRAS = "content/papers/neural-processes.md"


def build(site) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "build", "-C", str(site)],
                          capture_output=True, text=True, timeout=120)


def retitle(site, old: str, new: str) -> None:
    profile = site / "content" / "profile.txt"
    text = profile.read_text(encoding="utf-8")
    assert f"\n{old}\n" in text
    profile.write_text(text.replace(f"\n{old}\n", f"\n{new}\n"), encoding="utf-8")


def test_a_small_fix_to_a_title_keeps_the_papers_extras_and_its_old_address(tmp_path):
    site = copy_demo(tmp_path / "site")
    (site / EXTRAS).write_text("---\nvenue: ICML 2018 Workshop\n---\nOur notes.\n",
                               encoding="utf-8")
    retitle(site, "Neural Processes", "Neural Processes (NP)")
    done = build(site)
    assert done.returncode == 0, done.stderr
    assert (f"{EXTRAS}:1:1: warning: no paper has the slug 'neural-processes' now: taken "
            "for 'Neural Processes (NP)' (papers/neural-processes-np/)") in done.stderr
    page = (site / "_site/papers/neural-processes-np/index.html").read_text("utf-8")
    assert "ICML 2018 Workshop" in page and "Our notes." in page
    old = (site / "_site/papers/neural-processes/index.html").read_text("utf-8")
    assert 'http-equiv="refresh"' in old and "papers/neural-processes-np/" in old
    sitemap = site / "_site/sitemap.xml"
    assert not sitemap.exists() or "papers/neural-processes/<" not in sitemap.read_text()


def test_a_file_whose_doi_names_a_retitled_paper_follows_it(tmp_path):
    site = copy_demo(tmp_path / "site")
    (site / EXTRAS).write_text("---\ndoi: 10.48550/arXiv.1807.01622\n---\n", encoding="utf-8")
    assert build(site).returncode == 0
    # A new title far from the old: only the DOI, which the new paper's record has too,
    # tells which paper the file is (the DOI came from the extras before, so it is kept
    # on the paper through a bibliography here).
    retitle(site, "Neural Processes", "A Completely Different Name")
    (site / "content" / "np.bib").write_text(
        "@article{np, title = {A Completely Different Name}, author = {Garnelo, Marta}, "
        "year = {2018}, doi = {10.48550/arXiv.1807.01622}}\n", encoding="utf-8")
    done = build(site)
    assert done.returncode == 0, done.stderr
    assert "taken for 'A Completely Different Name'" in done.stderr
    page = (site / "_site/papers/a-completely-different-name/index.html").read_text("utf-8")
    assert "10.48550/arXiv.1807.01622" in page


def test_a_file_that_is_no_papers_is_an_error_naming_the_likeliest(tmp_path):
    site = copy_demo(tmp_path / "site")
    (site / "content/papers/neural-process-families.md").write_text("---\nvenue: X\n---\n",
                                                                    encoding="utf-8")
    done = build(site)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert ("content/papers/neural-process-families.md:1:1: no paper has the slug "
            "'neural-process-families'; did you mean 'neural-processes' (Neural Processes)?"
            ) in done.stderr
