"""The site model: every output route in one place, with everything a template shows
computed here (URLs, display dates, counts), so templates only lay it out.

Profile text reaches the pages through `visible`: control characters, bidirectional
controls and noncharacters are shown as `[U+202E]`-style markers. Jinja's autoescape then
makes every string text, never markup.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from types import MappingProxyType
from typing import Any, NamedTuple
from urllib.parse import urljoin, urlsplit

from markupsafe import Markup

from . import __version__, citations, metadata
from .config import Link, SiteConfig
from .content import Page
from .errors import SiteError
from .profile import INVISIBLE, url_spans
from .records import Number, Paper, Profile, category_name, copy_paper
from .reuse import Reuse

_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Segment:
    """A run of abstract text; `href` is set when the run is an http(s) URL."""

    text: str
    href: str | None = None


@dataclass(frozen=True)
class Author:
    name: str
    is_self: bool  # the researcher whose site this is


@dataclass(frozen=True)
class CategoryRef:
    code: str
    name: str
    url: str


@dataclass(frozen=True)
class Download:
    """A file a page offers: its label, URL and the file name to save it as."""

    label: str
    url: str
    filename: str


def visible(text: str) -> str:
    """Text as the pages show it: each invisible character (control characters, the
    bidirectional controls U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C, and
    noncharacters; see `profile.INVISIBLE`) replaced by a marker such as `[U+202E]`.

    Why markers rather than isolating the text (`<bdi>`, `dir="auto"`) or dropping the
    characters: isolation keeps an override from reaching past its element, but inside it
    the text is still reordered or hidden, so a title can read differently from what the
    profile says; dropping them silently changes the text. A marker shows exactly what the
    profile holds, reorders nothing, and keeps the HTML valid (control characters and
    noncharacters are forbidden in HTML). The parser warns about such characters, and
    the records and the JSON export keep them as they are.
    """
    if text.isprintable():  # C-fast, and False for every invisible character
        return text
    return INVISIBLE.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)


@dataclass(frozen=True)
class Resource:
    """A link a paper's extras add: its label (Slides, Video, Poster) and URL."""

    label: str
    url: str


@dataclass(frozen=True)
class PaperView:
    """A paper as pages show it."""

    paper: Paper  # the record with its text passed through `visible` and line 0 (see _shown)
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
    resources: tuple[Resource, ...] = ()  # slides, video, poster from its extras
    thumbnail_url: str | None = None
    featured: bool = False
    notes: Markup | None = None  # the site owner's Markdown from content/papers/<slug>.md
    # What the citation is made of: its BibTeX key and the page's and PDF's absolute URLs.
    cite_key: str = ""
    absolute_url: str | None = None
    absolute_pdf_url: str | None = None

    @property
    def title(self) -> str:
        return self.paper.title

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
        return _search_text(self.paper)

    @property
    def has_code(self) -> bool:
        """The paper shows a Code badge: the header's Code flag or a code link."""
        return self.paper.has_code or self.paper.code_url is not None

    @cached_property
    def citation(self) -> citations.Citation:
        """The paper's citation in every format, made the first time a page or file needs
        it (a rebuild that re-renders two pages makes two); equal views give equal ones."""
        return citations.cite(self.paper, self.cite_key, self.absolute_url,
                              self.absolute_pdf_url, self.doi, self.arxiv, self.venue)

    def passing_entry(self, fmt: str) -> str:
        """`citation.entry(fmt)`, the kept citation's, else made alone and not kept: a
        file of every paper's citation must not hold them all at once (~6.5 KB a paper),
        nor make all three formats for one."""
        kept = self.__dict__.get("citation")
        if kept is not None:
            return kept.entry(fmt)
        return citations.cite_entry(fmt, self.paper, self.cite_key, self.absolute_url,
                                    self.absolute_pdf_url, self.doi, self.arxiv, self.venue)

    def drop_citation(self) -> None:
        """Forget the citation made for a page or file (a build drops a paper's once its
        page and citation files are written)."""
        self.__dict__.pop("citation", None)


@dataclass(frozen=True)
class Facets:
    """What the home page's paper filters count: papers per year, newest year first, and
    papers with code."""

    years: tuple[tuple[int, int], ...]
    with_code: int


