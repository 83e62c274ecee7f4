"""What every bibliography reader gives (`Entry`: one work as a source states it) and how
an entry becomes a paper record. A reader knows nothing of the others, of merging or of
slugs: `sources/__init__.py` puts the sources together."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..records import CATEGORY_NAMES, NO_BIBLIO, Biblio, Name, Paper
from ..slugs import slugify


@dataclass(frozen=True)
class Entry:
    """One work of a source: what a paper record needs, and the source's own fields (all
    of them, as written) for writing the entry back."""

    key: str
    line: int
    title: str
    authors: tuple[Name, ...]
    authors_truncated: bool  # the list ended in "and others" (or the note says so)
    date: dt.date | None  # the first of the month or year when the entry gives no day;
    # None when a status stands for the year (`year = {in press}`)
    precision: str  # day, month or year: how much of `date` the entry gives
    abstract: str
    kind: str  # a key of worktypes.WORK_TYPES
    venue: str | None
    doi: str | None
    arxiv: str | None
    url: str | None
    keywords: tuple[str, ...]
    category: str | None  # an arXiv class (primaryClass), when the entry names one
    # Every field, as written (BibTeX's LaTeX kept), but those read into the record in
    # another name (a thesis's institution is written as its school).
    fields: tuple[tuple[str, str], ...] = ()
    paper_fields: tuple[tuple[str, str | bool | tuple[str, ...]], ...] = ()  # as Paper's
    status: str | None = None  # "in press", "forthcoming": dates.STATUSES
    biblio: Biblio = NO_BIBLIO  # volume, issue, pages, publisher... (records.Biblio)


def category_of(entry: Entry) -> tuple[str, str]:
    """The entry's arXiv class as (code, name): `cs.LG` is the profile's `LG`, another
    class its slug and itself; ("", "") when the entry names none (the site's scheme of
    categories then gives it one: model/subjects.py)."""
    if entry.category:
        archive, _, code = entry.category.partition(".")
        if code in CATEGORY_NAMES and archive in ("cs", "stat", "eess"):
            return code, ""
        if slugify(entry.category):
            return slugify(entry.category), entry.category
    return "", ""


#: A citation key as BibTeX takes one (no space, comma, brace, quote, '#', '%', '=').
_CITATION_KEY = re.compile(r"[^\s,{}()\"#%'=\\~]{1,100}")


def entry_paper(entry: Entry, fields_kept: tuple[tuple[str, str], ...] = (),
                as_of: dt.date | None = None) -> Paper:
    """The entry as a paper record, its slug still empty (sources.read_sources sets it);
    an entry whose year is a status (in press) dated in the as-of year."""
    code, label = category_of(entry)
    date = entry.date or dt.date((as_of or dt.date.min).year, 1, 1)
    return Paper(
        slug="", title=entry.title, authors=entry.authors,
        authors_truncated=entry.authors_truncated, affiliations=(),
        category=code, date=date, year_inferred=entry.date is None, score=None,
        has_code=False, code_url=None,
        links=(entry.url,) if entry.url else (), abstract=entry.abstract,
        line=entry.line, category_label=label, venue=entry.venue,
        doi=entry.doi, arxiv=entry.arxiv, kind=entry.kind,
        precision=entry.precision, url=entry.url, biblio=entry.biblio,
        kept_fields=fields_kept,
        keywords=entry.keywords,
        paper_fields=entry.paper_fields,
        key=entry.key if (_CITATION_KEY.fullmatch(entry.key or "")
                          and "://" not in entry.key) else None,
        status=entry.status,
    )
