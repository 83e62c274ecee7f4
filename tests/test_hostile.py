"""Hostile profile text: it is shown as text everywhere and never runs.

A profile whose name, titles, authors, affiliations, abstracts and metric labels carry
`<script>`, attribute break-outs (`"><img onerror=…>`), `javascript:` URLs, a `</script>`
meant to end a JSON-LD block, and Unicode bidi and control characters is built into a
site. Every page and the JSON export must show that text as text: no element, attribute
or link comes from it, only http(s) URLs become links, and invisible characters are shown
as `[U+XXXX]` markers (pages) or `\\uXXXX` escapes (JSON) so they cannot reorder or hide
anything. Headless Chromium then loads every page type: no dialog opens, no script from
the profile runs (`window.__pwned` stays undefined) and the console shows no error.

Path-like titles (`../../etc/passwd`, `CON`, nothing left after slugging, 300 characters)
get safe, unique, bounded slugs, and nothing is written outside the output folder.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import threading
from collections.abc import Iterator
from functools import partial
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from generator.build import BuildResult, build
from generator.export import export
from generator.profile import parse_profile
from generator.slugs import MAX_LENGTH
from generator.text import INVISIBLE

from .conftest import make_site

AS_OF = dt.date(2026, 11, 23)

# Each payload sets window.__pwned (and opens a dialog) if it ever runs.
NAME = "Ada <script>window.__pwned='name';alert('name')</script> Lovelace"
TITLE_SCRIPT = "<script>window.__pwned='title';alert('title')</script> Deep nets"
TITLE_BREAKOUT = "\"><img src=x onerror=\"window.__pwned='img';alert('img')\"> Robust 'quotes'"
TITLE_JSONLD = ('</script><script>window.__pwned="jsonld";alert("jsonld")</script>'
                '<!-- {"@context": "https://schema.org"} -->')
TITLE_BIDI = "Invoice \u202eexe.txt\u202c \u2067isolated\u2069 \u200emarks\u200f and \u061cALM"
AUTHORS = ("Eve \"><svg onload=window.__pwned='author'>, Mallory</script><script>"
           "window.__pwned='author2'</script>, Ada Lovelace, Bidi \u202eesrever\u202c Name")
AFFILIATIONS = "<iframe src=javascript:window.__pwned='aff'></iframe>, lab\u2066 \u2069x"
ABSTRACT = (
    "Click javascript:window.__pwned='js' or <a href=\"javascript:window.__pwned='a'\">here"
    "</a>; data:text/html,<script>window.__pwned='data'</script>. See "
    "https://ok.example/path?q=\"><script>window.__pwned='url'</script> and "
    "https://ok.example/x'onmouseover='window.__pwned=1' and JaVaScRiPt:alert(1) and "
    "https://ok.example/bidi\u202eevil. Control \x00\x07\x1b[31mred\x1b[0m \x7f\x85 end. "
    "Code: javascript:alert('code')"
)
METRIC_LABEL = "<img src=x onerror=\"window.__pwned='metric'\">Reach\u202e"
TEXTS = [NAME, TITLE_SCRIPT, TITLE_BREAKOUT, TITLE_JSONLD, TITLE_BIDI, AUTHORS, AFFILIATIONS,
         ABSTRACT, METRIC_LABEL]


def entry(header: str, title: str, authors: str, abstract: str) -> str:
    return f"{header}\n{title}\n\n{authors}\n\n{abstract}\n\n"


HOSTILE = (
    f"{NAME}\n\nCV\nh-index3\n{METRIC_LABEL}42\n\n5 Papers\n\n"
    + entry("CVOct 12, 2022Code", TITLE_SCRIPT, "Ada Lovelace, Bo Chen", ABSTRACT)
    + entry("LGJan 3, 2021", TITLE_BREAKOUT, f"{AUTHORS} · {AFFILIATIONS}", ABSTRACT)
    + entry("CLMar 8, 2024", TITLE_JSONLD, AUTHORS, "Plain abstract.")
    + entry("54.9AIMay 10", TITLE_BIDI, AUTHORS, f"{TITLE_BIDI}. {ABSTRACT}")
    + entry("CVFeb 1, 2020", "Plain title", "Ada Lovelace", "An abstract without tricks.")
)


def shown(text: str) -> str:
    """What a page must show for profile text: invisible characters as markers."""
    return INVISIBLE.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)


class Tree(HTMLParser):
    """A page's tags, attributes, script bodies and visible text."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.text: list[str] = []
        self.comments: list[str] = []
        self._script: dict[str, str | None] | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._script = dict(attrs)
            self.scripts.append((self._script, ""))

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            attrs, body = self.scripts[-1]
            self.scripts[-1] = (attrs, body + data)
        else:
            self.text.append(data)

    def handle_comment(self, data):
        self.comments.append(data)

    @property
    def visible_text(self) -> str:
        return "".join(self.text)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> BuildResult:
    site = make_site(tmp_path_factory.mktemp("hostile") / "site", HOSTILE,
                     "as_of: 2026-11-23\n")
    return build(site)


