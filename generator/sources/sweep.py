"""Entries in against papers out, for one bibliography file: how many `@` entries it
holds (not `@string`, `@comment`, `@preamble`), how many records its reader gives, and
each entry it does not give with the problem that names it (file:line and why). What
`scripts/bibsweep` prints and tests/test_bib_fixtures.py checks on every real file."""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

from ..errors import Problem
from . import read_bibliography

#: An entry's first line: `@type{` or `@type(`, at a line's start (BibTeX reads an `@`
#: anywhere, but exports start each entry on its own line).
_ENTRY = re.compile(r"^[ \t]*@[ \t]*([A-Za-z]+)[ \t]*[{(]", re.M)
#: Blocks that hold no work.
_NOT_WORKS = frozenset({"string", "comment", "preamble"})


class Sweep(NamedTuple):
    """One file's count: entries in, papers out, the entries left out (line, why) and
    those left out that no problem names (their lines: should be none)."""

    entries: int
    papers: int
    left_out: tuple[tuple[int, str], ...]
    unnamed: tuple[int, ...]


def sweep(path: Path, shown: str | None = None) -> Sweep:
    """`path` read as a site reads it, its entries matched to the records by line."""
    shown = shown or str(path)
    entries, problems = read_bibliography(path, shown)
    text = path.read_bytes().decode("utf-8", "replace")
    if path.suffix.lower() == ".bib":
        starts = [text.count("\n", 0, m.start()) + 1 for m in _ENTRY.finditer(text)
                  if m.group(1).lower() not in _NOT_WORKS]
    else:  # CSL-JSON: each item of the array, at the line it starts on
        from .csljson import _items

        try:
            starts = [line for line, _ in _items(text)]
        except ValueError:
            starts = []
    ends = [*starts[1:], 1 << 30][:len(starts)]
    read = {entry.line for entry in entries}
    left, unnamed = [], []
    for start, end in zip(starts, ends, strict=True):
        if start in read:
            continue
        why = [p for p in problems if start <= p.line < end]
        if why:
            left.append((start, _first(why)))
        else:
            unnamed.append(start)
    return Sweep(len(starts), len(entries), tuple(left), tuple(unnamed))


def _first(problems: list[Problem]) -> str:
    errors = [p for p in problems if not p.warning] or problems
    return errors[0].message
