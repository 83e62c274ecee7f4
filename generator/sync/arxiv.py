"""arXiv's API (export.arxiv.org/api/query): a preprint's authors, abstract, date and title
for the synced works with an arXiv id that lack them. Ids are asked in batches
(`id_list=A,B&max_results=N`; arXiv answers at most 2000 results a call), and arXiv asks for
one call at a time, 3 seconds apart: `PAUSE` between batches.

The answer is Atom XML, read with the standard library's expat parser: a document type
declaration is refused outright (an Atom feed has none, and entities can only be declared in
one), so nothing from the network is expanded; expat itself (2.4.1 and later) also stops the
"billion laughs" amplification and never fetches an external entity."""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from typing import Any

from ..identity import arxiv_key
from ..links import arxiv_id
from .enrich import batches, enrich, shortened
from .http import Client, SyncError
from .items import csl_authors, csl_date

#: Ids per request, and the seconds waited between two requests (arXiv's guidance).
BATCH = 100
PAUSE = 3.0
#: A work lacking one of these is asked (once).
WANTED = ("author", "abstract", "issued", "title")
MARK = "from-arxiv"
_ATOM = "{http://www.w3.org/2005/Atom}"


def fill(client: Client, items: list[dict[str, Any]],
         previous: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`items` with what arXiv knows of each preprint filled in where they are blank."""
    result, asked, gained = enrich(items, previous, mark=MARK, key=_arxiv, wanted=WANTED,
                                   fetch=lambda ids: preprints(client, ids))
    if asked:
        client.progress(f"sync: arXiv: {gained} of {asked} preprints filled in")
    return result


def preprints(client: Client, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Each id's CSL fields, as arXiv has them (an id it does not know is left out)."""
    runs = batches(ids, BATCH)
    client.progress(f"sync: arXiv: {len(ids)} preprint{'s' if len(ids) > 1 else ''} "
                    f"({len(runs)} request{'s' if len(runs) > 1 else ''})")
    found: dict[str, dict[str, Any]] = {}
    for number, run in enumerate(runs):
        if number and not client.offline:
            time.sleep(PAUSE)
        try:
            entries = client.get_json("arxiv", "/api/query", {
                "id_list": ",".join(run), "max_results": str(len(run))},
                accept="application/atom+xml", parse=entries_of)
        except SyncError as exc:
            raise SyncError(shortened(str(exc), run, "ids", "arXiv")) from None
        asked = set(run)
        for ident, fields in entries:
            if ident in asked:
                found[ident] = fields
    return found


def entries_of(body: bytes) -> list[tuple[str, dict[str, Any]]]:
    """An Atom feed's entries as (arXiv id, CSL fields); ValueError for anything else."""
    parser = ET.XMLParser(target=_NoDoctype())
    try:
        parser.feed(body)
        root = parser.close()
    except ET.ParseError as exc:
        raise ValueError(f"not XML: {exc}") from None
    if root.tag != f"{_ATOM}feed":
        raise ValueError(f"no Atom feed but <{root.tag}>")
    found = []
    for entry in root.iter(f"{_ATOM}entry"):
        ident = arxiv_id(_text(entry, "id"))  # an error entry's id is no arXiv id
        if ident:
            found.append((arxiv_key(ident), _fields(entry)))
    return found


def _fields(entry: ET.Element) -> dict[str, Any]:
    fields: dict[str, Any] = {"type": "article"}
    title, abstract = _text(entry, "title"), _text(entry, "summary")
    if title:
        fields["title"] = title
    names = [_text(author, "name") for author in entry.findall(f"{_ATOM}author")]
    authors = csl_authors([name for name in names if name])
    if authors:
        fields["author"] = authors
    issued = csl_date(_text(entry, "published"))
    if issued:
        fields["issued"] = issued
    if abstract:
        fields["abstract"] = abstract
    return fields


def _text(element: ET.Element, name: str) -> str:
    found = element.find(f"{_ATOM}{name}")
    return " ".join("".join(found.itertext()).split()) if found is not None else ""


class _NoDoctype(ET.TreeBuilder):
    """A tree builder that refuses a document type declaration (where entities live)."""

    def doctype(self, name: str, pubid: str, system: str) -> None:
        raise ValueError("a document type declaration, which an Atom feed never has")


def _arxiv(item: dict[str, Any]) -> str | None:
    custom = item.get("custom") or {}
    text = " ".join(v for v in (custom.get("arxiv"), item.get("number"), item.get("DOI"))
                    if isinstance(v, str))
    found = arxiv_id(text)
    return arxiv_key(found) if found else None
