"""The words scholarfolio adds itself are in the site's language: the CV's sections of the
site's papers, talks, teaching and projects (cv.yaml's own titles stay as written), and
the home page's `email` and `website` links, in both themes."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build import build
from generator.i18n import translations

from .conftest import make_site
from .test_build import MINI_PROFILE

CV = ("cv:\n  name: Ada Lovelace\n  sections:\n    Lehrerfahrung:\n"
      "      - label: Kurs\n        details: Analysis\n")


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def site(root: Path, language: str, theme: str = "scholar") -> Path:
    make_site(root, MINI_PROFILE, f"as_of: 2026-11-23\nlanguage: {language}\ntheme: {theme}\n"
              "links:\n  email: ada@example.org\n  website: https://example.org/ada/\n")
    for kind in ("talks", "teaching", "projects"):
        write(root / "content" / kind / "one.md", "---\ntitle: One\ndate: 2025-01-02\n---\n")
    write(root / "content" / "cv.yaml", CV)
    return root


@pytest.mark.parametrize("language", ["de", "es", "ar"])
def test_the_cv_sections_the_site_adds_are_translated(tmp_path, language):
    words = translations(language)
    cv = build(site(tmp_path / "site", language)).files["cv/index.html"].decode()
    for title in ("Publications", "Talks", "Teaching", "Projects"):
        assert f">{words.gettext(title)}</h2>" in cv, title
        assert f">{title}</h2>" not in cv
    assert ">Lehrerfahrung</h2>" in cv  # cv.yaml's own title, as written


@pytest.mark.parametrize("theme", ["scholar", "minimal"])
def test_the_home_pages_email_and_website_links_are_translated(tmp_path, theme):
    home = build(site(tmp_path / "site", "de", theme)).files["index.html"].decode()
    assert ">E-Mail</a>" in home and ">Webseite</a>" in home
    assert ">Email</a>" not in home and ">Website</a>" not in home


def test_an_english_site_keeps_its_english_words(tmp_path):
    result = build(site(tmp_path / "site", "en"))
    cv, home = (result.files[path].decode() for path in ("cv/index.html", "index.html"))
    assert ">Talks</h2>" in cv and ">Publications</h2>" in cv
    assert ">Email</a>" in home and ">Website</a>" in home
