"""Metrics with provenance (#26): every headline number says its source and day, on the
page and in its data; site.yaml's `metrics:` picks the profile's, typed or synced ones;
per-paper citation counts from the last sync, with their source and day."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from generator.build import build
from generator.cli import main
from generator.errors import SiteError

from .conftest import REPO, make_site
from .sync_server import nothing_found, point_at, serving
from .test_sync import BOTH, DATE, KEY, routes, site

REFERENCE = REPO / "content" / "profile.txt"
EARLIER = "2026-11-30"


@pytest.fixture
def synced(monkeypatch, tmp_path, capsys) -> Path:
    """A site synced from the recorded OpenAlex and ORCID responses on DATE, with an
    earlier snapshot beside it (the same record a week before, 100 citations fewer)."""
    with serving() as server:
        point_at(server, monkeypatch)
        monkeypatch.setenv("OPENALEX_API_KEY", KEY)
        root = site(tmp_path / "site", BOTH)
        routes(server)
        nothing_found(server)  # Crossref and arXiv know none of the works
        assert main(["sync", "-C", str(root), "--date", DATE]) == 0
    capsys.readouterr()
    latest = json.loads((root / "content" / "metrics" / f"{DATE}.json").read_text("utf-8"))
    earlier = dict(latest, date=EARLIER, h_index=latest["h_index"] - 1,
                   cited_by_count=latest["cited_by_count"] - 100)
    (root / "content" / "metrics" / f"{EARLIER}.json").write_text(json.dumps(earlier), "utf-8")
    return root


def built(root: Path, yaml_tail: str = "", page: str = "index.html") -> str:
    """The home page (or `page`) of the site at `root` built with `yaml_tail` added."""
    if yaml_tail:
        path = root / "site.yaml"
        path.write_text(path.read_text("utf-8") + yaml_tail, encoding="utf-8")
    build(root, {"output": str(root / "_site")})
    return (root / "_site" / page).read_text(encoding="utf-8")


LISTING = "publications/index.html"  # every card, the charts and the history


def metric(home: str, key: str) -> str:
    found = re.search(rf'<div class="metric metric-{key}">(.*?)</div>', home, re.S)
    assert found, f"no {key} metric"
    return found.group(1)


def test_profile_metrics_say_profile_and_the_profiles_day(tmp_path):
    root = make_site(tmp_path, REFERENCE, "as_of: 2025-06-01\n")
    home = built(root)
    shown = metric(home, "h-index")
    assert "<dd>117</dd>" in shown
    assert 'profile, <time datetime="2025-06-01">2025-06-01</time>' in shown
    badge = (root / "_site" / "badges" / "h-index.svg").read_text("utf-8")
    assert "<title>h-index: 117 (profile, 2025-06-01)</title>" in badge


def test_the_old_forms_of_metrics_still_work_and_say_where_they_come_from(tmp_path):
    root = make_site(tmp_path, REFERENCE, "as_of: 2025-06-01\nmetrics:\n  Cited: citations\n"
                     "  Scholar h-index: 120\n")
    home = built(root)
    cited = metric(home, "citations")
    assert "<dt>Cited</dt><dd>13,433</dd>" in cited and "profile, <time" in cited
    typed = metric(home, "extra")
    assert "<dt>Scholar h-index</dt><dd>120</dd>" in typed
    assert 'site.yaml, <time datetime="2025-06-01">' in typed


def test_metrics_openalex_shows_the_latest_snapshot_with_its_source_and_day(synced):
    home = built(synced, "metrics: openalex\n")
    shown = metric(home, "h-index")
    assert "<dd>17</dd>" in shown  # the latest, not the earlier 16
    assert f'OpenAlex, <time datetime="{DATE}">{DATE}</time>' in shown
    assert "<dd>3,890</dd>" in metric(home, "citations")
    badge = (synced / "_site" / "badges" / "citations.svg").read_text("utf-8")
    assert f"citations: 3,890 (OpenAlex, {DATE})" in badge


def test_a_site_without_profile_metrics_shows_the_synced_ones(synced):
    home = built(synced)
    assert f'OpenAlex, <time datetime="{DATE}">' in metric(home, "h-index")


def test_both_sources_side_by_side(tmp_path, synced):
    (synced / "content" / "profile.txt").write_bytes(REFERENCE.read_bytes())
    home = built(synced, "as_of: 2025-06-01\nmetrics:\n  h-index: h-index\n"
                 "  h-index (OpenAlex): openalex.h_index\n")
    shown = re.findall(r'<div class="metric metric-h-index">(.*?)</div>', home, re.S)
    assert len(shown) == 2
    assert "<dd>117</dd>" in shown[0] and "profile, <time" in shown[0]
    assert "<dd>17</dd>" in shown[1] and "OpenAlex, <time" in shown[1]


def test_a_synced_metric_without_a_snapshot_is_a_clear_error(tmp_path):
    root = make_site(tmp_path, REFERENCE, "metrics:\n  h-index: openalex.h_index\n")
    with pytest.raises(SiteError, match="no snapshot in content/metrics/"):
        built(root)


def test_an_unknown_openalex_metric_is_an_error_at_its_line(tmp_path, capsys):
    root = make_site(tmp_path, REFERENCE, "metrics:\n  h-index: openalex.g_index\n")
    assert main(["build", "-C", str(root), "-q"]) == 1
    err = capsys.readouterr().err
    assert "site.yaml:" in err and "openalex.h_index" in err and "Traceback" not in err


def test_per_paper_counts_show_with_source_and_day_only_when_asked(synced):
    home = built(synced, page=LISTING)
    assert "badge-citations" not in home
    home = built(synced, "citation_counts: true\n", page=LISTING)
    cards = re.findall(r'<span class="badge badge-citations">(.*?)</small></span>', home)
    assert cards, "no card shows a count"
    item = next(i for i in json.loads((synced / "content" / "synced.json").read_text("utf-8"))
                if i.get("DOI") and i["custom"].get("cited-by-count"))
    count = item["custom"]["cited-by-count"]
    assert any(f'<data value="{count}">{count:,} citation' in card
               and f'OpenAlex, <time datetime="{DATE}">' in card for card in cards)
    page = next((synced / "_site" / "papers").glob("the-state-of-oa*/index.html"))
    assert f'<dt>Cited by</dt><dd><data value="{count}">' in page.read_text("utf-8")


def chart(home: str, key: str) -> str:
    """A history chart's figure and its table of numbers, which follows it."""
    found = re.search(rf'<div class="chart-block">\s*<figure class="chart chart-{key}">'
                      r'(.*?)</details>', home, re.S)
    assert found, f"no {key} chart"
    return found.group(1)


