"""The site's input folders listed so that nothing is skipped in silence: a folder that is
not there is empty, but a file where a folder is expected, or a folder that cannot be
listed (no permission), is an error `path:1:1: what went wrong`, as a file that cannot be
read is (errors.cannot_read). Used for content/ and its folders, static/, templates/ and
every theme's folders."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import Problem, SiteError


def is_folder(folder: Path, shown: str) -> bool:
    """Whether `folder` is there: False when nothing is; a SiteError when something other
    than a folder is (a file named `static`), or it cannot be looked at."""
    try:
        mode = folder.stat().st_mode
    except FileNotFoundError:  # (a symlink to nothing too: containment refuses it later)
        return False
    except OSError as exc:
        raise SiteError([unlistable(shown, exc)]) from None
    if not stat.S_ISDIR(mode):
        raise SiteError([Problem(shown, 1, 1, "cannot read (a file, expected a folder)")])
    return True


def names(folder: Path, shown: str) -> list[str]:
    """The names in `folder`, sorted; none when it is not there (see `is_folder`)."""
    if not is_folder(folder, shown):
        return []
    try:
        with os.scandir(folder) as entries:
            return sorted(entry.name for entry in entries)
    except OSError as exc:
        raise SiteError([unlistable(shown, exc)]) from None


def files_under(folder: Path, shown: str) -> list[Path]:
    """Every path under `folder` that is no folder, sorted, each folder listed or reported
    (a symlink to a folder is not followed, as `Path.rglob` does not); `shown` names
    `folder` in messages."""
    found: list[Path] = []
    pending = [(folder, shown)] if is_folder(folder, shown) else []
    while pending:
        current, named = pending.pop()
        for name in names(current, named):
            path = current / name
            if path.is_dir() and not path.is_symlink():
                pending.append((path, f"{named}/{name}"))
            else:
                found.append(path)
    return sorted(found)


def unlistable(shown: str, exc: OSError) -> Problem:
    """The one message of a folder that cannot be listed: `path:1:1: cannot read (why)`."""
    return Problem(shown, 1, 1, f"cannot read ({exc.strerror or type(exc).__name__})")
