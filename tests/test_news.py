"""News (`content/news/*.md`, a date in front matter): the newest few on the home page,
all on /news/ (newest first), in the Atom feed and the sitemap; a missing or impossible
date is an error at its line."""

from __future__ import annotations

import pytest
from lxml import etree

from generator.build import build
from generator.errors import SiteError

from .conftest import copy_demo

NEWS = {
    "a": "---\ndate: 2026-05-10\ntitle: The report is out\n---\nRead [it](https://x.org/).\n",
    "b": "---\ndate: 2025-12-01\n---\nA talk at **NeurIPS**.\n",
    "c": "---\ndate: 2024-03-01\n---\nJoined a team.\n",
    "d": "---\ndate: 2019-06-01\n---\nOld news.\n",
}


def site_with_news(tmp_path, news=NEWS):
    site = copy_demo(tmp_path / "site")
    folder = site / "content" / "news"
    folder.mkdir()
    for name, text in news.items():
        (folder / f"{name}.md").write_text(text, encoding="utf-8")
    return site


def test_the_home_page_shows_the_newest_three_and_news_lists_them_all(tmp_path):
    result = build(site_with_news(tmp_path), {"as_of": "2026-11-23"})
    home = result.files["index.html"].decode()
    section = home.split('id="news-heading"')[1].split("</section>")[0]
    assert [name for name in "abcd" if f'id="{name}"' in section] == ["a", "b", "c"]
    assert '<h3 class="news-title">The report is out</h3>' in section
    assert '<a href="/news/">All news</a>' in section
    page = result.files["news/index.html"].decode()
    order = [page.index(f'id="{name}"') for name in "abcd"]
    assert order == sorted(order)
    assert "<strong>NeurIPS</strong>" in page
    assert '<a href="/news/" aria-current="page">News</a>' in page


def test_news_is_in_the_feed_by_date_and_dates_the_news_page_in_the_sitemap(tmp_path):
    result = build(site_with_news(tmp_path), {"as_of": "2026-11-23",
                                              "base_url": "https://ana.github.io/"})
    feed = result.files["feed.xml"].decode()
    assert "<id>https://ana.github.io/news/#a</id>" in feed
    assert "<title>The report is out</title>" in feed
    # 2026-05-10 is as new as the newest paper: news and papers are in one date order.
    ids = [part.split("</id>")[0] for part in feed.split("<entry>\n    <id>")[1:]]
    assert ids.index("https://ana.github.io/news/#b") < ids.index(
        "https://ana.github.io/news/#c")
    sitemap = result.files["sitemap.xml"].decode()
    assert "<loc>https://ana.github.io/news/</loc><lastmod>2026-05-10</lastmod>" in sitemap


def test_control_characters_in_news_keep_the_feed_well_formed_xml(tmp_path):
    news = {"a": "---\ndate: 2026-05-10\n---\nA bell\x07 and a form feed\x0c here.\n"}
    result = build(site_with_news(tmp_path, news), {"as_of": "2026-11-23",
                                                    "base_url": "https://ana.github.io/"})
    feed = result.files["feed.xml"]
    root = etree.fromstring(feed)  # strict XML: a control character is a fatal error
    assert b"A bell[U+0007] and a form feed" in feed
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"


def test_news_without_a_headline_is_titled_in_the_feed_with_its_text_not_its_markdown(
        tmp_path):
    news = {"a": "---\ndate: 2026-05-10\n---\nThree papers at **CVPR 2025**: see "
                 "[publications](/publications/) &amp; [x][y].\n\n[y]: https://x.org/\n"}
    result = build(site_with_news(tmp_path, news), {"as_of": "2026-11-23",
                                                    "base_url": "https://ana.github.io/"})
    feed = result.files["feed.xml"].decode()
    assert "<title>Three papers at CVPR 2025: see publications &amp; x.</title>" in feed


def test_a_site_without_news_has_no_news_page_or_menu_item(tmp_path):
    result = build(copy_demo(tmp_path / "site"), {"as_of": "2026-11-23"})
    assert "news/index.html" not in result.files
    assert 'href="/news/"' not in result.files["index.html"].decode()


@pytest.mark.parametrize(("text", "expected"), [
    ("---\ntitle: x\n---\nText.\n", "b.md:1:1: expected a 'date' in the front matter"),
    ("---\ndate: 2026-02-30\n---\nText.\n", "b.md:2:7: "),
    ("---\ndate: soon\n---\nText.\n", "b.md:2:7: 'date' must be a day such as 2026-05-10"),
    ("---\ndate: 2026-01-01\n---\n", "b.md:1:1: the news has no text"),
])
def test_a_piece_of_news_without_a_good_date_or_text_is_an_error_at_its_line(
        tmp_path, text, expected):
    site = site_with_news(tmp_path, {"a": NEWS["a"], "b": text})
    with pytest.raises(SiteError) as raised:
        build(site, {"as_of": "2026-11-23"})
    assert expected in str(raised.value)
