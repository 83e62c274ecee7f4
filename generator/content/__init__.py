"""The site owner's own writing: Markdown pages (`content/pages/*.md`, pages.py),
per-paper files (`content/papers/<slug>.md`, papers.py) and news (`content/news/*.md`,
news.py), each with YAML front matter (frontmatter.py) and Markdown (markdown.py), and
the CV (`content/cv.yaml`, read by cv.py).

Pages and news are the owner's own documents, so their Markdown may hold raw HTML
(site.yaml's `raw_html: false` shows it as text); per-paper notes and the CV are text,
their HTML shown as text; links in all follow the one link rule (markdown.py). The
profile's text never becomes markup (see model/views.py). Every problem names
`file:line:col`, all at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..containment import outside
from ..errors import Problem, SiteError
from ..paperfields import PaperFields
from ..records import Paper
from .frontmatter import markdown_files
from .markdown import inline_markdown, render_markdown
from .news import NEWS_FIELDS, NewsItem, read_news
from .pages import PAGE_FIELDS, Page, read_page
from .papers import bibliography_fields, owners, read_paper

if TYPE_CHECKING:
    from ..cv import Cv

#: RenderCV's file in content/: its reader (cv.py) is imported only for a site that has one.
CV_FILE = "cv.yaml"

__all__ = ["NEWS_FIELDS", "PAGE_FIELDS", "Content", "NewsItem", "Page", "inline_markdown",
           "load_content", "render_markdown"]


@dataclass(frozen=True)
class Content:
    pages: tuple[Page, ...] = ()  # in menu order, then by name
    papers: dict[str, PaperFields] = field(default_factory=dict)  # by slug
    news: tuple[NewsItem, ...] = ()  # newest first
    warnings: tuple[Problem, ...] = ()  # per-paper files taken for a retitled paper; cv.yaml's
    cv: Cv | None = None  # content/cv.yaml
    # Files that per-paper files name, copied beside the paper's page: site path -> source.
    paper_files: dict[str, Path] = field(default_factory=dict)


def load_content(root: Path, papers: Iterable[Paper], display: Callable[[Path], str] = str,
                 raw_html: bool = True) -> Content:
    """Read `root/content/pages`, `root/content/papers`, `root/content/news` and the CV,
    each file inside the site folder `root` (containment.py); `papers` are the site's.
    `display` turns a path into its name in messages; `raw_html` (site.yaml's) whether
    HTML in pages and news is kept."""
    content = root / "content"
    page_files, files, news_files = (markdown_files(content / kind, display(content / kind))
                                     for kind in ("pages", "papers", "news"))
    cv_file = content / CV_FILE
    problems = outside([*page_files, *files, *news_files,
                        *([cv_file] if cv_file.exists() else [])], root, display)
    if problems:  # nothing from outside the site folder is read
        raise SiteError(problems)
    pages = [page for path in page_files
             if (page := read_page(path, display(path), problems, raw_html)) is not None]
    records = {paper.slug: paper for paper in papers}
    owner_of, warnings = owners(files, records, display, problems)
    fields_of: dict[str, PaperFields] = {}
    copied: dict[str, Path] = {}
    for path in files:
        if path in owner_of:
            read = read_paper(path, display(path), owner_of[path], list(records), problems,
                              root, records[owner_of[path]].paper_fields)
            if read is not None:
                fields_of[owner_of[path]] = read[0]
                copied.update(read[1])
    for slug, record in records.items():  # a bibliography's own (al-folio's pdf, code...)
        if slug not in fields_of and (given := bibliography_fields(record)) is not None:
            fields_of[slug] = given
    news = [item for path in news_files
            if (item := read_news(path, display(path), problems, raw_html)) is not None]
    cv, cv_warnings = None, []
    if cv_file.exists():  # (a folder there is reported, not skipped)
        from ..cv import read_cv

        try:
            cv, cv_warnings = read_cv(cv_file, display)
        except SiteError as exc:
            problems += exc.problems
    if problems:
        raise SiteError(sorted(problems, key=lambda p: (p.path, p.line, p.col)))
    pages.sort(key=lambda p: (p.menu is None, p.menu or 0, p.name))
    news.sort(key=lambda item: (item.date, item.name), reverse=True)
    return Content(tuple(pages), fields_of, news=tuple(news),
                   warnings=(*warnings, *cv_warnings), cv=cv, paper_files=copied)
