"""The site model: every record as a view, and the one list of routes (every output file:
pages, feeds, sitemap, robots.txt, citation files) that the kinds of page (pages/) make
from them, with everything a template shows computed here, so templates only lay it
out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup

from .. import __version__, installation
from ..config import SiteConfig
from ..dates import format_date
from ..i18n import (
    LocaleDate,
    babel_locale,
    date_style,
    direction,
    script_messages,
    translations,
)
from ..paperfields import NO_FIELDS
from ..records import Paper, Profile, category_name
from ..reuse import Reuse
from ..text import visible
from ..themes import load_theme
from . import citations, pages, subjects
from .inputs import SiteContent
from .metadata import script_json
from .metrics import history, metric_views, with_counts
from .pages.items import item_views
from .routes import Route
from .views import (
    CategoryRef,
    CategoryView,
    Generator,
    NewsView,
    PaperView,
    SiteView,
    ViewInputs,
    corrected,
    paper_groups,
    paper_view,
    people,
)


@dataclass(frozen=True)
class SiteModel:
    site: SiteView
    papers: tuple[PaperView, ...]  # newest first
    categories: tuple[CategoryView, ...]  # most papers first
    routes: tuple[Route, ...]
    assets: tuple[tuple[str, str], ...]  # (output path, source key) of files to copy


def build_model(config: SiteConfig, profile: Profile, content: SiteContent | None = None,
                reuse: Reuse | None = None) -> SiteModel:
    """Lay out the whole site: views of every record, and the routes of each kind of page
    (pages/), walked in order.

    `reuse` (the dev server's, kept from one build to the next) gives back the views and
    BibTeX keys of papers that did not change: the very same objects, so comparing the
    routes that show them mostly stops at identity.
    """
    content = content or SiteContent()
    extras = content.extras
    base = config.base_path
    url = _url_maker(base)

    ordered = sorted((corrected(p, extras.get(p.slug, NO_FIELDS)) for p in profile.papers),
                     key=lambda p: (-p.date.toordinal(), p.line))
    scheme = subjects.scheme(ordered, config.categories)
    ordered = subjects.categorised(ordered, scheme)
    labels = {p.category: p.category_label for p in ordered if p.category_label}

    words = translations(config.language).gettext

    def category_ref(code: str) -> CategoryRef:
        name, single = labels.get(code) or category_name(code), subjects.singular(code, scheme)
        if subjects.interface_name(code, scheme):  # the records keep English; shown translated
            name, single = words(name), single and words(single)
        return CategoryRef(code, name, url(f"categories/{code}/"), single)

    if reuse is not None:
        reuse.start()
    keys = _keys(ordered, reuse)
    date_format = _date_style(config)
    own = people(profile.name, config.aliases, config.coauthors, config.students)
    refs = {code: category_ref(code) for code in {p.category for p in ordered}}
    # A view is made of its inputs and nothing else: they are the key it is reused by.
    inputs = [ViewInputs(p, refs[p.category], own, date_format,
                         extras.get(p.slug, NO_FIELDS), keys[p.slug],
                         config.site_url, base) for p in ordered]
    if reuse is None:
        views = tuple(map(paper_view, inputs))
    else:
        made = []
        for key in inputs:  # no closures: this runs for every paper on every rebuild
            found = reuse.take(key)
            if found is None:
                found = paper_view(key)
                reuse.keep(key, found)
            made.append(found)
        views = tuple(made)
    if config.citation_counts:
        views = with_counts(views, content.synced)
    by_code: dict[str, list[PaperView]] = {}
    for item in views:
        by_code.setdefault(item.paper.category, []).append(item)
    categories = tuple(
        CategoryView(category_ref(code), tuple(items))
        for code, items in sorted(by_code.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    )
    photo, card = content.photo, content.card
    site = SiteView(
        title=visible(config.title or profile.name),
        description=visible(config.description or _default_description(
            profile, scheme in subjects.AREAS, config.language)),
        language=config.language,
        base_path=base,
        name=visible(profile.name),
        category=(category_ref(profile.category)
                  if scheme in subjects.AREAS and profile.category else None),
        metrics=metric_views(profile, config.metrics, content.synced.latest),
        bio=visible(config.bio) if config.bio else None,
        position=visible(config.position) if config.position else None,
        affiliation=visible(config.affiliation) if config.affiliation else None,
        photo_url=url(f"assets/{photo}") if photo else None,
        card_url=url(f"assets/{card}") if card else None,
        direction=direction(config.language),
        script_messages=_script_messages(config.language),
        links=config.links,
        nav=pages.menu(content, url, config.menu),
        generator=Generator("scholarfolio", __version__, installation.homepage()),
        site_url=config.site_url,
        robots=config.robots,
        feed_url=url("feed.xml") if config.site_url else None,
        bibtex_url=url("papers.bib"),
        ris_url=url("papers.ris"),
        csl_url=url("papers.json"),
        settings=config.theme_settings,
        history=history(content.synced, url),
    )
    news = tuple(NewsView(item.name, item.date, item.date.isoformat(),
                          format_date(item.date, date_format),
                          visible(item.title) if item.title else None, item.html,
                          visible(item.text), url(f"news/#{item.name}"))
                 for item in content.news)
    items = item_views(content.items, url, date_format)
    layout = pages.Layout(config, profile, content, site, views, categories,
                          paper_groups(views, config.group_by), news, own, date_format, items)
    assets = (("assets/" + photo, "photo"),) if photo else ()
    return SiteModel(site, views, categories, pages.lay_out(layout), assets)


def _date_style(config: SiteConfig) -> str | LocaleDate | None:
    """The site's `date_format`, or the locale's way for a translated language when the
    site set none (i18n.date_style); the theme's default is read only then."""
    given = config.settings.get("date_format")
    if babel_locale(config.language) is None:
        return given
    declared = dict(load_theme(config.theme, config.root).settings).get("date_format")
    return date_style(config.language, given, declared)


def _script_messages(language: str) -> Markup | None:
    """What the themes' scripts say, in a translated language (i18n.script_messages)."""
    made = script_messages(language)
    return None if made is None else script_json(made)


def _url_maker(base: str) -> Callable[[str], str]:
    """A site path (`papers/x/`) as a URL under the base path."""
    def url(path: str) -> str:
        return base + path

    return url


def _keys(ordered: list[Paper], reuse: Reuse | None) -> dict[str, str]:
    """Each paper's BibTeX key, by slug; from the records as parsed."""
    if reuse is None:
        return citations.assign_keys(ordered)
    # Compared, not hashed: equal records are mostly the same objects.
    inputs = [(p.slug, p.authors[:1], p.date, p.title) for p in ordered]
    return reuse.get("keys", lambda: (inputs, citations.assign_keys(ordered)),
                     fits=lambda found: found[0] == inputs)[1]


def _default_description(profile: Profile, areas: bool, language: str) -> str:
    """"<name>: <N> papers in <primary category>.", the category when it is a research
    area (never "in Conference papers")."""
    count = len(profile.papers)
    values = {"name": profile.name, "num": count, "category": profile.category_name}
    ngettext = translations(language).ngettext
    if areas and profile.category:
        return ngettext("%(name)s: %(num)d paper in %(category)s.",
                        "%(name)s: %(num)d papers in %(category)s.", count) % values
    return ngettext("%(name)s: %(num)d paper.", "%(name)s: %(num)d papers.", count) % values
