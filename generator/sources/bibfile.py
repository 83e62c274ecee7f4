"""A .bib file's blocks as bibtexparser splits them, read as BibTeX reads them: each
entry with its fields (values expanded: bibvalues.py) and the line of each, in file order.

bibtexparser's own middlewares are not used: its macro resolution leaves `conf # " 2023"`
as written, and its lines skip a line break after a backslash (`\\\\` at a line's end, a
Windows path in Zotero's `file`), so warnings further down a file were lines off. Here a
block's line is found from its text's place in the file.

What it does not read as something else: a field given twice keeps its first value (a
warning at the second); a key given twice keeps both entries, the second under the key
with `-2` (a warning at it); a missing comma is an error at its line; an undefined macro is
a warning, its name kept."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import Problem
from .bibvalues import MissingComma, line_of, value_text

#: What stands for a `\\` while the file is split and its values read: bibtexparser (and
#: bibvalues) read the `\}` of `keywords = {psychology\\}` (a LaTeX line break, then the
#: closing brace) as an escaped brace and the rest of the file as that value; BibTeX counts
#: every brace.
_PAIR = "\uffff\uffff"


@dataclass(frozen=True)
class BibEntry:
    """One entry as the file gives it: fields (lower-case names as written, values
    expanded) in order, each field once."""

    entry_type: str
    key: str
    line: int
    fields: tuple[tuple[str, str], ...]
    lines: dict[str, int]  # each field's line, by lower-case name


def read_blocks(text: str, shown: str) -> tuple[list[BibEntry], list[Problem]]:
    """The entries of `text` (a .bib file shown as `shown`) and the problems found."""
    import logging  # here: a site without a .bib file does not need it (~10 ms)

    import bibtexparser
    from bibtexparser.model import (
        DuplicateBlockKeyBlock,
        DuplicateFieldKeyBlock,
        Entry,
        ParsingFailedBlock,
        String,
    )

    # bibtexparser logs each block it cannot read; the problems below say it with lines.
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    if _PAIR not in text:  # two characters as `\\` is, no backslash: offsets stay
        text = text.replace("\\\\", _PAIR)
    library = bibtexparser.parse_string(text, parse_stack=[])
    reader = _Reader(text, shown)
    for block in library.blocks:
        line = reader.line_of_block(block)
        if isinstance(block, String):
            reader.define(block.key, block.value, line)
        elif isinstance(block, (DuplicateFieldKeyBlock, DuplicateBlockKeyBlock)):
            inner = block.ignore_error_block
            if isinstance(inner, Entry):
                reader.entry(inner, line)
        elif isinstance(block, ParsingFailedBlock):
            reader.problem(line, "not a BibTeX entry that can be read (an unbalanced brace "
                           "or a missing comma?); expected @type{key, field = {value}, ...}")
        elif isinstance(block, Entry):
            reader.entry(block, line)
    return reader.entries, reader.problems


class _Reader:
    """The walk over a file's blocks: macros defined so far, keys taken, problems."""

    def __init__(self, text: str, shown: str) -> None:
        self.text, self.shown = text, shown
        self.lines = text.split("\n")  # as lines are counted (not at U+2028)
        self.macros: dict[str, str] = {}
        self.keys: dict[str, int] = {}  # key -> line of the entry that has it
        self.entries: list[BibEntry] = []
        self.problems: list[Problem] = []
        self._at = 0  # where the next block's text is looked for

    def problem(self, line: int, message: str, warning: bool = False) -> None:
        source = self.lines[line - 1].rstrip("\r") if 0 < line <= len(self.lines) else None
        self.problems.append(Problem(self.shown, line, 1, message, source, warning=warning))

    def line_of_block(self, block) -> int:
        """The block's first line (1-based), from where its text is in the file (after the
        last block's); bibtexparser's count when it cannot be found."""
        raw = block.raw
        inner = getattr(block, "ignore_error_block", None)
        if not raw and inner is not None:
            raw = inner.raw
        found = self.text.find(raw, self._at) if raw else -1
        if found < 0:
            return (block.start_line or 0) + 1
        self._at = found + len(raw)
        return self.text.count("\n", 0, found) + 1

    def value(self, raw: str, line: int, what: str) -> str | None:
        """A value as text (bibvalues.value_text) with its problems at their lines; None
        after a missing comma (an error)."""

        def undefined(offset: int, name: str) -> None:
            self.problem(line_of(raw, offset, line), f"{what}: the macro '{name}' is "
                         "defined by no @string before it: kept as written; expected "
                         f"@string{{{name} = {{...}}}} in this file (a file such as "
                         "IEEEabrv.bib defines it for LaTeX only)", warning=True)

        try:
            return value_text(raw, self.macros, undefined).replace(_PAIR, "\\\\")
        except MissingComma as exc:
            self.problem(line_of(raw, exc.offset, line), f"{what}: {exc}")
            return None

    def define(self, name: str, raw: str, line: int) -> None:
        value = self.value(raw, line, f"@string{{{name}}}")
        if value is not None:
            self.macros[name.lower()] = value

    def entry(self, block, line: int) -> None:
        """One entry: its fields read in order (a repeated one set aside), its key made
        unique in the file."""
        label = f"@{block.entry_type}{{{block.key}}}"
        raw = block.raw or ""
        fields: list[tuple[str, str]] = []
        lines: dict[str, int] = {}
        at = 0
        for field in block.fields:
            name = field.key.lower()
            found = re.compile(rf"(?<![\w-]){re.escape(field.key)}\s*=").search(raw, at)
            if found:
                at = found.end()
                field_line = line + raw.count("\n", 0, found.start())
                start = len(raw) - len(raw[at:].lstrip())  # where the value begins
                value_line = field_line + raw.count("\n", found.start(), start)
            else:
                field_line = line + (field.start_line or 0) - (block.start_line or 0)
                value_line = field_line
            if name in lines:
                self.problem(field_line, f"{label}: the field '{field.key}' is given again "
                             f"(first at line {lines[name]}): the first value is kept; "
                             "expected each field once", warning=True)
                continue
            value = self.value(field.value, value_line, f"{label} {field.key}")
            if value is None:
                return
            fields.append((field.key, value))
            lines[name] = field_line
        key = block.key
        if key in self.keys:
            number = 2
            while f"{block.key}-{number}" in self.keys:
                number += 1
            key = f"{block.key}-{number}"
            self.problem(line, f"{label}: the key '{block.key}' is taken by the entry at "
                         f"line {self.keys[block.key]}: this entry is kept as '{key}' "
                         "(merged with it if both are one work); expected each key once",
                         warning=True)
        self.keys[key] = line
        self.entries.append(BibEntry(block.entry_type, key, line, tuple(fields), lines))
