"""`site.yaml`: the site's settings, validated into a frozen `SiteConfig`.

Every problem is reported with `site.yaml:line:col`, all of them at once;
unknown keys get a did-you-mean. A folder with no `site.yaml` builds with
the defaults.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from .errors import ConfigError, Problem
from .themes import available_themes, load_theme

CONFIG_NAME = "site.yaml"

#: Every setting, with its type and what it is for (shown by errors and docs).
SETTINGS: dict[str, str] = {
    "title": "the site's title (default: the researcher's name)",
    "description": "one sentence about the researcher, for search engines",
    "base_url": "where the site is served, e.g. https://user.github.io/repo/ (default: /)",
    "theme": "the theme to use (default: scholar)",
    "as_of": "the date that dates without a year are read against, YYYY-MM-DD "
    "(default: the day of the build)",
    "output": "the output folder, relative to the site (default: _site)",
    "profile": "the researcher profile, relative to the site (default: content/profile.txt)",
    "language": "the language of the pages, e.g. en (default: en)",
    "bio": "a short biography shown on the home page",
    "photo": "a picture of the researcher: a file path relative to the site",
    "links": "links to elsewhere: scholar, orcid, github, email, website, linkedin, "
    "twitter, bluesky, mastodon",
    "robots": "whether search engines may list the pages: index or noindex (default: index)",
    "theme_settings": "the theme's own settings, as its theme.yaml declares them",
}

ROBOTS = ("index", "noindex")

LINK_KINDS: dict[str, str] = {
    "scholar": "Google Scholar",
    "orcid": "ORCID",
    "github": "GitHub",
    "email": "Email",
    "website": "Website",
    "linkedin": "LinkedIn",
    "twitter": "X (Twitter)",
    "bluesky": "Bluesky",
    "mastodon": "Mastodon",
}


@dataclass(frozen=True)
class Link:
    """A link to the researcher elsewhere: its kind, the label shown, and the URL."""

    kind: str
    label: str
    url: str


@dataclass(frozen=True)
class SiteConfig:
    """Validated settings of one site; paths are absolute."""

    root: Path
    title: str | None = None
    description: str | None = None
    base_url: str = "/"
    theme: str = "scholar"
    as_of: dt.date | None = None
    output: Path = Path("_site")
    profile: Path = Path("content/profile.txt")
    language: str = "en"
    bio: str | None = None
    photo: Path | None = None
    links: tuple[Link, ...] = field(default=())
    robots: str = "index"
    theme_settings: tuple[tuple[str, Any], ...] = ()  # every setting of the theme, resolved

    @property
    def settings(self) -> dict[str, Any]:
        """The theme's settings: its defaults, with site.yaml's theme_settings over them."""
        return dict(self.theme_settings)

    @property
    def base_path(self) -> str:
        """The URL path the site is served under, with leading and trailing slash."""
        return base_path(self.base_url)

    @property
    def site_url(self) -> str | None:
        """The absolute URL of the site, `https://user.github.io/repo/`, when `base_url` is a
        full URL; None when it is only a path, so absolute links cannot be made."""
        return self.base_url if "://" in self.base_url else None

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME


def base_path(base_url: str) -> str:
    """`https://user.github.io/repo/` -> `/repo/`; `/` for a root site."""
    path = urlsplit(base_url).path if "://" in base_url else base_url
    path = "/" + path.strip("/")
    return path if path == "/" else path + "/"


def load_config(root: Path | str, overrides: dict[str, Any] | None = None) -> SiteConfig:
    """Read `root/site.yaml` (if any), apply command-line overrides, validate everything."""
    root = Path(root).resolve()
    path = root / CONFIG_NAME
    shown = _display(path)
    values: dict[str, Any] = {}
    positions: dict[str, tuple[int, int, str]] = {}
    problems: list[Problem] = []
    if path.is_file():
        try:
            text = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError as exc:
            raise ConfigError(
                Problem(
                    shown,
                    1,
                    1,
                    f"not UTF-8 text (byte {exc.start}); expected the file saved as UTF-8",
                )
            ) from None
        values, positions = _read_yaml(text, shown, problems)
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


def _read_yaml(text: str, shown: str, problems: list[Problem]):
    lines = text.splitlines()
    try:
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        if lines and line > len(lines):  # at the end of the file: point after the last line
            line, col = len(lines), len(lines[-1]) + 1
        problem = getattr(exc, "problem", None) or str(exc)
        source = lines[line - 1] if 0 < line <= len(lines) else None
        problems.append(Problem(shown, line, col, f"not valid YAML: {problem}", source))
        return {}, {}
    if data is None:
        return {}, {}
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        problems.append(
            Problem(
                shown, 1, 1, "expected settings as 'key: value' lines", lines[0] if lines else None
            )
        )
        return {}, {}
    positions: dict[str, tuple[int, int, str]] = {}
    for key_node, value_node in node.value:
        key = str(key_node.value)
        mark = key_node.start_mark
        vmark = value_node.start_mark
        positions[key] = (mark.line + 1, mark.column + 1, lines[mark.line])
        positions[f"{key}="] = (
            vmark.line + 1,
            vmark.column + 1,
            lines[vmark.line] if vmark.line < len(lines) else "",
        )
        if isinstance(value_node, yaml.MappingNode):
            for sub_key, sub_value in value_node.value:
                sm, vm = sub_key.start_mark, sub_value.start_mark
                positions[f"{key}.{sub_key.value}"] = (sm.line + 1, sm.column + 1, lines[sm.line])
                positions[f"{key}.{sub_key.value}="] = (vm.line + 1, vm.column + 1, lines[vm.line])
    return {str(k): v for k, v in data.items()}, positions


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
            close = difflib.get_close_matches(key, SETTINGS, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            problem(
                key, f"unknown setting '{key}'{hint} (known: {', '.join(SETTINGS)})", at_value=False
            )
            continue
        checker = _CHECKERS[key]
        try:
            result[key] = checker(value, root)
        except _Invalid as exc:
            problem(key, f"'{key}' {exc}")
        except _InvalidLinks as exc:
            for sub_key, message in exc.items:
                problem(f"{key}.{sub_key}", message, at_value=not message.startswith("unknown"))
    if "theme" in result or "theme" not in values:  # a theme that is not found is reported
        result["theme_settings"] = _resolve_theme_settings(
            root, result.get("theme", "scholar"), result.pop("theme_settings", {}), problem)
    result.setdefault("output", root / "_site")
    result.setdefault("profile", root / "content" / "profile.txt")
    return SiteConfig(root=root, **result)


class _Invalid(Exception):
    pass


class _InvalidLinks(Exception):
    def __init__(self, items: list[tuple[str, str]]):
        super().__init__(items)
        self.items = items


def _text(value: Any, _root: Path) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _Invalid(f"must be text, found {shown_value(value)}")
    return value.strip()


def _base_url(value: Any, root: Path) -> str:
    text = _text(value, root)
    if "://" in text:
        parts = urlsplit(text)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise _Invalid(
                f"must be an http(s) URL such as https://user.github.io/repo/ "
                f"or a path such as /repo/, found {shown_value(value)}"
            )
        if parts.query or parts.fragment:
            raise _Invalid(f"must not have a query or fragment, found {shown_value(value)}")
        return f"{parts.scheme}://{parts.netloc}{base_path(parts.path)}"
    if not text.startswith("/"):
        raise _Invalid(
            f"must be an http(s) URL such as https://user.github.io/repo/ "
            f"or a path starting with /, found {shown_value(value)}"
        )
    return base_path(text)


def _theme(value: Any, root: Path) -> str:
    text = _text(value, root)
    themes = available_themes(root)
    if text not in themes:
        close = difflib.get_close_matches(text, themes, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise _Invalid(
            f"names no theme: {shown_value(value)}; {hint}(available: {', '.join(themes)})"
        )
    return text


def _date(value: Any, _root: Path) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise _Invalid(f"must be a date YYYY-MM-DD, found {shown_value(value)}")


def _relative_path(value: Any, root: Path) -> Path:
    text = _text(value, root)
    return (root / text).resolve()


def _existing_file(value: Any, root: Path) -> Path:
    path = _relative_path(value, root)
    if not path.is_file():
        raise _Invalid(f"names no file: {shown_value(value)} (looked for {path})")
    return path


def _language(value: Any, root: Path) -> str:
    text = _text(value, root)
    if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", text):
        raise _Invalid(f"must be a language tag such as en or pt-BR, found {shown_value(value)}")
    return text


def _robots(value: Any, root: Path) -> str:
    text = _text(value, root)
    if text not in ROBOTS:
        raise _Invalid(f"must be one of {', '.join(ROBOTS)}, found {shown_value(value)}")
    return text


def _mapping(value: Any, _root: Path) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Invalid("must be 'name: value' lines, such as 'accent: \"#1d4ed8\"'")
    return {str(k): v for k, v in value.items()}


def _resolve_theme_settings(root: Path, theme: str, given: dict[str, Any], problem
                            ) -> tuple[tuple[str, Any], ...]:
    """The theme's declared settings with site.yaml's values over them; an unknown name or a
    value of another type than the default's is an error."""
    try:
        declared = dict(load_theme(theme, root).settings)
    except ConfigError as exc:
        problem("theme", str(exc))
        return ()
    for key, value in given.items():
        if key not in declared:
            close = difflib.get_close_matches(key, declared, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            known = ", ".join(declared) or "none"
            problem(f"theme_settings.{key}",
                    f"unknown setting '{key}' of theme '{theme}'{hint} (known: {known})",
                    at_value=False)
        elif type(value) is not type(declared[key]):
            problem(f"theme_settings.{key}", f"theme setting '{key}' must be "
                    f"{_KIND.get(type(declared[key]), 'text')}, found {shown_value(value)}")
        elif key == "accent" and not re.fullmatch(r"#[0-9a-fA-F]{6}", value):
            problem(f"theme_settings.{key}", "theme setting 'accent' must be a colour such as "
                    f"#1d4ed8, found {shown_value(value)}")
        else:
            declared[key] = value
    return tuple(declared.items())


_KIND = {bool: "true or false", int: "a whole number", str: "text"}


def _links(value: Any, _root: Path) -> tuple[Link, ...]:
    if not isinstance(value, dict):
        raise _Invalid("must be a list of 'kind: address' lines, such as 'github: octocat'")
    links: list[Link] = []
    problems: list[tuple[str, str]] = []
    for kind, raw in value.items():
        kind = str(kind)
        if kind not in LINK_KINDS:
            close = difflib.get_close_matches(kind, LINK_KINDS, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            problems.append((kind, f"unknown link '{kind}'{hint} (known: {', '.join(LINK_KINDS)})"))
            continue
        if not isinstance(raw, str) or not raw.strip():
            problems.append((kind, f"link '{kind}' must be text, found {shown_value(raw)}"))
            continue
        url = _link_url(kind, raw.strip())
        if url is None:
            problems.append(
                (
                    kind,
                    f"link '{kind}' must be an http(s) URL"
                    f"{' or an address' if kind == 'email' else ''}, "
                    f"found {shown_value(raw)}",
                )
            )
            continue
        links.append(Link(kind, LINK_KINDS[kind], url))
    if problems:
        raise _InvalidLinks(problems)
    return tuple(links)


def _link_url(kind: str, text: str) -> str | None:
    """A safe URL for a link setting; short forms (a GitHub user, an ORCID iD) expanded."""
    if kind == "email":
        address = text.removeprefix("mailto:")
        if re.fullmatch(r"[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+", address):
            return f"mailto:{address}"
        return None
    if kind == "orcid" and re.fullmatch(r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]", text):
        return f"https://orcid.org/{text}"
    if kind == "github" and re.fullmatch(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})", text):
        return f"https://github.com/{text}"
    parts = urlsplit(text)
    if parts.scheme in ("http", "https") and parts.netloc:
        return text
    return None


def shown_value(value: Any) -> str:
    """A setting's value as error messages quote it: 'text', nothing, or type and value."""
    if isinstance(value, str):
        return f"'{value}'"
    if value is None:
        return "nothing"
    return f"{type(value).__name__} {value!r}"


_CHECKERS = {
    "title": _text,
    "description": _text,
    "base_url": _base_url,
    "theme": _theme,
    "as_of": _date,
    "output": _relative_path,
    "profile": _relative_path,
    "language": _language,
    "bio": _text,
    "photo": _existing_file,
    "links": _links,
    "robots": _robots,
    "theme_settings": _mapping,
}