def table(figure: str) -> list[tuple[str, str]]:
    return re.findall(r'<tr><th scope="row">([^<]+)</th><td>([^<]+)</td></tr>', figure)


def test_history_charts_are_svg_with_their_numbers_as_a_table(synced):
    home = built(synced, page=LISTING)
    latest = json.loads((synced / "content" / "metrics" / f"{DATE}.json").read_text("utf-8"))
    section = home.split('id="history-heading"', 1)[1]
    assert "<script" not in section.split("</section>", 1)[0]
    per_year = chart(home, "citations-per-year")
    expected = [(str(y["year"]), f"{y['cited_by_count']:,}") for y in latest["counts_by_year"]]
    assert table(per_year) == expected and len(expected) > 5  # backfilled from counts_by_year
    assert "<svg" in per_year and 'role="img"' in per_year
    assert len(re.findall(r'<rect class="bar"', per_year)) == len(expected)  # a column each
    assert table(chart(home, "h-index-over-time")) == [(EARLIER, str(latest["h_index"] - 1)),
                                                      (DATE, str(latest["h_index"]))]
    assert table(chart(home, "citations-over-time")) == [
        (EARLIER, f"{latest['cited_by_count'] - 100:,}"), (DATE, f"{latest['cited_by_count']:,}")]
    assert f'synced from <time datetime="{EARLIER}">' in home


def test_the_series_download_as_csv_equal_to_the_snapshots_and_are_no_pages(synced):
    home = built(synced, "base_url: https://example.org/\n", page=LISTING)
    assert 'href="/metrics/metrics.csv" download>metrics.csv</a>' in home
    assert 'href="/metrics/citations-by-year.csv" download>' in home
    site_dir = synced / "_site" / "metrics"
    snapshots = [json.loads(p.read_text("utf-8"))
                 for p in sorted((synced / "content" / "metrics").glob("*.json"))]
    rows = (site_dir / "metrics.csv").read_text("utf-8").splitlines()
    assert rows[0] == "date,source,h_index,i10_index,cited_by_count,works_count"
    assert rows[1:] == [f"{s['date']},{s['source']},{s['h_index']},{s['i10_index']},"
                        f"{s['cited_by_count']},{s['works_count']}" for s in snapshots]
    rows = (site_dir / "citations-by-year.csv").read_text("utf-8").splitlines()
    assert rows[0] == "year,works_count,cited_by_count,source,as_of"
    assert rows[1:] == [f"{y['year']},{y['works_count']},{y['cited_by_count']},OpenAlex,{DATE}"
                        for y in snapshots[-1]["counts_by_year"]]
    assert ".csv" not in (synced / "_site" / "sitemap.xml").read_text("utf-8")


def test_a_site_never_synced_has_no_history(tmp_path):
    root = make_site(tmp_path, REFERENCE, "as_of: 2025-06-01\n")
    listing = built(root, page=LISTING)
    assert "history-heading" not in listing and not (root / "_site" / "metrics").exists()


