"""How the parser reports: a problem placed at a line and column of the profile (the
column counting the line's leading whitespace, the line shown without its trailing
whitespace), the count line's warning, and the one warning for invisible characters."""

from __future__ import annotations

import unicodedata

from ..errors import Problem
from ..text import ASCII_VISIBLE, INVISIBLE, printable


def problem_at(path: str, index: int, raw: str, offset: int, message: str, warning: bool
               ) -> Problem:
    """A problem at `offset` in the stripped text of line `index` (`raw` as written)."""
    col = len(raw) - len(raw.lstrip()) + 1
    return Problem(path, index + 1, col + offset, message, printable(raw.rstrip()), warning)


def count_warning(path: str, index: int, raw: str, declared: int, found: int) -> Problem:
    """The warning for a count line (line `index`) that disagrees with the entries found."""
    entries = "1 entry was" if found == 1 else f"{found} entries were"
    return problem_at(path, index, raw, 0,
                      f"the count line says {declared} papers but {entries} found", True)


def invisible_characters(path: str, raws: list[str]) -> Problem | None:
    """One warning for control, bidi and noncharacters: the first, and how many lines."""
    if not _may_hold_invisible_characters(raws):
        return None
    # isprintable() runs in C and is False for every invisible character (and for tabs
    # and no-break spaces, which the regular expression then clears). The trailing
    # whitespace is not part of the line as reported, invisible or not.
    found = [
        index
        for index, raw in enumerate(raws)
        if not raw.isprintable() and INVISIBLE.search(raw.rstrip())
    ]
    if not found:
        return None
    line = raws[found[0]].rstrip()
    match = INVISIBLE.search(line)
    char = match.group()
    kind = "noncharacter" if unicodedata.category(char) == "Cn" else "control character"
    name = unicodedata.name(char, "")
    more = len(found) - 1
    return Problem(
        path,
        found[0] + 1,
        match.start() + 1,
        f"invisible {kind} U+{ord(char):04X}{f' ({name})' if name else ''}: kept in "
        f"the JSON export, shown on the pages as [U+{ord(char):04X}] so it cannot reorder "
        "or hide the text around it"
        + (f"; {more} more line{'s' if more != 1 else ''} hold such characters"
           if more else ""),
        printable(line),
        True,
    )


def _may_hold_invisible_characters(raws: list[str]) -> bool:
    """False if no line holds an invisible character, found much quicker than line by
    line: ASCII lines (most) can only hold ASCII control characters, which a
    bytes.translate deleting every other character finds; the other lines must all be
    printable (isprintable() is False for every invisible character)."""
    ascii_lines = [raw for raw in raws if raw.isascii()]
    # In batches: the memory of one batch is used again by the next. A copy of all
    # the lines at once takes tens of megabytes of new memory from the system, which
    # doubled the time of the check in a new process (the build's).
    for start in range(0, len(ascii_lines), 256):
        batch = "".join(ascii_lines[start : start + 256]).encode("ascii")
        if batch.translate(None, ASCII_VISIBLE):
            return True
    return not "".join([raw for raw in raws if not raw.isascii()]).isprintable()
