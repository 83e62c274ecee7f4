"""Links written as paths from the site's root in Markdown (`[publications](/publications/)`,
`![x](/assets/x.png)`) go under the site's base path on a project site
(`base_url: https://x.github.io/s/`), as front matter's links do: in pages, news, talks,
per-paper notes and the CV's fields. Relative links, fragments and URLs stay as written."""

from __future__ import annotations

from pathlib import Path

from generator.build import build
from generator.content import markdown

from .conftest import make_site
from .test_build import MINI_PROFILE

BODY = ("See [publications](/publications/), [a talk](talks/), [top](#top), "
        "[out](https://example.org/a) and ![a figure](/assets/figure.png).\n")


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_markdown_links_from_the_root_go_under_a_project_sites_base_path(tmp_path):
    root = make_site(tmp_path / "site", MINI_PROFILE,
                     "as_of: 2026-11-23\nbase_url: https://x.github.io/s/\n")
    content = root / "content"
    write(content / "pages" / "about.md", "---\ntitle: About\n---\n" + BODY)
    write(content / "news" / "2025-06-01-cvpr.md", "---\ndate: 2025-06-01\n---\n" + BODY)
    write(content / "talks" / "np.md", "---\ntitle: NP\ndate: 2025-06-12\n---\n" + BODY)
    write(content / "papers" / "first-paper.md", "---\nfeatured: true\n---\n" + BODY)
    write(content / "cv.yaml", "cv:\n  name: Ada Lovelace\n  sections:\n    awards:\n"
          "      - name: 'Prize, see [the paper](/papers/first-paper/)'\n")
    result = build(root)
    for path in ("about/index.html", "news/index.html", "talks/index.html",
                 "papers/first-paper/index.html"):
        html = result.files[path].decode("utf-8")
        assert '<a href="/s/publications/">publications</a>' in html, path
        assert '<img alt="a figure" src="/s/assets/figure.png"' in html, path
        assert '<a href="talks/">a talk</a>' in html and '<a href="#top">top</a>' in html
        assert '<a href="https://example.org/a">out</a>' in html
        assert 'href="/publications/"' not in html
    assert '<a href="/s/papers/first-paper/">the paper</a>' in \
        result.files["cv/index.html"].decode("utf-8")


def test_the_base_path_is_part_of_converted_markdowns_cache_key(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    markdown._markdown_cache.cache_clear()
    try:
        text = "[cv](/cv/)"
        assert 'href="/cv/"' in markdown.render_markdown(text)[0]
        assert 'href="/s/cv/"' in markdown.render_markdown(text, base_path="/s/")[0]
        assert 'href="/cv/"' in markdown.render_markdown(text)[0]
    finally:
        markdown._markdown_cache.cache_clear()
