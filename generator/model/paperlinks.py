"""What a paper's page links and honours besides its DOI and arXiv: its PDF, its
per-paper link fields as buttons (paperfields.RESOURCES), the source's own address of
the paper, its open-access copy, and an award. Every link goes through `links.site_link`."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple
from urllib.parse import urlsplit

from ..links import arxiv_id, doi_in, escaped, is_web_url, site_link
from ..paperfields import RESOURCES, PaperFields
from ..records import Paper
from ..text import visible


class Resource(NamedTuple):
    """A link a paper's extras add: its label (Slides, Video, Poster) and URL."""

    label: str
    url: str


class Award(NamedTuple):
    """An award the paper won: its badge's words and, when given, what it was for."""

    name: str
    text: str | None


def paper_links(paper: Paper, extra: PaperFields, url: Callable[[str], str]
                ) -> tuple[str | None, tuple[Resource, ...]]:
    """The paper's PDF and its other links, in order. The source's `url` links the paper
    too: as its PDF when it names one and there is none, else as a Paper button unless
    it is the address of the DOI, the arXiv entry or a link already shown; so does its
    open-access copy (`open_access`), when there is no PDF still."""
    pdf = site_link(paper.slug, "pdf", extra.pdf, url)
    resources = tuple(Resource(label, link) for name, label in RESOURCES
                      if (link := site_link(paper.slug, name, getattr(extra, name), url)))
    if paper.url and is_web_url(paper.url):
        address = escaped(paper.url)
        if pdf is None and _is_pdf(address):
            pdf = address
        elif not _links_to(paper, address, (pdf, *(r.url for r in resources))):
            resources = (Resource("Paper", address), *resources)
    # An open-access copy (a synced work's, below what the researcher wrote): in the
    # PDF's place when the paper has none, as the PDF or an Open access button.
    free = site_link(paper.slug, "open_access", extra.open_access, url)
    if free is not None and pdf is None:
        if _is_pdf(free):
            pdf = free
        elif not _links_to(paper, free, tuple(r.url for r in resources)):
            resources = (Resource("Open access", free), *resources)
    return pdf, resources


def award(extra: PaperFields) -> Award | None:
    """The award its fields name (al-folio's award_name and award), as pages show text."""
    if not (extra.award or extra.award_name):
        return None
    return Award(visible(extra.award_name or "Award"),
                 visible(extra.award) if extra.award else None)


def _is_pdf(link: str) -> bool:
    """Whether an address names a PDF: its path ends in .pdf, or arXiv's /pdf/."""
    parts = urlsplit(link)
    return parts.path.lower().endswith(".pdf") or (
        parts.netloc.endswith("arxiv.org") and parts.path.startswith("/pdf/"))


def _links_to(paper: Paper, link: str, shown: tuple[str | None, ...]) -> bool:
    """Whether a page links `link` already: as its DOI's or arXiv's address, or shown."""
    doi, arxiv = doi_in(link), arxiv_id(link)
    return (link in shown
            or (doi is not None and paper.doi is not None and doi.lower() == paper.doi.lower())
            or (arxiv is not None and arxiv == paper.arxiv))