def paper_facets(papers: tuple[PaperView, ...]) -> Facets:
    years: dict[int, int] = {}
    for view in papers:
        years[view.year] = years.get(view.year, 0) + 1
    return Facets(tuple(sorted(years.items(), reverse=True)), sum(v.has_code for v in papers))


# Letters that do not decompose into a base letter and marks; the theme's filters.js folds
# them the same way.
_SEARCH_FOLDS = str.maketrans(
    {
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "ł": "l",
        "ħ": "h",
        "ı": "i",
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
        "ς": "σ",
    }
)


def search_key(text: str) -> str:
    """Text as the in-page search compares it: compatibility-decomposed, lowercased, marks
    dropped, a few letters folded (ø -> o, ß -> ss), runs of white space made one space,
    so `kocisky` finds Kočiský. filters.js folds a query with the same steps, in order."""
    if text.isascii():  # the common case: nothing to decompose, drop or fold
        return " ".join(text.lower().split())
    words = unicodedata.normalize("NFKD", text).lower().split()
    # Each step maps characters one by one, so words can be folded one by one; names recur.
    return " ".join(filter(None, (w if w.isascii() else _fold_word(w) for w in words)))


def _search_text(paper: Paper) -> str:
    """`search_key` of title, authors and abstract, each folded alone: the same text as
    folding them joined by spaces (no step looks across white space), and a long ASCII
    abstract takes the fast path even when a name has accents."""
    keys = (search_key(paper.title), search_key(", ".join(paper.authors)),
            search_key(paper.abstract))
    return " ".join(key for key in keys if key)


@lru_cache(maxsize=65536)
def _fold_word(word: str) -> str:
    """A decomposed, lowercased word with its marks dropped and its letters folded."""
    marks = {ord(c): None for c in set(word)
             if not c.isascii() and unicodedata.category(c).startswith("M")}
    return word.translate(marks).translate(_SEARCH_FOLDS)


@dataclass(frozen=True)
class CategoryView:
    ref: CategoryRef
    papers: tuple[PaperView, ...]

    @property
    def count(self) -> int:
        return len(self.papers)


@dataclass(frozen=True)
class Bar:
    """One bar of a chart, laid out: its label, count and the bar's width in the viewBox."""

    label: str
    count: int
    y: int
    width: float


@dataclass(frozen=True)
class Chart:
    """A horizontal bar chart, drawn as inline SVG by the theme (partials/chart.html)."""

    key: str
    title: str
    bars: tuple[Bar, ...]
    width: int
    height: int

    @property
    def summary(self) -> str:
        """The numbers as text, for the chart's aria-label."""
        return f"{self.title}: " + ", ".join(f"{bar.label} {bar.count}" for bar in self.bars)


CHART_LABEL_WIDTH = 48  # room for a year or a category code left of the bars
CHART_ROW = 20


def bar_chart(key: str, title: str, counts: list[tuple[str, int]], width: int = 320) -> Chart:
    """Lay out a bar per (label, count), longest bar `width - label - count` wide."""
    top = max((count for _, count in counts), default=0) or 1
    room = width - CHART_LABEL_WIDTH - 40
    bars = tuple(Bar(label, count, i * CHART_ROW, round(room * count / top, 1))
                 for i, (label, count) in enumerate(counts))
    return Chart(key, title, bars, width, max(1, len(bars)) * CHART_ROW)


@dataclass(frozen=True)
class Badge:
    """A shields-style badge: label and value, with the widths of its two halves."""

    key: str
    label: str
    value: str
    label_width: int
    value_width: int

    @property
    def width(self) -> int:
        return self.label_width + self.value_width


def _text_width(text: str) -> int:
    """About how wide 11 px Verdana sets `text`, as shields.io pads it."""
    return round(sum(7.5 if c.isupper() or c.isdigit() else 6.2 for c in text)) + 10


def badge(key: str, label: str, value: str) -> Badge:
    return Badge(key, label, value, _text_width(label), _text_width(value))


@dataclass(frozen=True)
class Metric:
    key: str  # for styling: h-index, papers, citations, novelty, ai-score, extra
    label: str
    value: str  # formatted for display: "13,433", "60%"


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    key: str