def html_pages(result: BuildResult) -> dict[str, str]:
    return {path: data.decode("utf-8") for path, data in result.files.items()
            if path.endswith(".html")}


# -- the records keep the text as it is ----------------------------------------------------


def test_records_keep_hostile_text_exactly_as_written(hostile):
    profile = hostile.profile
    assert profile.name == NAME
    assert [p.title for p in profile.papers] == [
        TITLE_SCRIPT, TITLE_BREAKOUT, TITLE_JSONLD, TITLE_BIDI, "Plain title"]
    assert profile.papers[0].abstract == ABSTRACT
    assert profile.papers[1].affiliations == (
        "<iframe src=javascript:window.__pwned='aff'></iframe>", "lab\u2066 \u2069x")
    assert profile.metrics.extra[0].label == METRIC_LABEL
    # Only http(s) URLs are links, and a URL ends at an invisible character.
    assert profile.papers[0].links == (
        "https://ok.example/path?q=", "https://ok.example/x", "https://ok.example/bidi")
    assert profile.papers[0].code_url is None


def test_parser_warns_once_about_invisible_characters_with_their_place():
    _, warnings = parse_profile(HOSTILE, "profile.txt", AS_OF)
    invisible = [w for w in warnings if "invisible" in w.message]
    assert len(invisible) == 1
    assert invisible[0].format().splitlines()[0] == (
        "profile.txt:5:51: warning: invisible control character U+202E (RIGHT-TO-LEFT "
        "OVERRIDE): kept in the JSON export, shown on the pages as [U+202E] so it cannot "
        "reorder or hide the text around it; 7 more lines hold such characters")
    assert not INVISIBLE.search(invisible[0].format())  # the source line is printable


# -- HTML pages: text, never markup --------------------------------------------------------


def test_no_page_gets_an_element_attribute_or_script_from_the_profile(hostile):
    for path, html in html_pages(hostile).items():
        tree = Tree(html)
        for tag, attrs in tree.tags:
            for name, value in attrs.items():
                assert not name.startswith("on"), (path, tag, name)
                if name in ("href", "src", "action", "formaction", "srcset", "data", "poster"):
                    value = value or ""
                    assert value.startswith(("http://", "https://", "mailto:", "#")) or (
                        value.startswith("/") and not value.startswith("//")
                    ), (path, tag, name, value)
        for attrs, body in tree.scripts:
            if attrs.get("type") == "application/ld+json":
                json.loads(body)  # JSON-LD stays JSON: the profile cannot end the block
                assert "<" not in body and "&" not in body, (path, body)
            else:
                assert "__pwned" not in body, (path, body)
        assert not [c for c in tree.comments if "schema.org" in c], path


def test_hostile_text_is_shown_as_text_on_the_pages_that_show_it(hostile):
    pages = html_pages(hostile)
    slugs = {p.title: p.slug for p in hostile.profile.papers}
    home = Tree(pages["index.html"]).visible_text  # the name, metrics; the titles listed:
    home += Tree(pages["publications/index.html"]).visible_text
    for text in (NAME, TITLE_SCRIPT, TITLE_BREAKOUT, TITLE_JSONLD, TITLE_BIDI, METRIC_LABEL):
        assert shown(text) in home, text
    breakout = Tree(pages[f"papers/{slugs[TITLE_BREAKOUT]}/index.html"]).visible_text
    for text in (TITLE_BREAKOUT, "Eve \"><svg onload=window.__pwned='author'>",
                 "<iframe src=javascript:window.__pwned='aff'></iframe>", "lab[U+2066] [U+2069]x",
                 "Click javascript:window.__pwned='js' or <a href=\"javascript:window.__pwned="
                 "'a'\">here</a>", "Code: javascript:alert('code')"):
        assert text in breakout, text
    # The title is also text inside <title> and the meta description.
    assert re.search(r"<title>&lt;script&gt;window.__pwned=&#39;title&#39;",
                     pages[f"papers/{slugs[TITLE_SCRIPT]}/index.html"])


def test_only_http_urls_in_abstracts_become_links(hostile):
    slug = hostile.profile.papers[0].slug
    tree = Tree(html_pages(hostile)[f"papers/{slug}/index.html"])
    main_links = [attrs["href"] for tag, attrs in tree.tags if tag == "a"
                  and (attrs.get("href") or "").startswith("https://ok.example")]
    assert main_links == ["https://ok.example/path?q=", "https://ok.example/x",
                          "https://ok.example/bidi"]


