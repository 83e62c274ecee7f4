"""axe-core finds no WCAG 2.1 A/AA violation on any page type, in light and dark."""

from __future__ import annotations

import pytest
from sitekit import PAGE_TYPES, SCHEMES, format_violations, run_axe


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_page_has_no_accessibility_violations(site, page_type, scheme, open_page, axe_js):
    url = site.page_url(page_type)
    page, _, _ = open_page(url, scheme=scheme)
    results = run_axe(page)
    where = f"{site.name} {page_type} page {site.pages[page_type]} ({scheme})"
    problems = list(format_violations(results["violations"], where))
    assert not problems, f"{len(problems)} axe violation(s):\n" + "\n".join(problems)


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_right_to_left_page_has_no_accessibility_violations(rtl_site, page_type, scheme,
                                                            open_page, axe_js):
    test_page_has_no_accessibility_violations(rtl_site, page_type, scheme, open_page, axe_js)


def test_axe_reports_violations_of_an_inaccessible_page(browser, axe_js):
    """The axe run itself works: missing alt text and low contrast are reported."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_content(
            '<!DOCTYPE html><html lang="en"><title>x</title><main>'
            '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
            '<p style="color:#bbb;background:#fff">faint text</p></main></html>'
        )
        rules = {rule["id"] for rule in run_axe(page)["violations"]}
    finally:
        context.close()
    assert {"image-alt", "color-contrast"} <= rules, rules
