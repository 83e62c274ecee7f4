"""The news page (`news/`): every piece of news of content/news/, newest first."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import NamedTuple

from ...i18n import N_, translations
from ..inputs import SiteContent
from ..metadata import PageMeta, page_head
from ..routes import Kind, PageRoute, Route
from ..views import NavItem, NewsView, SiteView
from .kind import Layout, PageKind, newest


class NewsContext(NamedTuple):
    news: tuple[NewsView, ...]  # newest first


def routes(layout: Layout, made: Sequence[Route]) -> Iterator[Route]:
    if layout.news:
        yield PageRoute("news/index.html", "news.html", NewsContext(layout.news), Kind.NEWS,
                        "news", len(layout.news))


def menu(content: SiteContent, url: Callable[[str], str]) -> Iterator[NavItem]:
    if content.news:
        yield NavItem(N_("News"), url("news/"), "news")


def meta(site: SiteView, route: PageRoute) -> PageMeta:
    _ = translations(site.language).gettext
    return page_head(site, route, _("News"), _("News from %(name)s.") % {"name": site.name})


def lastmod(route: PageRoute) -> str | None:
    return newest(route.context.news)  # type: ignore[attr-defined]


NEWS = PageKind(Kind.NEWS, "the news page (content/news/)", routes, ("news/",), menu, meta,
                lastmod)
