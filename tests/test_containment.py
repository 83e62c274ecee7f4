"""Nothing outside the site folder is ever published (containment.py): a per-paper file's
`pdf:` or `thumbnail:` by `..`, `%2e%2e` or a symlink, the photo, a symlink in content/
or static/ (or those folders symlinked), a template symlinked out or named by `..`. Each
case puts a canary file outside the site folder, builds, and checks that the build fails
with the path's `file:line:col`, that no output file holds the canary and that the
previous site is byte for byte as it was."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import copy_demo

EXTRAS = "content/papers/neural-processes.md"
CANARY = b"canary-of-test-containment-7f3a91"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo site, built once: the previous site each case must leave untouched."""
    site = copy_demo(tmp_path_factory.mktemp("built") / "site")
    done = build(site)
    assert done.returncode == 0, done.stderr
    return site


@pytest.fixture
def site(built: Path, tmp_path: Path) -> Path:
    """A copy of the built demo in `tmp_path/site`, and the canary in `tmp_path/outside`."""
    copy = tmp_path / "site"
    shutil.copytree(built, copy, symlinks=True)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.txt").write_bytes(CANARY + b"\n")
    return copy


def build(site: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "build", "-C", str(site)],
                          capture_output=True, text=True, timeout=120)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` (symlinks not followed) by its relative path."""
    files = {}
    for top, _dirs, names in os.walk(folder):
        for name in names:
            path = Path(top) / name
            files[path.relative_to(folder).as_posix()] = (
                b"symlink" if path.is_symlink() else path.read_bytes())
    return files


def refused(site: Path, *expected: str) -> str:
    """Build `site`; assert it fails with every `expected` line, without a traceback,
    without the canary in any output file, and with the previous site untouched."""
    before = snapshot(site / "_site")
    done = build(site)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    for line in expected:
        assert line in done.stderr, done.stderr
    assert snapshot(site / "_site") == before
    assert not any(CANARY in data for data in before.values())
    return done.stderr


def secret(site: Path) -> Path:
    return (site.parent / "outside" / "secret.txt").resolve()


def extras(site: Path, text: str) -> None:
    (site / EXTRAS).write_text(f"---\n{text}\n---\n", encoding="utf-8")


@pytest.mark.parametrize("line", [
    "pdf: ../../../outside/secret.txt",
    "thumbnail: ../../../outside/secret.txt",
    "slides: '%2e%2e/%2e%2e/%2E%2E/outside/secret.txt'",
    "poster: files/../../../../outside/secret.txt",
])
def test_a_per_paper_file_leading_out_by_dots_is_refused_at_its_value(site, line):
    extras(site, line)
    key, value = line.split(": ")
    refused(site, f"{EXTRAS}:2:{len(key) + 3}: '{key}' leads outside the site folder "
            f"(to {secret(site)}): {value.strip(chr(39))} (a file must lie inside the site "
            "folder; a path in the site starts with /)")


def test_a_url_encoded_absolute_path_is_refused_at_its_value(site):
    extras(site, f"pdf: '{str(secret(site)).replace('/', '%2F')}'")
    refused(site, f"{EXTRAS}:2:6: 'pdf' leads outside the site folder (to {secret(site)})")


def test_an_absolute_pdf_is_a_path_in_the_site_and_copies_nothing(site):
    extras(site, f"pdf: {secret(site)}")
    done = build(site)
    assert done.returncode == 0, done.stderr
    page = (site / "_site" / "papers" / "neural-processes" / "index.html").read_text()
    assert f'href="{secret(site)}"' in page  # a link in the site, as it always was
    assert not any(CANARY in data for data in snapshot(site / "_site").values())


def test_a_symlinked_file_a_per_paper_file_names_is_refused_at_its_value(site):
    (site / "content" / "papers" / "np.pdf").symlink_to(secret(site))
    extras(site, "pdf: np.pdf")
    refused(site, f"{EXTRAS}:2:6: 'pdf' leads outside the site folder (to {secret(site)}): "
            "np.pdf")


@pytest.mark.parametrize("folder", ["pages", "papers", "news"])
def test_a_symlinked_markdown_file_in_content_is_refused(site, folder):
    (site / "content" / folder).mkdir(exist_ok=True)
    secret(site).write_bytes(b"---\ntitle: x\n---\n" + CANARY + b"\n")
    name = "neural-processes.md" if folder == "papers" else "leak.md"
    target = site / "content" / folder / name
    target.unlink(missing_ok=True)
    target.symlink_to(secret(site))
    refused(site, f"{target}:1:1: leads outside the site folder (to {secret(site)}): every "
            "file the site reads must lie inside its folder")


def test_a_symlinked_bibliography_in_content_is_refused(site):
    link = site / "content" / "leak.bib"
    link.symlink_to(secret(site))
    refused(site, f"{link}:1:1: leads outside the site folder (to {secret(site)})")


def test_a_symlinked_content_folder_is_refused(site):
    shutil.move(site / "content", site.parent / "outside" / "content")
    (site / "content").symlink_to(site.parent / "outside" / "content")
    (site.parent / "outside" / "content" / "pages" / "leak.md").write_bytes(
        b"---\ntitle: Leak\n---\n" + CANARY + b"\n")
    refused(site, f"{site / 'content'}:1:1: leads outside the site folder")


def test_a_symlinked_static_file_is_refused(site):
    (site / "static").mkdir()
    (site / "static" / "leak.txt").symlink_to(secret(site))
    refused(site, f"{site / 'static' / 'leak.txt'}:1:1: leads outside the site folder (to "
            f"{secret(site)})")


def test_a_symlinked_static_folder_is_refused(site):
    (site / "static").symlink_to(site.parent / "outside")
    refused(site, f"{site / 'static' / 'secret.txt'}:1:1: leads outside the site folder (to "
            f"{secret(site)})")


@pytest.mark.parametrize("value", ["../../../outside/secret.txt", "%2e%2e/%2e%2e/secret.txt",
                                   "/../../outside/secret.txt"])
def test_an_al_folio_file_name_leading_out_of_the_site_is_never_linked(site, value):
    """al-folio's `pdf`, `preview`... name a file in static/assets/ (sources/alfolio.py):
    one that leads out is a warning at its entry, and no link or copy is made."""
    (site / "content" / "leak.bib").write_text(
        "@article{leak2020, title = {Leak}, author = {Lovelace, Ada}, year = {2020}, "
        f"journal = {{J}}, pdf = {{{value}}}, preview = {{{value}}}}}\n", encoding="utf-8")
    done = build(site)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    output = snapshot(site / "_site")
    assert not any(CANARY in data or b"secret.txt" in data for data in output.values())
    assert f"'leak2020': pdf = {{{value}}} is left out" in done.stderr


def test_an_al_folio_file_symlinked_out_of_static_is_refused(site):
    (site / "static" / "assets" / "pdf").mkdir(parents=True)
    (site / "static" / "assets" / "pdf" / "leak.pdf").symlink_to(secret(site))
    (site / "content" / "leak.bib").write_text(
        "@article{leak2020, title = {Leak}, author = {Lovelace, Ada}, year = {2020}, "
        "journal = {J}, pdf = {leak.pdf}}\n", encoding="utf-8")
    refused(site, f"{site / 'static' / 'assets' / 'pdf' / 'leak.pdf'}:1:1: leads outside the "
            "site folder")


@pytest.mark.parametrize("photo", ["../outside/secret.txt", "ABSOLUTE", "link.jpg"])
def test_a_photo_outside_the_site_is_refused_at_its_line(site, photo):
    if photo == "ABSOLUTE":
        photo = str(secret(site))
    if photo == "link.jpg":
        (site / "link.jpg").symlink_to(secret(site))
    yaml = (site / "site.yaml").read_text(encoding="utf-8")
    (site / "site.yaml").write_text(yaml + f"photo: {photo}\n", encoding="utf-8")
    line = yaml.count("\n") + 1
    refused(site, f"site.yaml:{line}:8: 'photo' must be a file inside the site folder: "
            f"'{photo}' leads outside the site folder (to {secret(site)})")


@pytest.mark.parametrize("tag", ['{% include "../../../outside/secret.txt" %}',
                                 '{% extends "../../outside/secret.txt" %}'])
def test_a_template_naming_a_file_by_dots_is_refused_at_its_line(site, tag):
    (site / "templates").mkdir()
    (site / "templates" / "home.html").write_text("\n" + tag + "\n", encoding="utf-8")
    name = tag.split('"')[1]
    refused(site, f"{site / 'templates' / 'home.html'}:2:1: template '{name}' leads outside "
            "the site folder: a template is named by its path below templates/")


def test_an_absolute_template_name_is_looked_for_below_the_template_folders(site):
    (site / "templates").mkdir()
    (site / "templates" / "home.html").write_text(
        f'{{% extends "{secret(site)}" %}}\n', encoding="utf-8")
    refused(site, f"{site / 'templates' / 'home.html'}:1:1: template '{secret(site)}' not "
            "found (needed for index.html)")


def test_a_symlinked_template_is_refused(site):
    (site / "templates").mkdir()
    (site / "templates" / "home.html").symlink_to(secret(site))
    refused(site, f"{site / 'templates' / 'home.html'}:1:1: template 'home.html' leads "
            f"outside the site folder (to {secret(site)})")


def test_a_symlinked_template_a_theme_includes_is_refused_at_the_template(site):
    (site / "templates" / "partials").mkdir(parents=True)
    (site / "templates" / "partials" / "paper_card.html").symlink_to(secret(site))
    refused(site, f"{site / 'templates' / 'partials' / 'paper_card.html'}:1:1: template "
            "'partials/paper_card.html' leads outside the site folder")


def test_a_symlinked_theme_folder_is_refused(site):
    theme = site.parent / "outside" / "leaky"
    (theme / "templates").mkdir(parents=True)
    (theme / "theme.yaml").write_text("extends: scholar\n", encoding="utf-8")
    (theme / "templates" / "home.html").write_bytes(CANARY + b"\n")
    (site / "themes").mkdir()
    (site / "themes" / "leaky").symlink_to(theme)
    yaml = (site / "site.yaml").read_text(encoding="utf-8")
    (site / "site.yaml").write_text(yaml.replace("theme: scholar", "theme: leaky"),
                                    encoding="utf-8")
    line = yaml.splitlines().index("theme: scholar") + 1
    refused(site, f"site.yaml:{line}:8: {site / 'themes' / 'leaky'}: leads outside the site "
            f"folder (to {theme.resolve()}")


def test_a_symlinked_cname_file_is_refused(site):
    secret(site).write_text("leak.example.org\n", encoding="utf-8")
    (site / "static").mkdir()
    (site / "static" / "CNAME").symlink_to(secret(site))
    refused(site, f"static/CNAME:1:1: leads outside the site folder (to {secret(site)})")


def test_a_symlinked_profile_is_refused(site):
    profile = site / "content" / "profile.txt"
    secret(site).write_bytes(profile.read_bytes() + CANARY + b"\n")
    profile.unlink()
    profile.symlink_to(secret(site))
    refused(site, f"{profile}:1:1: leads outside the site folder (to {secret(site)})")


def test_a_profile_setting_outside_the_site_is_refused_at_its_line(site):
    yaml = (site / "site.yaml").read_text(encoding="utf-8")
    (site / "site.yaml").write_text(yaml + "profile: ../outside/secret.txt\n", encoding="utf-8")
    refused(site, f"site.yaml:{yaml.count(chr(10)) + 1}:10: 'profile' must be a file inside "
            "the site folder: '../outside/secret.txt' leads outside the site folder")


def test_a_loop_of_symlinks_a_per_paper_file_names_is_an_error_at_its_value(site):
    papers = site / "content" / "papers"
    (papers / "a.pdf").symlink_to("b.pdf")
    (papers / "b.pdf").symlink_to("a.pdf")
    extras(site, "pdf: a.pdf")
    refused(site, f"{EXTRAS}:2:6: 'pdf' cannot be followed: Symlink loop from")


def test_a_symlinked_theme_yaml_is_refused(site):
    (site.parent / "outside" / "theme.yaml").write_text("extends: scholar\n")
    (site / "themes" / "leaky").mkdir(parents=True)
    (site / "themes" / "leaky" / "theme.yaml").symlink_to(site.parent / "outside" / "theme.yaml")
    yaml = (site / "site.yaml").read_text(encoding="utf-8")
    (site / "site.yaml").write_text(yaml.replace("theme: scholar", "theme: leaky"),
                                    encoding="utf-8")
    line = yaml.splitlines().index("theme: scholar") + 1
    refused(site, f"site.yaml:{line}:8: {site / 'themes' / 'leaky'}: leads outside the site "
            "folder")


def test_a_page_template_named_by_dots_is_refused_at_its_value(site):
    (site / "content" / "pages" / "leak.md").write_text(
        "---\ntitle: Leak\ntemplate: ../../../outside/secret.html\n---\nText\n")
    refused(site, f"{site / 'content' / 'pages' / 'leak.md'}:3:11: 'template' must be a "
            "template file name such as page.html")


@pytest.mark.parametrize("line, why", [
    ('pdf: "x\\0.pdf"', "cannot be followed: it holds a NUL character"),
    ("pdf: 'x%00.pdf'", "cannot be followed: it holds a NUL character"),
    ("pdf: " + "a" * 5_000 + ".pdf", "cannot be followed: File name too long"),
])
def test_a_per_paper_file_no_system_can_open_is_an_error_not_a_traceback(site, line, why):
    extras(site, line)
    refused(site, f"{EXTRAS}:2:6: 'pdf' {why}: ")


def test_an_svg_thumbnail_is_refused_as_the_photo_is(site):
    (site / "content" / "papers" / "np.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>\n')
    extras(site, "thumbnail: np.svg")
    refused(site, f"{EXTRAS}:2:12: 'thumbnail' must be a PNG, JPEG or WebP picture (also GIF, "
            "AVIF), found np.svg: an SVG can carry script")
