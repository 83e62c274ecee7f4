"""The CV page (content/cv.yaml, RenderCV's schema): each entry laid out by its kind, the
site's own papers where `publications:` stands, problems at file:line:col, fields the
page cannot show as warnings; aliases, co-authors and group_by in author lists."""

from __future__ import annotations

import re

import pytest

from generator.build import build
from generator.cv import read_cv, section_title
from generator.errors import SiteError

from .conftest import copy_demo

CV = """\
cv:
  name: Ana Ruiz
  email: ana@example.org
  social_networks:
    - network: GitHub
      username: anaruiz
    - network: Mastodon
      username: "@ana@sigmoid.social"
  sections:
    education:
      - institution: University of Lisbon
        area: Computer Science
        degree: PhD
        start_date: 2016-09
        end_date: 2020-07
        highlights:
          - "Thesis: *Learning functions*"
    experience:
      - company: A Lab
        position: Research Scientist
        start_date: 2020
    publications:
    talks_and_posters:
      - name: Neural processes
        date: 2021-05-04
      - name: Summer school
        date: Fall 2023
"""


def site_with_cv(tmp_path, text=CV, settings=""):
    site = copy_demo(tmp_path / "site")
    (site / "content" / "cv.yaml").write_text(text, encoding="utf-8")
    if settings:
        with (site / "site.yaml").open("a", encoding="utf-8") as handle:
            handle.write(settings)
    return site


def cv_page(site, overrides=None):
    result = build(site, {"as_of": "2026-11-23", **(overrides or {})})
    return result, result.files["cv/index.html"].decode()


def test_sections_keep_the_files_order_with_the_sites_papers_where_publications_stands(
        tmp_path):
    result, page = cv_page(site_with_cv(tmp_path))
    titles = re.findall(r'<h2 id="cv-[^"]+">([^<]+)</h2>', page)
    assert titles == ["Education", "Experience", "Publications", "Talks and Posters"]
    papers = page.split('id="cv-publications"')[1].split("</section>")[0]
    assert papers.count('<li dir="auto">') == len(result.model.papers) == 33
    for view in result.model.papers[:3]:
        assert f'<a href="{view.url}">{view.title}</a>' in papers
    assert '<a href="/cv/" aria-current="page">CV</a>' in page


def test_each_entry_shows_its_dates_place_and_markdown(tmp_path):
    _, page = cv_page(site_with_cv(tmp_path))
    assert ('<time datetime="2016-09">Sep 2016</time> – <time datetime="2020-07">Jul 2020'
            '</time>') in page
    assert '<time datetime="2020">2020</time> – present' in page  # a start alone: ongoing
    assert "PhD in Computer Science" in page
    assert "<li>Thesis: <em>Learning functions</em></li>" in page
    assert '<time datetime="2021-05-04">May 4, 2021</time>' in page
    assert '<p class="cv-when">Fall 2023</p>' in page  # free text, as written
    assert '<a href="https://sigmoid.social/@ana">' in page
    assert '<a href="https://github.com/anaruiz">' in page
    assert '<a href="mailto:ana@example.org">' in page


def test_without_publications_the_papers_come_last_and_a_cv_without_contacts_shows_the_links(
        tmp_path):
    text = "cv:\n  sections:\n    awards:\n      - bullet: Best paper\n"
    _, page = cv_page(site_with_cv(tmp_path, text, "links:\n  github: octocat\n"))
    assert re.findall(r'<h2 id="cv-[^"]+">([^<]+)</h2>', page) == ["Awards", "Publications"]
    assert "<h1 id=\"cv-name\">S. M. Ali Eslami</h1>" in page  # the site's name
    assert '<a href="https://github.com/octocat">' in page


def test_a_written_publication_the_site_lists_is_not_repeated(tmp_path):
    text = ("cv:\n  sections:\n    publications:\n"
            "      - title: Neural Processes\n        authors: [M. Garnelo]\n"
            "      - title: A magazine piece\n        authors: [S. M. A. Eslami]\n"
            "        doi: 10.1000/xyz\n")
    _, page = cv_page(site_with_cv(tmp_path, text, "aliases: [S. M. A. Eslami]\n"))
    assert page.count(">Neural Processes</a>") == 1
    assert '<a href="https://doi.org/10.1000/xyz">A magazine piece</a>' in page
    assert "<strong>S. M. A. Eslami</strong>" in page  # an alias is the researcher


