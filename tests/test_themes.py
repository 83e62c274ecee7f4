"""Themes and customisation: the override chain, the minimal theme and theme settings,
Markdown pages, per-paper files, the home page's charts and the badges."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

from generator.build import build
from generator.dev.preview import Preview
from generator.errors import SiteError
from generator.paperfields import PAPER_FIELDS
from generator.render.environment import make_environment
from generator.themes import builtin_themes_dir, load_theme

from .conftest import make_site
from .test_build import MINI_PROFILE

SVG = "{http://www.w3.org/2000/svg}"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def html(result, path: str) -> str:
    return result.files[path].decode("utf-8")


def error_of(root: Path) -> str:
    with pytest.raises(SiteError) as raised:
        build(root)
    return str(raised.value)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path / "site", MINI_PROFILE, "as_of: 2026-11-23\n")


# -- the override chain -------------------------------------------------------------------


def test_a_template_comes_from_the_site_then_the_theme_then_its_parent(tmp_path):
    themes = tmp_path / "themes"
    write(themes / "child" / "theme.yaml", "extends: scholar\n")
    write(themes / "child" / "templates" / "paper.html", "child paper")
    write(tmp_path / "templates" / "404.html", "site 404")
    env = make_environment(tmp_path / "templates", load_theme("child", tmp_path))
    scholar = builtin_themes_dir() / "scholar" / "templates"
    origin = {name: Path(env.get_template(name).filename).resolve()
              for name in ("404.html", "paper.html", "home.html", "theme/404.html",
                           "scholar/paper.html", "child/paper.html")}
    assert origin == {
        "404.html": (tmp_path / "templates" / "404.html").resolve(),
        "paper.html": (themes / "child" / "templates" / "paper.html").resolve(),
        "home.html": (scholar / "home.html").resolve(),
        "theme/404.html": (scholar / "404.html").resolve(),  # skips the site's override
        "scholar/paper.html": (scholar / "paper.html").resolve(),  # the parent's own
        "child/paper.html": (themes / "child" / "templates" / "paper.html").resolve(),
    }


def test_a_site_can_override_only_the_footer_block_of_base(site):
    write(site / "templates" / "base.html",
          '{% extends "theme/base.html" %}\n'
          '{% block footer %}<div class="wrap"><p>My own footer</p></div>{% endblock %}\n')
    result = build(site)
    for path in ("index.html", "papers/first-paper/index.html", "404.html"):
        page = html(result, path)
        footer = page.split('<footer class="site-footer">')[1].split("</footer>")[0]
        assert footer.strip() == '<div class="wrap"><p>My own footer</p></div>'
        assert 'class="site-title"' in page and "<main" in page  # the rest is the theme's


def test_a_missing_template_is_an_error_at_its_include_listing_the_folders_searched(site):
    write(site / "templates" / "home.html", '{% include "partials/nothing.html" %}')
    message = error_of(site)
    scholar = builtin_themes_dir().resolve() / "scholar" / "templates"
    assert message.splitlines()[0] == (
        f"{site.resolve() / 'templates' / 'home.html'}:1:1: template 'partials/nothing.html' "
        f"not found (needed for index.html); searched: {site.resolve() / 'templates'}, "
        f"{scholar}")


def test_site_static_files_replace_the_themes(site):
    write(site / "static" / "style.css", "body { color: red; }\n")
    assert build(site).files["assets/style.css"] == b"body { color: red; }\n"


# -- the minimal theme and theme settings ---------------------------------------------------


def test_theme_minimal_switches_to_a_one_column_text_page(site):
    (site / "site.yaml").write_text("as_of: 2026-11-23\ntheme: minimal\n", encoding="utf-8")
    result = build(site)
    home = html(result, "index.html")
    listing = html(result, "publications/index.html")
    assert "chip" not in listing and "badge" not in listing and "filters.js" not in listing
    assert re.findall(r'<h2 class="year" id="y(\d+)">', listing) == ["2022", "2021"]
    shown = re.sub(r"<[^>]+>", "", home)  # each number with its source and day
    assert ("h-index 3 (source: profile, 2026-11-23) · Papers 2 (source: profile, 2026-11-23)"
            " · Citations 1,204 (source: profile, 2026-11-23)") in shown
    home = listing
    assert b"serif" in result.files["assets/style.css"]
    assert "October 2022" in home  # minimal's date_format, %B %Y
    assert "papers/first-paper/index.html" in result.files  # scholar's paper page


def test_theme_settings_have_defaults_and_site_yaml_overrides_them(site):
    (site / "site.yaml").write_text(
        'as_of: 2026-11-23\ntheme_settings:\n  accent: "#aa0000"\n  show_metrics: false\n'
        '  date_format: "%Y-%m-%d"\n', encoding="utf-8")
    result = build(site)
    assert result.config.settings == {"accent": "#aa0000", "show_metrics": False,
                                      "show_charts": True, "date_format": "%Y-%m-%d",
                                      "scheme_toggle": True}
    home = html(result, "index.html")
    assert "--accent: #aa0000;" in home and 'class="metrics"' not in home
    assert ">2022-10-12</time>" in html(result, "publications/index.html")


def test_unknown_or_mistyped_theme_settings_are_errors(site):
    (site / "site.yaml").write_text(
        "as_of: 2026-11-23\ntheme_settings:\n  acent: red\n  show_charts: no-thanks\n"
        "  accent: blue\n", encoding="utf-8")
    path = site / "site.yaml"
    lines = [line for line in error_of(site).splitlines() if line.startswith(str(path))]
    assert lines == [
        f"{path}:3:3: unknown setting 'acent' of theme 'scholar'; did you mean 'accent'? "
        "(known: accent, show_metrics, show_charts, date_format, scheme_toggle)",
        f"{path}:4:16: theme setting 'show_charts' must be true or false, found 'no-thanks'",
        f"{path}:5:11: theme setting 'accent' must be a colour such as #1d4ed8, found 'blue'",
    ]


# -- Markdown pages ---------------------------------------------------------------------------


def test_a_markdown_page_with_a_table_and_a_footnote_is_a_page_in_the_menu(site):
    write(site / "content" / "pages" / "teaching.md",
          "---\ntitle: Teaching\nmenu: 2\n---\n\n| Course | Year |\n|---|---|\n| ML | 2024 |\n\n"
          "Taught twice.[^1]\n\n[^1]: Online too.\n\n<aside>My own HTML</aside>\n")
    write(site / "content" / "pages" / "about.md", "---\ntitle: About\nmenu: 1\n---\nHello.\n")
    result = build(site)
    page = html(result, "teaching/index.html")
    assert "<title>Teaching · Ada Lovelace</title>" in page
    assert "<td>ML</td>" in page and "<th>Course</th>" in page
    assert 'href="#fn:1"' in page and 'id="fn:1"' in page and "Online too." in page
    assert "<aside>My own HTML</aside>" in page  # the owner's HTML is kept
    nav = re.findall(r'<li><a href="([^"]+)"', html(result, "index.html"))
    assert nav == ["/", "/publications/", "/categories/", "/about/", "/teaching/"]


def test_front_matter_errors_name_file_line_and_column(site):
    pages = site / "content" / "pages"
    write(pages / "about.md", "---\ntitle: About\nmenu: first\nlayout: x\n---\nText\n")
    write(pages / "cv.md", "---\ntitle: [CV\n---\n")
    write(pages / "papers.md", "No front matter\n")
    lines = [line for line in error_of(site).splitlines() if line.startswith("/")]
    about, cv, taken = (str(pages / name) for name in ("about.md", "cv.md", "papers.md"))
    assert lines == [
        f"{about}:3:7: 'menu' must be a whole number, found 'first'",
        f"{about}:4:1: unknown field 'layout' (known: title, menu, template)",
        f"{cv}:2:11: front matter is not valid YAML: expected ',' or ']', but got '<stream end>'",
        f"{taken}:1:1: expected front matter: a first line '---', then 'key: value' lines, "
        "then '---'",
    ]


# -- per-paper files ----------------------------------------------------------------------------


def test_a_paper_file_adds_a_pdf_a_doi_notes_and_corrections(site):
    write(site / "content" / "papers" / "first-paper.md",
          "---\npdf: /files/first.pdf\ndoi: https://doi.org/10.1000/xyz123\nvenue: NeurIPS\n"
          "title: First paper, corrected\nauthors: [Ada Lovelace]\nfeatured: true\n---\n\n"
          "A *note* under the abstract.\n")
    result = build(site)
    page = html(result, "papers/first-paper/index.html")
    assert '<a class="button" href="/files/first.pdf">' in page
    assert '<dt>DOI</dt><dd><span dir="ltr">10.1000/xyz123</span></dd>' in page
    assert '<a class="button" href="https://doi.org/10.1000/xyz123">' in page
    assert "<dd>NeurIPS</dd>" in page and "<p>A <em>note</em> under the abstract.</p>" in page
    assert page.index("Abstract</h2>") < page.index("A <em>note</em>")
    assert '<h1 id="paper-title">First paper, corrected</h1>' in page
    assert "Charles Babbage" not in page.split("<h1")[1].split("</p>")[0]
    home = html(result, "index.html")
    selected = home.split('id="selected-heading"')[1].split("</section>")[0]
    assert re.findall(r'href="/papers/([\w-]+)/"', selected) == ["first-paper"]


def test_a_paper_file_whose_slug_matches_no_paper_names_the_closest(site):
    # (A name this close to a paper's slug without a file is taken for it: test_retitle.py.)
    write(site / "content" / "papers" / "first-paper-draft-v2.md", "---\npdf: x.pdf\n---\n")
    write(site / "content" / "papers" / "second-paper.md", "---\nslide: x.pdf\ndoi: 42\n---\n")
    papers = site / "content" / "papers"
    assert [line for line in error_of(site).splitlines() if line.startswith("/")] == [
        f"{papers / 'first-paper-draft-v2.md'}:1:1: no paper has the slug "
        "'first-paper-draft-v2'; "
        "did you mean 'first-paper' (First paper)? (a file here is named after its "
        "paper's address, papers/<slug>/)",
        f"{papers / 'second-paper.md'}:2:1: unknown field 'slide'; did you mean 'slides'? "
        f"(known: {', '.join(PAPER_FIELDS)})",  # the table's fields, in its order
        f"{papers / 'second-paper.md'}:3:6: 'doi' must be a DOI such as 10.1000/xyz123, "
        "found int 42",
    ]


# -- charts and badges ---------------------------------------------------------------------------


def test_the_charts_numbers_are_the_records_counts(demo_build):
    home = html(demo_build, "publications/index.html")
    labels = re.findall(r'<svg viewBox="[^"]+" role="img" aria-label="([^"]+)">', home)
    assert len(labels) == 2
    papers = demo_build.profile.papers
    years = Counter(p.date.year for p in papers)
    cats = Counter(p.category for p in papers)
    # Every year of the range, those without papers too (the demo has none in 2023).
    assert labels[0] == "Papers per year: " + ", ".join(
        f"{year} {years[year]}" for year in range(min(years), max(years) + 1))
    assert "2023 0" in labels[0]
    shown = dict(re.findall(r"(\w+) (\d+)", labels[1].split(": ", 1)[1]))
    assert {code: int(n) for code, n in shown.items()} == cats
    bars = re.findall(r'<rect class="bar"', home)
    assert len(bars) == len(years) + len(cats)


def test_badges_are_svg_with_the_home_pages_numbers(demo_build):
    home = html(demo_build, "index.html")
    shown = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", home))
    for name, label in (("h-index", "h-index"), ("citations", "Citations"),
                        ("papers", "Papers")):
        svg = ET.fromstring(demo_build.files[f"badges/{name}.svg"])
        assert svg.tag == f"{SVG}svg"
        texts = [t.text for t in svg.iter(f"{SVG}text")]
        # label and number (each with its shadow), then the source and day, drawn
        assert texts == [name, name, shown[label], shown[label], "profile, 2026-11-23"]
        said = f"{name}: {shown[label]} (profile, 2026-11-23)"  # its source and day
        assert svg.get("aria-label") == said
        assert svg.find(f"{SVG}title").text == said


# -- serve ---------------------------------------------------------------------------------------


def test_serve_rebuilds_with_pages_and_paper_files(site):
    preview = Preview(site, {}, log=lambda _: None)
    assert preview.rebuild("start")
    assert "about/index.html" not in preview.snapshot.files
    write(site / "content" / "pages" / "about.md", "---\ntitle: About\nmenu: 1\n---\nHi.\n")
    write(site / "content" / "papers" / "first-paper.md", "---\ndoi: 10.1000/abc\n---\n")
    assert preview.rebuild("content changed")
    files = {path: preview.snapshot.read(path) for path in preview.snapshot.files}
    assert b"<p>Hi.</p>" in files["about/index.html"]
    assert b"10.1000/abc" in files["papers/first-paper/index.html"]
    assert files == build(site).files  # one code path: the same files as build



@pytest.mark.parametrize(("theme_yaml", "expected"), [
    (b"extends: scholar\nsettings: {accent: [\n",
     "2:21: not valid YAML: expected the node content, but found '<stream end>'"),
    (b"extends: scholar\nsettings:\n  - accent\n",
     "3:3: 'settings' must be 'name: default' lines, such as 'accent: \"#1d4ed8\"', "
     "found a list"),
    (b"extends:\n  - scholar\n",
     "2:3: 'extends' must name a theme, such as 'extends: scholar', found a list"),
    (b"- scholar\n",
     "1:1: expected 'key: value' lines, such as 'extends: scholar' and 'settings:'"),
    (b"extends: scholar\nextends: minimal\n", "2:1: duplicate key 'extends' (first at line 1)"),
    (b"extends: scholar\n# \xff\n",
     "1:1: not UTF-8 text (byte 19); expected the file saved as UTF-8"),
])
def test_a_broken_theme_yaml_is_a_site_error_at_its_line_and_column(site, theme_yaml, expected):
    theme = site / "themes" / "mine" / "theme.yaml"
    theme.parent.mkdir(parents=True)
    theme.write_bytes(theme_yaml)
    (site / "site.yaml").write_text("as_of: 2026-11-23\ntheme: mine\n", encoding="utf-8")
    shown = str(theme.resolve())
    assert [line for line in error_of(site).splitlines() if line.startswith(shown)] == [
        f"{shown}:{expected}"]


# -- {% fragment %} ------------------------------------------------------------------------


class _DictStore:
    """A store of fragments by equal keys (the dev server's matches by identity)."""

    def __init__(self) -> None:
        self.bodies: dict[tuple, str] = {}

    def stored(self, keys: tuple) -> str | None:
        return self.bodies.get(keys)

    def store(self, keys: tuple, html: str) -> None:
        self.bodies[keys] = html


def test_a_fragment_body_is_reused_only_from_the_store_the_environment_was_made_with(tmp_path):
    write(tmp_path / "templates" / "count.html",
          "{% fragment key %}body {{ made() }}{% endfragment %}")
    theme = load_theme("scholar", tmp_path)
    calls = iter(range(100))

    def render(env) -> list[str]:
        template = env.get_template("count.html")
        return [template.render(key=key, made=lambda: next(calls)) for key in ("a", "a", "b")]

    store = _DictStore()
    assert render(make_environment(tmp_path / "templates", theme, store)) == [
        "body 0", "body 0", "body 1"]
    assert store.bodies == {("a",): "body 0", ("b",): "body 1"}
    assert render(make_environment(tmp_path / "templates", theme)) == [
        "body 2", "body 3", "body 4"]
