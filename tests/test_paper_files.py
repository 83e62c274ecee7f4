"""Files a paper's extras name by a relative path (`pdf: functa.pdf`) are relative to the
extras file, copied beside the paper's page and linked there; a missing one is an error at
its line. A path from the site's root (`/assets/x.pdf`) and a URL stay links."""

from __future__ import annotations

import subprocess
import sys

from .conftest import copy_demo

EXTRAS = "content/papers/neural-processes.md"
PAGE = "papers/neural-processes/"


def build(site) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "build", "-C", str(site)],
                          capture_output=True, text=True, timeout=120)


def test_relative_files_are_copied_beside_the_page_and_linked(tmp_path):
    site = copy_demo(tmp_path / "site")
    (site / "site.yaml").write_text("base_url: https://ana.github.io/site/\n")
    papers = site / "content" / "papers"
    (papers / "files").mkdir()
    (papers / "files" / "np.pdf").write_bytes(b"%PDF-1.4 the paper\n")
    (site / "content" / "np-slides.pdf").write_bytes(b"%PDF-1.4 slides\n")
    (site / EXTRAS).write_text("---\npdf: files/np.pdf\nslides: ../np-slides.pdf\n"
                               "poster: /assets/style.css\n---\n", encoding="utf-8")
    done = build(site)
    assert done.returncode == 0, done.stderr
    output = site / "_site"
    assert (output / PAGE / "files" / "np.pdf").read_bytes() == b"%PDF-1.4 the paper\n"
    assert (output / PAGE / "np-slides.pdf").read_bytes() == b"%PDF-1.4 slides\n"  # by name
    html = (output / PAGE / "index.html").read_text(encoding="utf-8")
    assert 'href="/site/papers/neural-processes/files/np.pdf"' in html
    assert 'href="/site/papers/neural-processes/np-slides.pdf"' in html
    assert 'href="/site/assets/style.css"' in html  # a path in the site, as it was
    assert ('<meta name="citation_pdf_url" content="https://ana.github.io/site/papers/'
            'neural-processes/files/np.pdf">') in html
    assert not (output / "assets" / "np.pdf").exists()


def test_a_file_that_is_not_there_is_an_error_at_its_line(tmp_path):
    site = copy_demo(tmp_path / "site")
    (site / EXTRAS).write_text("---\nvenue: ICML\nthumbnail: np.png\n---\n", encoding="utf-8")
    done = build(site)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert (f"{EXTRAS}:3:12: 'thumbnail' names no file: np.png (looked for "
            f"{(site / 'content' / 'papers' / 'np.png').resolve()}; a path is relative to "
            "this file, and a path in the site starts with /)") in done.stderr
