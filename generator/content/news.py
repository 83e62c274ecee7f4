"""News (`content/news/<name>.md`): a day, an optional headline, then the text."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from ..config import shown_value as _shown
from ..errors import Problem
from .frontmatter import read_front
from .markdown import render_markdown

NEWS_KEYS: dict[str, str] = {
    "date": "the day of the news, YYYY-MM-DD (required)",
    "title": "a headline (optional: the text alone is the news)",
}


@dataclass(frozen=True)
class NewsItem:
    """A piece of news (`content/news/<name>.md`): its day, optional headline and text."""

    name: str
    date: dt.date
    title: str | None
    html: Markup
    text: str  # the Markdown as written, for the feed's summary


def read_news(path: Path, name: str, problems: list[Problem]) -> NewsItem | None:
    """The news of the file at `path` (shown as `name`); None, with its problems, when
    it cannot be read."""
    before = len(problems)
    read = read_front(path, name, NEWS_KEYS, problems)
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
