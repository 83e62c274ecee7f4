"""Which category each paper is in, by the site's one scheme (site.yaml's `categories`):
research areas (the profile's arXiv codes and the bibliographies' arXiv classes), kinds
of work (Journal articles, Conference papers...), or keywords. One scheme for every
paper, so a site never mixes "CL", "Evaluation" and "Theses"; and only research areas
make the home page say "Research mostly in ...".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import replace

from ..i18n import N_
from ..records import Paper
from ..slugs import slugify
from ..worktypes import WORK_TYPES, classify

# The schemes `categories:` may name are config.checks.CATEGORY_SCHEMES; `auto` is
# `arxiv` when most papers have an arXiv class or code (every profile's paper does), else
# `kind`.
#: Schemes whose categories are research areas, which the home page names.
AREAS = frozenset({"arxiv"})
#: The category of a paper the scheme has nothing for (no arXiv class, no keyword).
OTHER = ("other", N_("Other subjects"))


def scheme(papers: Iterable[Paper], chosen: str) -> str:
    """The scheme in force: `chosen`, or for `auto` arXiv classes when more than half the
    papers have one, else kinds of work."""
    if chosen != "auto":
        return chosen
    papers = list(papers)
    with_class = sum(1 for paper in papers if paper.category)
    return "arxiv" if papers and with_class * 2 > len(papers) else "kind"


def kind_of(paper: Paper) -> str:
    """A paper's kind of work, as its page shows it (a profile's paper is a preprint)."""
    return classify(paper.venue, paper.kind, paper.arxiv, default="preprint").key


def categorised(papers: list[Paper], used: str) -> list[Paper]:
    """Each paper with its category (`category`, `category_label`) by the scheme `used`
    (see `scheme`): its arXiv code or class; its kind of work (the plural: "Theses"); or
    of its keywords the one most papers of the site share. A paper with none is in
    OTHER."""
    if used == "arxiv":
        return [paper if paper.category else replace(paper, category=OTHER[0],
                                                     category_label=OTHER[1])
                for paper in papers]
    if used == "kind":
        return [_with(paper, kind, WORK_TYPES[kind].plural)
                for paper in papers for kind in (kind_of(paper),)]
    shared = Counter(slugify(word) for paper in papers
                     for word in dict.fromkeys(paper.keywords) if slugify(word))
    found = []
    for paper in papers:
        words = [word for word in paper.keywords if slugify(word)]
        if not words:
            found.append(_with(paper, *OTHER))
            continue
        best = max(words, key=lambda word: shared[slugify(word)])  # the first of the most
        found.append(_with(paper, slugify(best), best[:1].upper() + best[1:]))
    return found


def _with(paper: Paper, code: str, label: str) -> Paper:
    if paper.category == code and paper.category_label == label:
        return paper
    return replace(paper, category=code, category_label=label)


def singular(code: str, used: str) -> str:
    """A category's name on one paper's badge: a kind of work's singular ("Thesis");
    "" for other schemes (the badge shows the category's code or name)."""
    return WORK_TYPES[code].label if used == "kind" and code in WORK_TYPES else ""


def interface_name(code: str, used: str) -> bool:
    """Whether a category's name is the interface's own words (a kind of work's, or
    OTHER's), which a translated site shows in its language; an area's or a keyword's name
    is a name, shown as written. Its code (URLs, `?cat=`) is the same in every language."""
    return used == "kind" or code == OTHER[0]
