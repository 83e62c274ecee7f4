"""Text is text: cv.yaml's fields and per-paper notes are Markdown without raw HTML, and
every link made from input follows the one link rule (`links.is_href`: http(s), mailto:
or a path in the site, as a browser reads it).

A site whose cv.yaml, per-paper file, Markdown page and news (with `raw_html: false`)
carry `<script>`, `<img onerror=...>`, `<svg onload=...>`, raw `<a href=javascript:...>`
and Markdown links to `javascript:`, `&#106;avascript:`, `java<TAB>script:`, `data:`,
`vbscript:`, `//host` and `/\\host` is built: no page gets a script, an `on*` attribute or
a link other than http(s), mailto: or the site's, and the text is shown as written.
Headless Chromium then loads every such page: no dialog opens, nothing sets
`window.__pwned`. Pages and news keep their raw HTML by default (the owner's documents:
an embedded video), but even there a Markdown link to `javascript:` is no link. An SVG
photo is refused at its line in site.yaml.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

from generator.build import BuildResult, build
from generator.content.markdown import _convert, inline_markdown
from generator.errors import SiteError
from generator.links import is_href, is_link, is_web_url

from .conftest import make_site
from .test_hostile import Tree, _QuietHandler, entry, html_pages

# -- the one link rule ----------------------------------------------------------------------

NOT_LINKS = [
    "javascript:alert(1)", " JaVaScRiPt:alert(1)", "java\tscript:alert(1)",
    "java\nscript:alert(1)", "\x01javascript:alert(1)", "&#106;avascript:alert(1)",
    "&#x6A;avascript:alert(1)", "javascript&colon;alert(1)", "data:text/html,<script>",
    "vbscript:msgbox(1)", "file:///etc/passwd", "ftp://example.org/x", "//evil.example/x",
    "/\\evil.example/x", "\\\\evil.example", "/\t/evil.example", "https://", "http:/x",
    "tel:javascript:alert(1)", "", "   ",
]
LINKS = [
    "https://example.org/a?b=1&c=2#d", "http://example.org", "mailto:ann@example.org",
    "tel:+442079460958", "/assets/x.pdf", "papers/x/", "x.pdf", "#fn:1", "?page=2",
    "../about/",
]


@pytest.mark.parametrize("target", NOT_LINKS)
def test_the_link_rule_refuses_scripts_other_schemes_and_other_hosts(target):
    assert not is_href(target)
    assert not is_link(target)


@pytest.mark.parametrize("target", LINKS)
def test_the_link_rule_allows_web_mail_and_site_links(target):
    assert is_href(target)


def test_a_papers_link_field_is_an_href_that_is_no_mail_or_phone():
    assert is_link("https://example.org/x.pdf") and is_link("/assets/x.pdf")
    assert not is_link("mailto:ann@example.org") and not is_link("tel:+1234")


@pytest.mark.parametrize("target", [*LINKS, *NOT_LINKS])
def test_an_http_address_of_the_settings_is_an_href_of_the_rule(target):
    # site.yaml's and cv.yaml's addresses are checked by is_web_url, a narrowing of is_href.
    assert is_web_url(target) == (is_href(target) and target.startswith(("http:", "https:")))


# -- Markdown -------------------------------------------------------------------------------

MARKDOWN_NOT_LINKS = [
    "[x](javascript:alert(1))", "[x](&#106;avascript:alert(1))", "[x](<javascript:alert(1)>)",
    "[x][r]\n\n[r]: javascript:alert(1)", "[x](data:text/html,hi)", "[x](//evil.example/)",
    "[x](/\\evil.example/)", "[x](vbscript:msgbox)", "[x]( javascript:alert(1))",
]


@pytest.mark.parametrize("raw_html", [True, False])
@pytest.mark.parametrize("text", MARKDOWN_NOT_LINKS)
def test_a_markdown_link_the_rule_refuses_is_its_text(text, raw_html):
    html = str(_convert(text, raw_html)[0])
    assert html == "<p>x</p>", html


def test_a_markdown_image_the_rule_refuses_is_its_alt_text_inner_ones_first():
    assert str(_convert("![pic](javascript:alert(1)) and ![ok](/a.png)", False)[0]) == (
        '<p>pic and <img alt="ok" src="/a.png" /></p>')
    assert str(_convert("[![in](data:x)](javascript:y) *t*", True)[0]) == (
        "<p>in <em>t</em></p>")


def test_allowed_markdown_links_stay_links():
    html = str(_convert("[a](https://ok.example/) <https://ok.example/b> <ann@example.org> "
                        "[c](/about/) [d](#top)", False)[0])
    assert html.count("<a ") == 5 and 'href="https://ok.example/"' in html


def test_without_raw_html_tags_are_text_and_with_it_the_owners_html_is_kept():
    text = "<script>alert(1)</script>\n\nA <img src=x onerror=alert(1)> b"
    assert str(_convert(text, False)[0]) == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"
        "<p>A &lt;img src=x onerror=alert(1)&gt; b</p>")
    assert "<script>alert(1)</script>" in str(_convert(text, True)[0])


def test_inline_markdown_of_the_cv_has_no_raw_html_and_only_allowed_links():
    assert inline_markdown("**PhD** <script>alert(1)</script> [l](javascript:x) "
                           "[ok](https://ok.example/)") == (
        '<strong>PhD</strong> &lt;script&gt;alert(1)&lt;/script&gt; l '
        '<a href="https://ok.example/">ok</a>')


# -- a built site ---------------------------------------------------------------------------

PROFILE = "Ann Lee\n\nCV\n\n" + entry("CVOct 12, 2022", "Plain title", "Ann Lee", "An abstract.")
SLUG = "plain-title"

CV = """\
cv:
  name: "Ann <script>window.__pwned='cvname';alert('cvname')</script> Lee"
  label: "<img src=x onerror=\\"window.__pwned='label';alert('label')\\">"
  location: "<svg onload=alert('location')>"
  email: ann@example.org
  phone: "javascript:alert('phone')"
  sections:
    education:
      - institution: "<script>window.__pwned='inst';alert('inst')</script>Uni"
        area: "[click](javascript:window.__pwned='area';alert('area'))"
        degree: "<img src=x onerror=\\"window.__pwned='degree';alert('degree')\\">"
        start_date: 2016-09
        end_date: 2020-07
        highlights:
          - "[a](&#106;avascript:alert('h1'))"
          - "[b](java\\tscript:alert('h2'))"
          - "![i](javascript:alert('img'))"
          - "[c](//evil.example/x) [d](/\\\\evil.example/x)"
          - "<a href=\\"javascript:alert('rawa')\\">raw</a>"
          - "[e](data:text/html,hi) [f](vbscript:msgbox(1))"
          - "[ok](https://ok.example/cv) and **bold**"
    talks:
      - name: "<svg onload=\\"window.__pwned='talk';alert('talk')\\">"
        summary: "<iframe src=\\"javascript:alert('iframe')\\"></iframe>"
      - "<script>alert('text')</script> plain entry"
    publications:
      - title: "[T](javascript:alert('pubtitle'))"
        authors: ["<b onmouseover=\\"alert('author')\\">Eve</b>"]
