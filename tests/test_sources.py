"""Sites built from the researcher's own bibliographies (content/*.bib, content/*.json),
alone or beside the plain-text profile, through `build` as the command line runs it: one
work in two sources is one paper (by DOI, else by title and year), the first source's
URL stays, later sources fill what it lacks, a year-only date stays year-only, fields
the site does not show are written back into the BibTeX downloads, and the real exports
in tests/fixtures/ (al-folio, Google Scholar, DBLP, Zotero) each build a site."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest

from generator.build import BuildResult, build, display_path
from generator.errors import SiteError

from .conftest import REPO
from .test_determinism import ENVIRONMENTS, run, tree

FIXTURES = Path(__file__).parent / "fixtures"
REAL = {  # fixture -> (its file, the paper pages its site has)
    "al-folio": (FIXTURES / "bib" / "al-folio.bib", 7),
    # 2 keys reused (one of them the same work twice, merged), 4 n.d.
    "google-scholar": (FIXTURES / "bib" / "google-scholar.bib", 24),
    "dblp": (FIXTURES / "bib" / "dblp.bib", 17),
    "zotero": (FIXTURES / "csl" / "zotero.json", 38),  # 6 of them n.d.
}
SITE_YAML = "name: Ada Lovelace\nas_of: 2026-01-01\n"


def bib_site(folder: Path, files: dict[str, str | Path], site_yaml: str | None = SITE_YAML,
             profile: bool = False) -> Path:
    """A site of the given content/ files (text, or a file to copy), with no profile
    unless `profile` (the repository's content/profile.txt, copied)."""
    content = folder / "content"
    content.mkdir(parents=True)
    for name, text in files.items():
        if isinstance(text, Path):
            shutil.copyfile(text, content / name)
        else:
            (content / name).write_text(text, encoding="utf-8")
    if profile:
        shutil.copyfile(REPO / "content" / "profile.txt", content / "profile.txt")
    if site_yaml is not None:
        (folder / "site.yaml").write_text(site_yaml, encoding="utf-8")
    return folder


def pages(result: BuildResult) -> dict[str, str]:
    """Slug -> HTML of every paper page."""
    found = {}
    for path, data in result.files.items():
        match = re.fullmatch(r"papers/([^/]+)/index\.html", path)
        if match:
            found[match.group(1)] = data.decode()
    return found


def text(result: BuildResult, path: str) -> str:
    return result.files[path].decode()


def meta(page: str, name: str) -> list[str]:
    """The content of every `<meta name=NAME>` of a page."""
    return [html.unescape(value) for value in
            re.findall(rf'<meta name="{re.escape(name)}" content="([^"]*)">', page)]


def page_titled(result: BuildResult, title: str) -> tuple[str, str]:
    """(slug, HTML) of the one paper page whose citation_title is `title`."""
    found = [(slug, page) for slug, page in pages(result).items()
             if meta(page, "citation_title") == [title]]
    assert len(found) == 1, f"{len(found)} pages titled {title!r}"
    return found[0]


def bib_field(entry: str, name: str) -> str | None:
    """The braced value of one field of a BibTeX entry as we write it (a field a line)."""
    match = re.search(rf"^  {re.escape(name)} = \{{(.*)\}},?$", entry, re.MULTILINE)
    return match.group(1) if match else None


# -- a site of BibTeX alone -----------------------------------------------------------------

AL_FOLIO_TITLES = {
    "Investigations on the Theory of the Brownian Movement",
    "The meaning of relativity",
    "Can Quantum-Mechanical Description of Physical Reality Be Considered Complete?",
    "Über die von der molekularkinetischen Theorie der Wärme geforderte Bewegung von in "
    "ruhenden Flüssigkeiten suspendierten Teilchen",
    "Un the movement of small particles suspended in statiunary liquids required by the "
    "molecular-kinetic theory 0f heat",
    "On the electrodynamics of moving bodies",
    "Letters on wave mechanics",
}


@pytest.fixture(scope="module")
def bibtex_alone(tmp_path_factory) -> BuildResult:
    folder = bib_site(tmp_path_factory.mktemp("bibtex-alone") / "site",
                      {"x.bib": REAL["al-folio"][0]},
                      SITE_YAML + "metrics:\n  h-index: 13\n  Citations: 1204\n"
                      "  Erdős number: 3\n")
    return build(folder)


def test_a_site_of_bibtex_alone_has_a_page_per_entry(bibtex_alone):
    assert not (bibtex_alone.config.root / "content" / "profile.txt").exists()
    titles = [meta(page, "citation_title") for page in pages(bibtex_alone).values()]
    assert sorted(t for [t] in titles) == sorted(AL_FOLIO_TITLES)
    # al-folio's files are not copied here: each named file is a warning at its entry.
    assert [(w.line, w.message.split(" is left out")[0]) for w in bibtex_alone.warnings] == [
        (6, "'einstein1956investigations': preview = {brownian-motion.gif}"),
        (28, "'PhysRev.47.777': pdf = {example_pdf.pdf}"),
        (77, "'przibram1967letters': preview = {wave-mechanics.gif}")]
    shown = display_path(bibtex_alone.config.root / "content" / "x.bib")
    assert bibtex_alone.sources == f"7 papers from {shown}"


def test_the_header_shows_the_name_from_site_yaml(bibtex_alone):
    home = text(bibtex_alone, "index.html")
    assert '<a class="site-title" href="/">Ada Lovelace</a>' in home
    assert '<h1 id="name">Ada Lovelace</h1>' in home
    assert "<title>Ada Lovelace</title>" in home
    _, page = page_titled(bibtex_alone, "The meaning of relativity")
    assert '<a class="site-title" href="/">Ada Lovelace</a>' in page


def test_metrics_from_site_yaml_show_on_the_home_page(bibtex_alone):
    home = text(bibtex_alone, "index.html")
    assert "<dt>h-index</dt><dd>13</dd>" in home
    assert "<dt>Citations</dt><dd>1,204</dd>" in home
    assert "<dt>Erdős number</dt><dd>3</dd>" in home
    assert ">13<" in text(bibtex_alone, "badges/h-index.svg")


def test_no_profile_and_no_name_in_site_yaml_is_an_error_naming_site_yaml(tmp_path):
    folder = bib_site(tmp_path / "site", {"x.bib": REAL["al-folio"][0]}, "as_of: 2026-01-01\n")
    with pytest.raises(SiteError) as raised:
        build(folder)
    message = str(raised.value)
    assert message.startswith(f"{display_path(folder / 'site.yaml')}:1:1: ")
    assert "expected 'name: Your Name' in site.yaml" in message
    assert not (folder / "_site").exists()


# -- a site of CSL-JSON alone ---------------------------------------------------------------

@pytest.fixture(scope="module")
def real_sites(tmp_path_factory) -> dict[str, BuildResult]:
    """A site of each real fixture alone, built once."""
    base = tmp_path_factory.mktemp("real")
    return {name: build(bib_site(base / name, {source.name: source}))
            for name, (source, _) in REAL.items()}


def test_a_site_of_csl_json_alone_keeps_undated_items_as_nd_with_warnings(real_sites):
    result = real_sites["zotero"]
    shown = display_path(result.config.root / "content" / "zotero.json")
    items = json.loads((FIXTURES / "csl" / "zotero.json").read_text(encoding="utf-8"))
    undated = [item for item in items if item.get("title") and "issued" not in item]
    assert [item["id"] for item in undated] == [
        "openaiChatCompletions", "shiehBestPracticesPrompt", "SparksArtificialGeneral",
        "UnicodeCharacter000A", "weiArtificialStreamThought"]
    warnings = [problem.format().splitlines()[0] for problem in result.warnings]
    for line, item in zip((21, 27, 29, 31, 38), undated, strict=True):
        assert (f"{shown}:{line}:1: warning: item {item['id']} has no date: kept as n.d.; "
                'expected "issued": {"date-parts": [[2018, 7, 10]]}') in warnings
    assert len(result.warnings) == 7  # and year 5 (line 3), an empty item (line 40)
    assert all(problem.warning for problem in result.warnings)
    written = {item["title"]: item for item in json.loads(result.files["papers.json"])}
    for item in undated:  # each a paper, its status where the date would be
        assert written[item["title"]]["status"] == "n.d."
        assert "issued" not in written[item["title"]]
    assert len(pages(result)) == 38  # 39 items, one without a title
    assert result.sources == f"38 papers from {shown}"


# -- a profile and a bibliography ------------------------------------------------------------

FUNCTA = "From data to functa: Your data point is a function and you can treat it like one"
FUNCTA_SLUG = "from-data-to-functa-your-data-point-is-a-function-and-you"
OVERLAP_BIB = """\
@inproceedings{dupont2022functa,
  title = {From Data to Functa: Your Data Point Is a Function and You Can Treat It Like One},
  author = {Dupont, Emilien and Kim, Hyunjik and Eslami, S. M. Ali and Rezende, Danilo
            and Rosenbaum, Dan},
  booktitle = {International Conference on Machine Learning},
  year = {2022},
  doi = {10.48550/arXiv.2201.12204}
}

@article{eslami2030new,
  title = {A Wholly New Paper},
  author = {Eslami, S. M. Ali},
  journal = {Nature},
  year = {2030},
  month = mar
}
"""
DEMO_YAML = "as_of: 2026-11-23\n"


@pytest.fixture(scope="module")
def profile_alone(tmp_path_factory) -> BuildResult:
    return build(bib_site(tmp_path_factory.mktemp("profile") / "site", {}, DEMO_YAML,
                          profile=True))


@pytest.fixture(scope="module")
def overlapping(tmp_path_factory) -> BuildResult:
    return build(bib_site(tmp_path_factory.mktemp("overlap") / "site",
                          {"more.bib": OVERLAP_BIB}, DEMO_YAML, profile=True))


def test_a_paper_in_the_profile_and_a_bib_keeps_the_profiles_url(profile_alone, overlapping):
    assert FUNCTA_SLUG in pages(profile_alone)
    slug, page = page_titled(overlapping, FUNCTA)  # the profile's title, as written there
    assert slug == FUNCTA_SLUG
    assert len(pages(overlapping)) == len(pages(profile_alone)) + 1 == 34


def test_the_merged_paper_gains_the_bibs_venue_and_doi(overlapping):
    _, page = page_titled(overlapping, FUNCTA)
    assert meta(page, "citation_conference_title") == [
        "International Conference on Machine Learning"]
    assert meta(page, "citation_doi") == ["10.48550/arXiv.2201.12204"]
    # The published version's date leads: the profile's day (Jan 28) is the preprint's.
    assert meta(page, "citation_publication_date") == ["2022"]
    entry = text(overlapping, f"papers/{FUNCTA_SLUG}/citation.bib")
    assert entry.startswith("@inproceedings{")
    assert bib_field(entry, "booktitle") == "International Conference on Machine Learning"


def test_the_summary_counts_each_source_and_the_merged_work(overlapping):
    root = overlapping.config.root
    assert overlapping.sources == (
        f"34 papers of 35 read (33 from {display_path(root / 'content' / 'profile.txt')}, "
        f"2 from {display_path(root / 'content' / 'more.bib')}; 1 merged as the same work)")


def test_a_new_paper_of_the_bib_has_its_own_page(overlapping):
    slug, page = page_titled(overlapping, "A Wholly New Paper")
    assert slug == "a-wholly-new-paper"
    assert meta(page, "citation_journal_title") == ["Nature"]
    assert "March 2030" in page
    assert f'href="/papers/{slug}/"' in text(overlapping, "publications/index.html")


def test_adding_a_bib_with_a_title_already_there_moves_no_url(profile_alone, tmp_path):
    bib = ("@article{eslami2024np,\n  title = {Neural Processes},\n"
           "  author = {Lovelace, Ada},\n  journal = {Nature},\n  year = {2024}\n}\n")
    after = build(bib_site(tmp_path / "site", {"more.bib": bib}, DEMO_YAML, profile=True))
    before_pages, after_pages = pages(profile_alone), pages(after)
    assert "neural-processes" in before_pages
    assert set(after_pages) == set(before_pages) | {"neural-processes-2024"}
    for slug, page in before_pages.items():  # each URL shows the paper it showed
        assert meta(after_pages[slug], "citation_title") == meta(page, "citation_title")
        assert (meta(after_pages[slug], "citation_publication_date")
                == meta(page, "citation_publication_date"))
    assert meta(after_pages["neural-processes-2024"], "citation_publication_date") == ["2024"]


# -- merging between a .bib and a .json -----------------------------------------------------

MIXED_BIB = """\
@inproceedings{ada2016doi,
  title = {The BibTeX Title},
  author = {Lovelace, Ada},
  booktitle = {Proceedings of the Conference on Things},
  year = {2016},
  month = jun,
  doi = {10.5555/SAME.DOI}
}

@article{ada2015truncated,
  title = {A Paper With Many Authors},
  author = {Lovelace, Ada and Babbage, Charles and others},
  journal = {Journal of Plain Things},
  year = {2015},
  doi = {10.1234/many.2015}
}

@article{ada2017year,
  title = {Only the Year Is Known},
  author = {Lovelace, Ada},
  journal = {Journal of Years},
  year = {2017}
}

@misc{ada2019lg,
  title = {Learning With Classes},
  author = {Lovelace, Ada},
  year = {2019},
  month = feb,
  eprint = {1902.00001},
  archivePrefix = {arXiv},
  primaryClass = {cs.LG}
}

@article{ada2018kw,
  title = {Robots Everywhere},
  author = {Lovelace, Ada},
  journal = {Journal of Robots},
  year = {2018},
  keywords = {Robotics, Automation}
}
"""
MIXED_JSON = """\
[
  {"id": "zot1", "type": "paper-conference", "title": "A Wholly Different Title in Zotero",
   "author": [{"family": "Lovelace", "given": "Ada"}],
   "DOI": "https://doi.org/10.5555/same.doi", "issued": {"date-parts": [[2016, 6, 14]]}},
  {"id": "zot2", "type": "article-journal", "title": "A paper with many authors",
   "author": [{"family": "Lovelace", "given": "Ada"}, {"family": "Babbage", "given": "Charles"},
              {"family": "Somerville", "given": "Mary"}],
   "DOI": "10.1234/many.2015", "issued": {"date-parts": [[2015]]}}
]
"""


@pytest.fixture(scope="module")
def mixed(tmp_path_factory) -> BuildResult:
    return build(bib_site(tmp_path_factory.mktemp("mixed") / "site",
                          {"a.bib": MIXED_BIB, "b.json": MIXED_JSON}))


def test_a_doi_merges_a_bib_entry_and_a_json_item_of_different_titles(mixed):
    slug, page = page_titled(mixed, "The BibTeX Title")  # the first source's title
    titles = [item["title"] for item in json.loads(mixed.files["papers.json"])]
    assert "A Wholly Different Title in Zotero" not in titles
    assert meta(page, "citation_doi") == ["10.5555/SAME.DOI"]
    # The JSON's day fills in the BibTeX's month of the same year.
    assert meta(page, "citation_publication_date") == ["2016/06/14"]
    root = mixed.config.root
    assert mixed.sources == (f"5 papers of 7 read (5 from {display_path(root / 'content/a.bib')}"
                             f", 2 from {display_path(root / 'content/b.json')}; "
                             "2 merged as the same work)")
    assert len(pages(mixed)) == 5


def test_a_complete_author_list_in_a_later_source_replaces_a_truncated_one(mixed):
    slug, page = page_titled(mixed, "A Paper With Many Authors")
    assert meta(page, "citation_author") == ["Lovelace, Ada", "Babbage, Charles",
                                             "Somerville, Mary"]
    assert "et al." not in page
    entry = text(mixed, f"papers/{slug}/citation.bib")
    assert bib_field(entry, "author") == "Lovelace, Ada and Babbage, Charles and Somerville, Mary"
    assert "N1  - " not in text(mixed, f"papers/{slug}/citation.ris")
    assert "note" not in json.loads(text(mixed, f"papers/{slug}/citation.json"))[0]


def test_a_year_only_entry_is_year_only_in_every_citation_and_on_its_page(mixed):
    slug, page = page_titled(mixed, "Only the Year Is Known")
    entry = text(mixed, f"papers/{slug}/citation.bib")
    assert bib_field(entry, "year") == "2017" and "month" not in entry
    ris = text(mixed, f"papers/{slug}/citation.ris").split("\r\n")
    assert "PY  - 2017" in ris and "DA  - 2017///" in ris
    [item] = json.loads(text(mixed, f"papers/{slug}/citation.json"))
    assert item["issued"] == {"date-parts": [[2017]]}
    every = {i["title"]: i for i in json.loads(mixed.files["papers.json"])}
    assert every["Only the Year Is Known"]["issued"] == {"date-parts": [[2017]]}
    assert meta(page, "citation_publication_date") == ["2017"]
    assert re.search(r"<time datetime=\"[^\"]*\">2017</time>", page)
    assert "Jan 1, 2017" not in page and "January 2017" not in page
    home = text(mixed, "publications/index.html")
    assert re.search(r"<time datetime=\"[^\"]*\">2017</time>", home)
    assert "Jan 1, 2017" not in home


def test_a_year_only_paper_claims_no_day_in_its_pages_machine_readable_dates(mixed):
    # The page says "2017"; its JSON-LD and <time datetime> should not say 2017-01-01.
    slug, page = page_titled(mixed, "Only the Year Is Known")
    [script] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page)
    assert json.loads(script)["datePublished"] == "2017"
    assert '<time datetime="2017">2017</time>' in page


