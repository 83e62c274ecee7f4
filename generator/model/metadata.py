"""What machines read: each page's head metadata (canonical link, robots, Open Graph and
Twitter cards, Google Scholar's `citation_*` tags, schema.org JSON-LD), the Atom feeds
and the sitemap's addresses. Each kind of page (pages/) calls these for its head;
templates only lay the results out.

Absolute URLs need the site's address: `base_url` as a full URL
(`https://user.github.io/repo/`, which the GitHub Pages workflow passes with
`--base-url`). When `base_url` is only a path, pages get no canonical link, `og:url`
or other absolute URL, and there is no sitemap or feed: the build says so once.

Text reaches here as the pages show it (`site.visible`), and every value is escaped
where it is written: Jinja's autoescape for tag attributes and XML, `script_json` for
JSON-LD, whose `<`, `>` and `&` become `\\u003c`-style escapes so that no text can
end the `<script>` block.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from markupsafe import Markup

from ..dates import date_parts
from ..i18n import og_locale, translations
from ..links import doi_url
from ..records import DETAILS, Biblio, Name
from ..worktypes import WorkType
from .formatting import summary
from .routes import PageRoute, Route

if TYPE_CHECKING:
    from .views import NewsView, PaperView, SiteView

# What script_json escapes beyond JSON's own escapes. No escape holds one of the
# characters, so replacing them one after another is one translation.
_JSON_ESCAPES = (
    ("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)
# json.dumps(data, ensure_ascii=False) makes one of these per call.
_JSON_ENCODER = json.JSONEncoder(ensure_ascii=False)


class MetaTag(NamedTuple):
    """`<meta {attribute}="{key}" content="{content}">`; attribute is `name` or `property`."""

    attribute: str
    key: str
    content: str


class FeedLink(NamedTuple):
    title: str
    url: str


class PageMeta(NamedTuple):
    """Everything a page's head says to machines."""

    canonical: str | None = None
    robots: str | None = None  # e.g. "noindex"; None lets search engines index the page
    tags: tuple[MetaTag, ...] = ()
    feeds: tuple[FeedLink, ...] = ()
    json_ld: Markup | None = None
    description: str | None = None  # the meta and og:description; None: the site's


def script_json(data: Any) -> Markup:
    """JSON for a `<script type="application/ld+json">` block: `<`, `>`, `&` and the
    JavaScript line separators escaped, so the text can never close the block."""
    text = _JSON_ENCODER.encode(data)
    for char, escape in _JSON_ESCAPES:  # str.translate with a dict is slow on long text
        text = text.replace(char, escape)
    return Markup(text)


def rfc3339(date: dt.date) -> str:
    """A date as an RFC 3339 timestamp at midnight UTC: `2022-01-28T00:00:00Z`."""
    return f"{date.isoformat()}T00:00:00Z"


def page_url(site: SiteView, route: Route) -> str:
    """The URL path a route's page is served at: folders for `index.html` files."""
    path = route.path
    if path == "index.html" or path.endswith("/index.html"):
        path = path[: -len("index.html")]
    return site.url(path)


def site_feeds(site: SiteView, own: FeedLink | None = None) -> tuple[FeedLink, ...]:
    """The feeds a page's head links: the site's, and the page's own (a category's)."""
    if not site.feed_url:
        return ()
    feeds = (FeedLink(f"{site.title}: papers", site.absolute(site.feed_url) or ""),)
    return (*feeds, own) if own is not None else feeds


def page_head(site: SiteView, route: PageRoute, title: str, description: str,
              own_feed: FeedLink | None = None) -> PageMeta:
    """The head of a page with a title and a description of its own (a category's, the
    news', a Markdown page's): canonical link, robots, social cards and feeds."""
    url = site.absolute(page_url(site, route))
    return PageMeta(url, _robots(site), _social(site, "website", title, description, url),
                    site_feeds(site, own_feed), description=description)


def home_head(site: SiteView, route: PageRoute) -> PageMeta:
    """The home page's head: the site's title and description, and a schema.org
    `ProfilePage` of the researcher."""
    url = site.absolute(page_url(site, route))
    tags = _social(site, "website", site.title, site.description, url)
    return PageMeta(url, _robots(site), tags, site_feeds(site),
                    script_json(_profile_page(site, url)), site.description)


