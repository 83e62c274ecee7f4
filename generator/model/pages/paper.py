"""Each paper's page (`papers/<slug>/`), linking its neighbours, followed by its citation
files: a share of contiguous routes is then a share of the papers, whatever its size
(render/parallel.py)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import NamedTuple

from .. import citations
from ..metadata import PageMeta, paper_head
from ..routes import CitationFile, FileRoute, Kind, PageRoute, Route
from ..views import PaperView, SiteView
from .kind import Layout, PageKind


class PaperContext(NamedTuple):
    paper: PaperView
    newer: PaperView | None  # the paper listed before it (newest first), if any
    older: PaperView | None


def routes(layout: Layout, made: Sequence[Route]) -> Iterator[Route]:
    views = layout.papers
    for index, view in enumerate(views):
        newer = views[index - 1] if index > 0 else None
        older = views[index + 1] if index + 1 < len(views) else None
        slug = view.paper.slug
        yield PageRoute(f"papers/{slug}/index.html", "paper.html",
                        PaperContext(view, newer, older), Kind.PAPER)
        for fmt, ext in citations.FORMATS.items():
            yield FileRoute(f"papers/{slug}/citation.{ext}", CitationFile(fmt, (view,)))


def meta(site: SiteView, route: PageRoute) -> PageMeta:
    return paper_head(site, route, route.context.paper)  # type: ignore[attr-defined]


def lastmod(route: PageRoute) -> str | None:
    return route.context.paper.paper.date.isoformat()  # type: ignore[attr-defined]


PAPER = PageKind(Kind.PAPER, "a paper's page (papers/<slug>/)", routes, ("papers/",),
                 meta=meta, lastmod=lastmod)
