"""The site owner's own writing: Markdown pages (`content/pages/*.md`), per-paper files
(`content/papers/<slug>.md`) and news (`content/news/*.md`), each with YAML front matter,
and the CV (`content/cv.yaml`, read by cv.py).

This text is the owner's, so its Markdown may hold raw HTML; the profile's text never
becomes markup (see model/views.py). Every problem names `file:line:col`, all at once.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import hashlib
import importlib.util
import json
import os
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from markupsafe import Markup

from . import links, usercache
from .config import shown_value as _shown
from .cv import Cv, read_cv
from .errors import Problem, SiteError, did_you_mean
from .records import Paper
from .worktypes import WORK_TYPES
from .yamlfile import Positions, read_mapping, read_text

#: Python-Markdown's own extensions; codehilite writes Pygments' CSS classes (no CDN).
MARKDOWN_EXTENSIONS = ["tables", "footnotes", "fenced_code", "toc", "codehilite"]
_MARKDOWN_CONFIG = {"codehilite": {"guess_lang": False, "css_class": "codehilite"}}

PAGE_KEYS: dict[str, str] = {
    "title": "the page's title (required)",
    "menu": "its place in the site menu, a whole number; without it the page is not listed",
    "template": "the template that lays it out (default: page.html)",
}
PAPER_KEYS: dict[str, str] = {
    "pdf": "the PDF: an http(s) URL, a file (a path relative to this file, copied into the "
           "site) or a path in the site (from its root: /assets/x.pdf)",
    "doi": "the DOI, such as 10.1000/xyz123",
    "arxiv": "the arXiv identifier, such as 2201.12204",
    "venue": "where it was published",
    "type": "what kind of work it is: journal, conference, preprint, book, thesis or other "
            "(default: what the venue names; a preprint without one)",
    "slides": "the slides: an http(s) URL, a file or a path in the site (as pdf)",
    "video": "a video: an http(s) URL, a file or a path in the site (as pdf)",
    "poster": "the poster: an http(s) URL, a file or a path in the site (as pdf)",
    "thumbnail": "a picture for the paper: an http(s) URL, a file or a path in the site (as pdf)",
    "featured": "true to list the paper under Selected on the home page",
    "title": "the corrected title",
    "authors": "the corrected authors, a list",
    "aliases": "old addresses of the paper, a list of paths in the site such as "
               "papers/old-title/: each gets a page that sends readers here",
}
NEWS_KEYS: dict[str, str] = {
    "date": "the day of the news, YYYY-MM-DD (required)",
    "title": "a headline (optional: the text alone is the news)",
}
LINK_KEYS = ("pdf", "slides", "video", "poster", "thumbnail")


@dataclass(frozen=True)
class Page:
    """A Markdown page: `name` is its file's stem and its URL folder (`about/`)."""

    name: str
    title: str
    menu: int | None
    template: str
    html: Markup
    toc: Markup


@dataclass(frozen=True)
class PaperNotes:
    """A per-paper file: checked front-matter fields and the body as HTML."""

    slug: str
    fields: tuple[tuple[str, Any], ...]
    html: Markup | None
    # Files its relative paths name, copied beside the paper's page: (site path, source).
    files: tuple[tuple[str, Path], ...] = ()

    def get(self, key: str, default: Any = None) -> Any:
        return dict(self.fields).get(key, default)


@dataclass(frozen=True)
class NewsItem:
    """A piece of news (`content/news/<name>.md`): its day, optional headline and text."""

    name: str
    date: dt.date
    title: str | None
    html: Markup
    text: str  # the Markdown as written, for the feed's summary


@dataclass(frozen=True)
class Content:
    pages: tuple[Page, ...] = ()  # in menu order, then by name
    papers: dict[str, PaperNotes] = field(default_factory=dict)
    news: tuple[NewsItem, ...] = ()  # newest first
    warnings: tuple[Problem, ...] = ()  # per-paper files taken for a retitled paper; cv.yaml's
    cv: Cv | None = None  # content/cv.yaml


