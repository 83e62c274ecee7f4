"""Each kind of page lives in one module (model/pages/): every kind of route is declared
once with its pieces, each page's template gets the variables its kind names, and no
route takes an address another kind keeps: a Markdown page named after one is an error
at its file."""

from __future__ import annotations

import datetime as dt

import pytest
from markupsafe import Markup

from generator.build import build, load_site
from generator.content import NewsItem, Page
from generator.errors import SiteError
from generator.model import FileRoute, Kind, PageRoute, SiteContent, build_model
from generator.model.pages import KEPT, KIND_OF, KINDS, MENU, PAGE_KINDS
from generator.paperfields import PaperFields
from generator.reuse import Reuse

from .conftest import REPO, copy_demo
from .test_cv import CV

#: The variables each kind's template gets beside `site`, `nav_key` and `meta`: an
#: interface for users' templates/ overrides, so a change here is one a site must follow.
TEMPLATE_VARIABLES = {
    Kind.HOME: ("papers", "selected", "charts", "news"),
    Kind.PUBLICATIONS: ("papers", "categories", "facets", "charts", "groups"),
    Kind.TALKS: ("items",),
    Kind.TEACHING: ("items",),
    Kind.PROJECTS: ("items",),
    Kind.CATEGORIES: ("categories",),
    Kind.CATEGORY: ("category",),
    Kind.PAPER: ("paper", "newer", "older"),
    Kind.PAGE: ("page",),
    Kind.NEWS: ("news",),
    Kind.CV: ("cv",),
    Kind.NOT_FOUND: (),
    Kind.BADGE: ("badge",),
    Kind.REDIRECT: ("paper",),
    Kind.FEED: ("feed",),
    Kind.SITEMAP: ("urls",),
    Kind.ROBOTS: ("sitemap",),
}


@pytest.fixture(scope="module")
def demo():
    """The demo's settings and papers, for models laid out without a build."""
    config, profile, _ = load_site(REPO, {"as_of": "2026-11-23"})
    return config, profile


def page(name: str, menu: int | None = None) -> Page:
    return Page(name, name.title(), menu, "page.html", Markup("<p>Hi.</p>"), Markup(""))


NEWS = (NewsItem("talk", dt.date(2026, 5, 1), None, Markup("<p>A talk.</p>"), "A talk."),)


def test_every_kind_of_route_is_declared_once_with_its_pieces():
    assert sorted(kind.kind.value for kind in KINDS) == sorted(kind.value for kind in Kind)
    for kind in KINDS:
        assert KIND_OF[kind.kind] is kind
        assert kind.name and callable(kind.routes)
        # A kind keeps top-level paths, or its routes are named by the site's files.
        assert kind.paths or kind.own_folders or kind.taken is not None, kind.kind
        if kind.lastmod is not None:  # in the sitemap: an HTML page with a head
            assert kind.kind in PAGE_KINDS, kind.kind
        for path in kind.paths:  # every kept path is a name no Markdown page may take
            assert path.split("/")[0].split(".")[0].lower() in KEPT
    assert [kind for kind in KINDS if kind.menu is not None] == sorted(MENU, key=KINDS.index)


def test_each_kinds_pages_get_the_template_variables_it_names(tmp_path):
    site = copy_demo(tmp_path / "site")
    content = site / "content"
    (content / "cv.yaml").write_text(CV, encoding="utf-8")
    (content / "news").mkdir()
    (content / "news" / "talk.md").write_text("---\ndate: 2026-05-01\n---\nA talk.\n")
    (content / "pages").mkdir(exist_ok=True)
    (content / "pages" / "lectures.md").write_text("---\ntitle: Lectures\n---\nHi.\n")
    for kind in ("talks", "teaching", "projects"):
        (content / kind).mkdir()
        (content / kind / "one.md").write_text("---\ntitle: One\ndate: 2025-01-02\n---\n")
    (content / "papers").mkdir(exist_ok=True)
    slug = "conditional-neural-processes"
    (content / "papers" / f"{slug}.md").write_text("---\naliases: [old/cnp/]\n---\n")
    (content / "metrics").mkdir()
    (content / "metrics" / "2026-11-23.json").write_text('{"source": "OpenAlex", "h_index": 9}')
    result = build(site, {"as_of": "2026-11-23", "base_url": "https://ana.github.io/",
                          "domain": "ana.example.org"})
    assert result.model is not None
    routes = result.model.routes
    assert {route.kind for route in routes} == set(Kind)  # each kind is laid out here
    for route in routes:
        if isinstance(route, PageRoute):
            assert route.context._fields == TEMPLATE_VARIABLES[route.kind], route.path
        else:
            assert isinstance(route, FileRoute) and route.kind in (Kind.CITATIONS, Kind.CNAME,
                                                                   Kind.DATA)


