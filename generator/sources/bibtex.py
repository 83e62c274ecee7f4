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
import functools
import re
from pathlib import Path
from typing import Any

from ..dates import MONTH_NUMBER
from ..errors import Problem, cannot_read
from ..links import arxiv_id, bare_doi
from ..records import DETAILS, NO_BIBLIO, Biblio, Name
from ..worktypes import WORK_TYPES, preprint_server
from .entry import Entry

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
    import bibtexparser
    from bibtexparser.middlewares import SeparateCoAuthors, SplitNameParts

    problems: list[Problem] = []
    try:
        text = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
    except OSError as exc:
        return [], [cannot_read(shown, exc)]
    except UnicodeDecodeError as exc:
        return [], [Problem(shown, 1, 1, f"not UTF-8 text (byte {exc.start}); expected the "
                            "file saved as UTF-8")]
    import logging  # here: a site without a .bib file does not need it (~10 ms)

    from bibtexparser.model import DuplicateBlockKeyBlock, DuplicateFieldKeyBlock

    # bibtexparser logs each block it cannot read; the problems below say it with lines.
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    library = bibtexparser.parse_string(text)
    for block in library.failed_blocks:
        line = block.start_line + 1
        if isinstance(block, DuplicateBlockKeyBlock):  # a Google Scholar export has these
            first = block.previous_block.start_line + 1
            problems.append(Problem(shown, line, 1, f"the key '{block.key}' is taken by the "
                                    f"entry at line {first}: this entry is left out; "
                                    "expected each entry's key once", _line(text, line),
                                    warning=True))
        elif isinstance(block, DuplicateFieldKeyBlock):
            problems.append(Problem(shown, line, 1, "an entry with a field given twice "
                                    f"({block.error}); expected each field once",
                                    _line(text, line)))
        else:
            problems.append(Problem(shown, line, 1, "not a BibTeX entry bibtexparser can "
                                    "read (an unbalanced brace or a missing comma?); "
                                    "expected @type{key, field = {value}, ...}",
                                    _line(text, line)))
    # Every field as written, kept before the names are split (in place) into their parts.
    written = [tuple((field.key, str(field.value)) for field in entry.fields)
               for entry in library.entries]
    SplitNameParts().transform(SeparateCoAuthors().transform(library))
    entries = []
    for entry, fields in zip(library.entries, written, strict=True):
        made = _entry(entry, fields, shown, text, problems)
        if made is not None:
            entries.append(made)
    return entries, problems


def _entry(entry: Any, fields: tuple[tuple[str, str], ...], shown: str, text: str,
           problems: list[Problem]) -> Entry | None:
    line = entry.start_line + 1
    raw = {key.lower(): value for key, value in fields}
    try:
        return _read_entry(entry, raw, fields, line, shown, text, problems)
    except LatexRefused as exc:  # an error: the text would be lost, not just a field
        problems.append(Problem(shown, line, 1, f"@{entry.entry_type}{{{entry.key}}}: {exc}",
                                _line(text, line)))
        return None


def _read_entry(entry: Any, raw: dict[str, str], fields: tuple[tuple[str, str], ...],
                line: int, shown: str, text: str, problems: list[Problem]) -> Entry | None:
    """The entry made from its fields (`raw`, by lower-case name), or None (and a warning
    in `problems`) when it lacks what a paper needs."""

    def problem(message: str) -> None:  # the entry is left out, and the build goes on
        problems.append(Problem(shown, line, 1, f"@{entry.entry_type}{{{entry.key}}} is "
                                f"left out: {message}", _line(text, line), warning=True))

    title = _text(raw.get("title", ""))
    if not title:
        problem("has no title; expected title = {...}")
        return None
    dated = _date(raw, problem)
    if dated is None:
        return None
    date, precision = dated
    authors, truncated = _names(entry, "author" if "author" in raw else "editor")
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
    if (kind in ("other", "journal", "webpage") and (venue is None and arxiv or
                                                     preprint_server(None, doi))) or (
            kind in MAYBE_PREPRINT and preprint_server(venue)):
        kind = "preprint"  # DBLP's journal = {CoRR}, an article with a bioRxiv DOI
    keywords = tuple(k.strip() for k in re.split(r"[,;]", _text(raw.get("keywords", "")))
                     if k.strip())
    url = _verbatim(raw["url"]) if raw.get("url") else None
    biblio = _biblio(entry, raw, kind, "author" in raw)
    # The field the venue came from (a thesis's institution, written as its school) and a
    # thesis's BibLaTeX type (said by its entry type) are the record's now, not kept.
    read = {venue_field}
    if (kind in ("thesis", "masters-thesis") and _THESIS_TYPE.fullmatch(typed)) or (
            kind in ("talk", "poster") and typed):
        read.add("type")  # said again by the entry type, or the type we write
    kept = tuple((k, v) for k, v in fields if k.lower() not in read)
    return Entry(entry.key, line, title, authors, truncated, date, precision,
                 _text(raw.get("abstract", "")), kind, venue, doi, arxiv, url,
                 keywords, raw.get("primaryclass") or None, kept, biblio)


