"""User-facing problems: one exception family, printed as `path:line:col: message`.

A traceback means a bug in scholarfolio; anything a user can fix is raised as
a `SiteError` carrying one or more `Problem`s with their source positions.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a warning) at a place in a file."""

    path: str
    line: int
    col: int
    message: str
    source_line: str | None = None
    warning: bool = False

    def format(self) -> str:
        """Render as `path:line:col: message`, then the line and a caret under the column."""
        kind = "warning: " if self.warning else ""
        head = f"{self.path}:{self.line}:{self.col}: {kind}{self.message}"
        if self.source_line is None:
            return head
        shown = self.source_line.replace("\t", " ")
        if len(shown) > 160:  # keep very long lines readable around the column
            start = max(0, self.col - 80)
            shown = ("…" if start else "") + shown[start : start + 160]
            caret_at = self.col - start + (1 if start else 0)
        else:
            caret_at = self.col
        return f"{head}\n    {shown}\n    {' ' * (caret_at - 1)}^"


class SiteError(Exception):
    """A problem the user can fix; carries every problem found, not just the first."""

    def __init__(self, problems: Iterable[Problem] | Problem | str):
        if isinstance(problems, str):
            self.problems: tuple[Problem, ...] = ()
            self.text = problems
        else:
            if isinstance(problems, Problem):
                problems = [problems]
            self.problems = tuple(problems)
            self.text = "\n".join(p.format() for p in self.problems)
        super().__init__(self.text)

    def __str__(self) -> str:
        return self.text


class ProfileError(SiteError):
    """The researcher profile cannot be read."""


class ConfigError(SiteError):
    """`site.yaml` (or a theme's `theme.yaml`) is invalid."""


class TemplateError(SiteError):
    """A theme or override template failed to load or render."""


class OutputError(SiteError):
    """The output folder cannot safely be written."""


class Invalid(ValueError):
    """A value that a field's check refuses (per-paper files, front matter); the message
    says what was expected, and the reader adds where and what was found."""


def cannot_read(shown: str, exc: OSError) -> Problem:
    """The one message of a file that cannot be read (a folder in its place, no
    permission, gone): `path:1:1: cannot read (why)`."""
    why = ("a folder, expected a file" if isinstance(exc, IsADirectoryError)
           else exc.strerror or type(exc).__name__)
    return Problem(shown, 1, 1, f"cannot read ({why})")


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """`; did you mean 'theme'?` when a known word is close to `word`, else nothing: the
    hint of every "unknown ..." message."""
    close = difflib.get_close_matches(word, list(known), n=1)
    return f"; did you mean '{close[0]}'?" if close else ""
