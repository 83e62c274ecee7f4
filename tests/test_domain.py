"""A custom domain for GitHub Pages: `domain:` in site.yaml or a CNAME file in static/ is
written to the site as CNAME and gives the base URL https://<domain>/; a build for another
address says how to make GitHub serve the domain."""

from __future__ import annotations

import subprocess
import sys

import pytest

from generator.config import load_config
from generator.errors import ConfigError

from .conftest import copy_demo


def site_with(tmp_path, site_yaml: str = "", cname: str | None = None):
    site = copy_demo(tmp_path / "site")
    (site / "site.yaml").write_text(site_yaml, encoding="utf-8")
    if cname is not None:
        (site / "static").mkdir()
        (site / "static" / "CNAME").write_text(cname, encoding="utf-8")
    return site


def build(site, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "build", "-C", str(site), *args],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("site_yaml, cname", [("domain: www.ana.org\n", None),
                                              ("", "www.ana.org\n"),
                                              ("domain: WWW.Ana.org.\n", "www.ana.org")])
def test_a_domain_is_written_as_cname_and_is_the_sites_address(tmp_path, site_yaml, cname):
    site = site_with(tmp_path, site_yaml, cname)
    done = build(site)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    output = site / "_site"
    assert (output / "CNAME").read_text(encoding="utf-8") == "www.ana.org\n"
    assert not (output / "assets" / "CNAME").exists()  # static/CNAME is not an asset
    home = (output / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://www.ana.org/">' in home
    assert 'href="/assets/style.css"' in home
    assert "<loc>https://www.ana.org/papers/" in (output / "sitemap.xml").read_text()


def test_the_address_configure_pages_gives_for_the_domain_agrees(tmp_path):
    site = site_with(tmp_path, "domain: www.ana.org\n")
    done = build(site, "--base-url", "https://www.ana.org/")
    assert done.returncode == 0 and done.stderr == ""


def test_a_build_for_another_address_keeps_it_and_says_how_to_serve_the_domain(tmp_path):
    # Until the domain is set in Settings → Pages, configure-pages gives github.io: the
    # site is built for the address it is served at, so that every link works there.
    site = site_with(tmp_path, "domain: www.ana.org\n")
    done = build(site, "--base-url", "https://ana.github.io/mysite/")
    assert done.returncode == 0
    assert done.stderr.strip() == (
        "note: the site's domain is www.ana.org, but it is built for "
        "https://ana.github.io/mysite/ (base_url); on GitHub Pages, set www.ana.org in the "
        "repository's Settings → Pages → Custom domain, and the workflow builds the site "
        "for it")
    home = (site / "_site" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://ana.github.io/mysite/">' in home
    assert (site / "_site" / "CNAME").read_text() == "www.ana.org\n"


@pytest.mark.parametrize("site_yaml, cname, message", [
    ("domain: https://www.ana.org/\n", None,
     "site.yaml:1:9: 'domain' must be a host name such as www.example.org, found "
     "'https://www.ana.org/'; write the host alone: www.ana.org"),
    ("domain: ana\n", None, "site.yaml:1:9: 'domain' must be a host name"),
    ("", "www.ana.org\n\nana.org\n", "static/CNAME:3:1: CNAME must hold one host name such "
     "as www.example.org, found 2 lines"),
    ("", "\n\nhttps://x.org", "static/CNAME:3:1: CNAME must be a host name such as "
     "www.example.org, found 'https://x.org'; write the host alone: x.org"),
    ("", "", "static/CNAME:1:1: CNAME must hold one host name such as www.example.org, "
     "found 0 lines"),
    ("domain: ana.org\n", "www.ana.org", "site.yaml:1:9: 'domain' is ana.org, but "
     "static/CNAME says www.ana.org; keep one of them"),
])
def test_a_wrong_domain_is_an_error_naming_the_file(tmp_path, site_yaml, cname, message):
    site = site_with(tmp_path, site_yaml, cname)
    with pytest.raises(ConfigError) as raised:
        load_config(site)
    assert str(raised.value).replace(str(site) + "/", "").startswith(message)
    done = build(site)
    assert done.returncode == 1 and "Traceback" not in done.stderr


def test_no_domain_no_cname(tmp_path):
    site = site_with(tmp_path, "base_url: https://ana.github.io/mysite/\n")
    assert build(site).returncode == 0
    assert not (site / "_site" / "CNAME").exists()
    assert load_config(site).domain is None
