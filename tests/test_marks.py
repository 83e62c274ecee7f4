"""Authorship marks: equal contribution, corresponding author and students, read from a
bibliography's names (`Yuan*, Zhihang`), a per-paper file (`equal:`, `corresponding:`, over
the bibliography's) and site.yaml (`students:`), shown after each name with its meaning and
explained once per page by a legend of the marks used there; and the thumbnail on a card."""

from __future__ import annotations

import re

import pytest

from generator.build import BuildResult, build

from .test_alfolio_fields import AL_FOLIO_SITE, PREVIEWS, with_files
from .test_sources import SITE_YAML, bib_site, page_titled, text

ECAR = "E-CAR: Efficient Continuous Autoregressive Image Generation via Multistage Modeling"
EQUAL = ('<sup class="author-mark" title="equal contribution"><span aria-hidden="true">*</span>'
         '<span class="visually-hidden"> (equal contribution)</span></sup>')
CV = """\
cv:
  name: Ada Lovelace
  sections:
    education:
      - institution: University of London
        area: Mathematics
        degree: PhD
        start_date: 2020-01
        end_date: 2024-01
"""
BIB = r"""@article{lee2024,
  title = {Marks Written in a Bibliography},
  author = {Lee, Ann and Chen$^\dagger$, Bo and Lovelace, Ada},
  journal = {Journal of Tests},
  year = {2024},
}
@article{plain2023,
  title = {A Paper Without Marks},
  author = {Lovelace, Ada and Park, Jin},
  journal = {Journal of Tests},
  year = {2023},
}
"""


def legends(page: str) -> list[str]:
    """The text of each legend of a page, marks and meanings."""
    return [re.sub(r"<[^>]+>", "", found) for found in
            re.findall(r'<p class="marks-legend">(.*?)</p>', page)]


def authors(page: str, name: str) -> str:
    """The marks after a name in the first author list of the page that has it."""
    lists = re.findall(r'class="(?:cv-)?paper-authors">(.*?)</(?:p|span)>\.?(?: |\n)', page)
    match = next(filter(None, (re.search(
        re.escape(name) + r"((?:<sup class=\"author-mark\".*?</sup>)*)", listed)
        for listed in lists)), None)
    assert match, name
    return match.group(1)


@pytest.fixture(scope="module")
def al_folio_site(tmp_path_factory) -> BuildResult:
    """A real al-folio papers.bib whose authors are written `Yuan*, Zhihang`, with a CV."""
    site = bib_site(tmp_path_factory.mktemp("marks") / "site", {"papers.bib": AL_FOLIO_SITE,
                                                                 "cv.yaml": CV})
    return build(with_files(site, {f"{PREVIEWS}/2024PruMerge.png": b"\x89PNG\r\n"}))


def test_a_star_in_an_al_folio_surname_is_a_mark_not_part_of_the_name(al_folio_site):
    _, page = page_titled(al_folio_site, ECAR)
    assert "Yuan*" not in page and "Zhihang Yuan" + EQUAL in page
    assert legends(page) == ["Authorship marks: * equal contribution"]


@pytest.mark.parametrize("path", ["publications/index.html", "cv/index.html"])
def test_the_list_and_the_cv_show_the_marks_with_one_legend(al_folio_site, path):
    page = text(al_folio_site, path)
    assert "Zhihang Yuan" + EQUAL in page and "Yuan*" not in page
    assert legends(page) == ["Authorship marks: * equal contribution"]


def test_a_page_without_marks_has_no_legend(al_folio_site):
    html = [data.decode() for path, data in al_folio_site.files.items()
            if path.endswith(".html")]
    unmarked = [page for page in html if "author-mark" not in page]
    assert len(unmarked) > 20 and not any(map(legends, unmarked))
    assert all(len(legends(page)) == 1 for page in html if "author-mark" in page)


def test_the_card_shows_the_thumbnail_in_a_reserved_box_lazily(al_folio_site):
    page = text(al_folio_site, "publications/index.html")
    assert ('<img class="card-thumb" src="/assets/assets/img/publication_preview/'
            '2024PruMerge.png" alt="" width="160" height="100" loading="lazy" '
            'decoding="async">') in page


