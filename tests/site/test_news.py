"""The news of the synthetic site (content/news/): its page and the home page's newest
items pass the Nu checker and axe, light and dark."""

from __future__ import annotations

import pytest
from sitekit import SCHEMES, format_violations, run_axe, run_vnu


@pytest.fixture
def synth(sites):
    return sites["synth"]


def test_the_news_page_and_the_home_page_with_news_are_valid_html(synth):
    output = synth.built.output
    messages = run_vnu([output / "news" / "index.html", output / "index.html"])
    assert messages == []


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_news_page_has_no_accessibility_violations(synth, scheme, open_page, axe_js):
    page, response, _ = open_page(synth.url(synth.pages["home"] + "news/"), scheme=scheme)
    assert response.status == 200
    assert page.locator(".news-item").count() == 2
    problems = list(format_violations(run_axe(page)["violations"], f"news ({scheme})"))
    assert not problems, "\n".join(problems)