def test_an_arabic_site_shows_the_history_and_counts_in_the_catalogue_s_words(synced):
    from generator.i18n import translations

    ar = translations("ar")
    listing = built(synced, "language: ar\ncitation_counts: true\n", page=LISTING)
    assert f'<h2 id="history-heading">{ar.gettext("Citations and h-index over time")}</h2>' \
        in listing
    assert f'<th scope="col">{ar.gettext("Year")}</th>' in listing
    assert f'<th scope="col">{ar.gettext("Day")}</th>' in listing
    assert f'<figcaption>{ar.gettext("Citations per year")}</figcaption>' in listing
    download = ar.gettext('Download the series: <a href="%(metrics_url)s" download>metrics.csv'
                          '</a> · <a href="%(by_year_url)s" download>citations-by-year.csv</a>')
    assert download.split("<a")[0] in listing and not download.startswith("Download")
    counts = re.findall(r'<data value="(\d+)">([^<]+)</data>', listing)
    assert counts
    for value, text in counts:
        n = int(value)
        form = ar.ngettext("%(num)s citation", "%(num)s citations", n)
        assert text == form % {"num": f"{n:,}"}
    assert f'{ar.gettext("source:")} </span>OpenAlex، <time' in listing
    for english in ("Citations and h-index", "Download the series", " citations<", ">Year<"):
        assert english not in listing


def test_a_typed_figure_carries_its_own_day_and_source_on_the_page_and_badge(tmp_path):
    root = make_site(tmp_path, REFERENCE, "as_of: 2025-06-01\nmetrics:\n  h-index: h-index\n"
                     "  citations: {value: 13433, date: 2025-05-02, source: Google Scholar}\n"
                     "  Scholar h-index: {value: 120, date: '2025-04-30'}\n"
                     "  Typed: 7\n")
    home = built(root)
    cited = metric(home, "citations")
    assert "<dd>13,433</dd>" in cited
    assert 'Google Scholar, <time datetime="2025-05-02">2025-05-02</time>' in cited
    extra = re.findall(r'<div class="metric metric-extra">(.*?)</div>', home, re.S)
    assert 'site.yaml, <time datetime="2025-04-30">' in extra[0]  # its own day
    assert 'site.yaml, <time datetime="2025-06-01">' in extra[1]  # a bare number: as_of's
    assert 'profile, <time datetime="2025-06-01">' in metric(home, "h-index")
    badge = (root / "_site" / "badges" / "citations.svg").read_text("utf-8")
    assert ">Google Scholar, 2025-05-02</text>" in badge


@pytest.mark.parametrize(("typed", "expected"), [
    ("{value: 13433}", "'Scholar' needs 'date:', the day of the figure as YYYY-MM-DD, "
                       "found nothing"),
    ("{value: 13433, date: 2026-02-30}", "impossible date '2026-02-30'"),
    ("{value: 13433, date: 'November'}", "'Scholar' needs 'date:', the day of the figure "
                                         "as YYYY-MM-DD, found 'November'"),
    ("{value: 13433, date: 2026-11-02, dat: x}", "'Scholar' takes value, date and source; "
                                                 "found 'dat'"),
    ("{date: 2026-11-02}", "'Scholar' needs 'value:'"),
    ("{value: openalex.h_index, date: 2026-11-02}", "'Scholar' needs 'value:'"),
])
def test_a_typed_figure_without_a_day_or_value_is_an_error_at_its_line(tmp_path, capsys,
                                                                       typed, expected):
    root = make_site(tmp_path, REFERENCE, f"as_of: 2025-06-01\nmetrics:\n  Scholar: {typed}\n")
    assert main(["build", "-C", str(root)]) == 1
    err = capsys.readouterr().err
    assert "site.yaml:2:" in err or "site.yaml:3:" in err, err
    assert expected in err, err


def test_a_work_without_authors_has_no_empty_author_line(synced):
    listing = built(synced, page=LISTING)
    cards = listing.count('<li class="paper-card')
    lines = listing.count('<p class="paper-authors">')
    assert 0 < lines < cards  # the recorded ORCID summaries name no contributors
    assert '<p class="paper-authors"></p>' not in listing
    for page in (synced / "_site" / "papers").glob("*/index.html"):
        assert '<p class="paper-authors"></p>' not in page.read_text("utf-8"), page


def test_a_synced_count_is_found_by_the_identity_rule_whatever_the_doi_or_arxiv_form(
        tmp_path):
    # A .bib keeps `eprint = {2201.12204v2}` and `doi = {https://doi.org/10.X/Y}` as written;
    # sync stores `2201.12204` and a bare DOI: the same work by identity.py's keys.
    from generator.content.synced import load_synced
    from generator.identity import file_identifiers

    (tmp_path / "synced.json").write_text(json.dumps([
        {"id": "a", "DOI": "10.1038/S41586-021-03819-2", "custom": {"cited-by-count": 7}},
        {"id": "b", "custom": {"arxiv": "2201.12204", "cited-by-count": 9}}]), "utf-8")
    counts = load_synced(tmp_path).counts
    doi = next(counts[k] for k in file_identifiers("https://doi.org/10.1038/s41586-021-03819-2",
                                                   None) if k in counts)
    arxiv = next(counts[k] for k in file_identifiers(None, "2201.12204v2") if k in counts)
    assert (doi.count, arxiv.count) == (7, 9)
