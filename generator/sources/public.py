"""The one rule of what a bibliography's own fields may publish: only the bibliographic
fields listed here (and those site.yaml's `public_fields` adds) reach the downloads
(citation.bib, papers.bib, and the RIS, CSL-JSON and JSON-LD made from the same record)
and the visible Cite block. A reference manager's private fields (Zotero's `file` paths,
reading notes in `annotation`, tags in `keywords`, `timestamp`, `owner`...) and an al-folio
site's own keys (`selected`, `bibtex_show`, `pdf`, `preview`, `abbr`, `altmetric`...)
never leave the site. What the site writes itself (title, authors, date, DOI, URL,
abstract, venue) comes from the record, not from here."""

from __future__ import annotations

from collections.abc import Iterable

#: BibTeX and BibLaTeX fields that describe the work itself, kept as written. Left out on
#: purpose: keywords (a reference manager exports its owner's tags there), urldate (the
#: day the owner looked), annote/annotation/note-like private fields, file, and every
#: al-folio key.
PUBLIC_FIELDS = frozenset({
    # where it was published
    "volume", "number", "issue", "pages", "numpages", "pagetotal", "eid", "chapter",
    "edition", "series",
    "publisher", "address", "location", "organization", "institution", "school",
    "editor", "editora", "editorb", "translator", "type", "note", "addendum", "pubstate",
    "eventtitle", "eventdate", "venue", "maintitle", "mainsubtitle", "booksubtitle",
    "issuetitle", "subtitle", "titleaddon", "shorttitle", "part", "version",
    # identifiers of the work
    "isbn", "issn", "isrn", "pmid", "pmcid", "eprintclass", "primaryclass",
    "language", "langid",
})


def public_fields(fields: Iterable[tuple[str, str]], added: Iterable[str] = ()
                  ) -> tuple[tuple[str, str], ...]:
    """The fields of `fields` (name, value as written) that may be published: those in
    `PUBLIC_FIELDS` or `added` (site.yaml's public_fields), any case."""
    allowed = PUBLIC_FIELDS | {name.lower() for name in added}
    return tuple((name, value) for name, value in fields if name.lower() in allowed)
