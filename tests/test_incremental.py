"""The dev server's incremental rebuilds (serve.Preview, incremental.py, reuse.Reuse,
{% fragment %}): after any sequence of edits, the files it serves are exactly those of
a full build of the same input, and an edit re-renders only the routes that show it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.build import load_site, render_site
from generator.serve import Preview

from .conftest import REPO, copy_demo

OLD = "Humans learn powerful representations"


@pytest.fixture
def site(tmp_path) -> Path:
    return copy_demo(tmp_path / "site")


def full_build(site: Path) -> dict[str, bytes]:
    config, profile, _ = load_site(site)
    return render_site(config, profile)[1]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_every_rebuild_serves_exactly_what_a_full_build_makes(site):
    preview = Preview(site, {}, log=lambda *args: None)
    assert preview.rebuild("start")
    profile = site / "content" / "profile.txt"
    steps = [
        lambda: edit(profile, OLD, "Humans, revised, learn"),  # an abstract
        lambda: edit(profile, "Self-supervised video pretraining", "Video pretraining"),
        lambda: edit(profile, "S. M. Ali Eslami", "S. M. A. Eslami"),  # the site's name
        lambda: edit(site / "site.yaml", "title: S. M. Ali Eslami", "title: Renamed"),
        lambda: (site / "templates").mkdir(exist_ok=True) or (
            site / "templates" / "partials").mkdir(exist_ok=True) or shutil.copyfile(
            REPO / "themes" / "scholar" / "templates" / "partials" / "paper_card.html",
            site / "templates" / "partials" / "paper_card.html"),
        lambda: edit(site / "templates" / "partials" / "paper_card.html",
                     'class="paper-card"', 'class="paper-card edited"'),
        lambda: edit(profile, "Video pretraining", "Self-supervised video pretraining"),
        # Two papers with one title: slugs told apart by year, the earlier records reused.
        lambda: edit(profile, "Gemini 1.5: Unlocking multimodal understanding across "
                     "millions of tokens of context", "Self-supervised video pretraining "
                     "yields robust and more human-aligned visual representations"),
    ]
    for step in steps:
        step()
        assert preview.rebuild("edit")
        assert preview.snapshot.files == full_build(site)
    assert b"paper-card edited" in preview.snapshot.files["index.html"]


def test_an_edited_abstract_re_renders_only_the_routes_that_show_it(site):
    preview = Preview(site, {}, log=lambda *args: None)
    assert preview.rebuild("start")
    renderer = preview._renderer
    assert renderer is not None
    edit(site / "content" / "profile.txt", OLD, "Humans, revised, learn")
    config, profile, _ = load_site(site)
    from generator.build import assemble_site
    from generator.themes import load_theme

    model, _ = assemble_site(config, profile, load_theme(config.theme, config.root),
                             views=preview._views)
    _, rendered = renderer.render(model)
    index = next(i for i, v in enumerate(model.papers) if "Humans, revised" in v.paper.abstract)
    view = model.papers[index]
    neighbours = {f"papers/{model.papers[i].paper.slug}/index.html"
                  for i in (index - 1, index + 1) if 0 <= i < len(model.papers)}
    # Its own files, the pages whose context holds it (its neighbours show its title, its
    # category and the home page its card) and the site's citation files: no other.
    assert set(rendered) == {
        f"papers/{view.paper.slug}/{name}"
        for name in ("index.html", "citation.bib", "citation.ris", "citation.json")
    } | neighbours | {"index.html", "categories/index.html",
                      f"categories/{view.category.code}/index.html",
                      "papers.bib", "papers.json"}
    assert len(rendered) < len(model.routes) / 10


def test_warnings_of_unchanged_entries_are_reported_again_on_every_rebuild(site):
    logged: list[str] = []
    preview = Preview(site, {}, log=logged.append)
    profile = site / "content" / "profile.txt"
    # An entry without its author line: a warning from inside that entry.
    edit(profile, "\nNikhil Parthasarathy, S. M. Ali Eslami, João Carreira et al.\n", "")
    assert preview.rebuild("start")
    edit(profile, OLD, "Humans, revised, learn")  # another entry: the first one is reused
    logged.clear()
    assert preview.rebuild("edit")
    _, _, warnings = load_site(site)
    assert [w.format() for w in warnings] == logged[:-1]  # then the rebuild's own line
    assert any("entry has no author line" in line for line in logged)
