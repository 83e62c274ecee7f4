"""The output folder and its neighbours: which folders a build may replace, the marker
it leaves, the atomic swap, the journal of a patch, and the leftovers of a killed build
(see the package's description)."""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
import signal
import stat
import sys
import threading
import time
from functools import cache
from pathlib import Path
from types import FrameType, TracebackType

from ..errors import OutputError

MARKER = ".scholarfolio"
MARKER_TEXT = b"This folder is written by scholarfolio build; it is replaced on every build.\n"
_KINDS = ("staging", "old")
_HELD_SIGNALS = (signal.SIGINT, signal.SIGTERM)
COMPLETE = "the new site is complete and in place"


def check_output_folder(output: Path, site_root: Path, protected: list[Path]) -> None:
    """Refuse output folders whose replacement would lose someone's files."""
    output = output.resolve()
    site_root = site_root.resolve()
    home = Path.home().resolve()
    why = None
    if output == Path(output.anchor):
        why = "it is the file system root"
    elif output == home:
        why = "it is your home folder"
    elif site_root.is_relative_to(output):
        why = "it is the site folder" if output == site_root else "it holds the site folder"
    else:
        for path in protected:
            path = path.resolve()
            if output == path or output.is_relative_to(path) or path.is_relative_to(output):
                why = f"it overlaps {path}, which the build reads"
                break
    if why:
        raise OutputError(
            f"will not write the site into {output}: {why}; set 'output:' in "
            "site.yaml (or --output) to a folder of its own, such as _site"
        )
    if output.exists() and not output.is_dir():
        raise OutputError(
            f"will not write the site into {output}: it is a file, not a folder; "
            "remove it or choose another output folder"
        )
    if output.is_dir() and not has_marker(output) and any(output.iterdir()):
        raise OutputError(
            f"will not replace {output}: it holds files that scholarfolio did not "
            f"write (there is no {MARKER} marker from an earlier build); empty or "
            "remove it, or choose another output folder"
        )


def has_marker(folder: Path) -> bool:
    """Whether `folder` holds the marker of an earlier build (a regular file, not a link)."""
    try:
        return stat.S_ISREG(os.lstat(folder / MARKER).st_mode)
    except OSError:
        return False


JOURNAL = ".commit"


def roll_forward(staging: Path, output: Path) -> None:
    """Move every file staged in `staging` into `output` (atomic renames), remove what the
    journal lists, then the staging folder: what `commit` does, and what the next build
    does for a commit that was killed halfway."""
    try:
        removed = (staging / JOURNAL).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        removed = []
    for folder, _, names in os.walk(staging):
        relative_folder = os.path.relpath(folder, staging)
        for name in names:
            if folder == str(staging) and name.startswith(JOURNAL):
                continue
            relative = name if relative_folder == "." else f"{relative_folder}/{name}"
            target = os.path.join(output, *relative.split("/"))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            os.replace(os.path.join(folder, name), target)
    emptied = set()
    for relative in removed:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(os.path.join(output, *relative.split("/")))
        emptied.add(relative.rpartition("/")[0])
    for relative in sorted(emptied, key=lambda r: -r.count("/")):
        parts = relative.split("/")
        while relative and parts:  # remove folders the removals left empty
            try:
                os.rmdir(os.path.join(output, *parts))
            except OSError:
                break
            parts.pop()
    shutil.rmtree(staging, ignore_errors=True)


def listing(output: Path) -> set[str]:
    """Every file of the previous build (relative paths; links are entries, not followed),
    without the marker."""
    found = set()
    base = len(str(output)) + 1
    stack = [str(output)]
    while stack:
        folder = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                else:
                    found.add(entry.path[base:].replace(os.sep, "/"))
    found.discard(MARKER)
    return found


def clean_leftovers(output: Path) -> None:
    """Remove what killed builds of `output` left beside it (folders of processes that are
    gone); first, if the output folder is missing and a swap was interrupted, put the
    previous site back."""
    output = Path(output).resolve()
    stale = [(kind, path) for kind, path, pid in _leftovers(output) if not _running(pid, path)]
    if not os.path.lexists(output):
        olds = [path for kind, path in stale if kind == "old" and has_marker(path)]
        if olds:
            newest = max(olds, key=lambda path: path.stat().st_mtime_ns)
            try:
                os.rename(newest, output)
            except OSError as exc:
                raise OutputError(
                    f"could not put the previous site back from {newest} into {output} "
                    f"(a killed build had moved it aside): {exc.strerror or exc}; move it "
                    "back by hand, then build again"
                ) from None
            stale = [(kind, path) for kind, path in stale if path != newest]
    for kind, path in stale:
        if kind == "staging" and os.path.isdir(output) and os.path.exists(path / JOURNAL):
            roll_forward(path, output)  # a patch killed halfway: finish it
        else:
            shutil.rmtree(path, ignore_errors=True)


