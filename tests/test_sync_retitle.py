"""A synced work retitled upstream: its per-paper file keeps applying and its old address
keeps working, in a build from a clean checkout (nothing but the committed files). The
work is a real recorded one (tests/fixtures/sync/, OpenAlex's bibliometrix paper); the new
title is scripted by the test's server, as SOURCES.md says of scripted answers."""

from __future__ import annotations

import json
import shutil

import pytest

from generator.build import build

from .sync_server import fixture, point_at, serving
from .test_sync import BOTH, KEY, routes, run, site

#: The two services the recorded answers are of, named: no other is asked.
SYNC = BOTH + "  sources: [openalex, orcid]\n"

OLD_SLUG = "bibliometrix-an-r-tool-for-comprehensive-science-mapping"
NEW_TITLE = "Bibliometrix: an R tool for science mapping (revised title)"
NEW_SLUG = "bibliometrix-an-r-tool-for-science-mapping-revised-title"
CORRECTION = "---\nvenue: J. Informetrics (corrected by hand)\nfeatured: true\n---\nA note.\n"


@pytest.fixture
def server(monkeypatch):
    with serving() as server:
        point_at(server, monkeypatch)
        monkeypatch.setenv("OPENALEX_API_KEY", KEY)
        yield server


def retitled_page() -> bytes:
    """Page 1 as recorded, its first work (bibliometrix) under a new title: scripted."""
    page = json.loads(fixture("openalex-works-page-1.json"))
    page["results"][0]["title"] = page["results"][0]["display_name"] = NEW_TITLE
    return json.dumps(page).encode()


def clean_build(root, out):
    """A build as CI makes it from a checkout: no build record, no earlier output."""
    shutil.rmtree(root / ".scholarfolio-cache", ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    return build(root, {"output": str(out)})


def test_a_synced_work_retitled_upstream_keeps_its_correction_file_and_old_address(
        server, capsys, tmp_path):
    root = site(tmp_path / "site", SYNC)
    out = tmp_path / "_site"
    routes(server)
    assert run(capsys, root)[0] == 0
    (root / "content" / "papers").mkdir()
    (root / "content" / "papers" / f"{OLD_SLUG}.md").write_text(CORRECTION, encoding="utf-8")
    clean_build(root, out)
    assert "corrected by hand" in (out / "papers" / OLD_SLUG / "index.html").read_text(
        encoding="utf-8")

    routes(server, page_1=retitled_page())
    code, _out, err = run(capsys, root, "--report", str(tmp_path / "report.md"))
    assert code == 0, err
    assert f"content/papers/{OLD_SLUG}.md still applies" in err
    report = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert f"papers/{OLD_SLUG}/ redirects" in report
    assert f"content/papers/{OLD_SLUG}.md still applies" in report
    items = json.loads((root / "content" / "synced.json").read_text(encoding="utf-8"))
    work = next(i for i in items if i["id"] == "openalex:W2755950973")
    assert work["title"] == NEW_TITLE
    assert work["custom"]["scholarfolio-former-titles"] == [
        "bibliometrix : An R-tool for comprehensive science mapping analysis"]

    result = clean_build(root, out)
    page = (out / "papers" / NEW_SLUG / "index.html").read_text(encoding="utf-8")
    assert "corrected by hand" in page and "A note." in page
    redirect = (out / "papers" / OLD_SLUG / "index.html").read_text(encoding="utf-8")
    assert f"papers/{NEW_SLUG}/" in redirect
    assert not [w for w in result.warnings if OLD_SLUG in str(w)]  # no guess: it is known

    routes(server, page_1=retitled_page())  # a sync with nothing new keeps the old title
    assert run(capsys, root)[0] == 0
    again = json.loads((root / "content" / "synced.json").read_text(encoding="utf-8"))
    assert again == items


def test_a_retitled_work_without_a_file_keeps_its_old_address(server, capsys, tmp_path):
    root = site(tmp_path / "site", SYNC)
    out = tmp_path / "_site"
    routes(server)
    assert run(capsys, root)[0] == 0
    routes(server, page_1=retitled_page())
    code, _out, err = run(capsys, root)
    assert code == 0 and f"papers/{OLD_SLUG}/ redirects" in err
    assert "still applies" not in err
    clean_build(root, out)
    assert (out / "papers" / NEW_SLUG / "index.html").exists()
    assert f"papers/{NEW_SLUG}/" in (out / "papers" / OLD_SLUG / "index.html").read_text(
        encoding="utf-8")


def test_a_work_given_back_its_old_title_has_no_alias_at_its_own_address(server, capsys,
                                                                          tmp_path):
    root = site(tmp_path / "site", SYNC)
    out = tmp_path / "_site"
    routes(server)
    assert run(capsys, root)[0] == 0
    routes(server, page_1=retitled_page())
    assert run(capsys, root)[0] == 0
    routes(server)  # the old title again: the page is back at its old address
    assert run(capsys, root)[0] == 0
    items = json.loads((root / "content" / "synced.json").read_text(encoding="utf-8"))
    work = next(i for i in items if i["id"] == "openalex:W2755950973")
    assert work["custom"]["scholarfolio-former-titles"] == [NEW_TITLE]
    clean_build(root, out)
    assert "comprehensive science mapping" in (out / "papers" / OLD_SLUG / "index.html"
                                               ).read_text(encoding="utf-8")
    assert f"papers/{OLD_SLUG}/" in (out / "papers" / NEW_SLUG / "index.html").read_text(
        encoding="utf-8")


def test_an_old_address_two_works_had_is_neither_s_alias(server, capsys, tmp_path):
    root = site(tmp_path / "site", SYNC)
    out = tmp_path / "_site"
    routes(server)
    assert run(capsys, root)[0] == 0
    path = root / "content" / "synced.json"
    items = json.loads(path.read_text(encoding="utf-8"))
    for item in items[:2]:  # both once had one title: no address may be two pages
        item["custom"]["scholarfolio-former-titles"] = ["Preprint"]
    path.write_text(json.dumps(items), encoding="utf-8")
    clean_build(root, out)
    assert not (out / "papers" / "preprint").exists()


def test_former_titles_are_bounded_where_they_are_read(tmp_path):
    from generator.sources.csljson import MAX_FORMER, read_csljson

    item = {"id": "w", "type": "article-journal", "title": "Now",
            "issued": {"date-parts": [[2020]]},
            "custom": {"scholarfolio-former-titles": [f"Old title {n}" for n in range(5000)]
                       + ["x" * 2_000_000, 42, None]}}
    path = tmp_path / "synced.json"
    path.write_text(json.dumps([item]), encoding="utf-8")
    (entry,), _ = read_csljson(path, "synced.json")
    aliases = dict(entry.paper_fields)["aliases"]
    assert len(aliases) == MAX_FORMER and aliases[0] == "papers/old-title-0/"