def test_a_bibliography_sites_categories_are_its_kinds_of_work_by_default(mixed):
    # One of five entries names an arXiv class and one has keywords: neither is the
    # site's scheme (model/subjects.py), so every paper is in its kind of work.
    for title, code, name in [
        ("Learning With Classes", "preprint", "Preprints"),  # primaryClass = {cs.LG}
        ("Robots Everywhere", "journal", "Journal articles"),  # keywords = {Robotics, ...}
        ("Only the Year Is Known", "journal", "Journal articles"),
        ("The BibTeX Title", "conference", "Conference papers"),
    ]:
        slug, page = page_titled(mixed, title)
        assert f'href="/categories/{code}/"' in page, title
        category = text(mixed, f"categories/{code}/index.html")
        assert f"<title>{name} · Ada Lovelace</title>" in category
        assert f'href="/papers/{slug}/"' in category
    assert sorted({path.split("/")[1] for path in mixed.files
                   if path.startswith("categories/") and path.count("/") == 2}) == [
        "conference", "journal", "preprint"]


# -- fields the site does not show ------------------------------------------------------------

def test_al_folio_public_fields_are_in_the_bibtex_as_written_and_its_site_keys_never(
        real_sites):
    result = real_sites["al-folio"]
    every = text(result, "papers.bib")
    kept = {  # the work's own fields, as written; al-folio's site keys are None
        "Can Quantum-Mechanical Description of Physical Reality Be Considered Complete?": {
            "numpages": "0", "pages": "777--780", "volume": "47",
            "number": "10",  # issue = {10}: a journal's issue is BibTeX's number
            "abbr": None, "selected": None, "pdf": None, "html": None, "altmetric": None,
            "dimensions": None},
        "Letters on wave mechanics": {"bibtex_show": None, "preview": None},
        "The meaning of relativity": {"number": "6", "pages": "403--404", "abbr": None},
    }
    for title, fields in kept.items():
        slug, _ = page_titled(result, title)
        entry = text(result, f"papers/{slug}/citation.bib")
        assert entry in every  # papers.bib holds the very same entry
        for name, value in fields.items():
            assert bib_field(entry, name) == value, (title, name)


