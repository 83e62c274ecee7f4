"""`site.yaml`: the site's settings, validated into a frozen `SiteConfig`.

`SiteConfig` is the table of settings: each field is one setting, declared once with its
type, default, checker and one-line doc (`setting(...)`). Validation, the unknown-key
message, the README's list and the commented `site.yaml` that `init` writes (both made by
`python -m generator.settings`) all come from it.

Every problem is reported with `site.yaml:line:col`, all of them at once;
unknown keys get a did-you-mean. A folder with no `site.yaml` builds with
the defaults.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .errors import ConfigError, Problem, did_you_mean
from .themes import available_themes, load_theme
from .yamlfile import Positions, read_mapping, read_text

CONFIG_NAME = "site.yaml"
CNAME = "CNAME"  # the file that names a GitHub Pages site's custom domain

ROBOTS = ("index", "noindex")
GROUPS = ("year", "type")  # group_by: how the home page groups papers

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


def base_path(base_url: str) -> str:
    """`https://user.github.io/repo/` -> `/repo/`; `/` for a root site."""
    path = urlsplit(base_url).path if "://" in base_url else base_url
    path = "/" + path.strip("/")
    return path if path == "/" else path + "/"


def shown_value(value: Any) -> str:
    """A setting's value as error messages quote it: 'text', nothing, or type and value."""
    if isinstance(value, str):
        return f"'{value}'"
    if value is None:
        return "nothing"
    return f"{type(value).__name__} {value!r}"


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


_HOST = re.compile(r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9]")


def _domain(value: Any, root: Path) -> str:
    text = _text(value, root).lower().rstrip(".")
    if _HOST.fullmatch(text):
        return text
    host = urlsplit(text if "://" in text else "//" + text).hostname or ""
    hint = f"; write the host alone: {host}" if host and _HOST.fullmatch(host) else ""
    raise _Invalid(f"must be a host name such as www.example.org, found "
                   f"{shown_value(value)}{hint}")


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


def _metrics(value: Any, _root: Path) -> tuple[tuple[str, int | float | str], ...]:
    if not isinstance(value, dict) or not value:
        raise _Invalid("must be 'name: value' lines, such as 'citations: 1204'")
    found = []
    for label, number in value.items():
        if isinstance(number, bool) or not isinstance(number, (int, float, str)):
            raise _Invalid(f"'{label}' must be a number or text, found {shown_value(number)}")
        found.append((str(label), number))
    return tuple(found)


def _aliases(value: Any, _root: Path) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items or not all(
            isinstance(item, str) and item.strip() for item in items):
        raise _Invalid("must be a list of names, such as '- S. M. A. Eslami', found "
                       f"{shown_value(value)}")
    return tuple(item.strip() for item in items)


def _coauthors(value: Any, _root: Path) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict) or not value:
        raise _Invalid("must be 'name: address' lines, such as "
                       "'Ada Lovelace: https://example.org/ada'")
    found = []
    for name, url in value.items():
        parts = urlsplit(url) if isinstance(url, str) else None
        if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
            raise _Invalid(f"'{name}' must be an http(s) address, found {shown_value(url)}")
        found.append((str(name).strip(), url.strip()))
    return tuple(found)


def _group_by(value: Any, root: Path) -> str:
    text = _text(value, root)
    if text not in GROUPS:
        raise _Invalid(f"must be one of {', '.join(GROUPS)}, found {shown_value(value)}")
    return text


def _links(value: Any, _root: Path) -> tuple[Link, ...]:
    if not isinstance(value, dict):
        raise _Invalid("must be a list of 'kind: address' lines, such as 'github: octocat'")
    links: list[Link] = []
    problems: list[tuple[str, str]] = []
    for kind, raw in value.items():
        kind = str(kind)
        if kind not in LINK_KINDS:
            hint = did_you_mean(kind, LINK_KINDS)
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



Checker = Callable[[Any, Path], Any]


@dataclass(frozen=True)
class Setting:
    """One setting of `site.yaml`, as `SiteConfig` declares it."""

    name: str
    type: str  # the field's annotation, as written
    default: Any  # a path is relative to the site
    doc: str  # one line: what it is for
    check: Checker  # the value in site.yaml -> the value in SiteConfig, or raises _Invalid
    default_doc: str  # the default in words, for the README and site.yaml
    example: str | None  # YAML after 'name:' that site.yaml shows; None: the default
    notes: str  # more for site.yaml's comment, after the doc