@pytest.fixture(scope="module")
def marked_site(tmp_path_factory) -> BuildResult:
    """A bibliography with a dagger, a per-paper file over it, and students in site.yaml."""
    site = bib_site(tmp_path_factory.mktemp("marked") / "site", {"papers.bib": BIB},
                    SITE_YAML + "students:\n  - Jin Park\n")
    papers = site / "content" / "papers"
    papers.mkdir()
    (papers / "marks-written-in-a-bibliography.md").write_text(
        "---\nequal: [Ann Lee, Ada Lovelace]\n---\n", encoding="utf-8")
    return build(site)


def test_a_dagger_is_a_corresponding_author(marked_site):
    _, page = page_titled(marked_site, "Marks Written in a Bibliography")
    assert authors(page, "Bo Chen") == (
        '<sup class="author-mark" title="corresponding author"><span aria-hidden="true">†'
        '</span><span class="visually-hidden"> (corresponding author)</span></sup>')


def test_a_per_paper_file_gives_the_marks_over_the_bibliography(marked_site):
    _, page = page_titled(marked_site, "Marks Written in a Bibliography")
    assert authors(page, "Ann Lee") == EQUAL
    assert authors(page, "Ada Lovelace</strong>") == EQUAL  # the researcher too
    assert "Bo Chen<sup" in page and "Chen$" not in page.split('id="cite-heading"')[0]
    assert legends(page) == ["Authorship marks: * equal contribution · † corresponding author"]


def test_an_equal_field_replaces_the_bibliography_s_equal_marks(tmp_path):
    bib = BIB.replace("Lee, Ann", "Lee*, Ann").replace("Park, Jin", "Park*, Jin")
    site = bib_site(tmp_path / "site", {"papers.bib": bib})
    (site / "content" / "papers").mkdir()
    (site / "content" / "papers" / "a-paper-without-marks.md").write_text(
        "---\nequal: Ada Lovelace\n---\n", encoding="utf-8")
    result = build(site)
    _, page = page_titled(result, "A Paper Without Marks")
    assert authors(page, "Jin Park") == "" and authors(page, "Ada Lovelace</strong>") == EQUAL
    _, other = page_titled(result, "Marks Written in a Bibliography")
    assert authors(other, "Ann Lee") == EQUAL  # no file: the bibliography's mark


def test_a_student_named_in_site_yaml_is_marked_in_every_list(marked_site):
    for path in ("publications/index.html",):
        page = text(marked_site, path)
        assert authors(page, "Jin Park") == (
            '<sup class="author-mark" title="student"><span aria-hidden="true">°</span>'
            '<span class="visually-hidden"> (student)</span></sup>')
        assert legends(page) == ["Authorship marks: * equal contribution · † corresponding "
                                 "author · ° student"]
    _, page = page_titled(marked_site, "A Paper Without Marks")
    assert legends(page) == ["Authorship marks: ° student"]  # only the marks used there


def test_the_minimal_theme_shows_marks_and_legend(tmp_path):
    site = bib_site(tmp_path / "site", {"papers.bib": BIB}, SITE_YAML + "theme: minimal\n")
    page = text(build(site), "publications/index.html")
    assert authors(page, "Bo Chen").startswith('<sup class="author-mark" title="corresponding')
    assert legends(page) == ["Authorship marks: † corresponding author"]


def test_the_marks_meanings_come_from_the_catalogue(tmp_path):
    site = bib_site(tmp_path / "site", {"papers.bib": BIB.replace("Lee, Ann", "Lee*, Ann")},
                    SITE_YAML + "language: de\n")
    page = text(build(site), "publications/index.html")
    assert '<sup class="author-mark" title="gleicher Beitrag">' in page
    assert legends(page) == ["Kennzeichen der Autorschaft: * gleicher Beitrag · † "
                             "korrespondierender Autor"]