def test_bidi_and_control_characters_are_shown_as_markers_never_as_they_are(hostile):
    for path, html in html_pages(hostile).items():
        found = INVISIBLE.search(html)
        assert found is None, (path, f"U+{ord(found.group()):04X}" if found else "")
    bidi = next(p for p in hostile.profile.papers if p.title == TITLE_BIDI)
    page = Tree(html_pages(hostile)[f"papers/{bidi.slug}/index.html"]).visible_text
    assert ("Invoice [U+202E]exe.txt[U+202C] [U+2067]isolated[U+2069] [U+200E]marks[U+200F] "
            "and [U+061C]ALM") in page
    assert "Bidi [U+202E]esrever[U+202C] Name" in page
    assert "Control [U+0000][U+0007][U+001B][31mred[U+001B][0m [U+007F][U+0085] end." in page


# -- the JSON export: the same text, escaped, never reordered -------------------------------


def test_json_export_keeps_hostile_text_exactly_and_escapes_invisible_characters(hostile):
    text = export(hostile.profile, "json")
    assert INVISIBLE.search(text) is None
    assert "\\u202e" in text and "\\u0000" in text
    data = json.loads(text)
    assert data["name"] == NAME
    assert [p["title"] for p in data["papers"]][:4] == [
        TITLE_SCRIPT, TITLE_BREAKOUT, TITLE_JSONLD, TITLE_BIDI]
    assert data["papers"][0]["abstract"] == ABSTRACT
    assert data["papers"][1]["authors"][0] == "Eve \"><svg onload=window.__pwned='author'>"
    assert data["metrics"]["extra"][0]["label"] == METRIC_LABEL


def test_json_export_escapes_noncharacters_beyond_the_basic_plane_as_surrogate_pairs():
    profile, _ = parse_profile("Ann\U0010ffff Lee\n\nCV\n", "p.txt", AS_OF)
    text = export(profile, "json")
    assert '"name": "Ann\\udbff\\udfff Lee"' in text
    assert json.loads(text)["name"] == "Ann\U0010ffff Lee"


# -- in a browser ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(hostile) -> Iterator[str]:
    handler = partial(_QuietHandler, directory=str(hostile.config.output))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the http.server API
        pass


def test_no_script_from_the_profile_runs_in_chromium_on_any_page(hostile, served, browser):
    paths = ["/", "/publications/", "/categories/", "/404.html"]
    paths += [f"/categories/{c.ref.code}/" for c in hostile.model.categories]
    paths += [f"/papers/{p.slug}/" for p in hostile.profile.papers]
    page = browser.new_page()
    dialogs: list[str] = []
    errors: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        for path in paths:
            page.goto(served + path, wait_until="load")
            page.hover("h1")
            state = page.evaluate(
                """() => ({
                    pwned: typeof window.__pwned,
                    protocols: [...document.querySelectorAll('a[href]')].map(a => a.protocol),
                    handlers: [...document.querySelectorAll('*')].flatMap(
                        e => [...e.attributes].map(a => a.name)).filter(n => n.startsWith('on')),
                    inline: [...document.scripts].filter(s => s.type !== 'application/ld+json'
                        && s.textContent.includes('__pwned')).length,
                    text: document.body.innerText,
                })"""
            )
            assert state["pwned"] == "undefined", path
            assert set(state["protocols"]) <= {"http:", "https:", "mailto:"}, path
            assert state["handlers"] == [] and state["inline"] == 0, path
            if path == "/publications/":  # every title, as text
                assert shown(TITLE_SCRIPT) in state["text"]
                assert "[U+202E]exe.txt[U+202C]" in state["text"]
    finally:
        page.close()
    assert dialogs == []
    assert errors == []


# -- paths -----------------------------------------------------------------------------------

PATH_TITLES = ["../../etc/passwd", "..\\..\\windows\\win.ini", "CON", "nul", "/absolute/path",
               "!!! ??? ...", "深度学习", "\u202e\u202c", "x" * 300, "word " * 80, "%2e%2e%2f"]


def test_path_like_titles_get_safe_unique_bounded_slugs_and_stay_inside_the_output(tmp_path):
    profile = "Ann Lee\n\nCV\n\n" + "".join(
        entry(f"CVJan {day}, 2020", title, "Ann Lee", "A.")
        for day, title in enumerate([*PATH_TITLES, *PATH_TITLES], 1))
    site = make_site(tmp_path / "site", profile, "as_of: 2026-11-23\n")
    before = {p for p in tmp_path.rglob("*")}
    result = build(site)
    slugs = [p.slug for p in result.profile.papers]
    assert len(set(slugs)) == len(slugs) == 2 * len(PATH_TITLES)
    for slug in slugs:
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug) and len(slug) <= MAX_LENGTH
        assert slug not in {"con", "nul"}, slug
    out = result.config.output.resolve()
    for folder, dirs, files in os.walk(out):
        for name in dirs + files:
            path = Path(folder) / name
            assert not path.is_symlink(), path
            assert path.resolve().is_relative_to(out), path
    new = {p for p in tmp_path.rglob("*")} - before
    assert all(p.resolve().is_relative_to(out) for p in new), sorted(new)
    assert not (tmp_path / "etc").exists() and not Path("/absolute").exists()
