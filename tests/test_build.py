"""The built demo site, page by page, and the build's guarantees (escaping, base path,
determinism, safe output)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.build import build
from generator.errors import OutputError, ProfileError, TemplateError
from generator.output import MARKER

from .conftest import REPO, make_site

CATEGORY_COUNTS = {"CV": 13, "AI": 6, "LG": 6, "CL": 3, "ML": 3, "GR": 1, "NE": 1}

MINI_PROFILE = """Ada Lovelace

CV
h-index3
2papers
1,204citations
Novelty40%
AI Score12

2 Papers

CVOct 12, 2022
First paper

Ada Lovelace, Charles Babbage

An abstract.

LGJan 3, 2021Code
Second paper

Charles Babbage, Ada Lovelace et al.

Another abstract. Code: https://github.com/example/second.
"""


class Page(HTMLParser):
    """The parts of a page the tests look at: tags with attributes, and visible text."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text_parts: list[str] = []
        self.html = html
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text_parts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.text_parts).split())

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]

    def urls(self) -> list[str]:
        return [v for _, attrs in self.tags for k, v in attrs.items() if k in ("href", "src") and v]


def page(result, path: str) -> Page:
    return Page(result.files[path].decode("utf-8"))


# -- the demo site -----------------------------------------------------------------


def test_demo_site_has_a_page_per_paper_category_and_index(demo_build):
    files = set(demo_build.files)
    slugs = [p.slug for p in demo_build.profile.papers]
    assert len(slugs) == 33
    for slug in slugs:
        assert f"papers/{slug}/index.html" in files
    for code in CATEGORY_COUNTS:
        assert f"categories/{code}/index.html" in files
    assert {"index.html", "404.html", "categories/index.html", "assets/style.css"} <= files
    assert demo_build.pages == 33 + 7 + 4 + 1 + 1  # papers, categories, home etc., about/, cv/
    assert (demo_build.config.output / "index.html").read_bytes() == demo_build.files["index.html"]


def test_every_page_has_one_h1_a_language_and_a_main_landmark(demo_build):
    for path, data in demo_build.files.items():
        if not path.endswith(".html"):
            continue
        html = Page(data.decode("utf-8"))
        assert len(html.all("h1")) == 1, path
        assert html.all("html")[0].get("lang") == "en", path
        assert len(html.all("main")) == 1, path
        assert html.all("nav"), path


def test_home_page_shows_name_category_and_metric_badges(demo_build):
    home = page(demo_build, "index.html")
    assert "S. M. Ali Eslami" in home.text
    assert "Computer Vision and Pattern Recognition" in home.text
    for label, value in [("h-index", "117"), ("Papers", "33"), ("Citations", "13,433"),
                         ("Novelty", "60%"), ("AI Score", "49")]:
        assert re.search(rf"<dt>{re.escape(label)}</dt><dd>{re.escape(value)}</dd>", home.html)


def papers_section(html: str) -> str:
    """The publications page from its filters on (the list of every paper)."""
    return html.split('id="paper-filters"', 1)[1]


def test_publications_page_lists_every_paper_newest_first_linking_its_page(demo_build):
    home = page(demo_build, "publications/index.html")
    dates = re.findall(r'<time datetime="(\d{4}-\d\d-\d\d)">', papers_section(home.html))
    assert len(dates) == 33
    assert dates == sorted(dates, reverse=True)
    assert dates[0] == "2026-05-10"  # "May 10" read against as_of 2026-11-23
    links = [a["href"] for a in home.all("a")]
    for p in demo_build.profile.papers:
        assert f"/papers/{p.slug}/" in links


def test_publications_page_cards_carry_category_score_and_code_badges(demo_build):
    home = page(demo_build, "publications/index.html")
    listed = papers_section(home.html)
    categories = re.findall(r'class="badge badge-category" href="/categories/(\w+)/"', listed)
    assert Counter(categories) == CATEGORY_COUNTS
    assert re.findall(r"badge-score.*?(\d+\.\d)</span>", listed) == ["54.9"]
    # A code link is a Code button; a header's Code flag without a link, a badge.
    code = [a for a in Page(listed).all("a") if "button-code" in (a.get("class") or "")]
    assert [a["href"] for a in code] == ["https://github.com/deepmind/functa"]


def test_paper_page_shows_every_field_and_highlights_the_researcher(demo_build):
    functa = next(p for p in demo_build.profile.papers if p.title.startswith("From data to functa"))
    assert functa.slug == "from-data-to-functa-your-data-point-is-a-function-and-you"
    paper = page(demo_build, f"papers/{functa.slug}/index.html")
    assert paper.all("h1") and "From data to functa" in paper.text
    assert '<strong class="self">S. M. Ali Eslami</strong>' in paper.html
    assert "Emilien Dupont, Hyunjik Kim," in paper.text and "et al." in paper.text
    assert '<time datetime="2022-01-28">Jan 28, 2022</time>' in paper.html
    assert "Machine Learning" in paper.text and ">LG</a>" in paper.html
    assert paper.html.count('href="https://github.com/deepmind/functa"') == 2  # fact and abstract


