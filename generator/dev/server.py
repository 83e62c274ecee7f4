"""`serve`: a live-reload preview. Watches the site's files (watchdog), rebuilds what
changed after 0.1 s of quiet, serves the last good build from memory and tells open
pages to reload (livereload's websocket protocol and client script).

The site is served from memory, as Hugo's server does: a rebuild swaps in a whole
new snapshot, so a request never sees a half-written site, nothing is written to
disk (no temporary folders to leave behind), and a URL can only ever name a built
file, never one outside the site. A failed rebuild keeps the last good snapshot and
adds an overlay with the error to every page until the next good save.

Only this module imports watchdog, livereload and tornado.
"""

from __future__ import annotations

import errno
import html
import logging
import mimetypes
import operator
import signal
import threading
import time
import webbrowser
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import tornado.ioloop
import tornado.web
from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from .build import assemble_site, load_site
from .config import CONFIG_NAME, SiteConfig
from .errors import SiteError
from .incremental import Deferred, IncrementalRenderer
from .pipeline import fewer_collections
from .profile import ProfileCache
from .render import make_environment
from .site import ModelCache
from .themes import load_theme

QUIET_SECONDS = 0.1  # a burst of saves closer together than this is one rebuild
# Clutter, and the build cache (`build` run beside a running `serve` changes no input).
_IGNORED_NAMES = {"__pycache__", ".git", ".hg", ".svn", "node_modules", ".venv",
                  ".scholarfolio-cache"}
_TEXT_TYPES = {"text/html", "text/css", "text/plain", "application/javascript",
               "text/javascript", "application/json", "application/xml", "text/xml",
               "image/svg+xml", "application/atom+xml"}


@dataclass(frozen=True)
class Snapshot:
    """One build as served: its files, or the error that stopped the latest rebuild."""

    files: dict[str, bytes | Deferred] = field(default_factory=dict)
    base_path: str = "/"
    error: str | None = None  # plain text of the latest failed rebuild
    version: int = 0
    moved: dict[str, str] = field(default_factory=dict)  # old page file -> its new URL path

    def read(self, path: str) -> bytes | None:
        """The bytes of the file at `path` (relative to the site), None if there is none."""
        data = self.files.get(path)
        return data.read() if isinstance(data, Deferred) else data


class Preview:
    """Keeps the latest good build in memory and rebuilds incrementally on demand."""

    def __init__(self, root: Path, overrides: dict[str, Any], log=print):
        self.root = root.resolve()
        self.overrides = overrides
        self.log = log
        self.snapshot = Snapshot()
        self._renderer: IncrementalRenderer | None = None
        self._views = ModelCache()  # the last model, paper views, BibTeX keys
        self._papers = ProfileCache()  # the last parse, parsed papers and slugs
        self._env_key: tuple[Any, ...] | None = None
        self.config: SiteConfig | None = None
        self._lock = threading.Lock()
        self._papers_shown: tuple[Any, ...] = ()  # the papers of the last good build

    def rebuild(self, reason: str) -> bool:
        """Build again; on success swap the snapshot, on failure keep it and record the error."""
        with self._lock:
            started = time.perf_counter()
            try:
                with fewer_collections():
                    written = self._build()
            except SiteError as exc:
                self.snapshot = Snapshot(self.snapshot.files, self.snapshot.base_path, str(exc),
                                         self.snapshot.version + 1, self.snapshot.moved)
                self.log(f"{reason}: build failed, still serving the last good site\n{exc}")
                return False
            ms = (time.perf_counter() - started) * 1000
            self.log(f"{reason}: {written} page{'s' if written != 1 else ''} written "
                     f"in {ms:.0f} ms")
            return True

    def _build(self) -> int:
        config, profile, warnings = load_site(self.root, self.overrides, self._papers)
        for warning in warnings:
            self.log(warning.format())
        theme = load_theme(config.theme, config.root)
        # The loader searches the folders that exist when it is made: a new templates/
        # folder (or theme folder) means a new environment.
        folders = [config.root / "templates", *theme.template_dirs]
        env_key = (config.root, config.theme, tuple(theme.folders),
                   tuple(folder.is_dir() for folder in folders))
        if self._renderer is None or env_key != self._env_key:
            env = make_environment(config.root / "templates", theme)
            self._renderer = IncrementalRenderer(env, defer_files=True)
            self._env_key = env_key
        renderer = self._renderer
        model, statics = assemble_site(config, profile, theme, views=self._views)
        files, rendered = renderer.render(model, self._views.patch)
        files.update((path, source.read_bytes()) for path, source in statics.items())
        changed = sum(1 for name in (*rendered, *statics)
                      if name.endswith(".html") and self.snapshot.files.get(name) != files[name])
        self.config = config
        self.snapshot = Snapshot(files, config.base_path, None, self.snapshot.version + 1,
                                 self._moved(profile.papers))
        return changed

    def _moved(self, papers) -> dict[str, str]:
        """Old paper pages whose title (so slug) changed point to the new page, so a page
        open in the browser follows its paper when it reloads. A paper is known by what a
        new title leaves as it was (date, category, authors, abstract), not by its line:
        a paper added above moves every line."""
        moved = dict(self.snapshot.moved)
        before, self._papers_shown = self._papers_shown, papers
        if len(before) == len(papers) and all(map(operator.is_, before, papers)):
            return moved  # the very same records
        slugs = {paper.slug for paper in papers}
        gone = [paper for paper in before if paper.slug not in slugs]
        if not gone:
            return moved
        had = {paper.slug for paper in before}
        new = {_same_paper(paper): paper.slug for paper in papers if paper.slug not in had}
        for paper in gone:
            slug = new.get(_same_paper(paper))
            if slug is not None:
                moved[f"papers/{paper.slug}/index.html"] = f"papers/{slug}/"
        for old_file, target in moved.items():  # a page renamed twice points to the latest
            moved[old_file] = moved.get(f"{target}index.html", target)
        return moved