def render_markdown(text: str) -> tuple[Markup, Markup]:
    """Markdown to HTML and its table of contents, kept between runs in the user's cache
    folder by the text's digest (see `_markdown_cache`)."""
    folder = _markdown_cache()
    if folder is None:
        return _convert(text)
    path = os.path.join(folder, hashlib.blake2b(text.encode("utf-8"), digest_size=16)
                        .hexdigest() + ".json")
    try:
        with open(path, encoding="utf-8") as handle:
            found = json.load(handle)
        return Markup(found["html"]), Markup(found["toc"])
    except (OSError, ValueError, KeyError, TypeError):
        pass  # not converted before, or an entry that cannot be read: convert it
    html, toc = _convert(text)
    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump({"html": str(html), "toc": str(toc)}, handle)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
    return html, toc


def inline_markdown(text: str) -> Markup:
    """One line of the owner's Markdown (`**bold**`, `*italic*`, `[a link](https://...)`)
    as HTML without the paragraph around it: a CV's fields, as RenderCV reads them."""
    if not _MARKDOWN_SIGNS.search(text):
        return Markup.escape(text)
    html = str(render_markdown(text)[0]).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)


_MARKDOWN_SIGNS = re.compile(r"[*_\[\]`<&\\]")


def _convert(text: str) -> tuple[Markup, Markup]:
    md = _converter()
    with _CONVERTING:  # a converter holds the state of one conversion
        html = md.reset().convert(text)
        toc = getattr(md, "toc", "")
    return Markup(html), Markup(toc)


@lru_cache(maxsize=1)
def _markdown_cache() -> str | None:
    """The user-cache folder of converted Markdown (usercache.py), as compiled templates
    are kept: importing markdown and Pygments and highlighting a first code block cost a
    small site's build ~0.1 s. One folder per version of this module (its extensions and
    settings), of markdown and of Pygments (read from their files, not imported)."""
    made_by = []
    try:
        made_by.append(usercache.file_bytes(__file__))
        for package, files in (("markdown", ("__init__.py", "__meta__.py")),
                               ("pygments", ("__init__.py",))):
            spec = importlib.util.find_spec(package)
            if spec is None or spec.origin is None:
                made_by.append(f"no {package}".encode())
                continue
            made_by += [usercache.file_bytes(os.path.join(os.path.dirname(spec.origin), name))
                        for name in files]
    except (OSError, ImportError, ValueError):
        return None
    return usercache.folder("markdown", made_by)


_CONVERTING = threading.Lock()


@lru_cache(maxsize=1)
def _converter():
    """One Markdown converter for every file (reset before each): making one loads its
    extensions, ~15 ms each time. Only a site with Markdown files imports markdown."""
    import markdown

    return markdown.Markdown(extensions=MARKDOWN_EXTENSIONS,
                             extension_configs=_MARKDOWN_CONFIG)


def load_content(root: Path, papers: Iterable[Paper], display: Callable[[Path], str] = str
                 ) -> Content:
    """Read `root/content/pages` and `root/content/papers`; `papers` are the site's.
    `display` turns a path into its name in messages."""
    problems: list[Problem] = []
    pages: list[Page] = []
    for path in _markdown_files(root / "content" / "pages"):
        page = _page(path, display(path), problems)
        if page is not None:
            pages.append(page)
    records = {paper.slug: paper for paper in papers}
    files = _markdown_files(root / "content" / "papers")
    owners, warnings = _owners(files, records, display, problems)
    notes_of: dict[str, PaperNotes] = {}
    for path in files:
        if path in owners:
            notes = _paper(path, display(path), owners[path], list(records), problems)
            if notes is not None:
                notes_of[notes.slug] = notes
    news = [item for path in _markdown_files(root / "content" / "news")
            if (item := _news(path, display(path), problems)) is not None]
    try:
        cv, cv_warnings = read_cv(root / "content", display)
    except SiteError as exc:
        problems += exc.problems
        cv, cv_warnings = None, []
    if problems:
        raise SiteError(sorted(problems, key=lambda p: (p.path, p.line, p.col)))
    pages.sort(key=lambda p: (p.menu is None, p.menu or 0, p.name))
    news.sort(key=lambda item: (item.date, item.name), reverse=True)
    return Content(tuple(pages), notes_of, news=tuple(news),
                   warnings=(*warnings, *cv_warnings), cv=cv)


