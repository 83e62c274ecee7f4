"""What a kind of page is made of (`PageKind`), and what every kind lays its routes out
from (`Layout`). Each module beside this one declares one kind or a few related ones."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from ...errors import SiteError
from ...i18n import LocaleDate
from ..routes import Kind, PageRoute, Route

if TYPE_CHECKING:
    from ...config import SiteConfig
    from ...records import Profile
    from ..inputs import SiteContent
    from ..metadata import PageMeta
    from ..views import CategoryView, NavItem, NewsView, PaperGroup, PaperView, People, SiteView
    from .items import ItemView


class Layout(NamedTuple):
    """What the kinds lay their routes out from: the inputs, and the views of the site, its
    papers (newest first), categories (most papers first), groups and news."""

    config: SiteConfig
    profile: Profile
    content: SiteContent
    site: SiteView
    papers: tuple[PaperView, ...]
    categories: tuple[CategoryView, ...]
    groups: tuple[PaperGroup, ...]  # the papers by year or by kind of work (group_by)
    news: tuple[NewsView, ...]  # newest first
    people: People  # whose names are the researcher's, which co-authors have a page
    date_format: str | LocaleDate | None
    items: tuple[ItemView, ...] = ()  # talks, teaching, projects: by kind, newest first


class PageKind(NamedTuple):
    """One kind of route, in one place: where its routes go, what they are made of and
    what the site says of them.

    `paths` are the top-level paths the kind keeps whether or not a site has its pages
    (`news/`, `feed.xml`): no Markdown page may be named after them. `routes` gets the
    layout and the routes made so far (the sitemap lists them). `menu` gives its items
    of the site's menu. An HTML page has `meta`, its head (title, description, social
    cards); `lastmod` is its date in the sitemap, and a kind without one is not listed
    there. `described` names a route in a rendering error; `taken` is the error when a
    route's address is another's (`owner` names the other; `reserved` are the top-level
    names the kinds keep).
    """

    kind: Kind
    name: str  # how messages name it: "the news page (content/news/)"
    routes: Callable[[Layout, Sequence[Route]], Iterable[Route]]
    paths: tuple[str, ...] = ()
    menu: Callable[[SiteContent, Callable[[str], str]], Iterable[NavItem]] | None = None
    meta: Callable[[SiteView, PageRoute], PageMeta] | None = None
    lastmod: Callable[[PageRoute], str | None] | None = None
    described: Callable[[PageRoute], str] | None = None
    taken: Callable[[PageRoute, str, Iterable[str]], SiteError] | None = None
    own_folders: bool = False  # each route is a top-level folder named after a file


def newest(dated: Iterable[Any]) -> str | None:
    """The newest `date` of `dated` (papers' records, news), a list's date in the sitemap;
    None for none."""
    dates = [item.date for item in dated]
    return max(dates).isoformat() if dates else None


def no_date(route: PageRoute) -> str | None:
    """A page listed in the sitemap without a date of its own (never the clock's)."""
    return None