def test_paper_page_shows_affiliations_and_score(demo_build):
    slugs = {p.title.split(":")[0]: p.slug for p in demo_build.profile.papers}
    gemini = page(demo_build, f"papers/{slugs['Gemini 1.5']}/index.html")
    assert "deepmind, mila" in gemini.text
    scored = page(demo_build, f"papers/{slugs['Towards Conversational Medical AI with Eyes, Ears and a Voice']}/index.html")  # noqa: E501
    assert '<span class="badge badge-score">54.9</span>' in scored.html
    assert '<time datetime="2026-05-10">May 10, 2026</time>' in scored.html


def test_abstract_urls_become_links_without_the_trailing_period(demo_build):
    football = next(p for p in demo_build.profile.papers if "Humanoid Football" in p.title)
    html = page(demo_build, f"papers/{football.slug}/index.html").html
    assert ('<a href="https://youtu.be/KHMwq9pv7mg">https://youtu.be/KHMwq9pv7mg</a>.</p>'
            in html)


def test_paper_pages_link_newer_and_older_papers(demo_build):
    views = demo_build.model.papers
    middle = page(demo_build, f"papers/{views[5].paper.slug}/index.html")
    rel = {a.get("rel"): a["href"] for a in middle.all("a") if a.get("rel") in ("prev", "next")}
    assert rel == {"prev": views[4].url, "next": views[6].url}
    newest = page(demo_build, f"papers/{views[0].paper.slug}/index.html")
    assert [a.get("rel") for a in newest.all("a") if a.get("rel")] == ["next"]


def test_category_pages_list_exactly_their_papers(demo_build):
    for code, count in CATEGORY_COUNTS.items():
        html = page(demo_build, f"categories/{code}/index.html")
        assert len(re.findall(r'<li class="paper-card">', html.html)) == count, code
    index = page(demo_build, "categories/index.html")
    for code, count in CATEGORY_COUNTS.items():
        assert re.search(rf">{code}</span> <span class=\"category-name\">[^<]+</span> "
                         rf"<span class=\"count\">{count}<", index.html), code


def test_404_page_links_home(demo_build):
    html = page(demo_build, "404.html")
    assert "Page not found" in html.text
    assert "/" in [a["href"] for a in html.all("a")]


def test_pages_request_nothing_from_another_host(demo_build):
    for path, data in demo_build.files.items():
        if path.endswith(".html"):
            html = Page(data.decode("utf-8"))
            scripts = [attrs for attrs in html.all("script")
                       if attrs.get("src")]  # (inline: JSON-LD data, the scheme's line)
            for attrs in html.all("link") + scripts + html.all("img"):
                url = attrs.get("href") or attrs.get("src") or ""
                assert url.startswith("/"), (path, url)


# -- escaping ----------------------------------------------------------------------


def test_profile_text_is_escaped_and_only_http_urls_become_links(tmp_path):
    hostile = MINI_PROFILE.replace("First paper", '<script>alert("t")</script> & <b>bold</b>')
    hostile = hostile.replace("An abstract.", "See javascript:alert(1) and <img src=x "
                                              "onerror=alert(2)> at https://ok.example/a.")
    site = make_site(tmp_path / "site", hostile)
    result = build(site, {"as_of": dt.date(2026, 11, 23)})
    for path, data in result.files.items():
        if path.endswith(".html"):
            html = data.decode("utf-8")
            # (The one inline script is the theme's colour-scheme line, not the profile's.)
            assert "<script>alert" not in html and "<img src=x" not in html, path
    slug = result.profile.papers[0].slug
    html = result.files[f"papers/{slug}/index.html"].decode()
    # <b> is a title's markup (generator/richtext.py); <script> is text.
    assert "&lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt; &amp; <b>bold</b>" in html
    assert 'href="javascript' not in html
    assert '<a href="https://ok.example/a">https://ok.example/a</a>.' in html
    assert slug == "script-alert-t-script-bold"


# -- base path ---------------------------------------------------------------------


