"""Citations of the papers in BibTeX, RIS and CSL-JSON: each paper page's block and
downloads, the whole profile's `papers.bib` and `papers.json`, and `scholarfolio export`.

Records come in with their text as the pages show it (`site.visible`: invisible
characters are `[U+XXXX]` markers), so each format escapes only its own syntax:

- BibTeX: `& % $ # _` get a backslash; `{ } \\ ~ ^ < >` become text commands
  (`\\textbraceleft{}`), so the braces of a field always balance; accented Latin letters
  become accent commands (`{\\v{c}}`, `{\\o}`), which classic BibTeX sorts and
  abbreviates correctly; other characters (Greek, CJK) stay UTF-8, which biber and
  any UTF-8 LaTeX read. Words with capitals after their first letter (`U-Net`,
  `3D`, `GQN`) are braced so styles keep their case. A list ending in "et al." ends
  in `and others`. A title's markup (richtext.py) is LaTeX: `\\textit{...}`, and its
  formulas as written (`$O(n^2)$`), not escaped. Every field passes through
  `bibtex_field`, which writes a value whose braces do not balance (a kept field as a
  third-party .bib wrote it) with its braces as text commands: no value can close its
  entry or add one.
- RIS: one tag per line (`ris_line`), so line breaks in a field become spaces; a title as
  plain text.
- CSL-JSON: strings escaped by `json.dumps`; a title in CSL's rich text (`<i>`, `<b>`,
  `<sub>`, `<sup>`, `<span class="nocase">`), its formulas as written.

BibTeX keys: citekeys.py (the source's own, else made from the paper).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence

from .. import richtext
from ..dates import MONTHS, date_parts
from ..records import DETAILS, Biblio, Name, Paper
from ..richtext import plain
from ..worktypes import WORK_TYPES, WorkType
from .citekeys import assign_keys, base_key
from .csljson import TRUNCATED_NOTE, csl_item, indented

#: Export formats: the name `export --format` takes, and the download's extension.
FORMATS = {"bibtex": "bib", "ris": "ris", "csljson": "json"}
LABELS = {"bibtex": "BibTeX", "ris": "RIS", "csljson": "CSL-JSON"}

__all__ = ["FORMATS", "LABELS", "Citation", "assign_keys", "base_key", "bibtex_entry",
           "csl_item", "document", "ris_entry"]
OTHER = WORK_TYPES["other"]

_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
}
# Combining marks and the LaTeX accent command that writes each.
_ACCENTS = {
    "\u0300": "`", "\u0301": "'", "\u0302": "^", "\u0303": "~", "\u0304": "=",
    "\u0306": "u", "\u0307": ".", "\u0308": '"', "\u030a": "r", "\u030b": "H",
    "\u030c": "v", "\u0323": "d", "\u0327": "c", "\u0328": "k", "\u0331": "b",
}
# What bibtex_text changes: TeX's specials, tabs and line breaks, and all beyond ASCII.
# (Non-ASCII as `[^\x00-\x7f]`: the range `\x80-\U0010ffff` compiles ~20 times slower.)
_NEEDS_ESCAPE = re.compile("[" + re.escape("".join(_BIBTEX_SPECIAL)) + "\t\r\n]|[^\x00-\x7f]")
# A word (between single spaces) that may have a capital after its first letter or digit:
# its first alphanumeric character (`[^\W_]` is exactly str.isalnum) is followed, within
# the word, by an ASCII capital or by any non-ASCII character; `_inner_capital` decides.
# Anchored on the first alphanumeric, so the search stays linear in the title's length.
_CAPITAL_CANDIDATE = re.compile(
    r"(?<![^ ])(?=(?:[^\w ]|_)*[^\W_][^ ]*?(?:[A-Z]|[^\x00-\x7f]))[^ ]+")
_AND_WORD = re.compile(r"\band\b", re.IGNORECASE)
# BibLaTeX's literal lists, whose items "and" separates.
_LIST_FIELDS = frozenset({"publisher", "institution", "school", "organization", "location",
                          "address"})
# Braces as BibTeX counts them, as bibtexparser counts them, and as bibtex_field escapes
# them (with the backslash before them); the field names an entry keeps from its source.
_ANY_BRACE = re.compile(r"[{}]")
_PAIR = re.compile(r"\{[^{}]*\}")
_ESCAPED_BRACE = re.compile(r"\\[{}]")
_LINE_BREAK = re.compile(r"[ \t]*[\r\n]+[ \t]*")
_BRACE = re.compile(r"\\?[{}]")
_MONTH_MACROS = frozenset(month.lower() for month in MONTHS)
_FIELD_NAME = re.compile(r"[A-Za-z][\w.:+-]*")
# What _bibtex_url percent-encodes.
_URL_UNSAFE = re.compile(r'[{}\\"% ]')
_LATEX_LETTERS = {
    "ø": r"\o", "Ø": r"\O", "ß": r"\ss", "æ": r"\ae", "Æ": r"\AE", "œ": r"\oe", "Œ": r"\OE",
    "ł": r"\l", "Ł": r"\L", "ı": r"\i", "å": r"\aa", "Å": r"\AA",
}


class Citation:
    """One paper's citation, each format made when asked for and not kept: a page shows
    only its BibTeX, and a file holds one format. `paper`'s text is as the pages show it;
    `url` is its page's absolute URL, when the site's address is known; `doi`, `arxiv`
    (an identifier) and `venue` come from the paper's extras (content/papers/<slug>.md);
    `keyword` is RIS's KW: its research area or keyword category, none for a kind of work
    (the TY line says it)."""

    __slots__ = ("paper", "key", "url", "pdf_url", "doi", "arxiv", "venue", "work_type",
                 "keyword", "annotation")

    def __init__(self, paper: Paper, key: str, url: str | None = None,
                 pdf_url: str | None = None, doi: str | None = None,
                 arxiv: str | None = None, venue: str | None = None,
                 work_type: WorkType = OTHER, keyword: str | None = None,
                 annotation: str | None = None) -> None:
        self.paper, self.key, self.url, self.pdf_url = paper, key, url, pdf_url
        self.doi, self.arxiv, self.venue, self.work_type = doi, arxiv, venue, work_type
        self.keyword, self.annotation = keyword, annotation  # BibTeX's author+an (marks.py)

    @property
    def bibtex(self) -> str:
        return bibtex_entry(self.paper, self.key, self.url, self.doi, self.arxiv, self.venue,
                            self.work_type, self.annotation)

    @property
    def ris(self) -> str:
        return ris_entry(self.paper, self.key, self.url, self.pdf_url, self.doi, self.venue,
                         self.work_type, self.keyword)

    @property
    def csl(self) -> str:
        """The CSL-JSON item (one object)."""
        return csl_item(self.paper, self.key, self.url, self.doi, self.venue, self.work_type)

    def text(self, fmt: str) -> str:
        """The citation alone as a file of format `fmt` (see FORMATS)."""
        return document(fmt, [self])

    def entry(self, fmt: str) -> str:
        """The citation as one entry of a file of format `fmt` (see `entries_parts`); the
        CSL-JSON item indented as an element of an array."""
        if fmt == "bibtex":
            return self.bibtex
        return self.ris if fmt == "ris" else indented(self.csl)


def document(fmt: str, citations: Sequence[Citation]) -> str:
    """A file of several citations: `papers.bib`, or a CSL-JSON array, or RIS records."""
    return "".join(entries_parts(fmt, (citation.entry(fmt) for citation in citations)))


def entries_parts(fmt: str, entries: Iterable[str]) -> Iterator[str]:
    """A file of citations piece by piece (for a file too large to hold whole at little
    cost), from each one's `Citation.entry(fmt)`."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown citation format {fmt!r}")
    first = True
    for entry in entries:
        if fmt == "bibtex":
            yield entry if first else "\n" + entry
        elif fmt == "ris":
            yield entry
        else:
            yield ("[\n" if first else ",\n") + entry
        first = False
    if fmt == "csljson":
        yield "[]\n" if first else "\n]\n"


