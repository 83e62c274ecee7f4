"""Write the built site: new and changed files into a staging folder beside the output,
then put them in place (see `Staging` for the three ways: nothing, a journaled patch,
or the whole-folder swap described here).

Only this module writes files. New files are created only inside its staging folder:
every path is checked to name a file inside it (no '..', no leading '/'), folders are
made by this module, and every file is created new (O_EXCL | O_NOFOLLOW), so no symlink
is ever followed when writing. A patch moves files into the output only through folders
checked to be real folders of it. Files whose bytes did not change are not written and
keep their modification time. The folder is created with the usual permissions (0777
less the umask), like any folder `mkdir` makes.

The swap. The new site is complete in `.NAME.staging-PID-TOKEN` (beside the output, so
on the same file system) before the output is touched. On Linux it is then exchanged
with the output in one atomic step, `renameat2(RENAME_EXCHANGE)`: at every instant the
output path holds the whole old site or the whole new one, never a mix and never
nothing, whatever happens to the process. Where that call is missing (macOS, Windows,
some network file systems) two renames are used, output -> `.NAME.old-PID-TOKEN` then
staging -> output; the output path is missing only between those two system calls
(microseconds), and a build killed right there leaves the previous site whole in
`.NAME.old-…`, which the next build puts back before anything else. (A symlinked
output swapped by one rename was rejected: the output folder would become a link,
which static hosts, upload actions and rsync treat differently from a folder.)

Leftovers. A killed build (SIGKILL, power loss) can leave `.NAME.staging-…` or
`.NAME.old-…` folders beside the output. `clean_leftovers` removes those whose process
is gone, after putting the previous site back if an interrupted swap took it away.

Interruptions. Ctrl-C while files are written removes the staging folder and raises
KeyboardInterrupt; the previous site is untouched. SIGINT and SIGTERM are held back while
the staging folder is removed and during the swap, and delivered when that is done: a
Ctrl-C from the swap on raises KeyboardInterrupt("the new site is complete and in place").
"""

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
from array import array
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from types import FrameType, TracebackType

from .errors import OutputError

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


def write_site(files: Mapping[str, bytes] | Iterable[tuple[str, bytes]], output: Path) -> int:
    """Write `files` (relative POSIX path -> bytes, or such pairs as they are rendered)
    as the new contents of `output`; see `Staging` for how. Returns how many files are
    new or changed. Raises OutputError, leaving the previous site as it was, if anything
    cannot be written."""
    pairs = files.items() if isinstance(files, Mapping) else files
    with Staging(output) as staging:
        changed = staging.put_all(pairs)
        staging.commit()
    return len(changed)