def paper_head(site: SiteView, route: PageRoute, paper: PaperView) -> PageMeta:
    """A paper page's head (see _paper_meta)."""
    url = site.absolute(page_url(site, route))
    return _paper_meta(site, paper, url, _robots(site), site_feeds(site))


def _robots(site: SiteView) -> str | None:
    return "noindex" if site.robots == "noindex" else None


def _social(site: SiteView, kind: str, title: str, description: str | None,
            url: str | None, picture: tuple[str, str] | None = None) -> list[MetaTag]:
    """Open Graph and Twitter card tags; the picture is `picture` (absolute URL, its
    words), else the researcher's photo on every page."""
    image, alt = picture or _site_picture(site)
    og = [MetaTag("property", "og:type", kind), MetaTag("property", "og:site_name", site.title),
          MetaTag("property", "og:title", title)]
    locale = og_locale(site.language)
    if locale:
        og.insert(1, MetaTag("property", "og:locale", locale))
    # A drawn card is wide (1200 x 630): the large card shows it whole; a photo is square.
    large = image is not None and picture is None and not site.photo_url
    twitter = [MetaTag("name", "twitter:card", "summary_large_image" if large else "summary"),
               MetaTag("name", "twitter:title", title)]
    if description:
        og.append(MetaTag("property", "og:description", description))
        twitter.append(MetaTag("name", "twitter:description", description))
    if url:
        og.append(MetaTag("property", "og:url", url))
    if image:
        og += [MetaTag("property", "og:image", image), MetaTag("property", "og:image:alt", alt)]
        twitter += [MetaTag("name", "twitter:image", image),
                    MetaTag("name", "twitter:image:alt", alt)]
    return og + twitter


def _site_picture(site: SiteView) -> tuple[str | None, str]:
    """The picture of every page's preview: the researcher's photo, else the site's card."""
    if site.photo_url:
        photo = translations(site.language).gettext("Photo of %(name)s")
        return site.absolute(site.photo_url), photo % {"name": site.name}
    if site.card_url:
        return site.absolute(site.card_url), f"{site.title}: {site.description}"
    return None, ""


def _paper_meta(site: SiteView, paper: PaperView, url: str | None, robots: str | None,
                feeds: Sequence[FeedLink]) -> PageMeta:
    """A paper page's head: social cards, Google Scholar's `citation_*` tags and a
    schema.org `ScholarlyArticle`. Tags are made as MetaTags at once, without lists of
    pairs in between: there are 10,000 paper pages in a large site."""
    record = paper.paper
    title = paper.title
    date = record.date
    iso_date = paper.date_iso
    thumbnail = site.absolute(paper.thumbnail_url) if paper.thumbnail_url else None
    picture = (thumbnail, translations(site.language).gettext("Picture of the paper %(title)s")
               % {"title": title}) if thumbnail else None
    tags = _social(site, "article", title, paper.summary or title, url, picture)
    tags.append(MetaTag("property", "article:published_time", iso_date))
    # Google Scholar's tags
    tags.append(MetaTag("name", "citation_title", title))
    tags += [MetaTag("name", "citation_author", name.inverted) for name in record.authors]
    published = "/".join(f"{part:02d}" for part in date_parts(date, record.precision))
    tags.append(MetaTag("name", "citation_publication_date", published))
    if url:
        tags.append(MetaTag("name", "citation_abstract_html_url", url))
    pdf = site.absolute(paper.pdf_url) if paper.pdf_url else None
    if pdf:
        tags.append(MetaTag("name", "citation_pdf_url", pdf))
    if paper.doi:
        tags.append(MetaTag("name", "citation_doi", paper.doi))
    if paper.arxiv:
        tags.append(MetaTag("name", "citation_arxiv_id", paper.arxiv))
    kind = paper.work_type
    if paper.venue and kind.highwire:  # what Zotero and Scholar type it by
        tags.append(MetaTag("name", kind.highwire, paper.venue))
    biblio = record.biblio
    if biblio:  # a number is Scholar's only for a report (citation_technical_report_number)
        written = {kind.highwire} if paper.venue else set()
        tags += _highwire_details(biblio, written if kind.key == "report" else
                                  written | {DETAILS["number"].highwire})
    if record.abstract:  # whole: Zotero saves this, not the cut description
        tags.append(MetaTag("name", "citation_abstract", record.abstract))
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": kind.schema,
        "headline": title,
        "name": title,
        "author": [_schema_author(name) for name in record.authors],
        "datePublished": iso_date,
        "about": paper.category.name,
    }
    if record.authors_truncated:  # schema.org has no "et al.": the credit line says it
        data["creditText"] = ", ".join(name.text for name in record.authors) + " et al."
    if record.abstract:
        data["abstract"] = record.abstract
    if url:
        data["url"] = url
        data["mainEntityOfPage"] = url
    if record.code_url:
        data["isBasedOn"] = record.code_url
    image = thumbnail or _site_picture(site)[0]
    if image:
        data["image"] = image
    if pdf:
        data["encoding"] = {"@type": "MediaObject", "contentUrl": pdf,
                            "encodingFormat": "application/pdf"}
    if paper.doi:
        data["identifier"] = {"@type": "PropertyValue", "propertyID": "DOI",
                              "value": paper.doi}
        data["sameAs"] = doi_url(paper.doi)
    data.update(_schema_details(paper.venue, kind, biblio))
    return PageMeta(url, robots, tuple(tags), tuple(feeds), script_json(data),
                    paper.summary or title)


