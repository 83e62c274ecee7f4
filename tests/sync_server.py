"""A real HTTP server on 127.0.0.1 for the sync tests: it serves recorded response bodies
(tests/fixtures/sync/, see SOURCES.md) by path and query, each route a list of answers
given in turn (the last one repeated), and keeps every request it was sent. Nothing
patches the HTTP library: the client is pointed here by SCHOLARFOLIO_*_URL."""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import yaml

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sync"
#: Query parameters that do not choose the answer (sent by the client besides).
_IGNORED = {"api_key", "mailto"}


def fixture(name: str) -> bytes:
    """A recorded body, as saved."""
    return (FIXTURES / name).read_bytes()


def cassette_body(name: str, uri: str) -> tuple[int, bytes]:
    """The status and body a vcr cassette recorded for `uri` (R's vcr, or Python's vcrpy)."""
    cassette = yaml.safe_load(fixture(name))
    for interaction in cassette.get("http_interactions") or cassette["interactions"]:
        if interaction["request"]["uri"] == uri:
            response = interaction["response"]
            status = response["status"]
            body = response["body"]["string"]
            return (int(status.get("status_code") or status["code"]),
                    body if isinstance(body, bytes) else body.encode("utf-8"))
    raise KeyError(uri)


def recorded_body(name: str) -> tuple[int, bytes]:
    """The status and body of a recording saved as {"url", "status_code", "body"}."""
    recording = json.loads(fixture(name))
    return int(recording["status_code"]), recording["body"].encode("utf-8")


Answer = tuple[int, dict[str, str], bytes]


class Server:
    """Routes: (path, sorted query items) -> answers in turn; `requests` as received."""

    def __init__(self) -> None:
        self.routes: dict[tuple[str, tuple], list[Answer]] = {}
        self.by_query: dict[str, Callable[[dict[str, str]], Answer | bytes]] = {}
        self.requests: list[tuple[str, dict[str, str], dict[str, str]]] = []
        self.stalls: dict[str, float] = {}  # path -> seconds to say nothing before answering
        self.url = ""

    def route(self, path: str, *answers: Answer | bytes, **query: str) -> None:
        self.routes[(path, tuple(sorted(query.items())))] = [
            (200, {"Content-Type": "application/json"}, a) if isinstance(a, bytes) else a
            for a in answers]

    def route_by_query(self, path: str,
                       respond: Callable[[dict[str, str]], Answer | bytes]) -> None:
        """Every request for `path` not routed exactly is answered by `respond` from its
        query (where the answer depends on the DOIs or ids asked)."""
        self.by_query[path] = respond

    def answer(self, raw_path: str) -> Answer:
        parts = urlsplit(raw_path)
        query = tuple(sorted((k, v) for k, v in parse_qsl(parts.query) if k not in _IGNORED))
        answers = self.routes.get((parts.path, query))
        if not answers and parts.path in self.by_query:
            found = self.by_query[parts.path](dict(query))
            return (200, {"Content-Type": "application/json"}, found) if isinstance(
                found, bytes) else found
        if not answers:
            return 404, {"Content-Type": "application/json"}, json.dumps(
                {"error": "not routed", "path": raw_path}).encode()
        return answers.pop(0) if len(answers) > 1 else answers[0]


#: The real works that make up an author with a thousand works (scripts/openalex_works_fixture.py).
REAL_WORKS = "openalex-works-openalexpro.json"


