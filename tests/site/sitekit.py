"""Helpers of the site checks: a local server for a built site, a link checker, and the
command lines of the independent checkers (the Nu HTML Checker, axe-core in Chromium).

Nothing here knows pytest; conftest.py builds the sites and the test modules assert.
"""

from __future__ import annotations

import gzip
import json
import mimetypes
import posixpath
import re
import subprocess
import threading
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from tests.browser import CHROMIUM, CHROMIUM_ARGS, SETUP_HINT  # noqa: E402,F401

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
TEST_OUTPUT = REPO / "test-output"
SCREENSHOTS = TEST_OUTPUT / "screenshots"
VNU_JAR = HERE / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = HERE / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: The page types every check visits; conftest.py maps each to a path of each site.
PAGE_TYPES = ["home", "publications", "paper", "category", "categories", "404", "page", "cv",
              "talks", "teaching", "projects"]
SCHEMES = ["light", "dark"]


# --- Serving a built site under its base path ------------------------------------------------


#: What GitHub Pages compresses: text, and the text formats of another top-level type.
COMPRESSED = {"application/javascript", "text/javascript", "application/json",
              "application/xml", "application/atom+xml", "image/svg+xml"}


class _SiteHandler(BaseHTTPRequestHandler):
    """Serves `root` at `base_path` as GitHub Pages does: folders answer with their
    index.html, a folder without its trailing slash redirects, anything else answers
    404 with the site's 404.html; text is gzipped for a client that accepts it, and
    may be kept 10 minutes (bench/lighthouse.py measures pages served so)."""

    protocol_version = "HTTP/1.1"  # keep-alive, as every real host

    root: Path
    base_path: str

    def __init__(self, *args, root: Path, base_path: str, **kwargs):
        self.root = root
        self.base_path = base_path
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:  # noqa: N802 (the http.server API)
        self._answer(with_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(with_body=False)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - quiet
        pass

    def _answer(self, with_body: bool) -> None:
        path = unquote(urlsplit(self.path).path)
        target = self._file_for(path)
        if target is not None and target.is_dir():
            if not path.endswith("/"):
                self._send(301, b"", "text/plain", with_body, location=path + "/")
                return
            target = target / "index.html"
        if target is not None and target.is_file():
            kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            self._send(200, target.read_bytes(), kind, with_body)
            return
        missing = self.root / "404.html"
        body = missing.read_bytes() if missing.is_file() else b"not found"
        self._send(404, body, "text/html", with_body)

    def _file_for(self, path: str) -> Path | None:
        if path + "/" == self.base_path:
            return self.root
        if not path.startswith(self.base_path):
            return None
        relative = posixpath.normpath(path[len(self.base_path) :] or ".")
        if relative.startswith(("..", "/")):
            return None
        target = (self.root / relative).resolve()
        return target if target.is_relative_to(self.root) else None

    def _accepts_gzip(self) -> bool:
        for part in self.headers.get("Accept-Encoding", "").split(","):
            name, _, params = part.strip().partition(";")
            if name.strip().lower() == "gzip":
                return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
        return False

    def _send(self, status: int, body: bytes, kind: str, with_body: bool, location=None) -> None:
        self.send_response(status)
        text = kind.startswith("text/") or kind in COMPRESSED
        self.send_header("Content-Type", kind + ("; charset=utf-8" if text else ""))
        self.send_header("Cache-Control", "max-age=600")
        if text:
            self.send_header("Vary", "Accept-Encoding")
            if body and self._accepts_gzip():
                body = gzip.compress(body, compresslevel=6, mtime=0)
                self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        if location:
            self.send_header("Location", location)
        self.end_headers()
        if with_body:
            self.wfile.write(body)


class SiteServer:
    """A threaded HTTP server on 127.0.0.1 (a free port) serving one built site."""

    def __init__(self, root: Path, base_path: str):
        handler = partial(_SiteHandler, root=root.resolve(), base_path=base_path)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


# --- Reading pages ---------------------------------------------------------------------------

#: Attributes that hold a URL, by element; srcset is split into its URLs.
URL_ATTRIBUTES = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "base": ("href",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "script": ("src",),
    "iframe": ("src",),
    "audio": ("src",),
    "video": ("src", "poster"),
    "track": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "form": ("action",),
    "use": ("href", "xlink:href"),
}


@dataclass
class PageLinks:
    """The ids of one page and every URL it refers to, with the line each is on."""

    ids: set[str] = field(default_factory=set)
    links: list[tuple[int, str, str, str]] = field(default_factory=list)  # line, tag, attr, url


class _LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = PageLinks()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        for name, value in attrs:
            if name == "id" and value:
                self.page.ids.add(value)
            if tag == "a" and name == "name" and value:
                self.page.ids.add(value)
            if name in URL_ATTRIBUTES.get(tag, ()) and value is not None:
                urls = _srcset_urls(value) if name == "srcset" else [value]
                for url in urls:
                    self.page.links.append((line, tag, name, url))

    handle_startendtag = handle_starttag


def _srcset_urls(value: str) -> list[str]:
    return [part.split()[0] for part in value.split(",") if part.strip()]


def read_page(path: Path) -> PageLinks:
    parser = _LinkParser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser.page


@dataclass(frozen=True)
class BuiltSite:
    """A built site on disk: its output folder and the URL it is built for."""

    name: str
    output: Path
    base_url: str  # e.g. https://example.github.io/portfolio/
    base_path: str  # e.g. /portfolio/

    def html_files(self) -> list[Path]:
        return sorted(self.output.rglob("*.html"))

    def page_path(self, file: Path) -> str:
        """The URL path a file is served at: folders for index.html files."""
        relative = file.relative_to(self.output).as_posix()
        if relative == "index.html":
            relative = ""
        elif relative.endswith("/index.html"):
            relative = relative[: -len("index.html")]
        return self.base_path + relative

    def shown(self, file: Path) -> str:
        """A page as failure messages name it: its site and its path in the output."""
        return f"{self.name}:{file.relative_to(self.output).as_posix()}"

    def file_for(self, path: str) -> Path | None:
        """The output file a URL path under the base path is served from, or None."""
        if not path.startswith(self.base_path):
            return None
        relative = posixpath.normpath(unquote(path[len(self.base_path) :]) or ".")
        if relative.startswith(".."):
            return None
        target = self.output / relative
        if path.endswith("/"):
            target = target / "index.html"
        return target if target.is_file() else None


def check_links(site: BuiltSite) -> tuple[list[str], dict[str, list[str]]]:
    """Check every href/src of every page of `site` against the files of the build.

    Returns the problems, each naming page, line and URL, and the set of internal URL
    paths (without fragment) that the pages link to, found in the build or not, each with
    the pages that link to it.
    """
    problems: list[str] = []
    internal: dict[str, list[str]] = {}
    pages = {file: read_page(file) for file in site.html_files()}
    for file, page in pages.items():
        for line, tag, attr, url in page.links:
            problem, path = _check_link(site, pages, file, url)
            if problem:
                problems.append(f"{site.shown(file)}:{line}: <{tag} {attr}={url!r}>: {problem}")
            if path:
                internal.setdefault(path, []).append(site.shown(file))
    return problems, internal


def _check_link(
    site: BuiltSite, pages: dict[Path, PageLinks], file: Path, url: str
) -> tuple[str | None, str | None]:
    """(what is wrong with `url` on page `file`, or None; the URL path under the base path
    it leads to, or None for external links)."""
    if not url.strip():
        return "empty URL", None
    if url != url.strip() or any(c.isspace() for c in url):
        return "URL holds white space", None
    parts = urlsplit(url)
    if parts.scheme == "mailto":
        return (None if "@" in parts.path else "mailto: without an address"), None
    if parts.scheme == "tel":  # a CV's phone (RFC 3966: digits after an optional +)
        return (None if re.fullmatch(r"\+?[\d\-.()]+", parts.path) else
                "tel: without a phone number"), None
    if parts.scheme in ("http", "https") and parts.netloc:
        origin = urlsplit(site.base_url)
        same_site = (parts.scheme, parts.netloc) == (origin.scheme, origin.netloc)
        if not (same_site and parts.path.startswith(site.base_path)):
            return None, None  # external: absolute http(s), as it should be
        target_url = parts.path + (f"#{parts.fragment}" if parts.fragment else "")
    elif parts.scheme or url.startswith("//"):
        return "neither an internal link nor an absolute http(s), mailto: or tel: URL", None
    elif not url.startswith(("/", "#")) and file.name == "404.html":
        return "a relative link on the 404 page breaks at any other address", None
    else:
        target_url = urljoin(site.page_path(file), url)
    path, fragment = urldefrag(target_url)
    path = urlsplit(path).path
    if not path.startswith(site.base_path):
        return f"points outside the site's base path {site.base_path}", None
    target = site.file_for(path)
    if target is None:
        if site.file_for(path + "/") is not None:
            return f"links to the folder {path} without its trailing slash", path
        return f"no file in the build for {path}", path
    if fragment and unquote(fragment) not in (pages[target].ids if target in pages else ()):
        return f"no element with id {fragment!r} on {site.shown(target)}", path
    return None, path


# --- The Nu HTML Checker ----------------------------------------------------------------------


def run_vnu(files: Iterable[Path], timeout: float = 300) -> list[dict]:
    """Every message of the Nu HTML Checker (errors only) for `files`, in one java run."""
    command = ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, files)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    # vnu writes its report to standard error; exit status 1 means "errors found".
    report = done.stderr.strip() or done.stdout.strip()
    try:
        messages = json.loads(report)["messages"]
    except (ValueError, KeyError):
        raise RuntimeError(
            f"the Nu HTML Checker gave no JSON report (exit {done.returncode}):\n"
            f"{done.stdout}\n{done.stderr}"
        ) from None
    if done.returncode not in (0, 1) or (done.returncode == 1 and not messages):
        raise RuntimeError(f"the Nu HTML Checker failed (exit {done.returncode}):\n{report}")
    return messages