def test_dblp_bibliographic_fields_are_in_the_bibtex_and_its_record_keeping_ones_not(
        real_sites):
    result = real_sites["dblp"]
    every = text(result, "papers.bib")
    assert text(result, "papers.bib").count("\n@") + 1 == 17
    for name in ("timestamp", "biburl", "bibsource"):  # DBLP's own record keeping
        assert f"  {name} = " not in every
    slug, _ = page_titled(result, "LoCoML: A Framework for Real-World ML Inference Pipelines")
    entry = text(result, f"papers/{slug}/citation.bib")
    assert bib_field(entry, "pages") and entry in every


# -- the real fixtures --------------------------------------------------------------------------

@pytest.mark.parametrize("name", list(REAL))
def test_each_real_export_builds_a_site_of_its_papers(real_sites, name):
    result = real_sites[name]
    count = REAL[name][1]
    assert len(pages(result)) == count
    assert len(json.loads(result.files["papers.json"])) == count
    assert text(result, "papers.bib").count("\n@") + 1 == count
    for slug in pages(result):
        for ext in ("bib", "ris", "json"):
            assert f"papers/{slug}/citation.{ext}" in result.files


def test_dblp_preprint_and_conference_records_of_a_work_are_one_conference_paper(real_sites):
    result = real_sites["dblp"]
    shown = display_path(result.config.root / "content" / "dblp.bib")
    assert result.sources == f"17 papers of 25 read (25 from {shown}; 8 merged as the same work)"
    slug, page = page_titled(result, "LoCoML: A Framework for Real-World ML Inference Pipelines")
    entry = text(result, f"papers/{slug}/citation.bib")
    assert entry.startswith("@inproceedings{DBLP:conf/cain/MaddireddyMSV25,\n")  # its key
    assert bib_field(entry, "booktitle").startswith(
        "4th IEEE/ACM International Conference on AI Engineering")
    assert bib_field(entry, "doi") == "10.1109/CAIN66642.2025.00017"  # the conference's
    assert bib_field(entry, "eprint") == "2501.14165"  # what only the preprint gave
    assert meta(page, "citation_conference_title")
    assert "TY  - CONF" in text(result, f"papers/{slug}/citation.ris")
    assert sum("LoCoML" in title for [title] in
               (meta(p, "citation_title") for p in pages(result).values())) == 1


