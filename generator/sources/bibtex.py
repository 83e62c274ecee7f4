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
from ..records import Name
from ..worktypes import classify
from .alfolio import site_fields
from .entry import Entry

#: Entry types by the kind of work they are (worktypes.WORK_TYPES keys).
ENTRY_TYPES = {
    "article": "journal", "inproceedings": "conference", "conference": "conference",
    "proceedings": "conference", "book": "book", "inbook": "book", "incollection": "book",
    "phdthesis": "thesis", "mastersthesis": "thesis", "thesis": "thesis",
    "unpublished": "preprint", "online": "preprint", "misc": "other", "techreport": "other",
}
#: How much of a date an entry gives, by the number of its parts.
PRECISIONS = ("year", "month", "day")
#: The field that holds the venue, by the kind of work, in the order looked at.
VENUE_FIELDS = ("journal", "journaltitle", "booktitle", "school", "institution",
                "publisher", "howpublished")


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
        if made is not None:  # with al-folio's fields (pdf, code, selected...)
            entries.append(site_fields(made, path, shown, _line(text, made.line), problems,
                                       _text))
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

    title = _text(raw.get("title", ""), markup=True)
    if not title:
        problem("has no title; expected title = {...}")
        return None
    dated = _date(raw, problem)
    if dated is None:
        return None
    date, precision = dated
    name_field = "author" if "author" in raw else "editor"
    if name_field in raw and not _splittable(entry, name_field):
        problem(f"its {name_field} list has an unbalanced brace; expected names such as "
                "{Last, First and Other, Name}")
        return None
    authors, truncated = _names(entry, name_field)
    venue = next((_text(raw[f]) for f in VENUE_FIELDS if raw.get(f)), None)
    arxiv = None
    if raw.get("archiveprefix", raw.get("eprinttype", "")).lower() == "arxiv":
        arxiv = raw.get("eprint")
    else:  # Google Scholar's journal={arXiv preprint arXiv:1706.03762}, an arXiv URL
        arxiv = arxiv_id(" ".join(filter(None, (venue, raw.get("url")))))
    kind = ENTRY_TYPES.get(entry.entry_type.lower(), "other")  # (keys of WORK_TYPES)
    if (kind in ("other", "journal") and (venue is None and arxiv)) or (
            venue and classify(venue).key == "preprint"):  # DBLP's journal = {CoRR}
        kind = "preprint"
    doi = bare_doi(_verbatim(raw["doi"])) if raw.get("doi") else None
    keywords = tuple(k.strip() for k in re.split(r"[,;]", _text(raw.get("keywords", "")))
                     if k.strip())
    url = _verbatim(raw["url"]) if raw.get("url") else None
    return Entry(entry.key, line, title, authors, truncated, date, precision,
                 _text(raw.get("abstract", "")), kind, venue, doi, arxiv, url,
                 keywords, raw.get("primaryclass") or raw.get("eprintclass") or None, fields)


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


def _splittable(entry: Any, field: str) -> bool:
    """Whether bibtexparser split every name of `field` into its parts (it leaves a name
    whose braces do not balance as a string)."""
    return all(not isinstance(parts, str) for parts in entry.fields_dict[field].value)


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
#: How much of a field pylatexenc may be given (its text that is not plain): it reads
#: ~20 µs a character, and is super-linear in a piece it cannot cut (one group, formula,
#: or text with a `%` comment: a 320 kB formula took 7.5 s).
MAX_LATEX = 100_000
#: The longest field: a title or abstract is written into every page that lists its paper,
#: in time linear in its length (1 MB: 2 s; 10 MB: over 10 s), as the profile's MAX_LINE.
MAX_FIELD = 2_000_000
#: LaTeX's pieces as nesting sees them: a macro (and the '[' of its optional argument),
#: a brace or bracket, a dollar, a run of spaces.
#: A piece of none of the characters pylatexenc turns into others (specials, dashes,
#: quotes, comments, math) is its own text: taken as it is, since pylatexenc reads plain
#: text at ~20 µs a character (a 1 MB title took 17 s).
_PLAIN = re.compile(r"[^\\{}$%&#~^_`'\"!?\-]*")
_TOKEN = re.compile(r"(\\(?:[A-Za-z@]+|.))(\s*\[)?|[{}\]$]|\s+", re.DOTALL)