# -- BibTeX -------------------------------------------------------------------------------


def bibtex_entry(paper: Paper, key: str, url: str | None = None, doi: str | None = None,
                 arxiv: str | None = None, venue: str | None = None,
                 work_type: WorkType = OTHER, annotation: str | None = None) -> str:
    """The paper's entry of its work type (`@inproceedings`, `@article`, `@misc`...), a
    field a line: the venue in that type's field (`booktitle`, `journal`...), an arXiv
    identifier as `eprint` with `archivePrefix` (what BibTeX styles and biblatex read)."""
    fields = [("title", bibtex_title(paper.title))]
    if paper.authors:
        names = [bibtex_name(name) for name in paper.authors]
        if paper.authors_truncated:
            names.append("others")
        fields.append((work_type.credit, " and ".join(names)))
        if annotation:  # biblatex's name annotations, which biber reads: {1=corresponding}
            fields.append((f"{work_type.credit}+an", annotation))
    if venue:
        fields.append((work_type.bibtex_venue,
                       _bibtex_list_item(work_type.bibtex_venue, venue)))
    if work_type.genre and work_type.bibtex == "misc":  # a talk, a poster: @misc's type
        fields.append(("type", bibtex_text(work_type.genre)))
    date = paper.date
    # A status written where the year was (in press) is written there again.
    year = paper.status if paper.status and paper.year_inferred else date.year
    fields.append(("year", str(year)))
    if paper.precision != "year":
        fields.append(("month", MONTHS[date.month - 1].lower()))  # a macro: unbraced
    if paper.biblio:
        fields += _bibtex_details(paper.biblio, {work_type.credit, work_type.bibtex_venue}
                                  if venue else {work_type.credit})
    if doi:
        fields.append(("doi", _bibtex_url(doi)))
    if arxiv:
        fields += [("eprint", _bibtex_url(arxiv)), ("archivePrefix", "arXiv")]
    if url:
        fields.append(("url", _bibtex_url(url)))
    if paper.kept_fields:  # the source's own fields the site does not show, as written
        written = {name.lower() for name, _ in fields}
        fields += [(name, value) for name, value in paper.kept_fields
                   if name.lower() not in written and _FIELD_NAME.fullmatch(name)]
    lines = [f"  month = {value}" if name == "month" and value in _MONTH_MACROS
             else bibtex_field(name, value) for name, value in fields]
    return f"@{work_type.bibtex}{{{key},\n" + ",\n".join(lines) + "\n}\n"