@dataclass(frozen=True)
class SiteView:
    """What every page knows about the site."""

    title: str
    description: str
    language: str
    base_path: str
    name: str
    category: CategoryRef
    metrics: tuple[Metric, ...]
    bio: str | None
    photo_url: str | None
    links: tuple[Link, ...]
    nav: tuple[NavItem, ...]
    generator: str
    site_url: str | None = None  # the absolute base URL, when base_url is a full URL
    robots: str = "index"  # or "noindex": ask search engines not to list the pages
    feed_url: str | None = None  # the Atom feed of every paper (only with a site_url)
    bibtex_url: str | None = None  # papers.bib: every paper's BibTeX
    csl_url: str | None = None  # papers.json: every paper as CSL-JSON
    settings: tuple[tuple[str, Any], ...] = ()  # the theme's settings (config.theme_settings)

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


class Route(NamedTuple):
    """One output file: where it goes, which template renders it, and with what. (A
    named tuple rather than a frozen dataclass: a large site has 4 routes a paper, and
    tuples are made and compared in C.)"""

    path: str  # relative to the output folder, e.g. "papers/<slug>/index.html"
    template: str | None  # None: the file is context["text"].text(), written as it is
    context: Mapping[str, Any] = MappingProxyType({})
    nav_key: str | None = None


class CitationFile(NamedTuple):
    """A file of citations in one format (a paper's citation.bib, the site's papers.bib):
    its text is made when the file is written, not when the model is laid out."""

    fmt: str  # a key of citations.FORMATS
    papers: tuple[PaperView, ...]

    def text(self) -> str:
        return "".join(self.parts())

    def parts(self) -> Iterator[str]:
        """The text piece by piece (papers.json of 10,000 papers is 23 MB). A paper's own
        file keeps its citation for the page that shows it; a file of many papers does
        not keep theirs."""
        if len(self.papers) == 1:
            entries: Iterable[str] = (self.papers[0].citation.entry(self.fmt),)
        else:
            entries = (view.passing_entry(self.fmt) for view in self.papers)
        return citations.entries_parts(self.fmt, entries)


class FileContext(Mapping[str, Any]):
    """The context of a file made without a template: `{"text": maker}`, in under a
    quarter of a dict's memory (a large site has three such files a paper)."""

    __slots__ = ("_text",)

    def __init__(self, text: CitationFile) -> None:
        self._text = text

    def __getitem__(self, key: str) -> Any:
        if key != "text":
            raise KeyError(key)
        return self._text

    def __iter__(self) -> Iterator[str]:
        yield "text"

    def __len__(self) -> int:
        return 1

    def __repr__(self) -> str:
        return f"{{'text': {self._text!r}}}"


@dataclass(frozen=True)
class SiteModel:
    site: SiteView
    papers: tuple[PaperView, ...]  # newest first
    categories: tuple[CategoryView, ...]  # most papers first
    routes: tuple[Route, ...]
    assets: tuple[tuple[str, str], ...]  # (output path, source key) of files to copy


class ModelCache:
    """What the dev server keeps of one site model for the next: the last model with what
    it was made of, which an edit to some papers' text patches (`_patched_model`), and the
    views, BibTeX keys and citation routes of each paper, which a full layout takes back
    for papers that did not change. `patch` tells the renderer what the last call changed.
    """

    def __init__(self) -> None:
        self.views = Reuse()
        self.last: _LastModel | None = None
        self.patch: ModelPatch | None = None


class ModelPatch(NamedTuple):
    """`after` is `before` with the routes at `routes` (indices) replaced, nothing else."""

    before: SiteModel
    after: SiteModel
    routes: tuple[int, ...]