class Staging:
    """A new site being written beside `output`, then put in its place.

    `put` compares each file with the previous build's and writes only new or changed
    files, into the staging folder (`.NAME.staging-PID-TOKEN`, beside the output).
    `commit` then puts the new site in place in one of three ways:

    - nothing changed and nothing went away: nothing is written at all;
    - a few files changed (at most 1 in 20, the usual edit-and-rebuild): the changed
      files are moved into the output one by one, each by an atomic rename, and the
      files that went away are removed. A `.commit` journal written first lists what goes
      away, so that if the process is killed halfway, the next build finishes the job
      (`clean_leftovers`) rather than leaving a mix of two builds;
    - otherwise the staging folder is completed with hard links to the unchanged files
      and swapped with the output in one step (see the module's description).

    Used as a context manager: leaving it with an error (or Ctrl-C) before `commit`
    removes the staging folder and leaves the previous site untouched. `put` may be
    called from forked processes too (it only writes files; `commit` runs once, in the
    process that made the staging folder, after `add_changed` told it their files).
    """

    def __init__(self, output: Path) -> None:
        self.output = Path(output).resolve()
        self.paths: set[str] = set()
        self.changed: list[str] = []
        # Size and modification time of each file of `changed` in turn, as written: what
        # the build's record (cache.save_build) would otherwise ask the file system for
        # again. An array, not a dict of tuples: 16 bytes a file, not ~200.
        self.written = array("q")
        self._folders: set[str] = set()  # staging folders made so far
        self._real: dict[str, bool] = {"": True}  # output folders that are real folders
        self.folder: Path | None = None

    def __enter__(self) -> Staging:
        try:
            self.output.parent.mkdir(parents=True, exist_ok=True)
            clean_leftovers(self.output)
            self.folder = _new_folder(self.output, "staging")
        except OSError as exc:
            raise _write_error(self.output, exc) from None
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        if self.folder is not None and kind is not None:
            with _HeldSignals():
                shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None
            if isinstance(value, OSError):
                raise _write_error(self.output, value) from None

    def put(self, relative: str, data: bytes | Iterable[bytes]) -> os.stat_result | None:
        """Stage one file, given whole or as chunks (a large page, written as it is
        rendered); when it is new or differs from the previous build's, the staged file's
        status as written, else None."""
        parts = _checked_parts(relative)
        if isinstance(data, bytes) and _unchanged(self.output, relative, data, self._real):
            return None
        assert self.folder is not None
        parent = "/".join(parts[:-1])
        if parent and parent not in self._folders:
            os.makedirs(os.path.join(self.folder, *parts[:-1]), exist_ok=True)
            self._folders.add(parent)
        staged = os.path.join(self.folder, *parts)
        # O_EXCL: a new file, never through an existing file or symlink.
        handle = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
                         | _O_CLOEXEC, 0o666)
        try:
            for chunk in [data] if isinstance(data, bytes) else data:
                _write_all(handle, chunk)
            info = os.fstat(handle)
        finally:
            os.close(handle)
        if not isinstance(data, bytes) and _same_file(self.output, relative, staged,
                                                      self._real):
            os.unlink(staged)
            return None
        return info

    def put_all(self, pairs: Iterable[tuple[str, bytes | Iterable[bytes]]]) -> list[str]:
        """Stage every (path, bytes) pair as it comes; returns the changed paths."""
        changed: list[str] = []
        for relative, data in pairs:
            self._note(relative)
            info = self.put(relative, data)
            if info is not None:
                changed.append(relative)
                self.written.extend((info.st_size, info.st_mtime_ns))
        self.changed += changed
        return changed

    def _note(self, relative: str) -> None:
        if relative in self.paths:
            raise OutputError(f"two files would be written to {relative!r}")
        self.paths.add(relative)

    def add_changed(self, paths: Iterable[str], changed: list[str], written: array) -> None:
        """Count files that another process staged (see `put`), with its `written` for
        the `changed` ones."""
        assert len(written) == 2 * len(changed)
        for relative in paths:
            self._note(relative)
        self.changed += changed
        self.written.extend(written)

    def written_files(self) -> dict[str, tuple[int, int]]:
        """Changed file -> (size, modification time) as written."""
        written = self.written
        return {path: (written[2 * i], written[2 * i + 1])
                for i, path in enumerate(self.changed)}

    def commit(self) -> None:
        """Put the staged site in place (see the class description)."""
        assert self.folder is not None
        staging, output = self.folder, self.output
        try:
            old = _listing(output) if os.path.lexists(output) else None
            removed = sorted(old - self.paths) if old is not None else []
            if old is not None and not self.changed and not removed:
                with _HeldSignals():
                    shutil.rmtree(staging, ignore_errors=True)
                    self.folder = None
                return
            if (old is not None and (len(self.changed) + len(removed)) * 20 <= len(self.paths)
                    and self._patchable(removed)):
                self._patch(removed)
                return
            self._link_unchanged()
            _write_marker(staging, output)
        except OSError as exc:
            raise _write_error(output, exc) from None
        with _HeldSignals() as held:
            moved = _swap(staging, output)
            self.folder = None
            held.message = COMPLETE
            if moved is not None:
                shutil.rmtree(moved, ignore_errors=True)

    def _patchable(self, removed: list[str]) -> bool:
        """Whether the output can be patched in place: every changed file's folder is a
        real folder of the output (or missing), never a symlink to elsewhere, and no
        changed file is a folder in the output."""
        for relative in [*self.changed, *removed]:
            parts = relative.split("/")
            for depth in range(1, len(parts)):
                folder = os.path.join(self.output, *parts[:depth])
                try:
                    info = os.lstat(folder)
                except FileNotFoundError:
                    break
                if not stat.S_ISDIR(info.st_mode):
                    return False
            try:  # and the file itself is not a folder now (a rename could not replace it)
                if stat.S_ISDIR(os.lstat(os.path.join(self.output, *parts)).st_mode):
                    return False
            except FileNotFoundError:
                pass
        return True

    def _patch(self, removed: list[str]) -> None:
        assert self.folder is not None
        journal = self.folder / JOURNAL
        with open(self.folder / (JOURNAL + ".new"), "x", encoding="utf-8") as handle:
            handle.write("".join(f"{relative}\n" for relative in removed))
        with _HeldSignals() as held:
            os.rename(self.folder / (JOURNAL + ".new"), journal)  # from here on: roll forward
            held.message = COMPLETE
            _roll_forward(self.folder, self.output)
            self.folder = None

    def _link_unchanged(self) -> None:
        """Complete the staging folder with the previous build's unchanged files, as hard
        links (which keep their modification times), or copies where links fail."""
        assert self.folder is not None
        changed = set(self.changed)
        for relative in sorted(self.paths - changed):
            parts = relative.split("/")
            source = os.path.join(self.output, *parts)
            target = os.path.join(self.folder, *parts)
            parent = "/".join(parts[:-1])
            if parent and parent not in self._folders:
                os.makedirs(os.path.dirname(target), exist_ok=True)
                self._folders.add(parent)
            try:
                os.link(source, target, follow_symlinks=False)
            except OSError:
                shutil.copy2(source, target, follow_symlinks=False)