# -- writing ---------------------------------------------------------------------------------


def new_folder(output: Path, kind: str) -> Path:
    """A new, empty `.NAME.KIND-PID-TOKEN` folder beside the output."""
    while True:
        path = _sibling(output, kind)
        try:
            path.mkdir()
            return path
        except FileExistsError:
            continue


def _sibling(output: Path, kind: str) -> Path:
    return output.parent / f".{output.name}.{kind}-{os.getpid()}-{secrets.token_hex(4)}"


def write_error(output: Path, exc: OSError) -> OutputError:
    where = f" ({exc.filename})" if exc.filename else ""
    return OutputError(
        f"could not write the site into {output}: {exc.strerror or exc}{where}; expected "
        f"a writable folder with free space at {output.parent}; the previous site is left "
        "as it was"
    )


# -- swapping --------------------------------------------------------------------------------


def swap(staging: Path, output: Path) -> Path | None:
    """Put `staging` in place of `output`; returns the folder now holding the old site."""
    if not os.path.lexists(output):
        os.rename(staging, output)
        return None
    if _exchange(staging, output):
        return staging
    old = _sibling(output, "old")
    os.rename(output, old)
    try:
        os.rename(staging, output)
    except BaseException:
        os.rename(old, output)
        raise
    return old


@cache
def _renameat2():
    if not sys.platform.startswith("linux"):
        return None
    import ctypes  # ~7 ms: only when a build exchanges folders

    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                         ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders atomically (Linux renameat2); False where that is not possible,
    so the caller falls back to two renames (which report any real error)."""
    function = _renameat2()
    if function is None:
        return False
    result = function(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    return result == 0


# -- leftovers -------------------------------------------------------------------------------


def _leftovers(output: Path) -> list[tuple[str, Path, int | None]]:
    """(kind, folder, process id) of every `.NAME.staging-…` and `.NAME.old-…` folder."""
    found = []
    try:
        entries = list(os.scandir(output.parent))
    except OSError:
        return []
    for entry in entries:
        for kind in _KINDS:
            prefix = f".{output.name}.{kind}-"
            if entry.name.startswith(prefix) and entry.is_dir(follow_symlinks=False):
                pid_text = entry.name[len(prefix) :].split("-", 1)[0]
                pid = int(pid_text) if pid_text.isdigit() and len(pid_text) < 10 else None
                found.append((kind, Path(entry.path), pid))
    return sorted(found, key=lambda item: item[1].name)


def _running(pid: int | None, folder: Path) -> bool:
    """Whether the build that made `folder` may still be running."""
    if pid is None:  # not a name this version writes: an older version's leftover
        return False
    if pid == os.getpid():
        return True
    if os.name != "posix":  # no cheap check: a leftover older than a day is stale
        try:
            return time.time() - folder.stat().st_mtime < 86400
        except OSError:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError as exc:
        return exc.errno == errno.EPERM  # alive, owned by someone else
    return True


# -- signals ---------------------------------------------------------------------------------


class HeldSignals:
    """Hold SIGINT and SIGTERM back inside a block and deliver them at its end (main thread
    only: elsewhere Python delivers no signals anyway). A held SIGINT with the default
    handler is raised as KeyboardInterrupt(message) when a message is set."""

    def __init__(self) -> None:
        self.held: list[int] = []
        self.message = ""
        self._previous: dict[int, object] = {}

    def _hold(self, signum: int, frame: FrameType | None) -> None:
        self.held.append(signum)

    def __enter__(self) -> HeldSignals:
        if threading.current_thread() is threading.main_thread():
            for signum in _HELD_SIGNALS:
                previous = signal.getsignal(signum)
                if previous is not None:
                    self._previous[signum] = signal.signal(signum, self._hold)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)  # type: ignore[arg-type]
        for signum in dict.fromkeys(self.held):
            if signum == signal.SIGINT and self._previous[signum] is signal.default_int_handler:
                raise KeyboardInterrupt(*([self.message] if self.message else []))
            signal.raise_signal(signum)
