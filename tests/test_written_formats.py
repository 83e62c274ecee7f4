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
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from pybtex.database import parse_string as pybtex_parse

from generator.build import BuildResult, build
from generator.cli import main
from generator.model.citations import bibtex_field, ris_line
from generator.render.environment import make_environment
from generator.sources import read_bibliography
from generator.themes import load_theme

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
    assert sorted(entry.key for entry in library.entries) == ["braced2022", "hostile2023"]
    assert "injected" not in {entry.key for entry in library.entries}


def test_each_paper_citation_bib_holds_its_one_entry(site):
    files = [data.decode() for path, data in site.files.items() if path.endswith("citation.bib")]
    assert len(files) == 2
    for text in files:
        library = bibtexparser.parse_string(text)
        assert library.failed_blocks == [] and len(library.entries) == 1


def test_an_unbalanced_kept_field_reads_back_as_the_text_it_was(site):
    entries = {e.key: e for e in bibtexparser.parse_string(papers_bib(site)).entries}
    hostile = entries["hostile2023"]
    assert latex_to_text(hostile["note"]) == INJECTED
    # (a brace after a backslash is escaped for LaTeX: it reads as the brace alone)
    assert latex_to_text(hostile["addendum"]).replace("\\", "") == "} @misc{escaped, title={y}} {"
    assert hostile["journal"] == "Journal @miscinjected, title=x"
    # A balanced kept field is written as its source wrote it.
    assert entries["braced2022"]["note"] == "kept {as} written"


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
        "braced2022", "hostile2023"]


def test_a_line_break_or_er_line_in_a_field_starts_no_ris_tag(site):
    records = rispy.loads(site.files["papers.ris"].decode())
    assert len(records) == 2
    hostile = next(r for r in records if r["id"] == "hostile2023")
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


def test_an_author_list_with_an_unbalanced_brace_is_read_as_its_names(tmp_path):
    path = tmp_path / "names.bib"
    path.write_text('@article{a, title = {T}, author = "Doe, }} x", year = 2020}\n'
                    "@article{b, title = {U}, author = {Roe, Ann}, year = 2021}\n",
                    encoding="utf-8")
    entries, problems = read_bibliography(path, "names.bib")
    assert [(entry.title, [str(name) for name in entry.authors]) for entry in entries] == [
        ("T", ["x Doe"]), ("U", ["Ann Roe"])]
    assert problems == []


# -- XML ----------------------------------------------------------------------------------

#: Every character XML 1.0 forbids in text that a string can hold, and markup.
FORBIDDEN = "".join(map(chr, [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])) + (
    "\ufffe\uffff")


def test_an_xml_template_prints_no_character_xml_forbids(tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "probe.xml").write_text('<probe at="{{ v }}">{{ v }}</probe>\n',
                                         encoding="utf-8")
    (templates / "probe.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg">'
                                         "<title>{{ v }}</title></svg>\n", encoding="utf-8")
    env = make_environment(templates, load_theme("scholar", tmp_path))
    value = f"a{FORBIDDEN}<b>&\ud800"
    for name in ("probe.xml", "probe.svg"):
        written = env.get_template(name).render(v=value).encode("utf-8")
        root = etree.fromstring(written, etree.XMLParser(recover=False))
        text = root.get("at") if name == "probe.xml" else root[0].text
        assert text.startswith("a[U+0000][U+0001]") and text.endswith("[U+FFFF]<b>&[U+D800]")


def hostile_xml_site(folder: Path) -> Path:
    """A site whose every kind of input holds characters XML forbids."""
    site_yaml = ('as_of: 2026-01-01\nbase_url: https://example.org/\n'
                 'title: "Title\\x01\\x0b\\uFFFE"\nname: "Name\\x02\\uFFFF"\n'
                 'description: "About\\x1b"\nmetrics:\n  "Reach\\x01": 3\n')
    profile = (FIXTURES / "profiles" / "plain.txt").read_text(encoding="utf-8")
    profile = (profile.replace("Neural Processes", "Neural\x01Processes\ufffe")
               .replace("Marta Garnelo", "Marta\x03Garnelo").replace("h-index", "h\x05index"))
    root = make_site(folder, profile, site_yaml)
    for kind, name, text in [
            ("pages", "about.md", '---\ntitle: "Ab\\x01out\\uFFFE"\n---\nText \x01 here\n'),
            ("news", "one.md", "---\ndate: 2025-01-01\n---\nNews \x01 \uffff\n")]:
        (root / "content" / kind).mkdir()
        (root / "content" / kind / name).write_text(text, encoding="utf-8")
    (root / "content" / "refs.bib").write_text(
        "@article{k, title={Bib\x01 \uffff title}, author={Roe\x02, Jane}, journal={J\x03},"
        " year=2022, abstract={Abs\x04}}\n", encoding="utf-8")
    return root


def test_every_xml_file_of_a_site_built_from_hostile_inputs_parses_strictly(tmp_path):
    result = build(hostile_xml_site(tmp_path / "site"))
    xml = {path: data for path, data in result.files.items()
           if path.endswith((".xml", ".svg"))}
    assert {"feed.xml", "sitemap.xml", "badges/papers.svg"} <= set(xml)
    for path, data in xml.items():
        etree.fromstring(data, etree.XMLParser(recover=False))  # raises on any of them
        assert not any(char in data.decode("utf-8") for char in FORBIDDEN), path
    assert "[U+0001]" in result.files["feed.xml"].decode()


@settings(derandomize=True, max_examples=300, deadline=None)
@given(st.text(alphabet="{}\\@,=\"a %\n#", max_size=30))
def test_no_value_of_a_bibtex_field_closes_its_entry_or_adds_one(value):
    # Read as bibtexparser reads it (a brace after a backslash is no brace) and as BibTeX
    # does (pybtex: every brace counts): the entry and the one after it, each whole.
    text = ("@misc{first,\n" + bibtex_field("note", value) + ",\n  title = {T}\n}\n\n"
            "@misc{second,\n  title = {U}\n}\n")
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    assert [(e.key, e["title"]) for e in library.entries] == [("first", "T"), ("second", "U")]
    entries = pybtex_parse(text, "bibtex").entries
    assert [(key, entries[key].fields["title"]) for key in entries] == [
        ("first", "T"), ("second", "U")]


@settings(derandomize=True, max_examples=200, deadline=None)
@given(st.text(alphabet="ERTY -\r\n\u2028\u0085\x0bab", min_size=1, max_size=30)
       .filter(lambda text: text.split()))
def test_no_value_of_a_ris_field_starts_a_tag_line(value):
    text = "\r\n".join(["TY  - JOUR", ris_line("TI", value), ris_line("AB", value), "ER  - ",
                        "TY  - BOOK", "TI  - Second", "ER  - ", ""])
    records = rispy.loads(text)
    assert [(r["type_of_reference"], r["title"]) for r in records] == [
        ("JOUR", " ".join(value.split())), ("BOOK", "Second")]
    assert records[0]["abstract"] == " ".join(value.split())
