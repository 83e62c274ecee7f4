"""The checks of `site.yaml`'s values: each checker takes the value as YAML gives it and
the site's folder, and returns the value `SiteConfig` holds or raises `Invalid` with what
was expected (`InvalidLinks` for the `links:` mapping, one message per link). An http(s)
address is checked by `links.is_web_url`, the one check of such links, and a path
base_url by `links.leaves_site`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from ..containment import Outside, inside
from ..errors import did_you_mean
from ..i18n import N_
from ..links import escaped, is_email, is_web_url, leaves_site
from ..themes import available_themes

ROBOTS = ("index", "noindex")
GROUPS = ("year", "type")  # group_by: how the publications page groups papers
#: The menu's items that are no Markdown page, by the name `menu:` gives them (the nav keys
#: of model/pages' kinds: tests/test_publications.py checks they match).
MENU_ITEMS = ("home", "publications", "categories", "news", "cv", "talks", "teaching",
              "projects")
#: categories: which scheme gives the papers' categories (model/subjects.py SCHEMES)
CATEGORY_SCHEMES = ("auto", "kind", "arxiv", "keywords")

#: Each link's label: names as they are, words marked for the catalogue (the themes
#: translate every label, `_(link.label)`).
LINK_KINDS: dict[str, str] = {
    "scholar": "Google Scholar",
    "orcid": "ORCID",
    "github": "GitHub",
    "email": N_("Email"),
    "website": N_("Website"),
    "linkedin": "LinkedIn",
    "twitter": "X (Twitter)",
    "bluesky": "Bluesky",
    "mastodon": "Mastodon",
}


class Link(NamedTuple):
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


class Invalid(Exception):
    """A value that is not what its setting expects; the message says what was."""


class InvalidLinks(Exception):
    """Links that are not what `links:` expects: (link kind, message) for each."""

    def __init__(self, items: list[tuple[str, str]]):
        super().__init__(items)
        self.items = items


def check_text(value: Any, _root: Path) -> str:
    if not isinstance(value, str) or not value.strip():
        raise Invalid(f"must be text, found {shown_value(value)}")
    return value.strip()


def check_base_url(value: Any, root: Path) -> str:
    text = check_text(value, root)
    if "://" in text:
        if not is_web_url(text):
            raise Invalid(
                f"must be an http(s) URL such as https://user.github.io/repo/ "
                f"or a path such as /repo/, found {shown_value(value)}"
            )
        parts = urlsplit(text)
        if parts.query or parts.fragment:
            raise Invalid(f"must not have a query or fragment, found {shown_value(value)}")
        return f"{parts.scheme}://{parts.netloc}{base_path(parts.path)}"
    if not text.startswith("/"):
        raise Invalid(
            f"must be an http(s) URL such as https://user.github.io/repo/ "
            f"or a path starting with /, found {shown_value(value)}"
        )
    if leaves_site(text):  # `/\\host/`: every page would load its CSS from that host
        raise Invalid(
            f"must be a path such as /repo/, not one a browser reads as another host "
            f"(two slashes or a backslash at its start), found {shown_value(value)}"
        )
    return base_path(text)


_HOST = re.compile(r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9]")


def check_domain(value: Any, root: Path) -> str:
    text = check_text(value, root).lower().rstrip(".")
    if _HOST.fullmatch(text):
        return text
    host = urlsplit(text if "://" in text else "//" + text).hostname or ""
    hint = f"; write the host alone: {host}" if host and _HOST.fullmatch(host) else ""
    raise Invalid(f"must be a host name such as www.example.org, found "
                   f"{shown_value(value)}{hint}")


def check_theme(value: Any, root: Path) -> str:
    text = check_text(value, root)
    themes = available_themes(root)
    if text not in themes:
        local = root / "themes" / text
        if local.exists() and not local.is_dir():
            raise Invalid(f"names no theme: {shown_value(value)}; themes/{text} is a file, "
                          "expected the theme's folder (theme.yaml, templates/, static/)")
        close = difflib.get_close_matches(text, themes, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise Invalid(
            f"names no theme: {shown_value(value)}; {hint}(available: {', '.join(themes)})"
        )
    return text


def check_date(value: Any, _root: Path) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise Invalid(f"must be a date YYYY-MM-DD, found {shown_value(value)}")


def check_relative_path(value: Any, root: Path) -> Path:
    text = check_text(value, root)
    return (root / text).resolve()


def check_site_path(value: Any, root: Path) -> Path:
    """A path inside the site folder (containment.py), resolved: what the site shows
    (the profile's papers) or copies (the photo) comes from inside it."""
    text = check_text(value, root)
    try:
        return inside(root / text, root)
    except Outside as exc:
        raise Invalid(f"must be a file inside the site folder: {shown_value(value)} "
                      f"{exc}") from None


def check_site_file(value: Any, root: Path) -> Path:
    """A file inside the site folder (check_site_path) that is there."""
    path = check_site_path(value, root)
    if not path.is_file():
        raise Invalid(f"names no file: {shown_value(value)} (looked for {path})")
    return path


#: What a photo may be: pictures a browser only shows. An SVG can hold script, and the
#: photo is published as a file of its own at the site's address (assets/photo.svg),
#: where opening it runs that script: it is refused, as anything that is no picture.
PHOTO_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".gif", ".avif")


