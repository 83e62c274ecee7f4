"""A CSL-JSON file (`content/*.json`: what Zotero, Mendeley and citation-js export) as
entries: an array of items, each with its names in parts (family, given, particles,
suffix, or a literal name) and its dates as date-parts.

The reader's contract, as every source's: `read_csljson(path, shown)` gives
`(entries, problems)`; a problem names `shown`, the item's line and what was expected. An
item that lacks what a paper needs (a title, a date) is left out with a warning; a file
that is no CSL-JSON is an error. `read_csl_item` reads one item by the same rule."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..dates import UNDATED
from ..errors import Problem, cannot_read
from ..links import arxiv_id, bare_doi, is_web_url
from ..records import DETAILS, NO_BIBLIO, Biblio, Name
from ..slugs import base_slug
from ..worktypes import WORK_TYPES, preprint_server
from .bibtex import MASTERS, MAYBE_PREPRINT, PRECISIONS
from .entry import Entry
from .latex import MAX_FIELD

#: CSL types by the kind of work they are (worktypes.WORK_TYPES keys); others are "other".
CSL_TYPES = {
    "article-journal": "journal", "article-magazine": "journal",
    "article-newspaper": "journal", "paper-conference": "conference", "article": "preprint",
    "manuscript": "preprint", "book": "book", "collection": "edited-book",
    "chapter": "chapter", "entry-encyclopedia": "chapter", "entry-dictionary": "chapter",
    "thesis": "thesis", "report": "report", "dataset": "dataset", "software": "software",
    "webpage": "webpage", "post-weblog": "webpage", "post": "webpage", "patent": "patent",
    "speech": "talk", "document": "other",
}
#: The custom field of the titles a synced work had before (`scholarfolio sync` keeps it):
#: their addresses stay the paper's (`aliases`), so its page and per-paper file follow it.
FORMER_TITLES = "scholarfolio-former-titles"
#: At most this many former titles are read (each an address): bounded, as every field.
MAX_FORMER = 20
#: The note our own CSL-JSON writes for a truncated author list (model/citations.py).
_TRUNCATED = "author list is truncated"
#: How deep arrays and objects may nest (an item's date-parts are 4 levels down); Python's
#: JSON decoder recurses, and a deeper file would end in a RecursionError.
MAX_DEPTH = 50
#: A string (one left open runs to the end), or a bracket of an array or an object.
_BRACKET = re.compile(r'"(?:[^"\\]|\\.)*+(?:"|\\?\Z)|[\[\]{}]', re.DOTALL)


def read_csljson(path: Path, shown: str) -> tuple[list[Entry], list[Problem]]:
    """The items of a CSL-JSON file, and the problems found."""
    try:
        text = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
    except OSError as exc:
        return [], [cannot_read(shown, exc)]
    except UnicodeDecodeError as exc:
        return [], [Problem(shown, 1, 1, f"not UTF-8 text (byte {exc.start}); expected the "
                            "file saved as UTF-8")]
    deep = _too_deep(text)
    if deep is not None:
        line = text.count("\n", 0, deep) + 1
        return [], [Problem(shown, line, deep - text.rfind("\n", 0, deep), "arrays and "
                            f"objects nested more than {MAX_DEPTH} levels deep; expected "
                            "CSL-JSON, an array of items", _line(text, line))]
    try:
        items = _items(text)
    except json.JSONDecodeError as exc:
        line, col = _inside(text, exc.lineno, exc.colno)
        return [], [Problem(shown, line, col, f"not valid JSON: {exc.msg}; "
                            "expected CSL-JSON, an array of items", _line(text, line))]
    except ValueError as exc:
        return [], [Problem(shown, 1, 1, f"{exc}; expected CSL-JSON, an array of items")]
    entries: list[Entry] = []
    problems: list[Problem] = []
    for line, item in items:
        def problem(message: str, line: int = line) -> None:  # left out; the build goes on
            problems.append(Problem(shown, line, 1, message, _line(text, line), warning=True))

        if not isinstance(item, dict):
            problem(f"an item that is no object ({type(item).__name__}) is left out; expected "
                    '{"type": ..., "title": ...}')
            continue
        made = read_csl_item(item, line, problem)
        if made is not None:
            entries.append(made)
    return entries, problems


def _items(text: str) -> list[tuple[int, Any]]:
    """The array's items, each with the line it starts on (json.loads keeps no lines)."""
    decoder = json.JSONDecoder()
    at = _skip(text, 0)
    if text.startswith("{", at):  # one item alone, as some tools save a single reference
        item, end = decoder.raw_decode(text, at)
        if text[_skip(text, end):]:
            raise json.JSONDecodeError("extra data after the item", text, _skip(text, end))
        return [(text.count("\n", 0, at) + 1, item)]
    if not text.startswith("[", at):
        raise ValueError("no JSON array")
    items = []
    at = _skip(text, at + 1)
    if text.startswith("]", at):
        return []
    while True:
        item, end = decoder.raw_decode(text, at)
        items.append((text.count("\n", 0, at) + 1, item))
        at = _skip(text, end)
        if text.startswith(",", at):
            at = _skip(text, at + 1)
        elif text.startswith("]", at):
            if text[_skip(text, at + 1):]:
                raise json.JSONDecodeError("extra data after the array", text, at + 1)
            return items
        else:
            raise json.JSONDecodeError("expected ',' or ']'", text, at)


