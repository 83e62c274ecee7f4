"""Every source of a site's papers, put together: the plain-text profile, and each BibTeX
(`content/*.bib`) and CSL-JSON (`content/*.json`) file. Each reader has one contract
(a path in; records and positioned problems out) and knows nothing of the others; here
their records are merged, one paper for one work, and the papers given their slugs.

The merge rule (docs/sources.md): sources are read in order, the profile first, then the
BibTeX files, then the CSL-JSON files, each by name. A work already seen (identity.py: the
same DOI or arXiv identifier, else the same title by a shared author, a year or two
apart, of kinds that can be one text) is merged into the paper it is: each field keeps
the first source's value and takes a later source's only where the first has none (no
venue, DOI, abstract...); a complete author list replaces a truncated one, and a date
with a day replaces the same year's with none. A preprint and its published version are
one paper whose published venue, date, DOI and kind lead, keeping the preprint's arXiv
identifier. Each merge is a note naming both records (`merges`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ..containment import outside
from ..errors import Problem, ProfileError, SiteError
from ..identity import (
    ANY_KIND,
    identifiers,
    same_by_title,
    title_key,
    told_apart,
)
from ..listing import names
from ..records import DETAILS, Metrics, Paper, Profile
from ..reuse import Reuse
from ..richtext import problems
from ..slugs import assign_slugs
from ..worktypes import classify

if TYPE_CHECKING:
    from .entry import Entry

#: The bibliography files' suffixes, in the order their files are read.
SUFFIXES = (".bib", ".json")
#: BibTeX fields the citations write themselves (or read into the record: the venue's
#: fields among them), so not kept.
_WRITTEN = frozenset({"title", "author", "year", "month", "day", "date", "doi", "eprint",
                      "archiveprefix", "eprinttype", "url", "abstract", "journal",
                      "journaltitle", "booktitle", "howpublished"}) | frozenset(
    name for detail in DETAILS.values() for name in detail.bibtex)  # records.Biblio


class Gathered(NamedTuple):
    """The site's papers as one profile, and what each source gave."""

    profile: Profile
    warnings: list[Problem]
    counts: tuple[tuple[str, int], ...]  # (source as shown, papers read from it)
    merged: int  # papers read that were a work another source (or entry) gave already

    profile_only: bool = False  # the one source is the plain-text profile
    merges: tuple[str, ...] = ()  # "b.bib:12: note: merged with a.bib:4 (the same DOI)"

    @property
    def summary(self) -> str:
        """"40 papers of 45 read (33 from content/profile.txt, 12 from content/papers.bib;
        5 merged as the same work)"; "" for a site of the profile alone (nothing new)."""
        if self.profile_only:
            return ""
        total = len(self.profile.papers)
        papers = f"{total} paper{'s' if total != 1 else ''}"
        if len(self.counts) == 1 and not self.merged:
            return f"{papers} from {self.counts[0][0]}"
        parts = ", ".join(f"{count} from {shown}" for shown, count in self.counts)
        read = sum(count for _, count in self.counts)
        merged = f"; {self.merged} merged as the same work" if self.merged else ""
        return f"{papers} of {read} read ({parts}{merged})"


def read_bibliography(path: Path, shown: str) -> tuple[list[Entry], list[Problem]]:
    """A bibliography file's entries and problems, by its suffix (SUFFIXES): BibTeX or
    CSL-JSON. Each reader is imported for a site that has such a file (~3 ms), not for all."""
    if path.suffix.lower() == ".bib":
        from .bibtex import read_bibtex

        return read_bibtex(path, shown)
    from .csljson import read_csljson

    return read_csljson(path, shown)


#: What `scholarfolio sync` writes (sync/files.py): read last, below what the researcher wrote.
SYNCED = "synced.json"


def source_files(content: Path, shown: str | None = None) -> list[Path]:
    """The bibliography files of a site's content/ folder, in the order they are read: by
    suffix and name, and content/synced.json last; `shown` names the folder in messages
    (a file in its place, or unlistable)."""
    listed = [name for name in names(content, shown or str(content)) if not name.startswith(".")]
    found = [content / name for suffix in SUFFIXES for name in listed
             if name.endswith(suffix)]  # a folder too: reading it says so
    return sorted(found, key=lambda path: path.name == SYNCED)


