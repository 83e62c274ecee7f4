"""The home page shows the person first; every paper is on the publications page, grouped
by year or kind (group_by) in every theme, with the charts there unless home_charts."""

from __future__ import annotations

import dataclasses
import re

import pytest

from generator.build import build
from generator.config.checks import MENU_ITEMS
from generator.errors import SiteError
from generator.model.formatting import search_key, search_text
from generator.model.pages import MENU

from .conftest import copy_demo, make_site
from .test_build import MINI_PROFILE
from .test_citations import paper


def built(site, site_yaml: str = "") -> dict[str, str]:
    (site / "site.yaml").write_text("as_of: 2026-11-23\n" + site_yaml, encoding="utf-8")
    files = build(site).files
    return {path: files[path].decode("utf-8") for path in ("index.html",
                                                           "publications/index.html")}


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory):
    return copy_demo(tmp_path_factory.mktemp("pub") / "site")


def test_the_home_page_leads_with_the_person_and_links_to_every_paper(demo_site):
    pages = built(demo_site, "position: Research Scientist\naffiliation: Example Lab\n")
    home, listing = pages["index.html"], pages["publications/index.html"]
    assert '<p class="position">Research Scientist, Example Lab</p>' in home
    assert home.index('id="name"') < home.index('class="metrics"') < home.index(
        'id="selected-heading"')
    assert 'id="paper-filters"' not in home and "filters.js" not in home
    assert '<svg viewBox' not in home  # the charts are on the publications page
    count = len(re.findall(r'<li class="paper-card"', listing))
    assert f'<a href="/publications/">All {count} publications</a>' in home
    assert 'id="paper-filters"' in listing and "filters.js" in listing
    assert len(re.findall(r'<svg viewBox="[^"]+" role="img"', listing)) == 2


def test_home_charts_keeps_the_charts_on_the_home_page(demo_site):
    pages = built(demo_site, "home_charts: true\n")
    assert len(re.findall(r'<svg viewBox="[^"]+" role="img"', pages["index.html"])) == 2
    assert "<svg viewBox" not in pages["publications/index.html"]


@pytest.mark.parametrize("theme", ["scholar", "minimal"])
def test_group_by_gives_the_publications_page_its_headings_in_every_theme(demo_site, theme):
    by_year = built(demo_site, f"theme: {theme}\n")["publications/index.html"]
    by_type = built(demo_site, f"theme: {theme}\ngroup_by: type\n")["publications/index.html"]
    assert by_year != by_type
    years = re.findall(r'<h2 class="[^"]+" id="y(\d{4})">', by_year)
    assert years and years == sorted(years, reverse=True)
    kinds = re.findall(r'<h2 class="[^"]+" id="([a-z]+)">([^<]+)', by_type)
    assert ("conference", "Conference papers ") in [(k, label.rstrip() + " ")
                                                    for k, label in kinds]


def test_old_links_to_the_home_pages_filters_reach_the_publications_page(demo_site):
    scholar = built(demo_site)["index.html"]
    assert ('location.replace("/publications/"+location.search+location.hash)'
            in scholar)  # the scholar theme uses scripts already: ?cat=CV goes on
    minimal = built(demo_site, "theme: minimal\n")["index.html"]
    assert "location.replace" not in minimal  # no script: a visible link instead
    assert 'Looking for the list? <a href="/publications/">Publications</a>' in minimal


def test_no_has_code_control_when_no_paper_has_code(tmp_path):
    with_code = built(make_site(tmp_path / "a", MINI_PROFILE))["publications/index.html"]
    assert 'id="filter-code"' in with_code
    profile = MINI_PROFILE.replace("Code\n", "\n").replace(" Code: https://github.com/"
                                                             "example/second.", "")
    listing = built(make_site(tmp_path / "b", profile))["publications/index.html"]
    assert 'id="filter-code"' not in listing and "Has code" not in listing


