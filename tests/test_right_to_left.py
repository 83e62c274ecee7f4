"""On a right-to-left site (`language: ar`), code and the researcher's Latin text keep
their own order: the paper page's BibTeX entry, DOIs and arXiv identifiers read left to
right, and each CV entry takes the direction of its own text (`dir="auto"`), so an
English citation ends "..., 2022." rather than starting its last line with ", 2022."."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from functools import partial
from http.server import ThreadingHTTPServer

import pytest

from generator.build import build

from .conftest import REPO, copy_demo
from .test_hostile import _QuietHandler


@pytest.fixture(scope="module")
def arabic(tmp_path_factory):
    site = copy_demo(tmp_path_factory.mktemp("ar"))
    with (site / "site.yaml").open("a", encoding="utf-8") as file:
        file.write("language: ar\n")
    return build(site, {"output": str(site / "_site")})


@pytest.fixture(scope="module")
def served(arabic) -> Iterator[str]:
    handler = partial(_QuietHandler, directory=str(arabic.config.output))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_code_and_cv_entries_carry_their_own_direction_in_the_html(arabic):
    paper = arabic.files["papers/neural-processes/index.html"].decode()
    assert '<pre class="bibtex" id="bibtex" dir="ltr">' in paper
    cv = arabic.files["cv/index.html"].decode()
    citations = re.findall(r'<ol class="cv-papers"[^>]*>\s*<li([^>]*)>', cv)
    assert citations and all(attributes == ' dir="auto"' for attributes in citations)
    assert '<dl class="cv-one-line"><div dir="auto"><dt>' in cv


@pytest.mark.parametrize("theme", ["scholar", "minimal"])
def test_every_themes_code_reads_left_to_right(theme):
    css = (REPO / "themes" / theme / "static" / "style.css").read_text(encoding="utf-8")
    assert re.search(r"(^|\n)pre, code[^{]*\{ direction: ltr; unicode-bidi: isolate; \}", css)


def test_bibtex_and_english_citations_keep_their_order_on_an_arabic_page(served, browser):
    page = browser.new_page(viewport={"width": 375, "height": 800})
    try:
        page.goto(served + "/papers/neural-processes/", wait_until="load")
        at, box = page.evaluate("""() => {
            const pre = document.querySelector('pre.bibtex');
            const range = document.createRange();
            range.setStart(pre.firstChild, 0); range.setEnd(pre.firstChild, 1);  // the '@'
            return [range.getBoundingClientRect().left, pre.getBoundingClientRect().left];
        }""")
        assert at - box < 40  # the entry's first character starts the line, at the left
        page.goto(served + "/cv/", wait_until="load")
        misplaced = page.evaluate("""() => [...document.querySelectorAll('.cv-papers li')]
            .filter(li => {
                const time = li.querySelector('time'), end = li.lastChild;  // '.'
                const range = document.createRange();
                range.setStart(end, end.length - 1); range.setEnd(end, end.length);
                return range.getBoundingClientRect().left < time.getBoundingClientRect().right;
            }).length""")
        assert misplaced == 0  # "..., 2018." ends each citation, on the right
    finally:
        page.close()
