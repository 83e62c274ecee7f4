"""Views: the records as pages show them (text through `visible`, URLs, display dates,
author links), and what every page knows of the site. Frozen; made by layout.py."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import urljoin, urlsplit

from markupsafe import Markup

from .. import richtext
from ..config import Link
from ..dates import format_date, iso_date
from ..i18n import LocaleDate
from ..links import doi_url, site_link
from ..names import parse_name
from ..paperfields import NO_FIELDS, PaperFields
from ..records import Paper
from ..text import visible
from ..worktypes import WORK_TYPES, WorkType, classify
from . import citations
from .formatting import Segment, format_number, name_key, search_text, segments, summary
from .marks import Mark, author_marks
from .paperlinks import Award, Resource, award, paper_links

if TYPE_CHECKING:
    from ..content.synced import WorkCount
    from .metrics import History


class Author(NamedTuple):
    name: str
    is_self: bool  # the researcher whose site this is (the name or one of its aliases)
    url: str | None = None  # the co-author's page (site.yaml's coauthors:)
    marks: tuple[Mark, ...] = ()  # equal contribution, corresponding author... (marks.py)


@dataclass(frozen=True)
class People:
    """Whose names an author list marks: the researcher's own (`name_key`s of the name and
    its aliases) and the co-authors with a page (name key -> URL)."""

    own: frozenset[str]
    pages: tuple[tuple[str, str], ...] = ()
    students: frozenset[str] = frozenset()  # site.yaml's students: (name keys)
    _by_key: dict[str, str] = field(default_factory=dict, compare=False, hash=False,
                                    repr=False)

    def __post_init__(self) -> None:
        self._by_key.update(self.pages)

    def author(self, name: str, written: tuple[str, ...] = (), extra: PaperFields = NO_FIELDS
               ) -> Author:
        """The author `name`, with the marks written with it in the bibliography unless
        the paper's own file (`extra`) says otherwise."""
        key = name_key(name)
        marks = author_marks(
            written, key,
            frozenset(map(name_key, extra.equal)) if extra.equal else None,
            frozenset(map(name_key, extra.corresponding)) if extra.corresponding else None,
            key in self.students)
        if key in self.own:
            return Author(name, True, None, marks)
        return Author(name, False, self._by_key.get(key), marks)


def people(name: str, aliases: tuple[str, ...] = (),
           coauthors: tuple[tuple[str, str], ...] = (),
           students: tuple[str, ...] = ()) -> People:
    """See People: `aliases`, `coauthors` and `students` as site.yaml gives them."""
    return People(frozenset(map(name_key, (name, *aliases))),
                  tuple((name_key(n), url) for n, url in coauthors),
                  frozenset(map(name_key, students)))


class CategoryRef(NamedTuple):
    code: str
    name: str  # as a heading: "Machine Learning", "Theses"
    url: str
    single: str = ""  # one work's: "Thesis", for a kind of work's category (subjects.py)

    @property
    def keyword(self) -> str | None:
        """The category as a keyword of the paper (RIS's KW): a research area's or a
        keyword's name; none for a kind of work (a citation's type says it) or "other"."""
        return None if self.single or self.code == "other" else self.name

    @property
    def short(self) -> str:
        """What a category's badge and chart show: an arXiv-style code (`LG`), else the
        name itself (a keyword's or a kind of work's category has no short code of its own)."""
        return self.code if self.code.isupper() else self.name

    @property
    def badge(self) -> str:
        """What one paper's badge shows: its short form, a kind of work in the singular
        ("Thesis", not "Theses")."""
        return self.single or self.short


class Download(NamedTuple):
    """A file a page offers: its label, URL and the file name to save it as."""

    label: str
    url: str
    filename: str


