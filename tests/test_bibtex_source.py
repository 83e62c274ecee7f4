"""The BibTeX reader (generator/sources/bibtex.py) on a bibliography shaped like the ones
researchers keep: al-folio's front matter and custom keys, @string macros, LaTeX accents,
month names and numbers, BibLaTeX dates, arXiv preprints; the entries it cannot read are
problems at their lines, and the others are kept."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.records import Name
from generator.sources.bibtex import read_bibtex

BIB = Path(__file__).parent / "fixtures" / "bib" / "papers.bib"


@pytest.fixture(scope="module")
def read():
    entries, problems = read_bibtex(BIB, "papers.bib")
    return {entry.key: entry for entry in entries}, problems


def test_names_come_split_as_bibtex_splits_them(read):
    entry = read[0]["garnelo2018conditional"]
    assert entry.authors == (
        Name("Marta Garnelo", "Marta", "Garnelo"),
        Name("Jeffrey De Fauw", "Jeffrey", "De Fauw"),
        Name("Ursula von der Leyen", "Ursula", "Leyen", "von der"),
        Name("Martin Luther King Jr.", "Martin Luther", "King", "", "Jr."),
        Name("Gemini Team"))
    assert entry.authors_truncated  # "and others"


def test_strings_months_and_kinds(read):
    entries = read[0]
    conference = entries["garnelo2018conditional"]
    assert conference.venue == "International Conference on Machine Learning"  # @string
    assert (conference.kind, conference.date) == ("conference", dt.date(2018, 7, 1))
    assert conference.doi == "10.48550/arXiv.1807.01613"
    journal = entries["uber2021warme"]
    assert (journal.kind, journal.venue, journal.date) == ("journal", "Nature Medicine",
                                                           dt.date(2021, 3, 1))
    preprint = entries["eslami2024gemini"]
    assert (preprint.kind, preprint.arxiv, preprint.category) == ("preprint", "2312.11805",
                                                                  "cs.CL")
    assert preprint.date == dt.date(2024, 12, 1)
    thesis = entries["ada2020thesis"]
    assert (thesis.kind, thesis.venue, thesis.date) == ("thesis", "University of London",
                                                        dt.date(2020, 6, 30))


def test_latex_becomes_text(read):
    entry = read[0]["uber2021warme"]
    assert entry.title == "Über Wärme und Ørsted's Gesetz"
    assert [name.text for name in entry.authors] == ["Jörg Müller", "Tomáš Kočiský"]
    assert entry.keywords == ("thermodynamics", "history")
    assert entry.abstract == "An abstract with $x^2$ and 50% of it."


def test_every_field_is_kept_for_the_download(read):
    fields = dict(read[0]["garnelo2018conditional"].fields)
    assert fields["abbr"] == "ICML" and fields["bibtex_show"] == "true"
    assert fields["pdf"] == "cnp.pdf" and fields["selected"] == "true"


def test_entries_it_cannot_read_are_problems_at_their_lines_and_the_rest_are_kept(read):
    entries, problems = read
    assert sorted(entries) == ["ada2020thesis", "eslami2024gemini", "garnelo2018conditional",
                               "noyear", "uber2021warme"]  # undated: kept as n.d.
    shown = [problem.format().splitlines()[0] for problem in problems]
    assert shown == [
        "papers.bib:50:1: not a BibTeX entry that can be read (an unbalanced brace or "
        "a missing comma?); expected @type{key, field = {value}, ...}",
        "papers.bib:6:1: warning: 'garnelo2018conditional': pdf = {cnp.pdf} is left out: "
        "no file static/assets/pdf/cnp.pdf (al-folio's assets/pdf/, copied into the site's "
        "static/ folder)",
        "papers.bib:46:1: warning: @article{noyear} has no year: kept as n.d. (no date); "
        "expected year = {2018}",
        "papers.bib:48:1: warning: @article{badmonth} is left out: month 'Smarch' is no "
        "month; expected jan ... dec, a month's name or 1 ... 12",
    ]
    # Text that is no entry fails the build (it may hide entries); a left-out entry warns.
    assert [problem.warning for problem in problems] == [False, True, True, True]
