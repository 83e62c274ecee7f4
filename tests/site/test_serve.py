"""`scholarfolio serve` over real sockets, with a real browser: live reload on save, the
error overlay, base-path serving like GitHub Pages, path safety, and a clear error for a
port in use."""

from __future__ import annotations

import http.client
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sitekit import REPO

WAIT_MS = 10_000  # bounded waits: a reload that does not come within this fails the test


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A `scholarfolio serve` process on a free port, with its output lines."""

    def __init__(self, site: Path, *args: str, port: int | None = None):
        self.site = site
        self.port = port or free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "-C", str(site), "-p", str(self.port),
             *args],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
        self.lines: list[str] = []
        # Lines are read by a thread, so a wait for a line that never comes times out.
        self._unread: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.wait_for_line("Serving ")

    def _read(self) -> None:
        for line in self.process.stdout:
            self._unread.put(line.rstrip("\n"))
        self._unread.put(None)  # the process ended

    def wait_for_line(self, start: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self._unread.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                break
            self.lines.append(line)
            if line.startswith(start):
                return line
        raise AssertionError(f"no line starting {start!r}; output so far:\n" +
                             "\n".join(self.lines))

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def raw_get(self, path: str) -> tuple[int, dict[str, str], bytes]:
        """GET with the path sent exactly as given (no client-side normalisation)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.putrequest("GET", path, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body

    def stop(self) -> int:
        if self.process.stdout.closed:
            return self.process.returncode
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._reader.join(timeout=10)  # it has read to the end
        while not self._unread.empty():
            line = self._unread.get_nowait()
            if line is not None:
                self.lines.append(line)
        self.process.stdout.close()
        return self.process.returncode


@pytest.fixture
def demo_copy(tmp_path) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    shutil.copytree(REPO / "content", site / "content")
    shutil.copyfile(REPO / "site.yaml", site / "site.yaml")
    return site


@pytest.fixture
def server(demo_copy):
    running = Server(demo_copy)
    yield running
    running.stop()


def edit(path: Path, old: str, new: str) -> None:
    """Save a change the way an editor does: write a temporary file, rename it over."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.replace(temporary, path)


def wait_until_live(page) -> None:
    """Wait for the page's livereload socket to finish its handshake: a save made before that
    sends its reload to nobody, and the page would never follow it."""
    page.wait_for_function("window.LiveReload && LiveReload.connector.protocol > 0",
                           timeout=WAIT_MS)


def open_live(page, url: str) -> None:
    page.goto(url)
    wait_until_live(page)


def test_saving_a_new_title_reloads_the_open_paper_page(server, demo_copy, browser):
    page = browser.new_page()
    try:
        open_live(page, server.url("/publications/"))
        page.click("text=Capabilities of Gemini Models in Medicine")
        page.wait_for_selector("h1:has-text('Capabilities of Gemini Models in Medicine')")
        wait_until_live(page)
        paper_url = page.url
        edit(demo_copy / "content" / "profile.txt", "Capabilities of Gemini Models in Medicine\n",
             "Capabilities of Gemini Models in Medicine, revised\n")
        page.wait_for_selector("h1:has-text('Models in Medicine, revised')", timeout=WAIT_MS)
        # The title gives the slug: the reloaded page followed its paper to the new URL.
        assert page.url == paper_url.replace("-in-medicine/", "-in-medicine-revised/")
        line = server.wait_for_line("content/profile.txt changed")
        # Its page (at its new URL), its neighbours, the publications page, its category and
        # the CV.
        assert re.fullmatch(r"content/profile.txt changed: 6 pages written in \d+ ms", line)
    finally:
        page.close()


def test_a_broken_header_shows_an_overlay_until_the_next_good_save(server, demo_copy, browser):
    profile = demo_copy / "content" / "profile.txt"
    page = browser.new_page()
    try:
        open_live(page, server.url("/"))
        edit(profile, "CVMay 6, 2024\n", "CVMay 6 2024\n")
        overlay = page.wait_for_selector("#scholarfolio-error", timeout=WAIT_MS)
        text = overlay.inner_text()
        assert "content/profile.txt:54:8: expected ', YYYY', 'Code' or the end of the line" in text
        assert page.locator("h1").first.inner_text() == "S. M. Ali Eslami"  # last good site
        assert "build failed, still serving the last good site" in server.wait_for_line(
            "content/profile.txt changed")
        wait_until_live(page)
        edit(profile, "CVMay 6 2024\n", "CVMay 6, 2024\n")
        page.wait_for_selector("#scholarfolio-error", state="detached", timeout=WAIT_MS)
    finally:
        page.close()


def test_error_text_in_the_overlay_is_escaped(server, demo_copy):
    edit(demo_copy / "content" / "profile.txt", "CVMay 6, 2024\n", "<b>CVMay 6 2024\n")
    server.wait_for_line("content/profile.txt changed")
    status, _, body = server.raw_get("/")
    assert status == 200
    overlay = body.decode().split('id="scholarfolio-error"', 1)[1]
    assert "&lt;b&gt;CVMay 6 2024" in overlay and "<b>CVMay" not in overlay


@pytest.mark.parametrize("path", ["/../pyproject.toml", "/%2e%2e/pyproject.toml",
                                  "/%2E%2E/site.yaml", "/assets/..%2f..%2fsite.yaml",
                                  "/papers/../../content/profile.txt", "/%252e%252e/site.yaml",
                                  "/content/profile.txt", "/site.yaml"])
def test_paths_outside_the_site_are_not_found(server, path):
    status, headers, body = server.raw_get(path)
    assert status == 404
    assert b"Page not found" in body and b"[build-system]" not in body


def test_content_types_folders_and_404_as_github_pages_serves_them(server):
    status, headers, body = server.raw_get("/")
    assert (status, headers["content-type"]) == (200, "text/html; charset=utf-8")
    assert b'<script src="/livereload.js?port=' in body
    assert server.raw_get("/assets/style.css")[1]["content-type"] == "text/css; charset=utf-8"
    assert server.raw_get("/assets/favicon.svg")[1]["content-type"].startswith("image/svg+xml")
    status, headers, _ = server.raw_get("/categories")
    assert status == 301 and headers["location"] == "/categories/"
    status, _, body = server.raw_get("/no/such/page/")
    assert status == 404 and b"Page not found" in body


def test_citation_files_are_served_as_a_build_writes_them_and_follow_edits(
        server, demo_copy, tmp_path):
    # The server makes citation files when they are first asked for (incremental.Deferred).
    # (`build` writes its cache beside site.yaml, a change the server must ignore.)
    subprocess.run([sys.executable, "-m", "generator", "build", "-q", "-C", str(demo_copy),
                    "-o", str(tmp_path / "out")], check=True, timeout=60)
    for path in ("papers.bib", "papers.ris", "papers.json", "papers/neural-processes/citation.ris"):
        status, headers, body = server.raw_get("/" + path)
        assert status == 200 and body == (tmp_path / "out" / path).read_bytes(), path
    assert server.raw_get("/papers.json")[1]["content-type"] == "application/json; charset=utf-8"
    time.sleep(0.5)  # longer than the watcher waits for quiet
    edit(demo_copy / "content" / "profile.txt", "A neural network (NN)", "A network (edited)")
    # The next line the server prints is this edit's rebuild: none for the build's cache.
    assert server.wait_for_line("").startswith("content/profile.txt changed: ")
    assert b"A network (edited)" in server.raw_get("/papers.json")[2]
    assert b"A network (edited)" in server.raw_get("/papers/neural-processes/citation.json")[2]


def test_a_project_site_is_served_under_its_base_path(demo_copy):
    running = Server(demo_copy, "--base-url", "https://user.github.io/repo/")
    try:
        url = f"http://127.0.0.1:{running.port}/repo/"
        assert running.lines[-1] == f"Serving {url} (Ctrl-C to stop)"
        status, _, body = running.raw_get("/repo/")
        assert status == 200 and b'href="/repo/assets/style.css"' in body
        assert running.raw_get("/repo")[0] == 302
        assert running.raw_get("/")[1]["location"] == "/repo/"
        assert running.raw_get("/assets/style.css")[0] == 404
        assert running.raw_get("/repo/assets/style.css")[0] == 200
    finally:
        running.stop()


def test_a_port_in_use_gives_a_clear_error(server, demo_copy):
    second = subprocess.run(
        [sys.executable, "-m", "generator", "serve", "-C", str(demo_copy), "-p",
         str(server.port)], capture_output=True, text=True, timeout=60)
    assert second.returncode == 1
    assert second.stderr.endswith(
        f"port {server.port} on 127.0.0.1 is in use (is another server running?); choose "
        f"another port with --port, e.g. scholarfolio serve -p {server.port + 1}\n")
    assert "Traceback" not in second.stderr


def test_ctrl_c_stops_cleanly_and_leaves_no_files(demo_copy):
    before = sorted(p.relative_to(demo_copy) for p in demo_copy.rglob("*"))
    running = Server(demo_copy)
    assert running.stop() == 0
    assert running.lines[-1] == "Stopped."
    assert sorted(p.relative_to(demo_copy) for p in demo_copy.rglob("*")) == before


def test_a_burst_of_saves_is_one_rebuild(server, demo_copy):
    profile = demo_copy / "content" / "profile.txt"
    for n in range(5):
        edit(profile, "Capabilities of Gemini Models in Medicine" + (f" {n - 1}" if n else ""),
             f"Capabilities of Gemini Models in Medicine {n}")
        time.sleep(0.01)
    server.wait_for_line("content/profile.txt changed")
    time.sleep(0.5)
    status, _, body = server.raw_get("/publications/")
    assert b"Capabilities of Gemini Models in Medicine 4" in body
    assert server.stop() == 0
    assert sum("changed:" in line for line in server.lines) == 1, server.lines


# -- under load ------------------------------------------------------------------

CLIENTS = 50
REQUESTS = 2000


def fetch(port: int, path: str) -> tuple[int, bytes, str | None]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read(), response.getheader("Content-Length")
    finally:
        connection.close()


def test_concurrent_requests_during_rebuilds_get_whole_pages(demo_copy):
    server = Server(demo_copy)
    try:
        status, home, _ = fetch(server.port, "/")
        assert status == 200
        paths = ["/", "/categories/", "/categories/CV/", "/404.html", "/assets/style.css",
                 *sorted(set(re.findall(rb'href="(/papers/[^"]+/)"', home)))[:20]]
        paths = [p if isinstance(p, str) else p.decode() for p in paths]
        profile = demo_copy / "content" / "profile.txt"
        stop = threading.Event()
        saves = 0

        def keep_saving() -> None:  # alternate two versions of an abstract, rebuilding each time
            nonlocal saves
            versions = ["Excellence in a wide variety", "Excellence in a broad variety"]
            while not stop.is_set():
                edit(profile, versions[saves % 2], versions[(saves + 1) % 2])
                saves += 1
                time.sleep(0.15)

        saver = threading.Thread(target=keep_saving)
        saver.start()
        try:
            with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
                results = list(pool.map(lambda i: (paths[i % len(paths)],
                                                   *fetch(server.port, paths[i % len(paths)])),
                                        range(REQUESTS)))
        finally:
            stop.set()
            saver.join()
        problems = []
        for path, status, body, length in results:
            if status != 200:
                problems.append(f"{path}: status {status}")
            if length is not None and int(length) != len(body):
                problems.append(f"{path}: {len(body)} bytes of {length}")
            if path.endswith("/") and not body.rstrip().endswith(b"</html>"):
                problems.append(f"{path}: the page is cut short")
        assert not problems, "\n".join(problems[:20])
        assert len(results) == REQUESTS
        server.stop()
        rebuilds = [line for line in server.lines if "changed:" in line]
        assert saves >= 2 and len(rebuilds) >= 2, server.lines  # it really rebuilt meanwhile
    finally:
        server.stop()


def test_a_saved_bibliography_is_served_merged_and_a_bad_one_keeps_the_last_site(
        server, demo_copy):
    # A new .bib in content/ is read on the next rebuild: its new paper gets a page, and
    # the entry that is a profile's paper (same title and year) gives that paper a venue.
    time.sleep(0.5)  # longer than the watcher waits for quiet
    bib = demo_copy / "content" / "more.bib"
    bib.write_text("@inproceedings{vito, title = {Self-Supervised Video Pretraining Yields "
                   "Robust and More Human-Aligned Visual Representations}, author = "
                   "{Parthasarathy, Nikhil}, booktitle = {Advances in Neural Information "
                   "Processing Systems}, year = {2022}}\n"
                   "@article{new, title = {A Paper Only the Bibliography Has}, "
                   "author = {Eslami, S. M. Ali}, journal = {Nature}, year = {2020}}\n",
                   encoding="utf-8")
    assert server.wait_for_line("").startswith("content/more.bib changed: ")
    status, _, body = server.raw_get("/papers/a-paper-only-the-bibliography-has/")
    assert status == 200 and b"Nature" in body
    page = server.raw_get("/papers/self-supervised-video-pretraining-yields-robust-and-more/")[2]
    assert b'name="citation_conference_title" content="Advances in Neural' in page
    edit(bib, "@article{new,", "@article{new")  # no comma after the key: no entry
    line = server.wait_for_line("content/more.bib changed")
    assert "build failed, still serving the last good site" in line
    assert server.raw_get("/papers/a-paper-only-the-bibliography-has/")[0] == 200


def test_a_saved_cv_is_served_and_a_broken_one_keeps_the_last_site(server, demo_copy):
    # content/cv.yaml is read on the next rebuild like any content; a CV that cannot be
    # read is an error at its line, and the last good CV stays served.
    time.sleep(0.5)  # longer than the watcher waits for quiet
    cv = demo_copy / "content" / "cv.yaml"
    cv.write_text("cv:\n  sections:\n    teaching:\n      - name: Machine learning, "
                  "*2024*\n        date: 2024\n    publications:\n", encoding="utf-8")
    assert server.wait_for_line("").startswith("content/cv.yaml changed: ")
    status, _, body = server.raw_get("/cv/")
    assert status == 200 and b"Machine learning, <em>2024</em>" in body
    cv.write_text("cv:\n  sections:\n    teaching:\n      - name: X\n        date: 2024-13\n",
                  encoding="utf-8")
    line = server.wait_for_line("content/cv.yaml changed")
    assert "build failed, still serving the last good site" in line
    assert b"Machine learning" in server.raw_get("/cv/")[2]
