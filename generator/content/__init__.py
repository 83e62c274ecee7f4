"""The site owner's own writing: Markdown pages (`content/pages/*.md`, pages.py),
per-paper files (`content/papers/<slug>.md`, papers.py), news (`content/news/*.md`,
news.py), talks, teaching and projects (`content/talks/*.md`..., items.py), each with
YAML front matter (frontmatter.py) and Markdown (markdown.py), and
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
from ..text import visible
from .frontmatter import markdown_files
from .items import ITEM_KINDS, Item, read_item
from .markdown import AT_ROOT, SiteMarkdown, inline_markdown, render_markdown
from .news import NEWS_FIELDS, NewsItem, read_news
from .pages import PAGE_FIELDS, Page, read_page
from .papers import bibliography_fields, given_fields, owners, read_paper

if TYPE_CHECKING:
    from ..cv import Cv

#: RenderCV's file in content/: its reader (cv.py) is imported only for a site that has one.
CV_FILE = "cv.yaml"

__all__ = ["NEWS_FIELDS", "PAGE_FIELDS", "Content", "NewsItem", "Page", "inline_markdown",
           "SiteMarkdown", "load_content", "render_markdown"]


@dataclass(frozen=True)
class Content:
    pages: tuple[Page, ...] = ()  # in menu order, then by name
    papers: dict[str, PaperFields] = field(default_factory=dict)  # by slug
    news: tuple[NewsItem, ...] = ()  # newest first
    warnings: tuple[Problem, ...] = ()  # per-paper files taken for a retitled paper; cv.yaml's
    cv: Cv | None = None  # content/cv.yaml
    # Files that per-paper files and items name, copied beside their pages: path -> source.
    paper_files: dict[str, Path] = field(default_factory=dict)
    # Talks, teaching and projects (items.py): by kind, then newest first.
    items: tuple[Item, ...] = ()


def _made_twice(pages: list[Page], items: list[Item], content: Path,
                display: Callable[[Path], str]) -> list[Problem]:
    """The rule of one page at one address: content/<kind>/'s items make the page <kind>/
    (talks/, teaching/, projects/), so content/pages/<kind>.md is refused beside them; it
    is kept as the page while that folder has none."""
    kinds = {item.kind for item in items}
    return [Problem(display(content / "pages" / f"{page.name}.md"), 1, 1,
                    f"content/{page.name}/ makes the page {page.name}/ from its items, so "
                    f"this page cannot have that address too: move its text into items of "
                    f"content/{page.name}/ (one Markdown file each, with a title and a "
                    "date), or rename this file", "---")
            for page in pages if page.name in kinds]


def _written_in_cv(cv: Cv, items: list[Item], path: Path, display: Callable[[Path], str]
                   ) -> list[Problem]:
    """The rule of a CV section listed once: a section cv.yaml writes (`talks:`,
    `teaching:`, `projects:`) is kept as written, and content/<kind>/'s items are not
    added to it (a warning says so); without one, the CV gets a section of them."""
    kinds = {item.kind for item in items}
    return [Problem(display(path), section.line, section.col,
                    f"the CV's section '{section.key}' is written in "
                    f"cv.yaml, so the items of content/{section.key.lower()}/ are not added to "
                    "it: remove the section to have the CV list them", warning=True)
            for section in cv.sections if section.key.lower() in kinds]


def load_content(root: Path, papers: Iterable[Paper], display: Callable[[Path], str] = str,
                 markdown: SiteMarkdown = AT_ROOT) -> Content:
    """Read `root/content/pages`, `root/content/papers`, `root/content/news` and the CV,
    each file inside the site folder `root` (containment.py); `papers` are the site's.
    `display` turns a path into its name in messages; `markdown` the site's way with
    Markdown (site.yaml's `raw_html`, and its base path, under which links from the site's
    root, `/about/`, are put)."""
    content = root / "content"
    page_files, files, news_files = (markdown_files(content / kind, display(content / kind))
                                     for kind in ("pages", "papers", "news"))
    item_files = [(kind, path) for kind in ITEM_KINDS
                  for path in markdown_files(content / kind, display(content / kind))]
    cv_file = content / CV_FILE
    problems = outside([*page_files, *files, *news_files, *(path for _, path in item_files),
                        *([cv_file] if cv_file.exists() else [])], root, display)
    if problems:  # nothing from outside the site folder is read
        raise SiteError(problems)
    pages = [page for path in page_files
             if (page := read_page(path, display(path), problems, markdown)) is not None]
    records = {paper.slug: paper for paper in papers}
    given = given_fields(records)
    owner_of, warnings = owners(files, records, given, display, problems)
    fields_of: dict[str, PaperFields] = {}
    copied: dict[str, Path] = {}
    for path in files:
        if path in owner_of:
            record = records[owner_of[path]]
            read = read_paper(path, display(path), owner_of[path], list(records), problems,
                              root, tuple(given[owner_of[path]].items()),
                              tuple(visible(author.text) for author in record.authors),
                              warnings, markdown)
            if read is not None:
                fields_of[owner_of[path]] = read[0]
                copied.update(read[1])
    for slug in records:  # a bibliography's own (al-folio's pdf, code...)
        if slug not in fields_of and (own := bibliography_fields(given[slug])) is not None:
            fields_of[slug] = own
    news = [item for path in news_files
            if (item := read_news(path, display(path), problems, markdown)) is not None]
    items = [item for kind, path in item_files
             if (item := read_item(path, display(path), kind, root, problems, copied,
                                   markdown)) is not None]
    cv, cv_warnings = None, []
    if cv_file.exists():  # (a folder there is reported, not skipped)
        from ..cv import read_cv

        try:
            cv, cv_warnings = read_cv(cv_file, display)
        except SiteError as exc:
            problems += exc.problems
    problems += _made_twice(pages, items, content, display)
    if cv is not None:
        cv_warnings += _written_in_cv(cv, items, cv_file, display)
    if problems:
        raise SiteError(sorted(problems, key=lambda p: (p.path, p.line, p.col)))
    pages.sort(key=lambda p: (p.menu is None, p.menu or 0, p.name))
    news.sort(key=lambda item: (item.date, item.name), reverse=True)
    items.sort(key=lambda item: (ITEM_KINDS.index(item.kind), -item.date.toordinal(),
                                 item.name))
    return Content(tuple(pages), fields_of, news=tuple(news),
                   warnings=(*warnings, *cv_warnings), cv=cv, paper_files=copied,
                   items=tuple(items))