def thousand_works_pages(count: int = 1000, per_page: int = 200) -> list[tuple[str, bytes]]:
    """An author with `count` works as OpenAlex pages them: (cursor asked for, body) for each
    page of `per_page`, `meta` as OpenAlex gives it (`count`, and a `next_cursor` on every
    page, in OpenAlex's form: base64 of the sort key of the page's last work). The works are
    the recorded real ones, then copies of them to make up the count, each copy with an id
    of its own (`W<id><copy>`), no DOI or landing page and `[copy n]` after its title, so
    that no two are one work by the identity rule."""
    real = json.loads(fixture(REAL_WORKS))
    works = []
    for n in range(count):
        work, copy = dict(real[n % len(real)]), n // len(real)
        if copy:
            work["id"] = f"{work['id']}{copy:02d}"
            work["doi"] = None
            work["title"] = work["display_name"] = f"{work['display_name']} [copy {copy}]"
            location = work.get("primary_location")
            if isinstance(location, dict):
                work["primary_location"] = {**location, "landing_page_url": None}
        works.append(work)
    pages, cursor = [], "*"
    for start in range(0, count, per_page):
        results = works[start:start + per_page]
        last = results[-1]
        key = f"[{last.get('cited_by_count', 0)}.0, '{last['id']}']"
        following = base64.b64encode(json.dumps(key).encode()).decode()
        meta = {"count": count, "db_response_time_ms": 41, "page": None,
                "per_page": per_page, "next_cursor": following, "groups_count": None}
        pages.append((cursor, json.dumps({"meta": meta, "results": results}).encode()))
        cursor = following
    return pages


def openalex_works_query(author: str, cursor: str) -> dict[str, str]:
    return {"filter": f"author.id:{author}", "per-page": "200", "cursor": cursor}


@contextmanager
def serving() -> Iterator[Server]:
    """The server, listening on a free port of 127.0.0.1 until the block ends."""
    server = Server()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the library's name)
            parts = urlsplit(self.path)
            server.requests.append((parts.path, dict(parse_qsl(parts.query)),
                                    dict(self.headers.items())))
            status, headers, body = server.answer(self.path)
            time.sleep(server.stalls.get(parts.path, 0))
            try:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except OSError:  # the client gave up waiting (a stall) and hung up
                pass

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()


#: Where the tests put Crossref and arXiv on the server (their base URLs' paths).
CROSSREF, ARXIV = "/crossref", "/arxiv"
#: Crossref's recorded answer with no works, and arXiv's with no entries.
EMPTY_CROSSREF = ("crossref-empty-list-cassette.yaml",
                  "https://api.crossref.org/prefixes/10.4176/works")
EMPTY_ARXIV = "arxiv-no-results.json"


def addresses(server: Server) -> dict[str, str]:
    """Every service's base-URL variable, pointing at the server (Crossref and arXiv under
    their own paths): a sync run with all of them reaches no real service."""
    return {"SCHOLARFOLIO_OPENALEX_URL": server.url, "SCHOLARFOLIO_ORCID_URL": server.url,
            "SCHOLARFOLIO_CROSSREF_URL": server.url + CROSSREF,
            "SCHOLARFOLIO_ARXIV_URL": server.url + ARXIV}


def point_at(server: Server, monkeypatch: Any) -> None:
    """Set every service's base-URL variable to the server for the test (`addresses`)."""
    for name, value in addresses(server).items():
        monkeypatch.setenv(name, value)


def nothing_found(server: Server) -> None:
    """Crossref and arXiv answering every request not routed exactly with their recorded
    answers that name no work (see SOURCES.md)."""
    status, crossref = cassette_body(*EMPTY_CROSSREF)
    server.route_by_query(f"{CROSSREF}/works", lambda _: (
        status, {"Content-Type": "application/json"}, crossref))
    status, arxiv = recorded_body(EMPTY_ARXIV)
    server.route_by_query(f"{ARXIV}/api/query", lambda _: (
        status, {"Content-Type": "application/atom+xml"}, arxiv))


def orcid_works(server: Server, orcid: str, body: bytes) -> None:
    """Serve an ORCID works list (`/v3.0/<iD>/works`) and, for each work, its full record
    (`/work/<put-code>`), asked for the contributors of a work no other source names. No
    full record of the recorded lists was recorded, so each answers with its recorded
    summary: a full record holds the same fields, and these name no contributor."""
    server.route(f"/v3.0/{orcid}/works", (200, {"Content-Type": "application/json"}, body))
    for group in json.loads(body).get("group") or []:
        summary = group["work-summary"][0]
        server.route(f"/v3.0/{orcid}/work/{summary['put-code']}", json.dumps(summary).encode())

