"""When two records are the same paper: the one rule that merging sources (sources/),
finding a retitled paper's per-paper file (content/papers.py) and the dev server's moved
pages (dev/preview.py) share.

A paper is known by its DOI (without `https://doi.org/` or `doi:`, in any case), its arXiv
identifier (without `arXiv:` or the abs/ address, and without its version), each from its
record or, for a profile's paper, its links; else by its title (letters and digits) with
its year and its first author's family name. A paper whose title was edited keeps its
DOI and arXiv identifier, else everything but its title.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from .links import arxiv_id, bare_doi, doi_in
from .records import Paper
from .slugs import slugify

#: One way a paper is known: (what, the normalised value), such as ("doi", "10.1/x").
Key = tuple[str, str]

#: An arXiv identifier as a field writes it: `2201.12204`, `2201.12204v2`, `arXiv:...`,
#: `https://arxiv.org/abs/...`, or an old-style `cs/0112017`.
_ARXIV_FIELD = re.compile(r"(?i:https?://arxiv\.org/abs/|arxiv:)?"
                          r"(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(v\d+)?")


def arxiv_written(text: str) -> str | None:
    """An arXiv field's identifier as written, its version kept and its prefix dropped
    (`arXiv:2201.12204v2` -> `2201.12204v2`); None when it names none."""
    found = _ARXIV_FIELD.fullmatch(text.strip())
    return found.group(1) + (found.group(2) or "") if found else None


def arxiv_key(text: str) -> str:
    """An arXiv identifier as compared: prefix and version dropped, lower case."""
    found = _ARXIV_FIELD.fullmatch(text.strip())
    if found is None:  # in other text: eprint = {arXiv preprint arXiv:1706.03762}
        return (arxiv_id(text) or text.strip()).lower()
    return found.group(1).lower()


def doi_key(text: str) -> str:
    """A DOI as compared: without `https://doi.org/` or `doi:`, lower case (DOIs are
    case-insensitive)."""
    return bare_doi(text).lower()


def identifiers(paper: Paper) -> list[Key]:
    """The paper's DOI and arXiv identifier, each from its record or else its links."""
    keys: list[Key] = []
    doi = paper.doi or next(filter(None, map(doi_in, paper.links)), None)
    if doi:
        keys.append(("doi", doi_key(doi)))
    arxiv = paper.arxiv or next(filter(None, map(arxiv_id, paper.links)), None)
    if arxiv:
        keys.append(("arxiv", arxiv_key(arxiv)))
    return keys


def identities(paper: Paper) -> list[Key]:
    """Every way the paper is known: its identifiers, then its title with its year and
    first author (two works of one title and year by other people are two papers)."""
    first = paper.authors[0] if paper.authors else None
    author = _letters(first.family or first.text) if first else ""
    return [*identifiers(paper),
            ("title", f"{slugify(paper.title, 10_000)} {paper.date.year} {author}")]


_NOT_LETTERS = re.compile(r"[^a-z0-9]+")


def _letters(name: str) -> str:
    """A name's letters and digits, lower case, as ASCII ("Müller" as "Muller")."""
    if name.isascii():  # most names: half the time of slugify
        return _NOT_LETTERS.sub("", name.lower())
    return slugify(name, 10_000).replace("-", "")


def file_identifiers(doi: Any, arxiv: Any) -> list[Key]:
    """A per-paper file's `doi:` and `arxiv:` as keys (a bare 2201.12204 is read by YAML
    as a number: taken as written)."""
    keys: list[Key] = []
    for kind, value, key in (("doi", doi, doi_key), ("arxiv", arxiv, arxiv_key)):
        text = str(value) if isinstance(value, (str, int, float)) else ""
        if text.strip() and not isinstance(value, bool):
            keys.append((kind, key(text)))
    return keys


def _but_title(paper: Paper) -> tuple[str, Any]:
    """What a paper keeps when only its title is edited."""
    return "but-title", (paper.date, paper.category, paper.authors, paper.abstract)


def retitled(gone: Iterable[Paper], new: Iterable[Paper]) -> dict[str, str]:
    """Old slug -> new slug for each paper of `gone` that is one of `new` under another
    title: the same DOI or arXiv identifier, else the same in everything but the title."""
    found: dict[tuple[str, Any], str] = {}
    for paper in new:
        for key in (*identifiers(paper), _but_title(paper)):
            found[key] = paper.slug
    moved: dict[str, str] = {}
    for paper in gone:
        slug = next((found[key] for key in (*identifiers(paper), _but_title(paper))
                     if key in found), None)
        if slug is not None:
            moved[paper.slug] = slug
    return moved


def owner(keys: list[Key], papers: Iterable[Paper]) -> str | None:
    """The slug of the one paper of `papers` that the first of `keys` it can tell apart
    names (a DOI, then an arXiv identifier), or None."""
    papers = list(papers)
    known = [set(identifiers(paper)) for paper in papers]
    for key in keys:
        found = [paper.slug for paper, have in zip(papers, known, strict=True) if key in have]
        if len(found) == 1:
            return found[0]
    return None
