"""The one table of per-paper fields (`PaperFields` in generator/paperfields.py, read as
`PAPER_FIELDS`) and what comes from it: the check of content/papers/<slug>.md, its
unknown-field message, the README's list (run `python -m generator.settings` when these
tests say it is out of date) and the typed record the views read. Pages and news check
their front matter by tables of the same shape (content/pages.py, content/news.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest
from markupsafe import Markup

from generator.content import NEWS_FIELDS, PAGE_FIELDS, load_content
from generator.errors import SiteError
from generator.paperfields import (
    NO_FIELDS,
    PAPER_FIELDS,
    README_END,
    README_START,
    PaperFields,
    readme_with_list,
)
from generator.records import DETAILS, Name, Paper
from generator.settings import README
from generator.sources.bibtex import ENTRY_TYPES, VENUE_FIELDS
from generator.sources.csljson import CSL_TYPES

STALE = "out of date: run python -m generator.settings"
SLUG = "neural-processes"


def paper(slug: str = SLUG, title: str = "Neural Processes", **changes) -> Paper:
    """A record as a source gives it: only what these tests need."""
    fields = dict(slug=slug, title=title, authors=(Name("Marta Garnelo", "Marta", "Garnelo"),),
                  authors_truncated=False, affiliations=(), category="LG",
                  date=dt.date(2018, 7, 4), year_inferred=False, score=None, has_code=False,
                  code_url=None, links=(), abstract="An abstract.", line=1)
    return Paper(**{**fields, **changes})


def read(tmp_path: Path, files: dict[str, str], papers: tuple[Paper, ...] | None = None):
    """load_content of a site whose content/papers/ holds `files` (name -> text), for
    `papers` (the one of `paper()` unless given)."""
    folder = tmp_path / "content" / "papers"
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return load_content(tmp_path, list(papers or (paper(),)),
                        lambda p: p.relative_to(tmp_path).as_posix())


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(SiteError) as caught:
        read(tmp_path, {f"{SLUG}.md": text})
    return [problem.format() for problem in caught.value.problems]


def test_every_field_before_notes_is_a_documented_field_of_the_table_in_order():
    names = [f.name for f in dataclasses.fields(PaperFields)]
    assert names[-2:] == ["details", "notes"]
    # PaperFields' own fields, and after `type` the bibliographic details (records.Biblio)
    at = names.index("type") + 1
    assert names[:at] + list(DETAILS) + names[at:-2] == list(PAPER_FIELDS)
    for item in PAPER_FIELDS.values():
        assert item.doc and item.doc[0].islower() and not item.doc.endswith(".")
        assert item.type and callable(item.check)


def test_the_bibliography_columns_name_the_fields_the_readers_read():
    venue = PAPER_FIELDS["venue"].bibtex
    assert [f for f in VENUE_FIELDS if f in venue] == list(VENUE_FIELDS)
    named = re.findall(r"[a-z]+-[a-z]+", PAPER_FIELDS["type"].csl)
    assert named and all(csl_type in CSL_TYPES for csl_type in named)
    named = re.findall(r"@([a-z]+)", PAPER_FIELDS["type"].bibtex)
    assert named and all(entry_type in ENTRY_TYPES for entry_type in named)
    assert PAPER_FIELDS["doi"].bibtex == "doi" and PAPER_FIELDS["doi"].csl == "DOI"
    # al-folio's keys (sources/alfolio.py) name the field each gives, and are read.
    from generator.sources.alfolio import LINKS, TEXTS

    given = {**{key: name for key, (name, _) in LINKS.items()}, **TEXTS,
             "selected": "featured"}
    for key, name in given.items():
        assert PAPER_FIELDS[name].bibtex.startswith(f"{key} ") and "al-folio" in \
            PAPER_FIELDS[name].bibtex, name
        assert "not read yet" not in PAPER_FIELDS[name].bibtex


def test_readme_lists_the_per_paper_fields_of_the_table():
    text = README.read_text(encoding="utf-8")
    assert readme_with_list(text) == text, STALE
    listed = re.findall(r"^- `([a-z_]+)`:",
                        text.split(README_START)[1].split(README_END)[0], re.M)
    assert listed == list(PAPER_FIELDS)


def test_a_misspelt_field_is_rejected_at_its_key_with_a_did_you_mean(tmp_path):
    [message] = problems(tmp_path, "---\nvenu: ICML 2018\n---\n")
    assert message.startswith(f"content/papers/{SLUG}.md:2:1: unknown field 'venu'; did you "
                              f"mean 'venue'? (known: {', '.join(PAPER_FIELDS)})")


@pytest.mark.parametrize("name", list(PAPER_FIELDS))
def test_every_field_checks_its_value_at_the_value(tmp_path, name):
    [message] = problems(tmp_path, f"---\n{name}: {{a: 1}}\n---\n")
    assert message.startswith(f"content/papers/{SLUG}.md:2:{len(name) + 3}: '{name}' must ")
    assert "found dict {'a': 1}" in message


def test_a_file_gives_the_views_a_typed_record_with_its_notes(tmp_path):
    content = read(tmp_path, {f"{SLUG}.md": "---\nvenue: ICML\nfeatured: true\n"
                              "doi: https://doi.org/10.1000/X\narxiv: arXiv:1807.01622v1\n"
                              "authors: [Marta Garnelo, Dan Rosenbaum]\n---\nOur *notes*.\n"})
    assert content.papers == {SLUG: PaperFields(
        venue="ICML", featured=True, doi="10.1000/X", arxiv="1807.01622v1",
        authors=("Marta Garnelo", "Dan Rosenbaum"),
        notes=Markup("<p>Our <em>notes</em>.</p>"))}
    assert PaperFields() == NO_FIELDS and NO_FIELDS.notes is None


def test_an_override_of_an_unknown_field_is_refused():
    with pytest.raises(TypeError):
        dataclasses.replace(NO_FIELDS, venu="ICML")


FRONT = [("pages", name, item) for name, item in PAGE_FIELDS.items()] + [
    ("news", name, item) for name, item in NEWS_FIELDS.items()]


@pytest.mark.parametrize("folder, name, item", FRONT, ids=[f"{f}-{n}" for f, n, _ in FRONT])
def test_pages_and_news_check_each_field_of_their_table_at_its_value(tmp_path, folder, name,
                                                                    item):
    assert item.doc and item.doc[0].islower() and not item.doc.endswith(".")
    (tmp_path / "content" / folder).mkdir(parents=True)
    (tmp_path / "content" / folder / "x.md").write_text(f"---\n{name}: {{a: 1}}\n---\nText.\n",
                                                        encoding="utf-8")
    with pytest.raises(SiteError) as caught:
        load_content(tmp_path, [], lambda p: p.relative_to(tmp_path).as_posix())
    messages = [problem.format() for problem in caught.value.problems]
    at_value = f"content/{folder}/x.md:2:{len(name) + 3}: '{name}' must "
    assert any(m.startswith(at_value) for m in messages), messages
    required = [i.missing for i in (PAGE_FIELDS if folder == "pages" else NEWS_FIELDS).values()
                if i.missing and i is not item]  # the other, required field is missing
    assert all(any(m.startswith(f"content/{folder}/x.md:1:1: {r}") for m in messages)
               for r in required)