def check_photo(value: Any, root: Path) -> Path:
    """A picture inside the site folder (check_site_file): PNG, JPEG, WebP, GIF or AVIF."""
    path = check_site_file(value, root)
    if path.suffix.lower() not in PHOTO_SUFFIXES:
        raise Invalid(f"must be a PNG, JPEG or WebP picture (also GIF, AVIF), found "
                      f"{shown_value(value)}" + (
                          ": an SVG can carry script, and the photo is published as a file "
                          "of its own that runs it when opened; save it as PNG"
                          if path.suffix.lower() in (".svg", ".svgz") else ""))
    return path


def check_flag(value: Any, _root: Path) -> bool:
    if not isinstance(value, bool):
        raise Invalid(f"must be true or false, found {shown_value(value)}")
    return value


def check_language(value: Any, root: Path) -> str:
    text = check_text(value, root)
    if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", text):
        raise Invalid(f"must be a language tag such as en or pt-BR, found {shown_value(value)}")
    return text


def check_robots(value: Any, root: Path) -> str:
    text = check_text(value, root)
    if text not in ROBOTS:
        raise Invalid(f"must be one of {', '.join(ROBOTS)}, found {shown_value(value)}")
    return text


def check_mapping(value: Any, _root: Path) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Invalid("must be 'name: value' lines, such as 'accent: \"#1d4ed8\"'")
    return {str(k): v for k, v in value.items()}


#: What `metrics: openalex` stands for: the latest synced snapshot's numbers.
OPENALEX_METRICS = (("h-index", "openalex.h_index"), ("i10-index", "openalex.i10_index"),
                    ("Citations", "openalex.cited_by_count"), ("Works", "openalex.works_count"))
#: The names `openalex.<name>` may use, and the snapshot field each reads.
OPENALEX_FIELDS = {"h_index": "h_index", "i10_index": "i10_index",
                   "cited_by_count": "cited_by_count", "citations": "cited_by_count",
                   "works_count": "works_count", "works": "works_count"}


def openalex_field(value: Any) -> str | None:
    """`openalex.h-index` -> "h_index"; None for a value that names no OpenAlex metric."""
    if not isinstance(value, str) or not value.lower().startswith("openalex."):
        return None
    return OPENALEX_FIELDS.get(value[len("openalex."):].strip().lower().replace("-", "_"))


class Typed(NamedTuple):
    """A number typed in `metrics:` with its own day and source: `Scholar citations:
    {value: 13433, date: 2026-11-02, source: Google Scholar}` (a bare number is dated by
    `as_of` and comes from "site.yaml")."""

    value: int | float | str
    date: dt.date
    source: str | None = None


_TYPED_KEYS = ("value", "date", "source")


def _typed(label: str, given: dict[Any, Any]) -> Typed:
    """A `metrics:` entry written as `{value: ..., date: YYYY-MM-DD, source: ...}`."""
    unknown = [str(key) for key in given if key not in _TYPED_KEYS]
    if unknown:
        raise Invalid(f"'{label}' takes value, date and source; found '{unknown[0]}'"
                      + did_you_mean(unknown[0], _TYPED_KEYS))
    number, source = given.get("value"), given.get("source")
    if isinstance(number, bool) or not isinstance(number, (int, float, str)) or (
            isinstance(number, str) and (not number.strip() or openalex_field(number))):
        raise Invalid(f"'{label}' needs 'value:', a number or text it shows as typed, "
                      f"found {shown_value(number)}")
    day = _day(given.get("date"))
    if day is None:
        raise Invalid(f"'{label}' needs 'date:', the day of the figure as YYYY-MM-DD, "
                      f"found {shown_value(given.get('date'))}")
    if source is not None and not (isinstance(source, str) and source.strip()):
        raise Invalid(f"'{label}': 'source:' must be text, such as Google Scholar")
    return Typed(number, day, source.strip() if source else None)


