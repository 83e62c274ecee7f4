"""What machines follow, served as GitHub Pages serves a project site (under /<repo>/):
every URL in the sitemap, the feeds, the head metadata and the citation downloads answers
200; the 404 page loads its assets from any depth; the copy button copies the BibTeX."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from sitekit import http_status

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


class _Urls(HTMLParser):
    """URLs for machines in a page: link hrefs, URL-valued meta tags, JSON-LD urls."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self._json: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        key = attrs.get("name") or attrs.get("property") or ""
        if tag == "link" and attrs.get("href"):
            self.urls.append(attrs["href"])
        elif tag == "meta" and key.endswith(("url", ":image")):
            self.urls.append(attrs["content"])
        elif tag == "a" and "download" in attrs:
            self.urls.append(attrs["href"])
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._json = []

    def handle_data(self, data):
        if self._json is not None:
            self._json.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._json is not None:
            self.urls += _json_urls(json.loads("".join(self._json)))
            self._json = None


def _json_urls(value) -> list[str]:
    if isinstance(value, dict):
        return [u for k, v in value.items() for u in
                ([v] if k in ("url", "mainEntityOfPage", "image", "contentUrl")
                 and isinstance(v, str) else _json_urls(v))]
    if isinstance(value, list):
        return [u for item in value for u in _json_urls(item)]
    return []


def _local(site, url: str, page: str) -> str | None:
    """The local address of a URL of the site (absolute or not); None for other hosts."""
    absolute = urljoin(site.built.base_url + page.removeprefix(site.built.base_path), url)
    origin = urlsplit(site.built.base_url)
    parts = urlsplit(absolute)
    if (parts.scheme, parts.netloc) != (origin.scheme, origin.netloc):
        return None
    assert parts.path.startswith(site.built.base_path), url
    return site.url(parts.path)


def test_every_url_for_machines_answers_200(site):
    output = site.built.output
    urls: dict[str, str] = {}  # local URL -> where it was found
    for file in site.built.html_files():
        page = site.built.page_path(file)
        parser = _Urls()
        parser.feed(file.read_text(encoding="utf-8"))
        for url in parser.urls:
            local = _local(site, url, page)
            if local is not None:
                urls.setdefault(local, site.built.shown(file))
    feeds = [output / "feed.xml", *output.glob("categories/*/feed.xml")]
    assert len(feeds) == 1 + len(site.model.categories)
    for feed in feeds:
        for element in ET.parse(feed).getroot().iter():
            if element.tag == f"{ATOM}link" or element.tag == f"{ATOM}id":
                url = element.get("href") or element.text
                urls.setdefault(_local(site, url, "/"), site.built.shown(feed))
    locs = [e.text for e in ET.parse(output / "sitemap.xml").getroot().iter(f"{SITEMAP}loc")]
    assert len(locs) == len(site.built.html_files()) - 1  # every page but 404.html
    for loc in locs:
        urls.setdefault(_local(site, loc, "/"), "sitemap.xml")
    for name in ("papers.bib", "papers.ris", "papers.json"):
        urls.setdefault(site.url(site.built.base_path + name), "footer")
    assert len(urls) > 4 * len(site.model.papers)
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = dict(zip(urls, pool.map(http_status, urls), strict=True))
    failures = [f"{url} answered {code}; found in {urls[url]}"
                for url, code in statuses.items() if code != 200]
    assert not failures, f"{len(failures)} URL(s) not served:\n" + "\n".join(failures)


def test_the_404_page_loads_its_assets_at_any_depth(site, open_page):
    url = site.url(site.built.base_path + "a/deeply/nested/missing/page/")
    page, response, requested = open_page(url)
    assert response is not None and response.status == 404
    assets = [u for u in requested if u != url]
    assert any(u.endswith("/assets/style.css") for u in assets), requested
    statuses = {u: http_status(u) for u in assets}
    assert all(code == 200 for code in statuses.values()), statuses
    margin = page.evaluate("getComputedStyle(document.body).marginTop")
    assert margin == "0px"  # the stylesheet applied (a browser's own is 8px), in every theme


def test_the_copy_button_copies_the_bibtex(site, browser):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(site.page_url("paper"), wait_until="load")
        button = page.locator("button.copy-button")
        assert button.is_visible() and button.inner_text() == "Copy BibTeX"
        button.click()
        page.wait_for_function("document.getElementById('copy-status').textContent !== ''")
        assert page.inner_text("#copy-status") == "Copied to the clipboard."
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == page.eval_on_selector("#bibtex", "e => e.textContent")
        assert re.match(r"@(misc|inproceedings|article)\{", copied) and errors == []
    finally:
        context.close()


def test_without_javascript_the_bibtex_is_there_and_the_button_is_not(site, browser):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site.page_url("paper"), wait_until="load")
        assert not page.locator("button.copy-button").is_visible()
        assert re.match(r"@(misc|inproceedings|article)\{", page.inner_text("#bibtex"))
    finally:
        context.close()
