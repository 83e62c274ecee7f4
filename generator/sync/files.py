"""The files a sync writes into the site, which the researcher reads, reviews and commits:
`content/synced.json` (CSL-JSON, one more source of the build, read last) and
`content/metrics/<date>.json` (the author's metrics on the sync's day, naming its source).

A work that no source dates is left out and reported (the build could not show it). Nothing
is lost: a work of the last sync that no source gives now stays, marked
`"scholarfolio-missing-since"` in its `custom` fields, and is reported; a work on the
exclusion list is dropped and never comes back. The same responses give the same bytes."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .. import sources
from ..slugs import base_slug
from ..sources.csljson import FORMER_TITLES, MAX_FORMER
from .http import SyncError
from .items import keys

if TYPE_CHECKING:  # (settings.py imports the settings table, which imports it)
    from .settings import SyncSettings

SYNCED = Path("content") / sources.SYNCED
METRICS = Path("content") / "metrics"
MISSING = "scholarfolio-missing-since"
#: The titles a work had at earlier syncs, newest first: the build keeps their addresses
#: (papers/<slug>/ redirects) and the per-paper files named after them (content/papers.py).
FORMER = FORMER_TITLES
#: The order of an item's fields in the file (others after them, by name).
ORDER = ("id", "type", "title", "author", "issued", "container-title", "DOI", "URL",
         "number", "abstract", "custom")


class Changes(NamedTuple):
    """What a sync changes in synced.json: lines for the researcher, and the new items."""

    items: list[dict[str, Any]]
    added: list[str]
    changed: list[str]
    disappeared: list[str]
    excluded: list[str]  # works of the last sync that `exclude:` takes out now
    undated: list[str]  # fetched without a date: a CSL-JSON item needs one to be a paper
    retitled: tuple[tuple[str, str], ...] = ()  # (title before, title now) of a work
    kept_out: tuple[str, ...] = ()  # fetched, excluded already at the last sync: no news


def read_previous(root: Path) -> list[dict[str, Any]]:
    """The items of the last sync's content/synced.json ([] when there is none)."""
    path = root / SYNCED
    if not path.exists():
        return []
    try:
        items = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, ValueError) as exc:
        raise SyncError(f"sync: {SYNCED} cannot be read ({exc}); it is the last sync's file: "
                        "restore it from git, or delete it to start anew") from None
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise SyncError(f"sync: {SYNCED} is no list of CSL-JSON items; restore it from git, "
                        "or delete it to start anew")
    return items


def compare(previous: list[dict[str, Any]], fetched: list[dict[str, Any]],
            settings: SyncSettings, date: str) -> Changes:
    """The new synced.json's items: `fetched` without excluded works, then every work of
    `previous` that is neither fetched again nor excluded, marked missing since `date`."""
    excluded = sorted({_shown(i) for i in previous if is_excluded(i, settings)})
    kept_out = sorted({_shown(i) for i in fetched if is_excluded(i, settings)} - set(excluded))
    undated = sorted({_shown(i) for i in fetched if not i.get("issued")})
    fetched = [canonical(i) for i in fetched
               if i.get("issued") and not is_excluded(i, settings)]
    found: dict[Any, int] = {}
    for index, item in enumerate(fetched):
        for key in (("id", item["id"]), *keys(item)):
            found.setdefault(key, index)
    added, changed, disappeared, retitled = [], [], [], []
    matched: set[int] = set()
    kept = []
    for old in previous:
        if is_excluded(old, settings):
            continue
        index = next((found[k] for k in (("id", old.get("id")), *keys(old)) if k in found),
                     None)
        if index is None or index in matched:
            custom = dict(old.get("custom") or {})
            if MISSING not in custom:
                custom[MISSING] = date
                disappeared.append(_shown(old))
            kept.append(canonical({**old, "custom": custom}))
            continue
        matched.add(index)
        fetched[index] = _with_former_titles(old, fetched[index])
        if old.get("title") != fetched[index].get("title") and isinstance(old.get("title"), str):
            retitled.append((old["title"], str(fetched[index].get("title"))))
        if MISSING in (old.get("custom") or {}):
            count = _counts(old, fetched[index])
            changed.append(_shown(fetched[index]) + ": back upstream"
                           + (f", {count}" if count else ""))
        elif canonical(old) != fetched[index]:
            changed.append(_shown(fetched[index]) + _difference(old, fetched[index]))
    added = [_shown(item) for index, item in enumerate(fetched) if index not in matched]
    items = sorted(fetched + kept, key=_order)
    return Changes(items, added, changed, disappeared, excluded, undated, tuple(retitled),
                   tuple(kept_out))


