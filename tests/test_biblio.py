"""A work's bibliographic details (records.Biblio: volume, issue, pages, publisher, place,
editors, edition, ISBN, ISSN, series, chapter, number) and its kind of work
(worktypes.WORK_TYPES), from real bibliographies to every format, read back by the clients
researchers use: citeproc-py formats the site's CSL-JSON in APA, rispy reads its RIS,
bibtexparser its BibTeX; the readers read the site's own files back to the same kinds."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import bibtexparser
import pytest
import rispy

from generator.build import BuildResult, build
from generator.records import DETAILS, Biblio, page_range
from generator.richtext import plain
from generator.sources.bibtex import read_bibtex
from generator.sources.csljson import read_csl_item, read_csljson
from generator.worktypes import WORK_TYPES, preprint_server

from .test_clients import apa
from .test_source_clients import UNREAD_KEY, paper_slugs

FIXTURES = Path(__file__).parent / "fixtures"
#: The kind of each entry of bib/kinds.bib (one real entry of each), by its key.
KINDS = {
    "Savoldi_2024": "thesis", "Schmitz2022_thesis": "masters-thesis",
    "walters2024empirical": "chapter", "胡適哲學史1917": "chapter",
    "NagyHistorians2008": "webpage", "Hald_2000": "report", "cite-dataset": "dataset",
    "laufenbergElektrischeEinrichtungUnd2005": "patent", "deAndrade2018c": "poster",
}


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, BuildResult]:
    """A site of the Zotero CSL-JSON export and one of bib/kinds.bib, each alone."""
    built = {}
    for name, source in (("zotero", FIXTURES / "csl" / "zotero.json"),
                         ("kinds", FIXTURES / "bib" / "kinds.bib")):
        folder = tmp_path_factory.mktemp(name)
        (folder / "content").mkdir()
        shutil.copyfile(source, folder / "content" / source.name)
        (folder / "site.yaml").write_text("name: Ada Lovelace\nas_of: 2026-01-01\n"
                                          "base_url: https://ada.example.org/\n")
        built[name] = build(folder)
    return built


def item(result: BuildResult, title: str) -> dict:
    """The CSL-JSON item of papers.json whose title starts with `title`."""
    [found] = [i for i in json.loads(result.files["papers.json"])
               if plain(i["title"]).startswith(title)]
    return found


def page(result: BuildResult, title: str) -> tuple[str, str]:
    """(slug, HTML) of the paper page whose citation has a title starting with `title`."""
    slug = next(s for s in paper_slugs(result) if plain(json.loads(
        result.files[f"papers/{s}/citation.json"])[0]["title"]).startswith(title))
    return slug, result.files[f"papers/{slug}/index.html"].decode()


def meta(html: str, name: str) -> list[str]:
    return re.findall(rf'<meta name="{name}" content="([^"]*)">', html)


def json_ld(html: str) -> dict:
    text = re.search(r'<script type="application/ld\+json">(.*?)</script>', html).group(1)
    return json.loads(text)


# -- reading -------------------------------------------------------------------------------

def test_the_bibtex_reader_gives_each_real_entry_its_kind_and_details():
    entries, problems = read_bibtex(FIXTURES / "bib" / "kinds.bib", "kinds.bib")
    assert problems == []
    assert {e.key: e.kind for e in entries} == KINDS
    by_key = {e.key: e for e in entries}
    walters = by_key["walters2024empirical"]
    assert walters.venue == "Handbook of Labor Economics"  # the book, never its publisher
    assert (walters.biblio.volume, walters.biblio.pages, walters.biblio.publisher) == (
        "5", "183–260", "Elsevier")
    chapter = by_key["胡適哲學史1917"].biblio
    assert [e.text for e in chapter.editors] == ["歐陽哲生"] and chapter.place == "北京"
    assert by_key["Schmitz2022_thesis"].venue == "Georgia Institute of Technology"
    assert by_key["laufenbergElektrischeEinrichtungUnd2005"].biblio.number == "10361215"


def test_the_csl_reader_gives_volume_issue_pages_and_a_chapter_its_book_and_editor():
    entries, _ = read_csljson(FIXTURES / "csl" / "zotero.json", "zotero.json")
    by_title = {e.title: e for e in entries}
    scupin = by_title["The KJ Method: A Technique for Analyzing Data Derived from Japanese "
                      "Ethnology"]
    assert (scupin.kind, scupin.venue) == ("journal", "Human Organization")
    assert (scupin.biblio.volume, scupin.biblio.issue, scupin.biblio.pages) == (
        "56", "2", "233-237")
    chapter = by_title["What do Prototypes Prototype"]
    assert (chapter.kind, chapter.venue) == ("chapter", "Handbook of Human-Computer "
                                                        "Interaction")
    assert [e.text for e in chapter.biblio.editors] == ["Martin Helander"]
    assert chapter.biblio.edition == "2nd" and chapter.biblio.place == "Amsterdam"
    report = by_title["Need Finding Tools"]  # its university is its venue, not its series
    assert (report.kind, report.venue, report.biblio.series) == (
        "report", "Stanford University", "Software Design Expericences")
    kinds = {e.kind for e in entries}
    assert {"book", "chapter", "report", "webpage", "journal", "conference"} <= kinds


@pytest.mark.parametrize("pages, expected", [
    ("877--888", ("877", "888")), ("877–888", ("877", "888")), ("22 - 23", ("22", "23")),
    ("e0193972", ("e0193972", "")), ("112607", ("112607", "")),
])
def test_a_page_range_is_its_first_and_last_page(pages, expected):
    assert page_range(pages) == expected


# -- APA, from the site's CSL-JSON ------------------------------------------------------------

@pytest.mark.filterwarnings(UNREAD_KEY)
def test_apa_from_the_sites_csl_json_gives_volume_issue_and_pages(sites):
    entries = apa(json.loads(sites["zotero"].files["papers.json"]))
    assert any("Social Studies of Science, 42(3), 393–414." in e for e in entries)
    assert any("Human Organization, 56(2), 233–237." in e for e in entries)
    assert any("IEEE Access, 10, 61970–61979." in e for e in entries)


@pytest.mark.filterwarnings(UNREAD_KEY)
def test_apa_cites_a_chapter_in_its_book_and_a_book_or_thesis_by_its_publisher(sites):
    entries = apa(json.loads(sites["zotero"].files["papers.json"]))
    assert any("In M. Helander (ed.), Handbook of Human-Computer Interaction (2nd ed.). "
               "Elsevier Science B. V." in e for e in entries)
    assert any("(1st ed.). Morgan Kaufmann." in e for e in entries)
    assert not [e for e in entries if re.search(r"\bIn (Morgan|Springer|Quarto|Stanford)", e)]
    entries = apa(json.loads(sites["kinds"].files["papers.json"]))
    assert any("[PhD thesis, Universidade de São Paulo]" in e for e in entries)
    assert any("[Master's thesis, Georgia Institute of Technology]" in e for e in entries)
    assert any("In Handbook of Labor Economics (Vol. 5, pp. 183–260). Elsevier." in e
               for e in entries)
    assert not [e for e in entries if " In Universidade" in e or " In Georgia" in e]


# -- RIS, BibTeX, citation_* and JSON-LD -------------------------------------------------------

def test_rispy_reads_volume_issue_pages_publisher_place_editors_and_isbn(sites):
    result = sites["zotero"]
    slug, _ = page(result, "The KJ Method")
    [scupin] = rispy.loads(result.files[f"papers/{slug}/citation.ris"].decode())
    assert (scupin["volume"], scupin["number"], scupin["start_page"], scupin["end_page"]) == (
        "56", "2", "233", "237")
    slug, _ = page(result, "What do Prototypes Prototype")
    [chapter] = rispy.loads(result.files[f"papers/{slug}/citation.ris"].decode())
    assert chapter["type_of_reference"] == "CHAP"
    assert chapter["secondary_title"] == "Handbook of Human-Computer Interaction"
    assert chapter["secondary_authors"] == ["Helander, Martin"]
    assert (chapter["publisher"], chapter["place_published"], chapter["edition"]) == (
        "Elsevier Science B. V", "Amsterdam", "2nd")
    slug, _ = page(result, "Sketching User Experiences")
    [book] = rispy.loads(result.files[f"papers/{slug}/citation.ris"].decode())
    assert (book["type_of_reference"], book["publisher"], book["issn"]) == (
        "BOOK", "Morgan Kaufmann", "978-0-12-374037-3")  # rispy's name for SN


def test_bibtexparser_reads_the_details_in_their_bibtex_fields(sites):
    library = bibtexparser.parse_string(sites["zotero"].files["papers.bib"].decode())
    entries = {e.fields_dict["title"].value: e for e in library.entries}
    vertesi = next(e for t, e in entries.items() if t.startswith("Seeing like a Rover"))
    assert vertesi.entry_type == "article"
    assert {k: vertesi.fields_dict[k].value for k in ("volume", "number", "pages")} == {
        "volume": "42", "number": "3", "pages": "393--414"}
    chapter = next(e for t, e in entries.items() if t.startswith("What do Prototypes"))
    assert chapter.entry_type == "incollection"
    assert chapter.fields_dict["booktitle"].value == "Handbook of Human-Computer Interaction"
    assert chapter.fields_dict["editor"].value == "Helander, Martin"
    assert "publisher" not in {f.key for f in chapter.fields if f.value.startswith("Handbook")}
    library = bibtexparser.parse_string(sites["kinds"].files["papers.bib"].decode())
    types = sorted(e.entry_type for e in library.entries)
    assert types == sorted(WORK_TYPES[kind].bibtex for kind in KINDS.values())
    report = next(e for e in library.entries if e.entry_type == "techreport")
    # BibLaTeX splits an institution at "and": the whole name is braced
    assert report.fields_dict["institution"].value.startswith(
        "{Royal Veterinary and Agricultural University")


def test_google_scholar_tags_give_volume_issue_pages_publisher_and_institution(sites):
    _, html = page(sites["zotero"], "The KJ Method")
    assert [meta(html, f"citation_{n}") for n in ("volume", "issue", "firstpage",
                                                   "lastpage")] == [["56"], ["2"], ["233"],
                                                                    ["237"]]
    _, html = page(sites["zotero"], "Sketching User Experiences")
    assert meta(html, "citation_publisher") == ["Morgan Kaufmann"]  # once: it is the venue
    assert meta(html, "citation_isbn") == ["978-0-12-374037-3"]
    _, html = page(sites["zotero"], "Moving beyond user-centered design")
    assert meta(html, "citation_issn") == ["1072-5520"]
    _, html = page(sites["zotero"], "What do Prototypes Prototype")
    assert meta(html, "citation_inbook_title") == ["Handbook of Human-Computer Interaction"]
    _, html = page(sites["kinds"], "Salmonella in Pork")
    assert meta(html, "citation_technical_report_institution") == [
        "Royal Veterinary and Agricultural University, Department of Animal Health and "
        "Animal Science, Division of Ethology and Health"]
    _, html = page(sites["kinds"], "Elektrische Einrichtung")
    assert meta(html, "citation_technical_report_number") == []  # a patent's is no report's
    _, html = page(sites["kinds"], "Deep Learning in Ultrasonic")
    assert meta(html, "citation_dissertation_institution") == [
        "Georgia Institute of Technology"]


def test_json_ld_puts_an_article_in_its_issue_volume_and_periodical(sites):
    _, html = page(sites["zotero"], "Seeing like a Rover")
    data = json_ld(html)
    assert data["@type"] == "ScholarlyArticle"
    assert data["isPartOf"] == {
        "@type": "PublicationIssue", "issueNumber": "3", "isPartOf": {
            "@type": "PublicationVolume", "volumeNumber": "42", "isPartOf": {
                "@type": "Periodical", "name": "Social Studies of Science"}}}
    assert (data["pageStart"], data["pageEnd"]) == ("393", "414")
    _, html = page(sites["zotero"], "What do Prototypes Prototype")
    data = json_ld(html)
    assert data["@type"] == "Chapter"
    assert data["isPartOf"] == {"@type": "Book",
                                "name": "Handbook of Human-Computer Interaction",
                                "bookEdition": "2nd"}
    assert data["editor"][0]["familyName"] == "Helander"
    data = json_ld(page(sites["zotero"], "Sketching User Experiences")[1])
    assert (data["@type"], data["isbn"], data["bookEdition"]) == (
        "Book", "978-0-12-374037-3", "1st")
    assert data["publisher"] == {"@type": "Organization", "name": "Morgan Kaufmann"}
    assert "isPartOf" not in data
    _, html = page(sites["kinds"], "Dos peixes")
    data = json_ld(html)
    assert data["@type"] == "Thesis"
    assert data["publisher"] == {"@type": "Organization", "name": "Universidade de São Paulo",
                                 "location": "São Paulo"}


# -- kinds of work ----------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["zotero", "kinds"])
def test_the_readers_read_the_sites_own_files_back_to_the_same_kinds(sites, name, tmp_path):
    """Each kind's names in CSL-JSON (type, genre, author or editor) and BibTeX (its entry
    type, where no other kind has it) say that kind again."""
    result = sites[name]
    kinds = {s: html.unescape(re.search(r'<dt>Type</dt><dd>([^<]*)</dd>', result.files[
        f"papers/{s}/index.html"].decode()).group(1)) for s in paper_slugs(result)}
    label = {kind.label: kind.key for kind in WORK_TYPES.values()}
    (tmp_path / "papers.json").write_bytes(result.files["papers.json"])
    (tmp_path / "papers.bib").write_bytes(result.files["papers.bib"])
    csl, _ = read_csljson(tmp_path / "papers.json", "papers.json")
    assert sorted(e.kind for e in csl) == sorted(label[k] for k in kinds.values())
    unique = {t.bibtex for t in WORK_TYPES.values()
              if [u.bibtex for u in WORK_TYPES.values()].count(t.bibtex) == 1}
    bib, _ = read_bibtex(tmp_path / "papers.bib", "papers.bib")
    assert sorted(e.kind for e in bib if WORK_TYPES[e.kind].bibtex in unique) == sorted(
        label[k] for k in kinds.values() if WORK_TYPES[label[k]].bibtex in unique)
    if name == "kinds":
        assert sorted(kinds.values()) == sorted(WORK_TYPES[k].label for k in KINDS.values())


def test_a_book_chapter_is_no_book_and_its_book_is_no_publisher(sites):
    result = sites["zotero"]
    chapter = item(result, "What do Prototypes Prototype")
    assert chapter["type"] == "chapter"
    assert chapter["container-title"] == "Handbook of Human-Computer Interaction"
    assert chapter["publisher"] == "Elsevier Science B. V"
    book = item(result, "Sketching User Experiences")
    assert book["type"] == "book" and "container-title" not in book
    assert book["publisher"] == "Morgan Kaufmann"


# -- per-paper files ----------------------------------------------------------------------------

def test_a_per_paper_file_corrects_the_details_in_every_format(sites, tmp_path):
    source = sites["zotero"].config.root
    site = tmp_path / "site"
    shutil.copytree(source, site, ignore=shutil.ignore_patterns("_site", ".scholarfolio*"))
    slug, _ = page(sites["zotero"], "Moving beyond user-centered design")
    (site / "content" / "papers").mkdir()
    (site / "content" / "papers" / f"{slug}.md").write_text(
        "---\nvolume: 59\nissue: 7\npages: 877-888\neditors: [Ursula von der Leyen]\n"
        "publisher: ACM\n---\n", encoding="utf-8")
    result = build(site)
    [csl] = json.loads(result.files[f"papers/{slug}/citation.json"])
    assert (csl["volume"], csl["issue"], csl["page"], csl["publisher"]) == (
        "59", "7", "877-888", "ACM")
    assert csl["editor"] == [{"family": "Leyen", "given": "Ursula",
                              "non-dropping-particle": "von der"}]
    assert csl["ISSN"] == "1072-5520"  # what the file does not correct stays
    bib = result.files[f"papers/{slug}/citation.bib"].decode()
    assert "  volume = {59},\n  number = {7},\n  pages = {877--888}," in bib
    html = result.files[f"papers/{slug}/index.html"].decode()
    assert meta(html, "citation_firstpage") == ["877"] and meta(html, "citation_issue") == [
        "7"]


def test_a_detail_that_is_no_text_is_an_error_at_its_line(tmp_path):
    from generator.content import load_content
    from generator.errors import SiteError

    from .test_paper_fields import paper

    folder = tmp_path / "content" / "papers"
    folder.mkdir(parents=True)
    (folder / "neural-processes.md").write_text("---\nvolume: [1, 2]\neditors: Ada\n---\n")
    with pytest.raises(SiteError) as caught:
        load_content(tmp_path, [paper()], lambda p: p.relative_to(tmp_path).as_posix())
    assert [p.format().splitlines()[0] for p in caught.value.problems] == [
        "content/papers/neural-processes.md:2:9: 'volume' must be text, found list [1, 2]",
        "content/papers/neural-processes.md:3:10: 'editors' must be a list of names, "
        "found 'Ada'"]


def test_the_table_of_details_names_each_in_every_format():
    for detail in DETAILS.values():
        assert detail.doc and detail.bibtex and detail.csl and detail.ris
    assert len({d.csl for d in DETAILS.values()}) == len(DETAILS)  # one variable each
    assert not Biblio() and Biblio(volume="5")


def test_every_kind_of_the_table_is_written_so_that_the_readers_read_it_back(sites, tmp_path):
    """Each kind, set by `type:` on one of the Zotero export's papers, comes back from the
    site's CSL-JSON as that kind, from its BibTeX too where the entry type (with a @misc's
    `type`, a @book's editors) tells it from the others, and its RIS has the table's TY."""
    source = sites["zotero"].config.root
    site = tmp_path / "site"
    shutil.copytree(source, site, ignore=shutil.ignore_patterns("_site", ".scholarfolio*"))
    # Papers whose venue is a preprint server's read back as preprints whatever their type.
    slugs = [s for s in paper_slugs(sites["zotero"]) if not preprint_server(json.loads(
        sites["zotero"].files[f"papers/{s}/citation.json"])[0].get("container-title"))]
    (site / "content" / "papers").mkdir()
    chosen = dict(zip(slugs, WORK_TYPES, strict=False))
    for slug, kind in chosen.items():
        (site / "content" / "papers" / f"{slug}.md").write_text(f"---\ntype: {kind}\n---\n")
    result = build(site)
    for slug, kind in chosen.items():
        [record] = rispy.loads(result.files[f"papers/{slug}/citation.ris"].decode())
        assert record["type_of_reference"] == WORK_TYPES[kind].ris, kind
    titles = {json.loads(result.files[f"papers/{s}/citation.json"])[0]["title"]: k
              for s, k in chosen.items()}
    (tmp_path / "papers.json").write_bytes(result.files["papers.json"])
    (tmp_path / "papers.bib").write_bytes(result.files["papers.bib"])
    csl, _ = read_csljson(tmp_path / "papers.json", "papers.json")
    # "other" (CSL's document, a @misc with no type) is a preprint when its venue is arXiv
    assert {e.title: e.kind for e in csl if titles.get(e.title, "other") != "other"} == {
        t: k for t, k in titles.items() if k != "other"}
    bib, _ = read_bibtex(tmp_path / "papers.bib", "papers.bib")
    told = {e.title: e.kind for e in bib if e.title in titles}
    # ... and a preprint's @misc is one only when it names arXiv
    assert {t: k for t, k in titles.items() if k not in ("preprint", "other")} == {
        t: k for t, k in told.items() if titles[t] not in ("preprint", "other")}


def test_a_detail_cannot_break_out_of_its_field_in_any_format(sites, tmp_path):
    """Details go through each format's one escaping: a brace cannot end a BibTeX field,
    a line break cannot start a RIS tag, `</script>` cannot end the JSON-LD."""
    source = sites["zotero"].config.root
    site = tmp_path / "site"
    shutil.copytree(source, site, ignore=shutil.ignore_patterns("_site", ".scholarfolio*"))
    slug, _ = page(sites["zotero"], "Moving beyond user-centered design")
    (site / "content" / "papers").mkdir()
    (site / "content" / "papers" / f"{slug}.md").write_text(
        '---\nvolume: "1}, note = {owned"\nissue: "2\\nER  - \\nTY  - JOUR"\n'
        'publisher: "</script><script>alert(1)</script>"\nedition: "2\\u0007nd"\n'
        'editors: ["Ada\\u0007 Lovelace"]\n---\n', encoding="utf-8")
    result = build(site)
    library = bibtexparser.parse_string(result.files[f"papers/{slug}/citation.bib"].decode())
    [entry] = library.entries
    assert "note" not in entry.fields_dict and library.failed_blocks == []
    records = rispy.loads(result.files[f"papers/{slug}/citation.ris"].decode())
    assert len(records) == 1 and records[0]["number"] == "2 ER - TY - JOUR"
    html = result.files[f"papers/{slug}/index.html"].decode()
    assert "<script>alert(1)" not in html
    assert json_ld(html)["publisher"]["name"] == "</script><script>alert(1)</script>"
    # a control character is shown as pages show it, in the details as in the title
    [csl] = json.loads(result.files[f"papers/{slug}/citation.json"])
    assert csl["edition"] == "2[U+0007]nd"
    assert csl["editor"] == [{"family": "Lovelace", "given": "Ada[U+0007]"}]


def test_a_number_that_repeats_the_issue_is_not_kept_so_apa_prints_the_pages(tmp_path):
    # Zotero's CSL-JSON writes a journal article's issue as `number` too: APA then reads an
    # article number and prints "52(3), Article 3." for "52(3), 165-173."
    folder = tmp_path / "site"
    (folder / "content").mkdir(parents=True)
    shutil.copyfile(FIXTURES / "csl" / "zotero-number.json", folder / "content" / "z.json")
    (folder / "site.yaml").write_text("name: Gordon B. Forbes\nas_of: 2026-01-01\n")
    items = json.loads(build(folder).files["papers.json"])
    assert [("number" in i, i["issue"]) for i in items] == [(False, "2"), (False, "3")]
    assert sorted(re.search(r"\d+\(\d\), [^.]*", text).group() for text in apa(items)) == [
        "31(2), 309–327", "52(3), 165–173"]


def test_one_csl_item_read_alone_is_the_entry_the_file_reader_gives():
    # read_csl_item is the reader's rule for one item (what `sync` judges its items by).
    path = FIXTURES / "csl" / "zotero.json"
    entries, problems = read_csljson(path, "zotero.json")
    items = json.loads(path.read_text(encoding="utf-8"))
    alone = [entry for item in items if (entry := read_csl_item(item)) is not None]
    assert [(e.title, e.date, e.authors, e.doi) for e in alone] == [
        (e.title, e.date, e.authors, e.doi) for e in entries]
    reasons: list[str] = []
    untitled = next(item for item in items if not item.get("title"))
    assert read_csl_item(untitled, 7, reasons.append) is None
    assert len(reasons) == 1 and reasons[0] in {p.message for p in problems}