class PaperView(NamedTuple):
    """A paper as pages show it."""

    paper: Paper  # the record with its text passed through `visible` and line 0 (see as_shown)
    url: str
    date_iso: str
    date_text: str
    year: int
    category: CategoryRef
    score_text: str | None
    authors: tuple[Author, ...]
    abstract: tuple[tuple[Segment, ...], ...]  # paragraphs of segments
    summary: str  # the abstract's opening, for meta descriptions
    pdf_url: str | None = None  # the paper's PDF, from its extras (see build_model)
    doi: str | None = None
    arxiv: str | None = None
    venue: str | None = None
    work_type: WorkType = WORK_TYPES["preprint"]  # a journal article, a conference paper...
    resources: tuple[Resource, ...] = ()  # slides, video, poster from its extras
    thumbnail_url: str | None = None
    featured: bool = False
    venue_short: str | None = None  # the venue badge's words (al-folio's abbr)
    award: Award | None = None
    additional_info: str | None = None  # a note after the venue (Oral presentation)
    notes: Markup | None = None  # the site owner's Markdown from content/papers/<slug>.md
    # What the citation is made of: its BibTeX key and the page's and PDF's absolute URLs.
    cite_key: str = ""
    absolute_url: str | None = None
    absolute_pdf_url: str | None = None
    cited_by: WorkCount | None = None  # its citation count, with `citation_counts: true`

    @property
    def doi_url(self) -> str | None:
        """The DOI's address at doi.org, for its button and the page's data."""
        return doi_url(self.doi) if self.doi else None

    @property
    def title(self) -> str:
        """The title as plain text (its markup left out, a formula as written): for
        `<title>`, meta tags, labels and feeds; a page's heading shows `title_html`."""
        return richtext.plain(self.paper.title)

    @property
    def title_html(self) -> Markup:
        """The title as HTML: its italics, bold, subscripts and superscripts, its formulas
        as MathML, all else escaped text (see richtext)."""
        return richtext.html(self.paper.title)

    # Made when a page asks, not kept: a large site's model holds 10,000 views, and these
    # were a fifth of it (search texts 13 MB, downloads 8 MB at 10,000 papers).
    @property
    def downloads(self) -> tuple[Download, ...]:
        """The citation as BibTeX, RIS and CSL-JSON files."""
        return tuple(Download(citations.LABELS[fmt], f"{self.url}citation.{ext}",
                              f"{self.cite_key}.{ext}")
                     for fmt, ext in citations.FORMATS.items())

    @property
    def search_text(self) -> str:
        """Title, authors and abstract folded by `search_key`, for the home page's search."""
        return search_text(self.paper)

    @property
    def has_code(self) -> bool:
        """The paper shows a Code badge: the header's Code flag or a code link."""
        return self.paper.has_code or self.paper.code_url is not None

    @property
    def citation(self) -> citations.Citation:
        """The paper's citation; each format is made when first asked for, and nothing is
        kept on the view (a large site's 10,000 citations would be ~65 MB)."""
        return citations.Citation(self.paper, self.cite_key, self.paper.url or self.absolute_url,
                                  self.absolute_pdf_url, self.doi, self.arxiv, self.venue,
                                  self.work_type, self.category.keyword)


class PaperGroup(NamedTuple):
    """Papers under one heading: a year's, or a kind of work's (site.yaml's group_by)."""

    label: str
    anchor: str  # the heading's id: y2021, or the kind (journal, conference...)
    papers: tuple[PaperView, ...]


def paper_groups(views: tuple[PaperView, ...], by: str) -> tuple[PaperGroup, ...]:
    """`views` (newest first) by year, newest first, or by kind of work, in the table's
    order (journal articles, conference papers, preprints, books, theses, other)."""
    if by == "type":
        order = {key: index for index, key in enumerate(WORK_TYPES)}
        kinds: dict[str, list[PaperView]] = {}
        for view in views:
            kinds.setdefault(view.work_type.key, []).append(view)
        return tuple(PaperGroup(WORK_TYPES[key].plural, key, tuple(items))
                     for key, items in sorted(kinds.items(), key=lambda kv: order[kv[0]]))
    years: dict[int, list[PaperView]] = {}
    for view in views:
        years.setdefault(view.year, []).append(view)
    return tuple(PaperGroup(str(year), f"y{year}", tuple(items))
                 for year, items in sorted(years.items(), reverse=True))


class NewsView(NamedTuple):
    """A piece of news as pages show it: its day, headline, text and anchor on /news/."""

    name: str
    date: Any  # dt.date
    date_iso: str
    date_text: str
    title: str | None
    html: Markup
    text: str
    url: str  # news/#<name>