def _highwire_details(biblio: Biblio, written: set[str | None]) -> list[MetaTag]:
    """Google Scholar's tags of the details (records.DETAILS' highwire column): volume,
    issue, first and last page, publisher (unless it is the venue's tag), ISBN, ISSN."""
    tags = []
    for name, detail in DETAILS.items():
        value = getattr(biblio, name)
        if not value or not detail.highwire or detail.highwire in written:
            continue
        if name == "pages":
            first, last = biblio.page_range
            tags.append(MetaTag("name", "citation_firstpage", first))
            if last:
                tags.append(MetaTag("name", "citation_lastpage", last))
        else:
            tags.append(MetaTag("name", detail.highwire, value))
    return tags


def _schema_details(venue: str | None, kind: WorkType, biblio: Biblio) -> dict[str, Any]:
    """schema.org's properties of the venue and the details: a journal article is part of
    its issue, of its volume, of its Periodical (Google's layout); a chapter or a
    conference paper of its Book; a book's, thesis's or report's venue is its publisher."""
    data: dict[str, Any] = {}
    first, last = biblio.page_range
    if biblio.pages:
        data["pagination"] = biblio.pages
        if last:
            data["pageStart"], data["pageEnd"] = first, last
    publisher = biblio.publisher or (venue if kind.csl_venue in ("publisher", "authority")
                                     else "")
    if publisher:
        data["publisher"] = {"@type": "Organization", "name": publisher}
        if biblio.place:
            data["publisher"]["location"] = biblio.place
    if biblio.editors:
        data["editor"] = [_schema_author(name) for name in biblio.editors]
    book: dict[str, Any] | None = data if kind.schema == "Book" else None
    if kind.schema_container and venue:
        container: dict[str, Any] = {"@type": kind.schema_container, "name": venue}
        if kind.schema_container == "Periodical":
            if biblio.issn:
                container["issn"] = biblio.issn
            for part, number in (("PublicationVolume", "volume"), ("PublicationIssue",
                                                                     "issue")):
                if getattr(biblio, number):
                    container = {"@type": part, f"{number}Number": getattr(biblio, number),
                                 "isPartOf": container}
        elif kind.schema_container == "Book":
            book = container
        data["recordedAt" if kind.schema_container == "Event" else "isPartOf"] = container
    if book is not None:  # the ISBN and edition are the book's: the work's or its container's
        if biblio.isbn:
            book["isbn"] = biblio.isbn
        if biblio.edition:
            book["bookEdition"] = biblio.edition
    return data


