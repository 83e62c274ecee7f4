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
  in `and others`.
- RIS: one tag per line, so line breaks in a field become spaces.
- CSL-JSON: strings escaped by `json.dumps`.

BibTeX keys are `surname + year + first significant title word`, ASCII
(`dupont2022data`). They depend only on the paper; papers that share one are told
apart by letters (`a`, `b`, ...) in order of date then slug, the oldest keeping the
bare key, so adding a paper changes no key unless it collides with one.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence

from ..dates import MONTHS, date_parts
from ..records import DETAILS, Biblio, Name, Paper
from ..worktypes import WORK_TYPES, WorkType
from .csljson import TRUNCATED_NOTE, csl_item, indented

#: Export formats: the name `export --format` takes, and the download's extension.
FORMATS = {"bibtex": "bib", "ris": "ris", "csljson": "json"}
LABELS = {"bibtex": "BibTeX", "ris": "RIS", "csljson": "CSL-JSON"}

_STOPWORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "by", "do", "does", "for", "from", "how", "in",
    "into", "is", "it", "its", "of", "on", "or", "our", "the", "their", "to", "toward",
    "towards", "via", "we", "what", "when", "where", "which", "why", "with", "without",
})
OTHER = WORK_TYPES["other"]
# Letters that do not decompose into an ASCII letter and marks, for keys.
_KEY_FOLDS = str.maketrans(
    {"ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ł": "l",
     "Ł": "L", "ı": "i", "đ": "d", "Đ": "D", "ð": "d", "þ": "th"}
)

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
# What _bibtex_url percent-encodes.
_URL_UNSAFE = re.compile(r'[{}\\"% ]')
_LATEX_LETTERS = {
    "ø": r"\o", "Ø": r"\O", "ß": r"\ss", "æ": r"\ae", "Æ": r"\AE", "œ": r"\oe", "Œ": r"\OE",
    "ł": r"\l", "Ł": r"\L", "ı": r"\i", "å": r"\aa", "Å": r"\AA",
}
# Where base_key splits a title into words, and what _ascii drops.
_TITLE_WORD_BREAKS = re.compile(r"[\s\-‐–—:;,./]+")
_NOT_KEY_CHAR = re.compile(r"[^a-z0-9]")


class Citation:
    """One paper's citation, each format made when asked for and not kept: a page shows
    only its BibTeX, and a file holds one format. `paper`'s text is as the pages show it;
    `url` is its page's absolute URL, when the site's address is known; `doi`, `arxiv`
    (an identifier) and `venue` come from the paper's extras (content/papers/<slug>.md)."""

    __slots__ = ("paper", "key", "url", "pdf_url", "doi", "arxiv", "venue", "work_type")

    def __init__(self, paper: Paper, key: str, url: str | None = None,
                 pdf_url: str | None = None, doi: str | None = None,
                 arxiv: str | None = None, venue: str | None = None,
                 work_type: WorkType = OTHER) -> None:
        self.paper, self.key, self.url, self.pdf_url = paper, key, url, pdf_url
        self.doi, self.arxiv, self.venue, self.work_type = doi, arxiv, venue, work_type

    @property
    def bibtex(self) -> str:
        return bibtex_entry(self.paper, self.key, self.url, self.doi, self.arxiv, self.venue,
                            self.work_type)

    @property
    def ris(self) -> str:
        return ris_entry(self.paper, self.key, self.url, self.pdf_url, self.doi, self.venue,
                         self.work_type)

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


# -- keys ---------------------------------------------------------------------------------


def assign_keys(papers: Iterable[Paper]) -> dict[str, str]:
    """Slug -> BibTeX key for every paper: unique, ASCII, and independent of file order."""
    groups: dict[str, list[Paper]] = {}
    for paper in papers:
        groups.setdefault(base_key(paper), []).append(paper)
    taken = set(groups)
    keys: dict[str, str] = {}
    for base in sorted(groups):
        members = sorted(groups[base], key=lambda p: (p.date, p.slug))
        keys[members[0].slug] = base
        number = 0
        for paper in members[1:]:
            while True:
                number += 1
                key = base + _letters(number)
                if key not in taken:
                    break
            taken.add(key)
            keys[paper.slug] = key
    return keys