class CategoryView(NamedTuple):
    ref: CategoryRef
    papers: tuple[PaperView, ...]

    @property
    def count(self) -> int:
        return len(self.papers)


class Metric(NamedTuple):
    key: str  # for styling: h-index, papers, citations, novelty, ai-score, extra
    label: str
    value: str  # formatted for display: "13,433", "60%"
    source: str = ""  # where the number comes from: "profile", "site.yaml", "OpenAlex"
    date: dt.date | None = None  # the day it was true: the profile's as_of, a sync's day


class NavItem(NamedTuple):
    label: str
    url: str
    key: str


class Generator(NamedTuple):
    """What made the site, for the footer, the feed and `<meta name=generator>`: the
    homepage only when the package metadata names one, so no link can lead to a 404."""

    name: str
    version: str
    url: str | None = None

    def __str__(self) -> str:
        return f"{self.name} {self.version}"


class SiteView(NamedTuple):
    """What every page knows about the site."""

    title: str
    description: str
    language: str
    base_path: str
    name: str
    category: CategoryRef | None  # the research area most papers are in; None when the
    # categories are no research areas (kinds of work, keywords): see model/subjects.py
    metrics: tuple[Metric, ...]
    bio: str | None
    photo_url: str | None
    links: tuple[Link, ...]
    nav: tuple[NavItem, ...]
    generator: Generator
    site_url: str | None = None  # the absolute base URL, when base_url is a full URL
    robots: str = "index"  # or "noindex": ask search engines not to list the pages
    feed_url: str | None = None  # the Atom feed of every paper (only with a site_url)
    bibtex_url: str | None = None  # papers.bib: every paper's BibTeX
    csl_url: str | None = None  # papers.json: every paper as CSL-JSON
    ris_url: str | None = None  # papers.ris: every paper's RIS record
    settings: tuple[tuple[str, Any], ...] = ()  # the theme's settings (config.theme_settings)
    card_url: str | None = None  # a drawn card of the site, for link previews without a photo
    direction: str = "ltr"  # or "rtl": the writing direction of `language` (i18n.direction)
    script_messages: Markup | None = None  # the scripts' words, JSON, on a translated site
    position: str | None = None  # the researcher's position (site.yaml), under the name
    affiliation: str | None = None  # where they work (site.yaml)
    history: History | None = None  # the synced metrics over time (model/metrics.py)

    def setting(self, name: str) -> Any:
        """A theme setting by name; a name the theme does not declare is an error."""
        for key, value in self.settings:
            if key == name:
                return value
        raise KeyError(f"the theme declares no setting '{name}'")

    def url(self, path: str = "") -> str:
        """A site-internal URL under the base path; `path` is relative to the site root."""
        return self.base_path + path.lstrip("/")

    def absolute(self, url: str) -> str | None:
        """The absolute form of a site URL (`/repo/papers/x/`); a full URL as it is; None
        when the site's address is not known (base_url is only a path)."""
        return absolute_url(self.site_url, url)


def absolute_url(site_url: str | None, url: str) -> str | None:
    """See SiteView.absolute."""
    if "://" in url:
        return url
    if not site_url:
        return None
    if _PLAIN_PATH.fullmatch(url) and "/." not in url and not url.startswith("//"):
        return _origin(site_url) + url  # what urljoin gives a plain path
    return urljoin(site_url, url)


_PLAIN_PATH = re.compile(r"/[\w\-.~%/]*", re.ASCII)  # no query, fragment, params


@lru_cache(maxsize=16)
def _origin(site_url: str) -> str:
    """`https://user.github.io/repo/` -> `https://user.github.io` (urljoin is ~15 µs a
    call, and a large site makes tens of thousands of absolute URLs)."""
    parts = urlsplit(site_url)
    return f"{parts.scheme}://{parts.netloc}"


