"""Old addresses of a paper (`aliases:` in its extras): each is a valid page that sends
readers and search engines to the paper, unlisted in the sitemap; an alias that is a page
of the site already, or no path in it, is an error naming the file."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sitekit import REPO, run_vnu

EXTRAS = "content/papers/neural-processes.md"


def site_with(tmp_path, aliases: str):
    import shutil

    site = tmp_path / "site"
    shutil.copytree(REPO / "content", site / "content")
    (site / "site.yaml").write_text("base_url: https://ana.github.io/s/\n", encoding="utf-8")
    (site / EXTRAS).write_text(f"---\naliases: {aliases}\n---\n", encoding="utf-8")
    return site


def build(site) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "build", "-C", str(site)],
                          capture_output=True, text=True, timeout=120)


def test_an_old_address_sends_readers_to_the_paper_and_is_not_listed(tmp_path):
    site = site_with(tmp_path, "[papers/neural-processes-2018/, /old/np]")
    done = build(site)
    assert done.returncode == 0, done.stderr
    output = site / "_site"
    pages = [output / "papers" / "neural-processes-2018" / "index.html",
             output / "old" / "np" / "index.html"]
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert '<meta http-equiv="refresh" content="0; url=/s/papers/neural-processes/">' in html
        assert ('<link rel="canonical" href="https://ana.github.io/s/papers/neural-processes/">'
                in html)
        assert '<meta name="robots" content="noindex">' in html
        assert '<a href="/s/papers/neural-processes/">Neural Processes</a>' in html
    assert run_vnu(pages) == []
    sitemap = (output / "sitemap.xml").read_text(encoding="utf-8")
    assert "neural-processes-2018" not in sitemap and "/old/np" not in sitemap


@pytest.mark.parametrize("aliases, message", [
    ("[papers/conditional-neural-processes/]",
     f"{EXTRAS}:2:10: 'aliases' names the address of a paper there is: "
     "papers/conditional-neural-processes/"),
    ("[categories/]", f"{EXTRAS}: 'aliases' names categories/, which is already a page"),
    ("[https://old.example.org/np]", f"{EXTRAS}:2:10: 'aliases' must be a list of paths"),
    ("[../np]", f"{EXTRAS}:2:10: 'aliases' must be a list of paths"),
])
def test_an_alias_that_cannot_be_a_page_is_an_error(tmp_path, aliases, message):
    done = build(site_with(tmp_path, aliases))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert message in done.stderr
