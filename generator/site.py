"""The site model: every output route in one place, with everything a template shows
computed here (URLs, display dates, counts), so templates only lay it out."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from . import __version__
from .config import Link, SiteConfig
from .profile import url_spans
from .records import Number, Paper, Profile, category_name

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
class PaperView:
    """A paper as pages show it."""

    paper: Paper
    url: str
    date_iso: str
    date_text: str
    year: int
    category: CategoryRef
    score_text: str | None
    authors: tuple[Author, ...]
    abstract: tuple[tuple[Segment, ...], ...]  # paragraphs of segments
    summary: str  # the abstract's opening, for meta descriptions

    @property
    def title(self) -> str:
        return self.paper.title


@dataclass(frozen=True)
class CategoryView:
    ref: CategoryRef
    papers: tuple[PaperView, ...]

    @property
    def count(self) -> int:
        return len(self.papers)


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

    def url(self, path: str = "") -> str:
        """A site-internal URL under the base path; `path` is relative to the site root."""
        return self.base_path + path.lstrip("/")


@dataclass(frozen=True)
class Route:
    """One output file: where it goes, which template renders it, and with what."""

    path: str  # relative to the output folder, e.g. "papers/<slug>/index.html"
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)
    nav_key: str | None = None


@dataclass(frozen=True)
class SiteModel:
    site: SiteView
    papers: tuple[PaperView, ...]  # newest first
    categories: tuple[CategoryView, ...]  # most papers first
    routes: tuple[Route, ...]
    assets: tuple[tuple[str, str], ...]  # (output path, source key) of files to copy


def build_model(config: SiteConfig, profile: Profile, photo_name: str | None = None) -> SiteModel:
    """Lay out the whole site: views of every record and the list of routes."""
    base = config.base_path

    def url(path: str) -> str:
        return base + path

    def category_ref(code: str) -> CategoryRef:
        return CategoryRef(code, category_name(code), url(f"categories/{code}/"))

    ordered = sorted(profile.papers, key=lambda p: (-p.date.toordinal(), p.line))
    views = tuple(
        _paper_view(p, url(f"papers/{p.slug}/"), category_ref(p.category), profile.name)
        for p in ordered
    )
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
    )
    site = SiteView(
        title=config.title or profile.name,
        description=config.description or _default_description(profile),
        language=config.language,
        base_path=base,
        name=profile.name,
        category=category_ref(profile.category),
        metrics=_metrics(profile),
        bio=config.bio,
        photo_url=url(f"assets/{photo_name}") if photo_name else None,
        links=config.links,
        nav=nav,
        generator=f"scholarfolio {__version__}",
    )
    routes: list[Route] = [
        Route("index.html", "home.html", {"papers": views, "categories": categories}, "home"),
        Route("categories/index.html", "categories.html", {"categories": categories}, "categories"),
    ]
    for category in categories:
        routes.append(
            Route(
                f"categories/{category.ref.code}/index.html",
                "category.html",
                {"category": category},
                "categories",
            )
        )
    for index, view in enumerate(views):
        newer = views[index - 1] if index > 0 else None
        older = views[index + 1] if index + 1 < len(views) else None
        routes.append(
            Route(
                f"papers/{view.paper.slug}/index.html",
                "paper.html",
                {"paper": view, "newer": newer, "older": older},
            )
        )
    routes.append(Route("404.html", "404.html", {}))
    assets = (("assets/" + photo_name, "photo"),) if photo_name else ()
    return SiteModel(site, views, categories, tuple(routes), assets)


def _default_description(profile: Profile) -> str:
    count = len(profile.papers)
    return f"{profile.name}: {count} paper{'s' if count != 1 else ''} in {profile.category_name}."


def _paper_view(paper: Paper, url: str, category: CategoryRef, own_name: str) -> PaperView:
    own = _name_key(own_name)
    return PaperView(
        paper=paper,
        url=url,
        date_iso=paper.date.isoformat(),
        date_text=f"{_MONTH_ABBR[paper.date.month - 1]} {paper.date.day}, {paper.date.year}",
        year=paper.date.year,
        category=category,
        score_text=format_number(paper.score) if paper.score is not None else None,
        authors=tuple(Author(name, _name_key(name) == own) for name in paper.authors),
        abstract=tuple(_segments(para) for para in paper.abstract.split("\n\n") if para),
        summary=_summary(paper.abstract),
    )


def _name_key(name: str) -> str:
    """Compare names ignoring accents, case, dots and spacing: 'S.M. Ali Eslami'."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[\W_]+", "", plain.casefold())


def _segments(text: str) -> tuple[Segment, ...]:
    segments: list[Segment] = []
    position = 0
    for start, end in url_spans(text):
        if start > position:
            segments.append(Segment(text[position:start]))
        segments.append(Segment(text[start:end], text[start:end]))
        position = end
    if position < len(text):
        segments.append(Segment(text[position:]))
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
        items.append(Metric("extra", extra.label, extra.text or "–"))
    return tuple(items)
