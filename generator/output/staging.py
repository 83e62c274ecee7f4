"""Staging: a new site written beside the output, compared file by file with the
previous build's, then put in place (see the package's description)."""

from __future__ import annotations

import os
import shutil
import stat
from array import array
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import TracebackType
from typing import NamedTuple

from ..errors import OutputError
from . import folders
from .folders import COMPLETE, JOURNAL, MARKER, MARKER_TEXT, HeldSignals, clean_leftovers


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


class Staged(NamedTuple):
    """What one process staged: every path, the changed ones, and the size and
    modification time of each changed file as written (see `Staging.written`)."""

    paths: list[str]
    changed: list[str]
    written: array


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
    process that made the staging folder, after `merge` told it their files).
    """

    def __init__(self, output: Path) -> None:
        self.output = Path(output).resolve()
        self.paths: set[str] = set()
        self.changed: list[str] = []
        # Size and modification time of each file of `changed` in turn, as written: what
        # the build's record (buildcache.save_build) would otherwise ask the file system for
        # again. An array, not a dict of tuples: 16 bytes a file, not ~200.
        self.written = array("q")
        self._folders: set[str] = set()  # staging folders made so far
        self._real: dict[str, bool] = {"": True}  # output folders that are real folders
        self.folder: Path | None = None

    def __enter__(self) -> Staging:
        try:
            self.output.parent.mkdir(parents=True, exist_ok=True)
            clean_leftovers(self.output)
            self.folder = folders.new_folder(self.output, "staging")
        except OSError as exc:
            raise folders.write_error(self.output, exc) from None
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        if self.folder is not None and kind is not None:
            with HeldSignals():
                shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None
            if isinstance(value, OSError):
                raise folders.write_error(self.output, value) from None

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

    def share(self) -> Staging:
        """A Staging of the same folder that records only what is put through it: what a
        forked render process stages, told back to the build by `staged` and `merge`."""
        other = Staging.__new__(Staging)
        other.output, other.folder = self.output, self.folder
        other.paths, other.changed, other.written = set(), [], array("q")
        other._folders, other._real = set(self._folders), dict(self._real)
        return other

    def staged(self) -> Staged:
        """What was put through this Staging: every path, and the changed ones."""
        return Staged(sorted(self.paths), self.changed, self.written)

    def merge(self, staged: Staged) -> None:
        """Count files that another process staged (through a `share`)."""
        assert len(staged.written) == 2 * len(staged.changed)
        for relative in staged.paths:
            self._note(relative)
        self.changed += staged.changed
        self.written.extend(staged.written)

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
            old = folders.listing(output) if os.path.lexists(output) else None
            removed = sorted(old - self.paths) if old is not None else []
            if old is not None and not self.changed and not removed:
                with HeldSignals():
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
            raise folders.write_error(output, exc) from None
        with HeldSignals() as held:
            moved = folders.swap(staging, output)
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
        with HeldSignals() as held:
            os.rename(self.folder / (JOURNAL + ".new"), journal)  # from here on: roll forward
            held.message = COMPLETE
            folders.roll_forward(self.folder, self.output)
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


_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def _write_marker(staging: Path, output: Path) -> None:
    with open(staging / MARKER, "xb") as handle:
        handle.write(MARKER_TEXT)
    previous = _unchanged(output, MARKER, MARKER_TEXT, {"": True})  # keeps its time too
    if previous is not None:
        os.utime(staging / MARKER, ns=(previous.st_atime_ns, previous.st_mtime_ns))


def _write_all(handle: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(handle, view):]


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
