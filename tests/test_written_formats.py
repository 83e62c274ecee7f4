"""Nothing the site writes can be read as something else: a third-party .bib whose quoted
fields hold unbalanced braces, `@misc{...}`, line breaks and `ER  -` lines is built into a
site, and bibtexparser, biber and rispy read its citation files back: as many entries as
papers, each field the text it was, no entry added and no record split."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import bibtexparser
import pytest
import rispy

from generator.build import BuildResult, build
from generator.cli import main
from generator.sources import read_bibliography

from .conftest import make_site
from .tricky import latex_to_text

FIXTURES = Path(__file__).parent / "fixtures"
BIBER = Path("/usr/bin/biber")
INJECTED = "}} @misc{injected, title={x}}"
# Every field a quoted value, so that its braces need not balance in the source.
HOSTILE_BIB = f"""@article{{hostile2023,
  title = "Closing {INJECTED} early",
  author = "Doe, Jo and Roe, Ann",
  journal = "Journal {INJECTED}",
  year = 2023,
  note = "{INJECTED}",
  addendum = "\\}} @misc{{escaped, title={{y}}}} \\{{",
  abstract = "First line\nER  - \nTY  - JOUR\rAU  - Injected, Author\u2028ER  - \n",
}}

@misc{{braced2022,
  title = {{A {{Balanced}} title}},
  author = {{Roe, Ann}},
  year = 2022,
  note = {{kept {{as}} written}},
}}
"""
TITLES = {"Closing  @miscinjected, title=x early", "A Balanced title"}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> BuildResult:
    folder = make_site(tmp_path_factory.mktemp("written") / "site", "",
                       "name: Jo Doe\nas_of: 2026-01-01\nbase_url: https://example.org/\n")
    (folder / "content" / "profile.txt").unlink()
    (folder / "content" / "hostile.bib").write_text(HOSTILE_BIB, encoding="utf-8")
    return build(folder)


def papers_bib(site: BuildResult) -> str:
    return site.files["papers.bib"].decode()


def test_a_quoted_field_with_unbalanced_braces_adds_no_entry_to_papers_bib(site):
    library = bibtexparser.parse_string(papers_bib(site))
    assert library.failed_blocks == []
    assert sorted(entry.key for entry in library.entries) == ["doe2023closing", "roe2022balanced"]
    assert "injected" not in {entry.key for entry in library.entries}


def test_each_paper_citation_bib_holds_its_one_entry(site):
    files = [data.decode() for path, data in site.files.items() if path.endswith("citation.bib")]
    assert len(files) == 2
    for text in files:
        library = bibtexparser.parse_string(text)
        assert library.failed_blocks == [] and len(library.entries) == 1


def test_an_unbalanced_kept_field_reads_back_as_the_text_it_was(site):
    entries = {e.key: e for e in bibtexparser.parse_string(papers_bib(site)).entries}
    hostile = entries["doe2023closing"]
    assert latex_to_text(hostile["note"]) == INJECTED
    # (a brace after a backslash is escaped for LaTeX: it reads as the brace alone)
    assert latex_to_text(hostile["addendum"]).replace("\\", "") == "} @misc{escaped, title={y}} {"
    assert hostile["journal"] == "Journal @miscinjected, title=x"
    # A balanced kept field is written as its source wrote it.
    assert entries["roe2022balanced"]["note"] == "kept {as} written"


def test_biber_reads_the_same_entries_without_an_error(site, tmp_path):
    if not BIBER.is_file():
        pytest.fail(f"{BIBER} is missing: apt-get install biber", pytrace=False)
    (tmp_path / "papers.bib").write_text(papers_bib(site), encoding="utf-8")
    done = subprocess.run([str(BIBER), "--tool", "--output-file", "out.bib", "papers.bib"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert [line for line in done.stdout.splitlines()
            if "ERROR" in line or "BibTeX subsystem" in line] == []
    written = (tmp_path / "out.bib").read_text(encoding="utf-8")
    assert sorted(re.findall(r"^@\w+\{([^,\s]+),", written, re.MULTILINE)) == [
        "doe2023closing", "roe2022balanced"]


def test_a_line_break_or_er_line_in_a_field_starts_no_ris_tag(site):
    records = rispy.loads(site.files["papers.ris"].decode())
    assert len(records) == 2
    hostile = next(r for r in records if r["id"] == "doe2023closing")
    assert hostile["abstract"] == "First line ER - TY - JOUR AU - Injected, Author ER -"
    assert hostile["authors"] == ["Doe, Jo", "Roe, Ann"]
    each = [rispy.loads(data.decode()) for path, data in site.files.items()
            if path.endswith("citation.ris")]
    assert sorted(len(found) for found in each) == [1, 1]


def test_scholarfolio_export_writes_the_same_two_bibtex_entries(site, tmp_path, capsys):
    folder = tmp_path / "site"
    shutil.copytree(site.config.root, folder, ignore=shutil.ignore_patterns("_site"))
    assert main(["export", "-C", str(folder), "--format", "bibtex"]) == 0
    library = bibtexparser.parse_string(capsys.readouterr().out)
    assert library.failed_blocks == [] and len(library.entries) == 2


def test_an_author_list_with_an_unbalanced_brace_leaves_its_entry_out_with_a_warning(tmp_path):
    path = tmp_path / "names.bib"
    path.write_text('@article{a, title = {T}, author = "Doe, }} x", year = 2020}\n'
                    "@article{b, title = {U}, author = {Roe, Ann}, year = 2021}\n",
                    encoding="utf-8")
    entries, problems = read_bibliography(path, "names.bib")
    assert [entry.title for entry in entries] == ["U"]
    assert [(p.line, p.warning) for p in problems] == [(1, True)]
    assert "author list has an unbalanced brace" in problems[0].message
