"""Watching the site's files (watchdog, or polling): changed paths collected, clutter and
the output ignored, and a burst of saves taken as one after QUIET_SECONDS of quiet."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler

QUIET_SECONDS = 0.03  # saves closer together than this are one rebuild (bench/serve.py)
# Clutter, and the build cache (`build` run beside a running `serve` changes no input).
_IGNORED_NAMES = {"__pycache__", ".git", ".hg", ".svn", "node_modules", ".venv",
                  ".scholarfolio-cache"}


class Changes(FileSystemEventHandler):
    """Collects changed paths and wakes the rebuild thread; ignores output and clutter."""

    def __init__(self, root: Path, ignored: list[Path]):
        self.root = root
        self.ignored = ignored
        self.paths: set[str] = set()
        self.lock = threading.Lock()
        self.event = threading.Event()
        self.last = 0.0

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory or event.event_type in ("opened", "closed_no_write"):
            return
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            if raw and self._relevant(Path(str(raw))):
                with self.lock:
                    self.paths.add(self._label(Path(str(raw))))
                    self.last = time.monotonic()
                self.event.set()

    def _relevant(self, path: Path) -> bool:
        if any(part in _IGNORED_NAMES for part in path.parts):
            return False
        name = path.name
        if name.endswith(("~", ".swp", ".swx", ".tmp")) or name.startswith(".#") or name == "4913":
            return False
        return not any(path == folder or path.is_relative_to(folder) for folder in self.ignored)

    def _label(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def take_after_quiet(self, stop: threading.Event) -> set[str] | None:
        """Wait for changes, then for QUIET_SECONDS without any; return the paths."""
        while not stop.is_set():
            if not self.event.wait(0.25):
                continue
            while True:
                with self.lock:
                    wait = self.last + QUIET_SECONDS - time.monotonic()
                if wait <= 0:
                    break
                time.sleep(wait)
            with self.lock:
                paths, self.paths = self.paths, set()
                self.event.clear()
            # An editor's temporary file, created and renamed away, is not news.
            lasting = {p for p in paths if (self.root / p).exists()}
            if paths:
                return lasting or paths
        return None
