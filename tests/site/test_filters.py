"""The home page's filters (themes/scholar/static/filters.js) in headless Chromium: category
chips, year, search, has-code and sort; the state in the address (reload, share, back and
forward); keyboard use; and, without JavaScript, every paper with chips that are links to
the category pages.

The demo site is the reference profile (33 papers); the synthetic one (300 papers) has
more papers than the list shows at once, and authors with accents and letters like ø."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from generator.model.formatting import search_key

CARDS = ".paper-list[data-filterable] > li"
STATUS = "#paper-filters [aria-live=polite]"


@pytest.fixture
def demo(sites):
    return sites["demo"]


@pytest.fixture
def synth(sites):
    return sites["synth"]


def chip(page, code: str):
    return page.locator(f'.chips button[data-cat="{code}"]')


def titles(page) -> list[str]:
    """The listed cards' titles, in order (their text, not innerText: a card far from the
    screen is not drawn, content-visibility: auto, and innerText is the drawn text)."""
    return [text.strip() for text in page.locator(f"{CARDS} .paper-title").all_text_contents()]


def expect_query(page, query: str) -> None:
    """The address's query string is exactly `query` ("" for none)."""
    expect(page).to_have_url(re.compile(r"[^?]*" + re.escape(query) + "$"))


def test_chips_are_toggle_buttons_with_category_name_and_count(demo, open_page):
    page, _, _ = open_page(demo.page_url("publications"))
    all_chip = page.get_by_role("button", name="All 33", exact=True)
    expect(all_chip).to_have_attribute("aria-pressed", "true")
    for category in demo.model.categories:
        noun = "paper" if category.count == 1 else "papers"
        button = page.get_by_role("button", name=f"{category.ref.name} {category.count} {noun}")
        expect(button).to_have_attribute("aria-pressed", "false")
    expect(page.locator(".chips a")).to_have_count(0)
    expect(page.locator(".chips button")).to_have_count(len(demo.model.categories) + 1)
    expect(page.locator(STATUS)).to_have_text("All 33 papers")
    expect(page.locator(CARDS)).to_have_count(33)


def test_selecting_cv_shows_its_13_papers(demo, open_page):
    page, _, _ = open_page(demo.page_url("publications"))
    chip(page, "CV").click()
    expect(page.locator(CARDS)).to_have_count(13)
    expect(page.locator(f"{CARDS} .badge-category")).to_have_text(["Category: CV"] * 13)
    expect(chip(page, "CV")).to_have_attribute("aria-pressed", "true")
    expect(chip(page, "")).to_have_attribute("aria-pressed", "false")
    expect(page.locator(STATUS)).to_have_text("13 of 33 papers")
    expect_query(page, "?cat=CV")


def test_several_categories_show_papers_in_any_of_them(demo, open_page):
    page, _, _ = open_page(demo.page_url("publications"))
    chip(page, "CV").click()
    chip(page, "GR").click()
    expect(page.locator(CARDS)).to_have_count(14)
    expect(page.locator(STATUS)).to_have_text("14 of 33 papers")
    expect_query(page, "?cat=CV,GR")
    chip(page, "CV").click()  # off again
    expect(page.locator(CARDS)).to_have_count(1)
    chip(page, "").click()  # All
    expect(page.locator(CARDS)).to_have_count(33)
    for code in ("", "CV", "GR"):
        expect(chip(page, code)).to_have_attribute("aria-pressed", "true" if not code else "false")
    expect_query(page, "")


def test_year_2018_shows_its_11_papers(demo, open_page):
    page, _, _ = open_page(demo.page_url("publications"))
    year = page.get_by_label("Year", exact=True)
    expect(year.locator("option[value='2018']")).to_have_text("2018 (11)")
    year.select_option("2018")
    expect(page.locator(CARDS)).to_have_count(11)
    dates = page.locator(f"{CARDS} time").evaluate_all("els => els.map(e => e.dateTime)")
    assert all(date.startswith("2018-") for date in dates), dates
    expect_query(page, "?year=2018")


def test_search_functa_finds_the_one_paper(demo, open_page):
    page, _, _ = open_page(demo.page_url("publications"))
    page.get_by_label("Search").press_sequentially("functa")
    expect(page.locator(CARDS)).to_have_count(1)
    assert titles(page)[0].startswith("From data to functa")
    expect(page.locator(STATUS)).to_have_text("1 of 33 papers")
    expect_query(page, "?q=functa")  # written once typing pauses


