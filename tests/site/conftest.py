"""Fixtures of the site checks: three sites built once per session and served from
localhost under their base paths, and one headless Chromium shared by every test.

- demo: the repository's own site.yaml and content/, built for
  https://example.github.io/portfolio/.
- synth: 300 synthetic papers from tests/synth_profile.py (seed 3), with a
  photo, a bio, links elsewhere, news, a CV, talks, teaching, projects and an about page,
  authorship marks and thumbnails on its newest papers (per-paper files) and a student,
  built for https://example.org/lab/synth/.
- minimal: the demo site with `theme: minimal`, so the second theme passes the same checks.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from sitekit import (
    AXE_JS,
    PAGE_TYPES,
    REPO,
    SETUP_HINT,
    VNU_JAR,
    BuiltSite,
    SiteServer,
)

from generator.build import build
from generator.model import PaperView, SiteModel
from generator.profile import parse_profile
from tests.conftest import portrait_png
from tests.synth_profile import write_synth_profile

SYNTH_PAPERS = 300
SYNTH_SEED = 3
SYNTH_SITE_YAML = """\
title: Synthetic Researcher
as_of: 2026-11-23
base_url: https://example.org/lab/synth/
bio: >-
  A synthetic profile of 300 papers, with every part a page can show: a photo,
  links elsewhere, scores, code links and affiliations.
photo: content/photo.png
group_by: type
aliases: [Ana Zhang]
coauthors:
  Siqi Ngata: https://example.org/~siqi/
links:
  github: octocat
  orcid: 0000-0002-1825-0097
  email: researcher@example.org
  website: https://example.org/~researcher/
  mastodon: https://mastodon.example/@researcher
"""
#: News of the synthetic site: a headline with a link, and text alone.
SYNTH_NEWS = {
    "report": "---\ndate: 2026-05-10\ntitle: A report is out\n---\nRead [it here](https://example.org/r).\n",
    "talk": "---\ndate: 2025-12-01\n---\nA talk at **a workshop** on world models.\n",
}
#: The synthetic site's talks, teaching and projects (content/talks/...): a title and a day
#: alone, and every field besides; its CV writes a talks section of its own (so the CV
#: keeps that one, and lists the teaching and projects).
SYNTH_ITEMS = {
    "talks/world-models.md": "---\ntitle: World models, a tutorial\ndate: 2025-06-12\n"
    "event: A Workshop on Generative Models\nplace: Lisbon\n"
    "slides: https://example.org/slides.pdf\nvideo: https://example.org/video\n---\n"
    "An hour on **world models**.\n",
    "talks/seminar.md": "---\ntitle: Scenes as functions\ndate: 2024-02-01\n---\n",
    "teaching/ml.md": "---\ntitle: Machine learning\ndate: 2024-09-01\ncourse: ML-101\n"
    "place: University of Lisbon\n---\nLectures and labs, 60 students.\n",
    "projects/scenes.md": "---\ntitle: Scene representations\ndate: 2023-01-15\n"
    "code: https://github.com/octocat/scenes\nthumbnail: scenes.png\n---\n"
    "Learning 3D scenes from pictures.\n",
}
#: The synthetic site's CV: every kind of RenderCV entry, so Nu and axe read them all.
SYNTH_CV = """\
cv:
  name: Synthetic Researcher
  label: Research Scientist
  location: Lisbon, Portugal
  email: researcher@example.org
  phone: "+351 21 000 0000"
  website: https://example.org/~researcher/
  social_networks:
    - network: GitHub
      username: octocat
    - network: ORCID
      username: 0000-0002-1825-0097
    - network: Google Scholar
      username: XXXX
    - network: Mastodon
      username: "@researcher@mastodon.example"
  sections:
    welcome:
      - A CV written in *RenderCV's* schema, with [a link](https://example.org/).
    education:
      - institution: University of Lisbon
        area: Computer Science
        degree: PhD
        grade: "With distinction"
        start_date: 2016-09
        end_date: 2020-07
        location: Lisbon
        highlights:
          - "Thesis: **Learning functions**"
    experience:
      - company: A Research Lab
        position: Research Scientist
        start_date: 2020-09
        location: London
        summary: Generative models of scenes.
        url: https://example.org/lab
    publications:
    talks:
      - name: Neural processes
        date: 2021-05-04
        location: Cambridge
      - name: Summer school
        date: Fall 2023
    skills:
      - label: Languages
        details: Python, Rust
    awards:
      - bullet: Best paper award, 2021
    service:
      - number: Reviewer, NeurIPS
      - number: Area chair, ICLR
    invited_articles:
      - title: Scenes as functions
        authors: [A. Writer, Synthetic Researcher]
        journal: A Magazine
        date: 2022-03
        doi: 10.1000/xyz123
