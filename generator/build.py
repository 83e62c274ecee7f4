"""`build`: settings and profile in, a complete static site out. Reads like a recipe:
gather every record first, then lay out routes, render, and write."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import SiteConfig, load_config
from .content import load_content
from .errors import Problem
from .output import check_output_folder, clean_leftovers, write_site
from .profile import read_profile_with_warnings
from .records import Profile
from .render import make_environment, render_routes
from .site import SiteModel, build_model
from .themes import Theme, load_theme

NO_SITE_URL = (
    "note: base_url is the path {base}, not the site's address, so pages carry no canonical "
    "or Open Graph URL and there is no sitemap.xml or Atom feed; set base_url to the full "
    "URL, e.g. https://user.github.io/repo/ (the GitHub Pages workflow passes it with "
    "--base-url)"
)


@dataclass(frozen=True)
class BuildResult:
    config: SiteConfig
    profile: Profile
    model: SiteModel
    files: dict[str, bytes]
    pages: int  # HTML pages written
    changed: int  # files whose bytes differ from the previous build
    seconds: float
    warnings: tuple[Problem, ...]
    notes: tuple[str, ...] = ()  # things worth knowing about the settings, said once a build


def display_path(path: Path) -> str:
    """A path relative to the working folder when it is inside it, for messages."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve())) or "."
    except ValueError:
        return str(path)


def load_site(
    root: Path | str, overrides: dict[str, Any] | None = None
) -> tuple[SiteConfig, Profile, list[Problem]]:
    """Settings and parsed profile of the site in `root`."""
    config = load_config(root, overrides)
    profile, warnings = read_site_profile(config)
    return config, profile, warnings


def read_site_profile(config: SiteConfig) -> tuple[Profile, list[Problem]]:
    """The site's parsed profile and its warnings, read against the site's as-of date."""
    as_of = config.as_of or dt.date.today()
    return read_profile_with_warnings(config.profile, as_of, display_path(config.profile))


def render_site(
    config: SiteConfig, profile: Profile, extras: dict[str, dict[str, Any]] | None = None
) -> tuple[SiteModel, dict[str, bytes]]:
    """Every output file of the site, in memory: relative path -> bytes. `extras` holds
    per-paper settings by slug, over those of content/papers/ (see site.build_model)."""
    theme = load_theme(config.theme, config.root)
    env = make_environment(config.root / "templates", theme)
    return assemble_site(config, profile, theme, lambda model: render_routes(env, model), extras)


def assemble_site(
    config: SiteConfig,
    profile: Profile,
    theme: Theme,
    render: Callable[[SiteModel], dict[str, bytes]],
    extras: dict[str, dict[str, Any]] | None = None,
) -> tuple[SiteModel, dict[str, bytes]]:
    """The one path from records to files, shared by `build` and `serve`: read the pages
    and per-paper files of content/, lay out the model, `render` its routes, add assets."""
    content = load_content(config.root, (p.slug for p in profile.papers), display_path)
    merged: dict[str, dict[str, Any]] = {
        slug: {**dict(notes.fields), "notes": notes.html} for slug, notes in content.papers.items()
    }
    for slug, values in (extras or {}).items():
        merged[slug] = {**merged.get(slug, {}), **values}
    photo_name = f"photo{config.photo.suffix.lower()}" if config.photo else None
    model = build_model(config, profile, photo_name, merged, content.pages)
    files = render(model)
    static_dirs = [*reversed(theme.static_dirs), config.root / "static"]
    for folder in static_dirs:  # later folders override earlier ones
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    files["assets/" + path.relative_to(folder).as_posix()] = path.read_bytes()
    if config.photo and photo_name:
        files["assets/" + photo_name] = config.photo.read_bytes()
    return model, files


def build(root: Path | str = ".", overrides: dict[str, Any] | None = None) -> BuildResult:
    """Build the site in `root` into its output folder."""
    started = time.perf_counter()
    config = load_config(root, overrides)
    protected = [config.root / name for name in ("content", "templates", "themes", "static")]
    if config.profile.parent != config.root:
        protected.append(config.profile.parent)
    check_output_folder(config.output, config.root, protected)
    # Before reading the profile, so that even a build that fails puts back a previous site
    # that a killed build had taken away (see output.clean_leftovers).
    clean_leftovers(config.output)
    profile, warnings = read_site_profile(config)
    model, files = render_site(config, profile)
    changed = write_site(files, config.output)
    pages = sum(1 for name in files if name.endswith(".html"))
    notes = () if config.site_url else (NO_SITE_URL.format(base=config.base_url),)
    return BuildResult(
        config,
        profile,
        model,
        files,
        pages,
        changed,
        time.perf_counter() - started,
        tuple(warnings),
        notes,
    )