def test_site_yaml_menu_orders_the_menu_and_names_pages(demo_site):
    home = built(demo_site, "menu:\n  - about\n  - cv\n  - home\n")["index.html"]
    nav = re.findall(r'<li><a href="([^"]+)"', home.split("</nav>")[0])
    assert nav == ["/about/", "/cv/", "/", "/publications/", "/categories/"]


def test_a_menu_item_that_names_nothing_is_an_error_at_its_line(demo_site):
    (demo_site / "site.yaml").write_text("as_of: 2026-11-23\nmenu:\n  - home\n  - abuot\n",
                                         encoding="utf-8")
    with pytest.raises(SiteError, match=r"site\.yaml:\d+:\d+: 'menu' names no item of the "
                                        r"menu: 'abuot'; .*did you mean 'about'\?"):
        build(demo_site)


def test_the_menu_setting_knows_every_built_in_item():
    keys = {item.key for kind in MENU if kind.menu is not None
            for item in kind.menu(_Content(), lambda path: path)}
    assert keys == set(MENU_ITEMS) and len(keys) == len(MENU) - 1  # (pages: by file name)


class _Content:
    """Content with one of everything a menu item needs (no Markdown page)."""

    pages = ()
    news = (object(),)
    cv = object()
    items = tuple(type("Item", (), {"kind": kind}) for kind in ("talks", "teaching", "projects"))


def test_the_cvs_papers_are_numbered_once_across_its_years(demo_site):
    (demo_site / "site.yaml").write_text("as_of: 2026-11-23\n", encoding="utf-8")
    cv = build(demo_site).files["cv/index.html"].decode("utf-8")
    lists = re.findall(r'<ol class="cv-papers"(?: start="(\d+)")?>(.*?)</ol>', cv, re.S)
    assert len(lists) > 1, "the demo's CV groups its papers by year"
    listed = 0
    for start, items in lists:
        assert int(start or 1) == listed + 1
        listed += len(re.findall(r"<li\b", items))
    assert listed == 33


def test_a_chart_label_never_runs_into_its_bar():
    from generator.model.charts import bar_chart, text_width

    chart = bar_chart("categories", "Papers per category",
                      [("Computer Vision and Pattern Recognition", 9), ("LG", 3)])
    for bar in chart.bars:
        assert text_width(bar.text) + 8 <= chart.label_width, bar.text
    assert chart.bars[0].text.endswith("…") and chart.bars[1].text == "LG"
    assert "Computer Vision and Pattern Recognition 9" in chart.summary  # said whole


@pytest.mark.parametrize("counts", [[("2026-11-30", 3_790), ("2026-12-07", 3_890)],
                                    [("2024", 12_345_678)], [("2020", 13), ("2021", 3)]])
def test_a_bars_count_fits_right_of_the_longest_bar_whatever_its_digits(counts):
    # The count is drawn 4 px after its bar (partials/chart.html): its estimated width in
    # the chart's font must end inside the chart (3,890 was cut to "3,89").
    from generator.model.charts import CHAR_WIDTH, CHART_FONT, bar_chart

    chart = bar_chart("c", "t", counts)
    for bar in chart.bars:
        end = chart.label_width + 4 + bar.width + len(f"{bar.count:,}") * CHART_FONT * CHAR_WIDTH
        assert end <= chart.width, (bar.label, end, chart.width)


def test_a_cards_search_text_says_each_word_once_and_keeps_every_word():
    """filters.js looks for each word of a query within a word of the card's data-search, so
    a word said again adds only bytes (most of a large publications page is its abstracts)."""
    one = dataclasses.replace(paper("Neural Scene Neural Fields", ("Ada Lovelace",)),
                              abstract="Scene fields: neural fields of a scene, of a scene.")
    words = search_text(one).split()
    assert len(words) == len(set(words)), words
    said = "Neural Scene Neural Fields Ada Lovelace " + one.abstract
    assert set(words) == set(search_key(said).split())
    assert words[:5] == ["neural", "scene", "fields", "ada", "lovelace"]  # in reading order
