"""Sites built from the real exports in tests/fixtures/ (al-folio, Google Scholar, DBLP,
Zotero), their citations read back by the clients researchers use: bibtexparser 2 and
biber read the site's papers.bib, citeproc-py formats its papers.json in APA, rispy reads
each paper's citation.ris. What a source wrote oddly (names in one part, an organisation
as a family name, DBLP's braces and escapes) must come out as files these read whole."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import SeparateCoAuthors, SplitNameParts

from generator.build import BuildResult, build
from generator.richtext import plain
from generator.worktypes import WORK_TYPES

from .test_clients import apa

FIXTURES = Path(__file__).parent / "fixtures"
REAL = {
    "al-folio": FIXTURES / "bib" / "al-folio.bib",
    "google-scholar": FIXTURES / "bib" / "google-scholar.bib",
    "dblp": FIXTURES / "bib" / "dblp.bib",
    "zotero": FIXTURES / "csl" / "zotero.json",
    "kinds": FIXTURES / "bib" / "kinds.bib",  # one real entry of each kind of work
}
BIBER = Path("/usr/bin/biber")
# citeproc-py says it once an item for CSL-JSON's "citation-key", which it does not read.
UNREAD_KEY = "ignore:The following arguments for Reference are unsupported"


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, BuildResult]:
    """A site of each real fixture alone (no profile), built once."""
    base = tmp_path_factory.mktemp("source-clients")
    built = {}
    for name, source in REAL.items():
        (base / name / "content").mkdir(parents=True)
        shutil.copyfile(source, base / name / "content" / source.name)
        (base / name / "site.yaml").write_text("name: Ada Lovelace\nas_of: 2026-01-01\n",
                                               encoding="utf-8")
        built[name] = build(base / name)
    return built


def paper_slugs(result: BuildResult) -> list[str]:
    return sorted(m.group(1) for path in result.files
                  if (m := re.fullmatch(r"papers/([^/]+)/index\.html", path)))


def bib_keys(text: str) -> list[str]:
    return re.findall(r"^@\w+\{([^,\s]+),", text, re.MULTILINE)


# -- bibtexparser 2 ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", list(REAL))
def test_bibtexparser_reads_papers_bib_whole(sites, name):
    result = sites[name]
    library = bibtexparser.parse_string(result.files["papers.bib"].decode())
    assert library.failed_blocks == []
    assert len(library.entries) == len(paper_slugs(result)) > 0
    assert sorted(entry.key for entry in library.entries) == sorted(
        bib_keys(result.files["papers.bib"].decode()))
    assert len({entry.key for entry in library.entries}) == len(library.entries)


@pytest.mark.parametrize("name", list(REAL))
def test_bibtexparser_splits_every_name_of_papers_bib(sites, name):
    # As test_clients.py reads names: split as BibTeX splits them. A name it cannot
    # split (a trailing comma: an empty given name) becomes a failed block.
    library = bibtexparser.parse_string(sites[name].files["papers.bib"].decode(),
                                        append_middleware=[SeparateCoAuthors(),
                                                           SplitNameParts()])
    assert [(block.start_line + 1, str(block.error)) for block in library.failed_blocks] == []
    for entry in library.entries:
        for person in entry.fields_dict["author"].value if "author" in entry else ():
            assert person.last, (entry.key, person)


# -- biber ----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def biber(sites, tmp_path_factory) -> dict[str, tuple[int, str, str, str]]:
    """biber in tool mode over each site's papers.bib, datamodel validated: (exit code, what
    it printed, its log file, the .bib it wrote)."""
    if not BIBER.is_file():
        pytest.fail(f"{BIBER} is missing: apt-get install biber", pytrace=False)
    runs = {}
    for name, result in sites.items():
        folder = tmp_path_factory.mktemp(f"biber-{name}")
        (folder / "papers.bib").write_bytes(result.files["papers.bib"])
        done = subprocess.run([str(BIBER), "--tool", "--validate-datamodel",
                               "--output-file", "out.bib", "papers.bib"], cwd=folder,
                              capture_output=True, text=True, timeout=120)
        out = folder / "out.bib"
        runs[name] = (done.returncode, done.stdout + done.stderr,
                      (folder / "papers.bib.blg").read_text(encoding="utf-8"),
                      out.read_text(encoding="utf-8") if out.is_file() else "")
    return runs


@pytest.mark.parametrize("name", list(REAL))
def test_biber_reads_every_entry_of_papers_bib_without_an_error(sites, biber, name):
    code, printed, log, written = biber[name]
    assert code == 0, printed
    assert [line for line in (printed + log).splitlines() if "ERROR" in line] == []
    assert "INFO - Found BibTeX data source 'papers.bib'" in printed
    keys = bib_keys(sites[name].files["papers.bib"].decode())
    assert len(keys) == len(paper_slugs(sites[name]))
    assert sorted(bib_keys(written)) == sorted(keys)


@pytest.mark.parametrize("name", list(REAL))
def test_biber_finds_nothing_malformed_in_papers_bib(biber, name):
    # Datamodel warnings are about the source's own fields (al-folio's abbr, DBLP's biburl)
    # and are expected; "BibTeX subsystem" warnings are about the syntax we wrote.
    _, printed, _, _ = biber[name]
    assert [line for line in printed.splitlines() if "BibTeX subsystem" in line] == []


@pytest.mark.parametrize("name", list(REAL))
def test_biber_reads_each_date_as_precise_as_the_source(sites, biber, name):
    """biber's DATE of each entry has the year and month of the paper's CSL-JSON
    date-parts, and no more (BibTeX's year and month: our entries write no day): a
    year-only paper gets no month from biber either."""
    _, _, _, written = biber[name]
    dates = dict(re.findall(r"^@\w+\{([^,]+),\n(?:  .*\n)*?  DATE = \{([^}]*)\}", written,
                            re.MULTILINE))
    items = json.loads(sites[name].files["papers.json"])
    undated = [item for item in items if "issued" not in item]  # n.d.: its status instead
    assert all(item["status"] == "n.d." for item in undated)
    assert len(dates) == len(items) - len(undated)
    items = [item for item in items if "issued" in item]
    for item in items:
        parts = item["issued"]["date-parts"][0]
        assert dates[item["id"]] == "-".join(
            [f"{parts[0]:04d}", *(f"{part:02d}" for part in parts[1:2])]), item["id"]
    if name == "dblp":  # DBLP gives years only
        assert all(re.fullmatch(r"\d{4}", date) for date in dates.values())
    if name == "al-folio":
        assert dates["PhysRev.47.777"] == "1935-05"  # month={May}; the source's own key
        assert dates["einstein1905electrodynamics"] == "1905"


# -- citeproc-py ------------------------------------------------------------------------------

@pytest.mark.filterwarnings(UNREAD_KEY)
@pytest.mark.parametrize("name", ["zotero", "dblp"])
def test_citeproc_formats_papers_json_in_apa(sites, name):
    items = json.loads(sites[name].files["papers.json"])
    entries = apa(items)
    assert len(entries) == len(items) > 0
    for entry in entries:
        assert re.search(r"\((\d{4}|n\.d\.)(, [A-Z][a-z]+( \d{1,2})?)?\)\.", entry), entry
    if name == "zotero":  # an organisation and literal names stay whole
        assert any(e.startswith("Vejle Kommune. (2022, May 19).") for e in entries)
        assert any("[0xArty], & 175 other open-source contributors. (2023)." in e
                   for e in entries)


@pytest.mark.filterwarnings(UNREAD_KEY)
def test_a_capitalised_particle_from_dblp_renders_in_the_family_name(sites):
    # DBLP's `Martina {De Sanctis}`: one family name, De Sanctis.
    result = sites["dblp"]
    bib = result.files["papers.bib"].decode()
    assert "{De Sanctis}, Martina" in bib
    items = json.loads(result.files["papers.json"])
    [item] = [i for i in items if i["title"].startswith("Leveraging LLMs for Dynamic IoT")]
    assert {"family": "De Sanctis", "given": "Martina"} in item["author"]
    [entry] = apa([item])
    assert entry.startswith("Adnan, B., Miryala, S., Sambu, A., Vaidhyanathan, K., "
                            "De Sanctis, M., & Spalazzese, R. (2025). Leveraging LLMs")
    assert "Sanctis, M. D." not in entry and "Sanctis, M. De" not in entry


# -- rispy ------------------------------------------------------------------------------------

def ris_records(result: BuildResult) -> dict[str, dict]:
    """Slug -> rispy's record of the paper's citation.ris (one record in each)."""
    records = {}
    for slug in paper_slugs(result):
        [record] = rispy.loads(result.files[f"papers/{slug}/citation.ris"].decode())
        records[slug] = record
    return records


@pytest.mark.parametrize("name", list(REAL))
def test_rispy_reads_each_citation_ris_with_the_type_of_its_bibtex(sites, name):
    result = sites[name]
    records = ris_records(result)
    assert len(records) == len(paper_slugs(result))
    for slug, record in records.items():
        bib = result.files[f"papers/{slug}/citation.bib"].decode()
        kind = re.match(r"@(\w+)\{", bib).group(1)
        [csl] = json.loads(result.files[f"papers/{slug}/citation.json"])
        [work] = [w for w in WORK_TYPES.values() if (w.bibtex, w.csl, w.genre) == (
            kind, csl["type"], csl.get("genre", "")) and w.credit in csl]  # one kind
        assert record["type_of_reference"] == work.ris, (slug, kind, csl["type"])
        assert record["title"] == plain(csl["title"])  # RIS: plain text; CSL: rich
        assert record["id"] == csl["id"] == bib_keys(bib)[0]


def test_rispy_types_a_conference_paper_a_journal_article_and_a_preprint(sites):
    records = ris_records(sites["dblp"])
    assert records["locoml-a-framework-for-real-world-ml-inference-pipelines"][
        "type_of_reference"] == "CONF"  # merged with its CoRR preprint: the conference wins
    assert records["generative-ai-for-software-architecture-applications"][
        "type_of_reference"] == "JOUR"  # J. Syst. Softw.
    assert records["scar-state-space-compression-for-ai-driven-resource"][
        "type_of_reference"] == "UNPB"  # CoRR alone
    types = {record["type_of_reference"] for record in records.values()}
    assert types == {"CONF", "JOUR", "UNPB"}
    zotero = {record["title"]: record for record in ris_records(sites["zotero"]).values()}
    assert zotero["Systematic Inequalities in Language Technology Performance across the "
                  "World’s Languages"]["type_of_reference"] == "CONF"  # paper-conference
    assert zotero["Language Models are Few-Shot Learners"]["type_of_reference"] == "UNPB"
    al_folio = ris_records(sites["al-folio"])
    assert al_folio["the-meaning-of-relativity"]["type_of_reference"] == "JOUR"
