"""How a streaming build renders a site's routes: each paper's page with its citation
files (its citation made once, then dropped), and over workers that keep to neighbouring
routes and take over what another has not done."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from generator import pipeline
from generator.build import BuildResult, build
from generator.errors import TemplateError
from generator.output import Staging
from generator.render import make_environment
from generator.site import CitationFile, PaperView
from generator.themes import load_theme

from .conftest import REPO
from .test_output import snapshot


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The demo built in memory: its model, and every file's bytes to compare with."""
    return build(REPO, {"output": str(tmp_path_factory.mktemp("demo") / "_site")})


def staged(demo: BuildResult, output: Path, work) -> dict[str, bytes]:
    """Every file a streaming build of the demo's model writes into `output` when
    `work(env, staging)` renders the routes; the views' citations are dropped first."""
    for view in demo.model.papers:
        view.drop_citation()
    env = make_environment(REPO / "templates", load_theme(demo.config.theme, REPO))
    with Staging(output) as staging:
        work(env, staging)
        staging.commit()
    return {path: data for path, (data, _) in snapshot(output).items() if path in demo.files}


def test_each_paper_page_is_rendered_with_its_citation_files_and_every_route_once(demo):
    units = pipeline._units(demo.model)
    indexes = [index for unit in units for index in unit]
    assert sorted(indexes) == list(range(len(demo.model.routes)))
    grouped = [unit for unit in units if len(unit) > 1]
    assert len(grouped) == len(demo.model.papers) == 33
    for page, *files in grouped:
        view = demo.model.routes[page].context["paper"]
        assert isinstance(view, PaperView)
        assert [demo.model.routes[index].path for index in files] == [
            f"papers/{view.paper.slug}/citation.{ext}" for ext in ("bib", "ris", "json")]


def test_a_streaming_build_keeps_no_citation_and_writes_the_same_bytes(demo, tmp_path):
    files = staged(demo, tmp_path / "out", lambda env, staging: pipeline.stage_routes(
        env, demo.model, staging, processes=1))
    assert files == {path: data for path, data in demo.files.items() if path in files}
    assert len(files) == len(demo.model.routes)
    assert not [view for view in demo.model.papers if "citation" in view.__dict__]


@pytest.mark.parametrize("path", ["papers.bib", "papers.json"])
def test_a_file_of_every_paper_does_not_keep_their_citations(demo, path):
    for view in demo.model.papers:
        view.drop_citation()
    every = next(route.context["text"] for route in demo.model.routes if route.path == path)
    assert isinstance(every, CitationFile)
    assert every.text().encode() == demo.files[path]
    assert not [view for view in demo.model.papers if "citation" in view.__dict__]


@pytest.mark.parametrize("fmt", ["bibtex", "ris", "csljson"])
def test_one_format_made_alone_is_that_format_of_the_whole_citation(demo, fmt):
    for view in demo.model.papers:
        view.drop_citation()
        alone = view.passing_entry(fmt)
        assert "citation" not in view.__dict__
        assert alone == view.citation.entry(fmt)  # made whole, and kept
        assert view.passing_entry(fmt) is view.citation.entry(fmt)


def test_worker_shares_are_neighbouring_runs_that_cover_every_chunk_once():
    for chunks, count in [(10, 2), (10, 3), (1, 2), (7, 7), (315, 2)]:
        bounds = pipeline._shares(chunks, count)
        pairs = list(zip(bounds[::2], bounds[1::2], strict=True))
        assert len(pairs) == count
        assert [i for start, end in pairs for i in range(start, end)] == list(range(chunks))


def test_a_worker_takes_over_the_shares_of_workers_that_never_start(demo, tmp_path):
    """Share 0 alone renders every chunk: from its own start, then the ends of the
    others, as when one worker finishes before another has begun."""
    units = pipeline._units(demo.model)
    chunks = [units[i:i + 5] for i in range(0, len(units), 5)]

    def work(env, staging):
        shares = pipeline._shares(len(chunks), 3)
        pipeline._job = (env, demo.model, staging, chunks, shares, threading.Lock())
        try:
            paths, changed, written = pipeline._work(0)
        finally:
            pipeline._job = None
        assert sorted(paths) == sorted(route.path for route in demo.model.routes)
        assert sorted(changed) == sorted(paths)
        assert len(written) == 2 * len(changed)
        assert all(start == end for start, end in zip(shares[::2], shares[1::2], strict=True))

    files = staged(demo, tmp_path / "out", work)
    assert files == {path: data for path, data in demo.files.items() if path in files}


def test_a_failed_chunk_leaves_no_chunk_for_the_other_workers(demo, tmp_path):
    """The oldest paper's page fails (a site template): once it has, no process takes
    another chunk, so a failing build stops instead of rendering the rest first."""
    site = tmp_path / "site"
    (site / "templates").mkdir(parents=True)
    (site / "templates" / "paper.html").write_text(
        '{% extends "theme/paper.html" %}{% block content %}{{ super() }}'
        "{% if older is none %}{{ no_such_name }}{% endif %}{% endblock %}",
        encoding="utf-8")
    env = make_environment(site / "templates", load_theme(demo.config.theme, REPO))
    units = pipeline._units(demo.model)
    chunks = [units[i:i + 2] for i in range(0, len(units), 2)]
    shares = pipeline._shares(len(chunks), 2)
    with Staging(tmp_path / "out") as staging:
        pipeline._job = (env, demo.model, staging, chunks, shares, threading.Lock())
        try:
            with pytest.raises(TemplateError, match="no_such_name"):
                pipeline._work(1)  # the second half of the site: the oldest paper
        finally:
            pipeline._job = None
    assert shares[0] == shares[1] and shares[2] == shares[3]


def test_the_context_of_a_file_without_a_template_reads_as_the_dict_it_replaces(demo):
    files = [route for route in demo.model.routes if route.template is None]
    assert len(files) == 3 * 33 + 2  # each paper's three citation files, papers.bib/.json
    for route in files:
        context = route.context
        assert isinstance(context["text"], CitationFile)
        assert context == {"text": context["text"]} and dict(context) == context
        assert list(context.values()) == [context["text"]] and len(context) == 1
        assert context.get("paper") is None
        with pytest.raises(KeyError):
            context["paper"]
