"""The CV page as it shows: content/cv.yaml's entries with their text as HTML (RenderCV's
Markdown), their dates written out, and the site's own papers in the publications
section, so a paper is listed once and as the site knows it."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, NamedTuple

from markupsafe import Markup

from ..content import inline_markdown
from ..cv import Cv, CvDate, CvEntry, CvSection
from ..dates import format_date
from ..i18n import N_, LocaleDate
from ..identity import doi_key
from ..links import bare_doi, doi_url, escaped, is_href
from ..text import name_key
from .views import PaperGroup, SiteView

#: The icon (partials/icons.html) each of RenderCV's networks is drawn with.
NETWORK_ICONS = {"GitHub": "github", "LinkedIn": "linkedin", "ORCID": "orcid",
                 "Google Scholar": "scholar", "Mastodon": "mastodon", "X": "twitter",
                 "Bluesky": "bluesky"}


class When(NamedTuple):
    """A date as the page writes it, and as `<time datetime>` takes it (None: free text)."""

    text: str
    iso: str | None = None


class CvItem(NamedTuple):
    kind: str  # cv.ENTRY_KINDS' key, or "text"
    title: Markup
    subtitle: Markup | None = None
    detail: Markup | None = None
    location: Markup | None = None
    when: tuple[When, ...] = ()  # one date, or a start and an end
    summary: Markup | None = None
    highlights: tuple[Markup, ...] = ()
    url: str | None = None


class CvSectionView(NamedTuple):
    title: str
    anchor: str
    items: tuple[CvItem, ...]
    groups: tuple[PaperGroup, ...] = ()  # the site's own papers, in the publications section
    # A section the site adds (its papers, talks, teaching, projects): its English title
    # is the catalogue's, translated by the template; cv.yaml's titles are shown as written.
    interface: bool = False

    @property
    def numbered(self) -> bool:
        return bool(self.items) and self.items[0].kind in ("numbered", "reversed_numbered")


class CvLink(NamedTuple):
    label: str
    url: str | None  # None: shown as text (no link the one link rule allows)
    icon: str | None
    interface: bool = False  # site.yaml's link: its label is the catalogue's (LINK_KINDS)


class CvView(NamedTuple):
    name: str
    label: str | None
    location: str | None
    links: tuple[CvLink, ...]
    sections: tuple[CvSectionView, ...]


def cv_view(cv: Cv, site: SiteView, groups: tuple[PaperGroup, ...], own: frozenset[str],
            date_format: str | LocaleDate | None, items: tuple[Any, ...] = ()) -> CvView:
    """The CV page; `groups` are the site's papers as the home page groups them, listed
    under publications (a section of that name, else one after the rest); `own` the keys of
    the researcher's names (formatting.name_key), strong in written publications' authors.
    A CV without contact lines shows the site's links (site.yaml's `links:`). `items`
    (talks, teaching, projects: pages/items.ItemView) each make a section after the rest,
    unless cv.yaml writes a section of that name (content/__init__ warns of it)."""
    papers = [paper for group in groups for paper in group.papers]
    links = []
    if cv.email:
        links.append(CvLink(cv.email, _href(f"mailto:{cv.email}"), "email"))
    if cv.phone:
        links.append(CvLink(cv.phone, _tel(cv.phone), None))
    if cv.website:
        links.append(CvLink(cv.website.split("://", 1)[-1].rstrip("/"), _href(cv.website),
                            "website"))
    links += (CvLink(f"{s.network}: {s.username}" if s.network != "Google Scholar"
                     else "Google Scholar", _href(s.url), NETWORK_ICONS.get(s.network, "website"))
              for s in cv.social)
    if not links:
        links = [CvLink(link.label, _href(link.url), link.kind, True) for link in site.links]
    sections = list(cv.sections)
    if not any(section.publications for section in sections) and papers:
        sections.append(CvSection("publications", N_("Publications"), (), True))
    added = len(sections) - 1 if len(sections) > len(cv.sections) else None
    known = ({doi_key(p.doi) for p in papers if p.doi}  # the DOI as identity.py compares it
             | {name_key(p.title) for p in papers})
    views = []
    taken: set[str] = set()
    for section in sections:
        entries = section.entries
        if section.publications:  # a written entry the site lists already is not repeated
            entries = tuple(e for e in entries if not (
                (e.get("doi") and doi_key(e.get("doi")) in known)
                or name_key(e.get("title") or "") in known))
        anchor = _anchor(section.key, taken)
        views.append(CvSectionView(section.title, anchor,
                                   tuple(_item(e, own, date_format, site.base_path)
                                         for e in entries),
                                   groups if section.publications else (),
                                   len(views) == added))
    written = {section.key.lower() for section in sections}
    for kind, title in (("talks", N_("Talks")), ("teaching", N_("Teaching")),
                        ("projects", N_("Projects"))):
        listed = tuple(_item_entry(item) for item in items if item.kind == kind)
        if listed and kind not in written:
            views.append(CvSectionView(title, _anchor(kind, taken), listed, interface=True))
    return CvView(cv.name or site.name, cv.label, cv.location, tuple(links), tuple(views))


def _item_entry(item: Any) -> CvItem:
    """A talk, a course or a project (pages/items.ItemView) as a CV entry: its title, its
    event or course, its place and day, its first link."""
    detail = item.event or item.course
    return CvItem("normal", Markup.escape(item.title),
                  Markup.escape(detail) if detail else None, None,
                  Markup.escape(item.place) if item.place else None,
                  (When(item.date_text, item.date_iso),),
                  url=item.links[0].url if item.links else None)


def _href(target: str | None) -> str | None:
    """`target` as an href (`links.escaped`: what no URL may hold percent-encoded) when the
    one link rule lets it be a link (links.is_href), else None."""
    return escaped(target) if target and is_href(target) else None


def _tel(phone: str) -> str | None:
    """A phone number as a `tel:` link (`+` and digits), or None when it is no number."""
    if not re.fullmatch(r"\+?[\d\s().-]+", phone):
        return None
    plus = "+" if phone.strip().startswith("+") else ""
    return _href("tel:" + plus + re.sub(r"\D", "", phone))


def _anchor(key: str, taken: set[str]) -> str:
    base = "-".join("".join(c if c.isalnum() else " " for c in key.lower()).split()) or "s"
    anchor, n = base, 2
    while anchor in taken:
        anchor, n = f"{base}-{n}", n + 1
    taken.add(anchor)
    return anchor


def _item(entry: CvEntry, own: frozenset[str], date_format: str | LocaleDate | None,
          base_path: str = "/") -> CvItem:
    def md(text: str) -> Markup:  # links from the site's root go under its base path
        return inline_markdown(text, base_path)

    get = entry.get
    when = tuple(_when(d, date_format) for d in (entry.date, entry.start, entry.end) if d)
    common = {"location": md(get("location")) if get("location") else None, "when": when,
              "summary": md(get("summary")) if get("summary") else None,
              "highlights": tuple(map(md, get("highlights", ()))), "url": _href(get("url"))}
    kind = entry.kind
    if kind == "education":
        degree = f"{get('degree')} in {get('area')}" if get("degree") else get("area")
        return CvItem(kind, md(get("institution")), md(degree),
                      md(get("grade")) if get("grade") else None, **common)
    if kind == "experience":
        return CvItem(kind, md(get("company")), md(get("position")), **common)
    if kind == "normal":
        return CvItem(kind, md(get("name")), **common)
    if kind == "publication":
        authors = Markup(", ").join(
            Markup("<strong>{}</strong>").format(md(a)) if name_key(a) in own else md(a)
            for a in get("authors", ()))
        doi = get("doi")
        return CvItem(kind, md(get("title")), authors,
                      md(get("journal")) if get("journal") else None, when=when,
                      url=_href(doi_url(bare_doi(doi)) if doi else get("url")))
    if kind == "one_line":
        return CvItem(kind, md(get("label")), md(get("details")))
    text = {"text": "text", "bullet": "bullet", "numbered": "number",
            "reversed_numbered": "reversed_number"}[kind]
    return CvItem(kind, md(get(text)))


def _when(date: CvDate, date_format: str | LocaleDate | None) -> When:
    if date.year is None:
        return When(date.text or "")
    if date.day:
        text = format_date(dt.date(date.year, date.month or 1, date.day), date_format)
    elif date.month:
        month = (LocaleDate(date_format.locale, "yMMM") if isinstance(date_format, LocaleDate)
                 else "%b %Y")
        text = format_date(dt.date(date.year, date.month, 1), month)
    else:
        text = str(date.year)
    return When(text, date.iso)
