"""Crossref's REST API: a DOI's metadata (authors, venue, volume, issue, pages, publisher,
ISSN/ISBN, type, date) for the synced works that lack it (an ORCID work summary names no
authors). DOIs are asked in batches, `/works?filter=doi:A,doi:B&rows=N` (filters of one name
are joined by OR; `rows` may be up to 1000, and a batch is kept to `BATCH` so the URL stays
short), one request after another, with only the fields used (`select`) and the contact
address as `mailto` (the polite pool). enrich.py fills the blanks and remembers what was
asked."""

from __future__ import annotations

from typing import Any

from ..identity import doi_key
from .enrich import batches, enrich, shortened
from .http import Client, SyncError
from .items import csl_authors, csl_date

#: DOIs per request.
BATCH = 50
#: The fields asked for (`select`), as Crossref names them.
SELECT = ("DOI,type,title,author,editor,issued,container-title,volume,issue,page,"
          "article-number,publisher,publisher-location,ISSN,ISBN")
#: A work lacking one of these is asked (once).
WANTED = ("author", "issued", "type", "container-title", "volume", "page", "publisher")
MARK = "from-crossref"
#: CSL types by Crossref's; a type not here says nothing (CSL "document").
CSL_TYPES = {
    "journal-article": "article-journal", "proceedings-article": "paper-conference",
    "book-chapter": "chapter", "book-section": "chapter", "book-part": "chapter",
    "book": "book", "monograph": "book", "reference-book": "book", "edited-book": "book",
    "posted-content": "article", "dissertation": "thesis", "report": "report",
    "report-series": "report", "dataset": "dataset", "reference-entry": "entry-encyclopedia",
}
#: Crossref's text fields by their CSL names: (Crossref field, CSL field); a list's first.
_TEXTS = (("title", "title"), ("container-title", "container-title"), ("volume", "volume"),
          ("issue", "issue"), ("page", "page"), ("article-number", "page"),
          ("publisher", "publisher"), ("publisher-location", "publisher-place"),
          ("ISSN", "ISSN"), ("ISBN", "ISBN"))


def fill(client: Client, items: list[dict[str, Any]],
         previous: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`items` with what Crossref knows of each DOI filled in where they are blank."""
    result, asked, gained = enrich(items, previous, mark=MARK, key=_doi, wanted=WANTED,
                                   fetch=lambda dois: works(client, dois))
    if asked:
        client.progress(f"sync: Crossref: {gained} of {asked} works filled in")
    return result


def works(client: Client, dois: list[str]) -> dict[str, dict[str, Any]]:
    """Each DOI's CSL fields, as Crossref has them (a DOI it does not know is left out)."""
    runs = batches(dois, BATCH)
    client.progress(f"sync: Crossref: metadata of {len(dois)} DOIs ({len(runs)} "
                    f"request{'s' if len(runs) > 1 else ''})")
    found: dict[str, dict[str, Any]] = {}
    for run in runs:
        try:
            data = client.get_json("crossref", "/works", {
                "filter": ",".join(f"doi:{doi}" for doi in run), "rows": str(len(run)),
                "select": SELECT})
        except SyncError as exc:
            raise SyncError(shortened(str(exc), run, "DOIs", "Crossref")) from None
        message = data.get("message") if isinstance(data, dict) else None
        records = message.get("items") if isinstance(message, dict) else None
        if not isinstance(records, list):
            raise SyncError("sync: Crossref: the works response has no 'message.items' "
                            "list; try again later, or leave crossref out of sync: sources "
                            "(the service may have changed)")
        asked = set(run)
        for record in records:
            doi = _doi(record) if isinstance(record, dict) else None
            if doi in asked:
                found[doi] = csl_fields(record)
    return found


def csl_fields(record: dict[str, Any]) -> dict[str, Any]:
    """A Crossref work as the CSL-JSON fields the CSL reader understands (those given)."""
    fields: dict[str, Any] = {}
    kind = CSL_TYPES.get(record.get("type") or "")
    if kind:
        fields["type"] = kind
    for source, target in _TEXTS:
        value = record.get(source)
        value = value[0] if isinstance(value, list) and value else value
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            text = " ".join(str(value).split())
            if text and target not in fields:
                fields[target] = text
    for role in ("author", "editor"):
        names = [name for name in map(_name, record.get(role) or []) if name]
        if names:
            fields[role] = names
    parts = (record.get("issued") or {}).get("date-parts") if isinstance(
        record.get("issued"), dict) else None
    issued = csl_date(None, parts[0]) if isinstance(parts, list) and parts else None
    if issued:
        fields["issued"] = issued
    return fields


def _name(person: Any) -> dict[str, str] | None:
    """A Crossref contributor as a CSL name: given and family; an organisation's name as
    written; a name whose family part is no name ("-", as some publishers deposit) split
    from its given part as a name written out is (items.csl_authors)."""
    if not isinstance(person, dict):
        return None
    given, family, suffix, name = (" ".join(person[k].split()) if isinstance(
        person.get(k), str) else "" for k in ("given", "family", "suffix", "name"))
    if not any(char.isalnum() for char in family):
        family = ""
    if given and family:
        return {"family": family, "given": given, **({"suffix": suffix} if suffix else {})}
    if name or family:
        return {"literal": name or family}
    return next(iter(csl_authors([given])), None) if given else None


def _doi(item: dict[str, Any]) -> str | None:
    """The work's DOI as compared (lower case, bare); None without one, or with a comma,
    which a filter cannot carry."""
    doi = item.get("DOI")
    key = doi_key(doi) if isinstance(doi, str) else ""
    return key if key.startswith("10.") and "," not in key else None
