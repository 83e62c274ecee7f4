"""`serve`: a live-reload preview over HTTP. Watches the site's files (watch.py), rebuilds
what changed after 30 ms of quiet (preview.py), serves the last good build from memory and
tells open pages to reload (livereload's websocket protocol and client script).

The site is served from memory, as Hugo's server does: a rebuild swaps in a whole
new snapshot, so a request never sees a half-written site, nothing is written to
disk (no temporary folders to leave behind), and a URL can only ever name a built
file, never one outside the site. A failed rebuild keeps the last good snapshot and
adds an overlay with the error to every page until the next good save.

It answers only for its own host names (hosts.py: a request naming another host, as a
DNS-rebinding page does, gets 403), takes the livereload socket only from a page it
served (its `Origin`; a client that sends none, not a browser, is let in: it could read
every page anyway), and ignores a socket message that is not the protocol's JSON.

Only this package imports watchdog, livereload and tornado.
"""

from __future__ import annotations

import errno
import html
import json
import logging
import mimetypes
import signal
import threading
import webbrowser
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import tornado.ioloop
import tornado.web
from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from ..config import CONFIG_NAME
from ..errors import SiteError
from ..themes import load_theme
from .hosts import Hosts, allowed_hosts
from .incremental import Deferred
from .preview import Preview, Snapshot
from .watch import Changes

_TEXT_TYPES = {"text/html", "text/css", "text/plain", "application/javascript",
               "text/javascript", "application/json", "application/xml", "text/xml",
               "image/svg+xml", "application/atom+xml"}


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


class _OwnHostsOnly(tornado.web.RequestHandler):
    """A handler that answers only requests whose `Host` is one of the server's."""

    hosts: Hosts

    def prepare(self) -> None:
        host = self.request.headers.get("Host", "")
        if self.hosts.allows(host):
            return
        self.set_status(403)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.finish(b"" if self.request.method == "HEAD"
                    else self.hosts.refusal(host).encode("utf-8"))


class _ReloadScript(_OwnHostsOnly, LiveReloadJSHandler):
    """livereload's client script, for the server's own hosts."""


class _ReloadSocket(_OwnHostsOnly, LiveReloadHandler):
    """The livereload socket: from the server's own pages only, messages that are not the
    protocol's JSON ignored (livereload's own handler logs a traceback for them)."""

    def check_origin(self, origin: str) -> bool:
        return self.hosts.allows_origin(origin)

    def on_message(self, message: str | bytes) -> None:
        try:
            data = json.loads(message)
        except (ValueError, RecursionError):
            return
        if not isinstance(data, dict):
            return
        if data.get("command") == "hello":
            self.write_message({"command": "hello", "serverName": "scholarfolio",
                                "protocols": ["http://livereload.com/protocols/official-7"]})
        elif data.get("command") == "info" and "url" in data:
            LiveReloadHandler.waiters.add(self)


class _SiteHandler(_OwnHostsOnly):
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
          open_browser: bool = False, poll: bool = False, log=print,
          allow_hosts: list[str] | None = None) -> int:
    """Build, serve and rebuild on change until Ctrl-C; returns the exit code. The server
    answers for `host`'s names (hosts.py) and each of `allow_hosts`."""
    hosts = allowed_hosts(host, port, allow_hosts or [])
    logging.getLogger("tornado.access").setLevel(logging.ERROR)
    preview = Preview(root, overrides, log)
    preview.rebuild("Built")
    _SiteHandler.preview = preview
    _SiteHandler.port = port
    _OwnHostsOnly.hosts = hosts
    app = tornado.web.Application([
        (r"/livereload", _ReloadSocket),
        (r"/livereload\.js", _ReloadScript),
        (r"(.*)", _SiteHandler),
    ], websocket_max_message_size=64 * 1024)  # the protocol's messages are a few lines
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
    changes = Changes(root.resolve(), [output])
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
