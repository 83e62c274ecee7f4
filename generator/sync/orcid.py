"""ORCID's public API (v3.0): the researcher's own list of works, each group's preferred
summary as a CSL-JSON item (title, type, date, journal, DOI, arXiv id, put-code). Work
summaries carry no authors: those come from OpenAlex when both name the work, else (a work
with no DOI, which Crossref cannot fill) from the work's full record and its contributors
(`with_authors`)."""

from __future__ import annotations

from typing import Any

from ..identity import arxiv_key
from ..links import bare_doi
from .enrich import enrich
from .http import Client, SyncError
from .items import SYNCED_FOR, csl_authors, csl_date

#: CSL types by ORCID's work types.
CSL_TYPES = {
    "journal-article": "article-journal", "conference-paper": "paper-conference",
    "preprint": "article", "working-paper": "article", "book": "book",
    "book-chapter": "chapter", "dissertation": "thesis", "dissertation-thesis": "thesis",
    "report": "report", "data-set": "dataset", "edited-book": "book",
}


def works(client: Client, orcid: str) -> list[dict[str, Any]]:
    """The iD's works as CSL-JSON items, in ORCID's order, each naming the iD in
    `synced-for` (`orcid:0000-0002-1825-0097`)."""
    client.progress(f"sync: ORCID: works of {orcid}")
    data = client.get_json("orcid", f"/v3.0/{orcid}/works")
    groups = data.get("group") if isinstance(data, dict) else None
    if not isinstance(groups, list):
        raise SyncError("sync: ORCID: the works response has no 'group' list; try again "
                        "later, or report it: the service may have changed")
    items = []
    for group in groups:
        summaries = group.get("work-summary") if isinstance(group, dict) else None
        if isinstance(summaries, list) and summaries and isinstance(summaries[0], dict):
            item = csl_item(summaries[0])
            if item:
                item["custom"][SYNCED_FOR] = [f"orcid:{orcid}"]
                items.append(item)
    client.progress(f"sync: ORCID: {len(items)} works")
    return items


#: Where a work lists which of its fields its full ORCID record gave (an empty list: asked,
#: nothing to add), so that the next sync carries them over instead of asking again.
MARK = "from-orcid-work"


def with_authors(client: Client, orcid: str, items: list[dict[str, Any]],
                 previous: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`items` with authors for each dated ORCID-only work that has none after Crossref and
    arXiv (no DOI, or a DataCite DOI: figshare, Zenodo): from its full record's
    contributors (`/v3.0/<iD>/work/<put-code>`, one request each, as the recordings found
    are), each work asked once by enrich.py's rule (`from-orcid-work`)."""

    def put_code(item: dict[str, Any]) -> str | None:
        custom = item.get("custom") or {}
        code = custom.get("orcid-put-code")
        return (str(code) if isinstance(code, int) and "openalex" not in custom
                and item.get("issued") else None)

    def fetch(codes: list[str]) -> dict[str, dict[str, Any]]:
        found = {}
        for code in codes:
            client.progress(f"sync: ORCID: contributors of work {code}")
            if authors := contributors(client.get_json("orcid", f"/v3.0/{orcid}/work/{code}")):
                found[code] = {"author": authors}
        return found

    return enrich(items, previous, mark=MARK, key=put_code, wanted=("author",),
                  fetch=fetch)[0]


def contributors(work: Any) -> list[dict[str, str]]:
    """The authors a full work record names (`contributors`: each credit name whose role
    is `author` or not given; an editor is none), in CSL's parts."""
    found = ((work.get("contributors") or {}).get("contributor") if isinstance(work, dict)
             else None)
    names = []
    for person in found if isinstance(found, list) else []:
        role = ((person.get("contributor-attributes") or {}).get("contributor-role")
                if isinstance(person, dict) else None)
        name = _value(person.get("credit-name")) if isinstance(person, dict) else ""
        if name and role in (None, "author"):
            names.append(name)
    return csl_authors(names)


def csl_item(summary: dict[str, Any]) -> dict[str, Any] | None:
    """A work summary as a CSL-JSON item (None without a put-code or a title)."""
    code = summary.get("put-code")
    title = _value((summary.get("title") or {}).get("title"))
    if not isinstance(code, int) or not title:
        return None
    item: dict[str, Any] = {"id": f"orcid:{code}",
                            "type": CSL_TYPES.get(summary.get("type") or "", "document"),
                            "title": " ".join(title.split())}
    date = summary.get("publication-date") or {}
    parts = [_value(date.get(part)) for part in ("year", "month", "day")]
    issued = csl_date(None, [p for p in _leading(parts)])
    if issued:
        item["issued"] = issued
    journal = _value(summary.get("journal-title"))
    if journal:
        item["container-title"] = journal
    ids = {}
    for ext in ((summary.get("external-ids") or {}).get("external-id") or []):
        if isinstance(ext, dict) and ext.get("external-id-relationship") == "self":
            kind, value = ext.get("external-id-type"), ext.get("external-id-value")
            if isinstance(value, str) and kind in ("doi", "arxiv") and kind not in ids:
                ids[kind] = value
    if "doi" in ids:
        item["DOI"] = bare_doi(ids["doi"])  # as written: identity.py compares it in any case
    url = _value(summary.get("url"))
    if url and url.startswith(("http://", "https://")):
        item["URL"] = url
    custom: dict[str, Any] = {"orcid-put-code": code}
    if "arxiv" in ids:
        custom["arxiv"] = arxiv_key(ids["arxiv"])
        item["number"] = f"arXiv:{custom['arxiv']}"
    item["custom"] = custom
    return item


def _value(field: Any) -> str:
    value = field.get("value") if isinstance(field, dict) else None
    return value.strip() if isinstance(value, str) else ""


def _leading(parts: list[str]) -> list[str]:
    """The date's parts up to the first one missing."""
    kept = []
    for part in parts:
        if not part:
            break
        kept.append(part)
    return kept