def test_marked_names_that_are_no_author_are_warnings_at_their_line_with_a_hint(tmp_path):
    site = bib_site(tmp_path / "site", {"papers.bib": BIB},
                    SITE_YAML + "students:\n  - Jin Park\n  - Jim Parks\n  - Zed Nobody\n")
    (site / "content" / "papers").mkdir()
    (site / "content" / "papers" / "marks-written-in-a-bibliography.md").write_text(
        "---\nequal:\n  - Ann Lee\n  - Ann Leee\ncorresponding: Bo Chen\n---\n"
        "A note.\n", encoding="utf-8")
    (site / "content" / "papers" / "a-paper-without-marks.md").write_text(
        "---\nauthors: [Ada Lovelace, Jin Park, Kim Lee]\ncorresponding: [Kim Lee, Bo Chen]\n"
        "---\n", encoding="utf-8")
    result = build(site)
    shown = sorted(w.format().splitlines()[0] for w in result.warnings
                   if "no author" in w.message)
    yaml_lines = (site / "site.yaml").read_text(encoding="utf-8").splitlines()
    students = yaml_lines.index("  - Jim Parks") + 1
    assert [line.split("content/papers/")[-1].split("site.yaml")[-1] for line in shown] == [
        "a-paper-without-marks.md:3:26: warning: 'corresponding' names 'Bo Chen', who is no "
        "author of this paper, so no one is marked (expected a name of its author list: Ada "
        "Lovelace, Jin Park, Kim Lee)",  # the file's own authors: Kim Lee is one
        "marks-written-in-a-bibliography.md:4:5: warning: 'equal' names 'Ann Leee', who is no "
        "author of this paper, so no one is marked; did you mean 'Ann Lee'? (expected a name "
        "of its author list: Ann Lee, Bo Chen, Ada Lovelace)",
        f":{students}:5: warning: 'students' names 'Jim Parks', who is no author of any "
        "paper, so no one is marked a student; did you mean 'Jin Park'? (expected a name as "
        "the author lists write it)",
        f":{students + 1}:5: warning: 'students' names 'Zed Nobody', who is no author of any "
        "paper, so no one is marked a student (expected a name as the author lists write it)",
    ]
    _, page = page_titled(result, "A Paper Without Marks")
    assert authors(page, "Kim Lee").startswith('<sup class="author-mark" title="corresp')


def test_the_cv_explains_the_marks_once_under_its_publications_heading(tmp_path):
    site = bib_site(tmp_path / "site", {"papers.bib": BIB, "cv.yaml": CV},
                    SITE_YAML + "group_by: year\nstudents: [Jin Park]\n")
    page = text(build(site), "cv/index.html")
    section = page[page.index('<h2 id="cv-publications">'):]
    section = section[:section.index("</section>")]
    assert section.count('<h3 class="cv-group">') == 2  # marks in both years' lists
    assert page.count('class="marks-legend"') == 1
    legend, first_list = section.index('class="marks-legend"'), section.index('class="cv-papers"')
    assert legend < first_list  # read before the list, not pages after its first mark
    assert legends(section) == ["Authorship marks: † corresponding author · ° student"]


def test_bibtex_carries_the_marks_as_biblatex_annotations_that_clients_read_back(
        marked_site, tmp_path):
    import subprocess

    import bibtexparser
    from pybtex.database import parse_string

    from .test_written_formats import BIBER

    entry = marked_site.files["papers/marks-written-in-a-bibliography/citation.bib"].decode()
    assert "  author+an = {1=equalcontrib; 2=corresponding; 3=equalcontrib},\n" in entry
    plain = marked_site.files["papers/a-paper-without-marks/citation.bib"].decode()
    assert "+an" not in plain  # a student is no mark of the paper's
    library = bibtexparser.parse_string(marked_site.files["papers.bib"].decode())
    assert library.failed_blocks == []
    [marked] = [e for e in library.entries if "author+an" in e.fields_dict]
    assert marked["author+an"] == "1=equalcontrib; 2=corresponding; 3=equalcontrib"
    parsed = parse_string(entry, "bibtex").entries.values()
    [read] = list(parsed)
    assert len(read.persons["author"]) == 3 and read.fields["author+an"].startswith("1=")
    (tmp_path / "papers.bib").write_text(entry, encoding="utf-8")
    done = subprocess.run([str(BIBER), "--tool", "--output-file", "out.bib", "papers.bib"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "WARN" not in done.stdout, done.stdout + done.stderr
    assert ("AUTHOR+an:default = {1=equalcontrib;2=corresponding;3=equalcontrib}"
            in (tmp_path / "out.bib").read_text(encoding="utf-8"))  # biber parsed each item