def _news(path: Path, name: str, problems: list[Problem]) -> NewsItem | None:
    before = len(problems)
    read = _front(path, name, NEWS_KEYS, problems)
    if read is None:
        return None
    data, body, problem = read
    date = data.get("date")
    if not isinstance(date, dt.date) or isinstance(date, dt.datetime):
        if "date" in data:
            problem("date", f"'date' must be a day such as 2026-05-10, found {_shown(date)}")
        else:
            problems.append(Problem(name, 1, 1, "expected a 'date' in the front matter, "
                                    "such as 'date: 2026-05-10'", "---"))
    title = data.get("title")
    if title is not None and (not isinstance(title, str) or not title.strip()):
        problem("title", f"'title' must be text, found {_shown(title)}")
    if not body.strip():
        problems.append(Problem(name, 1, 1, "the news has no text: expected Markdown after "
                                "the front matter"))
    if len(problems) > before:
        return None
    return NewsItem(path.stem, date, title.strip() if title else None,
                    render_markdown(body)[0], body.strip())


def _owners(files: list[Path], records: dict[str, Paper], display: Callable[[Path], str],
            problems: list[Problem]) -> tuple[dict[Path, str], list[Problem]]:
    """The paper each per-paper file belongs to: the one whose slug is its name; for a
    file whose paper's title (so slug) has changed, the paper its `doi:` or `arxiv:`
    names, else the one slug close to its name (difflib, 0.8) that has no file of its
    own. Such a file is kept with a warning, and its old address redirects (see _paper).
    A file that matches no paper is an error naming the paper it most likely meant."""
    owners = {path: path.stem for path in files if path.stem in records}
    free = [slug for slug in records if slug not in owners.values()]
    warnings: list[Problem] = []
    for path in files:
        if path in owners:
            continue
        name = display(path)
        slug = _retitled(path, records, free)
        if slug is None:
            close = difflib.get_close_matches(path.stem, list(records), n=1, cutoff=0.5)
            hint = (f"; did you mean '{close[0]}' ({records[close[0]].title})?" if close
                    else "")
            problems.append(Problem(name, 1, 1, f"no paper has the slug '{path.stem}'{hint} "
                                    "(a file here is named after its paper's address, "
                                    "papers/<slug>/)"))
            continue
        owners[path] = slug
        free.remove(slug)
        warnings.append(Problem(name, 1, 1, f"no paper has the slug '{path.stem}' now: "
                                f"taken for '{records[slug].title}' (papers/{slug}/), the "
                                "paper it most likely is (its title corrected, or this "
                                f"file's name mistyped); papers/{path.stem}/ redirects "
                                f"there. Rename the file {slug}.md, with 'aliases: "
                                f"[papers/{path.stem}/]' if that address was published",
                                warning=True))
    return owners, warnings


def _retitled(path: Path, records: dict[str, Paper], free: list[str]) -> str | None:
    """The free paper a file with no paper of its name most likely belongs to, or None."""
    problems: list[Problem] = []
    front = _split(path, str(path), problems)
    if front is not None:
        for key in ("doi", "arxiv"):
            value = _paper_field(key, front[0][key]) if front[0].get(key) else None
            found = [slug for slug in free if isinstance(value, str)
                     and value.lower() == (getattr(records[slug], key) or "").lower()]
            if len(found) == 1:
                return found[0]
    close = difflib.get_close_matches(path.stem, free, n=2, cutoff=0.8)
    if len(close) == 1 or (len(close) == 2 and difflib.SequenceMatcher(
            None, path.stem, close[0]).ratio() > difflib.SequenceMatcher(
            None, path.stem, close[1]).ratio()):
        return close[0]
    return None