def _bibtex_details(biblio: Biblio, written: set[str]) -> list[tuple[str, str]]:
    """The details' fields (records.DETAILS: each in its first BibTeX field), but for
    fields `written` already: a book's publisher that is its venue, a report's number
    where an issue is."""
    fields = []
    for name, detail in DETAILS.items():
        value = getattr(biblio, name)
        field = detail.bibtex[0]
        if not value or field in written:
            continue
        written.add(field)
        if name == "editors":
            text = " and ".join(bibtex_name(editor) for editor in value)
        elif name == "pages":
            first, last = biblio.page_range
            text = bibtex_text(f"{first}--{last}" if last else " ".join(value.split()))
        else:
            text = _bibtex_list_item(field, value)
        fields.append((field, text))
    return fields


def _bibtex_list_item(field: str, value: str) -> str:
    """A value escaped, braced whole in the fields BibLaTeX reads as lists split at "and"
    (publisher, institution, location...), so that "Royal Veterinary and Agricultural
    University" stays one name; and always in a list of names (a patent's holder), so
    that its commas do not split it into a family and given name."""
    text = bibtex_text(" ".join(value.split()))
    whole = field == "holder" or field in _LIST_FIELDS and _AND_WORD.search(value)
    return "{" + text + "}" if whole else text


def bibtex_field(name: str, value: str) -> str:
    """One `  name = {value}` line: the one place every value of an entry passes through.

    A value is LaTeX (escaped by `bibtex_text`, or a kept field as its source wrote it).
    It is written as it is when its braces balance both as BibTeX and biber count them
    (every brace) and as bibtexparser does (a brace after a backslash is no brace), and it
    does not end in a backslash: then it cannot close its entry, whatever it holds. Any
    other value (a quoted `note = "}} @misc{x, ...}"` in a third-party .bib) has each
    brace, with the backslash before it, written `\\textbraceleft{}` or
    `\\textbraceright{}` and a final backslash `\\textbackslash{}`: it reads as the same
    text and adds no entry. A line break is a space, as BibTeX reads it: an `@` starting
    a line starts an entry to bibtexparser, even inside braces."""
    if "\n" in value or "\r" in value:
        value = _LINE_BREAK.sub(" ", value)
    if not _balanced(value):
        value = _BRACE.sub(lambda m: _BIBTEX_SPECIAL[m.group()[-1]], value)
        if value.endswith("\\"):
            value = value[:-1] + _BIBTEX_SPECIAL["\\"]
    return f"  {name} = {{{value}}}"


