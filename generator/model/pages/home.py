"""The home page (`index.html`): every paper, with the selected ones, facets, charts and
the latest news; first in the menu as Papers."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import NamedTuple

from ...i18n import N_
from ..charts import Chart, Facets, charts, paper_facets
from ..inputs import SiteContent
from ..metadata import home_head
from ..routes import Kind, PageRoute, Route
from ..views import CategoryView, NavItem, NewsView, PaperGroup, PaperView
from .kind import Layout, PageKind, newest

#: How many pieces of news the home page shows, newest first (all are on /news/).
HOME_NEWS = 3


class HomeContext(NamedTuple):
    papers: tuple[PaperView, ...]  # newest first
    categories: tuple[CategoryView, ...]
    facets: Facets
    selected: tuple[PaperView, ...]  # those featured
    charts: tuple[Chart, ...]
    news: tuple[NewsView, ...]  # the latest HOME_NEWS
    groups: tuple[PaperGroup, ...]


def routes(layout: Layout, made: Sequence[Route]) -> Iterator[Route]:
    views = layout.papers
    yield PageRoute("index.html", "home.html",
                    HomeContext(views, layout.categories, paper_facets(views),
                                tuple(view for view in views if view.featured),
                                charts(views, layout.categories), layout.news[:HOME_NEWS],
                                layout.groups),
                    Kind.HOME, "home", len(views))


def menu(content: SiteContent, url: Callable[[str], str]) -> Iterator[NavItem]:
    yield NavItem(N_("Papers"), url(""), "home")


def lastmod(route: PageRoute) -> str | None:
    context: HomeContext = route.context  # type: ignore[assignment]
    return newest(view.paper for view in context.papers) or newest(context.news)


HOME = PageKind(Kind.HOME, "the home page", routes, ("index.html",), menu, home_head, lastmod)
