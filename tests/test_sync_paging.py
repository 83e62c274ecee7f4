"""An author with a thousand works: `sync` pages through OpenAlex's cursor pages of 200
(real recorded works assembled into 5 pages, tests/sync_server.thousand_works_pages; see
tests/fixtures/SOURCES.md), asks for no page more, keeps every work, and the site builds."""

from __future__ import annotations

import json

from generator.build import build

from .sync_server import (
    cassette_body,
    openalex_works_query,
    orcid_works,
    thousand_works_pages,
)
from .test_sync import AUTHOR, BOTH, ORCID, fixture, routes, run, server, site  # noqa: F401

#: OpenAlex and ORCID only: the requests counted here are theirs.
TWO = BOTH + "  sources: [openalex, orcid]\n"


def test_an_author_with_a_thousand_works_is_paged_through_and_every_work_kept(
        server, capsys, tmp_path):  # noqa: F811 (the fixture)
    root = site(tmp_path, TWO)
    server.route(f"/authors/{AUTHOR}", fixture("openalex-author-A5023888391.json"))
    pages = thousand_works_pages()
    for cursor, body in pages:
        server.route("/works", body, **openalex_works_query(AUTHOR, cursor))
    status, body = cassette_body("orcid-works-cassette.yml",
                                 f"https://pub.orcid.org/v3.0/{ORCID}/works")
    assert status == 200
    orcid_works(server, ORCID, body)
    code, out, err = run(capsys, root)
    assert code == 0, err
    asked = [(path, query.get("cursor")) for path, query, _ in server.requests]
    fetched = [(f"/authors/{AUTHOR}", None), *(("/works", cursor) for cursor, _ in pages),
               (f"/v3.0/{ORCID}/works", None)]
    assert asked[:len(fetched)] == fetched
    # then, once each, the full record of a work ORCID alone names without authors
    assert all(path.startswith(f"/v3.0/{ORCID}/work/") for path, _ in asked[len(fetched):])
    assert "sync: OpenAlex: works page 5: 1000 of 1000" in err
    items = json.loads((root / "content/synced.json").read_text(encoding="utf-8"))
    synced = {item["custom"].get("openalex") for item in items}
    sent = {work["id"].rsplit("/", 1)[1] for _, body in pages
            for work in json.loads(body)["results"]}
    assert len(sent) == 1000 and sent <= synced
    result = build(root, {"output": str(tmp_path / "_site")})
    papers = json.loads(result.files["papers.json"])
    assert len(papers) >= 1000


def test_an_online_sync_asks_every_page_again_with_no_validators_to_send(
        server, capsys, tmp_path):  # noqa: F811 (the fixture)
    # The recorded responses of OpenAlex and ORCID carry no ETag or Last-Modified (see
    # generator/sync/http.py): the cache serves --offline only, never stands in for an
    # answer, and nothing is sent conditionally.
    root = site(tmp_path, TWO)
    routes(server)
    assert run(capsys, root)[0] == 0
    first = [(path, query.get("cursor")) for path, query, _ in server.requests]
    assert run(capsys, root)[0] == 0
    again = [(path, query.get("cursor")) for path, query, _ in server.requests[len(first):]]
    assert again == [(f"/authors/{AUTHOR}", None), ("/works", "*"),
                     (f"/v3.0/{ORCID}/works", None)]
    assert first[:3] == again  # and the first asked each ORCID-only work's record, once
    sent = {name.lower() for _, _, headers in server.requests for name in headers}
    assert not sent & {"if-none-match", "if-modified-since"}
