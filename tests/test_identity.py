"""One rule says when two records are the same paper (generator/identity.py): a DOI in any
case and with or without https://doi.org/ or doi:, an arXiv identifier with or without
its version, `arXiv:` or its abs/ address, else the title by a shared author a year or
two apart. Each case goes through the three places that use it: merging the sources,
finding a retitled paper's per-paper file, and the dev server's moved pages."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from generator.content import load_content
from generator.dev.preview import Preview
from generator.errors import SiteError
from generator.records import Paper
from generator.sources import gather

from .test_paper_fields import paper

AS_OF = dt.date(2026, 1, 1)
SAME = [  # (field, as one source writes it, as another does)
    ("doi", "10.1000/ABC.def", "https://doi.org/10.1000/abc.DEF"),
    ("doi", "doi:10.1000/abc", "10.1000/ABC"),
    ("arxiv", "2201.12204v2", "arXiv:2201.12204"),
    ("arxiv", "https://arxiv.org/abs/2201.12204", "2201.12204v1"),
    ("arxiv", "cs/0112017v1", "cs/0112017"),  # an old-style identifier loses its version too
]
OTHER = [
    ("doi", "10.1000/abc", "10.1000/abd"),
    # Both once became "ar" (the text before the first v), and so one paper.
    ("arxiv", "arXiv:2201.12204", "arXiv:1807.01622"),
]


def bib_entry(key: str, title: str, author: str, field: str, value: str) -> str:
    written = (f"doi = {{{value}}}" if field == "doi"
               else f"eprint = {{{value}}}, archivePrefix = {{arXiv}}")
    return (f"@article{{{key}, title = {{{title}}}, author = {{{author}}}, year = {{2022}}, "
            f"journal = {{J}}, {written}}}\n")


def merged(tmp_path: Path, bib: str) -> tuple[int, list[str]]:
    """How many records the merge took for another's work, and the papers' titles."""
    content = tmp_path / "content"
    content.mkdir()
    (content / "papers.bib").write_text(bib, encoding="utf-8")
    found = gather(content / "profile.txt", content, AS_OF, str, name="Ada Lovelace")
    return found.merged, [p.title for p in found.profile.papers]


def owned(tmp_path: Path, text: str, papers: list[Paper]) -> dict[str, object]:
    """Which paper the file content/papers/old-title.md is taken for (slug -> fields)."""
    folder = tmp_path / "content" / "papers"
    folder.mkdir(parents=True)
    (folder / "old-title.md").write_text(text, encoding="utf-8")
    return load_content(tmp_path, papers).papers


def moved(tmp_path: Path, before: Paper, after: Paper) -> dict[str, str]:
    return Preview(tmp_path, {})._moved((before,), (after,))


@pytest.mark.parametrize("field, one, other", SAME)
def test_merging_takes_one_identifier_written_two_ways_for_one_work(tmp_path, field, one,
                                                                    other):
    count, titles = merged(tmp_path, bib_entry("a", "First Title", "Lovelace, Ada", field, one)
                           + bib_entry("b", "Another Title", "Babbage, Charles", field, other))
    assert (count, titles) == (1, ["First Title"])


@pytest.mark.parametrize("field, one, other", OTHER)
def test_merging_keeps_two_identifiers_apart(tmp_path, field, one, other):
    count, titles = merged(tmp_path, bib_entry("a", "First Title", "Lovelace, Ada", field, one)
                           + bib_entry("b", "Another Title", "Babbage, Charles", field, other))
    assert (count, titles) == (0, ["First Title", "Another Title"])


def test_merging_takes_a_title_for_one_work_only_by_a_shared_author_a_year_or_two_apart(
        tmp_path):
    bib = ("@article{a, title = {Neural Processes}, author = {Garnelo, Marta}, year = {2018}}\n"
           "@misc{b, title = {Neural processes.}, author = {Marta Garnelo and Dan Rosenbaum},"
           " year = {2018}}\n"
           "@article{c, title = {Neural Processes}, author = {Lovelace, Ada}, year = {2018}}\n"
           "@article{d, title = {Neural Processes}, author = {Rosenbaum, Dan}, year = {2020}}\n"
           "@article{e, title = {Neural Processes}, author = {Garnelo, Marta}, year = {2021}}\n")
    count, titles = merged(tmp_path, bib)
    # a+b+d (d shares Rosenbaum with b, not with a, two years on); c by another; e three years on
    assert count == 2 and titles == ["Neural Processes"] * 3


@pytest.mark.parametrize("field, one, other", SAME)
def test_a_retitled_papers_file_follows_its_identifier_written_another_way(tmp_path, field,
                                                                           one, other):
    papers = [paper("a-completely-different-name", "A Completely Different Name",
                    **{field: other}), paper("another-paper", "Another Paper")]
    found = owned(tmp_path, f"---\n{field}: \"{one}\"\nvenue: ICML\n---\n", papers)
    assert list(found) == ["a-completely-different-name"]
    assert found["a-completely-different-name"].aliases == ("papers/old-title/",)


@pytest.mark.parametrize("field, one, other", OTHER)
def test_a_file_whose_identifier_names_no_paper_is_no_papers(tmp_path, field, one, other):
    papers = [paper("a-completely-different-name", "A Completely Different Name",
                    **{field: other})]
    with pytest.raises(SiteError, match="no paper has the slug 'old-title'"):
        owned(tmp_path, f"---\n{field}: \"{one}\"\n---\n", papers)


def test_a_retitled_profile_paper_is_found_by_the_arxiv_identifier_of_its_links(tmp_path):
    # A profile's paper has no arxiv field: its identifier is in its links, as merging
    # reads it (the file's match compared the field alone, and so found none).
    papers = [paper("a-completely-different-name", "A Completely Different Name",
                    links=("https://arxiv.org/abs/1807.01622",))]
    found = owned(tmp_path, "---\narxiv: \"1807.01622v2\"\n---\n", papers)
    assert list(found) == ["a-completely-different-name"]


@pytest.mark.parametrize("field, one, other", SAME)
def test_a_page_follows_its_paper_when_title_and_abstract_change_but_not_its_identifier(
        tmp_path, field, one, other):
    before = paper("old-title", "Old Title", **{field: one})
    after = paper("new-title", "New Title", abstract="Rewritten.", **{field: other})
    assert moved(tmp_path, before, after) == {"papers/old-title/index.html": "papers/new-title/"}


@pytest.mark.parametrize("field, one, other", OTHER)
def test_a_page_does_not_follow_another_identifier(tmp_path, field, one, other):
    before = paper("old-title", "Old Title", **{field: one})
    after = paper("new-title", "New Title", abstract="Rewritten.", **{field: other})
    assert moved(tmp_path, before, after) == {}


def test_a_page_without_identifiers_follows_a_paper_that_only_changed_its_title(tmp_path):
    before = paper("old-title", "Old Title")
    assert moved(tmp_path, before, dataclasses.replace(before, slug="new-title",
                                                       title="New Title")) == {
        "papers/old-title/index.html": "papers/new-title/"}
    assert moved(tmp_path, before, dataclasses.replace(
        before, slug="new-title", title="New Title", abstract="Another.")) == {}
