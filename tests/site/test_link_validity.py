"""Pages whose DOIs hold what a URL may not hold raw are valid HTML by the Nu HTML Checker:
a synced work's (the recorded ORCID works, `10.1603/0046-225X(2008)37[808:ROHBHA]2.0.CO;2`)
and a bibliography's (nilearn's references, Wiley's SICI DOIs with `<` and `>`)."""

from __future__ import annotations

import shutil

from sitekit import REPO, format_vnu, run_vnu

from generator.build import build
from generator.cli import main
from tests.sync_server import cassette_body, orcid_works, point_at, serving

ORCID = "0000-0003-1444-9135"


def test_pages_with_sici_dois_synced_and_from_a_bibliography_are_valid_html(
        tmp_path, monkeypatch, vnu):
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    shutil.copyfile(REPO / "tests" / "fixtures" / "bib" / "nilearn-references.bib",
                    site / "content" / "references.bib")
    (site / "site.yaml").write_text(
        f"name: Scott Chamberlain\nas_of: 2026-01-01\nsync:\n  orcid: {ORCID}\n"
        "  sources: [orcid]\n", encoding="utf-8")
    with serving() as server:
        point_at(server, monkeypatch)
        status, body = cassette_body("orcid-works-cassette.yml",
                                     f"https://pub.orcid.org/v3.0/{ORCID}/works")
        assert status == 200
        orcid_works(server, ORCID, body)  # the list, and each work's record
        assert main(["sync", "-C", str(site), "--date", "2026-12-07"]) == 0
    build(site)
    pages = sorted((site / "_site").rglob("*.html"))
    texts = [page.read_text(encoding="utf-8") for page in pages]
    assert any("37%5b808:rohbha%5d2.0.co;2" in text.lower() for text in texts)  # as ORCID wrote it
    assert any("8:4%3C272::AID-HBM10%3E3.0.CO;2-4" in text for text in texts)
    problems = [format_vnu(m, lambda p: str(p.relative_to(site))) for m in run_vnu(pages)]
    assert not problems, "\n".join(problems)
