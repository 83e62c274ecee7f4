"""What every bibliography reader gives (`Entry`: one work as a source states it) and how
an entry becomes a paper record. A reader knows nothing of the others, of merging or of
slugs: `sources/__init__.py` puts the sources together."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..records import CATEGORY_NAMES, NO_BIBLIO, Biblio, Name, Paper
from ..slugs import slugify
from ..worktypes import WORK_TYPES

#: A category for a work that names none, by its kind (worktypes.WORK_TYPES keys).
KIND_CATEGORIES = {key: kind.plural for key, kind in WORK_TYPES.items()}


@dataclass(frozen=True)
class Entry:
    """One work of a source: what a paper record needs, and the source's own fields (all
    of them, as written) for writing the entry back."""

    key: str
    line: int
    title: str
    authors: tuple[Name, ...]
    authors_truncated: bool  # the list ended in "and others" (or the note says so)
    date: dt.date  # the first of the month or year when the entry gives no day
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
    biblio: Biblio = NO_BIBLIO  # volume, issue, pages, publisher... (records.Biblio)


def category_of(entry: Entry) -> tuple[str, str]:
    """The entry's category as (code, name): its arXiv class (`cs.LG` is the profile's
    `LG`), else its first keyword, else its kind of work ("Conference papers")."""
    if entry.category:
        archive, _, code = entry.category.partition(".")
        if code in CATEGORY_NAMES and archive in ("cs", "stat", "eess"):
            return code, ""
        return slugify(entry.category) or "other", entry.category
    for keyword in entry.keywords:
        if slugify(keyword):  # "robotics" is shown as Robotics
            return slugify(keyword), keyword[:1].upper() + keyword[1:]
    return entry.kind, KIND_CATEGORIES[entry.kind]


def entry_paper(entry: Entry, fields_kept: tuple[tuple[str, str], ...] = ()) -> Paper:
    """The entry as a paper record, its slug still empty (sources.read_sources sets it)."""
    code, label = category_of(entry)
    return Paper(
        slug="", title=entry.title, authors=entry.authors,
        authors_truncated=entry.authors_truncated, affiliations=(),
        category=code, date=entry.date, year_inferred=False, score=None,
        has_code=False, code_url=None,
        links=(entry.url,) if entry.url else (), abstract=entry.abstract,
        line=entry.line, category_label=label, venue=entry.venue,
        doi=entry.doi, arxiv=entry.arxiv, kind=entry.kind,
        precision=entry.precision, url=entry.url, biblio=entry.biblio,
        kept_fields=fields_kept,
    )