def _balanced(value: str) -> bool:
    """Whether `value`'s braces balance counted every one and counted only those after no
    backslash, and it does not end in a backslash (see `bibtex_field`). Pairs of braces
    are taken out innermost first (a C-speed pass a level: titles have one or two), a
    count in Python only past 32 levels."""
    if value.endswith("\\"):
        return False
    if "{" not in value and "}" not in value:
        return True
    if not _pairs_out(value):
        return False
    return ("\\{" not in value and "\\}" not in value) or _pairs_out(
        _ESCAPED_BRACE.sub("", value))


def _pairs_out(text: str) -> bool:
    """Whether every brace of `text` is in a pair that nests properly."""
    for _ in range(32):
        text, found = _PAIR.subn("", text)
        if not found:
            return "{" not in text and "}" not in text
    depth = 0
    for match in _ANY_BRACE.finditer(text):
        depth += 1 if match.group() == "{" else -1
        if depth < 0:
            return False
    return depth == 0


def bibtex_text(text: str) -> str:
    """Text escaped for a braced BibTeX field (see the module's description)."""
    if not text.isascii():  # NFC leaves ASCII alone; isascii() costs nothing
        text = unicodedata.normalize("NFC", text)
    return _NEEDS_ESCAPE.sub(_bibtex_match, text)


def bibtex_title(title: str) -> str:
    """A title in LaTeX (richtext.bibtex): its text escaped, its words with inner capitals
    braced; `<i>` as `\\textit{...}`..., a formula as written (`$O(n^2)$`)."""
    return richtext.bibtex(title, _bibtex_words)


def _bibtex_words(title: str) -> str:
    """Text escaped, its words with inner capitals braced to keep their case.

    The title's words, joined by single spaces, are escaped a stretch at a time: the
    escapes of the words between two braced ones are the escape of that stretch, as
    NFC never joins characters across a space and no escape holds one."""
    text = " ".join(title.split())
    pieces = []
    done = 0
    for match in _CAPITAL_CANDIDATE.finditer(text):
        word = match.group()
        if _inner_capital(word):
            pieces += [bibtex_text(text[done : match.start()]), "{", bibtex_text(word), "}"]
            done = match.end()
    if not pieces:
        return bibtex_text(text)
    pieces.append(bibtex_text(text[done:]))
    return "".join(pieces)


def _inner_capital(word: str) -> bool:
    """`U-Net`, `3D`, `GQN`, `"GANs"`: a capital after the word's first letter or digit."""
    start = next((i for i, c in enumerate(word) if c.isalnum()), len(word))
    return any(c.isupper() for c in word[start + 1 :])


#: Authorship marks (records.Name.marks) in LaTeX's math superscript.
_MARK_LATEX = {"*": "*", "\u2020": "\\dagger", "\u2021": "\\ddagger", "#": "\\#"}


@functools.lru_cache(maxsize=8192)  # co-authors recur across papers
def bibtex_name(name: Name) -> str:
    """One author as `von Last, Jr, First`, the form BibTeX splits without guessing; an
    organisation braced whole, so that no style abbreviates it ("{Gemini Team}")."""
    if name.literal:
        return "{" + bibtex_text(" ".join(name.text.split())) + "}"
    family = bibtex_text(name.family)
    if " " in name.family or _AND_WORD.search(name.family):  # "De Fauw": one last name
        family = "{" + family + "}"
    if name.marks:  # as authors write them: Smith$^{*\dagger}$
        family += "$^{" + "".join(_MARK_LATEX.get(mark, "") for mark in name.marks) + "}$"
    parts = [f"{bibtex_text(name.particle)} {family}" if name.particle else family]
    if name.suffix:
        parts.append(bibtex_text(name.suffix))
    given = bibtex_text(name.given)
    if given:  # "Sahil": a family name alone (no trailing comma)
        parts.append("{" + given + "}" if _AND_WORD.search(name.given) else given)
    return ", ".join(parts)


