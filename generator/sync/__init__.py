"""`scholarfolio sync`: the researcher's works and metrics from OpenAlex and ORCID (filled
in by Crossref and arXiv), as plain files of the site (files.py): `content/synced.json`,
which the build reads as one more CSL-JSON source (last, so below what the researcher
wrote), and `content/metrics/<date>.json`. Every source is fetched before anything is written: a
failing source changes no file. The day is the sync's (`date`); the build never reads it.

Where each part lives: settings.py the `sync:` block; http.py the client, retries and
cache; openalex.py and orcid.py each service's list of works; crossref.py and arxiv.py fill
in what those works lack (enrich.py: blanks only, each work asked once); items.py CSL-JSON
items and their identity; files.py what is written and what changed."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:  # reading site.yaml imports settings.py: nothing more of sync
    from .files import Changes


#: The environment variable that gives the contact e-mail when site.yaml's sync: has none.
EMAIL_ENV = "SCHOLARFOLIO_CONTACT_EMAIL"


class SyncResult(NamedTuple):
    """What a sync did (or, with dry_run, would do), and its notes for the researcher."""

    changes: Changes
    written: tuple[Path, ...]  # relative to the site; empty for a dry run
    metrics: dict | None
    notes: tuple[str, ...]


def sync(root: Path, *, date: str, offline: bool = False, dry_run: bool = False,
         progress: Callable[[str], None] | None = None) -> SyncResult:
    """Fetch, compare with the last sync's files, and write them (unless `dry_run`).
    Raises SiteError (site.yaml) or http.SyncError (a service), having written nothing."""
    from ..config import load_config
    from ..errors import SiteError
    from . import openalex, orcid
    from .files import METRICS, SYNCED, compare, dumps, read_previous, write
    from .http import Client
    from .items import keys, merged, short_id

    config = load_config(root)
    settings = config.sync
    if settings is None:
        raise SiteError(f"{config.config_path}:1:1: no 'sync:' setting; expected, for "
                        "example:\nsync:\n  orcid: 0000-0002-1825-0097")
    # The contact address: site.yaml's, else the environment's (a repository secret on CI).
    email = settings.email or os.environ.get(EMAIL_ENV, "").strip() or None
    client = Client(config.root, email=email,
                    api_key=os.environ.get(settings.api_key_env), offline=offline,
                    store=not dry_run, progress=progress, key_env=settings.api_key_env)
    if "openalex" in settings.sources and not client.api_key and not offline:
        # OpenAlex has asked for a free key since February 2026: say so before it refuses.
        client.progress(f"sync: OpenAlex: no API key; {client.key_advice()}")
    notes: list[str] = []
    fetched: list[dict] = []
    snapshot = None
    if "openalex" in settings.sources:
        record = openalex.author(client, settings.openalex, settings.orcid)
        author_id = short_id(record.get("id"))
        if settings.openalex and author_id != settings.openalex:
            notes.append(f"sync: OpenAlex: author {settings.openalex} is now {author_id} "
                         f"(merged); set 'openalex: {author_id}' in site.yaml's sync:")
        fetched += filter(None, (openalex.csl_item(work, author_id)
                                 for work in openalex.works(client, author_id)))
        snapshot, missing = openalex.metrics(record, date)
        notes += missing
    previous = read_previous(config.root)
    if "orcid" in settings.sources and settings.orcid:
        known = {key: index for index, have in enumerate(fetched) for key in keys(have)}
        for item in orcid.works(client, settings.orcid):
            found = keys(item)  # each builds the record the CSL-JSON reader would
            index = next((known[key] for key in found if key in known), None)
            if index is None:
                index = len(fetched)
                fetched.append(item)
            else:
                fetched[index] = merged(fetched[index], item)
            for key in found:
                known.setdefault(key, index)
    fetched = _filled_in(client, settings, fetched, previous)
    if "orcid" in settings.sources and settings.orcid:  # what Crossref could not name
        fetched = orcid.with_authors(client, settings.orcid, fetched, previous)
    changes = compare(previous, fetched, settings, date)
    files = {SYNCED: dumps(changes.items)}
    if snapshot is not None:
        files[METRICS / f"{date}.json"] = dumps(snapshot)
    if not dry_run:
        write(config.root, files)
    return SyncResult(changes, () if dry_run else tuple(files), snapshot, tuple(notes))


def _filled_in(client: Any, settings: Any, items: list[dict],
               previous: list[dict]) -> list[dict]:
    """The works with what Crossref knows of their DOIs and arXiv of their preprints filled
    in where they are blank (an excluded work is not asked); a work filled in by the last
    sync is carried over from `previous`, not asked again."""
    from . import arxiv, crossref
    from .files import is_excluded

    left_out = [item for item in items if is_excluded(item, settings)]
    kept = [item for item in items if not is_excluded(item, settings)]
    if "crossref" in settings.sources:
        kept = crossref.fill(client, kept, previous)
    if "arxiv" in settings.sources:
        kept = arxiv.fill(client, kept, previous)
    return kept + left_out
