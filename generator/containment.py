"""The one rule of containment: a file a build reads from the site's input and publishes
(a per-paper file's `pdf:`, the photo, static/, content/, templates) lies inside the site
folder, and a theme's files inside the site folder or the built-in themes. `..`, an
absolute path, a URL-encoded `%2e%2e` or a symlink that leads out is refused, so that no
build can copy `/etc/passwd` or `/proc/self/environ` into the site (on CI the
environment holds tokens). Every reader that copies or shows a file checks it here."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from .errors import Problem

#: What a refused path is told, after its name.
LEADS_OUT = "leads outside the site folder"


class Outside(ValueError):
    """A path that leads outside every root it may lie in; its message names where."""


def inside(path: Path, roots: Path | Iterable[Path]) -> Path:
    """`path` resolved (symlinks followed, `..` taken away) when it lies inside one of
    `roots` (resolved too); raises Outside when it leads out of them all, or cannot be
    followed (a loop of symlinks, a NUL character, a name too long)."""
    try:
        resolved = path.resolve()
    except (RuntimeError, OSError) as exc:  # a loop of symlinks (RuntimeError in 3.11)
        raise Outside(f"cannot be followed: {exc}") from None
    except ValueError:  # a NUL character, which no file name holds
        raise Outside("cannot be followed: it holds a NUL character") from None
    try:  # a name too long for the system: told here, not a traceback at is_file()
        resolved.stat()
    except (FileNotFoundError, NotADirectoryError):
        pass  # a file that is not there: the caller says so
    except OSError as exc:
        raise Outside(f"cannot be followed: {exc.strerror}") from None
    for root in [roots] if isinstance(roots, Path) else roots:
        if resolved.is_relative_to(root.resolve()):
            return resolved
    raise Outside(f"{LEADS_OUT} (to {resolved})")


def outside(paths: Iterable[Path], roots: Path | Iterable[Path],
            display: Callable[[Path], str]) -> list[Problem]:
    """A problem `path:1:1: leads outside the site folder (to ...)` for each of `paths`
    that leads out of `roots`: the check of files a reader lists (content/, static/)."""
    kept = [roots] if isinstance(roots, Path) else list(roots)
    problems = []
    for path in paths:
        try:
            inside(path, kept)
        except Outside as exc:
            problems.append(Problem(display(path), 1, 1, f"{exc}: every file the site "
                                    "reads must lie inside its folder"))
    return problems
