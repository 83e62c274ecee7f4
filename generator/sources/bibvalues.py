"""A .bib field's value as BibTeX reads it: pieces (`{...}`, `"..."`, a number or a
macro's name) joined by `#`, each macro replaced by its `@string` (defined earlier in the
file, itself expanded: `@string{y = conf # " 2023"}`) or by a month's name (`jan` ...
`dec`, predefined as in BibTeX's styles).

What is not a value is said at its line rather than read as something else: text after a
complete value that is no `#` (a missing comma: `publisher = {MIT Press} address = {...}`
would otherwise merge two fields) is an error; a macro that no `@string` defines (such as
IEEEabrv's, defined in a file LaTeX reads beside this one) is a warning, and the value
keeps the macro's name as written."""

from __future__ import annotations

import re
from collections.abc import Callable

from ..dates import MONTH_NAMES, MONTHS

#: The macros every BibTeX style defines: the months, by their three-letter names.
PREDEFINED = {short.lower(): name for short, name in zip(MONTHS, MONTH_NAMES, strict=True)}
#: A macro's name or a number, as BibTeX allows one bare.
_BARE = re.compile(r"[^\s#{}\"=,()%']+")
#: Where a field's name and '=' follow (what a missing comma leaves after a value).
_FIELD_AFTER = re.compile(r"[A-Za-z][\w:.+-]*\s*=")

#: Problem callbacks: (offset in the value, message).
Report = Callable[[int, str], None]


class MissingComma(ValueError):
    """Text after a complete value that is no `#`: at `offset` in the value."""

    def __init__(self, offset: int, message: str) -> None:
        super().__init__(message)
        self.offset = offset


def value_text(raw: str, macros: dict[str, str], undefined: Report) -> str:
    """The value `raw` (as written after `name =`) as text: braces and quotes that
    enclose a piece removed, pieces joined, macros expanded from `macros` (lower-case
    names) and the predefined months. `undefined(offset, name)` is told each macro no
    `@string` defines (its name is kept). Raises MissingComma when text follows a value."""
    parts, at, expect_piece = [], 0, True
    while True:
        at = _skip(raw, at)
        if at >= len(raw):
            break
        if not expect_piece:
            if raw[at] != "#":
                field = _FIELD_AFTER.match(raw, at)
                found = (f"the field '{field.group().rstrip('= ').strip()}'" if field
                         else f"'{raw[at:at + 20].splitlines()[0]}'")
                raise MissingComma(at, f"{found} follows a complete value; expected a "
                                   "comma between two fields (or '#' to join strings)")
            at, expect_piece = at + 1, True
            continue
        char = raw[at]
        if char == "{":
            end = _closing(raw, at)
            parts.append(raw[at + 1:end])
        elif char == '"':
            end = _closing_quote(raw, at)
            parts.append(raw[at + 1:end])
        else:
            match = _BARE.match(raw, at)
            if match is None:  # a stray character: kept, as bibtexparser gave it
                parts.append(raw[at:])
                break
            end = match.end() - 1
            name = match.group()
            if name.isdigit():
                parts.append(name)
            elif name.lower() in macros:
                parts.append(macros[name.lower()])
            elif name.lower() in PREDEFINED:
                parts.append(PREDEFINED[name.lower()])
            else:
                undefined(at, name)
                parts.append(name)
        at, expect_piece = end + 1, False
    return "".join(parts)


def _skip(raw: str, at: int) -> int:
    while at < len(raw) and raw[at].isspace():
        at += 1
    return at


def _closing(raw: str, at: int) -> int:
    """The index of the brace that closes the one at `at` (the last index if none)."""
    depth = 0
    for index in range(at, len(raw)):
        if raw[index] == "\\":
            continue
        if raw[index] == "{" and (index == 0 or raw[index - 1] != "\\"):
            depth += 1
        elif raw[index] == "}" and (index == 0 or raw[index - 1] != "\\"):
            depth -= 1
            if depth == 0:
                return index
    return len(raw)


def _closing_quote(raw: str, at: int) -> int:
    """The index of the quote that ends the string at `at`: the next `"` outside braces."""
    depth = 0
    for index in range(at + 1, len(raw)):
        char = raw[index]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == '"' and depth <= 0:
            return index
    return len(raw)


def line_of(raw: str, offset: int, first_line: int) -> int:
    """The file's line (1-based) at `offset` in a value that starts on `first_line`."""
    return first_line + raw.count("\n", 0, offset)
