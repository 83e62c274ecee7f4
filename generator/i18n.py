"""The interface in the site's language: the message catalogue of every string the themes
and the model show (generator/locale/, gettext catalogues kept as `.po` text and read with
Babel), the page's writing direction, and dates and numbers written for the locale.

English is the catalogue's source language: an English site translates nothing and never
imports Babel (the build's start-up stays as it was). Another language with a catalogue
reads it once per process (compiled from its `.po` once and kept: _compiled) and has
Babel write dates and numbers; a language without one falls back to English, with a
warning at site.yaml's `language:` line.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gettext
import io
import os
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from . import usercache
from .errors import Problem

#: The catalogues: locale/<language>/LC_MESSAGES/messages.po, and messages.pot.
LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"


def N_(message: str) -> str:  # noqa: N802 - gettext's name for "mark, do not translate"
    """Mark `message` for the catalogue (the extractor finds it) without translating it
    here: the model keeps English, the templates translate (`_(item.label)`)."""
    return message


def Nn_(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802 - as N_
    """Mark a count's two English forms for the catalogue (`pybabel extract -k Nn_:1,2`),
    translated where the count is known (`ngettext`)."""
    return singular, plural


def _english(language: str) -> bool:
    return language.split("-")[0].lower() == "en"


def catalogue_path(language: str) -> Path | None:
    """The `.po` file of `language` (`pt-BR` is looked for as pt_BR, then pt), or None."""
    parts = language.replace("-", "_").split("_")
    names = ["_".join([parts[0].lower(), *[p.upper() if len(p) == 2 else p for p in parts[1:]]]),
             parts[0].lower()]
    for name in dict.fromkeys(names):
        path = LOCALE_DIR / name / "LC_MESSAGES" / f"{DOMAIN}.po"
        if path.is_file():
            return path
    return None


def has_catalogue(language: str) -> bool:
    """Whether the pages can be shown in `language` (English always can)."""
    return _english(language) or catalogue_path(language) is not None


@lru_cache(maxsize=8)
def translations(language: str) -> gettext.NullTranslations:
    """The catalogue of `language` as gettext translations (plural forms from its header);
    English, or a language without a catalogue, translates nothing."""
    path = None if _english(language) else catalogue_path(language)
    if path is None:
        return gettext.NullTranslations()
    return gettext.GNUTranslations(io.BytesIO(_compiled(path)))


def _compiled(path: Path) -> bytes:
    """The `.po` file at `path` compiled to `.mo` bytes by Babel, kept in the user's cache
    folder by the `.po`'s bytes: compiling takes ~60 ms (Babel's import and the locale's
    plural rules), reading the kept file under 1 ms."""
    source = path.read_bytes()
    folder = usercache.folder("locale", [source, usercache.file_bytes(__file__)])
    kept = None if folder is None else Path(folder, f"{path.parent.parent.name}.mo")
    if kept is not None:
        try:
            return kept.read_bytes()
        except OSError:
            pass
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    catalog = read_po(io.BytesIO(source), locale=path.parent.parent.name, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    if kept is not None:
        with contextlib.suppress(OSError):
            partial = kept.with_suffix(f".{os.getpid()}.part")
            partial.write_bytes(compiled.getvalue())
            os.replace(partial, kept)
    return compiled.getvalue()


def babel_locale(language: str) -> str | None:
    """The Babel locale of a translated language (`pt-BR` -> pt_BR), None for English and
    for a language without a catalogue (the pages stay English throughout)."""
    path = None if _english(language) else catalogue_path(language)
    return None if path is None else path.parent.parent.name


def direction(language: str) -> str:
    """`rtl` for a translated right-to-left language (Arabic, Hebrew, Persian...), else
    `ltr`."""
    locale = babel_locale(language)
    if locale is None:
        return "ltr"
    from babel import Locale

    return "rtl" if Locale.parse(locale).character_order == "right-to-left" else "ltr"


@lru_cache(maxsize=8)
def og_locale(language: str) -> str | None:
    """Open Graph's `og:locale` (language_TERRITORY) for a language tag: its own territory
    (pt-BR -> pt_BR), else the territory CLDR finds likeliest (de -> de_DE, ar -> ar_EG,
    zh-Hant -> zh_TW); None for English without a territory (Open Graph's default, en_US:
    no tag, no Babel), a region that is no country (es-419) and a language Babel does not
    know."""
    parts = language.replace("-", "_").split("_")
    territory = next((p.upper() for p in parts[1:] if len(p) == 2 and p.isalpha()), None)
    if territory:
        return f"{parts[0].lower()}_{territory}"
    if _english(language) or any(p.isdigit() for p in parts[1:]):  # es-419: no ll_CC
        return None
    from babel.core import get_global, parse_locale

    likely = get_global("likely_subtags")
    script = next((p.title() for p in parts[1:] if len(p) == 4 and p.isalpha()), None)
    keys = [f"{parts[0].lower()}_{script}"] if script else []
    found = next((likely[key] for key in [*keys, parts[0].lower()] if key in likely), None)
    if found is None:
        return None
    code, territory = parse_locale(found)[:2]
    return f"{code}_{territory}" if territory and territory.isalpha() else None


class LocaleDate(NamedTuple):
    """A date written as the locale writes it (Babel): `pattern` is a skeleton, "yMMMd"
    (day, short month and year: 28. Jan. 2022) or "yMMMM" (month and year), or one of
    Babel's widths (short, medium, long, full)."""

    locale: str
    pattern: str