class LatexRefused(ValueError):
    """LaTeX that is not turned into text: nested too deep, or what pylatexenc fails on."""


@functools.lru_cache(maxsize=8192)
def _text(latex: str, markup: bool = False) -> str:
    """LaTeX as plain text: `{\\"U}ber` is Über, braces and commands gone, spaces one;
    formulas (`$O(n^2)$`) kept as written. With `markup` (a title), `\\textit`, `\\emph`,
    `\\textbf`, `\\textsubscript`, `\\textsuperscript` become a title's markup (`<i>`,
    `<b>`, `<sub>`, `<sup>`: generator/richtext.py). Raises LatexRefused when it nests
    deeper than `MAX_DEPTH` (or `MAX_OPTIONAL_DEPTH`) or pylatexenc cannot read it."""
    if not latex:
        return ""
    converter = _converter(markup)
    walker = {"latex_context": _markup_contexts()[1]}  # (\\href's: see _markup_contexts)
    try:
        if len(latex) > MAX_FIELD:
            raise LatexRefused(f"a field of {len(latex):,} characters; expected at most "
                               f"{MAX_FIELD:,}")
        pieces = _pieces(latex)
        if (size := sum(len(p) for p in pieces if not _PLAIN.fullmatch(p))) > MAX_LATEX:
            raise LatexRefused(f"{size:,} characters of LaTeX to convert in one field; "
                               f"expected at most {MAX_LATEX:,} (plain text may be longer)")
        return " ".join(word for piece in pieces for word in (
            piece if _PLAIN.fullmatch(piece)
            else converter.latex_to_text(piece, **walker)).split())
    except LatexRefused:
        raise
    except Exception as exc:  # pylatexenc's own failures (an IndexError on `\\href[`)
        raise LatexRefused(f"LaTeX that cannot be turned into text ({type(exc).__name__});"
                           " expected plain text or simple LaTeX") from None


@functools.cache
def _converter(markup: bool) -> Any:
    """pylatexenc's converter, made once: each makes its table of macros anew (0.7 ms, so
    that 50,000 authors, each converted, took 35 s)."""
    from pylatexenc.latex2text import LatexNodes2Text

    return LatexNodes2Text(math_mode="verbatim",
                           latex_context=_markup_contexts()[0] if markup else None)


@functools.cache
def _markup_contexts() -> tuple[Any, Any]:
    """pylatexenc's text and parsing contexts with the macros a title's markup comes from."""
    from pylatexenc import latexwalker, macrospec
    from pylatexenc.latex2text import MacroTextSpec, get_default_latex_context_db

    text = get_default_latex_context_db()
    text.add_context_category("title-markup", prepend=True, macros=[
        MacroTextSpec(name, simplify_repl=f"<{tag}>%s</{tag}>") for name, tag in (
            ("textit", "i"), ("emph", "i"), ("textbf", "b"), ("textsubscript", "sub"),
            ("textsuperscript", "sup"))] + [
        # What model/citations.py writes for them (pylatexenc drops these commands), and
        # a dollar kept escaped, so that it opens no formula (richtext.py).
        MacroTextSpec(name, simplify_repl=char) for name, char in (
            ("textless", "<"), ("textgreater", ">"), ("textbraceleft", "{"),
            ("textbraceright", "}"), ("$", "\\$"))])
    parsing = latexwalker.get_default_latex_context_db()
    parsing.add_context_category("title-markup", prepend=True, macros=[
        macrospec.MacroSpec("textsubscript", "{"), macrospec.MacroSpec("textsuperscript", "{"),
        # pylatexenc turns \\href into "text <url>" but parses it with no argument (an
        # IndexError, so that `\\href{https://...}{text}` in a title refused the build).
        macrospec.MacroSpec("href", "{{")])
    return text, parsing


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