@pytest.mark.parametrize("name, owner", [
    ("news", "the news page"), ("cv", "the CV page"), ("papers", "a paper's page"),
    ("categories", "the list of categories"), ("404", "404.html"),
    ("assets", "the static files"), ("index", "the home page"), ("badges", "a badge"),
    ("feed", "the Atom feed"), ("sitemap", "the sitemap"), ("robots", "robots.txt"),
    ("cname", "CNAME"), ("metrics", "the synced metrics as CSV"),
])
def test_a_markdown_page_named_after_another_kinds_address_is_an_error_at_its_file(
        demo, name, owner):
    config, profile = demo
    with pytest.raises(SiteError) as caught:
        build_model(config, profile, SiteContent(pages=(page("about"), page(name))))
    (problem,) = caught.value.problems
    assert (problem.path, problem.line, problem.col) == (f"content/pages/{name}.md", 1, 1)
    assert f"the page's address {name}/ is taken by " in problem.message
    assert owner in problem.message.split("; rename")[0]
    assert "cannot be named 404, assets, badges, categories, cname, cv, feed" in problem.message


def test_a_page_named_news_is_refused_on_a_site_with_news_and_without(demo):
    config, profile = demo
    for news in (NEWS, ()):
        with pytest.raises(SiteError, match=r"content/pages/news\.md:1:1: the page's address "
                                            r"news/ is taken by the news page"):
            build_model(config, profile, SiteContent(pages=(page("news", 1),), news=news))
    model = build_model(config, profile, SiteContent(pages=(page("talks", 1),), news=NEWS))
    assert [item.key for item in model.site.nav] == ["home", "publications", "categories",
                                                     "news", "talks"]


def test_a_build_names_the_page_file_whose_address_the_cv_has(tmp_path):
    site = copy_demo(tmp_path / "site")
    (site / "content" / "cv.yaml").write_text(CV, encoding="utf-8")
    (site / "content" / "pages").mkdir(exist_ok=True)
    (site / "content" / "pages" / "cv.md").write_text("---\ntitle: My CV\n---\nHi.\n")
    with pytest.raises(SiteError) as caught:
        build(site, {"as_of": "2026-11-23"})
    assert str(caught.value).startswith("content/pages/cv.md:1:1: the page's address cv/ is "
                                        "taken by the CV page (content/cv.yaml)")


def test_an_old_address_at_a_markdown_pages_is_an_error_naming_both(demo):
    config, profile = demo
    slug = profile.papers[0].slug
    content = SiteContent(pages=(page("about"),), extras={slug: PaperFields(aliases=("about/",))})
    with pytest.raises(SiteError) as caught:
        build_model(config, profile, content)
    assert str(caught.value) == (f"content/papers/{slug}.md: 'aliases' names about/, which is "
                                 "already a page of the site (a Markdown page (content/pages/))")


def test_the_dev_server_reuses_a_view_exactly_when_its_inputs_are_the_same(demo):
    config, profile = demo
    reuse = Reuse()
    first = build_model(config, profile, SiteContent(), reuse)
    featured = first.papers[3].paper.slug
    again = build_model(config, profile, SiteContent(extras={featured: PaperFields(featured=True)}),
                        reuse)
    for before, after in zip(first.papers, again.papers, strict=True):
        assert (after is before) == (after.paper.slug != featured), after.paper.slug
    assert [view.paper.slug for view in again.papers if view.featured] == [featured]


def test_a_page_file_name_that_is_no_address_is_an_error_at_its_file(tmp_path):
    site = copy_demo(tmp_path / "site")
    (site / "content" / "pages").mkdir(exist_ok=True)
    (site / "content" / "pages" / "About_Me.md").write_text("---\ntitle: Me\n---\nHi.\n")
    with pytest.raises(SiteError) as caught:
        build(site, {"as_of": "2026-11-23"})
    (problem,) = caught.value.problems
    assert problem.path.endswith("content/pages/About_Me.md") and problem.line == 1
    assert "expected lower-case letters, digits and hyphens" in problem.message


def test_every_page_at_a_taken_address_is_reported_at_once(demo):
    config, profile = demo
    with pytest.raises(SiteError) as caught:
        build_model(config, profile, SiteContent(pages=(page("cv"), page("about"), page("news"))))
    assert [(p.path, p.line, p.col) for p in caught.value.problems] == [
        ("content/pages/cv.md", 1, 1), ("content/pages/news.md", 1, 1)]