def _profile_page(site: SiteView, url: str | None) -> dict[str, Any]:
    """schema.org `ProfilePage` whose main entity is the researcher, a `Person`."""
    person: dict[str, Any] = {"@type": "Person", "name": site.name}
    if site.category:
        person["knowsAbout"] = site.category.name
    if site.bio:
        person["description"] = site.bio
    image = site.absolute(site.photo_url) if site.photo_url else None
    if image:
        person["image"] = image
    if url:
        person["url"] = url
    same_as = [link.url for link in site.links if not link.url.startswith("mailto:")]
    emails = [link.url.removeprefix("mailto:") for link in site.links
              if link.url.startswith("mailto:")]
    if same_as:
        person["sameAs"] = same_as
    if emails:
        person["email"] = emails[0]
    page: dict[str, Any] = {"@context": "https://schema.org", "@type": "ProfilePage",
                            "name": site.title, "mainEntity": person}
    if url:
        page["url"] = url
    return page


# -- feeds and sitemap ----------------------------------------------------------------------


class FeedEntry(NamedTuple):
    url: str  # the paper page's absolute URL, also the entry's id
    title: str
    published: str  # RFC 3339
    authors: tuple[str, ...]
    category: str
    category_label: str
    summary: str
    truncated: bool = False  # the author list names only the first authors (et al.)


class Feed(NamedTuple):
    """An Atom feed (RFC 4287) of papers, newest first; every URL absolute."""

    url: str  # where the feed is, also its id
    page_url: str  # the HTML page it follows
    title: str
    subtitle: str
    author: str
    updated: str  # RFC 3339: the newest paper's date, or the as-of date when there is none
    categories_url: str
    entries: tuple[FeedEntry, ...]


def feed(site: SiteView, url: str, page: str, title: str, subtitle: str,
         papers: Sequence[PaperView], as_of: dt.date, news: Sequence[NewsView] = (),
         items: Sequence[Any] = ()) -> Feed:
    """The feed of `papers`, `news` and `items` (talks, teaching, projects: pages/items.py's
    views), newest first, served at `url` and following the page `page` (both URL paths
    under the base). Its dates come from the papers and news, never the clock. A news
    item without a headline is titled with its text as read (Markdown's signs gone)."""
    absolute = absolute_maker(site)
    dated = [(p.paper.date, 1, index, feed_entry(site, p, absolute))
             for index, p in enumerate(papers)]
    dated += [(item.date, 0, index, FeedEntry(
        absolute(item.url), item.title or summary(item.html.striptags()), rfc3339(item.date), (),
        "news", "News", item.text)) for index, item in enumerate(news)]
    dated += [(item.date, 0, len(news) + index, FeedEntry(
        absolute(item.url), item.title, rfc3339(item.date), (), item.kind, item.kind_label,
        item.text)) for index, item in enumerate(items)]
    dated.sort(key=lambda entry: (-entry[0].toordinal(), entry[1], entry[2]))
    entries = tuple(entry[3] for entry in dated)
    newest = max((entry[0] for entry in dated), default=as_of)
    return Feed(absolute(url), absolute(page), title, subtitle, site.name, rfc3339(newest),
                absolute(site.url("categories/")), entries)


def feed_entry(site: SiteView, paper: PaperView, absolute=None) -> FeedEntry:
    """A paper as a feed entry."""
    absolute = absolute or absolute_maker(site)
    return FeedEntry(absolute(paper.url), paper.title, rfc3339(paper.paper.date),
                     paper.paper.authors, paper.category.code, paper.category.name,
                     paper.paper.abstract, paper.paper.authors_truncated)


def _schema_author(name: Name) -> dict[str, str]:
    """A schema.org Person with given and family names, or an Organization."""
    if name.literal:
        return {"@type": "Organization", "name": name.text}
    return {"@type": "Person", "name": name.text, "givenName": name.given,
            "familyName": name.family_full}


def absolute_maker(site: SiteView):
    """`site.absolute` for what needs the site's address (feeds, the sitemap)."""

    def absolute(url: str) -> str:
        result = site.absolute(url)
        if result is None:
            raise ValueError("feeds and sitemaps need the site's address (a full base_url)")
        return result

    return absolute
