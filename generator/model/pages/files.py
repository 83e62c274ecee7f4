"""Files for machines, after the pages: every paper's citations (papers.bib, papers.ris,
papers.json; each paper's own come with its page), and, when the site's address is known, the Atom
feeds and the sitemap; robots.txt for a site at a host's root; CNAME for a custom
domain. The names of the static files' folder (`assets/`) are kept here too."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

from ...i18n import translations
from ..metadata import Feed, absolute_maker, feed, page_url
from ..routes import CitationFile, FileRoute, Kind, PageRoute, Route, Text
from ..views import CategoryView, NewsView, PaperView, SiteView
from .kind import Layout, PageKind

#: The folder of the files copied as they are: the theme's and the site's static/, the
#: photo and the drawn card (build.py).
ASSETS = "assets/"


class FeedContext(NamedTuple):
    feed: Feed


class SitemapContext(NamedTuple):
    urls: tuple[tuple[str, str | None], ...]  # absolute URL, date (lastmod) or None


class RobotsContext(NamedTuple):
    sitemap: str | None  # the sitemap's absolute URL, when there is one


def citation_routes(layout: Layout, made: Sequence[Route]) -> Iterator[Route]:
    views = layout.papers
    yield FileRoute("papers.bib", CitationFile("bibtex", views), listed=len(views))
    yield FileRoute("papers.ris", CitationFile("ris", views), listed=len(views))
    yield FileRoute("papers.json", CitationFile("csljson", views), listed=len(views))


def feed_routes(layout: Layout, made: Sequence[Route]) -> Iterator[Route]:
    site = layout.site
    if site.site_url:
        as_of = layout.profile.as_of
        yield _feed_route(site, layout.papers, as_of, news=layout.news, items=layout.items)
        for category in layout.categories:
            yield _feed_route(site, category.papers, as_of, category)


def _feed_route(site: SiteView, views: tuple[PaperView, ...], as_of: dt.date,
                category: CategoryView | None = None, news: tuple[NewsView, ...] = (),
                items: tuple[Any, ...] = ()) -> PageRoute:
    """The Atom feed of the site's papers, news, talks, teaching and projects, or of a
    category's papers."""
    _ = translations(site.language).gettext
    if category is None:
        path, url, page = "feed.xml", site.url("feed.xml"), site.url()
        title, subtitle = site.title, _("Papers by %(name)s") % {"name": site.name}
    else:
        ref = category.ref
        path, url, page = f"categories/{ref.code}/feed.xml", f"{ref.url}feed.xml", ref.url
        title = f"{site.title}: {ref.name}"
        subtitle = _("Papers by %(name)s in %(category)s") % {"name": site.name,
                                                               "category": ref.name}
    made = feed(site, url, page, title, subtitle, views, as_of, news, items)
    return PageRoute(path, "atom.xml", FeedContext(made), Kind.FEED, None, len(views))


def _has_sitemap(site: SiteView) -> bool:
    return site.site_url is not None and site.robots == "index"


def sitemap_routes(layout: Layout, made: Sequence[Route]) -> Iterator[Route]:
    """The absolute URL of every page made so far whose kind has a sitemap date, in route
    order, each with its content's own date (`lastmod`): a paper's, the newest paper's
    of a list; None for a page with no date of its own (never the clock: a build must
    repeat)."""
    site = layout.site
    if _has_sitemap(site):
        from . import KIND_OF  # (the registry imports this module)

        absolute = absolute_maker(site)
        urls = []
        for route in made:
            lastmod = KIND_OF[route.kind].lastmod
            if lastmod is not None and isinstance(route, PageRoute):
                urls.append((absolute(page_url(site, route)), lastmod(route)))
        yield PageRoute("sitemap.xml", "sitemap.xml", SitemapContext(tuple(urls)), Kind.SITEMAP,
                        None, len(urls))


def robots_routes(layout: Layout, made: Sequence[Route]) -> Iterator[Route]:
    site = layout.site
    if site.base_path == "/":
        sitemap = site.absolute(site.url("sitemap.xml")) if _has_sitemap(site) else None
        yield PageRoute("robots.txt", "robots.txt", RobotsContext(sitemap), Kind.ROBOTS)


def cname_routes(layout: Layout, made: Sequence[Route]) -> Iterator[Route]:
    if layout.config.domain:
        yield FileRoute("CNAME", Text(layout.config.domain + "\n"), Kind.CNAME)


CITATIONS = PageKind(Kind.CITATIONS, "the citations of every paper", citation_routes,
                     ("papers.bib", "papers.ris", "papers.json"))
FEED = PageKind(Kind.FEED, "the Atom feed", feed_routes, ("feed.xml",))
SITEMAP = PageKind(Kind.SITEMAP, "the sitemap", sitemap_routes, ("sitemap.xml",))
ROBOTS = PageKind(Kind.ROBOTS, "robots.txt", robots_routes, ("robots.txt",))
CNAME = PageKind(Kind.CNAME, "the custom domain's file (CNAME)", cname_routes, ("CNAME",))
