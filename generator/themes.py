"""Find themes: the built-in ones shipped in the package and any in the site's `themes/`.

A theme is a folder with `theme.yaml`, `templates/` and `static/`; `extends: other`
in `theme.yaml` makes it fall back to another theme for whatever it lacks, and
`settings:` declares the theme's settings with their defaults (a child's over its parent's).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError, Problem

_PACKAGE_THEMES = Path(__file__).resolve().parent / "themes"  # inside an installed wheel
_SOURCE_THEMES = Path(__file__).resolve().parent.parent / "themes"  # in a source checkout


def builtin_themes_dir() -> Path:
    """Where the themes shipped with scholarfolio live."""
    return _PACKAGE_THEMES if _PACKAGE_THEMES.is_dir() else _SOURCE_THEMES


def _theme_roots(site_root: Path) -> list[Path]:
    roots = [site_root / "themes", builtin_themes_dir()]
    unique: list[Path] = []
    for root in roots:
        if root.is_dir() and root.resolve() not in [u.resolve() for u in unique]:
            unique.append(root)
    return unique


def available_themes(site_root: Path) -> list[str]:
    """Names of every theme the site can use, sorted."""
    names = {
        child.name
        for root in _theme_roots(site_root)
        for child in root.iterdir()
        if (child / "theme.yaml").is_file()
    }
    return sorted(names)


@dataclass(frozen=True)
class Theme:
    """A resolved theme: its name and its folders, the theme first, then its parents."""

    name: str
    folders: tuple[Path, ...]
    settings: tuple[tuple[str, Any], ...] = ()  # declared settings and their defaults

    @property
    def template_dirs(self) -> list[Path]:
        return [folder / "templates" for folder in self.folders]

    @property
    def static_dirs(self) -> list[Path]:
        return [folder / "static" for folder in self.folders]


def load_theme(name: str, site_root: Path) -> Theme:
    """Resolve a theme and its `extends:` chain; errors name the theme.yaml at fault."""
    folders: list[Path] = []
    layers: list[dict[str, Any]] = []
    current: str | None = name
    while current is not None:
        folder = _find(current, site_root)
        if folder is None:
            raise ConfigError(
                f"theme '{current}' not found; available: {', '.join(available_themes(site_root))}"
            )
        if folder in folders:
            raise ConfigError(f"{folder / 'theme.yaml'}: 'extends' makes a loop of themes")
        folders.append(folder)
        current, declared = _read(folder)
        layers.append(declared)
    settings: dict[str, Any] = {}
    for declared in reversed(layers):  # the parent first; a child changes its defaults
        settings.update(declared)
    return Theme(name, tuple(folders), tuple(settings.items()))


def _find(name: str, site_root: Path) -> Path | None:
    for root in _theme_roots(site_root):
        if (root / name / "theme.yaml").is_file():
            return (root / name).resolve()
    return None


def _read(folder: Path) -> tuple[str | None, dict[str, Any]]:
    """The parent a theme.yaml names and the settings it declares."""
    path = folder / "theme.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise ConfigError(Problem(str(path), line, col, f"not valid YAML: {exc}")) from None
    if not isinstance(data, dict):
        raise ConfigError(Problem(str(path), 1, 1, "expected 'key: value' settings"))
    parent = data.get("extends")
    settings = data.get("settings") or {}
    if not isinstance(settings, dict):
        raise ConfigError(Problem(str(path), 1, 1, "expected 'settings:' as 'name: default' lines"))
    return (str(parent) if parent else None), {str(k): v for k, v in settings.items()}
