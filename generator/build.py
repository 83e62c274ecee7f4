"""`build`: settings and profile in, a complete static site out. Reads like a recipe:
gather every record first, then lay out routes, render, and write."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import buildcache
from .card import NAME as CARD
from .card import available as card_available
from .card import make_card
from .config import CNAME, CONFIG_NAME, SETTINGS, SiteConfig, load_config
from .config.loading import setting_positions
from .containment import outside
from .errors import Problem, SiteError
from .i18n import fallback_warning
from .listing import files_under
from .output import Staging, check_output_folder, clean_leftovers
from .themes import Theme, load_theme, theme_roots

if TYPE_CHECKING:
    from .model import SiteModel
    from .paperfields import PaperFields
    from .records import Profile
    from .reuse import Reuse
    from .sources import Gathered

# The parser, the site model and Jinja are imported where they are used: a build that
# finds nothing changed (buildcache.py) never needs them, and importing them costs ~0.1 s.

NO_PHOTO = ("note: no photo is set and Pillow (a dependency of scholarfolio) is not "
            "installed, so link previews of the pages show no picture; set photo: in "
            "site.yaml (a square picture of at least 200 px), or pip install pillow for a "
            "card of the site's title")
NO_SITE_URL = (
    "note: base_url is {base}, a path: pages get no canonical or Open Graph URL, sitemap.xml "
    "or feed;\nset it to the address, e.g. https://user.github.io/repo/ (the GitHub "
    "Pages workflow does)."
)


@dataclass(frozen=True)
class BuildResult:
    config: SiteConfig
    profile: Profile | None  # None when the build was skipped: nothing had changed
    model: SiteModel | None
    files: Mapping[str, bytes]  # every output file: in memory, or read from the output
    pages: int  # HTML pages written
    changed: int  # files whose bytes differ from the previous build
    seconds: float
    warnings: tuple[Problem, ...]
    notes: tuple[str, ...] = ()  # things worth knowing about the settings, said once a build
    # and each merge of two records into one paper ("b.bib:12: note: merged with a.bib:4 (...)")
    sources: str = ""  # how many papers each source gave, and how many were merged


class OutputFiles(Mapping[str, bytes]):
    """The files of a build read from its output folder when asked for, for builds that
    keep no bytes in memory (see `build`)."""

    def __init__(self, folder: Path, paths: Iterable[str]) -> None:
        self.folder = folder
        self.paths = sorted(paths)

    def __getitem__(self, path: str) -> bytes:
        if path not in self.paths:
            raise KeyError(path)
        return (self.folder / path).read_bytes()

    def __iter__(self) -> Iterator[str]:
        return iter(self.paths)

    def __len__(self) -> int:
        return len(self.paths)


def display_path(path: Path) -> str:
    """A path relative to the working folder when it is inside it, for messages."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve())) or "."
    except ValueError:
        return str(path)


def load_site(
    root: Path | str, overrides: dict[str, Any] | None = None,
    entries: Reuse | None = None,
) -> tuple[SiteConfig, Profile, list[Problem]]:
    """Settings and parsed profile of the site in `root`; `entries` keeps what one parse
    made for the next (the dev server's)."""
    config = load_config(root, overrides)
    profile, warnings = read_site_profile(config, entries)
    return config, profile, warnings


def read_site_profile(config: SiteConfig, entries: Reuse | None = None
                      ) -> tuple[Profile, list[Problem]]:
    """The site's papers from all its sources, and their warnings (see `gather_site`)."""
    gathered = gather_site(config, entries)
    return gathered.profile, gathered.warnings


def gather_site(config: SiteConfig, entries: Reuse | None = None) -> Gathered:
    """The site's papers from the profile and the bibliographies in content/, merged
    (sources/), read against the site's as-of date: only here is the clock read, and
    only when `as_of` is not set."""
    from .sources import gather

    as_of = config.as_of or dt.date.today()
    required = config.profile != config.root / SETTINGS["profile"].default  # site.yaml's
    return gather(config.profile, config.root / "content", as_of, display_path,
                  config.name, required, entries, config.public_fields)


