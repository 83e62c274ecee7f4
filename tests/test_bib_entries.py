"""Every entry of a .bib becomes a paper or is named at its line, and broken input is
never read as something else (issue 25): repeated fields and keys, Better BibLaTeX's
names and dates, statuses for a year, macros (months, nested, undefined), a missing
comma, lines after a backslash at a line's end, DOIs in every form, authorship marks and
the author's citation keys."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.build import build
from generator.errors import SiteError
from generator.links import bare_doi
from generator.model import citations
from generator.names import parse_name, take_marks
from generator.records import Name
from generator.sources import gather
from generator.sources.bibtex import read_bibtex
from generator.sources.entry import entry_paper

from .test_sources import bib_field, bib_site, page_titled, text


def read(tmp_path: Path, bib: str):
    path = tmp_path / "x.bib"
    path.write_text(bib, encoding="utf-8")
    entries, problems = read_bibtex(path, "x.bib")
    return {entry.key: entry for entry in entries}, [p.format().splitlines()[0]
                                                     for p in problems]


@pytest.mark.parametrize("again", ["isbn", "ISBN"])  # BibTeX's names know no case
def test_a_repeated_field_keeps_its_first_value_with_a_warning_at_the_second(tmp_path, again):
    entries, problems = read(tmp_path, "@book{b,\n  title = {A Book},\n  isbn = {111},\n"
                             f"  year = {{2020}},\n  {again} = {{222}}\n}}\n")
    assert [value for name, value in entries["b"].fields if name.lower() == "isbn"] == ["111"]
    assert problems == [f"x.bib:5:1: warning: @book{{b}}: the field '{again}' is given again "
                        "(first at line 3): the first value is kept; expected each field once"]


def test_better_biblatex_extended_names_are_read_in_their_parts(tmp_path):
    entries, problems = read(tmp_path, "@article{a,\n  title = {T},\n  author = {family=Linde,"
                             " given=Jelmer, prefix=van der, useprefix=false and Smith, John"
                             " and family={Ng}, given={A.}},\n  date = {2021}\n}\n")
    assert entries["a"].authors == (Name("Jelmer van der Linde", "Jelmer", "Linde", "van der"),
                                    Name("John Smith", "John", "Smith"),
                                    Name("A. Ng", "A.", "Ng"))
    assert problems == []


@pytest.mark.parametrize(("written", "date", "precision"), [
    ("date = {2025-04-09T10:53:48Z}", dt.date(2025, 4, 9), "day"),
    ("date = {2025-04-09 10:53}", dt.date(2025, 4, 9), "day"),
    ("date = {2019-03/2019-05}", dt.date(2019, 3, 1), "month"),
    ("year = {2023a}", dt.date(2023, 1, 1), "year"),
    ("year = {2023b}, month = mar", dt.date(2023, 3, 1), "month"),
    ("date = {2017-21}", dt.date(2017, 1, 1), "year"),  # a season: the year is claimed
    ("date = {1999-01-uu}", dt.date(1999, 1, 1), "month"),  # EDTF: the day left open
    ("year = {1973--1974}", dt.date(1973, 1, 1), "year"),
    # a psychology thesis's Zotero export (tests/fixtures/bib/zotero-years.bib)
    ("year = {2018/ed}", dt.date(2018, 1, 1), "year"),
    ("year = {Mar/Apr 2007}", dt.date(2007, 1, 1), "year"),
    ("year = {20210128}", dt.date(2021, 1, 1), "year"),
    # a research group's al-folio file writes the whole date as the month
    ("year = {2016}, month = {2016-06-03T00:00:00}", dt.date(2016, 6, 1), "month"),
])
def test_dates_as_exports_write_them(tmp_path, written, date, precision):
    entries, problems = read(tmp_path, f"@misc{{m, title = {{T}}, {written}}}\n")
    assert (entries["m"].date, entries["m"].precision, problems) == (date, precision, [])


@pytest.mark.parametrize(("year", "status"), [("{in press}", "in press"),
                                              ("{Forthcoming}", "forthcoming"),
                                              ('"To appear"', "to appear")])
def test_a_status_where_the_year_is_keeps_the_entry_with_its_status(tmp_path, year, status):
    entries, problems = read(tmp_path, f"@article{{p, title = {{T}}, year = {year}}}\n")
    assert (entries["p"].status, entries["p"].date, problems) == (status, None, [])
    paper = entry_paper(entries["p"], as_of=dt.date(2026, 5, 1))
    assert (paper.status, paper.date, paper.year_inferred) == (status, dt.date(2026, 1, 1), True)
    assert bib_field(citations.bibtex_entry(paper, "p"), "year") == status


def test_an_entry_without_a_year_is_kept_as_nd_with_a_warning(tmp_path):
    entries, problems = read(tmp_path, "@misc{web,\n  title = {A Web Page},\n  url = "
                             "{https://example.org}\n}\n")
    assert (entries["web"].status, entries["web"].date) == ("n.d.", None)
    assert problems == ["x.bib:1:1: warning: @misc{web} has no year: kept as n.d. (no "
                        "date); expected year = {2018}"]


def test_an_in_press_paper_shows_its_status_where_the_year_is(tmp_path):
    folder = bib_site(tmp_path / "site", {"x.bib": "@article{p, title = {Pressing Matters},"
                                          " author = {Doe, Jane}, year = {in press}}\n"})
    result = build(folder)
    slug, page = page_titled(result, "Pressing Matters")
    assert "in press" in page
    assert bib_field(text(result, f"papers/{slug}/citation.bib"), "year") == "in press"
    item = json.loads(text(result, f"papers/{slug}/citation.json"))[0]
    assert item["status"] == "in press" and "issued" not in item  # no year claimed
    assert "PY  - " not in text(result, f"papers/{slug}/citation.ris")


def test_a_reused_key_keeps_both_works_the_second_with_a_suffix(tmp_path):
    bib = ("@article{smith2020, title = {First Work}, year = 2020}\n"
           "@article{smith2020, title = {Second Work}, year = 2021}\n")
    entries, problems = read(tmp_path, bib)
    assert sorted(entries) == ["smith2020", "smith2020-2"]
    assert problems == ["x.bib:2:1: warning: @article{smith2020}: the key 'smith2020' is "
                        "taken by the entry at line 1: this entry is kept as 'smith2020-2' "
                        "(merged with it if both are one work); expected each key once"]
    folder = bib_site(tmp_path / "site", {"x.bib": bib})
    whole = text(build(folder), "papers.bib")
    assert whole.count("@article{smith2020,") == 1 and "@article{smith2020-2," in whole


def test_the_authors_key_is_kept_and_no_key_repeats(tmp_path):
    bib = ("@inproceedings{dubois2020crosslingual, title = {Crosslingual Things}, "
           "author = {Dubois, Anne}, year = 2020}\n")
    json = ('[{"id": "dubois2020crosslingual", "title": "Another Work", "type": "book",'
            ' "issued": {"date-parts": [[2021]]}},'
            ' {"id": "x", "citation-key": "lee2019a", "title": "Made Keys",'
            ' "author": [{"family": "Dubois", "given": "A."}],'
            ' "issued": {"date-parts": [[2020]]}}]')
    folder = bib_site(tmp_path / "site", {"a.bib": bib, "b.json": json})
    result = build(folder)
    whole = text(result, "papers.bib")
    keys = [line.split("{", 1)[1].rstrip(",") for line in whole.splitlines()
            if line.startswith("@")]
    assert sorted(keys) == ["dubois2020crosslingual", "dubois2020crosslingual-2", "lee2019a"]
    slug, _ = page_titled(result, "Crosslingual Things")
    assert text(result, f"papers/{slug}/citation.bib").startswith(
        "@inproceedings{dubois2020crosslingual,\n")


def test_made_keys_step_around_the_sources_keys():
    from generator.records import Paper

    def paper(slug, title, key=None):
        return Paper(slug, title, (Name("Ann Dupont", "Ann", "Dupont"),), False, (), "LG",
                     dt.date(2022, 1, 1), False, None, False, None, (), "", 0, key=key)

    keys = citations.assign_keys([paper("a", "Data One"), paper("b", "Data Two", "dupont2022data"),
                                  paper("c", "Data Three")])
    assert keys["b"] == "dupont2022data"
    assert sorted(keys.values()) == ["dupont2022data", "dupont2022dataa", "dupont2022datab"]


def test_a_missing_comma_is_an_error_at_its_line(tmp_path):
    _, problems = read(tmp_path, "@book{b,\n  title = {T},\n  publisher = {MIT Press}\n"
                       "  address = {Cambridge, MA},\n  year = 2020\n}\n")
    assert problems == ["x.bib:4:1: @book{b} publisher: the field 'address' follows a "
                        "complete value; expected a comma between two fields (or '#' to "
                        "join strings)"]
    _, problems = read(tmp_path, '@book{b, title = "T" year = 2020}\n')
    assert problems and problems[0].startswith("x.bib:1:1: @book{b} title: the field 'year'")


def test_a_build_stops_at_a_missing_comma(tmp_path):
    folder = bib_site(tmp_path / "site", {"x.bib": "@book{b,\n  title = {T},\n  publisher ="
                                          " {MIT Press} address = {Cambridge},\n"
                                          "  year = 2020\n}\n"})
    with pytest.raises(SiteError) as raised:
        build(folder)
    assert ":3:1: @book{b} publisher: the field 'address' follows" in str(raised.value)


def test_macros_months_nested_and_undefined(tmp_path):
    bib = ('@string{conf = "Proc. ACL"}\n@string{confy = conf # " 2023"}\n'
           "@inproceedings{a,\n  title = {T},\n  booktitle = confy,\n  month = sep,\n"
           "  year = 2023,\n  series = IEEE_J_SP\n}\n")
    entries, problems = read(tmp_path, bib)
    assert entries["a"].venue == "Proc. ACL 2023"
    assert (entries["a"].date, entries["a"].precision) == (dt.date(2023, 9, 1), "month")
    assert dict(entries["a"].fields)["series"] == "IEEE_J_SP"
    assert problems == ["x.bib:8:1: warning: @inproceedings{a} series: the macro "
                        "'IEEE_J_SP' is defined by no @string before it: kept as written; "
                        "expected @string{IEEE_J_SP = {...}} in this file (a file such as "
                        "IEEEabrv.bib defines it for LaTeX only)"]


def test_lines_stay_right_after_a_backslash_at_a_lines_end(tmp_path):
    bib = ("@article{a,\n  title = {x\\\\\n y},\n  file = {C:\\\\Users\\\n},\n  year = 2020\n"
           "}\n\n@article{b,\n  title = {z},\n  year = {never}\n}\n")
    _, problems = read(tmp_path, bib)
    assert problems[0].startswith("x.bib:9:1: warning: @article{b} is left out: year 'never'")


def test_a_file_without_papers_is_a_warning_and_a_site_without_any_an_error(tmp_path):
    folder = bib_site(tmp_path / "one", {"a.bib": "@article{a, title = {T}, year = 2020}\n",
                                         "b.bib": "% only a comment\n"})
    result = gather(folder / "content" / "profile.txt", folder / "content",
                    dt.date(2026, 1, 1), str, name="Ada")
    assert [p.message for p in result.warnings] == [
        "no paper is read from this file (no entry, or none that a paper can be made of); "
        "expected entries with a title and a year"]
    assert result.warnings[0].path.endswith("b.bib")
    empty = bib_site(tmp_path / "two", {"b.bib": "@comment{nothing}\n"})
    with pytest.raises(SiteError) as raised:
        build(empty)
    assert "no paper from any source" in str(raised.value)


@pytest.mark.parametrize("written", [
    "DOI 10.1109/5.771073", "https://doi.org/10.1109/5.771073",
    "http://dx.doi.org/10.1109/5.771073", "doi:10.1109/5.771073", "DOI: 10.1109/5.771073",
    "10.1109%2F5.771073", "https://doi.org/10.1109%2F5.771073", " doi.org/10.1109/5.771073 ",
])
def test_every_common_doi_form_is_one_doi(written):
    assert bare_doi(written) == "10.1109/5.771073"


@pytest.mark.parametrize(("written", "name", "marks"), [
    ("Smith*, John", "John Smith", ("*",)),
    ("John Smith$^*$", "John Smith", ("*",)),
    ("Smith\\textsuperscript{*}, John", "John Smith", ("*",)),
    ("{Smith}$^\\dagger$, John", "John Smith", ("\u2020",)),
    ("John Smith$^{*\\dagger}$", "John Smith", ("*", "\u2020")),
    ("John Smith\\#", "John Smith", ("#",)),
])
def test_marks_written_into_a_bibtex_name_are_marks(tmp_path, written, name, marks):
    entries, _ = read(tmp_path, f"@misc{{m, title = {{T}}, author = {{{written} and Doe,"
                      " Jane}, year = 2020}\n")
    first, second = entries["m"].authors
    assert (first.text, first.family, first.marks, second.marks) == (name, "Smith", marks, ())
    assert "Smith$^{" in citations.bibtex_name(first)


def test_marks_in_a_plain_name_are_marks():
    assert parse_name("Jane Doe\u2020").marks == ("\u2020",)
    assert parse_name("Jane Doe*").text == "Jane Doe"
    assert take_marks("Jane Doe") == ("Jane Doe", ())


@pytest.mark.parametrize("bib", [
    "@article{", "@article{a, title = {T}, author = {family=, given=}, year = 2020}",
    "@string{a = b # c}\n@misc{m, title = a # {x}, year = 2020}", '@misc{m, title = "T',
    "@misc{m, title = {T}, year = {2020}, date = {2020-13-45T99:99}}",
    "@misc{m, title = {T}, author = {$^*$ and * and \\dag}, year = {in press}}",
    "@misc{m, title = {T}, year = 2020, doi = {doi:}}", "@misc{m, title = T # # , year = 1}",
])
def test_no_input_ends_in_a_traceback(tmp_path, bib):
    read(tmp_path, bib)


_BIB_PIECES = st.sampled_from([
    "@article{", "@string{", "@comment{", "@preamble{", "k", " = ", "{", "}", '"', " # ", ",",
    "\n", "\\", "\\\n", "year", "date", "month", "title", "author", "doi", " and ", "others",
    "family=", "given=", "prefix=van, ", "$^*$", "\\dag", "*", "2020", "2023a", "in press",
    "2025-04-09T10:53:48Z", "jan", "(", ")", "%", "=", "DOI 10.1/x", "\u2028", "\r\n"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_BIB_PIECES, max_size=60).map("".join))
def test_no_text_made_of_bibtex_pieces_ends_in_a_traceback(text):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.bib"
        path.write_text(text, encoding="utf-8")
        entries, problems = read_bibtex(path, "x.bib")
    lines = text.count("\n") + 1
    assert all(1 <= p.line <= lines for p in problems)
    assert all(1 <= e.line <= lines for e in entries)


def test_a_problem_in_a_value_on_the_line_after_its_name_is_at_the_values_line(tmp_path):
    _, problems = read(tmp_path, "@misc{m,\n  title = {T},\n  year = 2020,\n  series =\n"
                       "    IEEE_J_SP\n}\n")
    assert problems[0].startswith("x.bib:5:1: warning: @misc{m} series: the macro 'IEEE_J_SP'")


def test_a_doi_written_in_a_url_is_the_entrys_doi(tmp_path):
    # as a research group's al-folio file writes every url (bib/al-folio-engineering.bib)
    entries, _ = read(tmp_path, '@article{a, title = {T}, year = 2024, url = {doi:<a href='
                      '"https://doi.org/10.1007/s00466-025-02647-9">10.1007/s00466-025-02647-9'
                      '</a>}}\n@article{b, title = {U}, year = 2024, url = '
                      '{https://doi.org/10.1109/5.771073}}\n')
    assert (entries["a"].doi, entries["a"].url) == ("10.1007/s00466-025-02647-9", None)
    assert (entries["b"].doi, entries["b"].url) == ("10.1109/5.771073",
                                                    "https://doi.org/10.1109/5.771073")


def test_a_double_backslash_before_a_closing_brace_ends_the_value_as_bibtex_reads_it():
    # A real Zotero export: `keywords = {...,positive psychology\\}`, a Windows `file`.
    fixture = Path(__file__).parent / "fixtures" / "bib" / "zotero-windows.bib"
    entries, problems = read_bibtex(fixture, "zotero-windows.bib")
    assert [e.key for e in entries] == ["bhattacharya2017", "bialek2019"] and not problems
    assert entries[0].keywords[-1] == "positive psychology"  # the `\\` a line break
    assert (entries[1].line, entries[1].date) == (18, dt.date(2019, 9, 1))
