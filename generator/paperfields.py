"""The fields of a per-paper file (`content/papers/<slug>.md`), validated into a frozen
`PaperFields`.

`PaperFields` is the table of per-paper fields, as `SiteConfig` (config.py) is of
site.yaml's settings: each field is declared once with its type, one-line doc, check and
the bibliography fields that give a paper the same value (`paper_field(...)`). The check
of per-paper files (content/papers.py), the unknown-field message, the README's list
(made by `python -m generator.settings`) and the record the views read all come from it.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any, NamedTuple

from markupsafe import Markup

from . import links
from .errors import Invalid
from .identity import arxiv_written
from .records import DETAILS
from .worktypes import WORK_TYPES

Check = Callable[[Any], Any]  # the value as written -> the value kept, or raises Invalid


class PaperField(NamedTuple):
    """One field of a per-paper file, as `PaperFields` declares it."""

    name: str
    type: str  # the field's annotation, as written
    doc: str  # one line: what it is for
    check: Check
    bibtex: str  # the BibTeX fields that give a paper this value; "" when none
    csl: str  # the CSL-JSON fields that do; "" when none
    link: bool  # a URL, a file copied beside the paper's page, or a path in the site


def paper_field(default: Any, check: Check, doc: str, *, bibtex: str = "", csl: str = ""
                ) -> Any:
    """A field of `PaperFields` that a per-paper file may set (see `PaperField`)."""
    return field(default=default, metadata={"paper_field": (doc, check, bibtex, csl)})


def _text(value: Any) -> str:
    if not isinstance(value, (str, int, float)) or isinstance(value, bool) or not str(value):
        raise Invalid("must be text")
    return str(value).strip()


def _link(value: Any) -> str:
    text = _text(value)
    if not links.is_link(text):
        raise Invalid(links.EXPECTED)
    return text


def _doi(value: Any) -> str:
    text = links.bare_doi(_text(value))
    if not re.fullmatch(r"10\.\d{4,9}/\S+", text):
        raise Invalid("must be a DOI such as 10.1000/xyz123")
    return text


def _arxiv(value: Any) -> str:
    text = arxiv_written(_text(value))
    if text is None:
        raise Invalid("must be an arXiv identifier such as 2201.12204")
    return text


def _type(value: Any) -> str:
    text = _text(value)
    if text not in WORK_TYPES:
        raise Invalid(f"must be one of {', '.join(WORK_TYPES)}")
    return text


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise Invalid("must be true or false")
    return value


def _names(value: Any) -> tuple[str, ...]:
    if not (isinstance(value, list) and value
            and all(isinstance(v, str) and v.strip() for v in value)):
        raise Invalid("must be a list of names")
    return tuple(v.strip() for v in value)


def _name_list(value: Any) -> tuple[str, ...]:
    return _names([value] if isinstance(value, str) else value)


def _aliases(value: Any) -> tuple[str, ...]:
    values = [value] if isinstance(value, str) else value
    aliases = ([alias(v) if isinstance(v, str) else "" for v in values]
               if isinstance(values, list) else [])
    if not aliases or not all(aliases):
        raise Invalid("must be a list of paths in the site such as papers/old-title/")
    return tuple(aliases)


def alias(text: str) -> str:
    """An old address as the folder of its page, `papers/old-title/`; '' when it is none
    (a URL, a file name, a way out of the site)."""
    path = text.strip().strip("/")
    parts = path.split("/")
    if (not path or "://" in text or any(p in ("", ".", "..") for p in parts)
            or not all(re.fullmatch(r"[\w.~-]+", p) for p in parts) or "." in parts[-1]):
        return ""
    return path + "/"


_ALSO = "an http(s) URL, a file or a path in the site (as pdf)"
_NOT_READ = "not read yet"
_IN_PDF = "a URL, or a file name looked for in static/assets/pdf/"


@dataclass(frozen=True)
class PaperFields:
    """What a paper's file adds to or corrects in its record. Every field before `notes`
    is a field of the file's front matter, in the order the README and messages list
    them; the bibliography columns name the fields that give a record the same value
    (those marked "not read yet" are what the readers should take next)."""

    pdf: str | None = paper_field(
        None, _link, "the PDF: an http(s) URL, a file (a path relative to this file, copied "
        "into the site) or a path in the site (from its root: /assets/x.pdf)",
        bibtex=f"pdf (al-folio: {_IN_PDF})")
    open_access: str | None = paper_field(
        None, _link, "an open-access copy of the paper (an http(s) URL): shown as its PDF "
        "when it names a PDF and the paper has no `pdf`, else as an Open access button; "
        "a `pdf` the researcher gives wins", csl="custom.open-access-url (what `scholarfolio "
        "sync` writes from OpenAlex)")
    doi: str | None = paper_field(
        None, _doi, "the DOI, such as 10.1000/xyz123", bibtex="doi", csl="DOI")
    arxiv: str | None = paper_field(
        None, _arxiv, "the arXiv identifier, such as 2201.12204",
        bibtex="eprint when archivePrefix (or eprinttype) is arXiv, else an arXiv "
        "identifier in the venue or url (Google Scholar's journal = {arXiv preprint ...})",
        csl="an arXiv identifier in DOI, URL, number or container-title")
    venue: str | None = paper_field(
        None, _text, "where it was published",
        bibtex="the kind's own field (a book's publisher, a chapter's booktitle, a thesis's "
        "school...), else journal, journaltitle, booktitle, school, institution, publisher, "
        "howpublished or organization (the first there is that is not the title)",
        csl="the kind's own variable (a book's, thesis's or report's publisher), else "
        "container-title, event-title or collection-title")
    type: str | None = paper_field(
        None, _type, f"what kind of work it is: {', '.join(WORK_TYPES)} (default: what the "
        "venue names; a preprint without one)",
        bibtex="the entry type (@article: journal, @inproceedings: conference, "
        "@incollection: chapter, @mastersthesis: masters-thesis, @techreport: report, "
        "@online: webpage...)",
        csl="type (article-journal: journal, paper-conference: conference, chapter: "
        "chapter, thesis with its genre, report: report, webpage: webpage...)")
    slides: str | None = paper_field(
        None, _link, f"the slides: {_ALSO}", bibtex=f"slides (al-folio: {_IN_PDF})")
    video: str | None = paper_field(
        None, _link, f"a video: {_ALSO}", bibtex="video (al-folio: a URL)")
    poster: str | None = paper_field(
        None, _link, f"the poster: {_ALSO}", bibtex=f"poster (al-folio: {_IN_PDF})")
    thumbnail: str | None = paper_field(
        None, _link, f"a picture for the paper: {_ALSO}",
        bibtex="preview (al-folio: a URL, or a file name looked for in "
        "static/assets/img/publication_preview/)")
    featured: bool = paper_field(
        False, _flag, "true to list the paper under Selected on the home page",
        bibtex="selected = {true} (al-folio)")
    # al-folio's other fields (sources/alfolio.py reads them from a .bib).
    code: str | None = paper_field(
        None, _link, f"the code: {_ALSO}", bibtex="code (al-folio: a URL)")
    html: str | None = paper_field(
        None, _link, f"the paper's web version (an HTML button): {_ALSO}",
        bibtex="html (al-folio: a URL, or a file name looked for in static/assets/html/)")
    website: str | None = paper_field(
        None, _link, f"the project's website: {_ALSO}", bibtex="website (al-folio: a URL)")
    blog: str | None = paper_field(
        None, _link, f"a blog post about it: {_ALSO}", bibtex="blog (al-folio: a URL)")
    supp: str | None = paper_field(
        None, _link, f"supplementary material: {_ALSO}", bibtex=f"supp (al-folio: {_IN_PDF})")
    abbr: str | None = paper_field(
        None, _text, "the venue's short name, for its badge (NeurIPS, PhysRev)",
        bibtex="abbr (al-folio)")
    award: str | None = paper_field(
        None, _text, "an award the paper won, in words (shown on its page)",
        bibtex="award (al-folio)")
    award_name: str | None = paper_field(
        None, _text, "the award's short name, for its badge (Best Paper)",
        bibtex="award_name (al-folio)")
    additional_info: str | None = paper_field(
        None, _text, "a short note shown after the venue (Oral presentation)",
        bibtex="additional_info (al-folio)")
    title: str | None = paper_field(None, _text, "the corrected title", bibtex="title",
                                    csl="title")
    authors: tuple[str, ...] = paper_field(
        (), _names, "the corrected authors, a list", bibtex="author, else editor",
        csl="author, else editor")
    equal: tuple[str, ...] = paper_field(
        (), _name_list, "the authors who contributed equally, a list of names as the author "
        "list writes them (each shown with *); over the marks a bibliography writes",
        bibtex="a * or # written with a name (Smith*, $^*$)")
    corresponding: tuple[str, ...] = paper_field(
        (), _name_list, "the corresponding authors, a list of names (each shown with †); "
        "over the marks a bibliography writes", bibtex="a † written with a name ($^\\dagger$, "
        "\\dag)")
    aliases: tuple[str, ...] = paper_field(
        (), _aliases, "old addresses of the paper, a list of paths in the site such as "
        "papers/old-title/: each gets a page that sends readers here")
    # The file's bibliographic details (records.DETAILS: the table of them, whose rows
    # PAPER_FIELDS lists after `type`), as (name, value) in the table's order: they
    # correct the record's `biblio` (model.views.corrected).
    details: tuple[tuple[str, Any], ...] = ()
    notes: Markup | None = None  # the file's body as HTML, shown under the abstract


#: The link fields a paper shows as buttons after its PDF and code, with their labels, in
#: order (the view makes each a `Resource`).
RESOURCES = (("html", "HTML"), ("supp", "Supplement"), ("slides", "Slides"),
             ("video", "Video"), ("poster", "Poster"), ("blog", "Blog"),
             ("website", "Website"))


def _table() -> dict[str, PaperField]:
    """PaperFields' own fields, and after `type` the bibliographic details (Biblio's)."""
    table: dict[str, PaperField] = {}
    for f in fields(PaperFields):
        if "paper_field" in f.metadata:
            doc, check, bibtex, csl = f.metadata["paper_field"]
            table[f.name] = PaperField(f.name, str(f.type), doc, check, bibtex, csl,
                                       check is _link)
        if f.name == "type":
            table.update((name, PaperField(
                name, "tuple[str, ...]" if name == "editors" else "str | None", detail.doc,
                _names if name == "editors" else _text, ", ".join(detail.bibtex),
                detail.csl, False)) for name, detail in DETAILS.items())
    return table


def paper_fields(values: dict[str, Any], notes: Markup | None = None) -> PaperFields:
    """A file's checked values (by the names of PAPER_FIELDS) as its PaperFields."""
    details = tuple((name, values.pop(name)) for name in DETAILS if name in values)
    return PaperFields(**values, details=details, notes=notes)


