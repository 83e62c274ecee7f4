"""One work once, two works twice (generator/identity.py, sources._merged): a preprint and
its published version a year later are one paper whose published venue, date and DOI
lead and which keeps the preprint's arXiv identifier; a book and a journal article of one
title are two works, as are two works of one title and year by other people; and the
build names each merge, file:line to file:line, on stderr as its other notes."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest

from generator.build import build
from generator.sources import gather

from .conftest import REPO
from .test_cli_build import run
from .test_sources import meta, page_titled

AS_OF = dt.date(2026, 1, 1)
VITO = ("Self-supervised video pretraining yields robust and more human-aligned visual "
        "representations")
# The content/profile.txt paper (arXiv, October 2022) as DBLP lists its NeurIPS 2023 version.
VITO_NEURIPS = """\
@inproceedings{DBLP:conf/nips/ParthasarathyEC23,
  author       = {Nikhil Parthasarathy and
                  S. M. Ali Eslami and
                  Jo{\\~{a}}o Carreira and
                  Olivier J. H{\\'{e}}naff},
  title        = {Self-supervised video pretraining yields robust and more human-aligned
                  visual representations},
  booktitle    = {Advances in Neural Information Processing Systems 36: Annual Conference
                  on Neural Information Processing Systems 2023, NeurIPS 2023},
  year         = {2023}
}
"""
# The same work as Google Scholar exports its arXiv preprint, then its NeurIPS version.
VITO_PREPRINT = """\
@article{parthasarathy2022self,
  title={Self-supervised video pretraining yields robust and more human-aligned visual
         representations},
  author={Parthasarathy, Nikhil and Eslami, SM and Carreira, Jo{\\~a}o and H{\\'e}naff,
          Olivier J},
  journal={arXiv preprint arXiv:2210.06433},
  year={2022}
}
"""
# Two works called "Deep learning" by Yoshua Bengio and others: LeCun, Bengio and Hinton's
# review in Nature (2015) and Goodfellow, Bengio and Courville's book (MIT Press, 2016).
DEEP_LEARNING = """\
@article{lecun2015deep,
  title={Deep learning},
  author={LeCun, Yann and Bengio, Yoshua and Hinton, Geoffrey},
  journal={Nature},
  volume={521},
  number={7553},
  pages={436--444},
  year={2015},
  doi={10.1038/nature14539}
}

@book{goodfellow2016deep,
  title={Deep Learning},
  author={Goodfellow, Ian and Bengio, Yoshua and Courville, Aaron},
  publisher={MIT Press},
  year={2016}
}
"""


def site(folder: Path, files: dict[str, str], profile: bool = False) -> Path:
    content = folder / "content"
    content.mkdir(parents=True)
    for name, text in files.items():
        (content / name).write_text(text, encoding="utf-8")
    if profile:
        shutil.copyfile(REPO / "content" / "profile.txt", content / "profile.txt")
    (folder / "site.yaml").write_text("name: S. M. Ali Eslami\nas_of: 2026-01-01\n",
                                      encoding="utf-8")
    return folder


def gathered(folder: Path, files: dict[str, str]):  # noqa: ANN201 (a Gathered)
    content = site(folder, files) / "content"
    return gather(content / "profile.txt", content, AS_OF, lambda p: p.name,
                  name="S. M. Ali Eslami")


@pytest.mark.parametrize("preprint, published", [("arxiv.bib", "neurips.bib"),
                                                  ("b-arxiv.bib", "a-neurips.bib")])
def test_an_arxiv_preprint_and_its_neurips_version_a_year_later_are_one_paper(
        tmp_path, preprint, published):
    found = gathered(tmp_path, {preprint: VITO_PREPRINT, published: VITO_NEURIPS})
    [paper] = found.profile.papers
    assert paper.venue.startswith("Advances in Neural Information Processing Systems 36")
    assert (paper.date.year, paper.kind) == (2023, "conference")
    assert paper.arxiv == "2210.06433"  # the preprint stays, as a link
    first, later = sorted((preprint, published))
    assert found.merges == (f"{later}:1: note: merged with {first}:1 "
                            "(the same title, an author in common)",)


def test_the_profiles_preprint_takes_its_published_venue_and_date_and_keeps_its_url(tmp_path):
    result = build(site(tmp_path, {"dblp.bib": VITO_NEURIPS}, profile=True))
    slug, page = page_titled(result, VITO)
    assert slug == "self-supervised-video-pretraining-yields-robust-and-more"  # as before
    assert meta(page, "citation_conference_title")[0].startswith("Advances in Neural")
    assert meta(page, "citation_publication_date") == ["2023"]
    assert "merged as the same work" in result.sources
    [note] = [n for n in result.notes if "merged" in n]
    assert re.fullmatch(r"\S*dblp\.bib:1: note: merged with \S*profile\.txt:12 "
                        r"\(the same title, an author in common\)", note)


def test_a_book_and_a_journal_article_of_one_title_by_one_author_are_two_works(tmp_path):
    found = gathered(tmp_path, {"papers.bib": DEEP_LEARNING})
    assert [(p.title, p.kind) for p in found.profile.papers] == [
        ("Deep learning", "journal"), ("Deep Learning", "book")]
    assert found.merges == ()


def test_a_book_and_a_journal_article_of_one_title_and_year_are_two_works(tmp_path):
    found = gathered(tmp_path, {"papers.bib": DEEP_LEARNING.replace("{2016}", "{2015}")})
    assert len(found.profile.papers) == 2 and found.merged == 0


def test_two_works_of_one_title_and_year_by_other_people_stay_apart(tmp_path):
    other = ("@article{smith2015deep, title={Deep learning}, author={Smith, Jane},"
             " journal={Journal of Examples}, year={2015}}\n")
    found = gathered(tmp_path, {"papers.bib": DEEP_LEARNING + other})
    assert [p.authors[0].family for p in found.profile.papers] == [
        "LeCun", "Goodfellow", "Smith"]


def test_two_dois_keep_two_records_of_one_title_and_authors_apart(tmp_path):
    again = DEEP_LEARNING.split("@book")[0].replace("lecun2015deep", "lecun2016deep").replace(
        "{2015}", "{2016}").replace("nature14539", "nature99999")
    found = gathered(tmp_path, {"papers.bib": DEEP_LEARNING.split("@book")[0] + again})
    assert len(found.profile.papers) == 2


def test_a_journal_version_with_its_own_doi_is_not_merged_through_a_preprint(tmp_path):
    # The preprint merges with the NeurIPS paper (DOI A); a journal extension of the same
    # title (DOI B) shares no identifier with the merged paper and is another work, even
    # though the preprint record alone has no DOI to tell them apart.
    neurips = VITO_NEURIPS.replace("  year         = {2023}",
                                   "  year         = {2023},\n  doi = {10.5555/neurips.1}")
    journal = ("@article{vito2024journal, title = {Self-supervised video pretraining yields "
               "robust and more human-aligned visual representations}, author = "
               "{Parthasarathy, Nikhil}, journal = {Journal of Vision}, year = {2024}, "
               "doi = {10.5555/journal.2}}\n")
    found = gathered(tmp_path, {"a.bib": VITO_PREPRINT, "b.bib": neurips, "c.bib": journal})
    assert [p.doi for p in found.profile.papers] == ["10.5555/neurips.1", "10.5555/journal.2"]


def test_the_build_names_each_merge_on_stderr(tmp_path):
    folder = site(tmp_path / "site", {"arxiv.bib": VITO_PREPRINT, "neurips.bib": VITO_NEURIPS})
    code, out, err = run(folder)
    assert code == 0
    assert ("content/neurips.bib:1: note: merged with content/arxiv.bib:1 (the same title, "
            "an author in common)\n") in err.replace(str(folder) + "/", "")
    assert "merged" not in out.replace("1 merged as the same work", "")
    again = run(folder)  # nothing changed: the build stops early and says it again
    assert again[2] == err


def test_the_merged_paper_cites_its_arxiv_identifier(tmp_path):
    result = build(site(tmp_path, {"scholar.bib": VITO_PREPRINT, "dblp.bib": VITO_NEURIPS}))
    [item] = json.loads(result.files["papers.json"])
    assert item["type"] == "paper-conference"
    assert "2210.06433" in result.files["papers.bib"].decode()
    _, page = page_titled(result, VITO)
    assert 'href="https://arxiv.org/abs/2210.06433"' in page


def test_an_undated_record_merges_with_its_dated_twin_and_takes_its_date(tmp_path):
    undated = VITO_PREPRINT.replace("  year={2022}\n", "")  # n.d.: read as the as-of year
    found = gathered(tmp_path, {"a-scholar.bib": undated, "b-dblp.bib": VITO_NEURIPS})
    [paper] = found.profile.papers  # 2026 (as of) and 2023 are not three years apart
    assert (paper.date.year, paper.year_inferred, paper.kind) == (2023, False, "conference")
    assert found.merged == 1
