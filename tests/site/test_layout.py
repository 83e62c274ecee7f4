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
    # Cards far from the screen are drawn as they come near it (content-visibility: auto),
    # which a full-page screenshot never does: draw them all, as scrolling shows them.
    page.add_style_tag(content="* { content-visibility: visible !important; }")
    page.screenshot(path=str(shot), full_page=True, clip=clip)
    if scroll_width > inner_width:
        culprits = "\n".join(page.evaluate(OVERFLOWING_ELEMENTS))
        pytest.fail(
            f"{site.name} {page_type} page {site.pages[page_type]} at {width} px ({scheme}) "
            f"scrolls sideways: {scroll_width} px wide; see {shot}\n{culprits}"
        )


# A card's computed place while not drawn (contain-intrinsic-block-size plus its bottom
# padding), and its text's height once drawn, for each card of the page; and whether a
# card was left undrawn (content-visibility: auto) when the page loaded.
CARD_PLACES = """() => {
  const cards = [...document.querySelectorAll('.paper-card')];
  const skipped = cards.some(
    card => !card.firstElementChild.checkVisibility({contentVisibilityAuto: true}));
  const places = cards.map(card => {
    const style = getComputedStyle(card);
    const kept = parseFloat(style.containIntrinsicBlockSize.split(' ').pop())
      + parseFloat(style.paddingBottom);
    card.style.contentVisibility = 'visible';
    const text = card.firstElementChild.getBoundingClientRect().height;
    return [card.querySelector('.paper-title').textContent.trim(), text, kept];
  });
  return {skipped, places};
}"""


@pytest.mark.parametrize("width", [375, 412, 768, 1280])
@pytest.mark.parametrize("name", ["demo", "synth"])
def test_a_card_not_drawn_yet_keeps_a_place_its_text_fits_in(sites, name, width, open_page):
    """A card far from the screen is not laid out (content-visibility: auto: 300 cards cost
    a phone 184 ms of blocking time) and keeps the place style.css gives it, at least its
    text's height at that width: text measured before its card is drawn (axe's target-size
    does) stays in the card, never over the next card's links."""
    site = sites[name]
    page, _, _ = open_page(site.page_url("publications"), width=width, height=800)
    found = page.evaluate(CARD_PLACES)
    assert found["skipped"], f"{name} at {width} px: every card was laid out"
    too_tall = [f"{title[:60]}: {text:.0f} px of text in {kept:.0f} px"
                for title, text, kept in found["places"] if text > kept]
    assert not too_tall, f"{name} at {width} px:\n" + "\n".join(too_tall)