def test_a_merged_conference_paper_keeps_no_venue_fields_of_the_preprint_record(real_sites):
    # DBLP's CoRR record of the work says journal = {CoRR}, volume = {abs/2501.14165}: in
    # the conference paper's @inproceedings these would cite a journal volume it is not in.
    result = real_sites["dblp"]
    slug, _ = page_titled(result, "LoCoML: A Framework for Real-World ML Inference Pipelines")
    entry = text(result, f"papers/{slug}/citation.bib")
    assert bib_field(entry, "journal") is None, entry
    assert bib_field(entry, "volume") is None, entry


def test_a_dblp_doi_with_an_escaped_underscore_is_the_doi_itself(real_sites):
    # DBLP writes the DOI 10.1007/978-3-032-04403-7_5 as {10.1007/978-3-032-04403-7\_5}.
    result = real_sites["dblp"]
    doi = "10.1007/978-3-032-04403-7_5"
    slug, page = page_titled(result, "Software Architecture in the Age of Agentic AI")
    assert meta(page, "citation_doi") == [doi]
    assert f'href="https://doi.org/{doi}"' in page
    assert f"DO  - {doi}" in text(result, f"papers/{slug}/citation.ris").split("\r\n")
    assert json.loads(text(result, f"papers/{slug}/citation.json"))[0]["DOI"] == doi
    entry = text(result, f"papers/{slug}/citation.bib")
    assert "%5C" not in entry, entry


