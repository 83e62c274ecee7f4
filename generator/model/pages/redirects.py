"""A page at each old address a paper's extras name (`aliases:`), sending readers to the
paper; not in the sitemap (no head of a page of its own: it is the paper's)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

from ...errors import SiteError
from ...paperfields import NO_FIELDS
from ..routes import Kind, PageRoute, Route
from ..views import PaperView
from .kind import Layout, PageKind


class RedirectContext(NamedTuple):
    paper: PaperView


def routes(layout: Layout, made: Sequence[Route]) -> Iterator[Route]:
    extras = layout.content.extras
    for view in layout.papers:
        for alias in extras.get(view.paper.slug, NO_FIELDS).aliases:
            yield PageRoute(alias + "index.html", "redirect.html", RedirectContext(view),
                            Kind.REDIRECT)


def taken(route: PageRoute, owner: str, reserved: Iterable[str]) -> SiteError:
    slug = route.context.paper.paper.slug  # type: ignore[attr-defined]
    alias = route.path.removesuffix("index.html")
    return SiteError(f"content/papers/{slug}.md: 'aliases' names {alias}, which is already "
                     f"a page of the site ({owner})")


REDIRECT = PageKind(Kind.REDIRECT, "an old address of a paper (its 'aliases')", routes,
                    taken=taken)
