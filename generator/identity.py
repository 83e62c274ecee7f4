"""When two records are the same paper: the one rule that merging sources (sources/),
finding a retitled paper's per-paper file (content/papers.py) and the dev server's moved
pages (dev/preview.py) share.

A paper is known by its DOI (without `https://doi.org/` or `doi:`, in any case) and its
arXiv identifier (without `arXiv:` or the abs/ address, and without its version), each
from its record or, for a profile's paper, its links: the same one is the same work.
Else two records are one work when their titles are the same (letters and digits), they
share an author (family name), their years are at most YEARS_APART apart (a preprint
and its published version; any years when one has none, n.d.), their kinds of work can
be one text (`one_text`: a book and a journal article of one title are two works) and no
identifier tells them apart (two different DOIs or arXiv identifiers). A paper whose
title was edited keeps its DOI and arXiv identifier, else everything but its title.
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
#: DOIs that only name an arXiv preprint (10.48550/arXiv.2201.12204): no publisher's DOI.
_ARXIV_DOI = "10.48550/arxiv."

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
    if not arxiv and keys and keys[0][1].startswith(_ARXIV_DOI):  # arXiv's own DOI
        arxiv = keys[0][1][len(_ARXIV_DOI):]
    if arxiv:
        keys.append(("arxiv", arxiv_key(arxiv)))
    return keys


#: How many years apart two records of one title may be and still be one work: a
#: preprint of 2022 and its conference version of 2023.
YEARS_APART = 2

#: Kinds of work (worktypes.WORK_TYPES keys) that may be any other: a preprint (its
#: published version) and a work of unknown kind.
ANY_KIND = frozenset({"preprint", "other"})
#: Kinds that may be one text though they differ, by the group they share: a conference
#: paper printed in a journal. Any kind not named here is one text only with its own kind
#: (a book and a journal article, a thesis and a chapter of one title are two works).
TEXT_GROUPS = {"journal": "article", "conference": "article"}


def one_text(kind: str, other: str) -> bool:
    """Whether works of these two kinds may be one text (see ANY_KIND, TEXT_GROUPS)."""
    return (kind == other or kind in ANY_KIND or other in ANY_KIND
            or TEXT_GROUPS.get(kind, kind) == TEXT_GROUPS.get(other, other))


def title_key(paper: Paper) -> str:
    """The title as compared: letters and digits, lower case."""
    return slugify(paper.title, 10_000)


def identities(paper: Paper) -> list[Key]:
    """The keys a record is looked up by where works are matched by key (sync's items):
    its identifiers, then its title with its year and first author. Stricter than
    `same_by_title` (the same year, the same first author), so what it joins the build
    joins too; what it leaves apart the build's merge may still join."""
    first = paper.authors[0] if paper.authors else None
    author = _letters(first.family or first.text) if first else ""
    return [*identifiers(paper), ("title", f"{title_key(paper)} {paper.date.year} {author}")]


def family_names(paper: Paper) -> frozenset[str]:
    """The authors' family names (an organisation's whole name) as compared."""
    return frozenset(filter(None, (_letters(name.family or name.text) for name in paper.authors)))


def same_by_title(one: Paper, other: Paper, kind: str, other_kind: str) -> bool:
    """Whether two records without a shared identifier are one work (see the module):
    `kind` and `other_kind` are their kinds of work (worktypes keys)."""
    if (title_key(one) != title_key(other)
            or (abs(one.date.year - other.date.year) > YEARS_APART
                and not (one.year_inferred or other.year_inferred))  # n.d.: any year
            or not one_text(kind, other_kind)
            or not family_names(one) & family_names(other)):
        return False
    return not told_apart(one, other)


def told_apart(one: Paper, other: Paper) -> bool:
    """Whether an identifier tells the two records apart: two different publisher DOIs,
    or two different arXiv identifiers."""
    mine, theirs = dict(_publisher_ids(one)), dict(_publisher_ids(other))
    return any(theirs.get(what, value) != value for what, value in mine.items())


def _publisher_ids(paper: Paper) -> list[Key]:
    """The identifiers that tell two works apart: an arXiv DOI is no publisher's."""
    return [(kind, value) for kind, value in identifiers(paper)
            if not (kind == "doi" and value.startswith(_ARXIV_DOI))]


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