def base_key(paper: Paper) -> str:
    """`dupont2022data`: first author's surname, year, first significant title word."""
    surname = ""
    if paper.authors:
        first = paper.authors[0]
        words = [_ascii(word) for word in (first.family or first.text).split()]
        surname = next((word for word in reversed(words) if word), "")
    title_words = (_ascii(word) for word in _TITLE_WORD_BREAKS.split(paper.title))
    word = next((w for w in title_words if w and w not in _STOPWORDS), "")
    return f"{surname or 'anon'}{paper.date.year}{word}"


def _ascii(text: str) -> str:
    """The lowercase ASCII letters and digits of `text`, accents and ligatures folded."""
    if not text.isascii():  # folding and NFKD leave ASCII alone
        folded = unicodedata.normalize("NFKD", text.translate(_KEY_FOLDS))
        text = folded.encode("ascii", "ignore").decode()
    return _NOT_KEY_CHAR.sub("", text.lower())


def _letters(number: int) -> str:
    """1 -> a, 26 -> z, 27 -> aa: bijective base 26."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


# -- BibTeX -------------------------------------------------------------------------------


def bibtex_entry(paper: Paper, key: str, url: str | None = None, doi: str | None = None,
                 arxiv: str | None = None, venue: str | None = None,
                 work_type: WorkType = OTHER) -> str:
    """The paper's entry of its work type (`@inproceedings`, `@article`, `@misc`...), a
    field a line: the venue in that type's field (`booktitle`, `journal`...), an arXiv
    identifier as `eprint` with `archivePrefix` (what BibTeX styles and biblatex read)."""
    lines = [f"  title = {{{bibtex_title(paper.title)}}}"]
    if paper.authors:
        names = [bibtex_name(name) for name in paper.authors]
        if paper.authors_truncated:
            names.append("others")
        lines.append(f"  {work_type.credit} = {{{' and '.join(names)}}}")
    if venue:
        lines.append(f"  {work_type.bibtex_venue} = "
                     f"{{{_bibtex_list_item(work_type.bibtex_venue, venue)}}}")
    if work_type.genre and work_type.bibtex == "misc":  # a talk, a poster: @misc's type
        lines.append(f"  type = {{{bibtex_text(work_type.genre)}}}")
    date = paper.date
    lines.append(f"  year = {{{date.year}}}")
    if paper.precision != "year":
        lines.append(f"  month = {MONTHS[date.month - 1].lower()}")
    if paper.biblio:
        lines += _bibtex_details(paper.biblio, {work_type.credit, work_type.bibtex_venue}
                                 if venue else {work_type.credit})
    if doi:
        lines.append(f"  doi = {{{_bibtex_url(doi)}}}")
    if arxiv:
        lines.append(f"  eprint = {{{_bibtex_url(arxiv)}}}")
        lines.append("  archivePrefix = {arXiv}")
    if url:
        lines.append(f"  url = {{{_bibtex_url(url)}}}")
    if paper.kept_fields:  # the source's own fields the site does not show, as written
        written = {line.split(" = ", 1)[0].strip().lower() for line in lines}
        lines += [f"  {name} = {{{value}}}" for name, value in paper.kept_fields
                  if name.lower() not in written]
    return f"@{work_type.bibtex}{{{key},\n" + ",\n".join(lines) + "\n}\n"


def _bibtex_details(biblio: Biblio, written: set[str]) -> list[str]:
    """The details' lines (records.DETAILS: each in its first BibTeX field), but for
    fields `written` already: a book's publisher that is its venue, a report's number
    where an issue is."""
    lines = []
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
        lines.append(f"  {field} = {{{text}}}")
    return lines


def _bibtex_list_item(field: str, value: str) -> str:
    """A value escaped, braced whole in the fields BibLaTeX reads as lists split at "and"
    (publisher, institution, location...), so that "Royal Veterinary and Agricultural
    University" stays one name; and always in a list of names (a patent's holder), so
    that its commas do not split it into a family and given name."""
    text = bibtex_text(" ".join(value.split()))
    whole = field == "holder" or field in _LIST_FIELDS and _AND_WORD.search(value)
    return "{" + text + "}" if whole else text


def bibtex_text(text: str) -> str:
    """Text escaped for a braced BibTeX field (see the module's description)."""
    if not text.isascii():  # NFC leaves ASCII alone; isascii() costs nothing
        text = unicodedata.normalize("NFC", text)
    return _NEEDS_ESCAPE.sub(_bibtex_match, text)


def bibtex_title(title: str) -> str:
    """A title escaped, its words with inner capitals braced to keep their case.

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


@functools.lru_cache(maxsize=8192)  # co-authors recur across papers
def bibtex_name(name: Name) -> str:
    """One author as `von Last, Jr, First`, the form BibTeX splits without guessing; an
    organisation braced whole, so that no style abbreviates it ("{Gemini Team}")."""
    if name.literal:
        return "{" + bibtex_text(" ".join(name.text.split())) + "}"
    family = bibtex_text(name.family)
    if " " in name.family or _AND_WORD.search(name.family):  # "De Fauw": one last name
        family = "{" + family + "}"
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
              work_type: WorkType = OTHER) -> str:
    """The paper's RIS record: a `TAG  - value` line per field, each value on one line;
    the venue as the secondary title (T2)."""
    date = paper.date
    lines = [f"TY  - {work_type.ris}", f"ID  - {_one_line(key)}", f"TI  - {_one_line(paper.title)}"]
    lines += [f"AU  - {_ris_name(name)}" for name in paper.authors]
    if paper.authors_truncated:  # RIS has no "et al.": say it where readers show notes
        lines.append(f"N1  - {TRUNCATED_NOTE}")
    if venue:
        lines.append(f"{work_type.ris_venue}  - {_one_line(venue)}")
    if work_type.genre:
        lines.append(f"M3  - {work_type.genre}")
    if paper.biblio:
        lines += _ris_details(paper.biblio, {work_type.ris_venue} if venue else set())
    lines.append(f"PY  - {date.year}")
    parts = [f"{part:02d}" for part in date_parts(date, paper.precision)]
    lines.append(f"DA  - {date.year:04d}/{'/'.join(parts[1:] + [''] * (3 - len(parts)))}/")
    lines.append(f"KW  - {_one_line(paper.category_name)}")
    if doi:
        lines.append(f"DO  - {_one_line(doi)}")
    if url:
        lines.append(f"UR  - {_one_line(url)}")
    if pdf_url:
        lines.append(f"L1  - {_one_line(pdf_url)}")
    if paper.abstract:
        lines.append(f"AB  - {_one_line(paper.abstract)}")
    lines += ["ER  - ", ""]
    return "\r\n".join(lines)


def _ris_details(biblio: Biblio, written: set[str]) -> list[str]:
    """The details' lines (records.DETAILS: each under its RIS tag, an editor a line, the
    pages as SP and EP), but for tags `written` already: one SN (the ISBN, else the
    ISSN), one IS, a book's PB that is its venue."""
    lines = []
    for name, detail in DETAILS.items():
        value = getattr(biblio, name)
        if not value or detail.ris in written:
            continue
        written.add(detail.ris)
        if name == "editors":
            lines += [f"{detail.ris}  - {_ris_name(editor)}" for editor in value]
        elif name == "pages":
            first, last = biblio.page_range
            lines.append(f"SP  - {_one_line(first)}")
            if last:
                lines.append(f"EP  - {_one_line(last)}")
        else:
            lines.append(f"{detail.ris}  - {_one_line(value)}")
    return lines


def _one_line(text: str) -> str:
    """Text with each run of whitespace, line breaks included, made one space."""
    return " ".join(text.split())


def _ris_name(name: Name) -> str:
    """RIS's `Last, First, Suffix`; an organisation whole, with no comma."""
    return _one_line(name.inverted)
