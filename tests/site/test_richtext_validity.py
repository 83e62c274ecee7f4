"""Titles and abstracts with italics and MathML (real titles of tests/fixtures/bib: a
biology thesis's `\\textit{Drosophila}`, publishers' `{CD4}$^+$`, `$O$(m log n)`, Wiley's
`${\\bf {{\\cal G}(n, {k \\over n})}}$`) make pages the Nu HTML Checker finds valid."""

from __future__ import annotations

import shutil

from sitekit import REPO, run_vnu

from generator.build import build

SOURCES = ("furrow-drosophila.bib", "bib-scrape-math.bib")


def test_pages_with_mathml_and_italics_in_titles_are_valid_html(tmp_path, vnu):
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    for name in SOURCES:
        shutil.copyfile(REPO / "tests" / "fixtures" / "bib" / name, site / "content" / name)
    (site / "site.yaml").write_text("name: Ada Lovelace\nas_of: 2026-01-01\n",
                                    encoding="utf-8")
    result = build(site)
    pages = sorted((site / "_site").rglob("*.html"))
    math = [page for page in pages if "<math" in page.read_text(encoding="utf-8")]
    assert len(math) >= 5, result.summary  # the home page, 4 paper pages at least
    assert run_vnu(pages) == []
