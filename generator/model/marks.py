"""Authorship marks: equal contribution, corresponding author, a student or mentee of the
researcher. Each author's marks come from the per-paper file (`equal:`,
`corresponding:`), else from the bibliography's marks written with the name
(`records.Name.marks`: `*` and `#` mean equal contribution, `†` corresponding author; `‡`
has no agreed meaning and is not shown), and from site.yaml's `students:`. Pages show a
mark as its symbol and, once per page, a legend of the marks used there (`legend`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from ..i18n import N_

if TYPE_CHECKING:
    from .views import Author, PaperView


class Mark(NamedTuple):
    """One kind of mark: its key, the symbol shown after a name and what it means (English;
    templates translate it)."""

    key: str
    symbol: str
    meaning: str


#: Every mark, in the order a name and the legend show them.
MARKS = (Mark("equal", "*", N_("equal contribution")),
         Mark("corresponding", "†", N_("corresponding author")),
         Mark("student", "°", N_("student")))
_BY_KEY = {mark.key: mark for mark in MARKS}
#: What a mark written with a name in a bibliography means.
WRITTEN = {"*": "equal", "#": "equal", "†": "corresponding"}


def author_marks(written: tuple[str, ...], key: str, equal: frozenset[str] | None,
                 corresponding: frozenset[str] | None, student: bool) -> tuple[Mark, ...]:
    """An author's marks, in `MARKS` order. `written` are the marks the bibliography wrote
    with the name; `equal` and `corresponding` the name keys a per-paper file lists (None
    when the file does not set the field: then the written marks say it); `key` the
    author's name key."""
    keys = {WRITTEN[symbol] for symbol in written if symbol in WRITTEN}
    for name, given in (("equal", equal), ("corresponding", corresponding)):
        if given is not None:
            keys.discard(name)
            if key in given:
                keys.add(name)
    if student:
        keys.add("student")
    return tuple(mark for mark in MARKS if mark.key in keys)


def legend(*lists: Iterable[PaperView]) -> tuple[Mark, ...]:
    """The marks the authors of the papers in these lists carry, each once, in `MARKS`
    order: what a page's legend explains."""
    used = {mark.key for papers in lists for paper in papers for author in paper.authors
            for mark in author.marks}
    return tuple(_BY_KEY[key] for key in _BY_KEY if key in used)


#: The per-paper marks in a BibTeX citation, as biblatex's name annotations (biber reads
#: `author+an = {1=equalcontrib; 3=corresponding}`; BibTeX styles ignore the field). The
#: words are the ones biblatex users write; CSL-JSON and RIS have no place for marks.
ANNOTATIONS = {"equal": "equalcontrib", "corresponding": "corresponding"}


def annotation(authors: Sequence[Author]) -> str | None:
    """The `author+an` value of an author list's marks (by position, from 1), or None."""
    items = []
    for number, author in enumerate(authors, 1):
        words = [ANNOTATIONS[mark.key] for mark in author.marks if mark.key in ANNOTATIONS]
        if words:
            items.append(f"{number}={','.join(words)}")
    return "; ".join(items) or None