@pytest.mark.parametrize("query", ["kocisky", "KOČISKÝ", "Kocisky"])
def test_search_ignores_case_and_accents(demo, open_page, query):
    expected = [v.title for v in demo.model.papers
                if any("Kočiský" in a.text for a in v.paper.authors)]
    assert expected, "the demo profile has no paper by Tomáš Kočiský"
    page, _, _ = open_page(demo.page_url("publications"))
    page.get_by_label("Search").fill(query)
    expect(page.locator(CARDS)).to_have_count(len(expected))
    assert titles(page) == expected


@pytest.mark.parametrize("query", ["soren", "SØREN", "zoe", "muller hen", "fernandez (1"])
def test_search_folds_queries_as_the_build_folds_papers(synth, open_page, query):
    """The script's folding of a query matches site.search_key's folding of the papers."""
    terms = search_key(query).split()
    expected = sum(all(t in v.search_text for t in terms) for v in synth.model.papers)
    assert 0 < expected < len(synth.model.papers), (query, expected)
    page, _, _ = open_page(synth.page_url("publications"))
    page.get_by_label("Search").fill(query)
    expect(page.locator(STATUS)).to_have_text(re.compile(rf"^{expected} of 300 papers"))


def test_has_code_shows_papers_with_code(demo, open_page):
    expected = [v.title for v in demo.model.papers if v.paper.has_code or v.paper.code_url]
    page, _, _ = open_page(demo.page_url("publications"))
    page.get_by_label("Has code").check()
    expect(page.locator(CARDS)).to_have_count(len(expected))
    assert titles(page) == expected
    # A Code button where the code has a URL, a Code badge where the header only says so.
    expect(page.locator(f"{CARDS} :is(.badge-code, .button-code)")).to_have_count(len(expected))
    expect_query(page, "?code=1")


def test_sort_orders_by_score_date_and_title(demo, open_page):
    papers = demo.model.papers
    scored = max((v for v in papers if v.paper.score is not None), key=lambda v: v.paper.score)
    page, _, _ = open_page(demo.page_url("publications"))
    sort = page.get_by_label("Sort")
    sort.select_option("oldest")
    oldest = min(papers, key=lambda v: v.paper.date)
    expect(page.locator(CARDS).first.locator(".paper-title")).to_have_text(oldest.title)
    by_date = sorted(papers, key=lambda v: v.paper.date)  # papers of one day: as listed
    assert titles(page) == [v.title for v in by_date]
    expect_query(page, "?sort=oldest")
    sort.select_option("score")  # the scored paper, then the others newest first
    expect(page.locator(CARDS).first.locator(".paper-title")).to_have_text(scored.title)
    assert titles(page) == [scored.title] + [v.title for v in papers if v is not scored]
    expect_query(page, "?sort=score")
    sort.select_option("title")
    first = min(papers, key=lambda v: v.title.casefold())
    expect(page.locator(CARDS).first.locator(".paper-title")).to_have_text(first.title)
    sort.select_option("newest")
    expect(page.locator(CARDS).first.locator(".paper-title")).to_have_text(papers[0].title)
    expect_query(page, "")


def test_address_cat_ne_on_load_shows_one_paper_and_presses_its_chip(demo, open_page):
    page, _, _ = open_page(demo.page_url("home") + "?cat=NE")
    expect(page.locator(CARDS)).to_have_count(1)
    expect(page.locator(f"{CARDS} .badge-category")).to_have_text("Category: NE")
    expect(page.locator(".chips button[aria-pressed=true]")).to_have_count(1)
    expect(chip(page, "NE")).to_have_attribute("aria-pressed", "true")
    expect(page.locator(STATUS)).to_have_text("1 of 33 papers")


def test_address_restores_every_control_and_survives_reload(demo, open_page):
    page, _, _ = open_page(
        demo.page_url("home") + "?utm_source=x&cat=lg,CV&year=2022&q=FUNCTA&sort=oldest"
    )
    canonical = "?utm_source=x&cat=CV,LG&year=2022&q=FUNCTA&sort=oldest"
    for _ in range(2):
        expect_query(page, canonical)  # our parameters spelled as usual, others kept
        expect(page.locator(CARDS)).to_have_count(1)
        expect(chip(page, "CV")).to_have_attribute("aria-pressed", "true")
        expect(chip(page, "LG")).to_have_attribute("aria-pressed", "true")
        expect(page.get_by_label("Year", exact=True)).to_have_value("2022")
        expect(page.get_by_label("Search")).to_have_value("FUNCTA")
        expect(page.get_by_label("Sort")).to_have_value("oldest")
        expect(page.get_by_label("Has code")).not_to_be_checked()
        page.reload()


