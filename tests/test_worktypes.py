"""What kind of work a paper is, from its extras: a `type:` said outright, else what the
venue names, else a preprint with an arXiv identifier; one table names each kind in every
format."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.sources import read_bibliography
from generator.worktypes import WORK_TYPES, classify, conference_venue, preprint_server

from .conftest import copy_demo

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize("venue, kind", [
    ("ICML 2018", "conference"), ("NeurIPS", "conference"),
    ("Proceedings of the AAAI Conference on Artificial Intelligence", "conference"),
    ("Advances in Neural Information Processing Systems Workshop", "conference"),
    ("Nature", "journal"), ("Nature Medicine", "journal"),
    ("IEEE Transactions on Pattern Analysis and Machine Intelligence", "journal"),
    ("Journal of Machine Learning Research", "journal"), ("TMLR", "journal"),
    ("arXiv preprint arXiv:2201.12204", "preprint"), ("bioRxiv", "preprint"),
    ("Research Square", "preprint"), ("SSRN Electronic Journal", "preprint"),
    ("Some Local Venue", "other"),
])
def test_the_venue_names_the_kind(venue, kind):
    assert classify(venue).key == kind
    assert classify(venue, default="preprint").key == kind  # a venue is no preprint's


@pytest.mark.parametrize("doi, server", [
    ("10.1101/2020.03.22.002386", True),  # bioRxiv
    ("10.1101/2021.07.29.21261312", True),  # medRxiv
    ("10.1101/gr.229102.117", False),  # Genome Research, a journal with the same prefix
    ("10.2139/ssrn.3520135", True), ("10.21203/rs.3.rs-123456/v1", True),
    ("10.48550/arXiv.1807.01613", True), ("10.1038/s41586-021-03819-2", False),
])
def test_a_preprint_servers_doi_says_it_is_a_preprint(doi, server):
    assert preprint_server(None, doi) is server


@pytest.mark.parametrize("venue, meeting", [
    ("International Conference on Computer Vision (ICCV)", True),
    ("Computer Vision and Pattern Recognition (CVPR)", True), ("NeurIPS 2023", True),
    ("Advances in neural information processing systems", True),
    ("Proceedings of the National Academy of Sciences", False),  # a journal
    ("Proceedings in Applied Mathematics and Mechanics", False),
    ("EPJ Web of Conferences", False), ("Cell", False),
    ("IEEE Transactions on Pattern Analysis and Machine Intelligence", False),
])
def test_a_journal_field_that_names_a_conference_is_a_conference(venue, meeting):
    assert conference_venue(venue) is meeting


def test_al_folio_articles_at_conferences_are_conference_papers():
    """al-folio sites write every paper as @article: the real site's 27 ICCV/CVPR/NeurIPS/
    ECCV/ICLR/ICRA/ICASSP/ACL papers are conference papers; its journals stay journals."""
    entries, _ = read_bibliography(Path(FIXTURES, "bib/al-folio-site.bib"), "papers.bib")
    kinds = {e.key: e.kind for e in entries}
    assert sum(k == "conference" for k in kinds.values()) == 27
    assert kinds["Zhu_2025_ICCV_Adaptive"] == "conference" if "Zhu_2025_ICCV_Adaptive" in kinds \
        else True
    assert sum(k == "journal" for k in kinds.values()) == 2


def test_a_declared_type_wins_and_an_arxiv_id_alone_is_a_preprint():
    assert classify("ICML 2018", "journal").key == "journal"
    assert classify(None, None, "2201.12204").key == "preprint"
    assert classify(None).key == "other"
    assert classify(None, default="preprint").key == "preprint"


def test_every_kind_is_named_in_every_format():
    for kind in WORK_TYPES.values():
        assert (kind.bibtex and kind.bibtex_venue and kind.ris and kind.ris_venue and kind.csl
                and kind.csl_venue and kind.schema and kind.label and kind.plural)
    # RIS tells every kind apart by its type and type of work (M3), CSL-JSON by its type,
    # genre and whether the names are the authors' or the editors'.
    assert len({(kind.ris, kind.genre) for kind in WORK_TYPES.values()}) == len(WORK_TYPES)
    assert len({(kind.csl, kind.genre, kind.credit)
                for kind in WORK_TYPES.values()}) == len(WORK_TYPES)


def test_a_wrong_type_in_extras_is_an_error_at_its_line(tmp_path):
    import subprocess
    import sys

    site = copy_demo(tmp_path / "site")
    extras = site / "content" / "papers" / "neural-processes.md"
    extras.write_text("---\nvenue: ICML\ntype: posters\n---\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "generator", "build", "-C", str(site)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert ("content/papers/neural-processes.md:3:7: 'type' must be one of journal, "
            "conference, preprint, chapter, book, edited-book, thesis, masters-thesis, "
            "report, dataset, software, webpage, patent, talk, poster, other, found "
            "'posters'") in done.stderr


def test_every_bibtex_entry_type_names_a_kind_of_the_table():
    from generator.sources.bibtex import ENTRY_TYPES

    assert set(ENTRY_TYPES.values()) <= set(WORK_TYPES)
