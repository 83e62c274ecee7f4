"""News (`content/news/<name>.md`): a day, an optional headline, then the text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, NamedTuple

from markupsafe import Markup

from ..errors import Invalid, Problem
from .frontmatter import Field, read_fields
from .markdown import AT_ROOT, SiteMarkdown


def _day(value: Any) -> dt.date:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise Invalid("must be a day such as 2026-05-10")
    return value


def _headline(value: Any) -> str | None:
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise Invalid("must be text")
    return value.strip() if value else None


#: The front matter of a piece of news: each key with its doc and check.
NEWS_FIELDS: dict[str, Field] = {
    "date": Field("the day of the news, YYYY-MM-DD (required)", _day,
                  missing="expected a 'date' in the front matter, such as 'date: 2026-05-10'"),
    "title": Field("a headline (optional: the text alone is the news)", _headline),
}


class NewsItem(NamedTuple):
    """A piece of news (`content/news/<name>.md`): its day, optional headline and text."""

    name: str
    date: dt.date
    title: str | None
    html: Markup
    text: str  # the Markdown as written, for the feed's summary


def read_news(path: Path, name: str, problems: list[Problem],
              markdown: SiteMarkdown = AT_ROOT) -> NewsItem | None:
    """The news of the file at `path` (shown as `name`); None, with its problems, when
    it cannot be read. `markdown`: the site's way with Markdown (raw HTML kept or not,
    the base path of links from its root)."""
    before = len(problems)
    read = read_fields(path, name, NEWS_FIELDS, problems)
    if read is None:
        return None
    values, body = read
    if not body.strip():
        problems.append(Problem(name, 1, 1, "the news has no text: expected Markdown after "
                                "the front matter"))
    if len(problems) > before:
        return None
    return NewsItem(path.stem, values["date"], values["title"],
                    markdown.page(body)[0], body.strip())