def _markdown_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.md") if p.is_file() and not p.name.startswith("."))


def _split(path: Path, name: str, problems: list[Problem]
           ) -> tuple[dict[str, Any], Positions, str] | None:
    """Front matter (values and positions of keys and values) and the body."""
    text = read_text(path, name, problems)
    if text is None:
        return None
    lines = text.splitlines()
    if not lines or lines[0].rstrip() != "---":
        problems.append(Problem(name, 1, 1, "expected front matter: a first line '---', "
                                "then 'key: value' lines, then '---'",
                                lines[0] if lines else None))
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        problems.append(Problem(name, len(lines), len(lines[-1]) + 1,
                                "front matter has no closing '---' line", lines[-1]))
        return None
    front = read_mapping("\n".join(lines[1:end]), name, problems, first_line=2,
                         invalid="front matter is not valid YAML",
                         expected="expected front matter as 'key: value' lines")
    if front is None:
        return None
    return front[0], front[1], "\n".join(lines[end + 1:])


def _checker(name: str, positions: Positions, problems: list[Problem]):
    def problem(key: str, message: str, at_value: bool = True) -> None:
        line, col, source = positions.get(f"{key}=" if at_value else key) or (1, 1, "---")
        problems.append(Problem(name, line, col, message, source))

    return problem


def _unknown(key: str, known: dict[str, str]) -> str:
    return f"unknown field '{key}'{did_you_mean(key, known)} (known: {', '.join(known)})"


def _front(path: Path, name: str, known: dict[str, str], problems: list[Problem]):
    """A Markdown file's front matter (its unknown keys reported), body and the function
    that reports a problem at a key; None when there is no front matter to read."""
    split = _split(path, name, problems)
    if split is None:
        return None
    data, positions, body = split
    problem = _checker(name, positions, problems)
    for key in data:
        if key not in known:
            problem(key, _unknown(key, known), at_value=False)
    return data, body, problem


def _page(path: Path, name: str, problems: list[Problem]) -> Page | None:
    before = len(problems)
    read = _front(path, name, PAGE_KEYS, problems)
    if read is None:
        return None
    data, body, problem = read
    # (A name another kind of page keeps, such as news, is refused by the site model.)
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", path.stem):
        problems.append(Problem(name, 1, 1, f"the file name '{path.stem}' cannot be a page's "
                                "address; expected lower-case letters, digits and hyphens"))
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        if "title" in data:
            problem("title", f"'title' must be text, found {_shown(title)}")
        else:
            problems.append(Problem(name, 1, 1, "expected a 'title' in the front matter", "---"))
    menu = data.get("menu")
    if menu is not None and (isinstance(menu, bool) or not isinstance(menu, int)):
        problem("menu", f"'menu' must be a whole number, found {_shown(menu)}")
    template = data.get("template", "page.html")
    if not isinstance(template, str) or not re.fullmatch(r"[\w./-]+\.html", template):
        problem("template", f"'template' must be a template file name such as page.html, "
                f"found {_shown(template)}")
    if len(problems) > before:
        return None
    html, toc = render_markdown(body)
    return Page(path.stem, title.strip(), menu, template, html, toc)


