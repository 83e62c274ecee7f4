"""The interface in the site's language: `language:` picks the catalogue (generator/locale/),
`lang` and `dir` on the page, Babel's dates unless `date_format` is set, plural forms by
the catalogue's rule, English with a warning for a language without a catalogue; the
catalogue is current (every string the templates and the model mark is in messages.pot)
and every shipped translation covers it."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest
from babel.dates import format_skeleton
from babel.messages import frontend
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from generator.build import build
from generator.i18n import LOCALE_DIR, available, translations

from .conftest import REPO, copy_demo

SHIPPED = ("de", "es", "ar")


def catalogue(language: str):
    path = LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    return read_po(io.BytesIO(path.read_bytes()), locale=language)


def demo_in(tmp_path_factory, language: str, extra: str = ""):
    site = copy_demo(tmp_path_factory.mktemp(language))
    with (site / "site.yaml").open("a", encoding="utf-8") as file:
        file.write(f"language: {language}\n{extra}")
    return build(site, {"output": str(site / "_site")})


@pytest.fixture(scope="module")
def arabic(tmp_path_factory):
    return demo_in(tmp_path_factory, "ar")


@pytest.fixture(scope="module")
def german(tmp_path_factory):
    return demo_in(tmp_path_factory, "de")


def page(result, path: str) -> str:
    return result.files[path].decode()


def test_an_arabic_site_is_right_to_left_with_its_menu_and_labels_from_the_catalogue(arabic):
    ar = translations("ar")
    home = page(arabic, "index.html")
    assert '<html lang="ar" dir="rtl">' in home
    for label in ("Home", "Publications", "Categories", "CV"):
        assert f">{ar.gettext(label)}</a></li>" in home
    assert f'>{ar.gettext("Skip to main content")}</a>' in home
    assert f'{ar.gettext("Research mostly in")} <a' in home
    paper = next(p for p in arabic.files if p.startswith("papers/") and p.endswith(".html"))
    text = page(arabic, paper)
    assert f'<dt>{ar.gettext("Published")}</dt>' in text
    assert '<html lang="ar" dir="rtl">' in text
    assert ">Publications<" not in home and ">Published<" not in text


def test_the_arabic_publications_and_talks_pages_take_their_words_from_the_catalogue(
        tmp_path_factory):
    site = copy_demo(tmp_path_factory.mktemp("ar-talks"))
    talk = site / "content" / "talks" / "np.md"
    talk.parent.mkdir(parents=True)
    talk.write_text("---\ntitle: Neural processes\ndate: 2025-06-12\nevent: A Workshop\n"
                    "video: https://example.org/video\n---\nAn hour on them.\n", encoding="utf-8")
    with (site / "site.yaml").open("a", encoding="utf-8") as file:
        file.write("language: ar\n")
    result = build(site, {"output": str(site / "_site")})
    ar = translations("ar")
    publications = page(result, "publications/index.html")
    title = ar.gettext("Publications")
    assert title != "Publications"
    assert f"<title>{title} · " in publications and f"<h1>{title} <span" in publications
    assert f'<summary>{ar.gettext("Papers per year and per category")}</summary>' in publications
    count = publications.count('class="paper-card"')
    show_all = ar.ngettext("Show all %(num)s paper", "Show all %(num)s papers", count)
    assert f'>{show_all % {"num": count}}</button>' in publications
    talks = page(result, "talks/index.html")
    assert f'<h1>{ar.gettext("Talks")}</h1>' in talks
    assert f'>{ar.gettext("Talks")}</a></li>' in talks  # the menu
    assert f'>{ar.gettext("Video")}<span class="visually-hidden"> ' in talks
    assert ar.gettext("Talks given by %(name)s.") % {"name": "S. M. Ali Eslami"} in talks
    for english in (">Talks<", ">Publications<", ">Video<", "Show all"):
        assert english not in publications + talks


def test_dates_are_written_by_babel_for_the_language(arabic, german):
    for result, locale in ((arabic, "ar"), (german, "de")):
        home = page(result, "index.html")
        # a metric's source and day stay a stamp, as in metrics.csv: "OpenAlex, 2026-12-07"
        stamps = re.findall(r'<small class="provenance">.*?</small>', home)
        assert stamps and all(re.search(r'<time datetime="([\d-]+)">\1</time>', s) for s in stamps)
        comma = translations(locale).gettext('%(source)s, <time datetime="%(day)s">%(day)s</time>')
        assert all(comma.split("%(source)s")[1].split("<time")[0] in s for s in stamps)
        home = re.sub(r'<small class="provenance">.*?</small>', "", home)
        found = re.findall(r'<time datetime="(\d{4}-\d\d-\d\d)">([^<]*)</time>', home)
        assert found
        for iso, text in found:
            date = dt.date.fromisoformat(iso)
            assert text == format_skeleton("yMMMd", date, locale=locale)
    assert "28. Jan. 2022" in page(german, "index.html")


def test_the_site_date_format_wins_over_the_language(tmp_path_factory):
    result = demo_in(tmp_path_factory, "de", 'theme_settings:\n  date_format: "%Y-%m-%d"\n')
    home = page(result, "index.html")
    assert '<time datetime="2022-01-28">2022-01-28</time>' in home
    assert f'>{translations("de").gettext("Publications")}</a></li>' in home


def test_counts_take_the_catalogue_s_plural_forms_six_in_arabic(arabic):
    ar = translations("ar")
    entry = catalogue("ar")["%(num)s paper by %(name)s."]
    assert len(entry.string) == 6 and catalogue("ar").num_plurals == 6
    # the six forms as the catalogue's rule picks them: 0, 1, 2, 3-10, 11-99, 100-102
    picked = [ar.ngettext("%(num)s paper by %(name)s.", "", n) for n in (0, 1, 2, 3, 11, 100)]
    assert picked == list(entry.string)
    ledes = [page(arabic, p) for p in arabic.files
             if p.startswith("categories/") and p.count("/") == 2 and p.endswith("index.html")]
    assert ledes
    seen = set()
    for text in ledes:
        count = text.count('class="paper-card"')
        form = ar.ngettext("%(num)s paper by %(name)s.", "", count)
        assert f'<p class="lede">{form % {"num": count, "name": "S. M. Ali Eslami"}}</p>' in text
        seen.add(form)
    assert len(seen) >= 2  # the demo's categories take more than one form


def test_the_scripts_words_come_from_the_catalogue_on_a_translated_site(arabic, demo_build):
    ar = translations("ar")
    home = page(arabic, "index.html")
    block = re.search(r'<script type="application/json" id="ui-messages">(.*?)</script>', home)
    words = json.loads(block[1])
    assert words["copied"] == ar.gettext("Copied to the clipboard.")
    assert set(words["matching"]) == {"zero", "one", "two", "few", "many", "other"}
    many = ar.ngettext("%(matching)s of %(num)s paper", "%(matching)s of %(num)s papers", 11)
    assert words["matching"]["many"] == many.replace("%(matching)s", "{matching}").replace(
        "%(num)s", "{num}")
    assert 'id="ui-messages"' not in demo_build.files["index.html"].decode()


def test_english_counts_stay_english(demo_build):
    page = demo_build.files["categories/CV/index.html"].decode()
    assert '<p class="lede">13 papers by S. M. Ali Eslami.</p>' in page


def test_a_language_without_a_catalogue_falls_back_to_english_with_a_warning(tmp_path):
    site = copy_demo(tmp_path / "site")
    lines = (site / "site.yaml").read_text(encoding="utf-8").splitlines()
    (site / "site.yaml").write_text("\n".join([*lines, "language: xx"]) + "\n", encoding="utf-8")
    result = build(site, {"output": str(tmp_path / "out")})
    notes = [w.format() for w in result.warnings if "language" in w.format()]
    assert len(notes) == 1
    assert re.search(rf"site\.yaml:{len(lines) + 1}:11: .*no catalogue for language 'xx'.*"
                     rf"stays English", notes[0])
    home = result.files["index.html"].decode()
    assert '<html lang="xx">' in home
    assert ">Publications</a></li>" in home


def test_link_previews_and_feeds_say_the_site_s_language(tmp_path_factory, demo_build):
    site = copy_demo(tmp_path_factory.mktemp("de-feeds"))
    settings = (site / "site.yaml").read_text(encoding="utf-8")
    (site / "site.yaml").write_text(settings.replace(
        "base_url: /\n", "base_url: https://example.org/\n") + "language: de\n", "utf-8")
    german = build(site, {"output": str(site / "_site")})
    for path in ("index.html", "publications/index.html"):
        assert '<meta property="og:locale" content="de_DE">' in page(german, path)
        assert "og:locale" not in page(demo_build, path)  # en: Open Graph's default en_US
    paper = next(p for p in german.files if p.startswith("papers/") and p.endswith(".html"))
    assert '<meta property="og:locale" content="de_DE">' in page(german, paper)
    feeds = [p for p in german.files if p.endswith("feed.xml")]
    assert len(feeds) > 1  # the site's and each category's
    for path in feeds:
        assert '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de">' in page(german, path)


@pytest.mark.parametrize(("language", "expected"), [
    ("de", "de_DE"), ("ar", "ar_EG"), ("es", "es_ES"), ("pt-BR", "pt_BR"),
    ("en-GB", "en_GB"), ("zh-Hant", "zh_TW"), ("en", None), ("es-419", None),
    ("xx", None)])
def test_og_locale_is_the_tag_s_territory_else_the_likeliest_one(language, expected):
    from generator.i18n import og_locale

    assert og_locale(language) == expected


def test_english_imports_no_babel():
    import subprocess
    import sys
    code = ("import sys; from generator.i18n import translations, direction; "
            "from generator.i18n import og_locale; "
            "translations('en'); direction('en'); og_locale('en'); print('babel' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=REPO, check=True)
    assert out.stdout.strip() == "False"


def extracted() -> set[str]:
    """The msgids the extractor finds now, by babel.cfg (as `pybabel extract` does)."""
    parse = getattr(frontend, "parse_mapping_cfg", None) or frontend.parse_mapping
    with (REPO / "babel.cfg").open(encoding="utf-8") as file:
        method_map, options_map = parse(file)
    keywords = {**DEFAULT_KEYWORDS, "N_": None, "Nn_": (1, 2)}
    return {message[2] if isinstance(message[2], str) else message[2][0]
            for message in extract_from_dir(str(REPO), method_map, options_map, keywords)}


def test_the_catalogue_template_is_current():
    pot = read_po(io.BytesIO((LOCALE_DIR / "messages.pot").read_bytes()))
    in_pot = {m.id if isinstance(m.id, str) else m.id[0] for m in pot if m.id}
    found = extracted()
    assert found - in_pot == set(), "run pybabel extract (CONTRIBUTING.md)"
    assert in_pot - found == set(), "messages.pot holds strings nothing uses any more"


@pytest.mark.parametrize("language", SHIPPED)
def test_every_shipped_translation_covers_every_message(language):
    assert set(SHIPPED) <= set(available())
    pot = read_po(io.BytesIO((LOCALE_DIR / "messages.pot").read_bytes()))
    po = catalogue(language)
    assert "needs review by a native speaker" in po.language_team
    for message in pot:
        if not message.id:
            continue
        translated = po.get(message.id)
        assert translated is not None and not translated.fuzzy, message.id
        strings = translated.string if isinstance(translated.string, tuple) else (
            translated.string,)
        assert len(strings) == (po.num_plurals if isinstance(message.id, tuple) else 1)
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        wanted = set(re.findall(r"%\(\w+\)[sd]", ids[-1]))
        for text in strings:
            assert text, message.id
            assert set(re.findall(r"%\(\w+\)[sd]", text)) <= wanted, (message.id, text)


@pytest.mark.parametrize("theme", ("scholar", "minimal"))
def test_the_themes_css_mirrors_right_to_left_with_logical_properties(theme):
    css = (REPO / "themes" / theme / "static" / "style.css").read_text(encoding="utf-8")
    rules = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    assert re.findall(r"[\w-]*\b(?:left|right)\b[\w-]*", rules) == []
    # an ISO day beside Arabic words keeps its order (else 2026-11-23 reads 23-11-2026)
    assert re.search(r"(^|\n)time \{ unicode-bidi: isolate; white-space: nowrap; \}", rules)