# -- failures and determinism ----------------------------------------------------------------

def test_an_unbalanced_brace_fails_the_build_at_its_file_and_line(tmp_path):
    bib = ("@article{good,\n  title = {Good},\n  author = {Doe, Jane},\n  year = {2020}\n}\n\n"
           "@article{broken,\n  title = {Broken,\n  year = {2021}\n}\n")
    folder = bib_site(tmp_path / "site", {"x.bib": bib})
    with pytest.raises(SiteError) as raised:
        build(folder)
    shown = display_path(folder / "content" / "x.bib")
    assert str(raised.value).splitlines()[:2] == [
        f"{shown}:7:1: not a BibTeX entry that can be read (an unbalanced brace or a "
        "missing comma?); expected @type{key, field = {value}, ...}",
        "    @article{broken,"]
    assert not (folder / "_site").exists()


@pytest.fixture(scope="module")
def every_source(tmp_path_factory) -> Path:
    """A site of the profile and every real fixture, merged."""
    return bib_site(tmp_path_factory.mktemp("every") / "site",
                    {f"{name}{source.suffix}": source for name, (source, _) in REAL.items()},
                    DEMO_YAML, profile=True)


def test_two_builds_of_a_bib_site_are_byte_identical(every_source, tmp_path):
    first = build(every_source, {"output": str(tmp_path / "one")})
    second = build(every_source, {"output": str(tmp_path / "two")})
    assert len(pages(first)) == len(json.loads(first.files["papers.json"])) > 100
    assert dict(first.files) == dict(second.files)
    assert first.sources == second.sources


def test_two_build_processes_with_other_hash_seeds_write_identical_bytes(every_source,
                                                                         tmp_path):
    outputs = []
    for index, env in enumerate(ENVIRONMENTS):
        cwd = tmp_path / f"cwd{index}"
        cwd.mkdir()
        output = tmp_path / f"out-{index}"
        run(["build", "-q", "-C", str(every_source), "-o", str(output)], cwd, env)
        outputs.append(tree(output))
    assert outputs[0].keys() == outputs[1].keys()
    assert [p for p in outputs[0] if outputs[0][p] != outputs[1][p]] == []