def render_site(
    config: SiteConfig, profile: Profile, extras: dict[str, dict[str, Any]] | None = None
) -> tuple[SiteModel, dict[str, bytes]]:
    """Every output file of the site, in memory: relative path -> bytes. `extras` holds
    per-paper fields by slug (names of paperfields.PaperFields), over those of
    content/papers/ (see model.SiteContent)."""
    from .render.environment import make_environment
    from .render.pages import render_routes

    theme = load_theme(config.theme, config.root)
    env = make_environment(config.root / "templates", theme, language=config.language)
    model, statics = assemble_site(config, profile, theme, extras)
    files = render_routes(env, model)
    files.update((path, source.read_bytes()) for path, source in statics.items())
    return model, files


def _publishing_without_address(config: SiteConfig) -> bool:
    """A site about to be published without its address: base_url is a path, and the build
    runs on CI (`CI` or `GITHUB_ACTIONS` set, as on every CI service) or base_url is a path
    other than `/` (where it will be served). A local build at `/` is a preview: no note."""
    if config.site_url is not None:
        return False
    on_ci = any(os.environ.get(name, "").lower() not in ("", "0", "false")
                for name in ("CI", "GITHUB_ACTIONS"))
    return on_ci or config.base_url != "/"


def _needs_card(config: SiteConfig) -> bool:
    """Link previews of a site with an address but no photo show a card drawn of the site
    (with Pillow installed; card.py)."""
    return config.site_url is not None and config.photo is None


def _unknown_students(config: SiteConfig, profile: Profile,
                      fields: Mapping[str, PaperFields]) -> list[Problem]:
    """A warning at each name of site.yaml's `students:` that is no author of any paper:
    no one would be marked a student."""
    if not config.students:
        return []
    from .content.papers import name_warnings, unmatched
    from .text import visible

    authors = [visible(name.text) for paper in profile.papers for name in paper.authors]
    authors += [name for extra in fields.values() for name in extra.authors]
    if not unmatched(config.students, authors):
        return []  # site.yaml is read again for its places only when there is a warning
    return name_warnings(display_path(config.root / CONFIG_NAME),
                         setting_positions(config.root), "students", config.students, authors,
                         "of any paper, so no one is marked a student",
                         "expected a name as the author lists write it")


def assemble_site(
    config: SiteConfig,
    profile: Profile,
    theme: Theme,
    extras: dict[str, dict[str, Any]] | None = None,
    views: Reuse | None = None,
    warnings: list[Problem] | None = None,
) -> tuple[SiteModel, dict[str, Path]]:
    """The one path from records to a laid-out site, shared by `build` and `serve`: read
    the pages and per-paper files of content/ and lay out the model. Returns the model and
    the files to copy as they are (output path -> source): the theme's and the site's
    static files and the photo. `extras` (as render_site's) are set over the fields of
    content/papers/; `views` keeps paper views from one build to the next; `warnings`
    gets content/'s (a per-paper file taken for a retitled paper)."""
    from .content import SiteMarkdown, load_content
    from .content.synced import load_synced
    from .model import SiteContent, build_model
    from .paperfields import NO_FIELDS

    content = load_content(config.root, profile.papers, display_path,
                           SiteMarkdown(config.raw_html, config.base_path))
    if warnings is not None:
        warnings += content.warnings
        warnings += _unknown_students(config, profile, content.papers)
        note = fallback_warning(config.language, display_path(config.root / CONFIG_NAME),
                                lambda: setting_positions(config.root).get("language="))
        if note is not None:
            warnings.append(note)
    merged = dict(content.papers)
    for slug, values in (extras or {}).items():  # (a misspelt field is a TypeError)
        merged[slug] = replace(merged.get(slug, NO_FIELDS), **values)
    photo_name = f"photo{config.photo.suffix.lower()}" if config.photo else None
    drawn = _needs_card(config) and card_available()
    synced = load_synced(config.root / "content", display_path)
    model = build_model(config, profile, SiteContent(content.pages, content.news, content.cv,
                                                     merged, photo_name, CARD if drawn else None,
                                                     content.items, synced),
                        views)
    statics: dict[str, Path] = {}
    cname = config.root / "static" / CNAME  # read as the domain: the model writes CNAME
    site_static = config.root / "static"
    layers = [*reversed(theme.static_dirs), site_static]
    for folder in layers:  # later folders override earlier ones
        for path in files_under(folder, display_path(folder)):
            if path.is_file() and not path.name.startswith(".") and path != cname:
                statics["assets/" + path.relative_to(folder).as_posix()] = path
    _check_overrides(statics, layers)
    # Nothing from outside the site folder (a theme's: or the built-in themes) is copied.
    leaks = outside([p for p in statics.values() if p.is_relative_to(site_static)],
                    config.root, display_path)
    leaks += outside([p for p in statics.values() if not p.is_relative_to(site_static)],
                     theme_roots(config.root), display_path)
    if leaks:
        raise SiteError(leaks)
    if config.photo and photo_name:
        statics["assets/" + photo_name] = config.photo
    if drawn:
        statics["assets/" + CARD] = make_card(
            model.site.title, model.site.description, config.settings.get("accent"),
            (config.site_url or "").split("://", 1)[-1].rstrip("/"))
    statics.update(content.paper_files)  # the files per-paper files name, beside their pages
    return model, statics