def _bibtex_match(match: re.Match[str]) -> str:
    return _bibtex_char(match.group())


@functools.lru_cache(maxsize=4096)
def _bibtex_char(char: str) -> str:
    """The escape of one character that _NEEDS_ESCAPE matches (cached: few are distinct)."""
    if char in _BIBTEX_SPECIAL:
        return _BIBTEX_SPECIAL[char]
    if char.isascii():
        return " " if char in "\t\r\n" else char
    if char in _LATEX_LETTERS:
        return "{" + _LATEX_LETTERS[char] + "}"
    base, *marks = unicodedata.normalize("NFD", char)
    if marks and base.isascii() and base.isalpha() and all(m in _ACCENTS for m in marks):
        text = base
        for mark in marks:
            text = f"\\{_ACCENTS[mark]}{{{text}}}"
        return "{" + text + "}"
    return char


def _bibtex_url(url: str) -> str:
    """A URL with the characters that would unbalance or end the field percent-encoded."""
    return _URL_UNSAFE.sub(lambda m: f"%{ord(m.group()):02X}", url)


# -- RIS ----------------------------------------------------------------------------------


def ris_entry(paper: Paper, key: str, url: str | None = None, pdf_url: str | None = None,
              doi: str | None = None, venue: str | None = None,
              work_type: WorkType = OTHER, keyword: str | None = None) -> str:
    """The paper's RIS record: a `TAG  - value` line per field, each value on one line;
    the venue as the secondary title (T2); `keyword` (its research area) as KW."""
    date = paper.date
    fields = [("TY", work_type.ris), ("ID", key), ("TI", plain(paper.title))]
    fields += [("AU", name.inverted) for name in paper.authors]
    if paper.authors_truncated:  # RIS has no "et al.": say it where readers show notes
        fields.append(("N1", TRUNCATED_NOTE))
    if venue:
        fields.append((work_type.ris_venue, venue))
    if work_type.genre:
        fields.append(("M3", work_type.genre))
    if paper.biblio:
        fields += _ris_details(paper.biblio, {work_type.ris_venue} if venue else set())
    if not (paper.status and paper.year_inferred):  # in press: no year to claim
        fields.append(("PY", str(date.year)))
        parts = [f"{part:02d}" for part in date_parts(date, paper.precision)]
        fields.append(("DA", f"{date.year:04d}/{'/'.join(parts[1:] + [''] * (3 - len(parts)))}/"))
    if keyword:
        fields.append(("KW", keyword))
    for tag, value in (("DO", doi), ("UR", url), ("L1", pdf_url), ("AB", paper.abstract)):
        if value:
            fields.append((tag, value))
    return "\r\n".join([*(ris_line(tag, value) for tag, value in fields), "ER  - ", ""])


def _ris_details(biblio: Biblio, written: set[str]) -> list[tuple[str, str]]:
    """The details' tags and values (records.DETAILS: each under its RIS tag, an editor a
    line, the pages as SP and EP), but for tags `written` already: one SN (the ISBN, else
    the ISSN), one IS, a book's PB that is its venue."""
    fields = []
    for name, detail in DETAILS.items():
        value = getattr(biblio, name)
        if not value or detail.ris in written:
            continue
        written.add(detail.ris)
        if name == "editors":
            fields += [(detail.ris, editor.inverted) for editor in value]
        elif name == "pages":
            first, last = biblio.page_range
            fields.append(("SP", first))
            if last:
                fields.append(("EP", last))
        else:
            fields.append((detail.ris, value))
    return fields


def ris_line(tag: str, value: str) -> str:
    """One `TAG  - value` line: the one place every value of a record passes through. Each
    run of whitespace, line breaks of every kind included (`\\r`, `\\n`, U+2028...), is
    one space, so no value starts a line of its own (an `ER  - ` in an abstract stays
    text)."""
    return f"{tag}  - {_one_line(value)}"


def _one_line(text: str) -> str:
    """Text with each run of whitespace, line breaks included, made one space."""
    return " ".join(text.split())
