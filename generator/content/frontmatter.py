"""A Markdown file's YAML front matter, between `---` lines: split from its body, its
unknown keys reported with a did-you-mean, and problems placed at a key or its value."""

from __future__ import annotations

from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any, NamedTuple

from ..config import shown_value as _shown
from ..errors import Invalid, Problem, did_you_mean
from ..listing import names
from ..yamlfile import Positions, read_mapping, read_text
from .markdown import MAX_TEXT

#: Reports a problem at a key of the front matter (or at its value).
Report = Callable[..., None]


class Field(NamedTuple):
    """One key of a kind of file's front matter: what it is for, its check (the value as
    written -> the value kept, or raises Invalid), its default, and the problem when a
    file has none ("": it is optional)."""

    doc: str
    check: Callable[[Any], Any]
    default: Any = None
    missing: str = ""


def markdown_files(folder: Path, shown: str) -> list[Path]:
    """The `*.md` files of `folder`, by name; none when there is no such folder. A folder
    named `*.md` is listed too, so that reading it says it is no file; a file named as
    the folder, or a folder that cannot be listed, is an error (listing.py)."""
    return [folder / name for name in names(folder, shown)
            if name.endswith(".md") and not name.startswith(".")]


def split(path: Path, name: str, problems: list[Problem]
          ) -> tuple[dict[str, Any], Positions, str] | None:
    """Front matter (values and positions of keys and values) and the body."""
    text = read_text(path, name, problems)
    if text is None:
        return None
    lines = text.splitlines()
    if not lines or lines[0].rstrip() != "---":
        problems.append(Problem(name, 1, 1, "expected front matter: a first line '---', "
                                "then 'key: value' lines, then '---'",
                                lines[0] if lines else None))
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        problems.append(Problem(name, len(lines), len(lines[-1]) + 1,
                                "front matter has no closing '---' line", lines[-1]))
        return None
    front = read_mapping("\n".join(lines[1:end]), name, problems, first_line=2,
                         invalid="front matter is not valid YAML",
                         expected="expected front matter as 'key: value' lines")
    if front is None:
        return None
    body = "\n".join(lines[end + 1:])
    if len(body) > MAX_TEXT:
        problems.append(Problem(name, end + 2, 1, f"the text is {len(body):,} characters long;"
                                f" expected at most {MAX_TEXT:,} (a page that long is no page "
                                "a reader scrolls: split it, or put the file in static/)"))
        return None
    return front[0], front[1], body


def reporter(name: str, positions: Positions, problems: list[Problem]) -> Report:
    """The function that reports a problem at a key's value (or, `at_value=False`, at the
    key itself) of the file `name`."""
    def problem(key: str, message: str, at_value: bool = True) -> None:
        line, col, source = positions.get(f"{key}=" if at_value else key) or (1, 1, "---")
        problems.append(Problem(name, line, col, message, source))

    return problem


def unknown(key: str, known: Collection[str]) -> str:
    """The message for a key that is no field: its likeliest meaning and every field."""
    return f"unknown field '{key}'{did_you_mean(key, known)} (known: {', '.join(known)})"


def read_fields(path: Path, name: str, table: dict[str, Field], problems: list[Problem]
                ) -> tuple[dict[str, Any], str] | None:
    """A Markdown file's front matter checked against `table` (each field as its check
    keeps it, its default where the file has none) and its body; None when there is no
    front matter to read. An unknown key, a value refused or a required field missing is
    a problem of the file `name`, at its place."""
    found = split(path, name, problems)
    if found is None:
        return None
    data, positions, body = found
    problem = reporter(name, positions, problems)
    for key in data:
        if key not in table:
            problem(key, unknown(key, table), at_value=False)
    values: dict[str, Any] = {}
    for key, item in table.items():
        if key not in data:
            if item.missing:
                problems.append(Problem(name, 1, 1, item.missing, "---"))
            values[key] = item.default
            continue
        try:
            values[key] = item.check(data[key])
        except Invalid as exc:
            problem(key, f"'{key}' {exc}, found {_shown(data[key])}")
    return values, body
