"""al-folio's fields of a .bib (sources/alfolio.py) shown with the theme's elements (PDF
and link buttons, the venue badge, the paper page's thumbnail, Selected papers), a
per-paper file's fields winning over them, a source's `url` linking the paper, and the
one rule of what leaves the site (sources/public.py): sites built from real exports (an
al-folio site's papers.bib, al-folio's own example, two Zotero Better BibTeX exports with
`file` paths into Zotero/storage and `annotation` notes) carry none of their private
fields in any file of the output."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.build import BuildResult, build
from generator.sources.alfolio import SITE_ONLY
from generator.sources.bibtex import read_bibtex

from .test_sources import FIXTURES, SITE_YAML, bib_site, meta, page_titled, pages, text

AL_FOLIO_SITE = FIXTURES / "bib" / "al-folio-site.bib"  # an al-folio site's papers.bib
AL_FOLIO = FIXTURES / "bib" / "al-folio.bib"  # al-folio's own example
ZOTERO = {"zotero-storage": FIXTURES / "bib" / "zotero-storage.bib",
          "zotero-better-bibtex": FIXTURES / "bib" / "zotero-better-bibtex.bib"}
PREVIEWS = "static/assets/img/publication_preview"
URL_SPACE = FIXTURES / "bib" / "zotero-url-space.bib"  # two entries whose url has a space


def with_files(site: Path, names: dict[str, bytes]) -> Path:
    for name, data in names.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_bytes(data)
    return site


@pytest.fixture(scope="module")
def al_folio_site(tmp_path_factory) -> BuildResult:
    """The al-folio site's papers.bib with two of its preview pictures copied as al-folio
    keeps them (assets/img/publication_preview/, here under static/)."""
    site = bib_site(tmp_path_factory.mktemp("al-folio-site") / "site",
                    {"papers.bib": AL_FOLIO_SITE})
    return build(with_files(site, {f"{PREVIEWS}/2024PruMerge.png": b"\x89PNG\r\n",
                                   f"{PREVIEWS}/PBLLM.png": b"\x89PNG\r\n"}))


def test_abbr_is_the_venue_badge_and_selected_papers_are_featured(al_folio_site):
    home = text(al_folio_site, "index.html")
    assert ('<span class="visually-hidden">Venue: </span>TPAMI 2025</span>'
            in text(al_folio_site, "publications/index.html"))
    selected = home.split('id="selected-heading"', 1)[1].split("</section>", 1)[0]
    assert "LLaVA-PruMerge" in selected and "PB-LLM" in selected
    assert "E-CAR" not in selected  # selected = {false}


def test_code_and_arxiv_are_link_buttons(al_folio_site):
    _, page = page_titled(al_folio_site, "LLaVA-PruMerge: Adaptive Token Reduction for "
                          "Efficient Large Multimodal Models")
    assert 'href="https://llava-prumerge.github.io/"' in page  # code = {...}
    assert 'href="https://arxiv.org/abs/2403.15388"' in page  # arxiv = {...}
    assert meta(page, "citation_arxiv_id") == ["2403.15388"]


def test_a_preview_in_static_is_the_thumbnail_and_a_missing_one_a_warning(al_folio_site):
    _, page = page_titled(al_folio_site, "LLaVA-PruMerge: Adaptive Token Reduction for "
                          "Efficient Large Multimodal Models")
    src = "/assets/assets/img/publication_preview/2024PruMerge.png"
    [image] = re.findall(r'<img class="thumbnail paper-thumb"[^>]*>', page)
    assert f'src="{src}"' in image
    # A reserved box (no layout shift), not lazy (above the fold), after the title and
    # authors (beside them: the header is a row), not between them.
    assert 'width="256" height="160"' in image and "loading" not in image
    head = page[page.index('<div class="paper-head">'):page.index(image)]
    assert '<h1 id="paper-title">' in head and 'class="paper-authors"' in head
    assert src.lstrip("/") in al_folio_site.files  # the very file it links is published
    missing = [w for w in al_folio_site.warnings if "preview" in w.message]
    assert missing and all("is left out: no file static/assets/img/publication_preview/"
                           in w.message for w in missing)
    source = AL_FOLIO_SITE.read_text(encoding="utf-8").splitlines()
    for warning in missing:  # at the entry's line, which names the entry
        assert source[warning.line - 1].startswith("@")
        assert warning.message.startswith(f"'{source[warning.line - 1].split('{')[1][:-1]}'")
    assert not any("2024PruMerge" in w.message or "PBLLM" in w.message for w in missing)


def test_a_pdf_in_static_is_the_pdf_button_and_citation_pdf_url(tmp_path):
    site = bib_site(tmp_path / "site", {"papers.bib": AL_FOLIO},
                    SITE_YAML + "base_url: https://ada.example.org/\n")
    result = build(with_files(site, {"static/assets/pdf/example_pdf.pdf": b"%PDF-1.4\n"}))
    _, page = page_titled(result, "Can Quantum-Mechanical Description of Physical Reality "
                          "Be Considered Complete?")
    assert 'href="/assets/assets/pdf/example_pdf.pdf"' in page
    assert meta(page, "citation_pdf_url") == [
        "https://ada.example.org/assets/assets/pdf/example_pdf.pdf"]
    assert 'href="https://journals.aps.org/pr/abstract/10.1103/PhysRev.47.777"' in page
    assert not any("example_pdf" in w.message for w in result.warnings)


@pytest.mark.parametrize("theme", ["scholar", "minimal"])
def test_every_theme_shows_the_links_badges_and_awards(tmp_path, theme):
    bib = ("@inproceedings{ada2020, title = {Engines}, author = {Lovelace, Ada}, "
           "year = {2020}, booktitle = {Proceedings of Engines}, abbr = {PoE}, "
           "award = {For the best engine.}, award_name = {Best Paper}, "
           "website = {https://engines.example.org/}, video = {https://v.example.org/1},"
           " additional_info = {Oral presentation}}\n")
    result = build(bib_site(tmp_path / "site", {"papers.bib": bib},
                            SITE_YAML + f"theme: {theme}\n"))
    home = text(result, "publications/index.html")
    (page,) = pages(result).values()
    for html in (home, page):
        assert "Best Paper" in html and "https://engines.example.org/" in html
        assert "https://v.example.org/1" in html
    assert "PoE" in page and ("PoE" in home) == (theme == "scholar")  # minimal: the venue
    assert "For the best engine." in page and "Oral presentation" in page


def test_a_per_paper_file_wins_over_the_bibliography(tmp_path):
    bib = ("@article{ada2020, title = {Engines}, author = {Lovelace, Ada}, year = {2020}, "
           "journal = {J}, selected = {true}, code = {https://github.com/ada/old}}\n")
    site = bib_site(tmp_path / "site", {"papers.bib": bib})
    result = build(with_files(site, {"content/papers/engines.md":
                                     b"---\nfeatured: false\ncode: https://github.com/ada/new\n"
                                     b"---\n"}))
    page = pages(result)["engines"]
    assert "https://github.com/ada/new" in page and "ada/old" not in page
    assert 'id="selected-heading"' not in text(result, "index.html")


@pytest.mark.parametrize("value, why", [
    ("../../site.yaml", "expected an http(s) URL or a file name"),
    ("x.pdf", "no file static/assets/pdf/x.pdf"),
    ("javascript:alert(1)", "expected an http(s) URL or a file name"),
    ("//evil.example/x.pdf", "expected an http(s) URL or a file name"),
    ("/\\\\evil.example/x.pdf", "expected an http(s) URL or a file name"),
    ("/../x.pdf", "expected an http(s) URL or a file name"),
])
def test_a_pdf_that_leads_nowhere_is_left_out_with_a_warning(tmp_path, value, why):
    bib = ("@article{ada2020, title = {Engines}, author = {Lovelace, Ada}, year = {2020}, "
           f"journal = {{J}}, pdf = {{{value}}}}}\n")
    result = build(bib_site(tmp_path / "site", {"papers.bib": bib}))
    (warning,) = [w for w in result.warnings if "pdf = " in w.message]
    assert warning.line == 1 and why in warning.message and "is left out" in warning.message
    assert ">PDF<" not in pages(result)["engines"]


def test_a_pdf_whose_file_leads_out_of_the_site_is_left_out_with_a_warning(tmp_path):
    """The reader never links a file outside the site (containment.inside); a build of
    such a static/ folder stops anyway, at the file (build.assemble_site)."""
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "static" / "assets" / "pdf").mkdir(parents=True)
    (tmp_path / "secret.pdf").write_bytes(b"secret")
    (site / "static" / "assets" / "pdf" / "link.pdf").symlink_to(tmp_path / "secret.pdf")
    bib = site / "content" / "papers.bib"
    bib.write_text("@article{ada2020, title = {Engines}, author = {Lovelace, Ada}, "
                   "year = {2020}, journal = {J}, pdf = {link.pdf}}\n", encoding="utf-8")
    entries, problems = read_bibtex(bib, "content/papers.bib")
    assert dict(entries[0].paper_fields).get("pdf") is None
    (problem,) = problems
    assert problem.warning and problem.line == 1
    assert "pdf = {link.pdf} is left out: static/assets/pdf/link.pdf leads outside the " \
        "site folder" in problem.message


@pytest.mark.parametrize("url, pdf, button", [
    ("https://example.org/engines.pdf", "https://example.org/engines.pdf", None),
    ("https://example.org/engines", None, "https://example.org/engines"),
    ("https://doi.org/10.1000/xyz123", None, None),  # the DOI button is that link
])
def test_a_source_url_links_the_paper(tmp_path, url, pdf, button):
    bib = ("@article{ada2020, title = {Engines}, author = {Lovelace, Ada}, year = {2020}, "
           f"journal = {{J}}, doi = {{10.1000/xyz123}}, url = {{{url}}}}}\n")
    result = build(bib_site(tmp_path / "site", {"papers.bib": bib},
                            SITE_YAML + "base_url: https://ada.example.org/\n"))
    page = pages(result)["engines"]
    assert meta(page, "citation_pdf_url") == ([pdf] if pdf else [])
    assert (f'<a class="button" href="{button}">' in page) == (button is not None)



def test_a_source_url_with_a_space_is_linked_percent_encoded(tmp_path):
    # A real Zotero export: its `~` lost, the address holds a space (no URL may hold one).
    result = build(bib_site(tmp_path / "site", {"papers.bib": URL_SPACE}))
    page = pages(result)["learning-and-evaluating-boltzmann-machines"]
    assert meta(page, "citation_pdf_url") == [
        "http://www.cs.toronto.edu/%20rsalakhu/papers/bm.pdf"]
    assert not re.search(r'(href|src|content)="[^"]* [^"]*"', page.split("</head>")[1])
    assert "toronto.edu/ rsalakhu" not in text(result, "index.html")

# -- only public fields leave the site ---------------------------------------------------------

#: Fields a reference manager or an al-folio site keeps for its owner.
PRIVATE = ("file", "annotation", "urldate", "keywords", "copyright", "selected",
           "bibtex_show", "pdf", "preview", "abbr", "altmetric", "dimensions", "html",
           "code", "description", "timestamp", "owner", "groups", "mendeley-tags")


def private_values(source: Path) -> dict[str, set[str]]:
    """The values of the private fields of a .bib, as written, by field."""
    found: dict[str, set[str]] = {}
    for name, value in re.findall(r"^\s*([a-z_-]+)\s*=\s*\{(.*)\},?\s*$",
                                  source.read_text(encoding="utf-8"), re.MULTILINE):
        if name in PRIVATE:
            found.setdefault(name, set()).add(value)
    return found


@pytest.fixture(scope="module")
def private_sites(tmp_path_factory) -> dict[str, Path]:
    """A site of each real export alone, built into its _site/."""
    base = tmp_path_factory.mktemp("private")
    sources = {**ZOTERO, "al-folio": AL_FOLIO, "al-folio-site": AL_FOLIO_SITE}
    sites = {}
    for name, source in sources.items():
        result = build(bib_site(base / name, {source.name: source}))
        sites[name] = result.config.output
    return sites


@pytest.mark.parametrize("name", [*ZOTERO, "al-folio", "al-folio-site"])
def test_no_private_field_is_in_any_page_or_download(private_sites, name):
    source = {**ZOTERO, "al-folio": AL_FOLIO, "al-folio-site": AL_FOLIO_SITE}[name]
    written = private_values(source)
    assert written  # each export has private fields to keep in
    # Long values (paths, notes) are searched as they are; keywords, abbr, code and html
    # are shown on purpose (a category, the venue badge, links), never as fields.
    needles = {value for field, values in written.items()
               if field not in ("keywords", "abbr", "code", "html")
               for value in values if len(value) >= 12}
    files = [path for path in sorted(private_sites[name].rglob("*")) if path.is_file()]
    assert len(files) > 10
    field_line = re.compile(rf"^\s*({'|'.join(map(re.escape, written))})\s*=\s*[{{\"]",
                            re.MULTILINE)
    for path in files:
        data = path.read_bytes().decode("utf-8", errors="replace")
        assert not field_line.search(data), (path, field_line.search(data).group())
        for needle in needles:
            assert needle not in data, (path, needle)
        assert "Zotero" not in data and "storage\\" not in data, path


def test_a_site_yaml_setting_adds_fields_to_the_public_ones(tmp_path):
    result = build(bib_site(tmp_path / "site", {"zotero.bib": ZOTERO["zotero-better-bibtex"]},
                            SITE_YAML + "public_fields: [keywords, urldate]\n"))
    every = text(result, "papers.bib")
    assert "  keywords = {autoencoder,machine learning," in every
    assert "  urldate = {2025-04-21}" in every
    assert "  file = " not in every and "  annotation = " not in every


def test_al_folio_site_only_keys_are_documented_in_the_readme():
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Coming from al-folio", 1)[1].split("\n## ", 1)[0]
    for key in (*SITE_ONLY, "pdf", "preview", "selected", "abbr", "award", "award_name",
                "code", "html", "website", "arxiv", "slides", "video", "poster", "blog",
                "supp", "additional_info", "url"):
        assert f"`{key}`" in section, key
