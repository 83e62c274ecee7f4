"""The dev server's incremental rebuilds (dev.preview.Preview, dev/incremental.py, Reuse,
{% fragment %}): after any sequence of edits, the files it serves are exactly those of
a full build of the same input, and an edit re-renders only the routes that show it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.build import load_site, render_site
from generator.dev.incremental import Deferred
from generator.dev.preview import Preview

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
        snapshot = preview.snapshot
        assert {path: snapshot.read(path) for path in snapshot.files} == full_build(site)
    assert b"paper-card edited" in preview.snapshot.read("index.html")


@pytest.mark.parametrize("base_url", [None, "https://example.org/repo/"])  # feeds with one
def test_edits_inside_papers_give_exactly_a_full_builds_files_and_model(site, base_url):
    overrides = {"base_url": base_url} if base_url else {}
    preview = Preview(site, overrides, log=lambda *args: None)
    assert preview.rebuild("start")
    profile = site / "content" / "profile.txt"
    steps = [
        (OLD, "Humans, revised, learn"),  # an abstract
        ("CVOct 12, 2022\n", "CVOct 12, 2022Code\n"),  # a Code flag: the facets
        ("CLMar 8, 2024", "61.5CLMar 8, 2024"),  # a score
        ("Gemini Team, Petko Georgiev", "Gemini Team, Petra Georgiev"),  # an author
        ("A neural network (NN)", "A network"),  # a paper with extras (featured)
        ("Nikhil Parthasarathy, S. M.", "N. Parthasarathy, S. M."),  # BibTeX key
        ("CLMar 8, 2024", "CLMar 9, 2024"),  # a date: the order may change
        ("Conditional Neural Processes", "Conditional neural processes"),  # slug
    ]
    for old, new in steps:
        edit(profile, old, new)
        assert preview.rebuild("edit")
        snapshot = preview.snapshot
        config, records, _ = load_site(site, overrides)
        model, files = render_site(config, records)
        assert {path: snapshot.read(path) for path in snapshot.files} == files, old
        assert preview.model == model, old  # routes that show the same too


NEW_PAPER = ("CVNov 20, 2026Code\nA paper added at the top\n\nA. Author, B. Author\n\n"
             "Its abstract.\n\n")


def warned_preview(site: Path) -> tuple[Preview, list[str], Path]:
    """A started dev server of the demo whose first entry has no author line (a warning
    from inside an entry), what it logs, and its profile."""
    logged: list[str] = []
    preview = Preview(site, {}, log=logged.append)
    profile = site / "content" / "profile.txt"
    edit(profile, "\nNikhil Parthasarathy, S. M. Ali Eslami, João Carreira et al.\n", "")
    assert preview.rebuild("start")
    return preview, logged, profile


def test_a_paper_added_above_the_others_re_renders_only_the_pages_that_show_it(site):
    preview, logged, profile = warned_preview(site)  # the warning's line moves too
    before = dict(preview.snapshot.files)
    views = preview.model.papers
    edit(profile, "CVOct 12, 2022\n", NEW_PAPER + "CVOct 12, 2022\n")  # the first entry
    logged.clear()
    assert preview.rebuild("edit")
    config, records, warnings = load_site(site)
    assert [w.format() for w in warnings] == logged[:-1]  # at their new lines
    assert any("entry has no author line" in line for line in logged)
    model, files = render_site(config, records)
    snapshot = preview.snapshot
    assert {path: snapshot.read(path) for path in snapshot.files} == files
    lines = [paper.line for paper in preview.profile.papers]
    assert lines == [paper.line for paper in records.papers]  # every record at its new line
    # Every paper moved down 7 lines, yet only the pages showing the new paper, or a
    # count that changed, were made again; the other papers kept their views.
    again = {path for path, data in snapshot.files.items()
             if path.endswith(".html") and data is not before.get(path)}
    assert "papers/a-paper-added-at-the-top/index.html" in again
    assert len(again) <= 8, sorted(again)
    kept = set(map(id, views)) & set(map(id, preview.model.papers))
    assert len(kept) >= len(views) - 1


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
    before = dict(preview.snapshot.files)
    files, rendered = renderer.render(model)
    index = next(i for i, v in enumerate(model.papers) if "Humans, revised" in v.paper.abstract)
    view = model.papers[index]
    neighbours = {f"papers/{model.papers[i].paper.slug}/index.html"
                  for i in (index - 1, index + 1) if 0 <= i < len(model.papers)}
    # Its page and the pages whose context holds it (its neighbours show its title, its
    # category, the publications page its card, the home page counts it, and the CV its
    # entry): no other.
    assert set(rendered) == {f"papers/{view.paper.slug}/index.html"} | neighbours | {
        "index.html", "publications/index.html", "categories/index.html",
        f"categories/{view.category.code}/index.html", "cv/index.html"}
    # Its citation files and the site's are made anew when they are read; no other file.
    cited = {f"papers/{view.paper.slug}/citation.{ext}" for ext in ("bib", "ris", "json")}
    cited |= {"papers.bib", "papers.ris", "papers.json"}
    assert {path for path in files if files[path] is not before[path]} == set(rendered) | cited
    assert all(isinstance(files[path], Deferred) for path in cited)
    full = full_build(site)
    assert {path: files[path].read() for path in cited} == {path: full[path] for path in cited}
    assert len(rendered) < len(model.routes) / 10


def test_warnings_of_unchanged_entries_are_reported_again_on_every_rebuild(site):
    preview, logged, profile = warned_preview(site)
    edit(profile, OLD, "Humans, revised, learn")  # another entry: the first one is reused
    logged.clear()
    assert preview.rebuild("edit")
    _, _, warnings = load_site(site)
    assert [w.format() for w in warnings] == logged[:-1]  # then the rebuild's own line
    assert any("entry has no author line" in line for line in logged)


def test_after_a_failed_render_the_next_save_renders_again_and_fails_again(site):
    preview = Preview(site, {}, log=lambda *args: None)
    assert preview.rebuild("start")
    (site / "templates").mkdir()
    base = site / "templates" / "base.html"
    shutil.copyfile(REPO / "themes" / "scholar" / "templates" / "base.html", base)
    assert preview.rebuild("a template of the site's own")
    edit(base, "<body", "{{ no_such_name }}<body")
    assert not preview.rebuild("a broken template")
    profile = site / "content" / "profile.txt"
    profile.touch()  # saved again unchanged: the template is still broken
    assert not preview.rebuild("saved again")
    edit(profile, OLD, "Humans, revised, learn")  # an edit inside a paper
    assert not preview.rebuild("an abstract")
    assert preview.snapshot.error and "no_such_name" in preview.snapshot.error
    edit(base, "{{ no_such_name }}<body", "<body")
    assert preview.rebuild("mended")
    snapshot = preview.snapshot
    assert snapshot.error is None
    assert {path: snapshot.read(path) for path in snapshot.files} == full_build(site)


def test_a_deleted_static_file_is_no_longer_served(site):
    preview = Preview(site, {}, log=lambda *args: None)
    (site / "static").mkdir()
    (site / "static" / "old.css").write_text("p { color: red }\n", encoding="utf-8")
    assert preview.rebuild("start")
    assert preview.snapshot.read("assets/old.css") == b"p { color: red }\n"
    (site / "static" / "old.css").unlink()
    assert preview.rebuild("deleted")
    assert preview.snapshot.read("assets/old.css") is None
    snapshot = preview.snapshot
    assert {path: snapshot.read(path) for path in snapshot.files} == full_build(site)


def test_edits_do_not_keep_earlier_site_models_alive(site):
    import gc
    import weakref

    preview = Preview(site, {}, log=lambda *args: None)
    assert preview.rebuild("start")
    models = [weakref.ref(preview.model)]
    profile = site / "content" / "profile.txt"
    text = profile.read_text(encoding="utf-8")
    entries = [i for i, line in enumerate(text.split("\n")) if line.startswith("CV")]
    for number, header in enumerate(entries[:6]):  # a different paper each time
        lines = text.split("\n")
        lines[header + 5] += f" (edit {number})"  # an abstract: its citation files change
        profile.write_text("\n".join(lines), encoding="utf-8")
        assert preview.rebuild("edit")
        models.append(weakref.ref(preview.model))
    gc.collect()
    alive = [model for model in models if model() is not None]
    assert len(alive) <= 2  # the one served, and what the caches compare the next with


def test_a_changed_static_page_counts_as_a_page_written(site):
    logged: list[str] = []
    preview = Preview(site, {}, log=logged.append)
    (site / "static").mkdir()
    (site / "static" / "extra.html").write_text("<p>one</p>\n", encoding="utf-8")
    assert preview.rebuild("start")
    (site / "static" / "extra.html").write_text("<p>two</p>\n", encoding="utf-8")
    assert preview.rebuild("static/extra.html changed")
    assert logged[-1].startswith("static/extra.html changed: 1 page written in ")


def test_fragments_of_a_failed_render_for_another_site_are_not_reused(site):
    # A card that shows a metric (the site), and a paper page that fails on BOOM.
    (site / "templates" / "partials").mkdir(parents=True)
    theme = REPO / "themes" / "scholar" / "templates"
    card = (theme / "partials" / "paper_card.html").read_text(encoding="utf-8")
    (site / "templates" / "partials" / "paper_card.html").write_text(
        card + "<small>{{ site.metrics[0].value }}</small>\n", encoding="utf-8")
    page = (theme / "paper.html").read_text(encoding="utf-8")
    (site / "templates" / "paper.html").write_text(page.replace(
        "{% block content %}",
        '{% block content %}{% if "BOOM" in paper.paper.abstract %}{{ no_such_name }}'
        "{% endif %}", 1), encoding="utf-8")
    preview = Preview(site, {}, log=lambda *args: None)
    assert preview.rebuild("start")
    profile = site / "content" / "profile.txt"
    edit(profile, "h-index117", "h-index118")
    edit(profile, OLD, "BOOM")
    assert not preview.rebuild("a new h-index and a failing page")
    edit(profile, "h-index118", "h-index117")
    edit(profile, "BOOM", "BAM")
    assert preview.rebuild("the old h-index again")
    snapshot = preview.snapshot
    assert {path: snapshot.read(path) for path in snapshot.files} == full_build(site)


def test_a_page_that_shows_a_papers_line_is_what_a_build_makes_after_lines_move(site):
    (site / "templates").mkdir()
    page = (REPO / "themes" / "scholar" / "templates" / "paper.html").read_text("utf-8")
    (site / "templates" / "paper.html").write_text(page.replace(
        "{% block content %}", "{% block content %}<p>line {{ paper.paper.line }}</p>", 1),
        encoding="utf-8")
    preview = Preview(site, {}, log=lambda *args: None)
    assert preview.rebuild("start")
    edit(site / "content" / "profile.txt", "33 Papers\n", "33 Papers\n\n\n")
    assert preview.rebuild("two lines above the papers")
    snapshot = preview.snapshot
    assert {path: snapshot.read(path) for path in snapshot.files} == full_build(site)


def test_a_renamed_paper_is_followed_and_a_moved_or_deleted_one_is_not(site):
    preview = Preview(site, {}, log=lambda *args: None)
    assert preview.rebuild("start")
    profile = site / "content" / "profile.txt"
    edit(profile, "CVOct 12, 2022\n", NEW_PAPER + "CVOct 12, 2022\n")  # every line moves
    assert preview.rebuild("a paper added at the top")
    assert preview.snapshot.moved == {}
    title = "Self-supervised video pretraining yields robust"
    [old] = [p.slug for p in preview.profile.papers if p.title.startswith(title)]
    edit(profile, title, "Video pretraining, renamed, yields robust")
    assert preview.rebuild("a title")
    [new] = [p.slug for p in preview.profile.papers
             if p.title.startswith("Video pretraining, renamed")]
    assert preview.snapshot.moved == {f"papers/{old}/index.html": f"papers/{new}/"}
    text = profile.read_text(encoding="utf-8")
    profile.write_text(text.replace(NEW_PAPER, ""), encoding="utf-8")
    assert preview.rebuild("the added paper deleted")
    assert "papers/a-paper-added-at-the-top/index.html" not in preview.snapshot.moved


def test_a_citation_file_asked_for_at_once_by_many_is_made_once():
    import threading
    import time

    made = []

    class Slow:
        def __call__(self):
            made.append(1)
            time.sleep(0.05)
            return iter(["@misc{x}", "\n"])

    deferred = Deferred(Slow())  # type: ignore[arg-type]
    threads = [threading.Thread(target=deferred.read) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert deferred.read() == b"@misc{x}\n" and len(made) == 1
