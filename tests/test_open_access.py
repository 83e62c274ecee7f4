"""A synced work's open-access copy (#26): OpenAlex's `open_access.oa_url`, written by
`scholarfolio sync` as `custom.open-access-url` in content/synced.json, is the paper's PDF
(or an Open access button) on its card and page, below what the researcher wrote: their
own `pdf`, in a per-paper file or their .bib, wins; the merge with their entry keeps it."""

from __future__ import annotations

import json
import re
from pathlib import Path

from generator.sources.csljson import read_csljson

from . import test_metrics
from .test_metrics import LISTING, built

synced = test_metrics.synced  # the fixture: a site synced from the recorded responses

SLUG = "the-state-of-oa-a-large-scale-analysis-of-the-prevalence-and"
PAGE = f"papers/{SLUG}/index.html"
OA = "https://peerj.com/articles/4375.pdf"  # the recorded work's oa_url
DOI = "10.7717/peerj.4375"


def buttons(html: str) -> dict[str, str]:
    """The paper page's link buttons: label -> href (the first paper's, on a listing)."""
    links = html.split('<ul class="paper-links"', 1)[1].split("</ul>", 1)[0]
    return {label: href for href, label in re.findall(
        r'<a class="button[^"]*" href="([^"]+)"[^>]*><svg.*?</svg>([^<]+)<', links, re.S)}


def card(listing: str, slug: str) -> str:
    found = re.search(rf'<li[^>]*>(?:(?!</li>).)*?href="/papers/{slug}/"'
                      r'(?:(?!<ul class="paper-links").)*<ul class="paper-links".*?</ul>',
                      listing, re.S)
    assert found, f"no card of {slug}"
    return found.group(0)


def test_the_synced_open_access_pdf_is_the_papers_pdf_on_its_page_and_card(synced):
    page = built(synced, page=PAGE)
    assert buttons(page)["PDF"] == OA
    listing = (synced / "_site" / LISTING).read_text("utf-8")
    assert f'href="{OA}"' in card(listing, SLUG)


def test_the_researchers_own_pdf_wins_over_the_open_access_copy(synced):
    folder = synced / "content" / "papers"
    folder.mkdir(exist_ok=True)
    (folder / f"{SLUG}.md").write_text("---\npdf: https://example.org/mine.pdf\n---\n", "utf-8")
    page = built(synced, page=PAGE)
    assert buttons(page)["PDF"] == "https://example.org/mine.pdf"
    assert OA not in page


def test_the_merge_with_the_researchers_own_entry_keeps_the_open_access_copy(synced):
    bib = synced / "content" / "mine.bib"
    bib.write_text("@article{piwowar2018,\n  title = {The state of OA: a large-scale analysis "
                   "of the prevalence and impact of Open Access articles},\n  author = "
                   "{Piwowar, Heather and Priem, Jason},\n  journal = {PeerJ (mine)},\n"
                   f"  year = {{2018}},\n  doi = {{{DOI}}}\n}}\n", "utf-8")
    page = built(synced, page=PAGE)
    assert "PeerJ (mine)" in page and buttons(page)["PDF"] == OA
    bib.write_text(bib.read_text("utf-8").replace("  year", "  pdf = {https://example.org/"
                                                  "own.pdf},\n  year"), "utf-8")
    page = built(synced, page=PAGE)
    assert buttons(page)["PDF"] == "https://example.org/own.pdf" and OA not in page


def _set_oa(root: Path, value: str) -> None:
    path = root / "content" / "synced.json"
    items = json.loads(path.read_text("utf-8"))
    for item in items:
        if item.get("DOI") == DOI:
            item["custom"]["open-access-url"] = value
    path.write_text(json.dumps(items), "utf-8")


def test_an_open_access_page_that_is_no_pdf_is_an_open_access_button(synced):
    _set_oa(synced, "https://europepmc.org/articles/PMC5815332")
    assert buttons(built(synced, page=PAGE))["Open access"] == (
        "https://europepmc.org/articles/PMC5815332")


def test_an_open_access_address_that_is_the_dois_is_not_shown_twice(synced):
    _set_oa(synced, f"https://doi.org/{DOI}")
    shown = buttons(built(synced, page=PAGE))
    assert "Open access" not in shown and "PDF" not in shown and shown["DOI"]


def test_an_open_access_value_that_is_no_web_address_is_no_link(tmp_path):
    path = tmp_path / "works.json"
    path.write_text(json.dumps([{"id": "w", "type": "article-journal", "title": "T",
                                 "issued": {"date-parts": [[2020]]},
                                 "custom": {"open-access-url": "javascript:alert(1)"}},
                                {"id": "v", "type": "article-journal", "title": "U",
                                 "issued": {"date-parts": [[2020]]},
                                 "custom": {"open-access-url": OA}}]), "utf-8")
    entries, _ = read_csljson(path, "works.json")
    assert [e.paper_fields for e in entries] == [(), (("open_access", OA),)]
