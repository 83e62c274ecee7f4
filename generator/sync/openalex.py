"""OpenAlex: the researcher's author record (by id, or by ORCID iD; a merged author's old id
is followed to the new one), their works by cursor paging, and each work as a CSL-JSON item
with its ids, venue, open-access link and citation count; the author's metrics as a
dated snapshot."""

from __future__ import annotations

import re
from typing import Any

from ..links import arxiv_id, bare_doi
from .http import Client, Moved, SyncError
from .items import SYNCED_FOR, csl_authors, csl_date, short_id

PER_PAGE = "200"
MAX_PAGES = 500  # 100,000 works: a cursor that never ends is a service's fault
#: CSL types by OpenAlex's `type_crossref`, else its `type`.
CSL_TYPES = {
    "journal-article": "article-journal", "proceedings-article": "paper-conference",
    "posted-content": "article", "preprint": "article", "book-chapter": "chapter",
    "book": "book", "monograph": "book", "edited-book": "book", "dissertation": "thesis",
    "report": "report", "dataset": "dataset", "article": "article-journal",
    "review": "article-journal", "letter": "article-journal", "editorial": "article-journal",
}


def author(client: Client, openalex: str | None, orcid: str | None) -> dict[str, Any]:
    """The author record: by OpenAlex id when given, else by ORCID iD. A merged id's
    redirect is not followed as sent (it would lose the key and the mailto): the new id is
    read from its Location and asked for through the client, once."""
    path = f"/authors/{openalex}" if openalex else f"/authors/orcid:{orcid}"
    client.progress(f"sync: OpenAlex: author {openalex or orcid}")
    try:
        found = client.get_json("openalex", path)
    except Moved as moved:
        new = re.search(r"/authors/(A\d+)(?:[?#]|$)", moved.location)
        if new is None:
            raise
        client.progress(f"sync: OpenAlex: author {openalex or orcid} moved to {new[1]}")
        found = client.get_json("openalex", f"/authors/{new[1]}")
    if not isinstance(found, dict) or not short_id(found.get("id")):
        raise SyncError(f"sync: OpenAlex: the author record for {openalex or orcid} has no "
                        "id; try again later, or report it: the service may have changed")
    return found


def works(client: Client, author_id: str) -> list[dict[str, Any]]:
    """Every work of the author, page by page (`cursor=*`, then each `next_cursor`), until
    a page is empty or has no cursor, or `meta.count` works have come: OpenAlex gives a
    cursor after the last page too, and asking for the empty page after it would cost one
    request more at every sync."""
    found: list[dict[str, Any]] = []
    received = 0
    cursor = "*"
    for page in range(1, MAX_PAGES + 1):
        data = client.get_json("openalex", "/works", {
            "filter": f"author.id:{author_id}", "per-page": PER_PAGE, "cursor": cursor})
        results = data.get("results") if isinstance(data, dict) else None
        if not isinstance(results, list):
            raise SyncError("sync: OpenAlex: a page of works has no 'results' list; try "
                            "again later, or report it: the service may have changed")
        found += (work for work in results if isinstance(work, dict))
        received += len(results)
        total = (data.get("meta") or {}).get("count")
        client.progress(f"sync: OpenAlex: works page {page}: {len(found)}"
                        + (f" of {total}" if isinstance(total, int) else ""))
        cursor = (data.get("meta") or {}).get("next_cursor")
        if (not results or not isinstance(cursor, str) or not cursor
                or (isinstance(total, int) and received >= total)):
            return found
    raise SyncError(f"sync: OpenAlex: more than {MAX_PAGES} pages of works; report it")