def corrected(paper: Paper, extra: PaperFields) -> Paper:
    """The record with what its per-paper file corrects: title, authors, venue, DOI,
    arXiv identifier and kind of work (the file's word over the source's)."""
    changes: dict[str, Any] = {}
    for name, value in (("venue", extra.venue), ("doi", extra.doi), ("arxiv", extra.arxiv),
                        ("kind", extra.type), ("title", extra.title)):
        if value:
            changes[name] = value
    if extra.authors:
        changes["authors"] = tuple(map(parse_name, extra.authors))
        changes["authors_truncated"] = False
    if extra.details:  # volume, pages, editors...: records.Biblio
        changes["biblio"] = replace(paper.biblio, **{
            name: tuple(map(parse_name, value)) if name == "editors" else value
            for name, value in extra.details})
    return replace(paper, **changes) if changes else paper


class ViewInputs(NamedTuple):
    """Everything a paper's view is made of: `paper_view` reads nothing else, so the dev
    server keeps a view by these very inputs (model.build_model's `reuse`), and a view
    is never reused for inputs that differ. Compared by value."""

    paper: Paper
    category: CategoryRef
    people: People  # which names are the researcher's and which co-authors have a page
    date_format: str | LocaleDate | None
    extra: PaperFields  # its per-paper file's fields
    key: str  # its BibTeX key
    site_url: str | None
    base: str  # the base path: site paths are URLs under it


def paper_view(inputs: ViewInputs) -> PaperView:
    """A paper as pages show it, with what its per-paper file adds (PDF, links, notes) and what its
    citation is made of."""
    paper, category, people, date_format, extra, key, site_url, base = inputs

    def url(path: str) -> str:
        return base + path

    record = as_shown(paper)
    if extra.code:  # its code link, as the profile's "Code: URL" is shown
        record = replace(record, code_url=site_link(paper.slug, "code", extra.code, url))
    page = url(f"papers/{paper.slug}/")
    pdf, resources = paper_links(paper, extra, url)
    return PaperView(
        paper=record,
        url=page,
        date_iso=iso_date(paper.date, paper.precision),
        date_text=(paper.status if paper.status and paper.year_inferred else
                   str(paper.date.year) if paper.precision == "year" else
                   format_date(paper.date, "%B %Y") if paper.precision == "month" else
                   format_date(paper.date, date_format)),
        year=paper.date.year,
        category=category,
        score_text=format_number(paper.score) if paper.score is not None else None,
        authors=tuple(people.author(visible(name.text), name.marks, extra)
                      for name in record.authors),
        abstract=tuple(segments(para) for para in paper.abstract.split("\n\n") if para),
        summary=visible(summary(paper.abstract)),
        pdf_url=pdf,
        doi=paper.doi,
        arxiv=paper.arxiv,
        venue=visible(paper.venue) if paper.venue else None,
        # The profile lists arXiv papers: without a venue or a type, a paper is a preprint.
        work_type=classify(paper.venue, paper.kind, paper.arxiv, default="preprint"),
        resources=resources,
        thumbnail_url=site_link(paper.slug, "thumbnail", extra.thumbnail, url),
        featured=extra.featured,
        venue_short=visible(extra.abbr) if extra.abbr else None,
        award=award(extra),
        additional_info=visible(extra.additional_info) if extra.additional_info else None,
        notes=extra.notes,
        cite_key=key,
        absolute_url=absolute_url(site_url, page),
        absolute_pdf_url=absolute_url(site_url, pdf) if pdf else None,
    )


def as_shown(paper: Paper) -> Paper:
    """The record as pages show it: every text field passed through `visible` (URLs hold
    none), and no line (0): where a paper sits in the profile is not shown, and a view
    kept while lines above it move (the dev server's) must not show an old one."""
    if (paper.title.isprintable() and paper.abstract.replace("\n", " ").isprintable()
            and all(name.text.isprintable() for name in paper.authors)
            and all(name.isprintable() for name in paper.affiliations)
            and all(map(str.isprintable, paper.biblio.texts()))):
        return replace(paper, line=0)
    return replace(
        paper,
        line=0,
        biblio=paper.biblio.mapped(visible),
        title=visible(paper.title),
        authors=tuple(replace(name, text=visible(name.text), given=visible(name.given),
                              family=visible(name.family), particle=visible(name.particle),
                              suffix=visible(name.suffix)) for name in paper.authors),
        affiliations=tuple(visible(name) for name in paper.affiliations),
        abstract=visible(paper.abstract),
    )