def build_model(
    config: SiteConfig,
    profile: Profile,
    photo_name: str | None = None,
    extras: Mapping[str, Mapping[str, Any]] | None = None,
    pages: tuple[Page, ...] = (),
    cache: ModelCache | None = None,
) -> SiteModel:
    """Lay out the whole site: views of every record and the list of routes.

    `extras` holds per-paper settings by slug, as content/papers/<slug>.md gives them
    (see content.PAPER_KEYS, plus `notes`, the body as HTML); links such as `pdf` are
    http(s) URLs or paths under the site root. `pages` are the Markdown pages. `cache`
    (the dev server's) patches the last model when only some papers' text changed, and
    otherwise gives back the views, BibTeX keys and citation routes of papers that did
    not change: the very same objects, so comparing routes that show them stops at
    identity and each citation is made once.
    """
    extras = extras or {}
    if cache is None:
        return _build_model(config, profile, photo_name, extras, pages, None)
    cache.patch = None
    inputs = (config, photo_name, extras, pages)
    last = cache.last
    if last is not None and last.inputs == inputs:
        patch = _patched_model(last, profile)
        if patch is not None:
            cache.last = last._replace(profile=profile, model=patch.after)
            cache.patch = patch
            return patch.after
    model = _build_model(config, profile, photo_name, extras, pages, cache.views)
    cache.last = _LastModel(inputs, profile, model,
                            {view.paper.slug: i for i, view in enumerate(model.papers)},
                            {route.path: i for i, route in enumerate(model.routes)})
    return model


class _LastModel(NamedTuple):
    inputs: tuple[Any, ...]  # settings, photo, extras and pages
    profile: Profile
    model: SiteModel
    positions: dict[str, int]  # a paper's slug -> its place in model.papers
    places: dict[str, int]  # a route's path -> its place in model.routes


def _patched_model(last: _LastModel, profile: Profile) -> ModelPatch | None:
    """The last model with new views of the papers whose records changed, and the
    routes that show them, when nothing else changed: no paper's place in the order,
    slug, category or BibTeX key, nor the researcher's header. None otherwise (then the
    whole site is laid out again). Equal to a full layout (tests/test_incremental.py)."""
    before, model = last.profile, last.model
    if profile is before:
        return ModelPatch(model, model, ())
    if ((profile.name, profile.category, profile.metrics, profile.declared_count,
         profile.as_of) != (before.name, before.category, before.metrics,
                            before.declared_count, before.as_of)
            or len(profile.papers) != len(before.papers)):
        return None
    changed = [(old, new) for old, new in zip(before.papers, profile.papers, strict=True)
               if old is not new]
    config, _, extras, _ = last.inputs
    views = list(model.papers)
    moved: dict[int, PaperView] = {}  # id of the old view -> the new one
    places: list[int] = []
    for old, new in changed:
        # What orders the papers, names their pages and makes their BibTeX keys.
        if (old.slug, old.date, old.line, old.category, old.title, old.authors[:1]) != (
                new.slug, new.date, new.line, new.category, new.title, new.authors[:1]):
            return None
        place = last.positions[new.slug]
        was = views[place]
        extra = extras.get(new.slug, {})
        views[place] = _paper_view(_corrected(new, extra), _url_maker(config.base_path),
                                   was.category, _name_key(profile.name),
                                   config.settings.get("date_format"), extra, was.cite_key,
                                   config.site_url)
        moved[id(was)] = views[place]
        places.append(place)
    papers = tuple(views)
    codes = {views[place].paper.category for place in places}
    categories = tuple(
        CategoryView(category.ref, tuple(moved.get(id(view), view) for view in category.papers))
        if category.ref.code in codes else category
        for category in model.categories
    )
    routes = list(model.routes)
    touched: set[int] = set()

    def put(route: Route) -> None:
        place = last.places[route.path]
        routes[place] = route
        touched.add(place)

    # Years, categories and so the charts are as they were; the facets count code too.
    home = routes[last.places["index.html"]].context
    same = all(papers[place].has_code == model.papers[place].has_code for place in places)
    put(_home_route(papers, categories, home if same else None))
    put(_categories_route(categories))
    for category in categories:
        if category.ref.code in codes:
            put(_category_route(category))
    for place in places:
        for near in (place - 1, place, place + 1):
            if 0 <= near < len(papers):
                put(_paper_route(papers, near))
        for route in _citation_routes(papers[place]):
            put(route)
    for route in _site_citation_routes(papers):
        put(route)
    site = model.site
    if site.site_url:
        put(_feed_route(site, papers, profile.as_of, routes[last.places["feed.xml"]], moved))
        for category in categories:
            if category.ref.code in codes:
                path = f"categories/{category.ref.code}/feed.xml"
                put(_feed_route(site, category.papers, profile.as_of,
                                routes[last.places[path]], moved, category))
    after = SiteModel(site, papers, categories, tuple(routes), model.assets)
    return ModelPatch(model, after, tuple(sorted(touched)))