def test_print_gives_the_cv_alone(tmp_path):
    result, page = cv_page(site_with_cv(tmp_path))
    css = result.files["assets/cv.css"].decode()
    assert '<link rel="stylesheet" href="/assets/cv.css">' in page
    printed = css.split("@media print")[1]
    assert ".site-header, .site-footer" in printed and "display: none" in printed
    assert "--bg: #ffffff" in printed and "--text: #000000" in printed
    assert "@page { margin:" in css


@pytest.mark.parametrize(("key", "title"), [
    ("education", "Education"), ("education_and_skills", "Education and Skills"),
    ("talks_in_2024", "Talks in 2024"), ("selected_PhD_work", "Selected PhD Work"),
    ("of_note", "Of Note"),
])
def test_section_titles_are_made_as_rendercv_makes_them(key, title):
    assert section_title(key) == title


@pytest.mark.parametrize(("entry", "expected"), [
    ("      - company: A Lab\n", "cv.yaml:5:9: an experience entry needs 'position'"),
    ("      - institution: U\n        area: CS\n        start_date: 2020-13\n",
     "cv.yaml:7:21: impossible date '2020-13'"),
    ("      - name: X\n        start_date: Fall 2020\n",
     "cv.yaml:6:21: 'start_date' must be YYYY, YYYY-MM or YYYY-MM-DD, found 'Fall 2020'"),
    ("      - name: X\n        start_date: 2021\n        end_date: 2019\n",
     "cv.yaml:7:19: the end (2019) is before the start (2021)"),
    ("      - colour: red\n", "cv.yaml:5:9: cannot tell what kind of entry this is"),
    ("      - name: X\n        highlights: one\n", "cv.yaml:6:21: 'highlights' must be a list"),
    ("      - name: X\n        url: https://\n",
     "cv.yaml:6:14: 'url' must be an http(s) address, found 'https://'"),
])
def test_a_bad_entry_is_an_error_at_its_line(tmp_path, entry, expected):
    content = tmp_path / "content"
    content.mkdir()
    (content / "cv.yaml").write_text("cv:\n  name: A\n  sections:\n    s:\n" + entry,
                                     encoding="utf-8")
    with pytest.raises(SiteError) as caught:
        read_cv(content / "cv.yaml", lambda p: p.name)
    assert expected in str(caught.value)


def test_a_website_without_a_host_is_an_error_as_everywhere_else(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "cv.yaml").write_text("cv:\n  name: A\n  website: http:///x\n", encoding="utf-8")
    with pytest.raises(SiteError, match=r"cv.yaml:3:12: 'website' must be an http\(s\) "
                                        r"address, found 'http:///x'"):
        read_cv(content / "cv.yaml", lambda p: p.name)


def test_a_network_rendercv_does_not_know_is_an_error_with_did_you_mean(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "cv.yaml").write_text("cv:\n  social_networks:\n    - network: Github\n"
                                     "      username: x\n", encoding="utf-8")
    with pytest.raises(SiteError, match=r"cv.yaml:3:16: unknown network 'Github'; did you "
                                        r"mean 'GitHub'\?"):
        read_cv(content / "cv.yaml", lambda p: p.name)


def test_fields_the_page_cannot_show_are_warnings_and_design_is_the_themes(tmp_path):
    text = ("cv:\n  name: A\n  photo: me.jpg\n  sections:\n    jobs:\n"
            "      - company: L\n        position: P\n        colour: red\n"
            "design:\n  theme: classic\n")
    content = tmp_path / "content"
    content.mkdir()
    (content / "cv.yaml").write_text(text, encoding="utf-8")
    cv, warnings = read_cv(content / "cv.yaml", lambda p: p.name)
    assert [(w.line, w.col) for w in warnings] == [(3, 3), (8, 9)]
    assert "'photo' is not shown" in warnings[0].message
    assert "'colour' is not shown: an experience entry has no such field" in warnings[1].message
    assert cv.sections[0].entries[0].get("position") == "P"