#: Every field of a per-paper file by name, in order: the table `PaperFields` declares.
PAPER_FIELDS: dict[str, PaperField] = _table()
#: A paper with no file of its own.
NO_FIELDS = PaperFields()

#: The README's list of per-paper fields sits between these two lines.
README_START = ("<!-- Made from the table of per-paper fields (PaperFields in "
                "generator/paperfields.py) by `python -m generator.settings`. -->")
README_END = "<!-- End of the list of per-paper fields. -->"


def readme_list(width: int = 86) -> str:
    """The README's list of per-paper fields, between `README_START` and `README_END`."""
    items = []
    for item in PAPER_FIELDS.values():
        sources = "; ".join(f"{name}: {value}" for name, value in
                            (("BibTeX", item.bibtex), ("CSL-JSON", item.csl)) if value)
        fed = f" {sources}." if sources else ""
        text = f"`{item.name}`: {item.doc[0].upper()}{item.doc[1:]}.{fed}"
        items.append(textwrap.fill(text, width, initial_indent="- ", subsequent_indent="  ",
                                   break_long_words=False, break_on_hyphens=False))
    return "\n".join([README_START, "", *items, "", README_END])


def readme_with_list(text: str) -> str:
    """README.md's text with its list of per-paper fields made anew; ValueError without
    the marks."""
    start, end = text.find(README_START), text.find(README_END)
    if start < 0 or end < start:
        raise ValueError(f"README.md has no '{README_START}' ... '{README_END}' lines")
    return text[:start] + readme_list() + text[end + len(README_END):]
