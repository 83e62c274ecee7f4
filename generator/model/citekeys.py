"""BibTeX keys: the source's own (the author's `dubois2020crosslingual`), else made from
the paper, `surname + year + first significant title word` in ASCII (`dupont2022data`).
They depend only on the papers; papers that share one are told apart (`-2` after a
source's key, letters `a`, `b`, ... after a made one) in order of date then slug, the
oldest keeping the bare key, so adding a paper changes no key unless it collides."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from ..records import Paper
from ..richtext import plain

#: Title words a made key passes over.
_STOPWORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "by", "do", "does", "for", "from", "how", "in",
    "into", "is", "it", "its", "of", "on", "or", "our", "the", "their", "to", "toward",
    "towards", "via", "we", "what", "when", "where", "which", "why", "with", "without",
})
# Letters that do not decompose into an ASCII letter and marks, for keys.
_KEY_FOLDS = str.maketrans(
    {"ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ł": "l",
     "Ł": "L", "ı": "i", "đ": "d", "Đ": "D", "ð": "d", "þ": "th"}
)

# Where base_key splits a title into words, and what _ascii drops.
_TITLE_WORD_BREAKS = re.compile(r"[\s\-‐–—:;,./]+")
_NOT_KEY_CHAR = re.compile(r"[^a-z0-9]")


def assign_keys(papers: Iterable[Paper]) -> dict[str, str]:
    """Slug -> BibTeX key for every paper: unique, and independent of file order. A paper
    keeps its source's key (`Paper.key`, the author's); a key two papers' sources give
    goes to the older (date, then slug), the next get `-2`, `-3`...; a paper without one
    gets an ASCII key made from it (base_key), told apart from all others by letters."""
    papers = list(papers)
    keys: dict[str, str] = {}
    given: dict[str, list[Paper]] = {}
    for paper in papers:
        if paper.key:
            given.setdefault(paper.key, []).append(paper)
    taken = set(given)
    for key in sorted(given):
        members = sorted(given[key], key=lambda p: (p.date, p.slug))
        keys[members[0].slug] = key
        number = 1
        for paper in members[1:]:
            while f"{key}-{number}" in taken or number == 1:
                number += 1
            taken.add(f"{key}-{number}")
            keys[paper.slug] = f"{key}-{number}"
    groups: dict[str, list[Paper]] = {}
    for paper in papers:
        if paper.slug not in keys:
            groups.setdefault(base_key(paper), []).append(paper)
    taken |= set(groups)  # a made key is no other paper's bare one
    for base in sorted(groups):
        members = sorted(groups[base], key=lambda p: (p.date, p.slug))
        number = 0
        for index, paper in enumerate(members):
            key = base
            if index or base in given:  # the bare key is another paper's
                while key in taken:
                    number += 1
                    key = base + _letters(number)
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
    title_words = (_ascii(word) for word in _TITLE_WORD_BREAKS.split(plain(paper.title)))
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