def retitle_notes(root: Path, changes: Changes) -> list[str]:
    """A line for each work retitled upstream: its old address keeps working, and its
    per-paper file, if it has one, keeps applying (content/papers.py)."""
    notes = []
    for before, now in changes.retitled:
        slug = base_slug(before)
        own = (root / "content" / "papers" / f"{slug}.md").is_file()
        notes.append(f"retitled upstream: '{before}' is now '{now}'; papers/{slug}/ redirects "
                     "to its new address" + (f", and content/papers/{slug}.md still applies "
                                             "to it (you may rename it after the new title)"
                                             if own else ""))
    return notes


def canonical(item: dict[str, Any]) -> dict[str, Any]:
    """The item with its fields in the file's order, its custom fields by name."""
    ordered = {k: item[k] for k in ORDER if k in item}
    ordered.update((k, item[k]) for k in sorted(item) if k not in ordered)
    if isinstance(ordered.get("custom"), dict):
        ordered["custom"] = dict(sorted(ordered["custom"].items()))
    return ordered


def dumps(value: Any) -> bytes:
    """JSON as the files hold it, for reading and for diffs: an array or object on one line
    when it fits in `WIDTH` (a date, a name, a year's counts), else one member a line;
    UTF-8, ending in a newline."""
    return (_render(value, 0) + "\n").encode("utf-8")


WIDTH = 88


def _render(value: Any, indent: int) -> str:
    compact = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    if not isinstance(value, (dict, list)) or not value or indent + len(compact) <= WIDTH:
        return compact
    pad = " " * (indent + 2)
    if isinstance(value, dict):
        members = [f"{pad}{json.dumps(key, ensure_ascii=False)}: "
                   f"{_render(item, indent + 2)}" for key, item in value.items()]
        return "{\n" + ",\n".join(members) + "\n" + " " * indent + "}"
    members = [pad + _render(item, indent + 2) for item in value]
    return "[\n" + ",\n".join(members) + "\n" + " " * indent + "]"


def write(root: Path, files: dict[Path, bytes]) -> None:
    """Each file in place, all written beside their places first, so a failure leaves none
    half written; a file that already holds its bytes is left as it is."""
    staged = []
    try:
        for relative, data in files.items():
            path = root / relative
            if path.is_file() and path.read_bytes() == data:
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.tmp")
            tmp.write_bytes(data)
            staged.append((tmp, path))
        for tmp, path in staged:
            os.replace(tmp, path)
    except OSError as exc:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise SyncError(f"sync: cannot write {exc.filename or root} ({exc.strerror}); check "
                        "the folder's permissions and free space") from None


def is_excluded(item: dict[str, Any], settings: SyncSettings) -> bool:
    """Whether `exclude:` names the item, by its DOI or OpenAlex id."""
    return settings.excluded(item.get("DOI"), (item.get("custom") or {}).get("openalex"))


def _shown(item: dict[str, Any]) -> str:
    parts = (item.get("issued") or {}).get("date-parts") or [[]]
    year = parts[0][0] if parts and parts[0] else "no year"
    return f"{item.get('title', item.get('id'))} ({year})"


def _with_former_titles(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """`new` with the titles `old` had (its own and its former ones) that `new` no longer
    has, newest first: a retitled work keeps its old address and its per-paper file."""
    had = (old.get("custom") or {}).get(FORMER)
    former = [old.get("title"), *(had if isinstance(had, list) else [])]
    kept = list(dict.fromkeys(t for t in former if isinstance(t, str) and t
                              and t != new.get("title")))[:MAX_FORMER]
    if not kept:
        return new
    return canonical({**new, "custom": {**(new.get("custom") or {}), FORMER: kept}})


def _counts(old: dict[str, Any], new: dict[str, Any]) -> str:
    """'citations 9231 → 9241' when the work's count moved, else ''."""
    before = (old.get("custom") or {}).get("cited-by-count")
    after = (new.get("custom") or {}).get("cited-by-count")
    return f"citations {before} → {after}" if before != after else ""


def _difference(old: dict[str, Any], new: dict[str, Any]) -> str:
    fields = sorted(k for k in set(old) | set(new) if k != "custom" and old.get(k) != new.get(k))
    said = [_counts(old, new)] if _counts(old, new) else []
    return f": {', '.join(said + fields) or 'ids'}"


def _order(item: dict[str, Any]) -> tuple[int, str, str]:
    """Newest first, then by title and id: a fixed order, whatever the services' order."""
    parts = (item.get("issued") or {}).get("date-parts") or [[0]]
    year = parts[0][0] if parts and parts[0] and isinstance(parts[0][0], int) else 0
    return -year, str(item.get("title", "")).lower(), str(item.get("id"))
