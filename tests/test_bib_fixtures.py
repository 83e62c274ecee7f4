"""Every real bibliography under tests/fixtures/ read whole: entries in (each `@` entry
but `@string`, `@comment` and `@preamble`; each CSL-JSON item) against papers out, and
each entry left out named by a problem at its file and line (generator/sources/sweep.py,
what scripts/bibsweep prints)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.sources.sweep import sweep

FIXTURES = Path(__file__).parent / "fixtures"
#: Each real file: (entries in, papers out). Those left out are named; see SOURCES.md.
EXPECTED = {
    "bib/al-folio.bib": (7, 7),
    "bib/al-folio-biology.bib": (7, 7),
    "bib/al-folio-engineering.bib": (30, 30),
    "bib/al-folio-site.bib": (33, 33),
    "bib/bib-scrape-math.bib": (5, 5),
    "bib/furrow-drosophila.bib": (8, 8),
    "bib/zotero-better-bibtex.bib": (12, 12),
    "bib/zotero-storage.bib": (30, 30),
    "bib/better-biblatex.bib": (55, 55),
    "bib/better-biblatex-names.bib": (3, 3),
    "bib/dblp.bib": (25, 25),
    "bib/google-scholar.bib": (25, 25),
    "bib/jabref.bib": (212, 212),
    "bib/kinds.bib": (9, 9),
    "bib/nilearn-references.bib": (123, 123),
    "bib/zotero-url-space.bib": (2, 2),
    "bib/zotero-windows.bib": (2, 2),
    "bib/zotero-years.bib": (4, 3),  # year = {26}
    "csl/zotero.json": (39, 38),  # one item has no title
    "csl/zotero-number.json": (2, 2),
}


def test_every_real_fixture_is_counted():
    found = {f"{path.parent.name}/{path.name}" for folder in ("bib", "csl")
             for path in (FIXTURES / folder).iterdir()
             if path.suffix in (".bib", ".json")} - {"bib/papers.bib"}  # ours, not real
    assert found == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_real_file_gives_a_paper_per_entry_or_names_it(name):
    result = sweep(FIXTURES / name, name)
    assert (result.entries, result.papers) == EXPECTED[name]
    assert result.unnamed == ()
    assert len(result.left_out) == result.entries - result.papers


def test_at_least_99_percent_of_real_entries_become_papers():
    results = [sweep(FIXTURES / name, name) for name in EXPECTED]
    entries = sum(r.entries for r in results)
    assert sum(r.papers for r in results) >= 0.99 * entries


def test_the_hand_written_file_names_each_entry_it_leaves_out():
    result = sweep(FIXTURES / "bib" / "papers.bib", "papers.bib")
    assert [line for line, _ in result.left_out] == [48, 50] and result.unnamed == ()


def test_better_biblatex_names_and_timed_dates_are_read():
    from generator.sources.bibtex import read_bibtex

    entries, _ = read_bibtex(FIXTURES / "bib" / "better-biblatex-names.bib", "x.bib")
    oord = next(e for e in entries if e.authors and e.authors[0].family == "Oord")
    assert (oord.authors[0].given, oord.authors[0].particle) == ("Aaron", "van den")
    entries, _ = read_bibtex(FIXTURES / "bib" / "better-biblatex.bib", "x.bib")
    first = next(e for e in entries if e.key == "2013")  # date = {2013-10-30T11:20:51-07:00}
    assert (first.date.isoformat(), first.precision) == ("2013-10-30", "day")


#: The new real files as sites of their own: (fixture, papers after merging).
SITES = {"bib/al-folio-biology.bib": 7, "bib/al-folio-engineering.bib": 30,
         "bib/better-biblatex.bib": 54, "bib/better-biblatex-names.bib": 2,
         "bib/jabref.bib": 212}


@pytest.mark.parametrize("name", sorted(SITES))
def test_each_real_file_builds_a_site_whose_bibtex_reads_back_with_unique_keys(tmp_path, name):
    import shutil

    import bibtexparser

    from generator.build import build

    (tmp_path / "content").mkdir()
    shutil.copyfile(FIXTURES / name, tmp_path / "content" / Path(name).name)
    (tmp_path / "site.yaml").write_text("name: Ada Lovelace\nas_of: 2026-01-01\n",
                                        encoding="utf-8")
    result = build(tmp_path)
    library = bibtexparser.parse_string(result.files["papers.bib"].decode())
    assert library.failed_blocks == []
    keys = [entry.key for entry in library.entries]
    assert len(keys) == len(set(keys)) == SITES[name]
    source_keys = {e.key for e in bibtexparser.parse_file(str(FIXTURES / name)).entries}
    assert set(keys) <= source_keys  # every paper keeps its author's key
