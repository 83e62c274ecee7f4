"""The publications page (`publications/`): every paper, with the category chips, the
filters, the charts (unless site.yaml keeps them on the home page) and the papers under
headings by year or by kind of work (group_by)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import NamedTuple

from ...i18n import N_, translations
from ..charts import Chart, Facets, charts, paper_facets
from ..inputs import SiteContent
from ..metadata import PageMeta, page_head
from ..routes import Kind, PageRoute, Route
from ..views import CategoryView, NavItem, PaperGroup, PaperView, SiteView
from .kind import Layout, PageKind, newest


class PublicationsContext(NamedTuple):
    papers: tuple[PaperView, ...]  # newest first
    categories: tuple[CategoryView, ...]
    facets: Facets
    charts: tuple[Chart, ...]  # none with site.yaml's home_charts: true
    groups: tuple[PaperGroup, ...]  # the papers by year or by kind of work (group_by)


def routes(layout: Layout, made: Sequence[Route]) -> Iterator[Route]:
    views = layout.papers
    shown = () if layout.config.home_charts else charts(views, layout.categories)
    yield PageRoute("publications/index.html", "publications.html",
                    PublicationsContext(views, layout.categories, paper_facets(views), shown,
                                        layout.groups),
                    Kind.PUBLICATIONS, "publications", len(views))


def menu(content: SiteContent, url: Callable[[str], str]) -> Iterator[NavItem]:
    yield NavItem(N_("Publications"), url("publications/"), "publications")


def meta(site: SiteView, route: PageRoute) -> PageMeta:
    count = len(route.context.papers)  # type: ignore[attr-defined]
    catalogue = translations(site.language)
    description = catalogue.ngettext("%(num)s paper by %(name)s.", "%(num)s papers by %(name)s.",
                                     count) % {"num": count, "name": site.name}
    return page_head(site, route, catalogue.gettext("Publications"), description)


def lastmod(route: PageRoute) -> str | None:
    return newest(view.paper for view in route.context.papers)  # type: ignore[attr-defined]


PUBLICATIONS = PageKind(Kind.PUBLICATIONS, "the publications page", routes, ("publications/",),
                        menu, meta, lastmod)