def _url_maker(base: str):
    """A site path (`papers/x/`) as a URL under the base path."""
    def url(path: str) -> str:
        return base + path

    return url


def _build_model(
    config: SiteConfig,
    profile: Profile,
    photo_name: str | None,
    extras: Mapping[str, Mapping[str, Any]],
    pages: tuple[Page, ...],
    cache: Reuse | None,
) -> SiteModel:
    """`build_model` laid out in full."""
    base = config.base_path
    url = _url_maker(base)

    def category_ref(code: str) -> CategoryRef:
        return CategoryRef(code, category_name(code), url(f"categories/{code}/"))

    corrected = [_corrected(p, extras.get(p.slug, {})) for p in profile.papers]
    ordered = sorted(corrected, key=lambda p: (-p.date.toordinal(), p.line))
    date_format = config.settings.get("date_format")
    if cache is not None:
        cache.start()
    # BibTeX keys come from the records as parsed (and change only with what follows).
    if cache is None:
        keys = citations.assign_keys(ordered)
    else:  # compared, not hashed: equal records are mostly the same objects
        inputs = [(p.slug, p.authors[:1], p.date, p.title) for p in ordered]
        keys = cache.get("keys", lambda: (inputs, citations.assign_keys(ordered)),
                         fits=lambda found: found[0] == inputs)[1]
    own = _name_key(profile.name)
    refs = {code: category_ref(code) for code in {p.category for p in ordered}}

    def view(p: Paper) -> PaperView:
        return _paper_view(p, url, refs[p.category], own, date_format, extras.get(p.slug, {}),
                           keys[p.slug], config.site_url)

    if cache is None:
        views = tuple(map(view, ordered))
    else:
        made = []
        for p in ordered:  # no closures: this runs for every paper on every rebuild
            # A view is made of its record and these, and nothing else.
            key = (p, refs[p.category], own, date_format,
                   repr(sorted(extras.get(p.slug, {}).items())), keys[p.slug],
                   config.site_url, base)
            found = cache.take(key)
            if found is None:
                found = view(p)
                cache.keep(key, found)
            made.append(found)
        views = tuple(made)
    by_code: dict[str, list[PaperView]] = {}
    for view in views:
        by_code.setdefault(view.paper.category, []).append(view)
    categories = tuple(
        CategoryView(category_ref(code), tuple(items))
        for code, items in sorted(by_code.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    )
    nav = (
        NavItem("Papers", url(""), "home"),
        NavItem("Categories", url("categories/"), "categories"),
        *(NavItem(page.title, url(f"{page.name}/"), page.name)
          for page in pages if page.menu is not None),
    )
    site = SiteView(
        title=visible(config.title or profile.name),
        description=visible(config.description or _default_description(profile)),
        language=config.language,
        base_path=base,
        name=visible(profile.name),
        category=category_ref(profile.category),
        metrics=_metrics(profile),
        bio=visible(config.bio) if config.bio else None,
        photo_url=url(f"assets/{photo_name}") if photo_name else None,
        links=config.links,
        nav=nav,
        generator=f"scholarfolio {__version__}",
        site_url=config.site_url,
        robots=config.robots,
        feed_url=url("feed.xml") if config.site_url else None,
        bibtex_url=url("papers.bib"),
        csl_url=url("papers.json"),
        settings=config.theme_settings,
    )
    routes: list[Route] = [_home_route(views, categories), _categories_route(categories)]
    routes.extend(map(_category_route, categories))
    routes.extend(_paper_route(views, index) for index in range(len(views)))
    for page in pages:
        routes.append(Route(f"{page.name}/index.html", page.template, {"page": page}, page.name))
    routes.append(Route("404.html", "404.html", {}))
    for item in _badges(site.metrics, len(views)):
        routes.append(Route(f"badges/{item.key}.svg", "badge.svg", {"badge": item}))
    routes.extend(_machine_routes(site, routes, views, categories, profile.as_of, cache))
    assets = (("assets/" + photo_name, "photo"),) if photo_name else ()
    return SiteModel(site, views, categories, tuple(routes), assets)


def _home_route(views: tuple[PaperView, ...], categories: tuple[CategoryView, ...],
                counts: Mapping[str, Any] | None = None) -> Route:
    """The home page; `counts`, a context whose facets and charts still hold."""
    return Route(
        "index.html",
        "home.html",
        {"papers": views, "categories": categories,
         "facets": counts["facets"] if counts else paper_facets(views),
         "selected": tuple(view for view in views if view.featured),
         "charts": counts["charts"] if counts else _charts(views, categories)},
        "home",
    )


def _categories_route(categories: tuple[CategoryView, ...]) -> Route:
    return Route("categories/index.html", "categories.html", {"categories": categories},
                 "categories")


def _category_route(category: CategoryView) -> Route:
    return Route(f"categories/{category.ref.code}/index.html", "category.html",
                 {"category": category}, "categories")


def _paper_route(views: tuple[PaperView, ...], index: int) -> Route:
    """The page of the paper at `index` (newest first), which links its neighbours."""
    view = views[index]
    newer = views[index - 1] if index > 0 else None
    older = views[index + 1] if index + 1 < len(views) else None
    return Route(f"papers/{view.paper.slug}/index.html", "paper.html",
                 {"paper": view, "newer": newer, "older": older})


def _charts(views: tuple[PaperView, ...], categories: tuple[CategoryView, ...]
            ) -> tuple[Chart, ...]:
    """Papers per year (oldest first) and per category (most first), for the home page."""
    if not views:
        return ()
    years: dict[int, int] = {}
    for view in views:
        years[view.year] = years.get(view.year, 0) + 1
    return (
        bar_chart("years", "Papers per year", [(str(y), n) for y, n in sorted(years.items())]),
        bar_chart("categories", "Papers per category",
                  [(c.ref.code, c.count) for c in categories]),
    )


def _badges(metrics: tuple[Metric, ...], papers: int) -> tuple[Badge, ...]:
    """badges/h-index.svg, citations.svg and papers.svg, with the home page's numbers."""
    shown = {metric.key: metric.value for metric in metrics}
    items = []
    if "h-index" in shown:
        items.append(badge("h-index", "h-index", shown["h-index"]))
    if "citations" in shown:
        items.append(badge("citations", "citations", shown["citations"]))
    items.append(badge("papers", "papers", shown.get("papers", format_number(papers))))
    return tuple(items)


def _default_description(profile: Profile) -> str:
    count = len(profile.papers)
    return f"{profile.name}: {count} paper{'s' if count != 1 else ''} in {profile.category_name}."


def _corrected(paper: Paper, extra: Mapping[str, Any]) -> Paper:
    """The record with the title and authors its extras correct."""
    changes: dict[str, Any] = {}
    if extra.get("title"):
        changes["title"] = extra["title"]
    if extra.get("authors"):
        changes["authors"] = tuple(extra["authors"])
        changes["authors_truncated"] = False
    return replace(paper, **changes) if changes else paper


def format_date(date, fmt: str | None) -> str:
    """A date as `fmt` (strftime, English month names; `%-d` is the day without a zero)
    says; without one, `Jan 28, 2022`."""
    if not fmt:
        return f"{_MONTH_ABBR[date.month - 1]} {date.day}, {date.year}"
    fmt = (fmt.replace("%-d", str(date.day)).replace("%b", _MONTH_ABBR[date.month - 1])
           .replace("%B", _MONTH_NAMES[date.month - 1]))
    return date.strftime(fmt)


_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")


def _paper_view(paper: Paper, url, category: CategoryRef, own_key: str,
                date_format: str | None, extra: Mapping[str, Any], key: str,
                site_url: str | None) -> PaperView:
    """A paper as pages show it, with what its extras add (PDF, links, notes) and what its
    citation is made of; `url` makes a site path a URL under the base path."""
    shown = _shown(paper)
    page = url(f"papers/{paper.slug}/")
    pdf = _link_url(paper.slug, "pdf", extra.get("pdf"), url)
    resources = tuple(
        Resource(label, link)
        for name, label in (("slides", "Slides"), ("video", "Video"), ("poster", "Poster"))
        if (link := _link_url(paper.slug, name, extra.get(name), url))
    ) if extra else ()
    return PaperView(
        paper=shown,
        url=page,
        date_iso=paper.date.isoformat(),
        date_text=format_date(paper.date, date_format),
        year=paper.date.year,
        category=category,
        score_text=format_number(paper.score) if paper.score is not None else None,
        authors=tuple(Author(visible(name), _name_key(name) == own_key)
                      for name in paper.authors),
        abstract=tuple(_segments(para) for para in paper.abstract.split("\n\n") if para),
        summary=visible(_summary(paper.abstract)),
        pdf_url=pdf,
        doi=extra.get("doi"),
        arxiv=extra.get("arxiv"),
        venue=visible(extra["venue"]) if extra.get("venue") else None,
        resources=resources,
        thumbnail_url=_link_url(paper.slug, "thumbnail", extra.get("thumbnail"), url),
        featured=bool(extra.get("featured")),
        notes=extra.get("notes"),
        cite_key=key,
        absolute_url=absolute_url(site_url, page),
        absolute_pdf_url=absolute_url(site_url, pdf) if pdf else None,
    )


def _shown(paper: Paper) -> Paper:
    """The record as pages show it: every text field passed through `visible` (URLs hold
    none), and no line (0): where a paper sits in the profile is not shown, and a view
    kept while lines above it move (the dev server's) must not show an old one."""
    if (paper.title.isprintable() and paper.abstract.replace("\n", " ").isprintable()
            and all(name.isprintable() for name in paper.authors)
            and all(name.isprintable() for name in paper.affiliations)):
        return copy_paper(paper, line=0)
    return copy_paper(
        paper,
        line=0,
        title=visible(paper.title),
        authors=tuple(visible(name) for name in paper.authors),
        affiliations=tuple(visible(name) for name in paper.affiliations),
        abstract=visible(paper.abstract),
    )


@lru_cache(maxsize=8192)  # co-authors recur across papers
def _name_key(name: str) -> str:
    """Compare names ignoring accents, case, dots and spacing: 'S.M. Ali Eslami'."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[\W_]+", "", plain.casefold())


def _segments(text: str) -> tuple[Segment, ...]:
    segments: list[Segment] = []
    position = 0
    for start, end in url_spans(text):
        if start > position:
            segments.append(Segment(visible(text[position:start])))
        segments.append(Segment(text[start:end], text[start:end]))
        position = end
    if position < len(text):
        segments.append(Segment(visible(text[position:])))
    return tuple(segments)


def _summary(abstract: str, limit: int = 200) -> str:
    text = " ".join(abstract.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def format_number(value: Number) -> str:
    """Thousands separators for whole numbers, as written otherwise: 13433 -> 13,433."""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,}"
    return f"{int(value):,}"


def _metrics(profile: Profile) -> tuple[Metric, ...]:
    m = profile.metrics
    items: list[Metric] = []
    if m.h_index is not None:
        items.append(Metric("h-index", "h-index", format_number(m.h_index)))
    if m.papers is not None:
        items.append(Metric("papers", "Papers", format_number(m.papers)))
    if m.citations is not None:
        items.append(Metric("citations", "Citations", format_number(m.citations)))
    if m.novelty is not None:
        items.append(Metric("novelty", "Novelty", f"{format_number(m.novelty)}%"))
    if m.ai_score is not None:
        items.append(Metric("ai-score", "AI Score", format_number(m.ai_score)))
    for extra in m.extra:
        items.append(Metric("extra", visible(extra.label), visible(extra.text) or "–"))
    return tuple(items)


# -- citations, feeds, sitemap and head metadata (see citations.py and metadata.py) ------------


def _link_url(slug: str, key: str, value: Any, url) -> str | None:
    """A paper's link extra (`pdf`, `slides`, ...) as a URL: http(s) as it is, a path
    under the site's base."""
    if value is None:
        return None
    text = value.strip() if isinstance(value, str) else ""
    parts = urlsplit(text)
    if parts.scheme in ("http", "https") and parts.netloc:
        return text
    if not text or parts.scheme or text.startswith("//"):
        raise SiteError(
            f"paper '{slug}': '{key}' must be an http(s) URL or a path in the site, "
            f"found {value!r}"
        )
    return url(text.lstrip("/"))


def _citation_routes(view: PaperView) -> list[Route]:
    """A paper's citation files: papers/<slug>/citation.bib, .ris and .json."""
    return [Route(f"papers/{view.paper.slug}/citation.{ext}", None,
                  FileContext(CitationFile(fmt, (view,))))
            for fmt, ext in citations.FORMATS.items()]


def _reused_citation_routes(cache: Reuse, view: PaperView) -> list[Route]:
    """`_citation_routes(view)`, the same objects while the view is."""
    # Keyed by the bare id (the other keys are tuples and strings), and no closures: this
    # runs for every paper on every rebuild.
    found = cache.take(id(view))
    if found is None or found[0] is not view:
        found = (view, _citation_routes(view))  # holds the view, so no id is reused
        cache.keep(id(view), found)
    return found[1]


def _site_citation_routes(views: tuple[PaperView, ...]) -> list[Route]:
    """papers.bib and papers.json: every paper's citation."""
    return [Route("papers.bib", None, FileContext(CitationFile("bibtex", views))),
            Route("papers.json", None, FileContext(CitationFile("csljson", views)))]


def _feed_route(site: SiteView, views: tuple[PaperView, ...], as_of, last: Route | None = None,
                moved: Mapping[int, PaperView] | None = None,
                category: CategoryView | None = None) -> Route:
    """The Atom feed of the site's papers, or of a category's. Given the `last` route and
    the views that replaced others (`moved`, by the id of the view replaced; their
    places and dates are the same), only their entries are made anew."""
    if category is None:
        path, url, page = "feed.xml", site.url("feed.xml"), site.url()
        title, subtitle = site.title, f"Papers by {site.name}"
    else:
        ref = category.ref
        path, url, page = f"categories/{ref.code}/feed.xml", f"{ref.url}feed.xml", ref.url
        title, subtitle = f"{site.title}: {ref.name}", f"Papers by {site.name} in {ref.name}"
    if last is None or moved is None:
        return Route(path, "atom.xml", {"feed": metadata.feed(site, url, page, title, subtitle,
                                                              views, as_of)})
    feed = last.context["feed"]
    new = {id(view) for view in moved.values()}
    entries = tuple(metadata.feed_entry(site, view) if id(view) in new else entry
                    for view, entry in zip(views, feed.entries, strict=True))
    return Route(path, "atom.xml", {"feed": replace(feed, entries=entries)})


def _machine_routes(
    site: SiteView,
    pages: list[Route],
    views: tuple[PaperView, ...],
    categories: tuple[CategoryView, ...],
    as_of,
    cache: Reuse | None = None,
) -> list[Route]:
    """Files for machines: citations of each paper and of all, and, when the site's
    address is known, Atom feeds and the sitemap; robots.txt for a site at a host's root."""
    routes: list[Route] = []
    for view in views:
        routes += _citation_routes(view) if cache is None else _reused_citation_routes(
            cache, view)
    routes += _site_citation_routes(views)
    sitemap_url = None
    if site.site_url:
        routes.append(_feed_route(site, views, as_of))
        routes.extend(_feed_route(site, category.papers, as_of, category=category)
                      for category in categories)
        if site.robots == "index":
            routes.append(Route("sitemap.xml", "sitemap.xml",
                                {"urls": metadata.sitemap(site, pages)}))
            sitemap_url = site.absolute(site.url("sitemap.xml"))
    if site.base_path == "/":
        routes.append(Route("robots.txt", "robots.txt", {"sitemap": sitemap_url}))
    return routes


def route_meta(site: SiteView, route: Route) -> metadata.PageMeta:
    """The head metadata of an HTML route (metadata.PageMeta), made when the page is
    rendered: it follows from the site and the route, so it is not kept in the model."""
    feeds: tuple[metadata.FeedLink, ...] = ()
    if site.feed_url:
        feeds = (metadata.FeedLink(f"{site.title}: papers", site.absolute(site.feed_url) or ""),)
        if route.template == "category.html":
            ref = route.context["category"].ref
            feeds += (metadata.FeedLink(f"{site.title}: {ref.name}",
                                        site.absolute(f"{ref.url}feed.xml") or ""),)
    return metadata.page_meta(site, route, feeds)
