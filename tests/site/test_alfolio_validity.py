"""A site built from al-folio bibliographies, with every al-folio field a paper can show
(PDF, preview picture, code, HTML, website, video, blog, supplement, venue badge, award,
additional_info, a source's url, one with a space), is valid HTML by the Nu HTML Checker
in both built-in themes."""

from __future__ import annotations

import shutil

import pytest
from sitekit import REPO, format_vnu, run_vnu

from generator.build import build

FIXTURES = REPO / "tests" / "fixtures" / "bib"
EVERY_FIELD = (
    "@inproceedings{ada2020, title = {Engines}, author = {Lovelace, Ada}, year = {2020}, "
    "booktitle = {Proceedings of Engines}, abbr = {PoE}, award = {For the best engine.}, "
    "award_name = {Best Paper}, website = {https://engines.example.org/}, "
    "video = {https://v.example.org/1}, blog = {https://b.example.org/post}, "
    "supp = {https://s.example.org/supp.pdf}, html = {https://h.example.org/}, "
    "code = {https://github.com/ada/engines}, additional_info = {Oral presentation}, "
    "url = {https://example.org/engines}, selected = {true}}\n")


@pytest.mark.parametrize("theme", ["scholar", "minimal"])
def test_an_al_folio_site_is_valid_html(tmp_path, vnu, theme):
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    shutil.copyfile(FIXTURES / "al-folio.bib", site / "content" / "example.bib")
    shutil.copyfile(FIXTURES / "al-folio-site.bib", site / "content" / "papers.bib")
    # a Zotero export whose url holds a space: percent-encoded in every href
    shutil.copyfile(FIXTURES / "zotero-url-space.bib", site / "content" / "zotero.bib")
    (site / "content" / "every.bib").write_text(EVERY_FIELD, encoding="utf-8")
    for name, data in {"static/assets/pdf/example_pdf.pdf": b"%PDF-1.4\n",
                       "static/assets/img/publication_preview/2024PruMerge.png": b"png"
                       }.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_bytes(data)
    (site / "site.yaml").write_text("name: Ada Lovelace\nas_of: 2026-01-01\n"
                                    f"theme: {theme}\nbase_url: https://ada.example.org/\n",
                                    encoding="utf-8")
    result = build(site)
    pages = sorted(result.config.output.rglob("*.html"))
    assert len(pages) > 40
    problems = [format_vnu(m, str) for m in run_vnu(pages)]
    assert not problems, "\n".join(problems)
