"""ORCID-only works with no DOI get their authors from the work's full ORCID record
(`/v3.0/<iD>/work/<put-code>`, its contributors), served from rOpenSci rorcid's recorded
responses for Sebastian Kreutzer's works 77226586 (four contributors) and 40038622 (none).
The works list that names them is assembled from those two records (tests/fixtures/
SOURCES.md): no recording of his list was found."""

from __future__ import annotations

import json

from .sync_server import cassette_body
from .test_sync import run, server, site  # noqa: F401

ORCID = "0000-0002-0734-2199"  # Sebastian Kreutzer, as rorcid's cassettes recorded him
WORKS = {77226586: "orcid-work-contributors-cassette.yml",
         40038622: "orcid-work-no-contributors-cassette.yml"}
#: What a work summary holds of a full work record (ORCID v3.0's work-summary).
SUMMARY = ("put-code", "created-date", "last-modified-date", "source", "title",
           "external-ids", "url", "type", "publication-date", "journal-title", "visibility",
           "path")


def recorded(code: int) -> bytes:
    return cassette_body(WORKS[code], f"https://pub.orcid.org/v3.0/{ORCID}/work/{code}")[1]


def works_list() -> bytes:
    groups = []
    for code in WORKS:
        work = json.loads(recorded(code))
        summary = {key: work.get(key) for key in SUMMARY}
        groups.append({"last-modified-date": work["last-modified-date"],
                       "external-ids": work["external-ids"], "work-summary": [summary]})
    return json.dumps({"last-modified-date": None, "group": groups,
                       "path": f"/{ORCID}/works"}).encode()


def test_an_orcid_only_work_without_a_doi_gets_its_contributors_once(
        server, capsys, tmp_path):  # noqa: F811 (the fixture)
    root = site(tmp_path, f"  orcid: {ORCID}\n  sources: [orcid]\n")
    server.route(f"/v3.0/{ORCID}/works", works_list())
    for code in WORKS:
        server.route(f"/v3.0/{ORCID}/work/{code}", recorded(code))
    code, out, err = run(capsys, root)
    assert code == 0, err
    items = {item["id"]: item for item in json.loads(
        (root / "content/synced.json").read_text(encoding="utf-8"))}
    aftermath = items["orcid:77226586"]
    assert [a.get("family") for a in aftermath["author"]] == [
        "Kreutzer", "Tribolo", "Martin", "Mercier"]
    assert aftermath["custom"]["from-orcid-work"] == ["author"]
    alone = items["orcid:40038622"]  # its record lists no contributors
    assert "author" not in alone and alone["custom"]["from-orcid-work"] == []
    asked = sorted(path for path, _, _ in server.requests if "/work/" in path)
    assert asked == [f"/v3.0/{ORCID}/work/40038622", f"/v3.0/{ORCID}/work/77226586"]
    first = (root / "content/synced.json").read_bytes()
    server.requests.clear()
    assert run(capsys, root)[0] == 0  # each work was asked once: carried over now
    assert [path for path, _, _ in server.requests] == [f"/v3.0/{ORCID}/works"]
    assert (root / "content/synced.json").read_bytes() == first


def test_each_synced_work_names_the_configured_author_it_was_fetched_for(
        server, capsys, tmp_path):  # noqa: F811 (the fixture)
    # Room for a group site: several members' works in one synced.json, each saying whose
    # list it is on (the lab is not built yet; the field is there from the first sync).
    from .test_sync import AUTHOR, BOTH, routes
    from .test_sync import ORCID as CHAMBERLAIN

    root = site(tmp_path, BOTH)
    routes(server)
    assert run(capsys, root)[0] == 0
    items = {item["id"]: item for item in json.loads(
        (root / "content/synced.json").read_text(encoding="utf-8"))}
    assert items["openalex:W2741809807"]["custom"]["synced-for"] == [f"openalex:{AUTHOR}"]
    orcid_only = [i for i in items.values() if "openalex" not in i["custom"]]
    assert orcid_only and all(i["custom"]["synced-for"] == [f"orcid:{CHAMBERLAIN}"]
                              for i in orcid_only)


def test_one_work_found_for_two_authors_names_both():
    from generator.sync.items import merged

    first = {"id": "openalex:W1", "title": "T", "custom": {
        "openalex": "W1", "synced-for": ["openalex:A1"]}}
    later = {"id": "orcid:7", "title": "T", "DOI": "10.1/x", "custom": {
        "orcid-put-code": 7, "synced-for": ["orcid:0000-0002-1825-0097", "openalex:A1"]}}
    item = merged(first, later)
    assert item["custom"]["synced-for"] == ["openalex:A1", "orcid:0000-0002-1825-0097"]
    assert item["DOI"] == "10.1/x" and item["id"] == "openalex:W1"


def test_an_orcid_work_whose_doi_crossref_does_not_know_gets_its_contributors(
        server, capsys, tmp_path):  # noqa: F811 (the fixture)
    # Figshare's and Zenodo's DOIs are DataCite's: Crossref knows none of them (35 of the
    # recorded Chamberlain list's authorless works). Assembled: the recorded work 77226586
    # listed with a Zenodo DOI, Crossref answering with its recorded empty list.
    root = site(tmp_path, f"  orcid: {ORCID}\n  sources: [orcid, crossref]\n")
    listed = json.loads(works_list())
    summary = listed["group"][0]["work-summary"][0]
    assert summary["put-code"] == 77226586
    summary["external-ids"] = {"external-id": [{
        "external-id-type": "doi", "external-id-value": "10.5281/zenodo.1183667",
        "external-id-url": None, "external-id-relationship": "self"}]}
    server.route(f"/v3.0/{ORCID}/works", json.dumps(listed).encode())
    for code in WORKS:
        server.route(f"/v3.0/{ORCID}/work/{code}", recorded(code))
    code, out, err = run(capsys, root)
    assert code == 0, err
    items = {item["id"]: item for item in json.loads(
        (root / "content/synced.json").read_text(encoding="utf-8"))}
    work = items["orcid:77226586"]
    assert work["DOI"] == "10.5281/zenodo.1183667"
    assert work["custom"]["from-crossref"] == []  # asked, nothing known
    assert [a.get("family") for a in work["author"]] == [
        "Kreutzer", "Tribolo", "Martin", "Mercier"]
    assert work["custom"]["from-orcid-work"] == ["author"]
