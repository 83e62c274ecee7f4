"""What kind of work a paper is (a journal article, a conference paper, a chapter, a
thesis...), and that kind's name in each citation format: one table, so that BibTeX, RIS,
CSL-JSON, JSON-LD and Google Scholar's tags always agree."""

from __future__ import annotations

import re
from typing import NamedTuple

from .i18n import N_


class WorkType(NamedTuple):
    """One kind of work, as each format names it, and where each puts its venue."""

    key: str  # as `type:` in a paper's extras takes it
    label: str  # one work of the kind, as a paper's badge shows it
    plural: str  # a heading over works of this kind
    bibtex: str  # the entry type
    bibtex_venue: str  # the BibTeX field that holds the venue
    ris: str  # TY
    ris_venue: str  # the RIS tag of the venue: T2 a container, PB a publisher
    csl: str  # type
    csl_venue: str  # the CSL-JSON variable of the venue
    highwire: str | None  # the citation_* tag of the venue, for Google Scholar
    schema: str  # the schema.org type of the JSON-LD
    # How the venue is a container in schema.org (isPartOf): Periodical, Book, WebSite,
    # Event; "" when the venue is the work's publisher (a book's, a thesis's university).
    schema_container: str = ""
    genre: str = ""  # CSL's genre and RIS's M3 (type of work), where the type is not enough
    credit: str = "author"  # the authors' role: an edited book's are its editors


#: Every kind, by key: the table the formats read, in the order of headings.
WORK_TYPES: dict[str, WorkType] = {t.key: t for t in (
    WorkType("journal", N_("Journal article"), N_("Journal articles"), "article", "journal", "JOUR",
             "T2", "article-journal", "container-title", "citation_journal_title",
             "ScholarlyArticle", "Periodical"),
    WorkType("conference", N_("Conference paper"), N_("Conference papers"), "inproceedings",
             "booktitle", "CONF", "T2", "paper-conference", "container-title",
             "citation_conference_title", "ScholarlyArticle", "Book"),
    WorkType("preprint", N_("Preprint"), N_("Preprints"), "misc", "howpublished", "UNPB", "T2",
             "article", "container-title", None, "ScholarlyArticle"),
    WorkType("chapter", N_("Book chapter"), N_("Book chapters"),
             "incollection", "booktitle", "CHAP",
             "T2", "chapter", "container-title", "citation_inbook_title", "Chapter", "Book"),
    WorkType("book", N_("Book"), N_("Books"),
             "book", "publisher", "BOOK", "PB", "book", "publisher",
             "citation_publisher", "Book"),
    WorkType("edited-book", N_("Edited book"), N_("Edited books"), "book", "publisher", "EDBOOK",
             "PB", "book", "publisher", "citation_publisher", "Book", credit="editor"),
    WorkType("thesis", N_("PhD thesis"), N_("PhD theses"), "phdthesis", "school", "THES", "PB",
             "thesis", "publisher", "citation_dissertation_institution", "Thesis",
             genre="PhD thesis"),
    WorkType("masters-thesis", N_("Master's thesis"), N_("Master's theses"),
             "mastersthesis", "school",
             "THES", "PB", "thesis", "publisher", "citation_dissertation_institution",
             "Thesis", genre="Master's thesis"),
    WorkType("report", N_("Report"), N_("Reports"), "techreport", "institution", "RPRT", "PB",
             "report", "publisher", "citation_technical_report_institution", "Report"),
    WorkType("dataset", N_("Dataset"), N_("Datasets"), "dataset", "publisher", "DATA", "PB",
             "dataset", "publisher", "citation_publisher", "Dataset"),
    WorkType("software", N_("Software"), N_("Software"), "software", "publisher", "COMP", "PB",
             "software", "publisher", "citation_publisher", "SoftwareSourceCode"),
    WorkType("webpage", N_("Web page"), N_("Web pages"), "online", "organization", "ELEC", "T2",
             "webpage", "container-title", None, "WebPage", "WebSite"),
    WorkType("patent", N_("Patent"), N_("Patents"), "patent", "holder", "PAT", "PB", "patent",
             "authority", None, "CreativeWork"),
    WorkType("talk", N_("Talk"), N_("Talks"), "misc", "howpublished", "SLIDE", "T2", "speech",
             "event-title", "citation_conference_title", "PresentationDigitalDocument",
             "Event", genre="Talk"),
    WorkType("poster", N_("Poster"), N_("Posters"), "misc", "howpublished", "GEN", "T2", "speech",
             "event-title", "citation_conference_title", "CreativeWork", "Event",
             genre="Poster"),
    WorkType("other", N_("Paper"), N_("Other works"),
             "misc", "howpublished", "GEN", "T2", "document",
             "container-title", None, "CreativeWork"),
)}