def _too_deep(text: str) -> int | None:
    """Where an array or object opens `MAX_DEPTH` levels deep, if one does: found before
    decoding, in one pass over the brackets outside strings."""
    depth = 0
    for match in _BRACKET.finditer(text):
        bracket = match.group()
        if bracket in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return match.start()
        elif bracket in "]}":
            depth -= 1
    return None


def _skip(text: str, at: int) -> int:
    while at < len(text) and text[at] in " \t\r\n":
        at += 1
    return at


def read_csl_item(item: dict[str, Any], line: int = 0,
                  problem: Callable[[str], None] = lambda message: None) -> Entry | None:
    """One CSL-JSON item as the entry the build reads (None when it lacks what a paper
    needs: a title, a date; each reason given to `problem`). Public so that code holding
    items rather than a file (`scholarfolio sync`) judges them by the build's own rule."""
    label = f"item {item.get('id', '?')!s} is left out"
    if big := next((k for k, v in item.items() if isinstance(v, str) and len(v) > MAX_FIELD),
                   None):  # (written into every page that lists it: 10 MB took 11 s)
        problem(f'{label}: "{big}" has {len(item[big]):,} characters; expected at most '
                f"{MAX_FIELD:,}")
        return None
    title = _string(item.get("title"))
    if not title:
        problem(f'{label}: has no title; expected "title": "..."')
        return None
    dated = _date(item.get("issued"))
    status = _string(item.get("status")) or None
    if dated is None:  # kept, shown as n.d. (no date)
        shown = json.dumps(item.get("issued"), ensure_ascii=False) if "issued" in item else None
        problem(f"item {item.get('id', '?')!s} " + (f'"issued" {shown} is no date' if shown
                                                    else "has no date")
                + f': kept as {UNDATED}; expected "issued": {{"date-parts": [[2018, 7, 10]]}}')
        dated, status = (None, "year"), status or UNDATED
    date, precision = dated
    people = item.get("author") or item.get("editor") or []
    authors = tuple(_name(n) for n in (people if isinstance(people, list) else [])
                    if isinstance(n, dict))  # (a number or a text: no authors)
    authors = tuple(a for a in authors if a is not None)
    kind = _kind(item)
    own = WORK_TYPES[kind].csl_venue  # a book's, a thesis's or a report's is its publisher
    others = ("container-title", "event-title", "collection-title")
    venue = next((text for key in (own, *(others if own != "publisher" else ()))
                  if (text := _string(item.get(key)))), None)
    doi = bare_doi(_string(item.get("DOI"))) or None
    url = _string(item.get("URL")) or None
    number = _string(item.get("number"))
    arxiv = arxiv_id(" ".join(filter(None, (doi, url, number, venue))))
    if (kind in MAYBE_PREPRINT and preprint_server(venue)) or (
            kind in ("other", "journal", "webpage") and (arxiv and not venue
                                                       or preprint_server(None, doi))):
        kind = "preprint"
    keywords = tuple(k.strip() for k in re.split(r"[,;]", _string(item.get("keyword")))
                     if k.strip())
    truncated = _TRUNCATED in _string(item.get("note")).lower()
    key = _string(item.get("citation-key")) or _string(item.get("id")) or title
    old = _former_addresses(item, title)
    return Entry(key, line, title, authors, truncated, date,
                 precision, _string(item.get("abstract")), kind, venue, doi, arxiv, url,
                 keywords, None, status=status,
                 biblio=_biblio(item, venue, bool(item.get("author"))),
                 paper_fields=(*((("aliases", old),) if old else ()),
                               *_custom_fields(item.get("custom"))))


