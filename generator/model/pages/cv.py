"""The CV page (`cv/`) of content/cv.yaml, listing the site's papers as the home page
groups them."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, NamedTuple

from ...i18n import N_, translations
from ...text import name_key
from ..inputs import SiteContent
from ..metadata import PageMeta, page_head
from ..routes import Kind, PageRoute, Route
from ..views import NavItem, SiteView
from .kind import Layout, PageKind, no_date

if TYPE_CHECKING:
    from ..cv import CvView


class CvContext(NamedTuple):
    cv: CvView


def routes(layout: Layout, made: Sequence[Route]) -> Iterator[Route]:
    cv = layout.content.cv
    if cv is None:
        return
    from ..cv import cv_view  # the CV's views only for a site with a CV

    # The CV's own spelling of the name, as another alias.
    own = layout.people.own | (frozenset((name_key(cv.name),)) if cv.name else frozenset())
    yield PageRoute("cv/index.html", "cv.html",
                    CvContext(cv_view(cv, layout.site, layout.groups, own, layout.date_format,
                                      layout.items)),
                    Kind.CV, "cv", len(layout.papers))


def menu(content: SiteContent, url: Callable[[str], str]) -> Iterator[NavItem]:
    if content.cv is not None:
        yield NavItem(N_("CV"), url("cv/"), "cv")


def meta(site: SiteView, route: PageRoute) -> PageMeta:
    _ = translations(site.language).gettext
    return page_head(site, route, _("CV"), _("Curriculum vitae of %(name)s.") % {"name": site.name})


CV = PageKind(Kind.CV, "the CV page (content/cv.yaml)", routes, ("cv/",), menu, meta, no_date)