def setting(default: Any, check: Checker, doc: str, *, default_doc: str | None = None,
            example: str | None = None, notes: str = "") -> Any:
    """A field of `SiteConfig` that is a setting of site.yaml (see `Setting`)."""
    return field(default=default, metadata={"setting": (doc, check, default_doc, example, notes)})


_EXAMPLE_LINKS = {"scholar": "https://scholar.google.com/citations?user=XXXX",
                  "orcid": "0000-0002-1825-0097", "github": "octocat",
                  "email": "someone@example.org", "website": "https://example.org/"}


@dataclass(frozen=True)
class SiteConfig:
    """Validated settings of one site; paths are absolute. Every field after `root` is a
    setting of site.yaml, in the order the README and `init` show them."""

    root: Path
    title: str | None = setting(
        None, _text, "the site's title, in the header and the browser's tab",
        default_doc="the researcher's name, from the profile", example="@TITLE@")
    name: str | None = setting(
        None, _text, "the researcher's name, as the header shows it: needed when no "
        "profile gives it (a site of BibTeX or CSL-JSON files alone)",
        default_doc="the profile's first line", example="Ada Lovelace")
    aliases: tuple[str, ...] = setting(
        (), _aliases, "other spellings of the researcher's name in author lists, shown in "
        "bold as the name itself is", example="\n  - S. M. A. Eslami\n  - Ali Eslami")
    coauthors: tuple[tuple[str, str], ...] = setting(
        (), _coauthors, "co-authors' pages: a name as the author lists write it, and the "
        "address its name links to", example="\n  Danilo J. Rezende: https://example.org/")
    metrics: tuple[tuple[str, int | float | str], ...] = setting(
        (), _metrics, "the headline numbers the header shows, when no profile gives them "
        "(h-index, citations, papers, or any other label)",
        default_doc="the profile's", example="\n  h-index: 13\n  citations: 1204")
    description: str | None = setting(
        None, _text, "one sentence about the researcher, for search engines and link previews",
        default_doc='"<name>: <N> papers in <primary category>."',
        example="Research on generative models and scene understanding.")
    base_url: str = setting(
        "/", _base_url, "where the site is served: a full URL such as "
        "https://user.github.io/repo/, or a path such as /repo/",
        notes="A full URL also gives the pages canonical links and link previews, and the "
        "site a sitemap and Atom feeds. The GitHub Pages workflow "
        "(.github/workflows/pages.yml) passes the right URL itself with --base-url, so on "
        "GitHub Pages this can stay as it is.")
    domain: str | None = setting(
        None, _domain, "the site's own domain, such as www.example.org (or a CNAME file in "
        "static/): the base URL is then https://<domain>/, and the site gets a CNAME file "
        "for hosts that read one",
        notes="On GitHub Pages, set the same domain in the repository's Settings → Pages → "
        "Custom domain: a site deployed by Actions is served at the domain set there (no "
        "CNAME file is read), and the workflow is then given it as the base URL.",
        example="www.example.org")
    theme: str = setting(
        "scholar", _theme, "the theme: scholar (cards and badges), minimal "
        "(a one-column text page) or one in the site's themes/ folder")
    as_of: dt.date | None = setting(
        None, _date, 'the day that dates without a year ("Mar 14") are read against, '
        "YYYY-MM-DD: the day the profile was exported",
        default_doc="the day of the build", example="@TODAY@")
    output: Path = setting(
        Path("_site"), _relative_path, "the output folder, relative to the site")
    profile: Path = setting(
        Path("content/profile.txt"), _relative_path,
        "the researcher profile, a plain-text export, relative to the site",
        notes="Besides it (or without it), every BibTeX file (content/*.bib) and CSL-JSON "
        "file (content/*.json) in content/ is read: a work in two of them is one paper.")
    group_by: str = setting(
        "year", _group_by, "how the home page groups the papers: year (newest first) or "
        "type (journal articles, conference papers, preprints...)")
    language: str = setting(
        "en", _language, "the language of the pages, a language tag such as en or pt-BR")
    bio: str | None = setting(
        None, _text, "a short biography for the home page",
        example=">-\n  I work on machine learning for science, with a focus on\n"
        "  long documents and 3D shapes.")
    photo: Path | None = setting(
        None, _existing_file, "a picture of the researcher, copied to assets/: "
        "a file relative to the site", example="content/photo.jpg")
    links: tuple[Link, ...] = setting(
        (), _links, f"links to elsewhere, on the home page: {', '.join(LINK_KINDS)}",
        notes="An ORCID iD or a GitHub user name is enough; the others are URLs, "
        "and email an address.",
        example="".join(f"\n  {kind}: {value}" for kind, value in _EXAMPLE_LINKS.items())
        + f"\n  # also: {', '.join(k for k in LINK_KINDS if k not in _EXAMPLE_LINKS)}")
    robots: str = setting(
        "index", _robots, "whether search engines may list the pages: index, "
        "or noindex for a copy that should not be found")
    theme_settings: tuple[tuple[str, Any], ...] = setting(  # every setting of the theme
        (), _mapping, "the theme's own settings, as its theme.yaml declares them",
        default_doc="the theme's",
        notes="scholar's are: accent (the light scheme's link colour), show_metrics, "
        'show_charts, date_format (strftime: "%Y-%m-%d", "%B %Y") and scheme_toggle (a '
        "button for the colour scheme).",
        example='\n  accent: "#1d4ed8"\n  show_metrics: true\n  show_charts: true'
        '\n  date_format: "%b %-d, %Y"\n  scheme_toggle: true')

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
    def domain_note(self) -> str | None:
        """A note when the site has a domain but is built for another address."""
        if self.domain is None or self.base_url == f"https://{self.domain}/":
            return None
        return (f"note: the site's domain is {self.domain}, but it is built for "
                f"{self.base_url} (base_url); on GitHub Pages, set {self.domain} in the "
                "repository's Settings → Pages → Custom domain, and the workflow builds "
                "the site for it")

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME


def _settings() -> dict[str, Setting]:
    table: dict[str, Setting] = {}
    for f in fields(SiteConfig):
        if "setting" in f.metadata:
            doc, check, default_doc, example, notes = f.metadata["setting"]
            if default_doc is None:
                default_doc = "none" if f.default in (None, ()) else str(f.default)
            table[f.name] = Setting(f.name, str(f.type), f.default, doc, check, default_doc,
                                    example, notes)
    return table


#: Every setting of site.yaml by name, in order: the table that `SiteConfig` declares.
SETTINGS: dict[str, Setting] = _settings()


def load_config(root: Path | str, overrides: dict[str, Any] | None = None) -> SiteConfig:
    """Read `root/site.yaml` (if any), apply command-line overrides, validate everything."""
    root = Path(root).resolve()
    path = root / CONFIG_NAME
    shown = _display(path)
    values: dict[str, Any] = {}
    positions: Positions = {}
    problems: list[Problem] = []
    if path.is_file():
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
        except _Invalid as exc:
            problem(key, f"'{key}' {exc}")
        except _InvalidLinks as exc:
            for sub_key, message in exc.items:
                problem(f"{key}.{sub_key}", message, at_value=not message.startswith("unknown"))
    if "theme" in result or "theme" not in values:  # a theme that is not found is reported
        result["theme_settings"] = _resolve_theme_settings(
            root, result.get("theme", SETTINGS["theme"].default),
            result.pop("theme_settings", {}), problem)
    cname = _cname_domain(root, problems)
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


def _cname_domain(root: Path, problems: list[Problem]) -> str | None:
    """The domain a `static/CNAME` file names (GitHub Pages' own way to set it), if any."""
    path = root / "static" / CNAME
    if not path.is_file():
        return None
    shown = f"static/{CNAME}"
    text = read_text(path, shown, problems)
    if text is None:
        return None
    lines = [(number, line.strip()) for number, line in enumerate(text.splitlines(), 1)
             if line.strip()]
    try:
        if len(lines) != 1:
            raise _Invalid(f"must hold one host name such as www.example.org, found "
                           f"{len(lines)} lines")
        return _domain(lines[0][1], root)
    except _Invalid as exc:
        at = lines[1][0] if len(lines) > 1 else lines[0][0] if lines else 1
        problems.append(Problem(shown, at, 1, f"{CNAME} {exc}"))
        return None


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
            hint = did_you_mean(key, declared)
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


