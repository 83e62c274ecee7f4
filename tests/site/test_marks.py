"""Authorship marks and card thumbnails in Chromium, on the synthetic site (whose three
newest papers carry marks and a thumbnail from their per-paper files): each thumbnail
takes its reserved box beside the card's text (160 x 100 px, 96 x 60 on a phone) and
loads lazily, the marks are superscripts after the names and the legend says what they
mean, at 375 and 1280 px, light and dark (screenshots in test-output/screenshots/)."""

from __future__ import annotations

import pytest
from sitekit import SCHEMES, SCREENSHOTS, format_violations, run_axe

BOX = {375: (96, 60), 1280: (160, 100)}


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", sorted(BOX))
def test_card_thumbnails_keep_their_box_and_marks_have_a_legend(sites, open_page, width,
                                                                scheme):
    synth = sites["synth"]
    page, _, _ = open_page(synth.page_url("publications"), scheme=scheme, width=width)
    assert page.locator(".paper-card .card-thumb").count() == 3
    card_of = page.locator(".paper-card", has=page.locator(".card-thumb")).first
    first = card_of.locator(".card-thumb")
    assert first.get_attribute("loading") == "lazy"
    first.scroll_into_view_if_needed()
    box = first.bounding_box()
    card = card_of.bounding_box()
    assert box and card and (round(box["width"]), round(box["height"])) == BOX[width]
    assert card["x"] <= box["x"] and box["x"] + box["width"] <= card["x"] + card["width"]
    mark = page.locator(".paper-authors .author-mark").first
    assert mark.evaluate("e => getComputedStyle(e).verticalAlign") == "super"
    legend = page.locator(".marks-legend")
    assert legend.count() == 1
    assert " ".join(legend.inner_text().split()) == (
        "Authorship marks: * equal contribution · † corresponding author · ° student")
    scroll_width, inner_width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner_width
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(".paper-list").first.screenshot(
        path=str(SCREENSHOTS / f"synth-marked-cards-{width}-{scheme}.png"))


PAPER_BOX = {375: (240, 150), 1280: (256, 160)}


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", sorted(PAPER_BOX))
@pytest.mark.parametrize("name", ["synth", "ar"])
def test_a_paper_page_s_thumbnail_is_modest_beside_its_header_without_layout_shift(
        sites, open_page, axe_js, name, width, scheme):
    site = sites[name]
    newest = next(paper for paper in site.model.papers if paper.thumbnail_url)
    page, _, _ = open_page(site.url(newest.url), scheme=scheme, width=width)
    thumb = page.locator(".paper-head .paper-thumb")
    assert thumb.count() == 1 and thumb.get_attribute("loading") is None  # above the fold
    box, title = thumb.bounding_box(), page.locator("#paper-title").bounding_box()
    legend = page.locator(".paper-head .marks-legend").bounding_box()
    facts = page.locator(".facts").bounding_box()
    assert box and title and legend and facts
    assert (round(box["width"]), round(box["height"])) == PAPER_BOX[width]
    assert box["y"] + box["height"] <= facts["y"]  # before the facts, never over them
    if width == 1280:  # beside the title, on its inline-end side
        beside = (box["x"] >= title["x"] + title["width"] if name == "synth"
                  else box["x"] + box["width"] <= title["x"])
        assert beside and box["y"] < title["y"] + title["height"]
    else:  # under the authors and their legend
        assert box["y"] >= legend["y"] + legend["height"]
    shift = page.evaluate("""() => new Promise(done => {
        let total = 0;
        new PerformanceObserver(list => {
            for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
        }).observe({type: "layout-shift", buffered: true});
        setTimeout(() => done(total), 300);
    })""")
    assert shift < 0.001, f"layout shift {shift:.3f}"
    scroll_width, inner_width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner_width
    problems = list(format_violations(run_axe(page)["violations"], f"{newest.url} {width}"))
    assert not problems, "\n".join(problems)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-paper-thumbnail-{width}-{scheme}.png"))
