"""`scholarfolio sync` on the command line: the day, the run, and what changed printed
(progress on stderr, the report on stdout)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from ..errors import SiteError


def run(args: argparse.Namespace) -> int:
    """Run a sync as the arguments say; 0 when done (SiteError for the CLI to print)."""
    from . import sync

    if not args.directory.is_dir():
        raise SiteError(f"{args.directory}: no such folder; expected a site folder holding "
                        "site.yaml")
    try:
        date = dt.date.fromisoformat(args.date) if args.date else dt.date.today()
    except ValueError:
        raise SiteError(f"--date: expected a date YYYY-MM-DD, found '{args.date}'") from None
    settings = args.directory / "site.yaml"
    if not settings.is_file():
        raise SiteError(f"{settings}:1:1: no such file: expected the site's settings here, "
                        "with a 'sync:' block naming your ORCID iD or OpenAlex author id "
                        "(scholarfolio init makes a site; -C names its folder)")
    from .files import METRICS, SYNCED

    paths = (SYNCED, METRICS / f"{date.isoformat()}.json")
    before = {path: _bytes(args.directory / path) for path in paths}
    result = sync(args.directory, date=date.isoformat(), offline=args.offline,
                  dry_run=args.dry_run)
    from .files import retitle_notes

    notes = (*result.notes, *retitle_notes(args.directory, result.changes))
    for note in notes:
        print(note, file=sys.stderr)
    changes = result.changes
    would = "would be " if args.dry_run else ""
    for label, titles in (("added", changes.added), ("changed", changes.changed),
                          ("gone upstream, kept", changes.disappeared),
                          ("excluded", changes.excluded),
                          ("left out, no date upstream", changes.undated)):
        for title in titles:
            print(f"{would}{label}: {title}")
    if changes.kept_out:
        print(f"{len(changes.kept_out)} excluded as before (exclude: in site.yaml)")
    missing = sum(1 for i in changes.items if "scholarfolio-missing-since" in i.get("custom", {}))
    print(f"{len(changes.items)} works ({len(changes.added)} added, {len(changes.changed)} "
          f"changed, {len(changes.disappeared)} gone upstream"
          + (f"; {missing} kept though missing upstream" if missing else "") + ")")
    if result.metrics:
        m = result.metrics
        print(f"metrics ({m['source']}, {m['date']}): h-index {m.get('h_index', '?')}, "
              f"{m.get('cited_by_count', '?')} citations, {m.get('works_count', '?')} works")
    if args.report is not None:
        from .report import markdown, previous_snapshot

        old = previous_snapshot(args.directory, date.isoformat())
        text = markdown(changes, result.metrics, old, date.isoformat(), notes)
        try:
            args.report.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise SiteError(f"--report: cannot write {args.report} ({exc.strerror})") from None
    if args.dry_run:
        print("dry run: nothing written")
    else:
        for path in result.written:  # (a file that holds the same bytes is not news)
            if before.get(path) != _bytes(args.directory / path):
                print(f"wrote {path}")
    return 0


def _bytes(path) -> bytes | None:
    return path.read_bytes() if path.is_file() else None