def _former_addresses(item: dict[str, Any], title: str) -> tuple[str, ...]:
    """The addresses the item's former titles gave (`custom`'s FORMER_TITLES), as aliases
    `papers/<slug>/`, other than its title's own."""
    custom = item.get("custom")
    former = custom.get(FORMER_TITLES) if isinstance(custom, dict) else None
    slugs = (base_slug(t) for t in (former if isinstance(former, list) else [])[:MAX_FORMER]
             if isinstance(t, str) and t.strip() and len(t) <= MAX_FIELD)
    return tuple(dict.fromkeys(f"papers/{slug}/" for slug in slugs
                               if slug != base_slug(title)))


def _custom_fields(custom: Any) -> tuple[tuple[str, str | bool], ...]:
    """The per-paper fields an item's `custom` object gives: its open-access copy
    (`open-access-url`, as `scholarfolio sync` writes it), when an http(s) address."""
    found = _string(custom.get("open-access-url")) if isinstance(custom, dict) else ""
    return (("open_access", found),) if is_web_url(found) else ()


def _kind(item: dict[str, Any]) -> str:
    """The item's kind of work: its type, with its genre for a thesis or a speech, and an
    edited book when a book names only editors."""
    kind = CSL_TYPES.get(_string(item.get("type")), "other")
    genre = _string(item.get("genre"))
    if kind == "thesis" and MASTERS.search(genre):
        return "masters-thesis"
    if kind == "talk" and "poster" in genre.lower():
        return "poster"
    if kind == "book" and not item.get("author") and item.get("editor"):
        return "edited-book"
    return kind


def _biblio(item: dict[str, Any], venue: str | None, has_authors: bool) -> Biblio:
    """The item's details (records.DETAILS, by their CSL variables); the editors only when
    the authors are named (else they are the authors), the series only when it is not
    the venue, the number only when it is not the issue (Zotero writes the issue as both:
    APA then prints "Article 2" for the pages)."""
    values: dict[str, Any] = {}
    for name, detail in DETAILS.items():
        if name == "editors":
            if has_authors and isinstance(item.get("editor"), list):
                editors = tuple(e for e in map(_name, (n for n in item["editor"]
                                                        if isinstance(n, dict))) if e)
                if editors:
                    values[name] = editors
            continue
        text = _string(item.get(detail.csl))
        if text and not (name == "series" and text == venue) and not (
                name == "number" and text == _string(item.get("issue"))):
            values[name] = text
    return Biblio(**values) if values else NO_BIBLIO


def _string(value: Any) -> str:
    """A text value as one line; a number as its digits; anything else empty."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return " ".join(value.split()) if isinstance(value, str) else ""


def _name(name: dict[str, Any]) -> Name | None:
    """A CSL name: a literal (an organisation) or its parts; CSL's two particles are one."""
    if _string(name.get("literal")):
        return Name(_string(name["literal"]))
    family, given = _string(name.get("family")), _string(name.get("given"))
    particle = " ".join(filter(None, (_string(name.get("dropping-particle")),
                                      _string(name.get("non-dropping-particle")))))
    suffix = _string(name.get("suffix"))
    if not family or not given:  # Zotero's one-field names: {"family": "OpenAI"}
        return Name(" ".join(filter(None, (given, particle, family, suffix)))) if (
            family or given) else None
    text = " ".join(filter(None, (given, particle, family)))
    text = f"{text} {suffix}" if suffix else text
    return Name(text, given, family, particle, suffix)


def _date(issued: Any) -> tuple[dt.date, str] | None:
    """`{"date-parts": [[2018, 7, 10]]}` (or `[[2018]]`, `{"raw": "2018-07-10"}`) as a date
    and how much of it is given."""
    if not isinstance(issued, dict):
        return None
    parts = issued.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        values = parts[0][:3]
    else:
        raw = _string(issued.get("raw") or issued.get("literal"))
        match = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", raw)
        if match is None:
            return None
        values = [part for part in match.groups() if part]
    try:
        numbers = [int(value) for value in values]
        year, month, day = (*numbers, 1, 1)[:3]
        if not 1000 <= year <= 9999:  # [[5]]: a season or a day where the year should be
            return None
        return dt.date(year, month, day), PRECISIONS[len(numbers) - 1]
    except (TypeError, ValueError):
        return None


def _inside(text: str, line: int, col: int) -> tuple[int, int]:
    """A place the decoder gives, past the end of a file that ends with a line break
    moved to the end of its last line, so that the message shows a line of the file."""
    lines = text.splitlines()
    if line > len(lines):
        return max(len(lines), 1), len(lines[-1]) + 1 if lines else 1
    return line, col


def _line(text: str, number: int) -> str | None:
    lines = text.splitlines()
    return lines[number - 1] if 0 < number <= len(lines) else None
