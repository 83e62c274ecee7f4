"""The home page (`index.html`): the researcher first (photo, name, position, bio, links),
then the latest news and the selected papers; the full list is on publications/."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import NamedTuple

from ...i18n import N_
from ..charts import Chart, charts
from ..inputs import SiteContent
from ..metadata import home_head
from ..routes import Kind, PageRoute, Route
from ..views import NavItem, NewsView, PaperView
from .kind import Layout, PageKind, newest

#: How many pieces of news the home page shows, newest first (all are on /news/).
HOME_NEWS = 3


class HomeContext(NamedTuple):
    papers: tuple[PaperView, ...]  # every paper, newest first: counted and dated, not listed
    selected: tuple[PaperView, ...]  # those featured
    charts: tuple[Chart, ...]  # only with site.yaml's home_charts: true
    news: tuple[NewsView, ...]  # the latest HOME_NEWS


def routes(layout: Layout, made: Sequence[Route]) -> Iterator[Route]:
    views = layout.papers
    shown = charts(views, layout.categories) if layout.config.home_charts else ()
    yield PageRoute("index.html", "home.html",
                    HomeContext(views, tuple(view for view in views if view.featured), shown,
                                layout.news[:HOME_NEWS]),
                    Kind.HOME, "home")


def menu(content: SiteContent, url: Callable[[str], str]) -> Iterator[NavItem]:
    yield NavItem(N_("Home"), url(""), "home")


def lastmod(route: PageRoute) -> str | None:
    context: HomeContext = route.context  # type: ignore[assignment]
    return newest(view.paper for view in context.papers) or newest(context.news)


HOME = PageKind(Kind.HOME, "the home page", routes, ("index.html",), menu, home_head, lastmod)