def _paper(path: Path, name: str, slug: str, slugs: list[str], problems: list[Problem]
           ) -> PaperNotes | None:
    """The file's fields for the paper `slug`: its own name, or a retitled paper's."""
    split = _split(path, name, problems)
    if split is None:
        return None
    data, positions, body = split
    problem = _checker(name, positions, problems)
    fields: list[tuple[str, Any]] = []
    files: list[tuple[str, Path]] = []
    for key, value in data.items():
        if key not in PAPER_KEYS:
            problem(key, _unknown(key, PAPER_KEYS), at_value=False)
            continue
        checked = _paper_field(key, value)
        if isinstance(checked, _Bad):
            problem(key, f"'{key}' {checked.message}, found {_shown(value)}")
            continue
        if key == "aliases" and (taken := [a for a in checked
                                           if a.removeprefix("papers/").rstrip("/") in slugs
                                           and a.startswith("papers/")]):
            problem(key, f"'aliases' names the address of a paper there is: {taken[0]}")
            continue
        if key in LINK_KEYS and _relative(checked):
            found = _local_file(path, slug, checked)
            if isinstance(found, _Bad):
                problem(key, f"'{key}' {found.message}")
                continue
            checked = found[0]
            files.append(found)
        fields.append((key, checked))
    if slug != path.stem:  # a retitled paper's file: its old address redirects
        fields = [(k, v) for k, v in fields if k != "aliases"] + [
            ("aliases", (*dict(fields).get("aliases", ()), f"papers/{path.stem}/"))]
    html = render_markdown(body)[0] if body.strip() else None
    return PaperNotes(slug, tuple(fields), html, tuple(files))


def _alias(text: str) -> str:
    """An old address as the folder of its page, `papers/old-title/`; '' when it is none
    (a URL, a file name, a way out of the site)."""
    path = text.strip().strip("/")
    parts = path.split("/")
    if (not path or "://" in text or any(p in ("", ".", "..") for p in parts)
            or not all(re.fullmatch(r"[\w.~-]+", p) for p in parts) or "." in parts[-1]):
        return ""
    return path + "/"


def _relative(link: str) -> bool:
    """A path relative to the extras file: no scheme, not from the site's root."""
    return "://" not in link and not link.startswith("/")


def _local_file(extras: Path, slug: str, link: str) -> tuple[str, Path] | _Bad:
    """The file a relative link of `extras` names, and the site path it is copied to:
    beside the paper's page (`papers/<slug>/<its path below the extras' folder>`)."""
    folder = extras.parent
    source = (folder / unquote(link.split("#")[0])).resolve()
    if not source.is_file():
        return _Bad(f"names no file: {link} (looked for {source}; a path is relative to "
                    "this file, and a path in the site starts with /)")
    try:
        below = source.relative_to(folder.resolve()).as_posix()
    except ValueError:  # ../files/x.pdf: outside this folder, copied by its name
        below = source.name
    return f"papers/{slug}/{below}", source


@dataclass(frozen=True)
class _Bad:
    message: str


def _paper_field(key: str, value: Any) -> Any:
    if key == "featured":
        return value if isinstance(value, bool) else _Bad("must be true or false")
    if key == "aliases":
        if isinstance(value, str):
            value = [value]
        aliases = ([_alias(v) if isinstance(v, str) else "" for v in value]
                   if isinstance(value, list) else [])
        if aliases and all(aliases):
            return tuple(aliases)
        return _Bad("must be a list of paths in the site such as papers/old-title/")
    if key == "authors":
        if (isinstance(value, list) and value
                and all(isinstance(v, str) and v.strip() for v in value)):
            return tuple(v.strip() for v in value)
        return _Bad("must be a list of names")
    if not isinstance(value, (str, int, float)) or isinstance(value, bool) or not str(value):
        return _Bad("must be text")
    text = str(value).strip()
    if key in LINK_KEYS:
        return text if links.is_link(text) else _Bad(links.EXPECTED)
    if key == "type":
        return text if text in WORK_TYPES else _Bad(
            f"must be one of {', '.join(WORK_TYPES)}")
    if key == "doi":
        text = links.bare_doi(text)
        return text if re.fullmatch(r"10\.\d{4,9}/\S+", text) else _Bad(
            "must be a DOI such as 10.1000/xyz123")
    if key == "arxiv":
        text = re.sub(r"^(https?://arxiv\.org/abs/|arxiv:)", "", text, flags=re.I)
        if re.fullmatch(r"\d{4}\.\d{4,5}(v\d+)?|[a-z-]+(\.[A-Z]{2})?/\d{7}(v\d+)?", text):
            return text
        return _Bad("must be an arXiv identifier such as 2201.12204")
    return text