def test_cv_warnings_reach_the_build_and_a_broken_cv_stops_it(tmp_path):
    site = site_with_cv(tmp_path, CV.replace("        degree: PhD\n",
                                             "        degree: PhD\n        gpa: 4\n"))
    result = build(site, {"as_of": "2026-11-23"})
    assert any("'gpa' is not shown" in w.message for w in result.warnings)
    (site / "content" / "cv.yaml").write_text("cv: [1, 2]\n", encoding="utf-8")
    with pytest.raises(SiteError, match="cv.yaml:1:5: expected 'cv:' with the CV's fields"):
        build(site, {"as_of": "2026-11-23"})


def test_coauthors_link_their_names_and_aliases_are_bold_on_every_list(tmp_path):
    site = site_with_cv(tmp_path, settings=(
        "aliases: [Danilo Jimenez Rezende]\n"
        "coauthors:\n  Yaroslav Ganin: https://example.org/ganin\n"))
    result = build(site, {"as_of": "2026-11-23"})
    home = result.files["publications/index.html"].decode()
    assert '<a class="coauthor" href="https://example.org/ganin">Yaroslav Ganin</a>' in home
    assert '<strong class="self">Danilo Jimenez Rezende</strong>' in home
    assert '<strong class="self">S. M. Ali Eslami</strong>' in home  # the name itself too
    cv = result.files["cv/index.html"].decode()
    assert '<a class="coauthor" href="https://example.org/ganin">Yaroslav Ganin</a>' in cv


def test_group_by_type_heads_the_cv_and_minimal_publications_with_kinds_of_work(tmp_path):
    site = site_with_cv(tmp_path, settings="group_by: type\n")
    result = build(site, {"as_of": "2026-11-23", "theme": "minimal"})
    for page in (result.files["cv/index.html"].decode(),
                 result.files["publications/index.html"].decode()):
        heads = re.findall(r'<h[23] class="(?:cv-group|year)"[^>]*>([^<]+)</h[23]>', page)
        assert heads[0] == "Conference papers" and "Preprints" in heads
        assert not any(head.isdigit() for head in heads)


@pytest.mark.parametrize(("yaml", "expected"), [
    ("aliases: 3\n", "site.yaml:1:10: 'aliases' must be a list of names"),
    ("coauthors:\n  A: ftp://x\n", "'A' must be an http(s) address"),
    ("group_by: venue\n", "'group_by' must be one of year, type"),
])
def test_bad_people_settings_are_errors(tmp_path, yaml, expected):
    site = copy_demo(tmp_path / "site")
    (site / "site.yaml").write_text(yaml, encoding="utf-8")
    with pytest.raises(SiteError) as caught:
        build(site, {"as_of": "2026-11-23"})
    assert expected in str(caught.value)


def test_a_cv_doi_or_website_that_a_url_may_not_hold_raw_is_a_valid_link(tmp_path):
    # nilearn's real Fischl 1999 entry has a Wiley SICI DOI (tests/fixtures/bib/).
    text = CV.replace("  email: ana@example.org\n",
                      "  email: ana@example.org\n  website: https://example.org/~ana/cv 2026/\n")
    text = text.replace("    publications:\n", """    publications:
      - title: High-resolution intersubject averaging and a coordinate system
        authors: [Bruce Fischl, Ana Ruiz]
        doi: 10.1002/(SICI)1097-0193(1999)8:4<272::AID-HBM10>3.0.CO;2-4
        date: 1999
""")
    _, page = cv_page(site_with_cv(tmp_path, text))
    assert 'href="https://example.org/~ana/cv%202026/"' in page
    assert ('href="https://doi.org/10.1002/(SICI)1097-0193(1999)8:4%3C272::AID-HBM10%3E3.0.CO;2-4"'
            in page)
