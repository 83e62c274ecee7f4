"""Every link of every page leads somewhere: internal links to files of the build under
the base path (and to ids that exist), external ones are absolute; over HTTP every
internal link answers 200; in the browser no page asks any other host for anything."""

from __future__ import annotations

import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from sitekit import PAGE_TYPES, BuiltSite, check_links, http_status


def test_every_link_resolves_to_a_file_of_the_build(site):
    problems, internal = check_links(site.built)
    assert internal, f"{site.name}: found no internal link at all"
    assert not problems, f"{len(problems)} broken link(s):\n" + "\n".join(problems)


def _some(pages: list[str]) -> str:
    unique = sorted(set(pages))
    more = f" and {len(unique) - 3} more" if len(unique) > 3 else ""
    return ", ".join(unique[:3]) + more


def test_every_internal_link_answers_200_over_http(site):
    _, internal = check_links(site.built)
    for file in site.built.html_files():
        if file.name != "404.html":
            internal.setdefault(site.built.page_path(file), []).append("(the page itself)")
    urls = sorted(internal)
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = dict(zip(urls, pool.map(lambda p: http_status(site.url(p)), urls), strict=True))
    failures = [
        f"{site.name}: {path} answered {code}; linked from {_some(internal[path])}"
        for path, code in statuses.items()
        if code != 200
    ]
    assert not failures, f"{len(failures)} internal URL(s) not served:\n" + "\n".join(failures)


def test_missing_address_answers_404_with_the_404_page(site):
    url = site.page_url("404")
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(url, timeout=10)
    with raised.value as answer:
        body = answer.read()
    assert answer.code == 404, f"{site.name}: {url} answered {answer.code}, expected 404"
    page = site.built.output / "404.html"
    assert body == page.read_bytes(), f"{site.name}: {url} did not answer with {page}"


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_page_requests_nothing_from_other_hosts(site, page_type, open_page):
    page, response, requested = open_page(site.page_url(page_type))
    expected = 404 if page_type == "404" else 200
    assert response is not None and response.status == expected, (
        f"{site.name} {page_type} page {site.pages[page_type]} answered "
        f"{response.status if response else None}, expected {expected}"
    )
    elsewhere = [url for url in requested if not url.startswith(site.origin + "/")]
    assert not elsewhere, (
        f"{site.name} {page_type} page {site.pages[page_type]} requested other hosts:\n"
        + "\n".join(elsewhere)
    )
    assert len(requested) > 1, f"{site.name} {page_type}: loaded no stylesheet or icon"


def test_link_checker_reports_every_kind_of_broken_link(tmp_path):
    """The checker itself: each broken link below is reported, naming page and line."""
    out = tmp_path / "out"
    (out / "papers" / "a").mkdir(parents=True)
    (out / "papers" / "a" / "index.html").write_text('<h1 id="top">A</h1>', encoding="utf-8")
    (out / "index.html").write_text(
        "\n".join(
            [
                '<a href="/base/papers/a/#top">fine</a>',
                '<a href="/base/papers/a/#nowhere">missing id</a>',
                '<a href="/base/papers/b/">missing page</a>',
                '<a href="/papers/a/">outside the base path</a>',
                '<a href="/base/papers/a">folder without slash</a>',
                '<a href="javascript:void(0)">script</a>',
                '<a href="#here">missing id here</a>',
                '<img src="//cdn.example.com/x.png" alt="">',
                '<a href="papers/a/">relative, fine</a>',
                '<a href="https://example.org/">external, fine</a>',
                '<a href="mailto:a@example.org">mail, fine</a>',
            ]
        ),
        encoding="utf-8",
    )
    (out / "404.html").write_text('<a href="papers/a/">relative</a>', encoding="utf-8")
    problems, internal = check_links(BuiltSite("t", out, "https://example.org/base/", "/base/"))
    lines = sorted(p.split(": ")[0] for p in problems)
    assert lines == ["t:404.html:1"] + [f"t:index.html:{n}" for n in (2, 3, 4, 5, 6, 7, 8)]
    assert set(internal) == {"/base/papers/a/", "/base/papers/b/", "/base/papers/a", "/base/"}
    assert internal["/base/papers/b/"] == ["t:index.html"]
