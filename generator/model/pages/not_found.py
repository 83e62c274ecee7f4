"""The page a host serves for an address the site has not (`404.html`); not indexed."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import NamedTuple

from ..metadata import PageMeta
from ..routes import Kind, PageRoute, Route
from ..views import SiteView
from .kind import Layout, PageKind


class NotFoundContext(NamedTuple):
    """Nothing beside `site`."""


def routes(layout: Layout, made: Sequence[Route]) -> Iterator[Route]:
    yield PageRoute("404.html", "404.html", NotFoundContext(), Kind.NOT_FOUND)


def meta(site: SiteView, route: PageRoute) -> PageMeta:
    return PageMeta(robots="noindex")


NOT_FOUND = PageKind(Kind.NOT_FOUND, "the page of a missing address (404.html)", routes,
                     ("404.html",), meta=meta)