def gather(profile_path: Path, content: Path, as_of: dt.date, display: Callable[[Path], str],
           name: str | None = None, required: bool = False,
           reuse: Reuse | None = None, public: tuple[str, ...] = ()) -> Gathered:
    """Every paper of the site: the profile at `profile_path` (which may be missing when
    bibliographies are there, unless `required`: site.yaml names it) and the files of
    `content`. `name` (site.yaml's) is the header's when no profile gives one (the
    metrics shown are chosen by the model: see model.metrics.metric_views). A source's own
    fields are kept for the downloads only when public (public.py; `public` adds names:
    site.yaml's public_fields). Raises SiteError with every problem of every source."""
    from ..profile import read_profile_with_warnings

    files = source_files(content, display(content))
    problems: list[Problem] = outside([content, profile_path, *files], content.parent,
                                      display)
    if problems:  # nothing from outside the site folder is read
        raise SiteError(problems)
    profile: Profile | None = None
    warnings: list[Problem] = []
    counts: list[tuple[str, int]] = []
    if profile_path.exists() or required or not files:
        try:
            profile, warnings = read_profile_with_warnings(profile_path, as_of,
                                                           display(profile_path), reuse)
        except ProfileError as exc:
            if not files:
                raise
            problems += exc.problems
        else:
            counts.append((display(profile_path), len(profile.papers)))
            warnings += formula_warnings(display(profile_path), profile.papers)
    read: list[Paper] = list(profile.papers) if profile else []
    origins = [f"{display(profile_path)}:{paper.line}" for paper in read]
    for path in files:
        from .entry import entry_paper  # a bibliography's records: for a site with one
        from .public import public_fields

        shown = display(path)
        entries, found = read_bibliography(path, shown)
        problems += (p for p in found if not p.warning)
        warnings += (p for p in found if p.warning)
        warnings += formula_warnings(shown, entries)
        counts.append((shown, len(entries)))
        if not entries and not any(not p.warning for p in found):
            warnings.append(Problem(shown, 1, 1, "no paper is read from this file (no "
                                    "entry, or none that a paper can be made of); expected "
                                    "entries with a title and a year", warning=True))
        read += (entry_paper(e, public_fields(((k, v) for k, v in e.fields
                                               if k.lower() not in _WRITTEN), public), as_of)
                 for e in entries)
        origins += (f"{shown}:{e.line}" for e in entries)
    if problems:
        raise SiteError(sorted(problems + warnings, key=lambda p: (p.path, p.line, p.col)))
    if files and not read:
        raise SiteError(sorted(warnings, key=lambda p: (p.path, p.line, p.col)) + [Problem(
            display(content), 1, 1, "no paper from any source: expected entries in "
            f"{', '.join(map(display, files))} (or a profile)")])
    papers, merges = _merged(read, origins)
    if files:  # slugs over every source's papers; a profile alone has its own already
        slugs = assign_slugs([(p.title, p.date.isoformat(), ", ".join(map(str, p.authors)))
                              for p in papers])
        papers = [p if p.slug == slug else replace(p, slug=slug)
                  for p, slug in zip(papers, slugs, strict=True)]
    if profile is None:
        if not name:
            raise SiteError(Problem(display(content.parent / "site.yaml"), 1, 1,
                                    "no profile gives the researcher's name: expected "
                                    "'name: Your Name' in site.yaml (and 'metrics:', if "
                                    "the header should show any)"))
        profile = Profile(name, _primary(papers), Metrics(), (), None, as_of)
    if name:
        profile = Profile(name, profile.category, profile.metrics, profile.papers,
                          profile.declared_count, profile.as_of)
    if files:
        profile = Profile(profile.name, profile.category or _primary(papers),
                          profile.metrics, tuple(papers), profile.declared_count,
                          profile.as_of)
    return Gathered(profile, warnings, tuple(counts), len(merges), profile_only=not files,
                    merges=tuple(merges))


def formula_warnings(shown: str, works: Sequence[Paper | Entry]) -> list[Problem]:
    """A warning at a work's line for each formula of its title or abstract shown as its
    source rather than as MathML (richtext.problems says why)."""
    return [Problem(shown, work.line, 1, f"the {field}: {why}", warning=True)
            for work in works for field in ("title", "abstract")
            for why in problems(getattr(work, field))]


