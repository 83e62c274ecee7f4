"""The kinds of page, one module each: where each kind's routes go (its top-level paths),
its menu item, its routes with their typed context, its pages' head and sitemap date.
The site model walks `KINDS` in order: that order is the routes' and the sitemap's.

Adding a kind: a module here declaring a `PageKind`, its place in `KINDS` (and `MENU`),
a value of `routes.Kind`, and its template in the themes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import PurePosixPath

from ...errors import SiteError
from ..inputs import SiteContent
from ..routes import Kind, PageRoute, Route
from ..views import NavItem
from .badges import BADGE
from .categories import CATEGORIES, CATEGORY
from .cv import CV
from .data import DATA
from .files import ASSETS, CITATIONS, CNAME, FEED, ROBOTS, SITEMAP
from .home import HOME
from .items import PROJECTS, TALKS, TEACHING
from .kind import Layout, PageKind
from .news import NEWS
from .not_found import NOT_FOUND
from .page import PAGE
from .paper import PAPER
from .publications import PUBLICATIONS
from .redirects import REDIRECT

#: Every kind, in the order of the routes (so of the sitemap and the parallel shares).
KINDS: tuple[PageKind, ...] = (HOME, PUBLICATIONS, CATEGORIES, CATEGORY, PAPER, CV, NEWS, TALKS,
                               TEACHING, PROJECTS, PAGE, NOT_FOUND,
                               BADGE, REDIRECT, CITATIONS, DATA, FEED, SITEMAP, ROBOTS, CNAME)
#: The kinds with a menu item, in the menu's order (unless site.yaml's `menu:` orders it).
MENU: tuple[PageKind, ...] = (HOME, PUBLICATIONS, CATEGORIES, NEWS, TALKS, TEACHING, PROJECTS,
                              CV, PAGE)
#: Each kind of route's module.
KIND_OF: dict[Kind, PageKind] = {kind.kind: kind for kind in KINDS}
#: The kinds of route that are HTML pages with a head.
PAGE_KINDS = frozenset(kind.kind for kind in KINDS if kind.meta is not None)
_OWN_FOLDERS = frozenset(kind.kind for kind in KINDS if kind.own_folders)


def _top(path: str) -> str:
    """The top-level name a path takes: `news/index.html`, `news.xml` -> `news`."""
    return PurePosixPath(path.split("/", 1)[0]).stem.lower()


def _kept() -> dict[str, str]:
    kept: dict[str, str] = {}
    for kind in KINDS:
        for path in kind.paths:
            kept.setdefault(_top(path), kind.name)
    kept.setdefault(_top(ASSETS), "the static files (static/, the theme's, the photo)")
    return kept


#: Top-level names -> what keeps them, whether or not a site has its pages: a Markdown
#: page may not take them (`news`, `cv`, `papers`, `feed`...).
KEPT = _kept()


def menu(content: SiteContent, url: Callable[[str], str],
         order: Sequence[str] = ()) -> tuple[NavItem, ...]:
    """The site's menu: each kind's items, in MENU's order; with site.yaml's `menu:` (nav
    keys: `home`, `publications`, a page's name...), those it names first, in its order, and
    a Markdown page it names is in the menu even without a `menu:` of its own."""
    items = [item for kind in MENU if kind.menu is not None
             for item in kind.menu(content, url)]
    if not order:
        return tuple(items)
    place = {name: index for index, name in enumerate(order)}
    keys = {item.key for item in items}
    items += [NavItem(page.title, url(f"{page.name}/"), page.name) for page in content.pages
              if page.name in place and page.name not in keys]
    ranked = sorted(enumerate(items), key=lambda pair: (place.get(pair[1].key, len(place)),
                                                          pair[0]))
    return tuple(item for _, item in ranked)


def lay_out(layout: Layout) -> tuple[Route, ...]:
    """Every route of the site: each kind's, in KINDS' order, with no two at one path."""
    made: list[Route] = []
    for kind in KINDS:
        made += list(kind.routes(layout, made))  # (whole before `made` grows)
    check_paths(made)
    return tuple(made)


def check_paths(routes: Sequence[Route]) -> None:
    """Reject a route at another's path, or a page named after a top-level name another
    kind keeps (a Markdown page `news.md`, `cv.md`, `papers.md`), as the error of the
    later route's kind (a Markdown page's names its file, line 1); all of them at once."""
    if len({route.path for route in routes}) == len(routes):  # the usual case, at C speed
        routes = [route for route in routes if route.kind in _OWN_FOLDERS]
    seen: dict[str, Kind] = {}
    errors: list[SiteError] = []
    for route in routes:
        kind = KIND_OF[route.kind]
        owner = seen.get(route.path)
        name = KIND_OF[owner].name if owner is not None else None
        if name is None and kind.own_folders:
            name = KEPT.get(_top(route.path))
        seen.setdefault(route.path, route.kind)
        if name is None:
            continue
        if kind.taken is None or not isinstance(route, PageRoute):  # kinds of fixed paths
            raise ValueError(f"{route.path} is made twice: by {kind.name} and by {name}")
        errors.append(kind.taken(route, name, KEPT))
    if len(errors) == 1:
        raise errors[0]
    if errors:
        if all(error.problems for error in errors):
            raise SiteError([problem for error in errors for problem in error.problems])
        raise SiteError("\n".join(map(str, errors)))


__all__ = ["KEPT", "KINDS", "KIND_OF", "MENU", "PAGE_KINDS", "Layout", "PageKind", "check_paths",
           "lay_out", "menu"]