# Words and acronyms that name a venue's kind; a venue that has none is "other".
_PREPRINT = re.compile(r"\b(arxiv|biorxiv|medrxiv|chemrxiv|psyarxiv|socarxiv|ssrn|preprints?|"
                       r"research\s+square|openreview|corr)\b", re.I)
# DOIs that only preprint servers give: bioRxiv and medRxiv (10.1101/ and a date or 6-8
# digits: the same prefix's journals have letters), SSRN, Research Square, arXiv's own.
_PREPRINT_DOI = re.compile(r"10\.(1101/(\d{4}\.\d\d\.\d\d\.)?\d{6,8}(v\d+)?$|2139/ssrn\.|"
                           r"21203/rs\.|48550/arxiv\.)", re.I)
_CONFERENCE_WORDS = (
    r"neurips|nips|icml|iclr|cvpr|iccv|eccv|aaai|ijcai|acl|emnlp|naacl|eacl|coling|kdd|"
    r"siggraph|chi|uai|aistats|corl|rss|icra|iros|colt|sigir|wsdm|www|interspeech|icassp|"
    r"bmvc|3dv|miccai|wacv|accv|ijcnn|l4dc|alt|acml")
_CONFERENCE = re.compile(r"\b(proc\.?|proceedings|conference|conf\.?|symposium|workshop|"
                         r"congress|meeting|" + _CONFERENCE_WORDS + r")\b", re.I)
# A conference's acronym as the whole venue or in brackets: "Computer Vision and Pattern
# Recognition (CVPR)", "NeurIPS 2023"; not a word inside a title, such as "Cell".
_ACRONYM = re.compile(r"^\s*(" + _CONFERENCE_WORDS + r")\s*(\d{4})?\s*$|"
                      r"\((" + _CONFERENCE_WORDS + r")\b[^)]*\)", re.I)
_JOURNAL = re.compile(
    r"\b(journal|j\.|transactions|trans\.|letters|review|reviews|nature|science|cell|pnas|"
    r"jmlr|tmlr|tpami|ijcv|plos|annals|bulletin|quarterly|magazine|neurocomputing|"
    r"communications)\b", re.I)


# A meeting named outright (not "Proceedings of...", which many journals are called):
# al-folio sites write every paper as @article{journal = {International Conference on...}}.
_MEETING = re.compile(r"\b(conference|symposium|workshop|congress|meeting)\b|"
                      r"neural information processing systems", re.I)


def conference_venue(venue: str | None) -> bool:
    """The venue a source calls a journal names a conference ("International Conference on
    Computer Vision (ICCV)", "CVPR") and no journal ("IEEE Transactions on...")."""
    if not venue or _JOURNAL.search(venue):
        return False
    return bool(_MEETING.search(venue) or _ACRONYM.search(venue))


def preprint_server(venue: str | None, doi: str | None = None) -> bool:
    """The venue (a "journal" such as bioRxiv, SSRN or Research Square) or the DOI is a
    preprint server's."""
    return bool(venue and _PREPRINT.search(venue)) or bool(doi and _PREPRINT_DOI.match(doi))


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
