"""`scholarfolio sync` against a real HTTP server on 127.0.0.1 serving recorded OpenAlex
and ORCID responses (tests/sync_server.py; tests/fixtures/SOURCES.md says where each comes
from and which statuses are scripted): the files it writes, what a second sync changes,
each failure mode, the key kept out of every file and message, then a build."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from generator.build import build
from generator.cli import main

from .sync_server import (
    ARXIV,
    CROSSREF,
    cassette_body,
    fixture,
    nothing_found,
    openalex_works_query,
    orcid_works,
    point_at,
    serving,
)

AUTHOR = "A5023888391"  # Jason Priem, as OpenAlex recorded him
ORCID = "0000-0003-1444-9135"  # Scott Chamberlain, as rOpenSci's cassette recorded him
KEY = "sk-test-5ecret-k3y"
PAGE_1 = json.loads(fixture("openalex-works-page-1.json"))
NEXT = PAGE_1["meta"]["next_cursor"]
DATE = "2026-12-07"


def site(root: Path, sync: str) -> Path:
    (root / "content").mkdir(parents=True, exist_ok=True)
    (root / "site.yaml").write_text(f"name: Jason Priem\nsync:\n{sync}", encoding="utf-8")
    return root


def routes(server, author: bytes | None = None, page_1: bytes | None = None) -> None:
    server.route(f"/authors/{AUTHOR}", author or fixture("openalex-author-A5023888391.json"))
    server.route("/works", page_1 or fixture("openalex-works-page-1.json"),
                 **openalex_works_query(AUTHOR, "*"))
    server.route("/works", fixture("openalex-works-page-2.json"),
                 **openalex_works_query(AUTHOR, NEXT))
    status, body = cassette_body("orcid-works-cassette.yml",
                                 f"https://pub.orcid.org/v3.0/{ORCID}/works")
    assert status == 200
    orcid_works(server, ORCID, body)  # and each work's record, for its contributors


def run(capsys, root: Path, *args: str) -> tuple[int, str, str]:
    code = main(["sync", "-C", str(root), "--date", DATE, *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def server(monkeypatch):
    with serving() as server:
        point_at(server, monkeypatch)
        monkeypatch.setenv("OPENALEX_API_KEY", KEY)
        nothing_found(server)  # Crossref and arXiv know none of the works
        yield server


BOTH = f"  openalex: {AUTHOR}\n  orcid: {ORCID}\n  email: someone@example.org\n"


def files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


def test_sync_pages_through_cursors_and_writes_works_and_a_dated_snapshot(server, capsys,
                                                                          tmp_path):
    root = site(tmp_path, BOTH)
    routes(server)
    code, out, err = run(capsys, root)
    assert code == 0, err
    cursors = [query.get("cursor") for path, query, _ in server.requests if path == "/works"]
    assert cursors == ["*"]  # its meta.count works came: the empty page after is not asked
    assert all(q.get("per-page") == "200" for p, q, _ in server.requests if p == "/works")
    agent = server.requests[0][2]["User-Agent"]
    assert agent.startswith("scholarfolio/") and "mailto:someone@example.org" in agent
    items = json.loads((root / "content/synced.json").read_text(encoding="utf-8"))
    by_id = {item["id"]: item for item in items}
    oa = by_id["openalex:W2741809807"]
    assert oa["DOI"] == "10.7717/peerj.4375" and oa["container-title"] == "PeerJ"
    assert oa["author"][1] == {"family": "Priem", "given": "Jason"}
    assert oa["custom"]["cited-by-source"] == "OpenAlex"
    assert isinstance(oa["custom"]["cited-by-count"], int)
    orcid_items = [i for i in items if "orcid-put-code" in i["custom"]]
    assert len(orcid_items) > 50 and {"id", "title", "issued"} <= set(orcid_items[0])
    metrics = json.loads((root / f"content/metrics/{DATE}.json").read_text(encoding="utf-8"))
    assert metrics["source"] == "OpenAlex" and metrics["date"] == DATE
    assert (metrics["h_index"], metrics["i10_index"]) == (17, 20)
    assert (metrics["cited_by_count"], metrics["works_count"]) == (3890, 62)
    years = [y["year"] for y in metrics["counts_by_year"]]
    assert years == sorted(years) and years[0] == 2012
    assert f"added: {oa['title']}" in out
    assert "left out, no date upstream: a figure (no year)" in out  # ORCID gives no date
    assert "sync: OpenAlex: works page 1: 2 of 2" in err
    first = (root / "content/synced.json").read_bytes()
    code, out, err = run(capsys, root)  # the same responses: the same bytes, nothing new
    assert code == 0 and (root / "content/synced.json").read_bytes() == first
    assert "added:" not in out and "changed:" not in out


def test_synced_works_are_papers_of_the_build(server, capsys, tmp_path):
    root = site(tmp_path, BOTH)
    routes(server)
    assert run(capsys, root)[0] == 0
    result = build(root, {"output": str(tmp_path / "_site")})
    assert not result.warnings
    home = (tmp_path / "_site" / "publications" / "index.html").read_text(encoding="utf-8")
    assert "The state of OA: a large-scale analysis" in home
    assert "Phylogeny Based Biodiversity Data Queries" in home  # from ORCID
    # ORCID's real SICI DOI 10.1603/0046-225X(2008)37[808:ROHBHA]2.0.CO;2: a valid href
    sici = "https://doi.org/10.1603/0046-225x(2008)37%5b808:rohbha%5d2.0.co;2"
    assert f'href="{sici}"' in home.lower()
    assert any(path.startswith("papers/the-state-of-oa") for path in result.files)
    assert "content/synced.json" in result.sources


def test_a_429_is_waited_out_as_retry_after_says(server, capsys, tmp_path):
    root = site(tmp_path, f"  openalex: {AUTHOR}\n")
    routes(server)
    author = fixture("openalex-author-A5023888391.json")
    server.route(f"/authors/{AUTHOR}", (429, {"Retry-After": "1"}, b'{"error":"rate"}'),
                 author)
    start = time.monotonic()
    code, _, err = run(capsys, root)
    assert code == 0, err
    assert time.monotonic() - start >= 1
    assert [p for p, _, _ in server.requests].count(f"/authors/{AUTHOR}") == 2


def test_a_500_is_retried_then_one_line_naming_the_service_and_no_file_changes(
        server, capsys, tmp_path):
    root = site(tmp_path, BOTH)
    routes(server)
    assert run(capsys, root)[0] == 0
    before = files(root)
    status, body = cassette_body("orcid-error-cassette.yml",
                                 "https://pub.orcid.org/v3.0/search?start=adsf")
    server.route(f"/v3.0/{ORCID}/works", (status, {"Content-Type": "application/json"}, body))
    server.requests.clear()
    code, out, err = run(capsys, root)
    assert code == 1
    assert [p for p, _, _ in server.requests].count(f"/v3.0/{ORCID}/works") == 4
    message = err.strip().splitlines()[-1]
    assert message.startswith("sync: ORCID: the service failed (500)") and "try again" in message
    assert "Traceback" not in err and KEY not in err + out
    assert files(root) == before


def test_a_malformed_body_is_one_line_and_writes_nothing(server, capsys, tmp_path):
    root = site(tmp_path, f"  openalex: {AUTHOR}\n")
    routes(server, author=fixture("openalex-author-A5023888391.json")[:5000])
    code, _, err = run(capsys, root)
    assert code == 1 and "sync: OpenAlex: the response to" in err and "is not JSON" in err
    assert not (root / "content/synced.json").exists()
    assert not (root / "content/metrics").exists()


def test_a_merged_author_is_followed_and_the_new_id_named(server, capsys, tmp_path):
    root = site(tmp_path, "  openalex: A5000000001\n")
    routes(server)
    server.route("/authors/A5000000001", (301, {"Location": f"/authors/{AUTHOR}"}, b""))
    code, _, err = run(capsys, root)
    assert code == 0, err
    assert f"author A5000000001 is now {AUTHOR} (merged)" in err
    assert (root / "content/synced.json").exists()


def test_an_author_record_without_summary_stats_leaves_those_metrics_out(server, capsys,
                                                                          tmp_path):
    root = site(tmp_path, f"  openalex: {AUTHOR}\n")
    drifted = json.loads(fixture("openalex-author-A5023888391.json"))
    del drifted["summary_stats"]
    routes(server, author=json.dumps(drifted).encode())
    code, _, err = run(capsys, root)
    assert code == 0, err
    metrics = json.loads((root / f"content/metrics/{DATE}.json").read_text(encoding="utf-8"))
    assert "h_index" not in metrics and metrics["cited_by_count"] == 3890
    assert "gives no h_index" in err


def test_offline_runs_from_the_cache_and_says_when_it_cannot(server, capsys, tmp_path):
    root = site(tmp_path, BOTH)
    code, _, err = run(capsys, root, "--offline")
    assert code == 1 and "--offline, but no response" in err and "Traceback" not in err
    routes(server)
    assert run(capsys, root)[0] == 0
    synced = (root / "content/synced.json").read_bytes()
    (root / "content/synced.json").unlink()
    server.requests.clear()
    code, _, err = run(capsys, root, "--offline")
    assert code == 0, err
    assert server.requests == []
    assert (root / "content/synced.json").read_bytes() == synced


def test_the_key_is_sent_to_openalex_only_and_written_nowhere(server, capsys, tmp_path):
    root = site(tmp_path, BOTH)
    routes(server)
    code, out, err = run(capsys, root)
    assert code == 0
    for path, query, _ in server.requests:
        assert query.get("api_key") == (KEY if not path.startswith(("/v3.0/", CROSSREF, ARXIV))
                                        else None)
    assert list((root / ".scholarfolio-cache" / "sync").iterdir())
    for name, data in files(root).items():
        assert KEY.encode() not in data, name
    assert KEY not in out + err


def test_a_dry_run_prints_what_would_change_and_writes_nothing(server, capsys, tmp_path):
    root = site(tmp_path, BOTH)
    routes(server)
    before = files(root)
    code, out, _ = run(capsys, root, "--dry-run")
    assert code == 0
    assert "would be added: The state of OA" in out and "nothing written" in out
    assert files(root) == before


def test_a_work_gone_upstream_is_kept_marked_and_reported(server, capsys, tmp_path):
    root = site(tmp_path, f"  openalex: {AUTHOR}\n")
    routes(server)
    assert run(capsys, root)[0] == 0
    page = json.loads(fixture("openalex-works-page-1.json"))
    gone = page["results"].pop(0)
    routes(server, page_1=json.dumps(page).encode())
    code, out, _ = run(capsys, root)
    assert code == 0
    items = json.loads((root / "content/synced.json").read_text(encoding="utf-8"))
    kept = next(i for i in items if i["id"] == "openalex:" + gone["id"].rsplit("/", 1)[1])
    assert kept["custom"]["scholarfolio-missing-since"] == DATE
    assert f"gone upstream, kept: {gone['display_name']}" in out
    routes(server)  # and back again: no longer marked
    code, out, _ = run(capsys, root)
    assert code == 0 and f"changed: {gone['display_name']} (2017): back upstream" in out
    assert "scholarfolio-missing-since" not in (root / "content/synced.json").read_text(
        encoding="utf-8")


def test_an_excluded_work_is_dropped_and_never_comes_back(server, capsys, tmp_path):
    root = site(tmp_path, f"  openalex: {AUTHOR}\n")
    routes(server)
    assert run(capsys, root)[0] == 0
    assert "W2755950973" in (root / "content/synced.json").read_text(encoding="utf-8")
    site(tmp_path, f"  openalex: {AUTHOR}\n  exclude:\n    - https://openalex.org/W2755950973\n"
         "    - 10.7717/PEERJ.4375\n")
    code, out, _ = run(capsys, root)
    assert code == 0
    text = (root / "content/synced.json").read_text(encoding="utf-8")
    assert "W2755950973" not in text and "peerj.4375" not in text
    assert "excluded: bibliometrix" in out


def test_sync_settings_are_checked_at_their_line_and_column(capsys, tmp_path):
    root = site(tmp_path, "  orcid: 0000-0002-1825-0098\n  sources: [scholar]\n")
    code = main(["sync", "-C", str(root)])
    err = capsys.readouterr().err
    assert code == 1
    assert "site.yaml:3:10: sync 'orcid' is no ORCID iD" in err
    assert ("site.yaml:4:12: sync 'sources' must be a list of openalex, orcid, crossref, "
            "arxiv") in err


def test_an_orcid_id_alone_finds_the_openalex_author_by_it(server, capsys, tmp_path):
    root = site(tmp_path, "  orcid: https://orcid.org/0000-0001-6187-6610\n"
                "  sources: [openalex]\n")
    routes(server)
    server.route("/authors/orcid:0000-0001-6187-6610",
                 fixture("openalex-author-A5023888391.json"))
    code, _, err = run(capsys, root)
    assert code == 0, err
    assert [p for p, _, _ in server.requests][0] == "/authors/orcid:0000-0001-6187-6610"
    assert (root / f"content/metrics/{DATE}.json").exists()


def test_what_the_researcher_wrote_wins_over_the_synced_work(server, capsys, tmp_path):
    root = site(tmp_path, f"  openalex: {AUTHOR}\n")
    routes(server)
    assert run(capsys, root)[0] == 0
    (root / "content" / "zotero.json").write_text(json.dumps([{  # named after synced.json
        "id": "oa", "type": "article-journal", "title": "The State of Open Access, as We "
        "Call It", "author": [{"family": "Piwowar", "given": "Heather"}],
        "issued": {"date-parts": [[2018]]}, "container-title": "PeerJ (our venue)",
        "DOI": "10.7717/PEERJ.4375"}]), encoding="utf-8")
    result = build(root, {"output": str(tmp_path / "_site")})
    assert "merged as the same work" in result.sources
    home = (tmp_path / "_site" / "publications" / "index.html").read_text(encoding="utf-8")
    assert "The State of Open Access, as We Call It" in home
    assert "large-scale analysis of the prevalence" not in home
    assert "PeerJ (our venue)" in home


def test_sources_naming_orcid_need_an_orcid_id(capsys, tmp_path):
    root = site(tmp_path, f"  openalex: {AUTHOR}\n  sources: [orcid, openalex]\n")
    assert main(["sync", "-C", str(root)]) == 1
    assert ("site.yaml:4:12: sync 'sources' names orcid, but no 'orcid:' iD is given"
            in capsys.readouterr().err)


def test_a_retry_after_longer_than_the_cap_is_waited_only_as_long_as_the_cap():
    from urllib3 import HTTPResponse

    from generator.sync.http import RETRY_AFTER_CAP, _retry

    retry = _retry()
    assert retry.get_retry_after(HTTPResponse(status=429, headers={"Retry-After": "3600"})) \
        == RETRY_AFTER_CAP
    assert retry.get_retry_after(HTTPResponse(status=429, headers={"Retry-After": "2"})) == 2
