"""Every input the build cannot read is a message, never a skipped input: a file where a
folder is expected (content/papers, static, templates, a theme's folders), a folder where
a file is (a template, a theme's static file), a folder that cannot be listed, a broken
theme.yaml or a setting of the wrong type. Each through the real command line: exit 1,
`path:line:col: ...` naming the file, no traceback, and the previous _site byte for byte."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import make_site
from .test_cli_build import contents, run

FIXTURES = Path(__file__).parent / "fixtures"
SITE_YAML = "as_of: 2026-01-01\nbase_url: https://example.org/\ntheme: mine\n"
THEME = "name: mine\nextends: scholar\nsettings:\n  accent: \"#8b1a1a\"\n"


def folder(path: Path) -> None:
    """A folder at `path`, holding one file (an empty one is no override at all)."""
    if path.is_file():
        path.unlink()
    path.mkdir(parents=True, exist_ok=True)
    (path / "x.txt").write_text("x", encoding="utf-8")


def file(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("x", encoding="utf-8")


def theme_yaml(text: str) -> Callable[[Path], None]:
    return lambda site: (site / "themes" / "mine" / "theme.yaml").write_text(text, "utf-8")


# What breaks the site, the file the message names, and what it says.
CASES = {
    "a folder in place of templates/base.html":
        (lambda s: folder(s / "templates" / "base.html"), "templates/base.html:1:1:",
         "(a folder, expected a file)"),
    "a template that is not UTF-8":
        (lambda s: (s / "themes" / "mine" / "templates" / "base.html").write_bytes(b"\xff"),
         "themes/mine/templates/base.html:1:1:", "not UTF-8 text (byte 0)"),
    "a file in place of templates/":
        (lambda s: file(s / "templates"), "templates:1:1:", "(a file, expected a folder)"),
    "a folder in place of a theme's template":
        (lambda s: folder(s / "themes" / "mine" / "templates" / "paper.html"),
         "themes/mine/templates/paper.html:1:1:", "(a folder, expected a file)"),
    "a file in place of a theme's templates/":
        (lambda s: file(s / "themes" / "mine" / "templates"), "themes/mine/templates:1:1:",
         "(a file, expected a folder)"),
    "a folder in place of a theme's static file":
        (lambda s: folder(s / "themes" / "mine" / "static" / "style.css"),
         "themes/mine/static/style.css:1:1:", "(a folder, expected a file, as "),
    "a file in place of a theme's static folder":
        (lambda s: file(s / "themes" / "mine" / "static"), "themes/mine/static:1:1:",
         "(a file, expected a folder)"),
    "a file in place of static/":
        (lambda s: file(s / "static"), "static:1:1:", "(a file, expected a folder)"),
    "a folder in place of static/CNAME":
        (lambda s: folder(s / "static" / "CNAME"), "static/CNAME:1:1:",
         "(a folder, expected a file)"),
    "a file in place of content/papers":
        (lambda s: file(s / "content" / "papers"), "content/papers:1:1:",
         "(a file, expected a folder)"),
    "a file in place of content/news":
        (lambda s: file(s / "content" / "news"), "content/news:1:1:",
         "(a file, expected a folder)"),
    "a file in place of content/pages":
        (lambda s: file(s / "content" / "pages"), "content/pages:1:1:",
         "(a file, expected a folder)"),
    "a file in place of the theme's folder":
        (lambda s: file(s / "themes" / "mine"), "site.yaml:3:8:",
         "themes/mine is a file, expected the theme's folder"),
    "a theme.yaml that is no YAML":
        (theme_yaml("extends: [\n"), "themes/mine/theme.yaml:1:11:", "not valid YAML"),
    "a theme.yaml that is a list":
        (theme_yaml("- scholar\n"), "themes/mine/theme.yaml:1:1:", "expected 'key: value'"),
    "a theme extending no theme":
        (theme_yaml("extends: nothing\n"), "themes/mine/theme.yaml:1:10:",
         "'extends' names no theme: 'nothing' (available: "),
    "theme settings that are a list":
        (theme_yaml("extends: scholar\nsettings:\n  - accent\n"),
         "themes/mine/theme.yaml:3:3:", "'settings' must be 'name: default' lines"),
    "a theme's accent that is a number":
        (theme_yaml("extends: scholar\nsettings:\n  accent: 3\n"),
         "themes/mine/theme.yaml:3:11:", "'accent' must be a colour such as \"#1d4ed8\", "
         "found int 3"),
    "a theme setting that is a mapping":
        (theme_yaml("extends: scholar\nsettings:\n  extra: {a: 1}\n"),
         "themes/mine/theme.yaml:3:10:",
         "'extra' must be true or false, a whole number or text, found 'name: value' lines"),
    "a theme setting of another type than its parent theme's":
        (theme_yaml("extends: scholar\nsettings:\n  scheme_toggle: maybe\n"),
         "themes/mine/theme.yaml:3:18:",
         "'scheme_toggle' must be true or false, as its parent theme's is; found str 'maybe'"),
}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A site with its own theme (extending scholar), per-paper files, news and a page,
    built once."""
    root = make_site(tmp_path / "site", FIXTURES / "profiles" / "plain.txt", SITE_YAML)
    theme = root / "themes" / "mine"
    (theme / "templates").mkdir(parents=True)
    (theme / "static").mkdir()
    (theme / "theme.yaml").write_text(THEME, encoding="utf-8")
    for kind, name, text in [("papers", "neural-processes.md", "---\nvenue: ICML\n---\n"),
                             ("news", "2025-hello.md", "---\ndate: 2025-01-01\n---\nHello\n"),
                             ("pages", "about.md", "---\ntitle: About\n---\nMe\n")]:
        (root / "content" / kind).mkdir()
        (root / "content" / kind / name).write_text(text, encoding="utf-8")
    code, _, err = run(root)
    assert code == 0, err
    return root


def refused(root: Path, where: str, what: str) -> None:
    """A build of `root` that fails with `where ... what` first, no traceback, and leaves
    the previous site as it was."""
    before = contents(root / "_site")
    code, out, err = run(root)
    assert code == 1, out + err
    assert "Traceback" not in err
    first = err.splitlines()[0]
    assert where in first and what in first, err
    assert contents(root / "_site") == before


@pytest.mark.parametrize("case", list(CASES))
def test_a_read_failure_stops_the_build_with_its_path_and_keeps_the_site(site, case):
    breaks, where, what = CASES[case]
    breaks(site)
    refused(site, where, what)


@pytest.mark.parametrize("kind", ["papers", "news", "pages"])
def test_a_content_folder_that_cannot_be_listed_stops_the_build(site, kind, monkeypatch):
    # As root, chmod 000 does not stop listing: the listing itself is made to fail, as
    # it does for anyone else without the permission.
    unlistable = site / "content" / kind
    scandir = os.scandir

    def refusing(path=".", *args, **kwargs):
        if Path(path) == unlistable:
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path, *args, **kwargs)

    monkeypatch.setattr(os, "scandir", refusing)
    refused(site, f"content/{kind}:1:1:", "cannot read (Permission denied)")


@pytest.mark.skipif(os.geteuid() == 0, reason="running as root: permissions do not stop "
                    "root listing a folder")
def test_a_content_papers_folder_without_permissions_stops_the_build(site):
    papers = site / "content" / "papers"
    papers.chmod(0)
    try:
        refused(site, "content/papers:1:1:", "cannot read (Permission denied)")
    finally:
        papers.chmod(0o755)