def _same_paper(paper) -> tuple[Any, ...]:
    """What a paper keeps when only its title is edited."""
    return (paper.date, paper.category, paper.authors, paper.abstract)


# -- watching --------------------------------------------------------------------------


class _Changes(FileSystemEventHandler):
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


# -- HTTP ------------------------------------------------------------------------------


def _overlay(error: str) -> str:
    return (
        '<div id="scholarfolio-error" role="alert" style="position:fixed;inset:0;'
        "z-index:2147483647;overflow:auto;background:rgba(24,10,10,.94);color:#fff;"
        'padding:2rem;font:15px/1.5 ui-monospace,monospace">'
        '<p style="margin:0 0 1rem;font:700 18px/1.3 system-ui,sans-serif;color:#fca5a5">'
        "The build failed: the page below is the last good site. Fix the file and save.</p>"
        f'<pre style="margin:0;white-space:pre-wrap">{html.escape(error)}</pre></div>'
    )


_LIVE_SCRIPT = b'<script src="/livereload.js?port=PORT"></script>'
_NO_SITE = ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<title>Build failed</title></head><body></body></html>")


class _SiteHandler(tornado.web.RequestHandler):
    preview: Preview
    port: int

    def compute_etag(self) -> None:
        return None

    async def head(self, path: str) -> None:
        await self.get(path)

    async def get(self, path: str) -> None:
        snapshot = self.preview.snapshot
        raw_path = self.request.path
        decoded = unquote(raw_path)
        base = snapshot.base_path
        if not snapshot.files:  # nothing has ever built: show the error alone
            self._send(500, "text/html", _NO_SITE.encode(), snapshot)
            return
        segments = decoded.split("/")
        if any(s in ("..", ".") or "\\" in s or "\0" in s for s in segments):
            self._not_found(snapshot)
            return
        if decoded in ("/", base.rstrip("/")) and base != decoded:
            self.redirect(base, permanent=False)
            return
        if not decoded.startswith(base):
            self._not_found(snapshot)
            return
        relative = decoded[len(base):]
        if relative == "" or relative.endswith("/"):
            relative += "index.html"
        found = snapshot.files.get(relative)
        if isinstance(found, Deferred) and not found.ready:
            # Made in a thread: papers.json of a large site takes a while, and the other
            # requests (and the reload socket) go on meanwhile.
            await tornado.ioloop.IOLoop.current().run_in_executor(None, found.read)
        data = snapshot.read(relative)
        if data is None:
            if f"{relative}/index.html" in snapshot.files:
                self.redirect(raw_path + "/", permanent=True)
                return
            if relative in snapshot.moved:
                self.redirect(base + snapshot.moved[relative], permanent=False)
                return
            self._not_found(snapshot)
            return
        kind = mimetypes.guess_type(relative)[0] or "application/octet-stream"
        self._send(200, kind, data, snapshot)

    def _not_found(self, snapshot: Snapshot) -> None:
        page = snapshot.files.get("404.html", b"<!DOCTYPE html><title>Not found</title>")
        self._send(404, "text/html", page, snapshot)

    def _send(self, status: int, kind: str, data: bytes, snapshot: Snapshot) -> None:
        self.set_status(status)
        charset = "; charset=utf-8" if kind in _TEXT_TYPES or kind.startswith("text/") else ""
        self.set_header("Content-Type", kind + charset)
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")
        if kind == "text/html":
            extra = _LIVE_SCRIPT.replace(b"PORT", str(self.port).encode())
            if snapshot.error:
                extra += _overlay(snapshot.error).encode("utf-8")
            cut = data.rfind(b"</body>")
            data = data + extra if cut < 0 else data[:cut] + extra + data[cut:]
        if self.request.method != "HEAD":
            self.write(data)
        else:
            self.set_header("Content-Length", str(len(data)))


