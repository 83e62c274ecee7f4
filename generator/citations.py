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

import json
import re
import textwrap
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .records import Paper

#: Export formats: the name `export --format` takes, and the download's extension.
FORMATS = {"bibtex": "bib", "ris": "ris", "csljson": "json"}
LABELS = {"bibtex": "BibTeX", "ris": "RIS", "csljson": "CSL-JSON"}

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_STOPWORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "by", "do", "does", "for", "from", "how", "in",
    "into", "is", "it", "its", "of", "on", "or", "our", "the", "their", "to", "toward",
    "towards", "via", "we", "what", "when", "where", "which", "why", "with", "without",
})
_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
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
_NEEDS_ESCAPE = re.compile("[" + re.escape("".join(_BIBTEX_SPECIAL)) + "\t\r\n\x80-\U0010ffff]")
_LATEX_LETTERS = {
    "ø": r"\o", "Ø": r"\O", "ß": r"\ss", "æ": r"\ae", "Æ": r"\AE", "œ": r"\oe", "Œ": r"\OE",
    "ł": r"\l", "Ł": r"\L", "ı": r"\i", "å": r"\aa", "Å": r"\AA",
}


@dataclass(frozen=True)
class Citation:
    """One paper's citation in each format; `csl` is its CSL-JSON item (one object)."""

    key: str
    bibtex: str
    ris: str
    csl: str

    def text(self, fmt: str) -> str:
        """The citation alone as a file of format `fmt` (see FORMATS)."""
        return document(fmt, [self])


def document(fmt: str, citations: Sequence[Citation]) -> str:
    """A file of several citations: `papers.bib`, or a CSL-JSON array, or RIS records."""
    if fmt == "bibtex":
        return "\n".join(c.bibtex for c in citations)
    if fmt == "ris":
        return "".join(c.ris for c in citations)
    if fmt == "csljson":
        if not citations:
            return "[]\n"
        items = ",\n".join(textwrap.indent(c.csl, "  ") for c in citations)
        return f"[\n{items}\n]\n"
    raise ValueError(f"unknown citation format {fmt!r}")


def cite(paper: Paper, key: str, url: str | None = None, pdf_url: str | None = None) -> Citation:
    """The citation of a paper whose text is as the pages show it; `url` is its page's
    absolute URL, when the site's address is known."""
    return Citation(key, bibtex_entry(paper, key, url), ris_entry(paper, key, url, pdf_url),
                    csl_item(paper, key, url))


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
        words = [_ascii(word) for word in paper.authors[0].split()]
        words = [word for word in words if word]
        while len(words) > 1 and words[-1] in _NAME_SUFFIXES:
            words.pop()
        surname = words[-1] if words else ""
    title_words = (_ascii(word) for word in re.split(r"[\s\-‐–—:;,./]+", paper.title))
    word = next((w for w in title_words if w and w not in _STOPWORDS), "")
    return f"{surname or 'anon'}{paper.date.year}{word}"


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.translate(_KEY_FOLDS))
    return re.sub(r"[^a-z0-9]", "", folded.encode("ascii", "ignore").decode().lower())


def _letters(number: int) -> str:
    """1 -> a, 26 -> z, 27 -> aa: bijective base 26."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


# -- BibTeX -------------------------------------------------------------------------------


def bibtex_entry(paper: Paper, key: str, url: str | None = None) -> str:
    fields = [("title", "{" + bibtex_title(paper.title) + "}")]
    if paper.authors:
        names = [bibtex_name(name) for name in paper.authors]
        if paper.authors_truncated:
            names.append("others")
        fields.append(("author", "{" + " and ".join(names) + "}"))
    fields.append(("year", f"{{{paper.date.year}}}"))
    fields.append(("month", _MONTHS[paper.date.month - 1]))
    if url:
        fields.append(("url", "{" + _bibtex_url(url) + "}"))
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}\n"


def bibtex_text(text: str) -> str:
    """Text escaped for a braced BibTeX field (see the module's description)."""
    return _NEEDS_ESCAPE.sub(lambda m: _bibtex_char(m.group()), unicodedata.normalize("NFC", text))


def bibtex_title(title: str) -> str:
    """A title escaped, its words with inner capitals braced to keep their case."""
    parts = re.split(r"(\s+)", " ".join(title.split()))
    return "".join(
        f"{{{bibtex_text(part)}}}" if _inner_capital(part) else bibtex_text(part)
        for part in parts
    )


def _inner_capital(word: str) -> bool:
    """`U-Net`, `3D`, `GQN`, `"GANs"`: a capital after the word's first letter or digit."""
    start = next((i for i, c in enumerate(word) if c.isalnum()), len(word))
    return any(c.isupper() for c in word[start + 1 :])


def bibtex_name(name: str) -> str:
    """One author; a name holding the word `and` is braced so it stays one name."""
    text = bibtex_text(" ".join(name.split()))
    return f"{{{text}}}" if re.search(r"\band\b", name, re.IGNORECASE) else text


def _bibtex_char(char: str) -> str:
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
    return "".join(f"%{ord(c):02X}" if c in '{}\\"% ' else c for c in url)


# -- RIS ----------------------------------------------------------------------------------


def ris_entry(paper: Paper, key: str, url: str | None = None, pdf_url: str | None = None) -> str:
    date = paper.date
    fields = [("TY", "GEN"), ("ID", key), ("TI", paper.title)]
    fields += [("AU", _ris_name(name)) for name in paper.authors]
    fields += [("PY", str(date.year)), ("DA", f"{date.year:04d}/{date.month:02d}/{date.day:02d}/")]
    fields.append(("KW", paper.category_name))
    if url:
        fields.append(("UR", url))
    if pdf_url:
        fields.append(("L1", pdf_url))
    if paper.abstract:
        fields.append(("AB", paper.abstract))
    lines = [f"{tag}  - {' '.join(value.split())}" for tag, value in fields]
    return "\r\n".join([*lines, "ER  - ", ""])


def _ris_name(name: str) -> str:
    """`Ada M. Lovelace` -> `Lovelace, Ada M.`, the form RIS readers expect."""
    given, _, family = " ".join(name.split()).rpartition(" ")
    return f"{family}, {given}" if given else family


# -- CSL-JSON -----------------------------------------------------------------------------


def csl_item(paper: Paper, key: str, url: str | None = None) -> str:
    item: dict[str, object] = {
        "id": key,
        "citation-key": key,
        "type": "article",
        "title": paper.title,
        "author": [_csl_name(name) for name in paper.authors],
        "issued": {"date-parts": [[paper.date.year, paper.date.month, paper.date.day]]},
    }
    if url:
        item["URL"] = url
    if paper.abstract:
        item["abstract"] = paper.abstract
    return json.dumps(item, ensure_ascii=False, indent=2)


def _csl_name(name: str) -> dict[str, str]:
    given, _, family = " ".join(name.split()).rpartition(" ")
    return {"family": family, "given": given} if given else {"literal": family}
