"""The parsed profile as plain immutable data: what the parser produces and everything
downstream reads. Nothing here knows about HTML, themes or files."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from typing import Any, NamedTuple

Number = int | float

#: arXiv subject codes and their names, as the profile format lists them.
CATEGORY_NAMES: dict[str, str] = {
    "AI": "Artificial Intelligence",
    "CL": "Computation and Language",
    "CV": "Computer Vision and Pattern Recognition",
    "GR": "Graphics",
    "IR": "Information Retrieval",
    "LG": "Machine Learning",
    "ML": "Machine Learning (statistics)",
    "NE": "Neural and Evolutionary Computing",
    "RO": "Robotics",
    "SD": "Sound",
}


def category_name(code: str) -> str:
    """The arXiv name of a category code; an unknown code is shown as it is."""
    return CATEGORY_NAMES.get(code, code)


@dataclass(frozen=True)
class ExtraMetric:
    """A metric line the parser does not know, kept as label and value."""

    label: str
    value: Number | None
    text: str  # the value as written, e.g. "42%" or "1,204"
    line: int


@dataclass(frozen=True)
class Metrics:
    """The researcher's headline numbers; None where the profile does not give one."""

    h_index: Number | None = None
    papers: Number | None = None
    citations: Number | None = None
    novelty: Number | None = None  # a percentage
    ai_score: Number | None = None
    extra: tuple[ExtraMetric, ...] = ()


@dataclass(frozen=True, slots=True)
class Name:
    """An author: the name as written, which pages show, and its parts, which citations
    need. A name with no family part (an organisation such as "Gemini Team", or a
    one-word name) is cited whole, as `text`."""

    text: str
    given: str = ""
    family: str = ""
    particle: str = ""  # lowercase words before the family name: "von der", "van"
    suffix: str = ""  # "Jr.", "III"
    # Authorship marks written with the name, in order: "*" (often equal contribution),
    # "†", "‡", "#" (often corresponding author); never part of `text`.
    marks: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.text

    @property
    def literal(self) -> bool:
        """Cited whole: an organisation, or a name that has no family part."""
        return not self.family

    @property
    def family_full(self) -> str:
        """The family name with its particle: "von der Leyen", as sorted and cited."""
        return f"{self.particle} {self.family}" if self.particle else self.family

    @property
    def inverted(self) -> str:
        """"von der Leyen, Ursula", "King, Martin Luther, Jr.": the family name first, as
        RIS and Google Scholar's citation_author take it; a literal name as written."""
        if self.literal:
            return self.text
        return ", ".join(filter(None, (self.family_full, self.given, self.suffix)))


class Detail(NamedTuple):
    """One bibliographic detail of a work (a field of `Biblio`), as each format names it."""

    name: str
    type: str  # the field's annotation, as written
    doc: str  # one line: what it is
    bibtex: tuple[str, ...]  # the BibTeX fields read, in order; the first is written
    csl: str  # the CSL-JSON variable
    ris: str  # the RIS tag(s)
    highwire: str  # Google Scholar's citation_* tag(s); "" when it has none
    schema: str  # the schema.org property (metadata.py lays out where it goes)


def _detail(doc: str, *, bibtex: tuple[str, ...], csl: str, ris: str, highwire: str = "",
            schema: str = "", default: Any = "") -> Any:
    return field(default=default,
                 metadata={"detail": (doc, bibtex, csl, ris, highwire, schema)})


@dataclass(frozen=True, slots=True)
class Biblio:
    """A work's bibliographic details besides its title, authors, date and venue: the one
    table of them (each field's doc and its name in BibTeX, CSL-JSON, RIS, Google
    Scholar's tags and schema.org), read by the readers (sources/), corrected by a
    per-paper file (paperfields.py) and written by every format (model/citations.py,
    model/metadata.py). Each value is text as the source gives it; "" when none."""

    volume: str = _detail("the volume", bibtex=("volume",), csl="volume", ris="VL",
                          highwire="citation_volume", schema="volumeNumber")
    issue: str = _detail("the issue of a journal", bibtex=("number", "issue"), csl="issue",
                         ris="IS", highwire="citation_issue", schema="issueNumber")
    pages: str = _detail("the pages, first and last (877-888), or one page or an article "
                         "number", bibtex=("pages",), csl="page", ris="SP, EP",
                         highwire="citation_firstpage, citation_lastpage",
                         schema="pageStart, pageEnd, pagination")
    number: str = _detail("a report's, patent's or other work's number (a journal's is its "
                          "issue)", bibtex=("number",), csl="number", ris="IS",
                          highwire="citation_technical_report_number")
    publisher: str = _detail("the publisher", bibtex=("publisher",), csl="publisher", ris="PB",
                             highwire="citation_publisher", schema="publisher")
    place: str = _detail("where it was published, a city", bibtex=("address", "location"),
                         csl="publisher-place", ris="CY", schema="publisher.location")
    editors: tuple[Name, ...] = _detail(
        "the editors of the book or proceedings it is in, a list", bibtex=("editor",),
        csl="editor", ris="A2", schema="editor", default=())
    edition: str = _detail("the edition", bibtex=("edition",), csl="edition", ris="ET",
                           schema="bookEdition")
    isbn: str = _detail("the ISBN", bibtex=("isbn",), csl="ISBN", ris="SN",
                        highwire="citation_isbn", schema="isbn")
    issn: str = _detail("the ISSN", bibtex=("issn",), csl="ISSN", ris="SN",
                        highwire="citation_issn", schema="issn")
    series: str = _detail("the series", bibtex=("series",), csl="collection-title", ris="T3")
    chapter: str = _detail("the chapter's number", bibtex=("chapter",), csl="chapter-number",
                           ris="SE")

    def __bool__(self) -> bool:
        """Whether any detail is given (NO_BIBLIO, which most records share, at once)."""
        return self is not NO_BIBLIO and any(getattr(self, name) for name in DETAILS)

    @property
    def page_range(self) -> tuple[str, str]:
        """The first and last page ("877", "888"); the last is "" for one page."""
        return page_range(self.pages)

    def texts(self) -> list[str]:
        """Every text of the details, each editor's name among them."""
        if self is NO_BIBLIO:
            return []
        return [name.text for name in self.editors] + [
            value for name in DETAILS if isinstance(value := getattr(self, name), str)]

    def mapped(self, change: Callable[[str], str]) -> Biblio:
        """The details with `change` applied to every text (each part of each editor's
        name too): how pages show them (text.visible)."""
        if not self:
            return self
        editors = tuple(Name(*map(change, (n.text, n.given, n.family, n.particle,
                                           n.suffix))) for n in self.editors)
        return replace(self, editors=editors, **{
            name: change(value) for name in DETAILS
            if name != "editors" and (value := getattr(self, name))})

    def filled(self, other: Biblio) -> Biblio:
        """These details, with what only `other` gives."""
        missing = {name: getattr(other, name) for name in DETAILS
                   if not getattr(self, name) and getattr(other, name)}
        return replace(self, **missing) if missing else self