"""
SYNTH_ABOUT = """\
---
title: About the lab
menu: 1
---
A page with every part Markdown gives: a table, a footnote[^1] and code.

| Year | Papers |
|------|-------:|
| 2025 | 40 |

```python
print("hello")  # highlighted
```

[^1]: A footnote.
"""


@dataclass(frozen=True)
class ServedSite:
    """A built site, served: where its pages are, on disk and over HTTP."""

    built: BuiltSite
    origin: str  # http://127.0.0.1:PORT
    pages: dict[str, str | None]  # page type -> URL path under the base path; None: none
    model: SiteModel  # what the build made the pages from: papers, categories

    @property
    def name(self) -> str:
        return self.built.name

    def url(self, path: str) -> str:
        """The local URL of a URL path of the site (a path that starts with the base path)."""
        return self.origin + path

    def page_url(self, page_type: str) -> str:
        """The page's local URL; a site without such a page skips the test (the demo has
        no talks: it invents nothing)."""
        path = self.pages[page_type]
        if path is None:
            pytest.skip(f"{self.name} has no {page_type} page")
        return self.url(path)


def _richest_paper(papers: tuple[PaperView, ...]) -> PaperView:
    """The paper whose page shows the most parts: code link, affiliations, links, score,
    a pager both ways and authorship marks; the newest among equals."""

    def parts(index: int) -> int:
        paper = papers[index].paper
        return (
            bool(paper.code_url)
            + bool(paper.affiliations)
            + bool(paper.links)
            + (paper.score is not None)
            + (0 < index < len(papers) - 1)
            + any(author.marks for author in papers[index].authors)
        )

    return papers[max(range(len(papers)), key=lambda i: (parts(i), -i))]


def _build_site(name: str, root, output, base_url: str | None = None, theme: str | None = None,
                language: str | None = None):
    """Build the site in `root` into `output`: the built site, its page of each type and
    its model."""
    result = build(root, {"base_url": base_url, "output": str(output), "theme": theme,
                          "language": language})
    model = result.model
    assert model.papers and model.categories, f"{name}: the site has no papers to check"
    base = result.config.base_path
    pages = {
        "home": base,
        "publications": base + "publications/",
        "paper": _richest_paper(model.papers).url,
        "category": model.categories[0].ref.url,
        "categories": base + "categories/",
        "404": base + "no-such-page/",
        "page": base + "about/",
        "cv": base + "cv/",
        # talks, teaching, projects: the synthetic site's (the demo invents none)
        **{kind: base + f"{kind}/" if (output / kind / "index.html").is_file() else None
           for kind in ("talks", "teaching", "projects")},
    }
    assert list(pages) == PAGE_TYPES
    return BuiltSite(name, result.config.output, result.config.base_url, base), pages, model


def write_synth_site(root: Path, papers: int = SYNTH_PAPERS) -> Path:
    """The synthetic site's folder: its settings, photo, about page, news, CV, talks,
    teaching, projects and the profile of tests/synth_profile.py (also what
    bench/lighthouse.py measures)."""
    content = root / "content"
    (content / "pages").mkdir(parents=True)
    (content / "news").mkdir()
    (root / "site.yaml").write_text(SYNTH_SITE_YAML, encoding="utf-8")
    (content / "photo.png").write_bytes(portrait_png())
    (content / "pages" / "about.md").write_text(SYNTH_ABOUT, encoding="utf-8")
    for name, text in SYNTH_NEWS.items():
        (content / "news" / f"{name}.md").write_text(text, encoding="utf-8")
    (content / "cv.yaml").write_text(SYNTH_CV, encoding="utf-8")
    for path, text in SYNTH_ITEMS.items():
        (content / path).parent.mkdir(exist_ok=True)
        (content / path).write_text(text, encoding="utf-8")
    (content / "projects" / "scenes.png").write_bytes(portrait_png())
    write_synth_profile(content / "profile.txt", papers, SYNTH_SEED)
    write_synth_marks(root)
    return root


def write_synth_marks(root: Path) -> None:
    """Authorship marks and thumbnails on the synthetic site's three newest papers, by
    their per-paper files (equal contribution for the first two authors, the last one
    corresponding, a picture each), and its most frequent co-author as a student."""
    content = root / "content"
    text = (content / "profile.txt").read_text(encoding="utf-8")
    profile, _ = parse_profile(text, "profile.txt", dt.date(2026, 11, 23))
    papers = content / "papers"
    papers.mkdir(exist_ok=True)
    for paper in sorted(profile.papers, key=lambda p: (p.date, p.slug), reverse=True)[:3]:
        names = [name.text for name in paper.authors]
        (papers / f"{paper.slug}.png").write_bytes(portrait_png())
        (papers / f"{paper.slug}.md").write_text(
            f"---\nequal: [{names[0]}, {names[1]}]\ncorresponding: [{names[-1]}]\n"
            f"thumbnail: {paper.slug}.png\n---\n", encoding="utf-8")
    counts = Counter(name.text for paper in profile.papers for name in paper.authors
                     if name.text != profile.name)
    student = min(counts, key=lambda name: (-counts[name], name))
    with (root / "site.yaml").open("a", encoding="utf-8") as settings:
        settings.write(f"students: [{student}]\n")


@pytest.fixture(scope="session")
def sites(tmp_path_factory):
    """Every site, built into a temporary folder and served; name -> ServedSite."""
    tmp = tmp_path_factory.mktemp("sites")
    synth_root = write_synth_site(tmp / "synth-site")
    built = [
        _build_site("demo", REPO, tmp / "demo-out", "https://example.github.io/portfolio/"),
        _build_site("synth", synth_root, tmp / "synth-out"),  # base_url from its site.yaml
        _build_site("minimal", REPO, tmp / "minimal-out", "https://example.github.io/minimal/",
                    "minimal"),
        # right to left: the synthetic site in Arabic (checked by the Nu checker and axe)
        _build_site("ar", synth_root, tmp / "ar-out", language="ar"),
    ]
    servers = []
    served = {}
    try:
        for site, pages, model in built:
            server = SiteServer(site.output, site.base_path)
            servers.append(server)
            served[site.name] = ServedSite(site, server.origin, pages, model)
        yield served
    finally:
        for server in servers:
            server.close()


@pytest.fixture(params=["demo", "synth", "minimal"])
def site(request, sites) -> ServedSite:
    """Each site in turn; the test id names it."""
    return sites[request.param]


@pytest.fixture
def rtl_site(sites) -> ServedSite:
    """The synthetic site in Arabic: right to left, its interface from the catalogue."""
    return sites["ar"]


@pytest.fixture
def open_page(browser):
    """Open a URL in a fresh browser context: `open_page(url, scheme, width)` returns the
    page, the main document's response, and the list of every URL the page requested."""
    contexts = []

    def open_(url: str, scheme: str = "light", width: int = 1280, height: int = 800):
        context = browser.new_context(
            color_scheme=scheme, viewport={"width": width, "height": height}
        )
        contexts.append(context)
        page = context.new_page()
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        response = page.goto(url, wait_until="load")
        return page, response, requested

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def vnu():
    """The Nu HTML Checker is runnable: java and vnu.jar are installed."""
    if shutil.which("java") is None:
        pytest.fail(f"java is not installed; {SETUP_HINT}", pytrace=False)
    if not VNU_JAR.is_file():
        pytest.fail(f"{VNU_JAR} is missing; {SETUP_HINT}", pytrace=False)
    return VNU_JAR


@pytest.fixture(scope="session")
def axe_js():
    if not AXE_JS.is_file():
        pytest.fail(f"{AXE_JS} is missing; {SETUP_HINT}", pytrace=False)
    return AXE_JS