def date_style(language: str, date_format: str | None, theme_default: str | None
               ) -> str | LocaleDate | None:
    """How the pages write dates: the site's own `date_format` when it set one (or the
    theme's, in English), else the locale's way, with a day when the theme's has one."""
    locale = babel_locale(language)
    if locale is None or (date_format and date_format != theme_default):
        return date_format
    with_day = not theme_default or "%d" in theme_default or "%-d" in theme_default
    return LocaleDate(locale, "yMMMd" if with_day else "yMMMM")


def locale_date(date: dt.date, style: LocaleDate) -> str:
    """`date` written by Babel for `style`'s locale."""
    from babel.dates import format_date, format_skeleton

    if style.pattern in ("short", "medium", "long", "full"):
        return format_date(date, style.pattern, locale=style.locale)
    return format_skeleton(style.pattern, date, locale=style.locale)


def locale_number(text: str, language: str) -> str:
    """A number as the English pages write it (`13,433`, `1.5`), written for the locale
    of a translated language (`13.433`, `١٣٬٤٣٣`); other text as it is."""
    locale = babel_locale(language)
    if locale is None or not re.fullmatch(r"\d{1,3}(,\d{3})*(\.\d+)?", text):
        return text
    from babel.numbers import format_decimal

    value = text.replace(",", "")
    return format_decimal(float(value) if "." in value else int(value), locale=locale)


def fallback_warning(language: str, shown: str,
                     place: Callable[[], tuple[int, int, str | None] | None]) -> Problem | None:
    """The note for a `language:` without a catalogue: the pages stay English, `lang`
    still says the language. At the setting's place in site.yaml (`place`, asked only
    then; 1:1 when it has none)."""
    if has_catalogue(language):
        return None
    line, col, source = place() or (1, 1, None)
    known = ", ".join(["en", *available()])
    return Problem(shown, line, col, f"no catalogue for language '{language}': the interface "
                   f"stays English (catalogues: {known}; see CONTRIBUTING.md, "
                   "'Adding a language')", source)


def available() -> list[str]:
    """The languages with a catalogue, besides English."""
    return sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


#: What the themes' scripts say (filters.js, cite.js, scheme.js), by key: a message, or
#: (singular, plural) for a count. The scripts hold the English; a translated page gives
#: them its catalogue's words (`script_messages`). `%(name)s` becomes `{name}`.
SCRIPT_MESSAGES: dict[str, str | tuple[str, str]] = {
    "filterByCategory": N_("Filter by category"),
    "showMore": Nn_("Show %(num)s more of %(rest)s", "Show %(num)s more of %(rest)s"),
    "matching": Nn_("%(matching)s of %(num)s paper", "%(matching)s of %(num)s papers"),
    "all": Nn_("%(num)s paper", "All %(num)s papers"),
    "firstShown": N_(", first %(num)s shown"),
    "copied": N_("Copied to the clipboard."),
    "selected": N_("Selected: press Ctrl+C or ⌘C to copy."),
    "bibtexCopied": N_("BibTeX copied to the clipboard."),
    "scheme.system": N_("Colour scheme: as the system"),
    "scheme.light": N_("Colour scheme: light"),
    "scheme.dark": N_("Colour scheme: dark"),
}


def script_messages(language: str) -> dict[str, str | dict[str, str]] | None:
    """The scripts' messages in a translated language, None in English: a count's forms
    by the CLDR plural category `Intl.PluralRules` gives in the browser (each form picked
    by the catalogue's own rule for a number of that category)."""
    locale = babel_locale(language)
    if locale is None:
        return None
    from babel import Locale

    rule = Locale.parse(locale).plural_form
    samples: dict[str, int] = {}
    for number in range(1001):
        samples.setdefault(rule(number), number)
    catalogue = translations(language)
    made: dict[str, str | dict[str, str]] = {}
    for key, message in SCRIPT_MESSAGES.items():
        if isinstance(message, tuple):
            made[key] = {tag: _braces(catalogue.ngettext(*message, number))
                         for tag, number in sorted(samples.items())}
        else:
            made[key] = _braces(catalogue.gettext(message))
    return made


def _braces(text: str) -> str:
    return re.sub(r"%\((\w+)\)[sd]", r"{\1}", text)