def _check_overrides(statics: dict[str, Path], layers: list[Path]) -> None:
    """A static file of one layer (a theme, its parents, the site's static/) where another
    layer has a folder: an error at the later layer's path, which meant to replace the
    earlier one's and would be lost."""
    def layer(path: Path) -> Path:
        return next(folder for folder in reversed(layers) if path.is_relative_to(folder))

    for name, path in statics.items():
        parts = name.split("/")[1:-1]  # the folders above the file, below assets/
        for depth in range(1, len(parts) + 1):
            relative = "/".join(parts[:depth])
            other = statics.get("assets/" + relative)
            if other is None:
                continue
            folder, file = layer(path) / relative, other  # the folder holding `path`
            later, earlier, what = ((folder, file, "a folder, expected a file")
                                    if layers.index(layer(path)) > layers.index(layer(other))
                                    else (file, folder, "a file, expected a folder"))
            raise SiteError([Problem(display_path(later), 1, 1, f"cannot read ({what}, as "
                                     f"{display_path(earlier)} is)")])


def build(root: Path | str = ".", overrides: dict[str, Any] | None = None,
          keep_files: bool = True, jobs: int | None = None) -> BuildResult:
    """Build the site in `root` into its output folder. With `keep_files` the result holds
    every file's bytes; without (the command line), files are written as they are rendered,
    over `jobs` processes for a large site (default: one per core), and read back from
    the output when asked,
    and a build whose inputs did not change since the last one stops early (buildcache.py)."""
    started = time.perf_counter()
    config = load_config(root, overrides)
    protected = [config.root / name for name in ("content", "templates", "themes", "static")]
    if config.profile.parent != config.root:
        protected.append(config.profile.parent)
    check_output_folder(config.output, config.root, protected)
    # Before reading the profile, so that even a build that fails puts back a previous site
    # that a killed build had taken away (see output.clean_leftovers).
    clean_leftovers(config.output)
    theme = load_theme(config.theme, config.root)
    notes = tuple(note for note in (
        NO_SITE_URL.format(base=config.base_url) if _publishing_without_address(config)
        else None,
        config.domain_note,
        NO_PHOTO if _needs_card(config) and not card_available() else None,
    ) if note)
    digest = buildcache.inputs_digest(config, theme) if not keep_files else ""
    done = buildcache.unchanged_build(config, digest) if digest else None
    if done is not None:  # same inputs, untouched output: nothing to do
        paths, warnings, summary, merges = done
        return BuildResult(config, None, None, OutputFiles(config.output, paths),
                           sum(1 for name in paths if name.endswith(".html")), 0,
                           time.perf_counter() - started, tuple(warnings),
                           notes + tuple(merges), summary)
    from .render.environment import make_environment
    from .render.parallel import stage_routes

    gathered = gather_site(config)
    profile, warnings = gathered.profile, gathered.warnings
    env = make_environment(config.root / "templates", theme, language=config.language)
    model, statics = assemble_site(config, profile, theme, warnings=warnings)
    kept: dict[str, bytes] | None = {} if keep_files else None
    with Staging(config.output) as staging:
        stage_routes(env, model, staging, kept, jobs)
        copies = [(path, source.read_bytes()) for path, source in statics.items()]
        staging.put_all(copies)
        staging.commit()
    if kept is not None:
        kept.update(copies)
    files = kept if kept is not None else OutputFiles(config.output, staging.paths)
    pages = sum(1 for name in staging.paths if name.endswith(".html"))
    if digest:
        buildcache.save_build(config, digest, staging.paths, warnings, staging.written_files(),
                              gathered.summary, gathered.merges)
    return BuildResult(
        config,
        profile,
        model,
        files,
        pages,
        len(staging.changed),
        time.perf_counter() - started,
        tuple(warnings),
        notes + gathered.merges,
        gathered.summary,
    )