def _day(value: Any) -> dt.date | None:
    """A day as YAML reads `2026-11-02` (a date) or as text; None for anything else."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\d", value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:  # 2026-02-30
            return None
    return None


def check_metrics(value: Any, _root: Path) -> tuple[tuple[str, int | float | str | Typed], ...]:
    if isinstance(value, str) and value.strip().lower() in ("openalex", "profile"):
        return OPENALEX_METRICS if value.strip().lower() == "openalex" else ()
    if not isinstance(value, dict) or not value:
        raise Invalid("must be 'openalex', 'profile', or 'name: value' lines, such as "
                      "'citations: 1204', 'h-index: openalex.h_index' or 'Scholar citations: "
                      "{value: 13433, date: 2026-11-02}'")
    found = []
    for label, number in value.items():
        if isinstance(number, dict):
            found.append((str(label), _typed(str(label), number)))
            continue
        if isinstance(number, bool) or not isinstance(number, (int, float, str)):
            raise Invalid(f"'{label}' must be a number, text or {{value: ..., date: ...}}, "
                          f"found {shown_value(number)}")
        if (isinstance(number, str) and number.lower().startswith("openalex.")
                and openalex_field(number) is None):
            raise Invalid(f"'{label}: {number}' names no OpenAlex metric: use one of "
                          + ", ".join(f"openalex.{name}" for name in OPENALEX_FIELDS))
        found.append((str(label), number))
    return tuple(found)


def check_aliases(value: Any, _root: Path) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items or not all(
            isinstance(item, str) and item.strip() for item in items):
        raise Invalid("must be a list of names, such as '- S. M. A. Eslami', found "
                       f"{shown_value(value)}")
    return tuple(item.strip() for item in items)


def check_menu(value: Any, root: Path) -> tuple[str, ...]:
    """The menu's order: names of MENU_ITEMS or of content/pages/*.md, each once."""
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise Invalid(f"must be a list of names, such as '- publications', found "
                      f"{shown_value(value)}")
    pages = root / "content" / "pages"
    known = list(MENU_ITEMS) + sorted(path.stem for path in pages.glob("*.md")
                                      if pages.is_dir())
    names = tuple(item.strip() for item in value)
    for name in names:
        if name not in known:
            raise Invalid(f"names no item of the menu: {shown_value(name)}; the items are "
                          f"{', '.join(known)}{did_you_mean(name, known)}")
    if len(set(names)) != len(names):
        raise Invalid("names an item twice")
    return names


def check_field_names(value: Any, _root: Path) -> tuple[str, ...]:
    """BibTeX field names, lower-cased: `[keywords, urldate]`."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items or not all(
            isinstance(item, str) and re.fullmatch(r"[A-Za-z][\w-]*", item.strip())
            for item in items):
        raise Invalid("must be a list of BibTeX field names, such as '- keywords', found "
                      f"{shown_value(value)}")
    return tuple(sorted({item.strip().lower() for item in items}))


def check_coauthors(value: Any, _root: Path) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict) or not value:
        raise Invalid("must be 'name: address' lines, such as "
                       "'Ada Lovelace: https://example.org/ada'")
    found = []
    for name, url in value.items():
        if not isinstance(url, str) or not is_web_url(url):
            raise Invalid(f"'{name}' must be an http(s) address, found {shown_value(url)}")
        found.append((str(name).strip(), escaped(url.strip())))
    return tuple(found)


def check_group_by(value: Any, root: Path) -> str:
    text = check_text(value, root)
    if text not in GROUPS:
        raise Invalid(f"must be one of {', '.join(GROUPS)}, found {shown_value(value)}")
    return text


def check_categories(value: Any, root: Path) -> str:
    text = check_text(value, root)
    if text not in CATEGORY_SCHEMES:
        hint = did_you_mean(text, CATEGORY_SCHEMES)
        raise Invalid(f"must be one of {', '.join(CATEGORY_SCHEMES)}, found "
                      f"{shown_value(value)}{hint}")
    return text


def check_links(value: Any, _root: Path) -> tuple[Link, ...]:
    if not isinstance(value, dict):
        raise Invalid("must be a list of 'kind: address' lines, such as 'github: octocat'")
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
        links.append(Link(kind, LINK_KINDS[kind], escaped(url)))  # as an href
    if problems:
        raise InvalidLinks(problems)
    return tuple(links)


def _link_url(kind: str, text: str) -> str | None:
    """A safe URL for a link setting; short forms (a GitHub user, an ORCID iD) expanded."""
    if kind == "email":
        address = text.removeprefix("mailto:")
        if is_email(address):
            return f"mailto:{address}"
        return None
    if kind == "orcid" and re.fullmatch(r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]", text):
        return f"https://orcid.org/{text}"
    if kind == "github" and re.fullmatch(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})", text):
        return f"https://github.com/{text}"
    return text if is_web_url(text) else None
