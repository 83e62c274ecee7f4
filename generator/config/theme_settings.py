"""The theme's settings: those its theme.yaml declares (themes.py), with site.yaml's
`theme_settings:` over them, each checked against the type of the theme's default."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import ConfigError, Problem, did_you_mean
from ..themes import COLOUR, SETTING_KINDS, load_theme
from .checks import shown_value


def resolve_theme_settings(root: Path, theme: str, given: dict[str, Any],
                           problem: Callable[..., None], problems: list[Problem]
                           ) -> tuple[tuple[str, Any], ...]:
    """The theme's declared settings with site.yaml's values over them; an unknown name or a
    value of another type than the default's is an error, reported through `problem`
    (key, message, at_value) as loading.py reports site.yaml's. A theme.yaml's own
    problems are added to `problems` as they are, at their places in that file."""
    try:
        declared = dict(load_theme(theme, root).settings)
    except ConfigError as exc:
        if exc.problems:  # at their places in a theme.yaml
            problems.extend(exc.problems)
        else:
            problem("theme", str(exc))
        return ()
    for key, value in given.items():
        if key not in declared:
            hint = did_you_mean(key, declared)
            known = ", ".join(declared) or "none"
            problem(f"theme_settings.{key}",
                    f"unknown setting '{key}' of theme '{theme}'{hint} (known: {known})",
                    at_value=False)
        elif type(value) is not type(declared[key]):
            problem(f"theme_settings.{key}", f"theme setting '{key}' must be "
                    f"{SETTING_KINDS.get(type(declared[key]), 'text')}, found {shown_value(value)}")
        elif key == "accent" and not COLOUR.fullmatch(value):
            problem(f"theme_settings.{key}", "theme setting 'accent' must be a colour such as "
                    f"#1d4ed8, found {shown_value(value)}")
        else:
            declared[key] = value
    return tuple(declared.items())

