"""The pages of dated items (content/items.py): talks (`talks/`), teaching (`teaching/`)
and projects (`projects/`), one kind each, newest first, each in the menu, the sitemap and
the site's feed when its folder has items. A Markdown page of content/pages/ at one of
their addresses is kept while the folder is empty; with both, the page is refused."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, NamedTuple

from markupsafe import Markup

from ...content.items import LINK_FIELDS, Item
from ...dates import format_date
from ...errors import Problem, SiteError
from ...i18n import N_, translations
from ...links import site_link
from ...text import visible
from ..inputs import SiteContent
from ..metadata import PageMeta, page_head
from ..routes import Kind, PageRoute, Route
from ..views import NavItem, SiteView
from .kind import Layout, PageKind, newest


class ItemLink(NamedTuple):
    label: str  # Slides, Video, Code, Page
    url: str


class ItemView(NamedTuple):
    """A talk, a course taught or a project as its page shows it (and the feed)."""

    kind: str  # talks, teaching, projects
    kind_label: str  # Talk, Teaching, Project: the feed's category
    name: str  # the anchor on its page
    title: str
    date: Any  # dt.date
    date_iso: str
    date_text: str
    event: str | None  # a talk's conference or seminar
    course: str | None
    place: str | None
    links: tuple[ItemLink, ...]
    thumbnail_url: str | None
    html: Markup
    text: str  # the body as written (the feed's summary)
    url: str  # <kind>/#<name>


class ItemsContext(NamedTuple):
    items: tuple[ItemView, ...]  # newest first


#: Each kind's heading, its word for one item, and its page's description.
_KINDS = {"talks": (N_("Talks"), "Talk", N_("Talks given by %(name)s.")),
          "teaching": (N_("Teaching"), "Teaching", N_("Courses taught by %(name)s.")),
          "projects": (N_("Projects"), "Project", N_("Projects of %(name)s."))}


def item_views(items: Sequence[Item], url: Callable[[str], str], date_format: str | None
               ) -> tuple[ItemView, ...]:
    """The views of content's items, in its order (by kind, newest first)."""
    def link(item: Item, key: str, value: str) -> str:
        return site_link(f"{item.kind}/{item.name}", key, value, url) or ""

    return tuple(ItemView(
        item.kind, _KINDS[item.kind][1], item.name, visible(item.title), item.date,
        item.date.isoformat(), format_date(item.date, date_format),
        visible(item.event) if item.event else None,
        visible(item.course) if item.course else None,
        visible(item.place) if item.place else None,
        tuple(ItemLink(LINK_FIELDS[key], link(item, key, value)) for key, value in item.links),
        link(item, "thumbnail", item.thumbnail) if item.thumbnail else None,
        item.html, item.text, url(f"{item.kind}/#{item.name}")) for item in items)


def _kind(kind: Kind) -> PageKind:
    folder = kind.value
    heading, _, description = _KINDS[folder]

    def routes(layout: Layout, made: Sequence[Route]) -> Iterator[Route]:
        items = tuple(item for item in layout.items if item.kind == folder)
        if items:
            yield PageRoute(f"{folder}/index.html", f"{folder}.html", ItemsContext(items), kind,
                            folder, len(items))

    def menu(content: SiteContent, url: Callable[[str], str]) -> Iterator[NavItem]:
        if any(item.kind == folder for item in content.items):
            yield NavItem(heading, url(f"{folder}/"), folder)

    def meta(site: SiteView, route: PageRoute) -> PageMeta:
        _ = translations(site.language).gettext
        return page_head(site, route, _(heading), _(description) % {"name": site.name})

    def lastmod(route: PageRoute) -> str | None:
        return newest(route.context.items)  # type: ignore[attr-defined]

    def taken(route: PageRoute, owner: str, reserved: Iterable[str]) -> SiteError:
        return SiteError(Problem(f"content/{folder}/", 1, 1, f"the page {folder}/ that this "
                                 f"folder's items make is taken by {owner}"))

    return PageKind(kind, f"the {folder} page (content/{folder}/)", routes, (), menu, meta,
                    lastmod, taken=taken)


TALKS = _kind(Kind.TALKS)
TEACHING = _kind(Kind.TEACHING)
PROJECTS = _kind(Kind.PROJECTS)