def _reload_browsers() -> None:
    """Tell every connected page to reload (livereload protocol 7)."""
    message = {"command": "reload", "path": "*", "liveCSS": False, "liveImg": False}
    for waiter in list(LiveReloadHandler.waiters):
        try:
            waiter.write_message(message)
        except Exception:  # a page that went away
            LiveReloadHandler.waiters.discard(waiter)


def serve(root: Path, overrides: dict[str, Any], host: str = "127.0.0.1", port: int = 8000,
          open_browser: bool = False, poll: bool = False, log=print) -> int:
    """Build, serve and rebuild on change until Ctrl-C; returns the exit code."""
    logging.getLogger("tornado.access").setLevel(logging.ERROR)
    preview = Preview(root, overrides, log)
    preview.rebuild("Built")
    _SiteHandler.preview = preview
    _SiteHandler.port = port
    app = tornado.web.Application([
        (r"/livereload", LiveReloadHandler),
        (r"/livereload\.js", LiveReloadJSHandler),
        (r"(.*)", _SiteHandler),
    ])
    loop = tornado.ioloop.IOLoop.current()
    try:
        server = app.listen(port, address=host)
    except OSError as exc:
        if exc.errno in (errno.EADDRINUSE, errno.EACCES):
            state = "in use" if exc.errno == errno.EADDRINUSE else "not allowed"
            raise SiteError(f"port {port} on {host} is {state} (is another server running?); "
                            f"choose another port with --port, e.g. scholarfolio serve "
                            f"-p {port + 1}") from None
        raise SiteError(f"cannot listen on {host}:{port}: {exc.strerror}") from None

    output = (preview.config.output if preview.config else root / "_site").resolve()
    changes = _Changes(root.resolve(), [output])
    observer = PollingObserver(timeout=0.25) if poll else Observer()
    observer.schedule(changes, str(root.resolve()), recursive=True)
    theme_folders = _outside_theme_folders(preview, root.resolve())
    for folder in theme_folders:
        observer.schedule(changes, str(folder), recursive=True)
    observer.start()
    stop = threading.Event()

    def rebuild_loop() -> None:
        while True:
            paths = changes.take_after_quiet(stop)
            if paths is None:
                return
            label = ", ".join(sorted(paths)[:3]) + (f" and {len(paths) - 3} more"
                                                    if len(paths) > 3 else "")
            if CONFIG_NAME in paths:
                preview._renderer = None  # settings change everything: rebuild all
            preview.rebuild(f"{label} changed")
            loop.add_callback(_reload_browsers)

    worker = threading.Thread(target=rebuild_loop, name="rebuild", daemon=True)
    worker.start()
    shown_host = "127.0.0.1" if host in ("", "0.0.0.0") else host
    url = f"http://{shown_host}:{port}{preview.snapshot.base_path}"
    # Ctrl-C stops the loop from inside it, so shutdown runs in order whenever it comes.
    # The event loop's own handler wakes the loop through its wakeup file, so a signal
    # that the kernel hands to another thread (watchdog's, the rebuild thread) still
    # stops a loop asleep in select(); a plain signal.signal handler would wait for it.
    loop.asyncio_loop.add_signal_handler(signal.SIGINT, loop.stop)
    log(f"Serving {url} (Ctrl-C to stop)")
    if open_browser:
        webbrowser.open(url)
    try:
        loop.start()
    finally:
        loop.asyncio_loop.remove_signal_handler(signal.SIGINT)
        stop.set()
        observer.stop()
        server.stop()
        observer.join(timeout=2)
        worker.join(timeout=2)
    log("Stopped.")
    return 0


def _outside_theme_folders(preview: Preview, root: Path) -> list[Path]:
    """Theme folders outside the site (the built-in themes) are watched too."""
    if preview.config is None:
        return []
    try:
        theme = load_theme(preview.config.theme, preview.config.root)
    except SiteError:
        return []
    return [folder for folder in theme.folders if not folder.is_relative_to(root)]
