"""The Markdown pages of content/pages/ (`<name>/`), each laid out by its own template
(page.html unless its front matter names another), in the menu when they say where."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import NamedTuple

from ...content import Page
from ...errors import Problem, SiteError
from ..inputs import SiteContent
from ..metadata import PageMeta, page_head
from ..routes import Kind, PageRoute, Route
from ..views import NavItem, SiteView
from .kind import Layout, PageKind, no_date


class PageContext(NamedTuple):
    page: Page


def routes(layout: Layout, made: Sequence[Route]) -> Iterator[Route]:
    for page in layout.content.pages:
        yield PageRoute(f"{page.name}/index.html", page.template, PageContext(page), Kind.PAGE,
                        page.name)


def menu(content: SiteContent, url: Callable[[str], str]) -> Iterator[NavItem]:
    for page in content.pages:
        if page.menu is not None:
            yield NavItem(page.title, url(f"{page.name}/"), page.name)


def meta(site: SiteView, route: PageRoute) -> PageMeta:
    return page_head(site, route, route.context.page.title,  # type: ignore[attr-defined]
                     site.description)


def described(route: PageRoute) -> str:
    """A page by its file and template, since a page may name any template (one made for
    a paper finds no `paper` in its context)."""
    return (f"{route.path} (content/pages/{route.context.page.name}.md, "  # type: ignore
            f"laid out by its template '{route.template}', which gets `page`)")


def taken(route: PageRoute, owner: str, reserved: Iterable[str]) -> SiteError:
    name = route.context.page.name  # type: ignore[attr-defined]
    return SiteError(Problem(
        f"content/pages/{name}.md", 1, 1,
        f"the page's address {name}/ is taken by {owner}; rename the file: a page cannot "
        f"be named {', '.join(sorted(reserved))}"))


PAGE = PageKind(Kind.PAGE, "a Markdown page (content/pages/)", routes, (), menu, meta, no_date,
                described, taken, own_folders=True)