"""
NOTES = """\
---
venue: "<script>alert('venue')</script>"
---
<script>window.__pwned='notes';alert('notes')</script>

<img src=x onerror="window.__pwned='notesimg';alert('notesimg')">
[x](javascript:alert('noteslink')) [ok](https://ok.example/notes)
<div onclick="alert('div')">div</div>
"""
PAGE = """\
---
title: About
menu: 1
---
<script>window.__pwned='page';alert('page')</script>

<iframe src="https://www.youtube-nocookie.com/embed/abc" onload="alert('frame')"></iframe>
[m](javascript:window.__pwned='pagelink';alert('pagelink'))
"""
NEWS = """\
---
date: 2026-05-10
---
<img src=x onerror="window.__pwned='news';alert('news')"> [n](javascript:alert('newslink'))
"""


def hostile_site(folder: Path, settings: str = "") -> Path:
    site = make_site(folder, PROFILE, "as_of: 2026-11-23\n" + settings)
    content = site / "content"
    for path, text in (("cv.yaml", CV), (f"papers/{SLUG}.md", NOTES),
                       ("pages/about.md", PAGE), ("news/n.md", NEWS)):
        (content / path).parent.mkdir(parents=True, exist_ok=True)
        (content / path).write_text(text, encoding="utf-8")
    return site


@pytest.fixture(scope="module")
def texts(tmp_path_factory) -> BuildResult:
    return build(hostile_site(tmp_path_factory.mktemp("text") / "site", "raw_html: false\n"))


def allowed(value: str) -> bool:
    """An http(s), mailto: or site link, as Chromium reads it (tabs and newlines dropped,
    a scheme ends at the first `:` before any `/`, `?` or `#`)."""
    text = "".join(c for c in value if c not in "\t\n\r").strip("\x00 \x01\x1f")
    head = re.split(r"[/?#]", text, maxsplit=1)[0]
    if ":" in head and re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*", head.split(":", 1)[0]):
        return text.startswith(("http://", "https://", "mailto:"))
    return bool(text) and not text.replace("\\", "/").startswith("//")


def test_no_page_gets_a_script_handler_or_link_from_cv_notes_pages_or_news(texts):
    pages = html_pages(texts)
    for path in ("cv/index.html", f"papers/{SLUG}/index.html", "about/index.html",
                 "news/index.html", "index.html"):
        html = pages[path]
        tree = Tree(html)
        for tag, attrs in tree.tags:
            assert tag not in ("iframe", "img", "svg") or tag == "svg" and "onload" not in attrs
            for name, value in attrs.items():
                assert not name.startswith("on"), (path, tag, name)
                if name in ("href", "src", "action", "formaction", "srcset", "data"):
                    assert allowed(value or ""), (path, tag, name, value)
        assert not [body for _, body in tree.scripts if "alert" in body], path
        assert "javascript:" not in "".join(
            str(attrs.get("href")) for _, attrs in tree.tags), path


def test_hostile_cv_and_notes_are_shown_as_the_text_written(texts):
    pages = html_pages(texts)
    cv = Tree(pages["cv/index.html"]).visible_text
    for text in ("<script>window.__pwned='inst';alert('inst')</script>Uni", "click",
                 "<svg onload=\"window.__pwned='talk';alert('talk')\">",
                 "<a href=\"javascript:alert('rawa')\">raw</a>", "javascript:alert('phone')",
                 "<script>alert('text')</script> plain entry"):
        assert text in cv, text
    links = [attrs["href"] for tag, attrs in Tree(pages["cv/index.html"]).tags if tag == "a"]
    assert "https://ok.example/cv" in links and "mailto:ann@example.org" in links
    notes = Tree(pages[f"papers/{SLUG}/index.html"]).visible_text
    assert "<script>window.__pwned='notes';alert('notes')</script>" in notes
    assert "<div onclick=\"alert('div')\">div</div>" in notes
    about = Tree(pages["about/index.html"]).visible_text
    assert "<iframe src=\"https://www.youtube-nocookie.com/embed/abc\"" in about


def test_pages_and_news_keep_the_owners_html_by_default_but_not_script_links(tmp_path):
    result = build(hostile_site(tmp_path / "site"))
    pages = html_pages(result)
    about = Tree(pages["about/index.html"])
    assert ("iframe", {"src": "https://www.youtube-nocookie.com/embed/abc",
                       "onload": "alert('frame')"}) in about.tags  # the owner's own HTML
    for path in ("about/index.html", "news/index.html"):
        hrefs = [attrs.get("href") or "" for _, attrs in Tree(pages[path]).tags]
        assert not [h for h in hrefs if "javascript" in h], path
    # cv.yaml and notes are text whatever raw_html says.
    assert "<script>" not in pages["cv/index.html"].split("<main", 1)[1]
    assert "window.__pwned='notes'" not in "".join(
        body for _, body in Tree(pages[f"papers/{SLUG}/index.html"]).scripts)


def test_a_cv_email_that_is_no_address_is_an_error_at_its_line(tmp_path):
    site = make_site(tmp_path / "site", PROFILE, "as_of: 2026-11-23\n")
    (site / "content" / "cv.yaml").write_text(
        "cv:\n  name: Ann\n  email: \"javascript:alert('email')\"\n", encoding="utf-8")
    with pytest.raises(SiteError) as caught:
        build(site)
    assert str(caught.value).splitlines()[0] == (
        f"{site / 'content' / 'cv.yaml'}:3:10: 'email' must be an address such as "
        "ann@example.org, found 'javascript:alert('email')'")


@pytest.mark.parametrize("name", ["me.svg", "me.SVG", "me.svgz", "me.html"])
def test_a_photo_that_is_no_picture_is_refused_at_its_line(tmp_path, name):
    site = make_site(tmp_path / "site", PROFILE, f"as_of: 2026-11-23\nphoto: {name}\n")
    (site / name).write_text('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
                             encoding="utf-8")
    with pytest.raises(SiteError) as caught:
        build(site)
    first = str(caught.value).splitlines()[0]
    assert first.startswith(f"{site / 'site.yaml'}:2:8: 'photo' must be a PNG, JPEG or WebP "
                            f"picture (also GIF, AVIF), found '{name}'"), first
    assert ("an SVG can carry script" in first) == ("svg" in name.lower())
    assert not (site / "_site").exists()


def test_raw_html_must_be_true_or_false(tmp_path):
    site = make_site(tmp_path / "site", PROFILE, "raw_html: sometimes\n")
    with pytest.raises(SiteError, match=r"site.yaml:1:11: 'raw_html' must be true or false, "
                                        "found 'sometimes'"):
        build(site)


# -- in a browser ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(texts) -> Iterator[str]:
    handler = partial(_QuietHandler, directory=str(texts.config.output))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_no_script_from_cv_notes_pages_or_news_runs_in_chromium(texts, served, browser):
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        for path in ("/cv/", f"/papers/{SLUG}/", "/about/", "/news/", "/"):
            page.goto(served + path, wait_until="load")
            page.hover("h1")
            for link in page.query_selector_all("main a[href]"):
                link.hover()
            state = page.evaluate(
                """() => ({
                    pwned: typeof window.__pwned,
                    protocols: [...document.querySelectorAll('a[href]')].map(a => a.protocol),
                    handlers: [...document.querySelectorAll('*')].flatMap(
                        e => [...e.attributes].map(a => a.name)).filter(n => n.startsWith('on')),
                    frames: document.querySelectorAll('iframe, object, embed').length,
                })"""
            )
            assert state["pwned"] == "undefined", path
            assert set(state["protocols"]) <= {"http:", "https:", "mailto:"}, path
            assert state["handlers"] == [] and state["frames"] == 0, path
    finally:
        page.close()
    assert dialogs == []


def test_a_dois_address_encodes_what_a_url_path_may_not_hold():
    from generator.links import doi_url

    # A real SICI DOI (Environmental Entomology, 2008), in the recorded ORCID works.
    assert doi_url("10.1603/0046-225x(2008)37[808:rohbha]2.0.co;2") == (
        "https://doi.org/10.1603/0046-225x(2008)37%5B808:rohbha%5D2.0.co;2")
    assert doi_url("10.1000/a#b?c%d e") == "https://doi.org/10.1000/a%23b%3Fc%25d%20e"
    assert doi_url("10.7717/peerj.4375") == "https://doi.org/10.7717/peerj.4375"