def test_project_site_links_carry_the_base_path(tmp_path):
    result = build(REPO, {"output": str(tmp_path / "out"),
                          "base_url": "https://user.github.io/repo/"})
    internal = []
    for path, data in result.files.items():
        if path.endswith(".html"):
            for url in Page(data.decode("utf-8")).urls():
                if not url.startswith(("http://", "https://", "mailto:", "#")):
                    internal.append(url)
                    assert url.startswith("/repo/"), (path, url)
                    target = url.removeprefix("/repo/").split("#")[0]
                    target = target + "index.html" if target.endswith("/") or not target else target
                    assert target in result.files, (path, url)
    assert len(internal) > 33 * 5


# -- determinism and output safety -------------------------------------------------


def test_two_builds_of_the_same_input_are_byte_identical(tmp_path, demo_build):
    again = build(REPO, {"output": str(tmp_path / "again")})
    assert again.files == demo_build.files
    on_disk = {p.relative_to(tmp_path / "again").as_posix(): p.read_bytes()
               for p in (tmp_path / "again").rglob("*") if p.is_file() and p.name != MARKER}
    assert on_disk == demo_build.files


def test_rebuild_keeps_modification_time_of_unchanged_files(tmp_path):
    site = make_site(tmp_path / "site", MINI_PROFILE, "as_of: 2026-11-23\n")
    first = build(site)
    index = site / "_site" / "index.html"
    stamp = index.stat().st_mtime_ns
    second = build(site)
    assert second.changed == 0 and first.changed == len(first.files)
    assert index.stat().st_mtime_ns == stamp


def test_a_failed_build_leaves_the_previous_site_untouched(tmp_path):
    site = make_site(tmp_path / "site", MINI_PROFILE, "as_of: 2026-11-23\n")
    build(site)
    before = {p: p.read_bytes() for p in (site / "_site").rglob("*") if p.is_file()}
    (site / "content" / "profile.txt").write_text(
        MINI_PROFILE.replace("CVOct 12, 2022", "CVFeb 30, 2022"), encoding="utf-8")
    with pytest.raises(ProfileError):
        build(site)
    after = {p: p.read_bytes() for p in (site / "_site").rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in site.iterdir()) == ["_site", "content", "site.yaml"]


def test_build_refuses_a_folder_it_did_not_create(tmp_path):
    site = make_site(tmp_path / "site", MINI_PROFILE, "as_of: 2026-11-23\noutput: docs\n")
    (site / "docs").mkdir()
    (site / "docs" / "thesis.tex").write_text("precious", encoding="utf-8")
    with pytest.raises(OutputError) as error:
        build(site)
    assert str(error.value) == (
        f"will not replace {site / 'docs'}: it holds files that scholarfolio did not write "
        f"(there is no {MARKER} marker from an earlier build); empty or remove it, or choose "
        "another output folder")
    assert (site / "docs" / "thesis.tex").read_text(encoding="utf-8") == "precious"


@pytest.mark.parametrize("output", [".", "..", "content", "content/site"])
def test_build_refuses_the_site_its_ancestors_and_the_content_folder(tmp_path, output):
    site = make_site(tmp_path / "site", MINI_PROFILE, f"as_of: 2026-11-23\noutput: {output}\n")
    with pytest.raises(OutputError, match="will not write the site into"):
        build(site)
    assert (site / "content" / "profile.txt").is_file()


def test_a_folder_with_only_a_profile_builds_with_defaults(tmp_path):
    site = make_site(tmp_path / "site", MINI_PROFILE)
    result = build(site)
    assert result.config.theme == "scholar" and result.config.base_path == "/"
    assert (site / "_site" / "index.html").is_file()
    assert "<title>Ada Lovelace</title>" in result.files["index.html"].decode()


def test_a_template_error_names_the_template_file_and_line(tmp_path):
    site = make_site(tmp_path / "site", MINI_PROFILE, "as_of: 2026-11-23\n")
    (site / "templates").mkdir()
    (site / "templates" / "404.html").write_text(
        '{% extends "base.html" %}\n{% block content %}\n{{ site.nope }}\n{% endblock %}\n',
        encoding="utf-8")
    with pytest.raises(TemplateError) as error:
        build(site)
    first = str(error.value).splitlines()[0]
    assert first.startswith(f"{site / 'templates' / '404.html'}:3:1: while rendering 404.html: ")
    assert "nope" in first


def test_site_templates_override_the_theme(tmp_path):
    site = make_site(tmp_path / "site", MINI_PROFILE, "as_of: 2026-11-23\n")
    (site / "templates").mkdir()
    (site / "templates" / "404.html").write_text(
        '{% extends "base.html" %}{% block content %}<h1>Lost at sea</h1>{% endblock %}',
        encoding="utf-8")
    result = build(site)
    assert "<h1>Lost at sea</h1>" in result.files["404.html"].decode()
    assert Path(site / "_site" / "404.html").read_text(encoding="utf-8").count("Lost at sea") == 1