def metrics(record: dict[str, Any], date: str) -> tuple[dict[str, Any], list[str]]:
    """The dated snapshot of the author's metrics, and a note for each value the record
    lacks (left out, never guessed)."""
    stats = record.get("summary_stats") if isinstance(record.get("summary_stats"), dict) else {}
    snapshot: dict[str, Any] = {"source": "OpenAlex", "date": date,
                                "author": f"https://openalex.org/{short_id(record.get('id'))}"}
    notes = []
    for key, value in (("h_index", stats.get("h_index")), ("i10_index", stats.get("i10_index")),
                       ("cited_by_count", record.get("cited_by_count")),
                       ("works_count", record.get("works_count"))):
        if isinstance(value, int) and not isinstance(value, bool):
            snapshot[key] = value
        else:
            notes.append(f"sync: OpenAlex: the author record gives no {key}; it is left out "
                         "of the snapshot")
    years = record.get("counts_by_year")
    snapshot["counts_by_year"] = sorted(
        ({"year": y["year"], "works_count": y.get("works_count"),
          "cited_by_count": y.get("cited_by_count")}
         for y in (years if isinstance(years, list) else [])
         if isinstance(y, dict) and isinstance(y.get("year"), int)),
        key=lambda y: y["year"])
    return snapshot, notes


def csl_item(work: dict[str, Any], author: str | None = None) -> dict[str, Any] | None:
    """A work as a CSL-JSON item (None without an id or a title), naming in `synced-for`
    the configured author it was fetched for (`openalex:A5023888391`)."""
    wid = short_id(work.get("id"))
    title = work.get("display_name") or work.get("title")
    if not wid or not isinstance(title, str) or not title.strip():
        return None
    location = work.get("primary_location") if isinstance(work.get("primary_location"),
                                                          dict) else {}
    source = location.get("source") if isinstance(location.get("source"), dict) else {}
    doi = bare_doi(work["doi"]) if isinstance(work.get("doi"), str) else None
    kind = CSL_TYPES.get(work.get("type_crossref") or "") or CSL_TYPES.get(
        work.get("type") or "", "document")
    urls = [loc.get("landing_page_url") for loc in work.get("locations") or []
            if isinstance(loc, dict) and isinstance(loc.get("landing_page_url"), str)]
    arxiv = next(filter(None, map(arxiv_id, [doi or "", *urls])), None)
    item: dict[str, Any] = {"id": f"openalex:{wid}", "type": kind, "title": " ".join(
        title.split())}
    authors = [a.get("author", {}).get("display_name") for a in work.get("authorships") or []
               if isinstance(a, dict) and isinstance(a.get("author"), dict)]
    if authors:
        item["author"] = csl_authors([a for a in authors if isinstance(a, str)])
    issued = csl_date(work.get("publication_date"), work.get("publication_year"))
    if issued:
        item["issued"] = issued
    if isinstance(source.get("display_name"), str):
        item["container-title"] = source["display_name"]
    if doi:
        item["DOI"] = doi
    landing = location.get("landing_page_url")
    if isinstance(landing, str) and landing.startswith(("http://", "https://")):
        item["URL"] = landing
    if arxiv:
        item["number"] = f"arXiv:{arxiv}"
    abstract = _abstract(work.get("abstract_inverted_index"))
    if abstract:
        item["abstract"] = abstract
    custom: dict[str, Any] = {"openalex": wid}
    if author:
        custom[SYNCED_FOR] = [f"openalex:{author}"]
    if arxiv:
        custom["arxiv"] = arxiv
    oa = work.get("open_access") if isinstance(work.get("open_access"), dict) else {}
    if isinstance(oa.get("oa_url"), str):
        custom["open-access-url"] = oa["oa_url"]
    if isinstance(work.get("cited_by_count"), int):
        custom["cited-by-count"] = work["cited_by_count"]
        custom["cited-by-source"] = "OpenAlex"
    item["custom"] = custom
    return item


def _abstract(index: Any) -> str:
    """OpenAlex's inverted index (word -> positions) as the text it was made from."""
    if not isinstance(index, dict):
        return ""
    placed = sorted((at, word) for word, ats in index.items() if isinstance(ats, list)
                    for at in ats if isinstance(at, int))
    return " ".join(word for _, word in placed)
