"""Talks, teaching and projects (`content/talks/`, `content/teaching/`,
`content/projects/<name>.md`): dated Markdown items, read as news is (frontmatter.py's
table of fields, news.py's day), with one table for the three kinds: a title and a day
are enough; an event or course, a place, links (slides, video, code, a page) and a
picture may follow. A relative link names a file beside the item, copied beside its
page; nothing outside the site folder is read (containment.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, NamedTuple

from markupsafe import Markup

from ..errors import Invalid, Problem
from ..i18n import N_
from ..links import is_link
from .frontmatter import Field, read_fields, reporter, split
from .markdown import AT_ROOT, SiteMarkdown
from .news import NEWS_FIELDS
from .papers import local_file, picture

#: The folders of content/ read as dated items, each the address of its page.
ITEM_KINDS = ("talks", "teaching", "projects")
#: The link fields, in the order a page shows them, with their words.
LINK_FIELDS = {"url": N_("Page"), "slides": N_("Slides"), "video": N_("Video"),
               "code": N_("Code")}


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float) \
            or not str(value).strip():
        raise Invalid("must be text")
    return str(value).strip()


def _title(value: Any) -> str:
    text = _text(value)
    if text is None:
        raise Invalid("must be text")
    return text


def _link(value: Any) -> str:
    if not isinstance(value, str) or not is_link(value.strip()):
        raise Invalid("must be an http(s) address, a path in the site from its root (/...), "
                      "or a file beside this one")
    return value.strip()


#: The front matter of a talk, a course taught or a project: each key with its doc and check.
ITEM_FIELDS: dict[str, Field] = {
    "title": Field("its title (required)", _title,
                   missing="expected a 'title' in the front matter, such as 'title: On "
                   "neural processes'"),
    "date": Field("its day, YYYY-MM-DD (required): a talk's, a course's first, a project's "
                  "start", NEWS_FIELDS["date"].check,
                  missing="expected a 'date' in the front matter, such as 'date: 2026-05-10'"),
    "event": Field("where a talk was given: a conference, a seminar", _text),
    "course": Field("the course taught, its code or name", _text),
    "place": Field("the city or institution", _text),
    **{key: Field(f"a link to its {word.lower()}: http(s), /a/path/in/the/site, or a file "
                  "beside this one", _link) for key, word in LINK_FIELDS.items()},
    "thumbnail": Field("a picture (PNG, JPEG, WebP...): a file beside this one, a path in "
                       "the site or an http(s) address", _link),
}


class Item(NamedTuple):
    """A talk, a course taught or a project: as its file gives it."""

    kind: str  # talks, teaching, projects (its folder)
    name: str  # its file's name without .md: its anchor on the page
    title: str
    date: dt.date
    event: str | None
    course: str | None
    place: str | None
    links: tuple[tuple[str, str], ...]  # (field, link as written or as copied), LINK_FIELDS' order
    thumbnail: str | None
    html: Markup  # the body, converted (may be empty)
    text: str  # the body as written, for the feed


def read_item(path: Path, name: str, kind: str, root: Path, problems: list[Problem],
              copied: dict[str, Path], markdown: SiteMarkdown = AT_ROOT
              ) -> Item | None:
    """The item of the file at `path` (shown as `name`) in content/`kind`/; None, with
    its problems, when it cannot be read. The files its relative links name go into
    `copied` (site path -> source); its text is made HTML the site's way (`markdown`)."""
    before = len(problems)
    read = read_fields(path, name, ITEM_FIELDS, problems)
    if read is None:
        return None
    values, body = read
    if len(problems) > before:  # (a field refused has no value)
        return None
    for key in (*LINK_FIELDS, "thumbnail"):
        link = values[key]
        if link is None or "://" in link or link.startswith("/"):
            continue
        try:
            values[key] = _beside(path, kind, link, root, copied, key == "thumbnail")
        except Invalid as exc:  # at the value: its place read again, for this message only
            positions = (split(path, name, []) or ({}, {}, ""))[1]
            reporter(name, positions, problems)(key, f"'{key}' {exc}")
    if len(problems) > before:
        return None
    links = tuple((key, values[key]) for key in LINK_FIELDS if values[key] is not None)
    html = markdown.page(body)[0] if body.strip() else Markup("")
    return Item(kind, path.stem, values["title"], values["date"], values["event"],
                values["course"], values["place"], links, values["thumbnail"], html,
                body.strip())


def _beside(path: Path, kind: str, link: str, root: Path, copied: dict[str, Path],
            is_picture: bool) -> str:
    """A relative link's file, inside the site folder, copied to `<kind>/<its path below
    the item's folder>` (papers.local_file, as a paper's files are): the site path it has
    there."""
    site_path, source = local_file(path, kind, link, root)
    if is_picture:
        picture(source, link)
    copied[site_path] = source
    return "/" + site_path
