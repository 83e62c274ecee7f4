"""How a build renders its routes: one typed list of routes, each made once, in one
process or in contiguous shares over forked workers, the same bytes either way."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build import BuildResult, build
from generator.errors import TemplateError
from generator.model import FileRoute, Kind, PageRoute
from generator.output import Staging
from generator.render import parallel
from generator.render.environment import make_environment
from generator.themes import load_theme

from .conftest import REPO, copy_demo
from .test_output import snapshot


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The demo built in memory: its model, and every file's bytes to compare with."""
    return build(REPO, {"output": str(tmp_path_factory.mktemp("demo") / "_site")})


def staged(demo: BuildResult, output: Path, processes: int, site: Path = REPO
           ) -> dict[str, bytes]:
    """Every file a streaming build of the demo's model writes into `output`."""
    env = make_environment(site / "templates", load_theme(demo.config.theme, REPO))
    with Staging(output) as staging:
        parallel.stage_routes(env, demo.model, staging, processes=processes)
        staging.commit()
    return {path: data for path, (data, _) in snapshot(output).items() if path in demo.files}


def test_every_route_is_a_page_or_a_file_with_a_kind_and_one_path(demo):
    routes = demo.model.routes
    assert len({route.path for route in routes}) == len(routes)
    for route in routes:
        assert isinstance(route, PageRoute | FileRoute) and isinstance(route.kind, Kind)
    kinds = [route.kind for route in routes]
    assert kinds.count(Kind.PAPER) == len(demo.model.papers) == 33
    assert kinds.count(Kind.CITATIONS) == 3 * 33 + 3  # each paper's three, papers.bib/.ris/.json
    assert all(isinstance(route, FileRoute) for route in routes if route.kind is Kind.CITATIONS)


def test_a_file_route_makes_the_bytes_of_its_file(demo):
    for route in demo.model.routes:
        if isinstance(route, FileRoute):
            assert "".join(route.make()).encode() == demo.files[route.path], route.path


def test_a_streaming_build_in_one_process_writes_the_bytes_of_the_memory_build(demo, tmp_path):
    files = staged(demo, tmp_path / "out", processes=1)
    assert files == {path: data for path, data in demo.files.items() if path in files}
    assert len(files) == len(demo.model.routes)


def test_a_build_over_workers_writes_the_bytes_of_the_memory_build(demo, tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "PARALLEL_ROUTES", 0)  # fork even for the demo
    monkeypatch.setattr(parallel, "LARGE_LIST", 5)  # and stream its lists in chunks
    for processes in (2, 3):
        files = staged(demo, tmp_path / f"out-{processes}", processes)
        assert files == {path: data for path, data in demo.files.items() if path in files}
        assert len(files) == len(demo.model.routes)


@pytest.mark.parametrize("count", [1, 2, 3, 7])
def test_shares_are_contiguous_runs_of_about_equal_length_covering_every_route(demo, count):
    routes = demo.model.routes
    shares = parallel._shares(routes, count)
    assert len(shares) == count
    assert [i for share in shares for i in share] == list(range(len(routes)))
    lengths = [len(share) for share in shares]
    assert max(lengths) - min(lengths) <= 1


def test_a_failed_share_in_a_worker_fails_the_build_with_file_and_line(demo, tmp_path,
                                                                        monkeypatch):
    """The oldest paper's page fails (a site template); it is in the last share, which a
    forked worker renders: the build raises its TemplateError and writes nothing."""
    monkeypatch.setattr(parallel, "PARALLEL_ROUTES", 0)
    site = tmp_path / "site"
    (site / "templates").mkdir(parents=True)
    (site / "templates" / "paper.html").write_text(
        '{% extends "theme/paper.html" %}{% block content %}{{ super() }}'
        "{% if older is none %}{{ no_such_name }}{% endif %}{% endblock %}",
        encoding="utf-8")
    with pytest.raises(TemplateError, match=r"templates/paper.html:1:.*no_such_name"):
        staged(demo, tmp_path / "out", 2, site)
    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["site"]  # no staging folder is left


@pytest.mark.parametrize("template", ["paper.html", "category.html", "home.html",
                                      "categories.html", "404.html", "page.html"])
def test_a_markdown_page_with_any_template_renders_or_fails_with_file_and_line(
        tmp_path, template):
    site = copy_demo(tmp_path / "site")
    pages = site / "content" / "pages"
    pages.mkdir(parents=True, exist_ok=True)
    (pages / "odd.md").write_text(f"---\ntitle: Odd\ntemplate: {template}\n---\nHello.\n",
                                  encoding="utf-8")
    try:
        result = build(site, {"output": str(tmp_path / "out")})
    except TemplateError as error:
        message = str(error)
        assert "odd/index.html (content/pages/odd.md" in message
        assert f"'{template}'" in message
        first = message.splitlines()[0]
        assert first.split(":")[1].isdigit(), first  # file:line:
        assert "Traceback" not in message
    else:
        assert template in ("page.html", "404.html")  # a page's template, and one without
        html = result.files["odd/index.html"]  # a context of its own
        assert html.startswith(b"<!DOCTYPE html>") and html.endswith(b"</html>\n")
        assert (b"Hello." in html) == (template == "page.html")
