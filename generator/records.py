"""The parsed profile as plain immutable data: what the parser produces and everything
downstream reads. Nothing here knows about HTML, themes or files."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

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
    # A BibTeX entry's fields the site does not show, as written, for its download: only
    # public bibliographic ones (sources/public.py), never a reader's notes or files.
    kept_fields: tuple[tuple[str, str], ...] = ()
    keywords: tuple[str, ...] = ()  # the source's keywords, for `categories: keywords`
    # Per-paper fields (paperfields.PaperFields names) a bibliography gives, checked:
    # al-folio's pdf, code, selected... (sources/alfolio.py); a per-paper file's win.
    paper_fields: tuple[tuple[str, str | bool], ...] = ()
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
