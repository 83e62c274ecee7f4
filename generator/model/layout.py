"""The site model: every record as a view and the one list of routes (every output file:
pages, feeds, sitemap, robots.txt, citation files), with everything a template shows
computed here, so templates only lay it out."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .. import __version__, installation
from ..config import SiteConfig
from ..content import NewsItem, Page
from ..cv import Cv
from ..dates import format_date
from ..errors import SiteError
from ..records import Paper, Profile, category_name
from ..reuse import Reuse
from ..text import visible
from . import citations, metadata
from .charts import badges, charts, paper_facets
from .cv import cv_view
from .formatting import name_key
from .routes import CitationFile, FileRoute, Kind, PageRoute, Route, Text
from .views import (
    CategoryRef,
    CategoryView,
    Generator,
    NavItem,
    NewsView,
    PaperGroup,
    PaperView,
    SiteView,
    corrected,
    metric_views,
    paper_groups,
    paper_view,
    people,
)


@dataclass(frozen=True)
class SiteModel:
    site: SiteView
    papers: tuple[PaperView, ...]  # newest first
    categories: tuple[CategoryView, ...]  # most papers first
    routes: tuple[Route, ...]
    assets: tuple[tuple[str, str], ...]  # (output path, source key) of files to copy


#: How many pieces of news the home page shows, newest first (all are on /news/).
HOME_NEWS = 3


def build_model(
    config: SiteConfig,
    profile: Profile,
    photo_name: str | None = None,
    extras: Mapping[str, Mapping[str, Any]] | None = None,
    pages: tuple[Page, ...] = (),
    reuse: Reuse | None = None,
    news: tuple[NewsItem, ...] = (),
    cv: Cv | None = None,
    card_name: str | None = None,
) -> SiteModel:
    """Lay out the whole site: views of every record and the list of routes.

    `extras` holds per-paper settings by slug, as content/papers/<slug>.md gives them
    (see content.PAPER_KEYS, plus `notes`, the body as HTML); links such as `pdf` are
    http(s) URLs or paths under the site root. `pages` are the Markdown pages. `reuse`
    (the dev server's, kept from one build to the next) gives back the views and BibTeX
    keys of papers that did not change: the very same objects, so comparing the routes
    that show them mostly stops at identity.
    """
    extras = extras or {}
    base = config.base_path
    url = _url_maker(base)

    ordered = sorted((corrected(p, extras.get(p.slug, {})) for p in profile.papers),
                     key=lambda p: (-p.date.toordinal(), p.line))
    labels = {p.category: p.category_label for p in ordered if p.category_label}

    def category_ref(code: str) -> CategoryRef:
        return CategoryRef(code, labels.get(code) or category_name(code),
                           url(f"categories/{code}/"))

    if reuse is not None:
        reuse.start()
    keys = _keys(ordered, reuse)
    date_format = config.settings.get("date_format")
    own = people(profile.name, config.aliases, config.coauthors)
    refs = {code: category_ref(code) for code in {p.category for p in ordered}}

    def view(p: Paper) -> PaperView:
        return paper_view(p, url, refs[p.category], own, date_format, extras.get(p.slug, {}),
                          keys[p.slug], config.site_url)

    if reuse is None:
        views = tuple(map(view, ordered))
    else:
        made = []
        for p in ordered:  # no closures: this runs for every paper on every rebuild
            # A view is made of its record and these, and nothing else.
            key = (p, refs[p.category], own, date_format,
                   repr(sorted(extras.get(p.slug, {}).items())), keys[p.slug],
                   config.site_url, base)
            found = reuse.take(key)
            if found is None:
                found = view(p)
                reuse.keep(key, found)
            made.append(found)
        views = tuple(made)
    by_code: dict[str, list[PaperView]] = {}
    for item in views:
        by_code.setdefault(item.paper.category, []).append(item)
    categories = tuple(
        CategoryView(category_ref(code), tuple(items))
        for code, items in sorted(by_code.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    )
    nav = (
        NavItem("Papers", url(""), "home"),
        NavItem("Categories", url("categories/"), "categories"),
        *((NavItem("News", url("news/"), "news"),) if news else ()),
        *((NavItem("CV", url("cv/"), "cv"),) if cv else ()),
        *(NavItem(page.title, url(f"{page.name}/"), page.name)
          for page in pages if page.menu is not None),
    )
    site = SiteView(
        title=visible(config.title or profile.name),
        description=visible(config.description or _default_description(profile)),
        language=config.language,
        base_path=base,
        name=visible(profile.name),
        category=category_ref(profile.category),
        metrics=metric_views(profile, config.metrics),
        bio=visible(config.bio) if config.bio else None,
        photo_url=url(f"assets/{photo_name}") if photo_name else None,
        card_url=url(f"assets/{card_name}") if card_name else None,
        links=config.links,
        nav=nav,
        generator=Generator("scholarfolio", __version__, installation.homepage()),
        site_url=config.site_url,
        robots=config.robots,
        feed_url=url("feed.xml") if config.site_url else None,
        bibtex_url=url("papers.bib"),
        ris_url=url("papers.ris"),
        csl_url=url("papers.json"),
        settings=config.theme_settings,
    )
    news_views = tuple(NewsView(item.name, item.date, item.date.isoformat(),
                                format_date(item.date, date_format),
                                visible(item.title) if item.title else None, item.html,
                                item.text, url(f"news/#{item.name}")) for item in news)
    groups = paper_groups(views, config.group_by)
    lists, papers, others = _page_routes(site, views, categories, pages, news_views, groups)
    if cv is not None:
        others.insert(0, PageRoute("cv/index.html", "cv.html",
                                   {"cv": cv_view(cv, site, groups, own.own | _own_names(cv.name),
                                                  date_format)},
                                   Kind.CV, "cv", len(views)))
    # Each paper's page with its citation files: a share of contiguous routes is then
    # a share of the papers, whatever its size (render/parallel.py).
    routes: list[Route] = [*lists]
    for page, view in zip(papers, views, strict=True):
        routes.append(page)
        routes += (FileRoute(f"papers/{view.paper.slug}/citation.{ext}",
                             CitationFile(fmt, (view,)))
                   for fmt, ext in citations.FORMATS.items())
    routes += others
    routes += _redirects(views, [route.path for route in routes], extras)
    routes += _machine_routes(site, [*lists, *papers, *others], views, categories,
                              profile.as_of, news_views)
    if config.domain:
        routes.append(FileRoute("CNAME", Text(config.domain + "\n"), Kind.CNAME))
    assets = (("assets/" + photo_name, "photo"),) if photo_name else ()
    return SiteModel(site, views, categories, tuple(routes), assets)


def _own_names(name: str | None) -> frozenset[str]:
    """The CV's own spelling of the name, as another alias."""
    return frozenset((name_key(name),)) if name else frozenset()


def _redirects(views: tuple[PaperView, ...], taken: list[str],
               extras: Mapping[str, Mapping[str, Any]]) -> list[PageRoute]:
    """A page at each old address a paper's extras name (`aliases:`), sending readers to
    the paper; not in the sitemap (its kind is no page's)."""
    paths = set(taken)
    routes = []
    for view in views:
        for alias in (extras.get(view.paper.slug) or {}).get("aliases", ()):
            path = alias + "index.html"
            if path in paths:
                raise SiteError(f"content/papers/{view.paper.slug}.md: 'aliases' names "
                                f"{alias}, which is already a page of the site")
            paths.add(path)
            routes.append(PageRoute(path, "redirect.html", {"paper": view}, Kind.REDIRECT))
    return routes


def _url_maker(base: str) -> Callable[[str], str]:
    """A site path (`papers/x/`) as a URL under the base path."""
    def url(path: str) -> str:
        return base + path

    return url


def _keys(ordered: list[Paper], reuse: Reuse | None) -> dict[str, str]:
    """Each paper's BibTeX key, by slug; from the records as parsed."""
    if reuse is None:
        return citations.assign_keys(ordered)
    # Compared, not hashed: equal records are mostly the same objects.
    inputs = [(p.slug, p.authors[:1], p.date, p.title) for p in ordered]
    return reuse.get("keys", lambda: (inputs, citations.assign_keys(ordered)),
                     fits=lambda found: found[0] == inputs)[1]


def _page_routes(site: SiteView, views: tuple[PaperView, ...],
                 categories: tuple[CategoryView, ...], pages: tuple[Page, ...],
                 news: tuple[NewsView, ...] = (), groups: tuple[PaperGroup, ...] = ()
                 ) -> tuple[list[PageRoute], list[PageRoute], list[PageRoute]]:
    """The pages that list papers, the papers' pages, and the other pages and badges; in
    this order the sitemap lists them."""
    lists = [
        PageRoute("index.html", "home.html",
                  {"papers": views, "categories": categories, "facets": paper_facets(views),
                   "selected": tuple(view for view in views if view.featured),
                   "charts": charts(views, categories), "news": news[:HOME_NEWS],
                   "groups": groups},
                  Kind.HOME, "home", len(views)),
        PageRoute("categories/index.html", "categories.html", {"categories": categories},
                  Kind.CATEGORIES, "categories"),
    ]
    lists += (PageRoute(f"categories/{category.ref.code}/index.html", "category.html",
                        {"category": category}, Kind.CATEGORY, "categories", category.count)
              for category in categories)
    papers = []
    for index, view in enumerate(views):  # each paper's page links its neighbours
        newer = views[index - 1] if index > 0 else None
        older = views[index + 1] if index + 1 < len(views) else None
        papers.append(PageRoute(f"papers/{view.paper.slug}/index.html", "paper.html",
                                {"paper": view, "newer": newer, "older": older}, Kind.PAPER))
    others = [PageRoute(f"{page.name}/index.html", page.template, {"page": page}, Kind.PAGE,
                        page.name) for page in pages]
    if news:
        others.insert(0, PageRoute("news/index.html", "news.html", {"news": news}, Kind.NEWS,
                                   "news", len(news)))
    others.append(PageRoute("404.html", "404.html", {}, Kind.NOT_FOUND))
    others += (PageRoute(f"badges/{item.key}.svg", "badge.svg", {"badge": item}, Kind.BADGE)
               for item in badges(site.metrics, len(views)))
    return lists, papers, others


def _default_description(profile: Profile) -> str:
    count = len(profile.papers)
    return f"{profile.name}: {count} paper{'s' if count != 1 else ''} in {profile.category_name}."


def _machine_routes(
    site: SiteView,
    pages: list[PageRoute],
    views: tuple[PaperView, ...],
    categories: tuple[CategoryView, ...],
    as_of: Any,
    news: tuple[NewsView, ...] = (),
) -> list[Route]:
    """Files for machines: every paper's citations, and, when the site's address is known,
    Atom feeds and the sitemap (of `pages`); robots.txt for a site at a host's root."""
    routes: list[Route] = [
        FileRoute("papers.bib", CitationFile("bibtex", views), listed=len(views)),
        FileRoute("papers.ris", CitationFile("ris", views), listed=len(views)),
        FileRoute("papers.json", CitationFile("csljson", views), listed=len(views))]
    sitemap_url = None
    if site.site_url:
        routes.append(_feed_route(site, views, as_of, news=news))
        routes += (_feed_route(site, category.papers, as_of, category)
                   for category in categories)
        if site.robots == "index":
            urls = metadata.sitemap(site, pages)
            routes.append(PageRoute("sitemap.xml", "sitemap.xml", {"urls": urls}, Kind.SITEMAP,
                                    None, len(urls)))
            sitemap_url = site.absolute(site.url("sitemap.xml"))
    if site.base_path == "/":
        routes.append(PageRoute("robots.txt", "robots.txt", {"sitemap": sitemap_url},
                                Kind.ROBOTS))
    return routes


def _feed_route(site: SiteView, views: tuple[PaperView, ...], as_of: Any,
                category: CategoryView | None = None, news: tuple[NewsView, ...] = ()
                ) -> PageRoute:
    """The Atom feed of the site's papers and news, or of a category's papers."""
    if category is None:
        path, url, page = "feed.xml", site.url("feed.xml"), site.url()
        title, subtitle = site.title, f"Papers by {site.name}"
    else:
        ref = category.ref
        path, url, page = f"categories/{ref.code}/feed.xml", f"{ref.url}feed.xml", ref.url
        title, subtitle = f"{site.title}: {ref.name}", f"Papers by {site.name} in {ref.name}"
    feed = metadata.feed(site, url, page, title, subtitle, views, as_of, news)
    return PageRoute(path, "atom.xml", {"feed": feed}, Kind.FEED, None, len(views))
