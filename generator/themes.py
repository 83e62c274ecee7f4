"""Find themes: the built-in ones shipped in the package and any in the site's `themes/`.

A theme is a folder with `theme.yaml`, `templates/` and `static/`; `extends: other`
in `theme.yaml` makes it fall back to another theme for whatever it lacks, and
`settings:` declares the theme's settings with their defaults (a child's over its parent's).
`theme.yaml` is read by yamlfile.py, as `site.yaml` is, so its problems name
`theme.yaml:line:col`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from .containment import Outside, inside
from .errors import ConfigError, Problem
from .listing import is_folder, names
from .yamlfile import read_mapping, read_text

_PACKAGE_THEMES = Path(__file__).resolve().parent / "themes"  # inside an installed wheel
_SOURCE_THEMES = Path(__file__).resolve().parent.parent / "themes"  # in a source checkout


def builtin_themes_dir() -> Path:
    """Where the themes shipped with scholarfolio live."""
    return _PACKAGE_THEMES if _PACKAGE_THEMES.is_dir() else _SOURCE_THEMES


def _theme_roots(site_root: Path) -> list[Path]:
    roots = [site_root / "themes", builtin_themes_dir()]
    unique: list[Path] = []
    for root in roots:
        if is_folder(root, str(root)) and root.resolve() not in [u.resolve() for u in unique]:
            unique.append(root)
    return unique


def theme_roots(site_root: Path) -> list[Path]:
    """Where a theme's files may lie (containment.py): inside the site folder, or inside
    the built-in themes."""
    return [site_root, builtin_themes_dir()]


def available_themes(site_root: Path) -> list[str]:
    """Names of every theme the site can use, sorted."""
    found = {
        name
        for root in _theme_roots(site_root)
        for name in names(root, str(root))
        if (root / name / "theme.yaml").is_file()
    }
    return sorted(found)


class Theme(NamedTuple):
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
    layers: list[tuple[dict[str, Any], Callable[[str, str], Problem]]] = []
    current: str | None = name
    while current is not None:
        folder = _find(current, site_root)
        known = ", ".join(available_themes(site_root))
        if folder is None and layers:  # named by the last theme.yaml read
            raise ConfigError([layers[-1][1]("extends", f"'extends' names no theme: "
                                             f"'{current}' (available: {known})")])
        if folder is None:
            raise ConfigError(f"theme '{current}' not found; available: {known}")
        if folder in folders:
            raise ConfigError(f"{folder / 'theme.yaml'}: 'extends' makes a loop of themes")
        folders.append(folder)
        for part in ("templates", "static"):  # a file in their place is no empty folder
            is_folder(folder / part, str(folder / part))
        current, declared, at = _read(folder)
        layers.append((declared, at))
    settings: dict[str, Any] = {}
    problems = []
    for declared, at in reversed(layers):  # the parent first; a child changes its defaults
        for key, value in declared.items():
            if key in settings and type(value) is not type(settings[key]):
                problems.append(at(f"settings.{key}", f"theme setting '{key}' must be "
                                   f"{SETTING_KINDS[type(settings[key])]}, as its parent "
                                   f"theme's is; found {_shown(value)}"))
        settings.update(declared)
    if problems:
        raise ConfigError(problems)
    return Theme(name, tuple(folders), tuple(settings.items()))


def _find(name: str, site_root: Path) -> Path | None:
    """The theme's folder, refused when it leads outside the site folder and the
    built-in themes (a symlink in the site's themes/)."""
    for root in _theme_roots(site_root):
        if (root / name).exists() and not (root / name).is_dir():
            raise ConfigError(f"{root / name}: cannot read (a file, expected the folder of "
                              f"the theme '{name}')")
        if (root / name / "theme.yaml").is_file():
            try:
                inside(root / name / "theme.yaml", theme_roots(site_root))
                return inside(root / name, theme_roots(site_root))
            except Outside as exc:
                raise ConfigError(f"{root / name}: {exc}") from None
    return None


def _read(folder: Path
          ) -> tuple[str | None, dict[str, Any], Callable[[str, str], Problem]]:
    """The parent a theme.yaml names, the settings it declares (each true or false, a
    whole number or text; `accent` a colour), and what makes a problem at a setting's
    value; every problem of the file raised at once, at its line and column."""
    path = folder / "theme.yaml"
    shown = str(path)
    problems: list[Problem] = []
    text = read_text(path, shown, problems)
    found = None if text is None else read_mapping(
        text, shown, problems,
        expected="expected 'key: value' lines, such as 'extends: scholar' and 'settings:'")
    if found is None:
        raise ConfigError(problems)
    data, positions = found

    def at(key: str, message: str) -> Problem:  # at the value of `key` (`settings.x`)
        line, col, source = positions[f"{key}="]
        return Problem(shown, line, col, message, source)

    def problem(key: str, message: str) -> None:
        problems.append(at(key, message))

    parent = data.get("extends")
    if parent is not None and not (isinstance(parent, str) and parent.strip()):
        problem("extends", f"'extends' must name a theme, such as 'extends: scholar', found "
                f"{_shown(parent)}")
    settings = data.get("settings") or {}
    if not isinstance(settings, dict):
        problem("settings", "'settings' must be 'name: default' lines, such as "
                f"'accent: \"#1d4ed8\"', found {_shown(settings)}")
        settings = {}
    for key, value in settings.items():
        if type(value) not in SETTING_KINDS:
            problem(f"settings.{key}", f"theme setting '{key}' must be true or false, a "
                    f"whole number or text, found {_shown(value)}")
        elif key == "accent" and not (isinstance(value, str) and COLOUR.fullmatch(value)):
            problem(f"settings.{key}", "theme setting 'accent' must be a colour such as "
                    f"\"#1d4ed8\", found {_shown(value)}")
    if problems:
        raise ConfigError(problems)
    return ((parent.strip() if parent else None), {str(k): v for k, v in settings.items()},
            at)


#: What a theme setting may be (site.yaml's value must be of its default's type), in words.
SETTING_KINDS = {bool: "true or false", int: "a whole number", str: "text"}
COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def _shown(value: Any) -> str:
    """A value as a message quotes it: a list or mapping by its kind, else type and value."""
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "'name: value' lines"
    return f"{type(value).__name__} {value!r}"
