"""How the pages write values: numbers, search keys, author-name keys, the abstract as
text and link segments, and its opening as a summary."""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import NamedTuple

from markupsafe import Markup

from ..mathml import mathml
from ..records import Number, Paper
from ..richtext import formulas, plain
from ..text import url_spans, visible


class Segment(NamedTuple):
    """A run of abstract text; `href` is set when the run is an http(s) URL; `math` holds a
    formula's source when `text` is its MathML (a Markup made by mathml.py)."""

    text: str
    href: str | None = None
    math: str | None = None


# Letters that do not decompose into a base letter and marks; the theme's filters.js folds
# them the same way.
_SEARCH_FOLDS = str.maketrans(
    {
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "ł": "l",
        "ħ": "h",
        "ı": "i",
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
        "ς": "σ",
    }
)


def search_key(text: str) -> str:
    """Text as the in-page search compares it: compatibility-decomposed, lowercased, marks
    dropped, a few letters folded (ø -> o, ß -> ss), runs of white space made one space,
    so `kocisky` finds Kočiský. filters.js folds a query with the same steps, in order."""
    if text.isascii():  # the common case: nothing to decompose, drop or fold
        return " ".join(text.lower().split())
    words = unicodedata.normalize("NFKD", text).lower().split()
    # Each step maps characters one by one, so words can be folded one by one; names recur.
    return " ".join(filter(None, (w if w.isascii() else _fold_word(w) for w in words)))


def search_text(paper: Paper) -> str:
    """`search_key` of title, authors and abstract, each word once. Each is folded alone:
    the same text as folding them joined by spaces (no step looks across white space), and a
    long ASCII abstract takes the fast path even when a name has accents. filters.js looks
    for each word of a query within a word of this text, so a word said again adds only bytes
    (on a large publications page, most of them are its abstracts' words)."""
    keys = (search_key(plain(paper.title)), search_key(", ".join(map(str, paper.authors))),
            search_key(paper.abstract))
    return " ".join(dict.fromkeys(" ".join(keys).split()))


@lru_cache(maxsize=65536)
def _fold_word(word: str) -> str:
    """A decomposed, lowercased word with its marks dropped and its letters folded."""
    marks = {ord(c): None for c in set(word)
             if not c.isascii() and unicodedata.category(c).startswith("M")}
    return word.translate(marks).translate(_SEARCH_FOLDS)


@lru_cache(maxsize=8192)  # co-authors recur across papers
def segments(text: str) -> tuple[Segment, ...]:
    """An abstract's paragraph as segments: its URLs as links, its formulas (`$...$`, by
    richtext's rule) as MathML, the rest as text."""
    segments: list[Segment] = []
    position = 0
    for start, end in url_spans(text):
        if start > position:
            segments += _text_segments(text[position:start])
        segments.append(Segment(text[start:end], text[start:end]))
        position = end
    if position < len(text):
        segments += _text_segments(text[position:])
    return tuple(segments)


def _text_segments(text: str) -> list[Segment]:
    """Text between URLs: each formula that can be made MathML a segment of its own."""
    found: list[Segment] = []
    position = 0
    for start, end, source in formulas(text):
        made = mathml(source)
        if made is None:  # shown as written (the reader warned)
            continue
        if start > position:
            found.append(Segment(visible(text[position:start])))
        found.append(Segment(Markup(made), None, text[start:end]))
        position = end
    if position < len(text):
        found.append(Segment(visible(text[position:])))
    return found


def summary(abstract: str, limit: int = 200) -> str:
    text = " ".join(abstract.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def format_number(value: Number) -> str:
    """Thousands separators for whole numbers, as written otherwise: 13433 -> 13,433."""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,}"
    return f"{int(value):,}"
