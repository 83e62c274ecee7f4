"""BibTeX keys of the site's papers (citations.py writes them in each format's entry).

Keys are `surname + year + first significant title word`, ASCII (`dupont2022data`).
They depend only on the paper; papers that share one are told apart by letters (`a`,
`b`, ...) in order of date then slug, the oldest keeping the bare key, so adding a paper
changes no key unless it collides with one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from ..records import Paper
from ..richtext import plain

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
