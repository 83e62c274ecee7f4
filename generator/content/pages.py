"""Markdown pages (`content/pages/<name>.md`): a title, an optional place in the menu and
a template, then the text. Whether a page's address is taken by another page of the
site is the model's to check; here only that its file name can be an address."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, NamedTuple

from markupsafe import Markup

from ..errors import Invalid, Problem
from .frontmatter import Field, read_fields
from .markdown import AT_ROOT, SiteMarkdown


def _title(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise Invalid("must be text")
    return value.strip()


def _menu(value: Any) -> int | None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise Invalid("must be a whole number")
    return value


def _template(value: Any) -> str:
    if (not isinstance(value, str) or not re.fullmatch(r"[\w./-]+\.html", value)
            or ".." in value.split("/")):  # a template lies below templates/
        raise Invalid("must be a template file name such as page.html")
    return value


#: The front matter of a page: each key with its doc, check and default.
PAGE_FIELDS: dict[str, Field] = {
    "title": Field("the page's title (required)", _title,
                   missing="expected a 'title' in the front matter"),
    "menu": Field("its place in the site menu, a whole number; without it the page is not "
                  "listed", _menu),
    "template": Field("the template that lays it out (default: page.html)", _template,
                      default="page.html"),
}


class Page(NamedTuple):
    """A Markdown page: `name` is its file's stem and its URL folder (`about/`)."""

    name: str
    title: str
    menu: int | None
    template: str
    html: Markup
    toc: Markup


def read_page(path: Path, name: str, problems: list[Problem],
              markdown: SiteMarkdown = AT_ROOT) -> Page | None:
    """The page of the file at `path` (shown as `name`); None, with its problems, when
    it cannot be read. `markdown`: the site's way with Markdown (raw HTML kept or not,
    the base path of links from its root)."""
    before = len(problems)
    read = read_fields(path, name, PAGE_FIELDS, problems)
    if read is None:
        return None
    values, body = read
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", path.stem):
        problems.append(Problem(name, 1, 1, f"the file name '{path.stem}' cannot be a page's "
                                "address; expected lower-case letters, digits and hyphens"))
    if len(problems) > before:
        return None
    html, toc = markdown.page(body)
    return Page(path.stem, values["title"], values["menu"], values["template"], html, toc)
