"""Pages fit the screen: no horizontal scrolling on a 375 px phone or a 1280 px desktop,
in light and dark. Full-page screenshots go to test-output/screenshots/ for a person to
look at (the first 10,000 px of a longer page: the synthetic home page lists 300
papers)."""

from __future__ import annotations

import pytest
from sitekit import OVERFLOWING_ELEMENTS, PAGE_TYPES, SCHEMES, SCREENSHOTS

MAX_SHOT_HEIGHT = 10_000


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_page_has_no_horizontal_scroll(site, page_type, width, scheme, open_page):
    page, _, _ = open_page(site.page_url(page_type), scheme=scheme, width=width)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / f"{site.name}-{page_type}-{width}-{scheme}.png"
    scroll_width, inner_width, height = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth,"
        " document.documentElement.scrollHeight]"
    )
    clip = {"x": 0, "y": 0, "width": scroll_width, "height": min(height, MAX_SHOT_HEIGHT)}
    page.screenshot(path=str(shot), full_page=True, clip=clip)
    if scroll_width > inner_width:
        culprits = "\n".join(page.evaluate(OVERFLOWING_ELEMENTS))
        pytest.fail(
            f"{site.name} {page_type} page {site.pages[page_type]} at {width} px ({scheme}) "
            f"scrolls sideways: {scroll_width} px wide; see {shot}\n{culprits}"
        )
