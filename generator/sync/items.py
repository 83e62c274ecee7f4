"""CSL-JSON items as a sync makes them: names and dates in CSL's shapes, each item's keys
by the one identity rule (identity.py, through the record the CSL-JSON reader would make),
and two items of one work merged (the first's values kept, the second's added)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..identity import Key, file_identifiers, identities
from ..names import parse_name

_SHORT_ID = re.compile(r"(?:https?://(?:api\.)?openalex\.org/(?:\w+/)?)?([AWSI]\d+)", re.I)


def short_id(value: Any) -> str | None:
    """`https://openalex.org/W2741809807` as `W2741809807`; None for anything else."""
    match = _SHORT_ID.fullmatch(value.strip()) if isinstance(value, str) else None
    return match.group(1).upper() if match else None


def csl_authors(names: list[str]) -> list[dict[str, str]]:
    """Names as written ("Heather A. Piwowar") in CSL's parts, or literal when unsplit."""
    found = []
    for text in names:
        name = parse_name(" ".join(text.split()))
        if name.family and name.given:
            parts = {"family": name.family, "given": name.given}
            if name.particle:
                parts["non-dropping-particle"] = name.particle
            if name.suffix:
                parts["suffix"] = name.suffix
            found.append(parts)
        elif name.text:
            found.append({"literal": name.text})
    return found


def csl_date(day: Any, year: Any = None) -> dict[str, list[list[int]]] | None:
    """`2018-02-13` (or a year alone, or year/month/day parts) as CSL's date-parts."""
    if isinstance(day, str):
        try:
            date = dt.date.fromisoformat(day.strip()[:10])
            return {"date-parts": [[date.year, date.month, date.day]]}
        except ValueError:
            pass
    if isinstance(year, (list, tuple)):
        parts = [int(p) for p in year if isinstance(p, (int, str)) and str(p).isdigit()]
        if parts and 1000 <= parts[0] <= 9999:
            return {"date-parts": [parts[:3]]}
        return None
    if isinstance(year, int) and 1000 <= year <= 9999:
        return {"date-parts": [[year]]}
    return None


def keys(item: dict[str, Any]) -> list[Key]:
    """Every way the item's work is known, by identity.identities on the record the
    CSL-JSON reader makes of it; its OpenAlex id besides."""
    from ..sources.csljson import read_csl_item  # the reader's one item, as the build reads it
    from ..sources.entry import entry_paper

    entry = read_csl_item(item) if item.get("issued") else None
    if entry is not None:
        found: list[Key] = identities(entry_paper(entry))
    else:  # no date, so no record: its identifiers alone, normalised as identity.py does
        custom = item.get("custom") or {}
        found = file_identifiers(item.get("DOI"), custom.get("arxiv"))
    openalex = (item.get("custom") or {}).get("openalex")
    if openalex:
        found.append(("openalex", openalex))
    return found


#: The custom field that names the configured author(s) a work was fetched for, each as
#: `openalex:<author id>` or `orcid:<iD>`: so that a group site, which syncs several
#: members into one synced.json, can tell whose list each work is on.
SYNCED_FOR = "synced-for"


def merged(first: dict[str, Any], later: dict[str, Any]) -> dict[str, Any]:
    """`first` with what only `later` gives, its custom ids joined (and the authors it was
    fetched for, `synced-for`, both items')."""
    item = dict(first)
    for field, value in later.items():
        if field == "custom":
            item["custom"] = {**value, **first.get("custom", {})}
            both = [*first.get("custom", {}).get(SYNCED_FOR, []),
                    *value.get(SYNCED_FOR, [])]
            if both:
                item["custom"][SYNCED_FOR] = list(dict.fromkeys(both))
        elif field not in item and field != "id":
            item[field] = value
    return item