#: Every bibliographic detail by name, in order: the table `Biblio` declares.
DETAILS: dict[str, Detail] = {
    f.name: Detail(f.name, str(f.type), *f.metadata["detail"]) for f in fields(Biblio)}
NO_BIBLIO = Biblio()
_PAGE_RANGE = re.compile(r"\s*(?:--?|[\u2010-\u2015\u2212])\s*")


def page_range(pages: str) -> tuple[str, str]:
    """"877--888", "877–888", "877-888" -> ("877", "888"); one page or e123 -> (it, "")."""
    first, _, last = _PAGE_RANGE.sub("-", pages.strip(), count=1).partition("-")
    return first.strip(), last.strip()


@dataclass(frozen=True)
class Paper:
    """One paper entry of the profile."""

    slug: str
    title: str
    authors: tuple[Name, ...]
    authors_truncated: bool  # the list ended in "et al.": it names only the first authors
    affiliations: tuple[str, ...]
    category: str
    date: dt.date
    year_inferred: bool  # the header gave no year; it was inferred from the as-of date
    score: Number | None
    has_code: bool  # the header carried the "Code" flag
    code_url: str | None  # from "Code: URL" in the abstract
    links: tuple[str, ...]  # every http(s) URL in the abstract, in order
    abstract: str
    # The entry's header line in the profile: where the paper is, not what it is, so two
    # records that differ only in it are equal (a line added above a paper changes no page
    # of it, and the dev server keeps its view and HTML).
    line: int = field(compare=False)
    # What a bibliography (sources/) gives besides; the profile gives none of these, and
    # a paper's extras (content/papers/<slug>.md) correct them (model.views.corrected).
    # The category's name when its code is no arXiv code of CATEGORY_NAMES (model/subjects.py
    # sets code and name by the site's scheme); a bibliography's paper has the arXiv class
    # its source names, or "" for none.
    category_label: str = ""
    venue: str | None = None
    doi: str | None = None
    arxiv: str | None = None
    kind: str | None = None  # a key of worktypes.WORK_TYPES, when the source declares one
    precision: str = "day"  # how much of `date` the source gives: day, month or year
    url: str | None = None
    biblio: Biblio = NO_BIBLIO  # volume, issue, pages, publisher... (the table `Biblio`)
    # A BibTeX entry's fields the site does not show, as written, for its download: only
    # public bibliographic ones (sources/public.py), never a reader's notes or files.
    kept_fields: tuple[tuple[str, str], ...] = ()
    keywords: tuple[str, ...] = ()  # the source's keywords, for `categories: keywords`
    # Per-paper fields (paperfields.PaperFields names) a bibliography gives, checked:
    # al-folio's pdf, code, selected... (sources/alfolio.py), a synced work's former
    # addresses, `aliases` (sources/csljson.py); a per-paper file's win.
    paper_fields: tuple[tuple[str, str | bool | tuple[str, ...]], ...] = ()
    key: str | None = None  # the source's citation key (BibTeX's, CSL's citation-key)
    # A publication status written where the year would be ("in press", "forthcoming"):
    # shown in its place; `date` is then the as-of year's, `year_inferred` true.
    status: str | None = None

    @property
    def category_name(self) -> str:
        return self.category_label or category_name(self.category)


@dataclass(frozen=True)
class Profile:
    """A whole researcher profile: header, metrics and papers in file order."""

    name: str
    category: str
    metrics: Metrics
    papers: tuple[Paper, ...]
    declared_count: int | None  # the "<N> Papers" line, if there was one
    as_of: dt.date

    @property
    def category_name(self) -> str:
        return category_name(self.category)
