"""A synced site's pages (#26) are valid HTML and pass axe in light and dark, with two
years of weekly snapshots: the history's charts (opened), a paper's open-access button,
the badges' site."""

from __future__ import annotations

import http.server
import threading
from functools import partial

import pytest
from sitekit import SCHEMES, format_violations, format_vnu, run_axe, run_vnu

from generator.build import build
from tests import test_metrics
from tests.test_history import weekly
from tests.test_open_access import PAGE, _set_oa

synced = test_metrics.synced  # the fixture: a site synced from the recorded responses


@pytest.fixture
def history_site(synced):
    weekly(synced)
    _set_oa(synced, "https://europepmc.org/articles/PMC5815332")  # an Open access button
    build(synced, {"output": str(synced / "_site")})
    return synced / "_site"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def test_the_history_and_an_open_access_paper_are_valid_and_accessible(history_site, vnu,
                                                                       browser, axe_js):
    pages = ["publications/index.html", PAGE]
    problems = [format_vnu(m, str) for m in run_vnu([history_site / p for p in pages])]
    assert not problems, "\n".join(problems)
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(_Quiet, directory=str(history_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        for scheme in SCHEMES:
            context = browser.new_context(color_scheme=scheme)
            try:
                page = context.new_page()
                for path in pages:
                    page.goto(f"http://127.0.0.1:{server.server_address[1]}/{path}")
                    page.evaluate("document.querySelectorAll('details')"
                                  ".forEach(d => d.open = true)")
                    found = list(format_violations(run_axe(page)["violations"],
                                                   f"{path} ({scheme})"))
                    assert not found, "\n".join(found)
            finally:
                context.close()
    finally:
        server.shutdown()
