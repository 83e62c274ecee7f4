"""Routes: every output file of a site, typed. A page route is rendered from a template
with a context; a file route is made whole by the model (citation files). The kind says
what a route is: each kind's module of pages/ makes its routes, and layout.py walks the
kinds into the one list of them."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple, Protocol

from . import citations
from .views import PaperView


class Kind(enum.Enum):
    """What a route is."""

    HOME = "home"
    PUBLICATIONS = "publications"  # every paper, with filters, grouped (group_by)
    CATEGORIES = "categories"
    CATEGORY = "category"
    PAPER = "paper"
    PAGE = "page"  # a Markdown page of content/pages/
    NEWS = "news"  # every piece of news of content/news/
    CV = "cv"  # the CV of content/cv.yaml
    TALKS = "talks"  # content/talks/ (content/items.py)
    TEACHING = "teaching"  # content/teaching/
    PROJECTS = "projects"  # content/projects/
    NOT_FOUND = "404"
    BADGE = "badge"
    FEED = "feed"
    SITEMAP = "sitemap"
    ROBOTS = "robots"
    CITATIONS = "citations"  # a file of one paper's citation, or of every paper's
    CNAME = "cname"  # the custom domain, for GitHub Pages
    REDIRECT = "redirect"  # an old address of a paper (its extras' aliases), not listed
    DATA = "data"  # the synced metrics' series as CSV (metrics/*.csv)


class Context(Protocol):
    """A page's context: a named tuple of its kind (pages/), whose fields are the names
    its template reads (`papers`, `paper`, `news`...): an interface for users' templates."""

    _fields: tuple[str, ...]

    def _asdict(self) -> dict[str, Any]: ...


class PageRoute(NamedTuple):
    """A file rendered from `template` with `context` (and `site`, `nav_key` and, for an
    HTML page, `meta`). A named tuple: a large site has thousands, made and compared in C
    (the dev server compares each with the last build's)."""

    path: str  # relative to the output folder, e.g. "papers/<slug>/index.html"
    template: str
    context: Context
    kind: Kind
    nav_key: str | None = None  # the navigation item the page is under
    listed: int = 0  # how many papers it lists: a long list is written as it is rendered


class FileRoute(NamedTuple):
    """A file whose text `make()` gives piece by piece, without a template."""

    path: str
    make: CitationFile | Text
    kind: Kind = Kind.CITATIONS
    listed: int = 1


Route = PageRoute | FileRoute


class Text(NamedTuple):
    """The text of a small file, known whole (CNAME)."""

    text: str

    def __call__(self) -> Iterator[str]:
        return iter((self.text,))


class CitationFile(NamedTuple):
    """The text of a file of citations in one format (a paper's citation.bib, the site's
    papers.bib), made when the file is written: papers.json of 10,000 papers is 23 MB.
    Compared by value, so an unchanged paper's file compares equal from build to build."""

    fmt: str  # a key of citations.FORMATS
    papers: tuple[PaperView, ...]

    def __call__(self) -> Iterator[str]:
        entries: Iterable[str] = (view.citation.entry(self.fmt) for view in self.papers)
        return citations.entries_parts(self.fmt, entries)