def test_back_and_forward_restore_the_previous_state(demo, open_page):
    page, _, _ = open_page(demo.page_url("publications"))
    chip(page, "CV").click()
    expect(page.locator(CARDS)).to_have_count(13)
    chip(page, "GR").click()
    expect(page.locator(CARDS)).to_have_count(14)
    search = page.get_by_label("Search")
    search.press_sequentially("poly")
    expect_query(page, "?cat=CV,GR&q=poly")
    search.press_sequentially("gen")  # the same search: its history entry is updated
    expect_query(page, "?cat=CV,GR&q=polygen")
    polygen = [
        v
        for v in demo.model.papers
        if v.paper.category in ("CV", "GR") and "polygen" in v.search_text
    ]
    expect(page.locator(CARDS)).to_have_count(len(polygen))

    page.go_back()
    expect_query(page, "?cat=CV,GR")
    expect(search).to_have_value("")
    expect(page.locator(CARDS)).to_have_count(14)
    page.go_back()
    expect(page.locator(CARDS)).to_have_count(13)
    expect(chip(page, "CV")).to_have_attribute("aria-pressed", "true")
    expect(chip(page, "GR")).to_have_attribute("aria-pressed", "false")
    expect(page.locator(STATUS)).to_have_text("13 of 33 papers")
    page.go_back()
    expect(page.locator(CARDS)).to_have_count(33)
    expect(chip(page, "")).to_have_attribute("aria-pressed", "true")
    page.go_forward()
    expect(page.locator(CARDS)).to_have_count(13)
    expect(chip(page, "CV")).to_have_attribute("aria-pressed", "true")


def test_nothing_matching_says_so_and_resets(demo, open_page):
    page, _, _ = open_page(demo.page_url("publications"))
    search = page.get_by_label("Search")
    search.fill("no such words anywhere")
    expect(page.locator(CARDS)).to_have_count(0)
    expect(page.locator(STATUS)).to_have_text("0 of 33 papers")
    message = page.locator("#no-results")
    expect(message).to_be_visible()
    expect(message).to_contain_text("No papers match")
    message.get_by_role("button", name="Show all 33 papers").click()
    expect(page.locator(CARDS)).to_have_count(33)
    expect(message).to_be_hidden()
    expect(search).to_have_value("")
    expect(search).to_be_focused()
    expect_query(page, "")


def test_clear_filters_shows_only_while_filtering(demo, open_page):
    page, _, _ = open_page(demo.page_url("publications") + "?cat=CV&year=2018&sort=score")
    clear = page.locator(".filter-status").get_by_role("button", name="Clear filters")
    expect(clear).to_be_visible()
    clear.click()
    expect(page.locator(CARDS)).to_have_count(33)
    expect(clear).to_be_hidden()
    expect_query(page, "?sort=score")  # the sort is no filter: it stays


def test_keyboard_alone_reaches_and_works_every_control(demo, open_page):
    page, _, _ = open_page(demo.page_url("publications"))
    focused = "document.activeElement"

    def tab_to(selector: str) -> None:
        for _ in range(40):
            page.keyboard.press("Tab")
            if page.evaluate(f"{focused}.matches({selector!r})"):
                outline = page.evaluate(f"getComputedStyle({focused}).outlineStyle")
                assert outline != "none", f"{selector} has no visible focus"
                return
        pytest.fail(f"Tab never reached {selector}")

    tab_to("#filter-q")
    page.keyboard.type("functa")
    expect(page.locator(CARDS)).to_have_count(1)
    page.keyboard.press("Escape")  # a search box clears on Escape
    expect(page.locator(CARDS)).to_have_count(33)
    tab_to("#filter-year")
    page.keyboard.press("ArrowDown")  # the newest year, 2026
    expect(page.locator(CARDS)).to_have_count(1)
    page.keyboard.press("ArrowUp")
    expect(page.locator(CARDS)).to_have_count(33)
    tab_to("#filter-code")
    page.keyboard.press("Space")
    expect(page.get_by_label("Has code")).to_be_checked()
    page.keyboard.press("Space")
    tab_to('.chips button[data-cat="CV"]')
    page.keyboard.press("Enter")
    expect(page.locator(CARDS)).to_have_count(13)
    page.keyboard.press("Space")
    expect(page.locator(CARDS)).to_have_count(33)
    expect(page.locator(":focus")).to_have_attribute("aria-pressed", "false")


def test_long_list_shows_100_cards_then_more_on_request(synth, open_page):
    page, _, _ = open_page(synth.page_url("publications"))
    expect(page.locator(CARDS)).to_have_count(100)
    expect(page.locator(STATUS)).to_have_text("All 300 papers, first 100 shown")
    more = page.get_by_role("button", name="Show 100 more of 200")
    more.click()
    expect(page.locator(CARDS)).to_have_count(200)
    expect(page.locator(":focus")).to_have_text(synth.model.papers[100].title)
    page.get_by_role("button", name="Show 100 more of 100").click()
    expect(page.locator(CARDS)).to_have_count(300)
    expect(page.locator("#more-papers")).to_be_hidden()
    assert titles(page) == [v.title for v in synth.model.papers]


