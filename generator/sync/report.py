"""The report of a sync as Markdown (`scholarfolio sync --report FILE`): the body of the
weekly pull request. What was added, changed, gone upstream (kept), excluded or left out,
and how the metrics moved since the snapshot before this one. It names works and numbers
only: never a URL of a request, so never a key."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from .files import METRICS, Changes

#: The snapshot's numbers the report compares, with their names.
NUMBERS = (("h_index", "h-index"), ("i10_index", "i10-index"),
           ("cited_by_count", "Citations"), ("works_count", "Works"))


def previous_snapshot(root: Path, date: str) -> dict[str, Any] | None:
    """The newest snapshot of content/metrics/ before `date` (None if there is none)."""
    folder = root / METRICS
    earlier = sorted(p for p in folder.glob("*.json")
                     if re.fullmatch(r"\d{4}-\d\d-\d\d", p.stem) and p.stem < date)
    if not earlier:
        return None
    try:
        data = json.loads(earlier[-1].read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def markdown(changes: Changes, new: dict[str, Any] | None, old: dict[str, Any] | None,
             date: str, notes: tuple[str, ...] = ()) -> str:
    """The pull request's body: the metrics' move, then the works' changes, each title
    escaped so that a bibliography's text stays text."""
    lines = [f"## Works and metrics synced on {date}", ""]
    if new is not None:
        lines += metrics_table(new, old)
    lines.append(f"**Works** in `content/synced.json`: {len(changes.items)} "
                 f"({len(changes.added)} added, {len(changes.changed)} changed, "
                 f"{len(changes.disappeared)} gone upstream).")
    for title, items in (("Added", changes.added), ("Changed", changes.changed),
                         ("Gone upstream (kept, marked missing; add it to `exclude:` "
                          "if it is not yours)", changes.disappeared),
                         ("Excluded now (by `exclude:`)", changes.excluded)):
        if items:
            lines += ["", f"### {title}", ""] + [f"- {escaped(item)}" for item in items]
    lines += left_out(changes)
    if notes:
        lines += ["", "### Notes", ""] + [f"- {escaped(note)}" for note in notes]
    lines += ["", "Review the changes, then merge: the site is built and published when "
              "this is merged. Correct a synced work in `content/papers/<slug>.md`, not in "
              "`content/synced.json`, which the next sync rewrites."]
    return "\n".join(lines) + "\n"


def left_out(changes: Changes) -> list[str]:
    """What every sync leaves out again (works with no date upstream, works excluded
    before): one line, the titles folded away, so a weekly body is news only."""
    parts = [f"{len(items)} {what}" for items, what in (
        (changes.undated, "with no date upstream"),
        (changes.kept_out, "excluded by `exclude:` before")) if items]
    if not parts:
        return []
    titles = [f"- {escaped(t)}" for t in (*changes.undated, *changes.kept_out)]
    return ["", f"<details><summary>Left out, as at the last sync: {', '.join(parts)}"
            "</summary>", "", *titles, "", "</details>"]


def metrics_table(new: dict[str, Any], old: dict[str, Any] | None) -> list[str]:
    """A table of the numbers: before, now and the change."""
    source = escaped(str(new.get("source", "")))
    if old is None:
        head = [f"**Metrics** ({source}, {new.get('date')}; the first snapshot):", "",
                "| | now |", "|---|---:|"]
        rows = [f"| {name} | {_number(new.get(key))} |" for key, name in NUMBERS]
        return head + rows + [""]
    head = [f"**Metrics** ({source}):", "",
            f"| | {old.get('date')} | {new.get('date')} | change |", "|---|---:|---:|---:|"]
    rows = []
    for key, name in NUMBERS:
        before, after = old.get(key), new.get(key)
        moved = (f"{after - before:+,}" if isinstance(before, int) and isinstance(after, int)
                 else "")
        rows.append(f"| {name} | {_number(before)} | {_number(after)} | {moved} |")
    return head + rows + [""]


def _number(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) else "–"


def escaped(text: str) -> str:
    """Text as Markdown shows it literally: its markup characters escaped, so that a
    title's `<b>`, `[link](…)` or `@name` (a mention) is shown and does nothing."""
    return re.sub(r"([\\`*_{}\[\]()<>#+!|@~])", r"\\\1", " ".join(text.split()))
