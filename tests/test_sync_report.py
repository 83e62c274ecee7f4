"""What a sync says, week after week, against recorded answers on a local server
(tests/sync_server.py): news only. Works left out again (no date upstream, excluded
before) are one folded line of the pull request's body, not a list every week; a file
that holds the same bytes is not "wrote"; a work back upstream says how its count moved;
a folder without site.yaml is named as the file missing."""

from __future__ import annotations

import json

import pytest

from generator.cli import main

from .sync_server import fixture, point_at, serving
from .test_sync import AUTHOR, DATE, KEY, ORCID, routes, run, site

SYNC = f"  openalex: {AUTHOR}\n  orcid: {ORCID}\n  sources: [openalex, orcid]\n"
EXCLUDING = SYNC + "  exclude: [10.7717/peerj.4375]\n"
NEXT_WEEK = "2026-12-14"


@pytest.fixture
def server(monkeypatch):
    with serving() as server:
        point_at(server, monkeypatch)
        monkeypatch.setenv("OPENALEX_API_KEY", KEY)
        yield server


def report_of(capsys, root, path, date: str) -> tuple[str, str]:
    assert main(["sync", "-C", str(root), "--date", date, "--report", str(path)]) == 0
    return path.read_text(encoding="utf-8"), capsys.readouterr().out


def test_works_left_out_again_are_one_folded_line_not_a_weekly_list(server, capsys,
                                                                     tmp_path):
    root = site(tmp_path / "site", SYNC)
    routes(server)
    assert run(capsys, root)[0] == 0
    site(root, EXCLUDING)  # the researcher excludes a work: news this week
    body, out = report_of(capsys, root, tmp_path / "r1.md", NEXT_WEEK)
    assert "### Excluded now (by `exclude:`)\n\n- The state of OA" in body
    assert "excluded: The state of OA" in out
    assert "### Left out" not in body  # ORCID's undated works: folded, not a section
    assert "<details><summary>Left out, as at the last sync: 14 with no date upstream" in body
    assert "- a figure \\(no year\\)" in body.split("<details>")[1]
    body, out = report_of(capsys, root, tmp_path / "r2.md", "2026-12-21")  # nothing new
    assert "### Excluded" not in body and "excluded: The state of OA" not in out
    assert ("<details><summary>Left out, as at the last sync: 14 with no date upstream, "
            "1 excluded by `exclude:` before</summary>") in body
    assert "1 excluded as before" in out


def test_a_file_that_holds_the_same_bytes_is_not_said_to_be_written(server, capsys,
                                                                    tmp_path):
    root = site(tmp_path / "site", SYNC)
    routes(server)
    code, out, _ = run(capsys, root)
    assert code == 0 and "wrote content/synced.json" in out
    assert f"wrote content/metrics/{DATE}.json" in out
    before = (root / "content" / "synced.json").stat().st_mtime_ns
    assert main(["sync", "-C", str(root), "--date", NEXT_WEEK]) == 0
    out = capsys.readouterr().out
    assert "wrote content/synced.json" not in out  # the same works, the same bytes
    assert f"wrote content/metrics/{NEXT_WEEK}.json" in out
    assert (root / "content" / "synced.json").stat().st_mtime_ns == before


def test_a_work_back_upstream_with_a_new_count_says_how_it_moved(server, capsys, tmp_path):
    root = site(tmp_path / "site", f"  openalex: {AUTHOR}\n  sources: [openalex]\n")
    routes(server)
    assert run(capsys, root)[0] == 0
    page = json.loads(fixture("openalex-works-page-1.json"))
    gone = page["results"].pop(0)
    routes(server, page_1=json.dumps(page).encode())
    assert run(capsys, root)[0] == 0
    page = json.loads(fixture("openalex-works-page-1.json"))
    page["results"][0]["cited_by_count"] += 10  # back, cited ten times more (scripted)
    routes(server, page_1=json.dumps(page).encode())
    code, out, _ = run(capsys, root)
    count = gone["cited_by_count"]
    assert code == 0
    assert (f"changed: {gone['display_name']} (2017): back upstream, citations {count} → "
            f"{count + 10}") in out


def test_sync_in_a_folder_without_site_yaml_names_the_file_missing(capsys, tmp_path):
    code = main(["sync", "-C", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 1
    assert f"{tmp_path / 'site.yaml'}:1:1: no such file: expected the site's settings" in err
    assert "no 'sync:' setting" not in err and "Traceback" not in err
