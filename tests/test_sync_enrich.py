"""Crossref and arXiv filling in what synced works lack, against a real HTTP server on
127.0.0.1 serving recorded responses (tests/sync_server.py; tests/fixtures/SOURCES.md):
blanks only, DOIs asked in batches, each work asked once, failures changing no file, and
the filled-in details on the built pages.

No public recording pairs a researcher's ORCID or OpenAlex list with Crossref's or arXiv's
answer for one of its works, so the ORCID list served here is the recorded one with three
groups added (`assembled_orcid`): one for each of two works of a recorded Crossref answer
and one for the preprint of a recorded arXiv answer, each in the recorded groups' shape with
that work's title, DOI or arXiv id, and what ORCID would say (year, journal, type)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from generator.build import build
from generator.sync import crossref, enrich
from generator.sync.arxiv import entries_of
from generator.sync.openalex import csl_item

from .sync_server import (
    ARXIV,
    CROSSREF,
    EMPTY_CROSSREF,
    cassette_body,
    fixture,
    nothing_found,
    orcid_works,
    point_at,
    recorded_body,
    serving,
)
from .test_sync import ORCID, files, run, site

#: A recorded Crossref works list of three works, and the two of them given to the researcher.
WORKS_URI = "https://api.crossref.org/works?filter=has-full-text%3Afalse&rows=3"
FUSION = "10.4156/jdcta.vol6.issue1.50"  # a journal article: six authors, volume, pages
SURVEY = "10.4095/110861"  # a report by an organisation
PREPRINT = "1707.08567"  # the recorded arXiv answer's one entry
SETTINGS = f"  orcid: {ORCID}\n  sources: [orcid, crossref, arxiv]\n  email: a@example.org\n"


def crossref_records() -> dict[str, dict]:
    _, body = cassette_body("crossref-works-cassette.yml", WORKS_URI)
    return {r["DOI"]: r for r in json.loads(body)["message"]["items"]}


def assembled_orcid() -> bytes:
    """The recorded ORCID works with the three added groups (see the module's docstring)."""
    _, body = cassette_body("orcid-works-cassette.yml",
                            f"https://pub.orcid.org/v3.0/{ORCID}/works")
    works = json.loads(body)
    template = works["group"][0]["work-summary"][0]
    records = crossref_records()

    def group(code: int, kind: str, title: str, ids: tuple[str, str], year: int | None,
              journal: str | None) -> dict:
        summary = copy.deepcopy(template)
        summary.update({"put-code": code, "type": kind, "url": None,
                        "title": {"title": {"value": title}, "subtitle": None},
                        "journal-title": {"value": journal} if journal else None,
                        "publication-date": {"year": {"value": str(year)}, "month": None,
                                             "day": None} if year else None})
        summary["external-ids"] = {"external-id": [{
            "external-id-type": ids[0], "external-id-value": ids[1],
            "external-id-url": None, "external-id-relationship": "self"}]}
        return {"work-summary": [summary]}

    fusion, survey = records[FUSION], records[SURVEY]
    arxiv_title = entries_of(recorded_body("arxiv-1707.08567.json")[1])[0][1]["title"]
    works["group"] += [
        group(900001, "journal-article", fusion["title"][0], ("doi", FUSION), 2012,
              fusion["short-container-title"][0]),  # ORCID's journal title: the short one
        group(900002, "other", survey["title"][0], ("doi", SURVEY), 1964, None),
        group(900003, "preprint", arxiv_title, ("arxiv", f"arXiv:{PREPRINT}"), None, None)]
    return json.dumps(works).encode("utf-8")


def answer_crossref(query: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    """The recorded list for the request that asks its DOIs, else the recorded empty one."""
    asked = {value.removeprefix("doi:") for value in query["filter"].split(",")}
    if {FUSION, SURVEY} & asked:
        assert {FUSION, SURVEY} <= asked, "both recorded DOIs are expected in one batch"
        status, body = cassette_body("crossref-works-cassette.yml", WORKS_URI)
    else:
        status, body = cassette_body(*EMPTY_CROSSREF)
    return status, {"Content-Type": "application/json"}, body


@pytest.fixture
def server(monkeypatch):
    with serving() as server:
        point_at(server, monkeypatch)
        orcid_works(server, ORCID, assembled_orcid())
        nothing_found(server)
        server.route_by_query(f"{CROSSREF}/works", answer_crossref)
        status, atom = recorded_body("arxiv-1707.08567.json")
        server.route(f"{ARXIV}/api/query", (status, {"Content-Type": "application/atom+xml"},
                                            atom), id_list=PREPRINT, max_results="1")
        yield server


def synced(root: Path) -> dict[str, dict]:
    items = json.loads((root / "content" / "synced.json").read_text(encoding="utf-8"))
    return {item["DOI"] if "DOI" in item else item["id"]: item for item in items}


def asked(server, path: str) -> list[dict[str, str]]:
    return [query for at, query, _ in server.requests if at == path]


def test_an_orcid_only_work_gains_authors_and_details_from_crossref(server, capsys, tmp_path):
    root = site(tmp_path, SETTINGS)
    code, _, err = run(capsys, root)
    assert code == 0, err
    fusion = synced(root)[FUSION]
    assert fusion["author"][:2] == [{"family": "Ding", "given": "Xuewen"},
                                    {"family": "Xu", "given": "Guangquan"}]
    assert len(fusion["author"]) == 6
    assert (fusion["volume"], fusion["issue"], fusion["page"]) == ("6", "1", "413-420")
    assert (fusion["ISSN"], fusion["publisher"]) == ("1975-9339", "AICIT")
    assert fusion["custom"]["from-crossref"] == [
        "ISSN", "author", "issue", "page", "publisher", "volume"]
    # What ORCID gave stays: its journal title (the short one) and its date (a year).
    assert fusion["container-title"] == "JDCTA"
    assert fusion["issued"] == {"date-parts": [[2012]]}
    assert fusion["type"] == "article-journal"
    survey = synced(root)[SURVEY]
    assert survey["type"] == "report"  # ORCID's "other" says nothing: Crossref's fills it
    assert survey["author"] == [{"literal": "Geological Survey of Canada"}]
    assert "sync: Crossref: 2 of " in err


def test_dois_are_asked_in_batches_once_each_with_the_mailto(server, capsys, tmp_path):
    root = site(tmp_path, SETTINGS)
    assert run(capsys, root)[0] == 0
    requests = asked(server, f"{CROSSREF}/works")
    dois = [value.removeprefix("doi:") for query in requests
            for value in query["filter"].split(",")]
    with_doi = {item["DOI"].lower() for item in synced(root).values() if "DOI" in item}
    assert len(dois) == len(set(dois)) and set(dois) >= with_doi
    assert len(requests) == -(-len(dois) // crossref.BATCH) == 2
    for query in requests:
        assert int(query["rows"]) == query["filter"].count("doi:") <= crossref.BATCH
        assert query["mailto"] == "a@example.org" and "api_key" not in query
        assert "author" in query["select"].split(",")


def test_a_second_sync_asks_crossref_and_arxiv_nothing_and_changes_nothing(server, capsys,
                                                                          tmp_path):
    root = site(tmp_path, SETTINGS)
    assert run(capsys, root)[0] == 0
    first = (root / "content" / "synced.json").read_bytes()
    server.requests.clear()
    code, out, err = run(capsys, root)
    assert code == 0, err
    assert not asked(server, f"{CROSSREF}/works") and not asked(server, f"{ARXIV}/api/query")
    assert (root / "content" / "synced.json").read_bytes() == first
    assert "changed:" not in out and "Crossref" not in err
    server.requests.clear()
    code, _, err = run(capsys, root, "--offline")  # and offline, from the cache alone
    assert code == 0, err
    assert not server.requests
    assert (root / "content" / "synced.json").read_bytes() == first


def test_arxiv_fills_a_preprint_orcid_lists_without_a_date(server, capsys, tmp_path):
    root = site(tmp_path, SETTINGS)
    code, out, err = run(capsys, root)
    assert code == 0, err
    preprint = next(i for i in synced(root).values()
                    if i.get("custom", {}).get("arxiv") == PREPRINT)
    assert preprint["issued"] == {"date-parts": [[2017, 7, 27]]}
    # Split as every name written out is (names.parse_name): the last word is the family.
    assert preprint["author"][0] == {"family": "Immink", "given": "Kees A. Schouhamer"}
    assert len(preprint["author"]) > 20
    assert preprint["abstract"].startswith("The 10th Asia-Europe workshop in")
    assert preprint["type"] == "article"  # ORCID said preprint
    assert preprint["custom"]["from-arxiv"] == ["abstract", "author", "issued"]
    assert "Proceedings of Workshop AEW10" not in out.split("left out, no date")[-1]
    [query] = asked(server, f"{ARXIV}/api/query")
    assert query == {"id_list": PREPRINT, "max_results": "1"}


@pytest.mark.parametrize("service, answer, said", [
    ("crossref", (500, {"Content-Type": "application/json"}, b'{"status":"error"}'),
     "the service failed (500)"),
    ("crossref", cassette_body("crossref-works-cassette.yml", WORKS_URI)[1][:2000],
     "is not JSON"),
    ("arxiv", (200, {"Content-Type": "application/atom+xml"},
               b'<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY a "aaaaaaaaaa">]>'
               b'<feed xmlns="http://www.w3.org/2005/Atom">&a;</feed>'),
     "a document type declaration"),
])
def test_a_failing_crossref_or_arxiv_changes_no_file_and_says_so_in_one_line(
        server, capsys, tmp_path, service, answer, said):
    root = site(tmp_path, SETTINGS)
    assert run(capsys, root)[0] == 0
    (root / "content" / "synced.json").unlink()  # so that both are asked again
    before = files(root)
    path = f"{CROSSREF}/works" if service == "crossref" else f"{ARXIV}/api/query"
    server.routes.clear()
    server.by_query.clear()
    orcid_works(server, ORCID, assembled_orcid())
    nothing_found(server)
    server.route_by_query(f"{CROSSREF}/works", answer_crossref)  # as in the first run
    server.route_by_query(path, lambda _: answer)
    code, out, err = run(capsys, root)
    name = {"crossref": "Crossref", "arxiv": "arXiv"}[service]
    assert code == 1 and "Traceback" not in err
    [line] = [text for text in err.splitlines() if said in text]
    assert line.startswith(f"sync: {name}: ") and f"leave {service} out of sync: sources" in line
    assert len(line) < 400  # the batch's long query is said in short
    assert files(root) == before


def test_a_value_openalex_gave_is_never_replaced():
    """The rule, on a real OpenAlex work and a real Crossref record: blanks only."""
    work = json.loads(fixture("openalex-works-page-1.json"))["results"][1]
    item = csl_item(work)
    record = crossref.csl_fields(next(iter(crossref_records().values())))
    result = enrich.filled(item, record, crossref.MARK)
    for field in ("title", "author", "issued", "container-title", "type", "DOI"):
        assert result[field] == item[field]
    assert (result["volume"], result["page"]) == (record["volume"], record["page"])
    assert result["custom"]["openalex"] == item["custom"]["openalex"]
    assert result["custom"][crossref.MARK] == ["ISSN", "issue", "page", "publisher", "volume"]


def test_sources_naming_only_crossref_and_arxiv_is_refused_at_its_line(capsys, tmp_path):
    from generator.cli import main

    root = site(tmp_path, f"  orcid: {ORCID}\n  sources: [crossref, arxiv]\n")
    assert main(["sync", "-C", str(root)]) == 1
    assert "site.yaml:4:12: sync 'sources' names only services that fill in works" in (
        capsys.readouterr().err)


def test_the_build_shows_what_crossref_filled_in(server, capsys, tmp_path):
    root = site(tmp_path, SETTINGS)
    assert run(capsys, root)[0] == 0
    result = build(root, {"output": str(tmp_path / "_site")})
    page = next(path for path in result.files
                if path.startswith("papers/application-of-image-fusion")
                and path.endswith("index.html"))
    html = (tmp_path / "_site" / page).read_text(encoding="utf-8")
    assert "Xuewen Ding" in html and "Zhaojun Xue" in html and "413" in html
    bib = (tmp_path / "_site" / page.replace("index.html", "citation.bib")).read_text(
        encoding="utf-8")
    assert "Ding, Xuewen" in bib and "413--420" in bib and "volume = {6}" in bib
    assert "AICIT" in bib