def format_vnu(message: dict, shown) -> str:
    """One vnu message as `page:line:col: message` with the offending extract."""
    url = message.get("url", "")
    where = shown(Path(unquote(urlsplit(url).path))) if url.startswith("file:") else url
    line = message.get("lastLine", message.get("firstLine", "?"))
    col = message.get("firstColumn", message.get("lastColumn", "?"))
    text = f"{where}:{line}:{col}: {message.get('type')}: {message.get('message')}"
    extract = (message.get("extract") or "").replace("\n", "↵")
    return f"{text}\n    {extract}" if extract else text


# --- axe-core --------------------------------------------------------------------------------


def run_axe(page) -> dict:
    """axe-core's results for the page loaded in a Playwright `page`, WCAG 2.1 A and AA."""
    page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(
        "async (tags) => await axe.run(document, "
        "{runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )


def format_violations(violations: list[dict], where: str) -> Iterator[str]:
    for rule in violations:
        for node in rule["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            yield (
                f"{where}: {rule['id']} ({rule['impact']}) at {target}: {rule['help']}. "
                f"{summary}\n    {node['html'][:200]}"
            )


# JavaScript: the elements sticking out past the viewport's right edge, outermost first.
OVERFLOWING_ELEMENTS = """() => {
  const width = window.innerWidth;
  const found = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.right > width + 0.5 && box.width > 0 && !found.some(f => f.contains(el))) {
      found.push(el);
    }
  }
  return found.slice(0, 10).map(el => {
    const box = el.getBoundingClientRect();
    const name = el.tagName.toLowerCase() + (el.className ? '.' + el.className : '');
    return `${name} spans ${Math.round(box.left)}..${Math.round(box.right)} px: `
      + JSON.stringify((el.textContent || '').trim().slice(0, 60));
  });
}"""


def http_status(url: str) -> int:
    """The HTTP status a GET of `url` answers, errors included."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