def _biblio(entry: Any, raw: dict[str, str], kind: str, has_authors: bool) -> Biblio:
    """The entry's details (records.DETAILS: each from the first of its BibTeX fields
    there is); `number` is the issue of a journal's article, and the editors are details
    only when the authors are named (else they are the authors)."""
    values: dict[str, Any] = {}
    for name, detail in DETAILS.items():
        if name == "editors":
            if has_authors and "editor" in raw:
                values[name] = _names(entry, "editor")[0]
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
        match = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", raw["date"].strip())
        if match is None:
            problem(f"date '{raw['date']}' is not YYYY, YYYY-MM or YYYY-MM-DD")
            return None
        year, month, day = (int(part) if part else 1 for part in match.groups())
        precision = PRECISIONS[sum(1 for part in match.groups() if part) - 1]
    else:
        if not re.fullmatch(r"\d{4}", raw.get("year", "").strip()):
            problem(f"year '{raw.get('year', '')}' is not four digits; expected year = "
                    "{2018}" if raw.get("year") else "has no year; expected year = {2018}")
            return None
        day_text = raw.get("day", "").strip()
        if day_text and not day_text.isdigit():
            problem(f"day '{day_text}' is not a number; expected day = {{10}}")
            return None
        year, day = int(raw["year"]), int(day_text or 1)
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
    if text.isdigit():
        return int(text) if 1 <= int(text) <= 12 else None
    return MONTH_NUMBER.get(text[:3].title())


def _names(entry: Any, field: str) -> tuple[tuple[Name, ...], bool]:
    """The entry's names in parts, as BibTeX split them; "others" ends a truncated list."""
    if field not in entry.fields_dict:
        return (), False
    names, truncated = [], False
    for parts in entry.fields_dict[field].value:
        given, particle, family, suffix = (_text(" ".join(p)) for p in
                                           (parts.first, parts.von, parts.last, parts.jr))
        if not (given or particle or suffix) and family.lower() == "others":
            truncated = True
            continue
        text = " ".join(filter(None, (given, particle, family, suffix)))
        if not given and not particle:  # "{Gemini Team}": one name, cited whole
            names.append(Name(text))
        else:
            names.append(Name(text, given, family, particle, suffix))
    return tuple(names), truncated


def _verbatim(latex: str) -> str:
    """A DOI or URL as written, without the escapes DBLP adds (`\\_`, `\\%`) and braces:
    not LaTeX to convert (`~` and `%` mean themselves in a URL)."""
    return re.sub(r"\\([_%&#$~])", r"\1", latex).replace("{", "").replace("}", "").strip()


#: How deep LaTeX may nest braces and environments, and macros' optional arguments
#: (pylatexenc recurses into each, and tries an optional argument both ways: time doubles
#: with each level of `\\cite[` left open).
MAX_DEPTH, MAX_OPTIONAL_DEPTH = 32, 6
#: pylatexenc gathers plain text by adding to a string, which takes time as the square of
#: its length: longer text is converted in pieces of about this many characters.
CHUNK = 2000
#: LaTeX's pieces as nesting sees them: a macro (and the '[' of its optional argument),
#: a brace or bracket, a dollar, a run of spaces.
_TOKEN = re.compile(r"(\\(?:[A-Za-z@]+|.))(\s*\[)?|[{}\]$]|\s+", re.DOTALL)


class LatexRefused(ValueError):
    """LaTeX that is not turned into text: nested too deep, or what pylatexenc fails on."""


@functools.lru_cache(maxsize=8192)
def _text(latex: str) -> str:
    """LaTeX as plain text: `{\\"U}ber` is Über, braces and commands gone, spaces one.
    Raises LatexRefused when it nests deeper than `MAX_DEPTH` (or `MAX_OPTIONAL_DEPTH`)
    or pylatexenc cannot read it."""
    if not latex:
        return ""
    from pylatexenc.latex2text import LatexNodes2Text

    converter = LatexNodes2Text(math_mode="verbatim")
    try:
        return " ".join(word for piece in _pieces(latex)
                        for word in converter.latex_to_text(piece).split())
    except LatexRefused:
        raise
    except Exception as exc:  # pylatexenc's own failures (an IndexError on `\\href[`)
        raise LatexRefused(f"LaTeX that cannot be turned into text ({type(exc).__name__});"
                           " expected plain text or simple LaTeX") from None


def _pieces(latex: str) -> list[str]:
    """`latex` cut at spaces outside any group or formula into pieces of about `CHUNK`
    characters, each converted alone as the whole would be (not after a macro, whose
    argument may follow a space; not in text with a comment, which runs to its line's
    end); LatexRefused when it nests too deep."""
    can_cut = len(latex) > CHUNK and not re.search(r"(?<!\\)%", latex)
    pieces, start, depth, optional, math, after_macro = [], 0, 0, 0, False, False
    for match in _TOKEN.finditer(latex):
        token, macro, bracket = match.group(), match.group(1), match.group(2)
        if macro is not None:
            depth += {"\\begin": 1, "\\end": -1}.get(macro, 0)
            optional += 1 if bracket else 0
        elif token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
        elif token == "]":
            optional = max(optional - 1, 0)
        elif token == "$":
            math = not math
        elif (can_cut and not after_macro and depth <= 0 and not optional and not math
              and match.start() - start >= CHUNK):
            pieces.append(latex[start:match.start()])
            start = match.end()
        if depth > MAX_DEPTH or optional > MAX_OPTIONAL_DEPTH:
            raise LatexRefused(f"LaTeX nested more than {MAX_DEPTH} levels deep (braces, "
                               f"environments) or {MAX_OPTIONAL_DEPTH} optional arguments "
                               "'[...]' deep; expected plain text or simple LaTeX")
        after_macro = macro is not None and not bracket
    return [*pieces, latex[start:]]


def _line(text: str, number: int) -> str | None:
    lines = text.splitlines()
    return lines[number - 1] if 0 < number <= len(lines) else None
