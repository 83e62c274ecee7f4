"""Read the plain-text researcher profile (docs/profile-format.md) into records.

The reader takes a path and gives `Profile` records and positioned problems; it knows
nothing of HTML, themes or files other than the one it reads. grammar.py holds the
format's lines, fields.py the author line, entry_date.py an entry's day, problems.py
how problems are placed, parser.py puts them together.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..errors import Problem, ProfileError, cannot_read
from ..records import Profile
from ..reuse import Reuse
from ..text import printable
from .parser import _Parser

__all__ = ["decode", "parse_profile", "read_profile", "read_profile_with_warnings"]


def read_profile(path: Path | str, as_of: dt.date, display: str | None = None) -> Profile:
    """Read and parse a profile file; raises ProfileError for unreadable or invalid input."""
    profile, _ = read_profile_with_warnings(path, as_of, display)
    return profile


def read_profile_with_warnings(
    path: Path | str, as_of: dt.date, display: str | None = None,
    reuse: Reuse | None = None,
) -> tuple[Profile, list[Problem]]:
    """Like `read_profile`, also returning the warnings (e.g. a count line that disagrees).
    With `reuse` (the dev server's, kept from one parse to the next), entries whose lines
    did not change give back the very same records."""
    path = Path(path)
    shown = display or str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ProfileError(
            Problem(
                shown,
                1,
                1,
                "no such file: expected the researcher profile here (content/profile.txt)",
            )
        ) from None
    except IsADirectoryError:
        raise ProfileError(Problem(shown, 1, 1, "is a folder, expected a profile file")) from None
    except OSError as exc:
        raise ProfileError(cannot_read(shown, exc)) from None
    return _Parser(decode(data, shown), shown, as_of, reuse).run()


def decode(data: bytes, path: str) -> str:
    """UTF-8 text without a byte-order mark; a clear positioned error otherwise."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        line_start = before.rfind(b"\n") + 1
        line_bytes = data[line_start:].split(b"\n", 1)[0]
        before_col = data[line_start : exc.start]
        if line_start == 0:  # a byte-order mark is not a column
            before_col = before_col.removeprefix(b"\xef\xbb\xbf")
        col = len(before_col.decode("utf-8", "replace")) + 1
        raise ProfileError(
            Problem(
                path,
                line,
                col,
                f"not UTF-8 text: byte 0x{data[exc.start]:02x} cannot be decoded; "
                "expected the profile saved as UTF-8",
                printable(
                    line_bytes.decode("utf-8", "replace").rstrip("\r").removeprefix("\ufeff")
                ),
            )
        ) from None
    text = text.removeprefix("\ufeff")
    if len(text) > MAX_LINE:  # (a longer line is read, and written into every page, in ~10 s)
        for number, line in enumerate(text.split("\n"), 1):
            if len(line) > MAX_LINE:
                raise ProfileError(Problem(
                    path, number, 1, f"a line of {len(line):,} characters; expected at most "
                    f"{MAX_LINE:,} (a profile's longest line, an abstract, has a few thousand)"))
    return text


#: The longest line a profile may have: a title or abstract is written into every page
#: that lists its paper, in time linear in its length (2 MB: 4 s; 10 MB: 20 s).
MAX_LINE = 2_000_000


def parse_profile(text: str, path: str, as_of: dt.date) -> tuple[Profile, list[Problem]]:
    """Parse profile text into a Profile and a list of warnings.

    Raises ProfileError listing every error found (with the warnings too).
    """
    return _Parser(text, path, as_of).run()
