"""What the home page and the cards show a visitor: the metrics site.yaml chooses, links
with inline icons, and each paper's links as buttons that name the paper."""

from __future__ import annotations

import re

import pytest

from generator.build import build
from generator.errors import SiteError

from .conftest import copy_demo


def home_of(site, site_yaml: str = "") -> str:
    (site / "site.yaml").write_text("as_of: 2026-11-23\n" + site_yaml, encoding="utf-8")
    return build(site).files["index.html"].decode("utf-8")


def metrics(home: str) -> list[tuple[str, str]]:
    return re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", home.split('class="metrics"')[1]
                      .split("</dl>")[0])


def test_the_profiles_metrics_show_by_default(tmp_path):
    shown = metrics(home_of(copy_demo(tmp_path / "site")))
    assert shown == [("h-index", "117"), ("Papers", "33"), ("Citations", "13,433"),
                     ("Novelty", "60%"), ("AI Score", "49")]


def test_site_yaml_chooses_which_metrics_show_in_what_order_and_label(tmp_path):
    home = home_of(copy_demo(tmp_path / "site"),
                   "metrics:\n  Citations (Google Scholar): citations\n  h-index: H-Index\n"
                   "  i10-index: 42\n")
    assert metrics(home) == [("Citations (Google Scholar)", "13,433"), ("h-index", "117"),
                             ("i10-index", "42")]
    assert "Novelty" not in home and "AI Score" not in home
    assert 'class="metric metric-citations"' in home  # styled (and badged) as the profile's


def test_a_metric_the_profile_does_not_give_is_an_error_naming_it(tmp_path):
    site = copy_demo(tmp_path / "site")
    (site / "content" / "profile.txt").write_text(
        (site / "content" / "profile.txt").read_text(encoding="utf-8")
        .replace("Novelty60%\n", ""), encoding="utf-8")
    with pytest.raises(SiteError, match="'Novelty: novelty' names the metric 'novelty', "
                       "which the profile does not give"):
        home_of(site, "metrics:\n  Novelty: novelty\n")


def test_links_carry_an_inline_icon_and_no_request_elsewhere(tmp_path):
    home = home_of(copy_demo(tmp_path / "site"),
                   "links:\n  github: octocat\n  orcid: 0000-0002-1825-0097\n"
                   "  bluesky: https://bsky.app/profile/ada.example\n")
    links = home.split('class="profile-links"')[1].split("</ul>")[0]
    assert links.count('<svg class="icon"') == 3
    assert links.count('aria-hidden="true"') == 3  # the words carry the meaning
    assert ">GitHub</a>" in links and ">ORCID</a>" in links and ">Bluesky</a>" in links
    assert "<img" not in links and "font" not in links


def test_cards_show_the_venue_and_buttons_that_name_their_paper(tmp_path):
    site = copy_demo(tmp_path / "site")
    home_of(site)
    home = build(site).files["publications/index.html"].decode("utf-8")
    card = home.split('id="t-from-data-to-functa')[1].split("</li>\n</ul>")[0]
    card = card.split('<li class="paper-card"')[0]
    assert '<span class="visually-hidden">Venue: </span>ICML 2022</span>' in card
    assert re.search(r'<a class="button button-code" href="https://github.com/deepmind/functa">'
                     r'<svg[^>]*>.*?</svg>Code<span class="visually-hidden"> of From data',
                     card, re.S)
    assert ('href="/papers/from-data-to-functa-your-data-point-is-a-function-and-you/'
            'citation.bib" download=') in card


@pytest.mark.parametrize("theme", ["scholar", "minimal"])
def test_the_primary_category_is_said_in_words_not_a_code(tmp_path, theme):
    home = home_of(copy_demo(tmp_path / "site"), f"theme: {theme}\n")
    line = home.split('class="primary-category">')[1].split("</p>")[0]
    assert line.startswith('Research mostly in <a href="/categories/CV/">Computer Vision and '
                           'Pattern Recognition</a>')
    assert "Primary" not in home and "badge" not in line
