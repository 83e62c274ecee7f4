"""Loading `site.yaml`: its text read with positions (yamlfile.py), command-line
overrides put over it, each value checked by its setting's checker (table.py, checks.py),
then what other files say: the theme's settings (theme_settings.py) and a `static/CNAME`
(cname.py). Every problem is reported with `site.yaml:line:col`, all of them at once;
unknown keys get a did-you-mean. A folder with no `site.yaml` builds with the defaults.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import ConfigError, Problem, did_you_mean
from ..yamlfile import Positions, read_mapping, read_text
from .checks import Invalid, InvalidLinks
from .cname import CNAME, cname_domain
from .table import CONFIG_NAME, SETTINGS, SiteConfig
from .theme_settings import resolve_theme_settings


def load_config(root: Path | str, overrides: dict[str, Any] | None = None) -> SiteConfig:
    """Read `root/site.yaml` (if any), apply command-line overrides, validate everything."""
    root = Path(root).resolve()
    path = root / CONFIG_NAME
    shown = _display(path)
    values: dict[str, Any] = {}
    positions: Positions = {}
    problems: list[Problem] = []
    if path.exists():
        text = read_text(path, shown, problems)
        if text is None:
            raise ConfigError(problems)
        values, positions = read_mapping(
            text, shown, problems, expected="expected settings as 'key: value' lines"
        ) or ({}, {})
    for key, value in (overrides or {}).items():
        if value is not None:
            values[key] = value
            positions.pop(key, None)
    config = _validate(root, values, positions, shown, problems)
    if problems:
        raise ConfigError(sorted(problems, key=lambda p: (p.line, p.col)))
    return config


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _validate(root, values, positions, shown, problems) -> SiteConfig:
    def problem(key: str, message: str, at_value: bool = True) -> None:
        pos = positions.get(f"{key}=" if at_value else key) or positions.get(key)
        if pos is None:  # came from the command line
            problems.append(Problem(shown, 1, 1, f"{key}: {message}"))
        else:
            problems.append(Problem(shown, pos[0], pos[1], message, pos[2]))

    result: dict[str, Any] = {}
    for key, value in values.items():
        if key not in SETTINGS:
            hint = did_you_mean(key, SETTINGS)
            problem(
                key, f"unknown setting '{key}'{hint} (known: {', '.join(SETTINGS)})", at_value=False
            )
            continue
        try:
            result[key] = SETTINGS[key].check(value, root)
        except Invalid as exc:
            problem(key, f"'{key}' {exc}")
        except InvalidLinks as exc:
            for sub_key, message in exc.items:
                problem(f"{key}.{sub_key}", message, at_value=not message.startswith("unknown"))
    if "theme" in result or "theme" not in values:  # a theme that is not found is reported
        result["theme_settings"] = resolve_theme_settings(
            root, result.get("theme", SETTINGS["theme"].default),
            result.pop("theme_settings", {}), problem, problems)
    cname = cname_domain(root, problems)
    if cname is not None:
        if "domain" not in values:
            result["domain"] = cname
        elif result.get("domain") not in (None, cname):
            problem("domain", f"'domain' is {result['domain']}, but static/{CNAME} says "
                    f"{cname}; keep one of them")
    if result.get("domain") and "base_url" not in values:
        result["base_url"] = f"https://{result['domain']}/"
    for item in SETTINGS.values():  # a path is relative to the site
        if isinstance(item.default, Path) and item.name not in result:
            result[item.name] = root / item.default
    return SiteConfig(root=root, **result)


def setting_positions(root: Path) -> Positions:
    """The places of site.yaml's keys and values, read again as `load_config` reads them:
    for a warning about a setting that only the papers show (`students:`)."""
    path, problems = Path(root) / CONFIG_NAME, []
    text = read_text(path, str(path), problems) if path.is_file() else None
    found = read_mapping(text, str(path), problems) if text is not None else None
    return found[1] if found else {}
