"""The colour scheme button: system, light, dark in turn, remembered across pages and
visits, set before the first paint; without JavaScript the page follows the system and
shows no button. (The minimal theme has none: no script.)"""

from __future__ import annotations

import re

import pytest
from sitekit import REPO

STYLE = REPO / "themes" / "scholar" / "static" / "style.css"
DARK_BG = "rgb(13, 17, 23)"
LIGHT_BG = "rgb(255, 255, 255)"


@pytest.fixture
def demo(sites):
    return sites["demo"]


def background(page) -> str:
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def test_the_two_dark_blocks_of_the_stylesheet_hold_the_same_colours():
    css = STYLE.read_text(encoding="utf-8")
    by_system = re.search(r':root:not\(\[data-scheme="light"\]\) \{([^}]*)\}', css).group(1)
    by_choice = re.search(r':root\[data-scheme="dark"\] \{([^}]*)\}', css).group(1)
    declarations = [set(re.findall(r"(--[\w-]+):\s*([^;]+);", block))
                    for block in (by_system, by_choice)]
    assert declarations[0] == declarations[1] and len(declarations[0]) > 10


def test_the_button_turns_system_light_dark_and_is_remembered_across_pages(demo, open_page):
    page, _, _ = open_page(demo.url(demo.pages["home"]), scheme="light")
    button = page.locator("#scheme-toggle")
    assert button.is_visible()
    assert button.get_attribute("aria-label") == "Colour scheme: as the system"
    assert background(page) == LIGHT_BG
    button.click()
    assert button.get_attribute("aria-label") == "Colour scheme: light"
    button.click()
    assert button.get_attribute("aria-label") == "Colour scheme: dark"
    assert background(page) == DARK_BG
    # Another page, and the same page again: dark from the first paint (set in <head>,
    # before the stylesheet), not after the script runs.
    page.goto(demo.url(demo.pages["paper"]), wait_until="commit")
    page.wait_for_selector("body")
    assert page.evaluate("document.documentElement.dataset.scheme") == "dark"
    page.wait_for_load_state("load")
    assert background(page) == DARK_BG
    page.locator("#scheme-toggle").click()  # back to the system's (light here)
    assert background(page) == LIGHT_BG
    page.reload()
    assert page.evaluate("document.documentElement.dataset.scheme") is None


def test_a_light_choice_holds_on_a_dark_system(demo, open_page):
    page, _, _ = open_page(demo.url(demo.pages["home"]), scheme="dark")
    assert background(page) == DARK_BG
    page.locator("#scheme-toggle").click()
    assert background(page) == LIGHT_BG
    assert page.evaluate("getComputedStyle(document.documentElement).colorScheme") == "light"


def test_without_javascript_the_page_follows_the_system_and_shows_no_button(demo, browser):
    for scheme, expected in (("dark", DARK_BG), ("light", LIGHT_BG)):
        context = browser.new_context(java_script_enabled=False, color_scheme=scheme)
        try:
            page = context.new_page()
            page.goto(demo.url(demo.pages["home"]))
            assert not page.locator("#scheme-toggle").is_visible()
            assert background(page) == expected
        finally:
            context.close()


def test_the_minimal_theme_has_no_button_and_no_script(sites):
    minimal = sites["minimal"]
    home = (minimal.built.output / "index.html").read_text(encoding="utf-8")
    assert "scheme-toggle" not in home and "scheme.js" not in home
