"""The categories: the list of them (`categories/`, in the menu) and each one's page of
papers (`categories/<code>/`, with its own feed)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import NamedTuple

from ...i18n import N_, translations
from ..inputs import SiteContent
from ..metadata import FeedLink, PageMeta, page_head
from ..routes import Kind, PageRoute, Route
from ..views import CategoryView, NavItem, SiteView
from .kind import Layout, PageKind, newest


class CategoriesContext(NamedTuple):
    categories: tuple[CategoryView, ...]  # most papers first


class CategoryContext(NamedTuple):
    category: CategoryView


def index_routes(layout: Layout, made: Sequence[Route]) -> Iterator[Route]:
    yield PageRoute("categories/index.html", "categories.html",
                    CategoriesContext(layout.categories), Kind.CATEGORIES, "categories")


def category_routes(layout: Layout, made: Sequence[Route]) -> Iterator[Route]:
    for category in layout.categories:
        yield PageRoute(f"categories/{category.ref.code}/index.html", "category.html",
                        CategoryContext(category), Kind.CATEGORY, "categories", category.count)


def menu(content: SiteContent, url: Callable[[str], str]) -> Iterator[NavItem]:
    yield NavItem(N_("Categories"), url("categories/"), "categories")


def index_meta(site: SiteView, route: PageRoute) -> PageMeta:
    _ = translations(site.language).gettext
    return page_head(site, route, _("Categories"),
                     _("Papers by %(name)s, by subject category.") % {"name": site.name})


def category_meta(site: SiteView, route: PageRoute) -> PageMeta:
    category: CategoryView = route.context.category  # type: ignore[attr-defined]
    ref = category.ref
    description = translations(site.language).ngettext(
        "%(num)d paper by %(name)s in %(category)s.", "%(num)d papers by %(name)s in %(category)s.",
        category.count) % {"num": category.count, "name": site.name, "category": ref.name}
    feed = FeedLink(f"{site.title}: {ref.name}", site.absolute(f"{ref.url}feed.xml") or "")
    return page_head(site, route, ref.name, description, feed)


def index_lastmod(route: PageRoute) -> str | None:
    context: CategoriesContext = route.context  # type: ignore[assignment]
    return newest(view.paper for category in context.categories for view in category.papers)


def category_lastmod(route: PageRoute) -> str | None:
    return newest(view.paper for view in route.context.category.papers)  # type: ignore


CATEGORIES = PageKind(Kind.CATEGORIES, "the list of categories", index_routes,
                      ("categories/",), menu, index_meta, index_lastmod)
CATEGORY = PageKind(Kind.CATEGORY, "a category's page", category_routes, ("categories/",),
                    meta=category_meta, lastmod=category_lastmod)
