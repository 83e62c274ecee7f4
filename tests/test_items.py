"""Talks, teaching and projects: dated Markdown items of content/talks/, content/teaching/
and content/projects/, each kind a page (talks/, teaching/, projects/) in the menu, the
sitemap, the feed and the CV, listed once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.build import build
from generator.errors import SiteError

from .conftest import make_site, portrait_png
from .test_build import MINI_PROFILE

SITE_YAML = "as_of: 2026-11-23\nbase_url: https://example.org/\n"
TALK = ("---\ntitle: Neural processes\ndate: 2025-06-12\nevent: A Workshop\nplace: Lisbon\n"
        "slides: slides.pdf\nvideo: https://example.org/video\n---\nAn hour on **them**.\n")
CV = "cv:\n  name: Ada Lovelace\n  sections:\n    education:\n      - institution: A School\n" \
     "        area: Maths\n        start_date: 2016-09\n"


def write(path: Path, text: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = make_site(tmp_path / "site", MINI_PROFILE, SITE_YAML)
    content = root / "content"
    write(content / "talks" / "np.md", TALK)
    write(content / "talks" / "slides.pdf", b"%PDF-1.4\n")
    write(content / "teaching" / "ml.md", "---\ntitle: Machine learning\ndate: 2024-09-01\n---\n")
    write(content / "projects" / "scenes.md", "---\ntitle: Scenes\ndate: 2023-01-15\n"
          "code: https://github.com/octocat/scenes\nthumbnail: pics/scenes.png\n---\n")
    write(content / "projects" / "pics" / "scenes.png", portrait_png())
    return root


def page(result, path: str) -> str:
    return result.files[path].decode("utf-8")


def test_each_folder_of_items_is_a_page_in_the_menu_sitemap_and_feed(site):
    result = build(site)
    talks = page(result, "talks/index.html")
    assert "<title>Talks · Ada Lovelace</title>" in talks
    assert '<h2 class="item-title">Neural processes</h2>' in talks
    assert '<time datetime="2025-06-12">' in talks and "· A Workshop · Lisbon" in talks
    assert '<a class="button" href="/talks/slides.pdf">Slides' in talks
    assert result.files["talks/slides.pdf"] == b"%PDF-1.4\n"  # copied beside the page
    assert "<strong>them</strong>" in talks
    assert '<h2 class="item-title">Machine learning</h2>' in page(result, "teaching/index.html")
    projects = page(result, "projects/index.html")
    assert ('<img class="item-thumb" src="/projects/pics/scenes.png" alt="" width="160" '
            'height="100" loading="lazy">') in projects
    assert "projects/pics/scenes.png" in result.files
    nav = re.findall(r'<li><a href="([^"]+)"', page(result, "index.html").split("</nav>")[0])
    assert nav == ["/", "/publications/", "/categories/", "/talks/", "/teaching/", "/projects/"]
    sitemap = page(result, "sitemap.xml")
    for kind, day in (("talks", "2025-06-12"), ("teaching", "2024-09-01"),
                      ("projects", "2023-01-15")):
        assert f"<loc>https://example.org/{kind}/</loc><lastmod>{day}</lastmod>" in sitemap
    feed = page(result, "feed.xml")
    assert "<id>https://example.org/talks/#np</id>" in feed
    assert '<category term="projects" label="Project"' in feed


def test_a_site_without_items_has_none_of_their_pages(tmp_path):
    result = build(make_site(tmp_path / "site", MINI_PROFILE, SITE_YAML))
    assert not any(path.split("/")[0] in ("talks", "teaching", "projects")
                   for path in result.files)


@pytest.mark.parametrize("front, expected", [
    ("date: 2025-01-01", r"np\.md:1:1: expected a 'title' in the front matter"),
    ("title: T", r"np\.md:1:1: expected a 'date' in the front matter"),
    ("title: T\ndate: 2025-01-01\nvenue: X", r"np\.md:4:1: unknown field 'venue'"),
    ("title: T\ndate: 2025-01-01\nslides: javascript:alert(1)", r"np\.md:4:9: 'slides' must be"),
    ("title: T\ndate: 2025-01-01\nslides: ../../../../etc/passwd", r"np\.md:4:9: 'slides' leads "
     r"outside the site folder"),
    ("title: T\ndate: 2025-01-01\nthumbnail: np.md", r"np\.md:4:12: 'thumbnail' must be a "
     r"PNG, JPEG or WebP picture"),  # the photo's rule, as a paper's thumbnail has
])
def test_a_wrong_item_is_an_error_at_its_place(site, front, expected):
    write(site / "content" / "talks" / "np.md", f"---\n{front}\n---\n")
    with pytest.raises(SiteError, match=expected):
        build(site)


def test_a_page_of_content_pages_keeps_its_address_until_the_folder_has_items(site, tmp_path):
    write(site / "content" / "pages" / "teaching.md", "---\ntitle: Teaching\n---\nHi.\n")
    with pytest.raises(SiteError, match=r"teaching\.md:1:1: content/teaching/ makes the page "
                                        r"teaching/ from its items"):
        build(site)
    alone = make_site(tmp_path / "alone", MINI_PROFILE, SITE_YAML)
    write(alone / "content" / "pages" / "teaching.md", "---\ntitle: Teaching\n---\nHi.\n")
    assert "Hi." in page(build(alone), "teaching/index.html")


def test_the_cv_lists_the_items_once(site):
    write(site / "content" / "cv.yaml", CV)
    cv = page(build(site), "cv/index.html")
    assert re.findall(r'<h2 id="cv-([a-z]+)">', cv) == ["education", "publications", "talks",
                                                         "teaching", "projects"]
    assert cv.count("Neural processes") == 1
    written = CV + "    talks:\n      - name: A talk written in the CV\n        date: 2021-05-04\n"
    write(site / "content" / "cv.yaml", written)
    result = build(site)
    cv = page(result, "cv/index.html")
    assert cv.count('<h2 id="cv-talks">') == 1
    assert "A talk written in the CV" in cv and "Neural processes" not in cv
    [warning] = [w for w in result.warnings if "the CV's section 'talks' is written in "
                 "cv.yaml, so the items of content/talks/ are not added" in w.message]
    assert (warning.line, warning.col) == (8, 5)  # at the section's key, `talks:`
