"""The table of `site.yaml`'s settings: `SiteConfig`, whose every field after `root` is one
setting, declared once with its type, default, checker (config/checks.py) and one-line doc
(`setting(...)`); `SETTINGS` is that table by name. Validation (config/loading.py), the
unknown-key message, the README's list and the commented `site.yaml` that `init` writes
(both made by `python -m generator.settings`) all come from it.

A new setting is one field here (`name: type = setting(default, checker, doc)`), a checker
in checks.py when none of those there fits, and `python -m generator.settings` run to
rewrite the README's list and the skeleton's site.yaml.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, NamedTuple

from ..sync.settings import SyncSettings, check_sync
from .checks import (
    LINK_KINDS,
    Link,
    Typed,
    base_path,
    check_aliases,
    check_base_url,
    check_categories,
    check_coauthors,
    check_date,
    check_domain,
    check_field_names,
    check_flag,
    check_group_by,
    check_language,
    check_links,
    check_mapping,
    check_menu,
    check_metrics,
    check_photo,
    check_relative_path,
    check_robots,
    check_site_path,
    check_text,
    check_theme,
)

CONFIG_NAME = "site.yaml"


Checker = Callable[[Any, Path], Any]


class Setting(NamedTuple):
    """One setting of `site.yaml`, as `SiteConfig` declares it."""

    name: str
    type: str  # the field's annotation, as written
    default: Any  # a path is relative to the site
    doc: str  # one line: what it is for
    check: Checker  # the value in site.yaml -> the value in SiteConfig, or raises checks.Invalid
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
        None, check_text, "the site's title, in the header and the browser's tab",
        default_doc="the researcher's name, from the profile", example="@TITLE@")
    name: str | None = setting(
        None, check_text, "the researcher's name, as the header shows it: needed when no "
        "profile gives it (a site of BibTeX or CSL-JSON files alone)",
        default_doc="the profile's first line", example="Ada Lovelace")
    aliases: tuple[str, ...] = setting(
        (), check_aliases, "other spellings of the researcher's name in author lists, shown in "
        "bold as the name itself is", example="\n  - S. M. A. Eslami\n  - Ali Eslami")
    coauthors: tuple[tuple[str, str], ...] = setting(
        (), check_coauthors, "co-authors' pages: a name as the author lists write it, and the "
        "address its name links to", example="\n  Danilo J. Rezende: https://example.org/")
    students: tuple[str, ...] = setting(
        (), check_aliases, "your students and mentees, as the author lists write them: each "
        "marked ° in every author list, with a legend", example="\n  - Bo Chen")
    metrics: tuple[tuple[str, int | float | str | Typed], ...] = setting(
        (), check_metrics, "the headline numbers the header shows, when no profile gives them "
        "(h-index, citations, papers, or any other label)",
        default_doc="the profile's; with no profile metrics, the latest sync's",
        example="\n  h-index: 13\n  citations: 1204\n  Scholar citations: {value: 13433, "
        "date: 2026-11-02, source: Google Scholar}",
        notes="Each number is shown with its source and day (the profile's with the "
        "profile's date, as_of; a number typed here as site.yaml's, on that date too, or "
        "with its own: `{value: 13433, date: 2026-11-02}`, and `source:` if you like). "
        "`metrics: openalex` shows the latest synced snapshot's h-index, i10-index, "
        "citations and works (content/metrics/, written by `scholarfolio sync`); a value "
        "such as `openalex.h_index` (or `openalex.i10_index`, `openalex.citations`, "
        "`openalex.works`) shows one of them, so `h-index: h-index` and "
        "`h-index (OpenAlex): openalex.h_index` show both sources side by side.")
    description: str | None = setting(
        None, check_text, "one sentence about the researcher, for search engines and link previews",
        default_doc='"<name>: <N> papers in <primary category>.", the category only when '
        "categories are research areas",
        example="Research on generative models and scene understanding.")
    base_url: str = setting(
        "/", check_base_url, "where the site is served: a full URL such as "
        "https://user.github.io/repo/, or a path such as /repo/",
        notes="A full URL also gives the pages canonical links and link previews, and the "
        "site a sitemap and Atom feeds. The GitHub Pages workflow "
        "(.github/workflows/pages.yml) passes the right URL itself with --base-url, so on "
        "GitHub Pages this can stay as it is.")
    domain: str | None = setting(
        None, check_domain, "the site's own domain, such as www.example.org (or a CNAME file in "
        "static/): the base URL is then https://<domain>/, and the site gets a CNAME file "
        "for hosts that read one",
        notes="On GitHub Pages, set the same domain in the repository's Settings → Pages → "
        "Custom domain: a site deployed by Actions is served at the domain set there (no "
        "CNAME file is read), and the workflow is then given it as the base URL.",
        example="www.example.org")
    theme: str = setting(
        "scholar", check_theme, "the theme: scholar (cards and badges), minimal "
        "(a one-column text page) or one in the site's themes/ folder")
    as_of: dt.date | None = setting(
        None, check_date, 'the day that dates without a year ("Mar 14") are read against, '
        "YYYY-MM-DD: the day the profile was exported",
        default_doc="the day of the build", example="@TODAY@")
    output: Path = setting(
        Path("_site"), check_relative_path, "the output folder, relative to the site")
    profile: Path = setting(
        Path("content/profile.txt"), check_site_path,
        "the researcher profile, a plain-text export, a file inside the site folder, "
        "relative to it",
        notes="Besides it (or without it), every BibTeX file (content/*.bib) and CSL-JSON "
        "file (content/*.json) in content/ is read: a work in two of them is one paper.")
    public_fields: tuple[str, ...] = setting(
        (), check_field_names, "more BibTeX fields of the bibliographies in content/ that the "
        "downloads and the Cite block may carry besides the public bibliographic ones "
        "(volume, pages, publisher, isbn...): a reader's notes, files, tags and al-folio's "
        "own keys are never published unless listed here", example="\n  - keywords")
    group_by: str = setting(
        "year", check_group_by, "how the publications page groups the papers: year (newest "
        "first) or type (journal articles, conference papers, preprints...)")
    home_charts: bool = setting(
        False, check_flag, "whether the charts of papers per year and per category stay on "
        "the home page (true) instead of the publications page", default_doc="false",
        example="false")
    menu: tuple[str, ...] = setting(
        (), check_menu, "the menu's order: its items by name (home, publications, "
        "categories, news, cv, talks, teaching, projects, or a page of content/pages/ by its "
        "file's name); those not named follow in the usual order",
        default_doc="home, publications, categories, news, cv, talks, teaching, projects, "
        "then the pages", example="\n  - home\n  - about\n  - publications\n  - cv",
        notes="A page of content/pages/ named here is in the menu even without a menu: of "
        "its own.")
    categories: str = setting(
        "auto", check_categories, "what the papers' categories are: arxiv (research areas: "
        "the profile's codes, the bibliographies' arXiv classes), kind (journal articles, "
        "conference papers, theses...), keywords (the bibliographies' keywords), or auto",
        default_doc="auto: arxiv when most papers have an arXiv class (a profile's all do), "
        "else kind",
        notes="Only research areas make the home page say \"Research mostly in ...\".")
    language: str = setting(
        "en", check_language, "the language of the pages, a language tag such as en or pt-BR",
        notes="Menus, labels, dates and numbers follow it where the built-in themes have a "
        "catalogue (de, es, ar; ar right to left); another language keeps them English, "
        "with a warning.")
    position: str | None = setting(
        None, check_text, "the researcher's position, under the name on the home page",
        example="Research Scientist")
    affiliation: str | None = setting(
        None, check_text, "where the researcher works, beside the position",
        example="University of Example")
    bio: str | None = setting(
        None, check_text, "a short biography for the home page",
        example=">-\n  I work on machine learning for science, with a focus on\n"
        "  long documents and 3D shapes.")
    photo: Path | None = setting(
        None, check_photo, "a picture of the researcher, copied to assets/: "
        "a PNG, JPEG or WebP file inside the site folder, relative to it (an SVG, which can "
        "carry script, is refused)", example="content/photo.jpg")
    links: tuple[Link, ...] = setting(
        (), check_links, f"links to elsewhere, on the home page: {', '.join(LINK_KINDS)}",
        notes="An ORCID iD or a GitHub user name is enough; the others are URLs, "
        "and email an address.",
        example="".join(f"\n  {kind}: {value}" for kind, value in _EXAMPLE_LINKS.items())
        + f"\n  # also: {', '.join(k for k in LINK_KINDS if k not in _EXAMPLE_LINKS)}")
    raw_html: bool = setting(
        True, check_flag, "whether HTML written in the Markdown of content/pages/ and "
        "content/news/ is kept as it is (true: an embedded video, a form) or shown as text "
        "(false)", default_doc="true", example="true",
        notes="Per-paper notes and cv.yaml are always text: HTML there is shown as text, "
        "and in every kind a link is kept only if it is http(s), mailto: or a path in the "
        "site.")
    robots: str = setting(
        "index", check_robots, "whether search engines may list the pages: index, "
        "or noindex for a copy that should not be found")
    citation_counts: bool = setting(
        False, check_flag, "show each paper's citation count, as the last `scholarfolio "
        "sync` found it, on its card and page, with its source and day",
        example="true")
    sync: SyncSettings | None = setting(
        None, check_sync, "what `scholarfolio sync` fetches: the researcher's works and "
        "metrics from ORCID and OpenAlex, written to content/synced.json and "
        "content/metrics/<date>.json",
        notes="orcid: an ORCID iD, openalex: an OpenAlex author id (either is enough); "
        "sources: openalex, orcid, crossref, arxiv (default: all four, orcid if an iD is "
        "given; crossref and arxiv only fill in the blanks of works with a DOI or an arXiv "
        "id, each work asked once); email: a contact address for the services' "
        "polite pools; api_key_env: the environment variable holding the OpenAlex key "
        "(default OPENALEX_API_KEY; the key itself never goes in a file); "
        "exclude: DOIs or OpenAlex work ids that are not the researcher's, never brought "
        "in. Correct a synced work in content/papers/<slug>.md: the next sync rewrites "
        "content/synced.json.",
        example="\n  orcid: 0000-0002-1825-0097\n  openalex: A5023888391\n"
        "  email: someone@example.org\n  exclude:\n    - 10.1234/not-mine")
    theme_settings: tuple[tuple[str, Any], ...] = setting(  # every setting of the theme
        (), check_mapping, "the theme's own settings, as its theme.yaml declares them",
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
