"""Filling in what synced works lack from a service that knows a work by one identifier
(Crossref by DOI, arXiv by its id): only blank fields are filled, never a value another
source gave; each work is asked once. The fields a service filled are listed in the work's
`custom` (`from-crossref`, `from-arxiv`: an empty list when it had nothing to add), so a
reader knows where each value came from, and the next sync carries them over from the last
content/synced.json instead of asking again."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

#: What a service gives for the identifiers asked: identifier -> CSL fields found.
Fetch = Callable[[list[str]], dict[str, dict[str, Any]]]


def blank(item: dict[str, Any], field: str) -> bool:
    """Whether the item lacks the field (a type "document" is ORCID's "other": no type)."""
    value = item.get(field)
    return value in (None, "", [], {}) or (field == "type" and value == "document")


def filled(item: dict[str, Any], found: dict[str, Any], mark: str) -> dict[str, Any]:
    """The item with `found`'s values in its blank fields, and the list of them as `mark`."""
    added = {field: value for field, value in found.items() if blank(item, field)}
    custom = {**(item.get("custom") or {}), mark: sorted(added)}
    return {**item, **added, "custom": custom}


def carried(item: dict[str, Any], old: dict[str, Any], mark: str) -> dict[str, Any]:
    """The item with what the service filled in the last sync's copy of it, where the item
    is still blank (what another source gives now wins)."""
    fields = [f for f in (old.get("custom") or {}).get(mark) or []
              if isinstance(f, str) and f in old and blank(item, f)]
    return filled(item, {field: old[field] for field in fields}, mark)


def enrich(items: list[dict[str, Any]], previous: Iterable[dict[str, Any]], *, mark: str,
           key: Callable[[dict[str, Any]], str | None], wanted: tuple[str, ...],
           fetch: Fetch) -> tuple[list[dict[str, Any]], int, int]:
    """`items` with their blanks filled: from the last sync's copy of a work already asked
    (`previous`, by `key`), else from one `fetch` of every work that lacks a `wanted`
    field. Gives the items, how many were asked and how many gained a field."""
    before = {}
    for old in previous:
        ident = key(old)
        if ident and isinstance((old.get("custom") or {}).get(mark), list):
            before.setdefault(ident, old)
    result = list(items)
    asking: dict[int, str] = {}
    for index, item in enumerate(result):
        ident = key(item)
        if not ident:
            continue
        if ident in before:
            result[index] = carried(item, before[ident], mark)
        elif any(blank(item, field) for field in wanted):
            asking[index] = ident
    if not asking:
        return result, 0, 0
    found = fetch(sorted(set(asking.values())))
    gained = 0
    for index, ident in asking.items():
        result[index] = filled(result[index], found.get(ident, {}), mark)
        gained += bool(result[index]["custom"][mark])
    return result, len(asking), gained


def batches(keys: list[str], size: int) -> list[list[str]]:
    """`keys` in runs of at most `size`."""
    return [keys[at:at + size] for at in range(0, len(keys), size)]


def shortened(message: str, asked: list[str], what: str, service: str) -> str:
    """A failure's message with the batch's long query said in short (the first of the
    `what` asked and their number), and how to sync without the service."""
    short = f"?({len(asked)} {what}: {asked[0]}{', ...' if len(asked) > 1 else ''})"
    return (re.sub(r"\?[^\s;]+", lambda _: short, message, count=1)
            + f"; to sync without {service}, leave {service.lower()} out of sync: sources")