def test_without_javascript_every_paper_shows_and_chips_link_to_category_pages(demo, browser):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(demo.page_url("publications"))
        expect(page.locator(CARDS)).to_have_count(33)
        expect(page.locator(".filter-bar")).to_be_hidden()
        expect(page.locator(".chips button")).to_have_count(0)
        links = page.locator(".chips a.chip")
        expect(links).to_have_count(len(demo.model.categories) + 1)
        for category in demo.model.categories:
            link = page.locator(f'.chips a[data-cat="{category.ref.code}"]')
            expect(link).to_have_attribute("href", category.ref.url)
        page.locator('.chips a[data-cat="CV"]').click()
        expect(page).to_have_url(demo.url(demo.model.site.url("categories/CV/")))
        expect(page.locator(".paper-list > li")).to_have_count(13)
    finally:
        context.close()


@pytest.mark.parametrize("page_type", ["home", "paper", "category", "categories", "404", "page"])
def test_filters_are_on_the_publications_page_only(demo, page_type):
    path = demo.built.file_for(demo.pages[page_type]) or demo.built.output / "404.html"
    html = path.read_text(encoding="utf-8")
    assert "filters.js" not in html and "data-search" not in html
    home = demo.built.file_for(demo.pages["publications"]).read_text(encoding="utf-8")
    assert home.count("data-search=") == 33 and "filters.js" in home


def test_a_translated_site_s_scripts_speak_its_language(rtl_site, open_page):
    """On the Arabic site the scripts' words come from the catalogue, a count in the form
    its number takes (Intl.PluralRules in the page, the catalogue's forms)."""
    from generator.i18n import translations

    ar = translations("ar")
    page, _, _ = open_page(rtl_site.page_url("publications"))
    expect(page.locator(".chips")).to_have_attribute("aria-label",
                                                     ar.gettext("Filter by category"))
    expect(page.locator("#scheme-toggle")).to_have_attribute(
        "aria-label", ar.gettext("Colour scheme: as the system"))
    papers = len(rtl_site.model.papers)
    page.locator("#filter-year").select_option(index=1)
    matching = int(re.search(r"\((\d+)\)", page.locator("#filter-year option").nth(1)
                             .inner_text())[1])
    form = ar.ngettext("%(matching)s of %(num)s paper", "%(matching)s of %(num)s papers",
                       papers)
    expect(page.locator(STATUS)).to_have_text(form % {"matching": matching, "num": papers})


def test_a_filter_hides_the_years_it_empties_and_another_sort_drops_the_headings(demo,
                                                                                 open_page):
    page, _, _ = open_page(demo.page_url("publications") + "?year=2022")
    headings = page.locator(".paper-group:visible > .group-heading")
    expect(headings).to_have_text(["2022"])  # the other years' sections are hidden
    page.select_option("#filter-year", "")
    page.select_option("#filter-sort", "title")
    expect(page.locator(".group-heading:visible")).to_have_count(0)
    first = min(demo.model.papers, key=lambda v: v.title.casefold())
    expect(page.locator(CARDS).first.locator(".paper-title")).to_have_text(first.title)
    assert len(titles(page)) == 33  # one list, every paper
    page.select_option("#filter-sort", "newest")
    expect(page.locator(".paper-group > .group-heading:visible").first).to_have_text("2026")
    assert len(titles(page)) == 33


def test_an_old_link_to_the_home_pages_filters_opens_them_on_the_publications_page(
        demo, open_page):
    page, _, _ = open_page(demo.page_url("home") + "?cat=CV&q=video#x")
    expect(page).to_have_url(re.compile(r"/publications/\?cat=CV&q=video#x$"))
    expect(page.locator(".filter-count")).to_have_text(re.compile(r"^\d+ of 33 papers"))


@pytest.mark.parametrize("width", [375, 1280])
def test_the_filter_controls_appearing_move_nothing_below_them(demo, open_page, width):
    """filters.js shows the search, year, sort and status controls after the first paint;
    their place is kept until then, so the paper groups never shift (Lighthouse counted a
    layout shift of 0.04-0.22 on the publications page)."""
    page, _, _ = open_page(demo.page_url("publications"))
    page.set_viewport_size({"width": width, "height": 900})
    page.reload()
    expect(page.locator(".filter-bar")).to_be_visible()
    shift = page.evaluate("""() => new Promise(done => {
        let total = 0;
        new PerformanceObserver(list => {
            for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
        }).observe({type: "layout-shift", buffered: true});
        setTimeout(() => done(total), 300);
    })""")
    assert shift < 0.001, f"layout shift {shift:.3f} at {width} px"
