"""The dev server's builds: the last good one kept in memory as a Snapshot, rebuilt on
demand from what the last build made (parsed entries, paper views, rendered routes)."""

from __future__ import annotations

import operator
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..build import assemble_site, load_site
from ..config import SiteConfig
from ..errors import SiteError
from ..identity import retitled
from ..model import SiteModel
from ..records import Paper, Profile
from ..render.environment import make_environment
from ..reuse import Reuse
from ..themes import load_theme
from .incremental import Deferred, Fragments, IncrementalRenderer


@dataclass(frozen=True)
class Snapshot:
    """One build as served: its files, or the error that stopped the latest rebuild."""

    files: dict[str, bytes | Deferred] = field(default_factory=dict)
    base_path: str = "/"
    error: str | None = None  # plain text of the latest failed rebuild
    version: int = 0
    moved: dict[str, str] = field(default_factory=dict)  # old page file -> its new URL path

    def read(self, path: str) -> bytes | None:
        """The bytes of the file at `path` (relative to the site), None if there is none."""
        data = self.files.get(path)
        return data.read() if isinstance(data, Deferred) else data


class Preview:
    """Keeps the latest good build in memory and rebuilds incrementally on demand."""

    def __init__(self, root: Path, overrides: dict[str, Any], log=print):
        self.root = root.resolve()
        self.overrides = overrides
        self.log = log
        self.snapshot = Snapshot()
        self._renderer: IncrementalRenderer | None = None
        self._views = Reuse()  # paper views and BibTeX keys of the last build
        self._entries = Reuse()  # parsed entries and slugs of the last build
        self._env_key: tuple[Any, ...] | None = None
        self.config: SiteConfig | None = None
        self.profile: Profile | None = None  # the records and model of the last good build
        self.model: SiteModel | None = None
        self._lock = threading.Lock()

    def rebuild(self, reason: str) -> bool:
        """Build again; on success swap the snapshot, on failure keep it and record the error."""
        with self._lock:
            started = time.perf_counter()
            try:
                written = self._build()
            except SiteError as exc:
                self.snapshot = Snapshot(self.snapshot.files, self.snapshot.base_path, str(exc),
                                         self.snapshot.version + 1, self.snapshot.moved)
                self.log(f"{reason}: build failed, still serving the last good site\n{exc}")
                return False
            ms = (time.perf_counter() - started) * 1000
            self.log(f"{reason}: {written} page{'s' if written != 1 else ''} written "
                     f"in {ms:.0f} ms")
            return True

    def _build(self) -> int:
        config, profile, warnings = load_site(self.root, self.overrides, self._entries)
        theme = load_theme(config.theme, config.root)
        # The loader searches the folders that exist when it is made: a new templates/
        # folder (or theme folder) means a new environment.
        folders = [config.root / "templates", *theme.template_dirs]
        env_key = (config.root, config.theme, config.language, tuple(theme.folders),
                   tuple(folder.is_dir() for folder in folders))
        if self._renderer is None or env_key != self._env_key:
            fragments = Fragments()  # {% fragment %}'s store: given to the environment once
            env = make_environment(config.root / "templates", theme, fragments, config.language)
            self._renderer = IncrementalRenderer(env, fragments, defer_files=True)
            self._env_key = env_key
        renderer = self._renderer
        model, statics = assemble_site(config, profile, theme, views=self._views,
                                       warnings=warnings)
        for warning in warnings:
            self.log(warning.format())
        files, rendered = renderer.render(model)
        files.update((path, source.read_bytes()) for path, source in statics.items())
        changed = sum(1 for name in (*rendered, *statics)
                      if name.endswith(".html") and self.snapshot.files.get(name) != files[name])
        before = self.profile.papers if self.profile is not None else ()
        self.snapshot = Snapshot(files, config.base_path, None, self.snapshot.version + 1,
                                 self._moved(before, profile.papers))
        self.config, self.profile, self.model = config, profile, model
        return changed

    def _moved(self, before: tuple[Paper, ...], papers: tuple[Paper, ...]) -> dict[str, str]:
        """Old paper pages whose title (so slug) changed point to the new page, so a page
        open in the browser follows its paper when it reloads. A paper is known as
        identity.retitled says (its DOI or arXiv identifier, else all but its title), not
        by its line: a paper added above moves every line."""
        moved = dict(self.snapshot.moved)
        if len(before) == len(papers) and all(map(operator.is_, before, papers)):
            return moved  # the very same records
        slugs = {paper.slug for paper in papers}
        gone = [paper for paper in before if paper.slug not in slugs]
        if not gone:
            return moved
        had = {paper.slug for paper in before}
        for old, slug in retitled(gone, [p for p in papers if p.slug not in had]).items():
            moved[f"papers/{old}/index.html"] = f"papers/{slug}/"
        for old_file, target in moved.items():  # a page renamed twice points to the latest
            moved[old_file] = moved.get(f"{target}index.html", target)
        return moved


