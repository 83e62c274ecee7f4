"""What kind of work a paper is (a journal article, a conference paper, a preprint...), and
that kind's name in each citation format: one table, so that BibTeX, RIS, CSL-JSON and
Google Scholar's tags always agree."""

from __future__ import annotations

import re
from typing import NamedTuple

from .i18n import N_


class WorkType(NamedTuple):
    """One kind of work, as each format names it."""

    key: str  # as `type:` in a paper's extras takes it
    label: str  # as pages show it
    bibtex: str  # the entry type
    bibtex_venue: str  # the field that holds the venue
    ris: str  # TY
    csl: str  # type
    highwire: str | None  # the citation_* tag of the venue, for Google Scholar
    plural: str = ""  # a heading over works of this kind, a category's name


#: Every kind, by key: the table the formats read.
WORK_TYPES: dict[str, WorkType] = {t.key: t for t in (
    WorkType("journal", N_("Journal article"), "article", "journal", "JOUR", "article-journal",
             "citation_journal_title", N_("Journal articles")),
    WorkType("conference", N_("Conference paper"), "inproceedings", "booktitle", "CONF",
             "paper-conference", "citation_conference_title", N_("Conference papers")),
    WorkType("preprint", N_("Preprint"), "misc", "howpublished", "UNPB", "article", None,
             N_("Preprints")),
    WorkType("book", N_("Book"), "book", "publisher", "BOOK", "book", "citation_publisher",
             N_("Books")),
    WorkType("thesis", N_("Thesis"), "phdthesis", "school", "THES", "thesis",
             "citation_dissertation_institution", N_("Theses")),
    WorkType("other", N_("Paper"), "misc", "howpublished", "GEN", "document", None,
             N_("Other works")),
)}

# Words and acronyms that name a venue's kind; a venue that has none is "other".
_PREPRINT = re.compile(r"\b(arxiv|biorxiv|medrxiv|chemrxiv|ssrn|preprint|openreview|corr)\b", re.I)
_CONFERENCE = re.compile(
    r"\b(proc\.?|proceedings|conference|conf\.?|symposium|workshop|congress|meeting|"
    r"neurips|nips|icml|iclr|cvpr|iccv|eccv|aaai|ijcai|acl|emnlp|naacl|eacl|coling|kdd|"
    r"siggraph|chi|uai|aistats|corl|rss|icra|iros|colt|sigir|wsdm|www|interspeech|icassp|"
    r"bmvc|3dv|miccai|wacv|accv|ijcnn|l4dc|alt|acml)\b", re.I)
_JOURNAL = re.compile(
    r"\b(journal|j\.|transactions|trans\.|letters|review|reviews|nature|science|cell|pnas|"
    r"jmlr|tmlr|tpami|ijcv|plos|annals|bulletin|quarterly|magazine|neurocomputing|"
    r"communications)\b", re.I)


def classify(venue: str | None, declared: str | None = None, arxiv: str | None = None,
             default: str = "other") -> WorkType:
    """The kind of a work: `declared` (a key of WORK_TYPES) when given, else what its venue
    names (a conference before a journal: "Proceedings of the AAAI Conference" is one),
    else a preprint when it has an arXiv identifier, else `default`."""
    if declared:
        return WORK_TYPES[declared]
    if venue:
        if _PREPRINT.search(venue):
            return WORK_TYPES["preprint"]
        if _CONFERENCE.search(venue):
            return WORK_TYPES["conference"]
        if _JOURNAL.search(venue):
            return WORK_TYPES["journal"]
        return WORK_TYPES[default if default != "preprint" else "other"]
    if arxiv:
        return WORK_TYPES["preprint"]
    return WORK_TYPES[default]