def _merged(read: list[Paper], origins: list[str]) -> tuple[list[Paper], list[str]]:
    """One paper per work, in the order first read, and a note for each record merged
    into another (`origins`: each record's file:line)."""
    papers: list[Paper] = []
    records: list[list[tuple[Paper, str]]] = []  # each paper's records and their kinds
    where: list[str] = []  # each paper's first record's file:line
    seen: dict[tuple[str, str], int] = {}  # identifier -> paper
    titled: dict[str, list[int]] = {}  # title -> papers of it
    notes: list[str] = []
    for paper, origin in zip(read, origins, strict=True):
        keys, kind = identifiers(paper), _kind(paper)
        known = next((key for key in keys if key in seen), None)
        index = seen[known] if known else None
        why = ("the same DOI" if known[0] == "doi" else "the same arXiv identifier"
               ) if known else "the same title, an author in common"
        if index is None:
            index = next((i for i in titled.get(title_key(paper), ())
                          if not told_apart(papers[i], paper)
                          and any(same_by_title(one, paper, one_kind, kind)
                                  for one, one_kind in records[i])), None)
        if index is None:
            index = len(papers)
            papers.append(paper)
            records.append([])
            where.append(origin)
        else:
            notes.append(f"{origin}: note: merged with {where[index]} ({why})")
            papers[index] = _merge(papers[index], paper)
        records[index].append((paper, kind))
        for key in keys:
            seen.setdefault(key, index)
        if index not in titled.setdefault(title_key(paper), []):
            titled[title_key(paper)].append(index)
    return papers, notes


def _kind(paper: Paper) -> str:
    """The kind of work as merging compares it: a record that states none is "other"."""
    return classify(paper.venue, paper.kind, paper.arxiv, default="other").key


def _preprint(paper: Paper) -> bool:
    """A preprint, as pages show it: a profile's paper without a venue is one."""
    return classify(paper.venue, paper.kind, paper.arxiv, default="preprint").key == "preprint"


def _merge(first: Paper, later: Paper) -> Paper:
    """`first` with what only `later` gives (see the module's rule); a preprint takes its
    published version's venue, date, DOI and kind, and keeps its arXiv identifier."""
    if _preprint(first) and _kind(later) not in ANY_KIND:
        arxiv = next((value for kind, value in identifiers(first) if kind == "arxiv"), None)
        first = replace(first, venue=later.venue or first.venue, date=later.date,
                        precision=later.precision, doi=later.doi or first.doi,
                        kind=later.kind, kept_fields=later.kept_fields, biblio=later.biblio,
                        arxiv=first.arxiv or later.arxiv or arxiv, year_inferred=False)
    return _fill(first, later)


def _fill(first: Paper, later: Paper) -> Paper:
    """`first` with what only `later` gives: fields it lacks, a complete author list for a
    truncated one, a more precise date of the same year, a date for none (n.d.)."""
    changes: dict[str, object] = {}
    for name in ("venue", "doi", "arxiv", "url", "abstract", "code_url"):
        if not getattr(first, name) and getattr(later, name):
            changes[name] = getattr(later, name)
    kind_from_later = (first.kind in (None, "other", "preprint")
                       and later.kind not in (None, "other", "preprint"))
    if kind_from_later:
        changes["kind"] = later.kind
    if first.authors_truncated and not later.authors_truncated and later.authors:
        changes["authors"], changes["authors_truncated"] = later.authors, False
    elif not first.authors and later.authors:
        changes["authors"] = later.authors
        changes["authors_truncated"] = later.authors_truncated
    precise = ("year", "month", "day")
    if first.year_inferred and not later.year_inferred:  # n.d. takes its twin's date
        changes["date"], changes["precision"] = later.date, later.precision
        changes["year_inferred"] = False
    elif (later.date.year == first.date.year
            and precise.index(later.precision) > precise.index(first.precision)):
        changes["date"], changes["precision"] = later.date, later.precision
    if kind_from_later:  # a preprint's volume = {abs/...} is no conference paper's
        changes["kept_fields"] = later.kept_fields
        changes["biblio"] = later.biblio
    elif later.kind == first.kind or not first.biblio:
        changes["biblio"] = first.biblio.filled(later.biblio)
    if not kind_from_later and later.kept_fields and later.kind == first.kind:
        have = {key.lower() for key, _ in first.kept_fields}
        changes["kept_fields"] = first.kept_fields + tuple(
            (k, v) for k, v in later.kept_fields if k.lower() not in have)
    if not first.category and later.category:  # an arXiv class only the later names
        changes["category"], changes["category_label"] = later.category, later.category_label
    if not first.keywords:
        changes["keywords"] = later.keywords
    if later.paper_fields:  # al-folio's links and flags: the first source's lead
        have = {name for name, _ in first.paper_fields}
        changes["paper_fields"] = first.paper_fields + tuple(
            (k, v) for k, v in later.paper_fields if k not in have)
    changes["has_code"] = first.has_code or later.has_code
    return replace(first, **changes)


def _primary(papers: list[Paper]) -> str:
    """The arXiv class most papers have (the first such in order of papers); "" when none
    has one."""
    counts: dict[str, int] = {}
    for paper in papers:
        if paper.category:
            counts[paper.category] = counts.get(paper.category, 0) + 1
    return max(counts, key=counts.__getitem__) if counts else ""
