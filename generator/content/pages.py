"""Markdown pages (`content/pages/<name>.md`): a title, an optional place in the menu and
a template, then the text. Whether a page's address is taken by another page of the
site is the model's to check; here only that its file name can be an address."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from ..config import shown_value as _shown
from ..errors import Problem
from .frontmatter import read_front
from .markdown import render_markdown

PAGE_KEYS: dict[str, str] = {
    "title": "the page's title (required)",
    "menu": "its place in the site menu, a whole number; without it the page is not listed",
    "template": "the template that lays it out (default: page.html)",
}


@dataclass(frozen=True)
class Page:
    """A Markdown page: `name` is its file's stem and its URL folder (`about/`)."""

    name: str
    title: str
    menu: int | None
    template: str
    html: Markup
    toc: Markup


def read_page(path: Path, name: str, problems: list[Problem]) -> Page | None:
    """The page of the file at `path` (shown as `name`); None, with its problems, when
    it cannot be read."""
    before = len(problems)
    read = read_front(path, name, PAGE_KEYS, problems)
    if read is None:
        return None
    data, body, problem = read
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
