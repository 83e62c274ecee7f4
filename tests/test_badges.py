"""The SVG badges (badges/*.svg, #26) show their source and day in the drawing itself, as
an <img> in a README shows nothing else; each part as wide as its text; of two metrics
of one kind in `metrics:`, the badge shows the first listed."""

from __future__ import annotations

import re
from pathlib import Path

from generator.model.charts import _text_width

from . import test_metrics
from .conftest import make_site
from .test_metrics import REFERENCE, built
from .test_sync import DATE

synced = test_metrics.synced  # the fixture: a site synced from the recorded responses


def drawn(root: Path, key: str) -> tuple[int, list[str]]:
    """A badge's width and the texts it draws, without their shadows."""
    svg = (root / "_site" / "badges" / f"{key}.svg").read_text("utf-8")
    width = int(re.search(r'<svg [^>]*width="(\d+)"', svg).group(1))
    texts = re.findall(r'<text (?![^>]*fill-opacity)[^>]*>([^<]+)</text>', svg)
    return width, texts


def test_a_badge_draws_its_source_and_day_and_is_as_wide_as_its_texts(synced):
    built(synced, "metrics: openalex\n")
    width, texts = drawn(synced, "citations")
    assert texts == ["citations", "3,890", f"OpenAlex, {DATE}"]
    assert width == sum(_text_width(text) for text in texts)
    width, texts = drawn(synced, "h-index")
    assert texts == ["h-index", "17", f"OpenAlex, {DATE}"]


def test_the_profiles_badge_draws_the_profiles_day_and_papers_the_sites(tmp_path):
    root = make_site(tmp_path, REFERENCE, "as_of: 2025-06-01\n")
    built(root)
    assert drawn(root, "h-index")[1] == ["h-index", "117", "profile, 2025-06-01"]
    root = make_site(tmp_path / "typed", REFERENCE, "as_of: 2025-06-01\nmetrics:\n"
                     "  h-index: 120\n")
    built(root)
    assert drawn(root, "h-index")[1] == ["h-index", "120", "site.yaml, 2025-06-01"]
    papers = drawn(root, "papers")[1]
    assert papers[2] == "site, 2025-06-01"  # no papers metric: the papers the site lists


def test_of_two_metrics_of_one_kind_the_badge_shows_the_first_listed(synced):
    (synced / "content" / "profile.txt").write_bytes(REFERENCE.read_bytes())
    yaml = synced / "site.yaml"
    original = yaml.read_text("utf-8")
    built(synced, "as_of: 2025-06-01\nmetrics:\n  h-index: h-index\n"
          "  h-index (OpenAlex): openalex.h_index\n")
    assert drawn(synced, "h-index")[1][1:] == ["117", "profile, 2025-06-01"]
    yaml.write_text(original, "utf-8")
    built(synced, "as_of: 2025-06-01\nmetrics:\n  h-index (OpenAlex): openalex.h_index\n"
          "  h-index: h-index\n")
    assert drawn(synced, "h-index")[1][1:] == ["17", f"OpenAlex, {DATE}"]
