"""Every href a page makes of a DOI or an address is a valid URL: what a URL may not hold
raw (a SICI DOI's `<`, `>`, `[`, `]`; a space; a `%` that starts no escape) is
percent-encoded by the one link rule (links.escaped, links.doi_url). The DOIs are real:
Wiley's SICI DOIs in nilearn's bibliography (tests/fixtures/bib/nilearn-references.bib)
and the Entomological Society's in the recorded ORCID works (tests/fixtures/sync/)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import unquote

import pytest

from generator.build import build
from generator.links import doi_url, escaped

FIXTURES = Path(__file__).resolve().parent / "fixtures"
#: What the WHATWG URL standard lets a URL's path hold, besides escapes.
_VALID_PATH = re.compile(r"[A-Za-z0-9!$&'()*+,\-./:;=?@_~]*")
REAL_DOIS = (
    "10.1002/(SICI)1097-0193(1999)8:4<272::AID-HBM10>3.0.CO;2-4",  # nilearn's Fischl1999
    "10.1002/(SICI)1097-0193(1997)5:4<238::AID-HBM6>3.0.CO;2-4",  # nilearn's Lancaster1997
    "10.1603/0046-225X(2008)37[808:ROHBHA]2.0.CO;2",  # ORCID put-code 5295436
)


@pytest.mark.parametrize("doi", REAL_DOIS)
def test_a_doi_a_url_may_not_hold_raw_becomes_a_valid_doi_org_link(doi):
    url = doi_url(doi)
    path = url.removeprefix("https://doi.org/")
    assert _VALID_PATH.fullmatch(re.sub(r"%[0-9A-F]{2}", "", path)), url
    assert unquote(path) == doi  # the same DOI, as doi.org reads it


def test_a_doi_with_a_hash_or_a_question_mark_stays_one_path():
    assert doi_url("10.1000/a#b?c%d") == "https://doi.org/10.1000/a%23b%3Fc%25d"


@pytest.mark.parametrize(("address", "href"), [
    ("https://doi.org/10.1603/0046-225X(2008)37[808:ROHBHA]2.0.CO;2",
     "https://doi.org/10.1603/0046-225X(2008)37%5B808:ROHBHA%5D2.0.CO;2"),
    ("http://dx.doi.org/10.1002/(SICI)1521-4117(199910)16:5<238::AID-PPSC238>3.0.CO;2-E",
     "http://dx.doi.org/10.1002/(SICI)1521-4117(199910)16:5%3C238::AID-PPSC238%3E3.0.CO;2-E"),
    ("http://[::1]:8000/a b/[x]?q={1}#top#2", "http://[::1]:8000/a%20b/%5Bx%5D?q=%7B1%7D#top%232"),
    ("https://host/100%/x%20y.pdf", "https://host/100%25/x%20y.pdf"),
    ("/base/assets/pdf/a [draft].pdf", "/base/assets/pdf/a%20%5Bdraft%5D.pdf"),
])
def test_an_address_is_percent_encoded_where_a_url_may_not_hold_it_raw(address, href):
    assert escaped(address) == href
    assert escaped(href) == href  # an escape is kept as written


def test_a_sici_doi_of_a_real_bibliography_is_a_valid_link_on_its_pages(tmp_path):
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    shutil.copyfile(FIXTURES / "bib" / "nilearn-references.bib",
                    site / "content" / "references.bib")
    (site / "site.yaml").write_text("name: Bruce Fischl\nas_of: 2026-01-01\n",
                                    encoding="utf-8")
    build(site)
    pages = {p: p.read_text(encoding="utf-8") for p in (site / "_site").rglob("*.html")}
    wanted = doi_url(REAL_DOIS[0])
    assert "%3C272::AID-HBM10%3E" in wanted
    assert sum(f'href="{wanted}"' in text for text in pages.values()) >= 2  # list, paper
    hrefs = [h for text in pages.values() for h in re.findall(r'href="([^"]*)"', text)]
    raw = [h for h in hrefs if re.search(r"&lt;|&gt;|[\[\] ]", h)]
    assert not raw, raw[:5]


def test_site_yaml_addresses_that_a_url_may_not_hold_raw_are_valid_links(tmp_path):
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    shutil.copyfile(FIXTURES / "bib" / "nilearn-references.bib",
                    site / "content" / "references.bib")
    (site / "site.yaml").write_text(
        "name: Bruce Fischl\nas_of: 2026-01-01\n"
        "links:\n  website: https://example.org/~bruce/my lab/\n"
        "coauthors:\n  Martin I. Sereno: https://example.org/sereno[lab]/\n", encoding="utf-8")
    build(site)
    home = (site / "_site" / "index.html").read_text(encoding="utf-8")
    paper = next((site / "_site" / "papers").glob("high-resolution-intersubject*/index.html"))
    assert 'href="https://example.org/~bruce/my%20lab/"' in home
    assert 'href="https://example.org/sereno%5Blab%5D/"' in paper.read_text(encoding="utf-8")
