"""A BibTeX or BibLaTeX file (`content/*.bib`: a Google Scholar or DBLP export, al-folio's
papers.bib, a LaTeX CV) as entries, read by bibtexparser 2 with LaTeX turned into text by
pylatexenc: `@string` macros resolved, Jekyll front matter lines skipped, names split as
BibTeX splits them, month names and numbers read, every field kept for the download.

The reader's contract, which every source shares: `read_bibtex(path, shown)` gives
`(entries, problems)`; a problem names `shown`, the line and what was expected. An entry
that lacks what a paper needs (a title, a year) is left out rather than guessed, with a
warning; text that is no entry at all is an error, since it may hide the ones after it."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from ..dates import MONTH_NUMBER, UNDATED, iso_parts, status_of, year_of
from ..errors import Problem, cannot_read
from ..links import arxiv_id, bare_doi, doi_in, is_web_url
from ..records import DETAILS, NO_BIBLIO, Biblio
from ..worktypes import WORK_TYPES, conference_venue, preprint_server
from .alfolio import site_fields
from .bibfile import BibEntry
from .bibnames import split_names
from .entry import Entry
from .latex import LatexRefused, _text

#: Entry types (BibTeX's and BibLaTeX's) by the kind of work they are (worktypes.WORK_TYPES
#: keys); any other type is "other".
ENTRY_TYPES = {
    "article": "journal", "periodical": "journal", "inproceedings": "conference",
    "conference": "conference", "proceedings": "edited-book", "book": "book",
    "mvbook": "book", "collection": "edited-book", "mvcollection": "edited-book",
    "inbook": "chapter", "incollection": "chapter", "inreference": "chapter",
    "bookinbook": "chapter", "phdthesis": "thesis", "mastersthesis": "masters-thesis",
    "thesis": "thesis", "techreport": "report", "report": "report", "manual": "report",
    "unpublished": "preprint", "online": "webpage", "electronic": "webpage",
    "www": "webpage", "webpage": "webpage", "misc": "other", "software": "software",
    "dataset": "dataset", "data": "dataset", "patent": "patent", "presentation": "talk",
}
#: A thesis whose type (BibTeX's `type`, CSL's `genre`) says so is a master's thesis.
MASTERS = re.compile(r"master|mathesis|\bm\.?\s?(sc|a|phil|eng|res)\b|\bdiplom", re.I)
# A @misc's or @unpublished's `type` that says it is a talk, or a poster.
_TALK = re.compile(r"\b(talks?|presentations?|keynote|lecture|seminar|speech)\b", re.I)
_POSTER = re.compile(r"\bposters?\b", re.I)
# BibLaTeX's keys of a thesis's type, which the entry types we write say.
_THESIS_TYPE = re.compile(r"\s*(phd|ma|masters?|cand)thesis\s*", re.I)
#: Kinds that a preprint server's venue or DOI makes a preprint.
MAYBE_PREPRINT = ("other", "journal", "conference", "report", "webpage")
#: Kinds whose `number` is a journal's issue; any other's is the work's own number.
ISSUE_KINDS = ("journal", "preprint")
#: How much of a date an entry gives, by the number of its parts.
PRECISIONS = ("year", "month", "day")
#: The fields that hold the venue, in the order looked at (after the kind's own field,
#: worktypes.WorkType.bibtex_venue); one that repeats the title is no venue.
VENUE_FIELDS = ("journal", "journaltitle", "booktitle", "school", "institution",
                "publisher", "howpublished", "organization")


def read_bibtex(path: Path, shown: str) -> tuple[list[Entry], list[Problem]]:
    """The entries of a BibTeX file, and the problems found."""
    try:
        text = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
    except OSError as exc:
        return [], [cannot_read(shown, exc)]
    except UnicodeDecodeError as exc:
        return [], [Problem(shown, 1, 1, f"not UTF-8 text (byte {exc.start}); expected the "
                            "file saved as UTF-8")]
    from .bibfile import read_blocks

    blocks, problems = read_blocks(text, shown)
    entries = []
    for block in blocks:
        made = _entry(block, shown, text, problems)
        if made is not None:  # with al-folio's fields (pdf, code, selected...)
            entries.append(site_fields(made, path, shown, _line(text, made.line), problems,
                                       _text))
    return entries, problems


def _entry(entry: BibEntry, shown: str, text: str, problems: list[Problem]) -> Entry | None:
    raw = {key.lower(): value for key, value in entry.fields}
    try:
        return _read_entry(entry, raw, entry.line, shown, text, problems)
    except LatexRefused as exc:  # an error: the text would be lost, not just a field
        problems.append(Problem(shown, entry.line, 1,
                                f"@{entry.entry_type}{{{entry.key}}}: {exc}",
                                _line(text, entry.line)))
        return None


def _read_entry(entry: BibEntry, raw: dict[str, str], line: int, shown: str, text: str,
                problems: list[Problem]) -> Entry | None:
    """The entry made from its fields (`raw`, by lower-case name), or None (and a warning
    in `problems`) when it lacks what a paper needs."""

    def problem(message: str) -> None:  # the entry is left out, and the build goes on
        problems.append(Problem(shown, line, 1, f"@{entry.entry_type}{{{entry.key}}} is "
                                f"left out: {message}", _line(text, line), warning=True))

    title = _text(raw.get("title", ""), markup=True)
    if not title:
        problem("has no title; expected title = {...}")
        return None
    status = status_of(raw["pubstate"]) if raw.get("pubstate") else None
    if not raw.get("date") and (not raw.get("year") or status_of(raw["year"])):
        # A status for a year (in press), or none at all: kept, shown as its status
        status, date, precision = status_of(raw.get("year", "")) or UNDATED, None, "year"
        if not raw.get("year"):
            problems.append(Problem(shown, line, 1, f"@{entry.entry_type}{{{entry.key}}} "
                                    f"has no year: kept as {UNDATED} (no date); expected "
                                    "year = {2018}", _line(text, line), warning=True))
    else:
        dated = _date(raw, problem)
        if dated is None:
            return None
        date, precision = dated
    authors, truncated = split_names(raw.get("author") or raw.get("editor") or "")
    kind = ENTRY_TYPES.get(entry.entry_type.lower(), "other")  # (keys of WORK_TYPES)
    typed = _text(raw.get("type", ""))
    if kind == "thesis" and MASTERS.search(typed):
        kind = "masters-thesis"
    if kind == "book" and "author" not in raw and "editor" in raw:
        kind = "edited-book"
    if kind in ("other", "preprint", "talk") and (_POSTER.search(typed) or _TALK.search(typed)):
        kind = "poster" if _POSTER.search(typed) else "talk"  # @misc{type = {Presentation}}
    own = WORK_TYPES[kind].bibtex_venue
    venue, venue_field = next(((text, f) for f in (own, *VENUE_FIELDS) if raw.get(f)
                               and (text := _text(raw[f])).casefold() != title.casefold()),
                              (None, ""))
    arxiv = None
    if raw.get("archiveprefix", raw.get("eprinttype", "")).lower() == "arxiv":
        arxiv = raw.get("eprint")
    else:  # Google Scholar's journal={arXiv preprint arXiv:1706.03762}, an arXiv URL
        arxiv = arxiv_id(" ".join(filter(None, (venue, raw.get("url")))))
    doi = bare_doi(_verbatim(raw["doi"])) if raw.get("doi") else None
    url = _verbatim(raw["url"]) if raw.get("url") else None
    if url and not doi and doi_in(url):  # `url = {doi:<a href="https://doi.org/...">}`
        doi = doi_in(url)
        url = url if is_web_url(url) else None  # HTML, not an address: the DOI says it
    if (kind in ("other", "journal", "webpage") and (venue is None and arxiv or
                                                     preprint_server(None, doi))) or (
            kind in MAYBE_PREPRINT and preprint_server(venue)):
        kind = "preprint"  # DBLP's journal = {CoRR}, an article with a bioRxiv DOI
    elif kind == "journal" and venue_field == "journal" and conference_venue(venue):
        kind = "conference"  # al-folio's @article{journal = {... Conference ... (ICCV)}}
    keywords = tuple(k.strip() for k in re.split(r"[,;]", _text(raw.get("keywords", "")))
                     if k.strip())
    biblio = _biblio(raw, kind, "author" in raw)
    # The field the venue came from (a thesis's institution, written as its school) and a
    # thesis's BibLaTeX type (said by its entry type) are the record's now, not kept.
    read = {venue_field}
    if (kind in ("thesis", "masters-thesis") and _THESIS_TYPE.fullmatch(typed)) or (
            kind in ("talk", "poster") and typed):
        read.add("type")  # said again by the entry type, or the type we write
    kept = tuple((k, v) for k, v in entry.fields if k.lower() not in read)
    return Entry(entry.key, line, title, authors, truncated, date, precision,
                 _text(raw.get("abstract", "")), kind, venue, doi, arxiv, url,
                 keywords, raw.get("primaryclass") or raw.get("eprintclass") or None,
                 kept, status=status, biblio=biblio)


def _biblio(raw: dict[str, str], kind: str, has_authors: bool) -> Biblio:
    """The entry's details (records.DETAILS: each from the first of its BibTeX fields
    there is); `number` is the issue of a journal's article, and the editors are details
    only when the authors are named (else they are the authors)."""
    values: dict[str, Any] = {}
    for name, detail in DETAILS.items():
        if name == "editors":
            if has_authors and raw.get("editor"):
                values[name] = split_names(raw["editor"])[0]
            continue
        fields = detail.bibtex
        if name == "issue" and kind not in ISSUE_KINDS:
            fields = ("issue",)  # BibLaTeX's; `number` is the work's own
        elif name == "number" and kind in ISSUE_KINDS:
            fields = ()  # the issue
        found = next((raw[f] for f in fields if raw.get(f)), "")
        if found:
            values[name] = _text(found)
    return Biblio(**values) if values else NO_BIBLIO


def _date(raw: dict[str, str], problem) -> tuple[dt.date, str] | None:
    """The entry's year, month and day (`date = {2018-07-10}` in BibLaTeX), and which of
    them it gives (year, month or day)."""
    if raw.get("date"):
        parts = iso_parts(raw["date"])
        if parts is None:
            problem(f"date '{raw['date']}' is not YYYY, YYYY-MM or YYYY-MM-DD")
            return None
        year, month, day = (*parts, 1, 1)[:3]
        precision = PRECISIONS[len(parts) - 1]
    else:
        year = year_of(raw.get("year", ""))
        if year is None:
            problem(f"year '{raw.get('year', '')}' is not four digits; expected year = "
                    "{2018} (or a status: {in press}, {forthcoming})" if raw.get("year")
                    else "has no year; expected year = {2018}")
            return None
        day_text = raw.get("day", "").strip()
        if day_text and not day_text.isdigit():
            problem(f"day '{day_text}' is not a number; expected day = {{10}}")
            return None
        day = int(day_text or 1)
        month_text = raw.get("month", "").strip()
        month = _month(month_text) if month_text else 1
        precision = "day" if day_text and month_text else "month" if month_text else "year"
        if month is None:
            problem(f"month '{month_text}' is no month; expected jan ... dec, a month's "
                    "name or 1 ... 12")
            return None
    try:
        return dt.date(year, month, day), precision
    except ValueError as exc:
        problem(f"impossible date {year:04d}-{month:02d}-{day:02d} ({exc})")
        return None


def _month(text: str) -> int | None:
    """A month as written: `3`, `mar`, `March`, or a whole date (`2016-06-03T00:00:00`)."""
    if text.isdigit():
        return int(text) if 1 <= int(text) <= 12 else None
    parts = iso_parts(text)
    if parts is not None and len(parts) > 1:
        return parts[1]
    return MONTH_NUMBER.get(text[:3].title())


def _verbatim(latex: str) -> str:
    """A DOI or URL as written, without the escapes DBLP adds (`\\_`, `\\%`) and braces:
    not LaTeX to convert (`~` and `%` mean themselves in a URL)."""
    return re.sub(r"\\([_%&#$~])", r"\1", latex).replace("{", "").replace("}", "").strip()


def _line(text: str, number: int) -> str | None:
    lines = text.split("\n")  # as lines are counted (not at U+2028)
    return lines[number - 1].rstrip("\r") if 0 < number <= len(lines) else None