JOURNAL = ".commit"
_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def _write_all(handle: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(handle, view):]


def _write_marker(staging: Path, output: Path) -> None:
    with open(staging / MARKER, "xb") as handle:
        handle.write(MARKER_TEXT)
    previous = _unchanged(output, MARKER, MARKER_TEXT, {"": True})  # keeps its time too
    if previous is not None:
        os.utime(staging / MARKER, ns=(previous.st_atime_ns, previous.st_mtime_ns))


def _roll_forward(staging: Path, output: Path) -> None:
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


def _listing(output: Path) -> set[str]:
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
            _roll_forward(path, output)  # a patch killed halfway: finish it
        else:
            shutil.rmtree(path, ignore_errors=True)


# -- writing ---------------------------------------------------------------------------------


def _new_folder(output: Path, kind: str) -> Path:
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


def _checked_parts(relative: str) -> list[str]:
    """The folder and file names of `relative`; OutputError unless it names a file inside
    the output folder (no '..', no leading '/', not the marker)."""
    parts = relative.split("/")
    if (
        not relative
        or relative.startswith("/")
        or "\\" in relative
        or "\x00" in relative
        or any(part in ("", ".", "..") for part in parts)
        or relative == MARKER
    ):
        raise OutputError(
            f"refusing to write {relative!r}: expected a relative path of folder and file "
            f"names inside the output folder (no '..', no leading '/', not {MARKER})"
        )
    return parts


def _same_file(output: Path, relative: str, staged: str, real: dict[str, bool]) -> bool:
    """Whether the previous build's file holds the same bytes as the staged file."""
    path = _previous(output, relative, real)
    try:
        if path is None:
            return False
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size != os.lstat(staged).st_size:
            return False
        with open(path, "rb") as old, open(staged, "rb") as new:
            while True:
                block = old.read(1 << 20)
                if block != new.read(1 << 20):
                    return False
                if not block:
                    return True
    except OSError:
        return False


def _previous(output: Path, relative: str, real: dict[str, bool]) -> str | None:
    """Where the previous build's `relative` is, when every folder on the way is a real
    folder, not a symlink (`real` remembers which folders were checked)."""
    parts = relative.split("/")
    for depth in range(1, len(parts)):
        folder = "/".join(parts[:depth])
        if folder not in real:
            try:
                real[folder] = stat.S_ISDIR(os.lstat(os.path.join(output, folder)).st_mode)
            except OSError:
                real[folder] = False
        if not real[folder]:
            return None
    return os.path.join(output, *parts)


def _unchanged(output: Path, relative: str, data: bytes,
               real: dict[str, bool]) -> os.stat_result | None:
    """The previous build's file when it holds exactly `data`: a regular file reached
    without following any symlink."""
    path = _previous(output, relative, real)
    if path is None:
        return None
    try:
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size != len(data):
            return None
        with open(path, "rb") as handle:
            return info if handle.read() == data else None
    except OSError:
        return None


def _write_error(output: Path, exc: OSError) -> OutputError:
    where = f" ({exc.filename})" if exc.filename else ""
    return OutputError(
        f"could not write the site into {output}: {exc.strerror or exc}{where}; expected "
        f"a writable folder with free space at {output.parent}; the previous site is left "
        "as it was"
    )


# -- swapping --------------------------------------------------------------------------------


def _swap(staging: Path, output: Path) -> Path | None:
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


class _HeldSignals:
    """Hold SIGINT and SIGTERM back inside a block and deliver them at its end (main thread
    only: elsewhere Python delivers no signals anyway). A held SIGINT with the default
    handler is raised as KeyboardInterrupt(message) when a message is set."""

    def __init__(self) -> None:
        self.held: list[int] = []
        self.message = ""
        self._previous: dict[int, object] = {}

    def _hold(self, signum: int, frame: FrameType | None) -> None:
        self.held.append(signum)

    def __enter__(self) -> _HeldSignals:
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
