"""al-folio's own fields of a `.bib` entry (`pdf`, `code`, `selected`, `abbr`...) read into
the per-paper fields they are (paperfields.PaperFields), so that an al-folio
`papers.bib` copied into content/ keeps its links, badges and selected papers.

al-folio takes a bare file name in `pdf`, `supp`, `poster` and `slides` from
`assets/pdf/`, in `html` from `assets/html/` and in `preview` from
`assets/img/publication_preview/`: here the same folders under the site's `static/`
(so an al-folio `assets/` folder copied into static/ works), published under `assets/`
as every static file is. A file that is not there is a warning at the entry's line and
its link is left out; a URL stays a link. Its site-only keys (`bibtex_show`,
`altmetric`...) are read as nothing and never published (public.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path, PurePosixPath
from urllib.parse import quote, urlsplit

from ..containment import Outside, inside
from ..errors import Invalid, Problem
from ..links import is_link, is_web_url
from ..paperfields import PAPER_FIELDS
from .entry import Entry

#: The folders al-folio looks for a bare file name in, under static/ here.
PDF, HTML, PREVIEW = "assets/pdf", "assets/html", "assets/img/publication_preview"
#: al-folio's link fields: the per-paper field each gives, and the folder of a file name
#: (None: only a URL, as al-folio links it as written).
LINKS: dict[str, tuple[str, str | None]] = {
    "pdf": ("pdf", PDF), "supp": ("supp", PDF), "poster": ("poster", PDF),
    "slides": ("slides", PDF), "html": ("html", HTML), "preview": ("thumbnail", PREVIEW),
    "code": ("code", None), "video": ("video", None), "blog": ("blog", None),
    "website": ("website", None),
}
#: al-folio's text fields, by the per-paper field each gives.
TEXTS = {"abbr": "abbr", "award": "award", "award_name": "award_name",
         "additional_info": "additional_info"}
#: Keys only an al-folio site reads (its badges and buttons): accepted, never shown.
SITE_ONLY = ("bibtex_show", "google_scholar_id", "altmetric", "dimensions",
             "inspirehep_id", "annotation")
_TRUE, _FALSE = ("true", "yes", "1"), ("false", "no", "0")


def site_fields(entry: Entry, path: Path, shown: str, source_line: str | None,
                problems: list[Problem], text: Callable[[str], str]) -> Entry:
    """`entry` with the per-paper fields its al-folio keys give (`paper_fields`), and its
    `arxiv = {...}` as its arXiv identifier when it has none; a value that gives none is
    a warning in `problems`. `path` is the .bib file in content/ (the site is its
    folder's parent); `text` turns the BibTeX reader's LaTeX into text."""

    def warn(message: str) -> None:
        problems.append(Problem(shown, entry.line, 1, f"'{entry.key}': {message}",
                                source_line, warning=True))

    raw = {key.lower(): value for key, value in entry.fields}
    found: dict[str, str | bool] = {}
    site = path.parent.parent
    for key, (name, folder) in LINKS.items():
        value = _plain(raw.get(key, ""))
        if value:
            link = _link(key, value, folder, site, warn)
            if link is not None:
                found[name] = link
    for key, name in TEXTS.items():
        try:
            value = text(raw.get(key, ""))
        except ValueError as exc:  # LaTeX the reader refuses: the field only is left out
            warn(f"{key} is left out: {exc}")
            continue
        if value:
            found[name] = value
    selected = _plain(raw.get("selected", "")).lower()
    if selected in _TRUE:
        found["featured"] = True
    elif selected and selected not in _FALSE:
        warn(f"selected = {{{selected}}} is read as false; expected true or false")
    changes: dict[str, object] = {"paper_fields": tuple(sorted(found.items()))}
    arxiv = _plain(raw.get("arxiv", ""))
    if arxiv and entry.arxiv is None:
        try:
            changes["arxiv"] = PAPER_FIELDS["arxiv"].check(arxiv)
        except Invalid as exc:
            warn(f"arxiv = {{{arxiv}}} {exc}; it is left out")
    return replace(entry, **changes) if found or "arxiv" in changes else entry


def _link(key: str, value: str, folder: str | None, site: Path,
          warn: Callable[[str], None]) -> str | None:
    """The link a value gives: a URL as it is, a path in the site (`/...`, no `..`) as it
    is, a file name as the address its file in static/<folder>/ is published at; None
    (with a warning) when it gives none."""
    name = PurePosixPath(value)
    if is_web_url(value) or (value.startswith("/") and is_link(value)
                             and ".." not in name.parts):
        return value
    if folder is None:
        warn(f"{key} = {{{value}}} is left out: expected an http(s) URL")
        return None
    if (urlsplit(value).scheme or "\\" in value or name.is_absolute() or ".." in name.parts
            or not name.parts):
        warn(f"{key} = {{{value}}} is left out: expected an http(s) URL or a file name "
             f"in static/{folder}/")
        return None
    shown = f"static/{folder}/{value}"
    try:
        found = inside(site / "static" / folder / name, site)
    except Outside as exc:
        warn(f"{key} = {{{value}}} is left out: {shown} {exc}")
        return None
    if not found.is_file():
        warn(f"{key} = {{{value}}} is left out: no file {shown} (al-folio's "
             f"{folder}/, copied into the site's static/ folder)")
        return None
    return "/assets/" + quote(f"{folder}/{name.as_posix()}")  # static/x is published at assets/x


def _plain(value: str) -> str:
    """A field as written, without the braces and escapes BibTeX adds (`\\_`): a URL, a
    file name or a flag, not LaTeX to convert."""
    out = value.replace("{", "").replace("}", "")
    for char in "_%&#$~":
        out = out.replace("\\" + char, char)
    return out.strip()
